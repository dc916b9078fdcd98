import type { LineProblem, OrderStatus, OrderTab, OrderView } from '../../contract'
import type { OrderActor, OrderRecord } from './order.ports'

/**
 * The order state machine: for each status, the statuses it may be entered from. Every status
 * change goes through one conditional update guarded by this table, so racing changes (a cancel
 * and a payment notify, two notifies) have exactly one winner.
 */
export const ENTERED_FROM: Record<OrderStatus, readonly OrderStatus[]> = {
  pending_payment: [],
  paid: ['pending_payment'],
  shipped: ['paid'],
  completed: ['shipped'],
  cancelled: ['pending_payment'],
  refund_requested: ['paid', 'shipped', 'completed'],
  // The shopper's request approved; or the merchant refunding on their own (售后, also after the
  // shopper's refund window). A rejected request goes back to the status it came from (kept on the order).
  refunded: ['refund_requested', 'paid', 'shipped', 'completed'],
}

/** The timeline's actor of changes no person makes: a payment notify, the timeout, auto-complete. */
export const SYSTEM: OrderActor = { kind: 'system', userId: null }

/** The note auto-complete leaves on the timeline. */
export const AUTO_COMPLETE_NOTE = '自动确认收货'

/** The largest order one payment may carry: ¥1,000,000. Keeps every total inside the database's integers. */
export const MAX_ORDER_FEN = 100_000_000

/** When the shopper's refund window closes for an order paid at `paidAt`; after it only the merchant refunds. */
export const refundWindowEnds = (paidAt: string | Date, refundWindowDays: number): Date =>
  new Date(new Date(paidAt).getTime() + refundWindowDays * 86_400_000)

export const TAB_STATUSES: Record<OrderTab, readonly OrderStatus[] | null> = {
  all: null,
  pending_payment: ['pending_payment'],
  paid: ['paid'],
  shipped: ['shipped'],
  completed: ['completed'],
  refund: ['refund_requested', 'refunded'],
}

export function lineProblem(line: { qty: number; stock: number; onSale: boolean }): LineProblem {
  if (!line.onSale) return 'OFF_SALE'
  if (line.stock === 0) return 'SOLD_OUT'
  if (line.stock < line.qty) return 'INSUFFICIENT_STOCK'
  return null
}

/** What an order's view depends on besides the record: the time of the answer and the refund window. */
export interface ViewTerms {
  now(): Date
  config: { refundWindowDays: number }
}

/**
 * An order as the shopper and the merchant see it: the record without its owner, with until when
 * the shopper may still ask for a refund (the same rule `order.requestRefund` keeps).
 */
/**
 * The timeline's word on the stock of a refund (退回库存 or 仅退款); the order's refund fact reads
 * 仅退款 back from it.
 */
export const RESTOCK_NOTE = { restocked: '库存已退回', kept: '仅退款，货品不退回库存' } as const

export function toView({ userId: _userId, ...record }: OrderRecord, terms: ViewTerms): OrderView {
  const ends =
    record.paidAt && ENTERED_FROM.refund_requested.includes(record.status)
      ? refundWindowEnds(record.paidAt, terms.config.refundWindowDays)
      : null
  return { ...record, refundableUntil: ends && terms.now() < ends ? ends.toISOString() : null }
}
