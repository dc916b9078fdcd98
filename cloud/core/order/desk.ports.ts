/** What the order desk needs from storage: orders across all buyers, filtered and searched, and an order's whole story. */
import type { OrderEvent, OrderStatus } from '../../contract'
import type { OrderRecord } from './order.ports'

/**
 * The desk's filter: a set of statuses (a tab; null for all), a search (any of its terms matches),
 * and placed-at bounds (from inclusive, to exclusive).
 */
export interface DeskFilter {
  statuses: readonly OrderStatus[] | null
  search: {
    /** Order numbers starting with these digits (an exact number is its own prefix). */
    orderNoPrefix: string | null
    /** The receiver's phone, exactly. */
    phone: string | null
    /** Buyers whose nickname contains this text (case-insensitive). */
    nickname: string
  } | null
  from: Date | null
  to: Date | null
}

/** An order as the desk lists it: the record, its buyer's nickname and its place in the newest-first order. */
export type DeskOrder = OrderRecord & { seq: number; buyerNickname: string }

/** What an order's detail adds to the record, read in one statement. */
export interface DeskOrderFacts {
  payment: { provider: string; transactionId: string | null; amountFen: number; paidAt: string | null } | null
  couponTitle: string | null
  sharerNickname: string | null
  /** What the order earns its sharer as the earnings ledger has it now (accruals less reversals and clawbacks). */
  sharerCommissionFen: number
  roomTitle: string | null
  dealCampaignId: string | null
  merchantRefundReason: string | null
  refundedAt: string | null
  /** The money given back for the order's own payment, 0 when none. */
  refundedFen: number
  timeline: OrderEvent[]
}

export interface DeskRepo {
  /** Up to `limit` orders under the filter placed before `beforeSeq` (null: the newest), newest first. */
  list(filter: DeskFilter, beforeSeq: number | null, limit: number): Promise<DeskOrder[]>
  /** How many orders each status holds under the filter (its statuses ignored). */
  counts(filter: DeskFilter): Promise<Record<OrderStatus, number>>
  /** The order (with its buyer's nickname), or null. */
  get(orderId: string): Promise<DeskOrder | null>
  /** The orders of these ids that exist, in the order of `orderIds` (one query). */
  many(orderIds: string[]): Promise<DeskOrder[]>
  facts(orderId: string): Promise<DeskOrderFacts>
  /** The ids of the orders with these numbers (those that exist), by number. */
  idsByOrderNo(orderNos: string[]): Promise<Map<string, string>>
}
