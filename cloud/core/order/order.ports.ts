/** What orders need from storage: orders and their lines, share touches, payments, and the settings payments keep. */
import type { Address, Carrier, GroupCampaignStatus, GroupStatus, OrderKind, OrderStatus, OrderView } from '../../contract'
import type { SkuRecord } from '../catalog/catalog.ports'
import type { RateRule } from '../limits.ports'

/** A product's stock (the sum over its SKUs) before and after a change. */
export interface StockMove {
  productId: string
  before: number
  after: number
  /**
   * The lowest stock, before or after, of the product's SKUs this change moved (their rows locked, so
   * exact, unlike the product's other SKUs as the statement read them).
   */
  lowestSku: number
}

export interface NewOrder {
  userId: string
  idempotencyKey: string
  goodsFen: number
  /** couponFen + pointsFen. */
  discountFen: number
  couponFen: number
  pointsUsed: number
  pointsFen: number
  memberSavingFen: number
  payableFen: number
  address: Omit<Address, 'id' | 'isDefault'> | null
  note: string
  sharerId: string | null
  roomId: string | null
  payDeadline: Date
  userCouponId: string | null
  flashSaleId: string | null
  kind: OrderKind
  /** The deal campaign (also in dealCampaignId), group or assist task a play's order is for; null for a mall order. */
  playRef: string | null
  dealCampaignId: string | null
}

/** What the request that made an order asked for: a repeat of its key must ask for the same. */
export interface KeyedOrder {
  id: string
  kind: OrderKind
  playRef: string | null
  pointsUsed: number
  flashSaleId: string | null
  userCouponId: string | null
  address: NewOrder['address']
  note: string
  items: Array<{ productId: string; skuId: string; qty: number }>
}

export interface NewOrderItem {
  /** This line's share of the order discount. */
  discountFen: number
  skuId: string
  productId: string
  title: string
  specText: string
  cover: string
  unitPriceFen: number
  qty: number
}

/** An order with its owner, for rules that need more than the view (which adds what depends on the time and settings). */
export interface OrderRecord extends Omit<OrderView, 'refundableUntil'> {
  userId: string
}

/**
 * Who makes a status change, as the order's timeline records it: the shopper (their own order),
 * staff (a merchant action), or the system (payment notify, timeout, auto-complete).
 */
export interface OrderActor {
  kind: 'shopper' | 'staff' | 'system'
  userId: string | null
}

export interface OrderRepo {
  /** SKUs by id (those that exist). */
  skus(skuIds: string[]): Promise<SkuRecord[]>
  /** The only SKU of each given product that has exactly one, by product id. */
  singleSkuOf(productIds: string[]): Promise<Map<string, string>>
  /**
   * An order's SKUs in one statement: those of `skuIds`, and the only SKU of each of `productIds`
   * that has exactly one (as singleSkuOf), with that map.
   */
  lineSkus(skuIds: string[], productIds: string[]): Promise<{ skus: SkuRecord[]; single: Map<string, string> }>
  /**
   * Inserts the order with its lines unless the user already used the key (null then: nothing is
   * written, nothing charged), and charges it one token of the bucket `charge.key` under
   * `charge.rule` (limits.ts take_tokens) in the same statement, in the order's transaction: an
   * order that is refused and rolled back costs nothing. `charged`: whether the bucket had a token.
   */
  insert(
    order: NewOrder,
    items: NewOrderItem[],
    charge: { key: string; rule: RateRule; at: Date },
  ): Promise<{ id: string; charged: boolean } | null>
  /** The user's order made with the key, with what its request asked for; null when the key is unused. */
  byKey(userId: string, idempotencyKey: string): Promise<KeyedOrder | null>
  /**
   * THE LAST STATEMENT of the order's transaction, sent with its commit (cloud/db lastStatement): a
   * hot SKU's row is locked only while the server runs it and commits. Takes each line's `qty` off
   * its SKU's stock, all or none, each only if that much is there and the SKU is still on sale (not
   * retired, its product on the shelf); and moves the version of the live rooms whose shelf holds a
   * product it moved while that product's stock shows (room.ts stockMoved's rule, with its
   * threshold `shownBelow`: the product's stock before or after, or the moved SKU's, below it).
   * Null when every line was taken and the order committed. Otherwise nothing was committed, and
   * the call must fail: the first line refused and why (`off_sale`: retired or off the shelf by the
   * time its row was free; `short`: not enough).
   */
  takeStockLast(
    lines: Array<{ skuId: string; qty: number }>,
    shownBelow: number,
  ): Promise<{ skuId: string; reason: 'off_sale' | 'short' } | null>
  /** Gives every line's quantity back to its SKU: each product's stock (its SKUs on offer) before and after, where it moved. */
  releaseStock(orderId: string): Promise<StockMove[]>
  get(orderId: string): Promise<OrderRecord | null>
  /** The order as `get` reads it, as THE LAST STATEMENT of a call that only reads it (sent with the commit; nothing may run after it). */
  getLast(orderId: string): Promise<OrderRecord | null>
  /**
   * order.pay's one read (the transaction's last statement, as getLast): the order and, for a group
   * order, its group's status and expiresAt (null for any other kind).
   */
  toPay(orderId: string): Promise<(OrderRecord & { group: PayableGroupRecord | null }) | null>
  /**
   * Moves the order to `to` only from one of `from` (and only the owner's, when `userId` is given):
   * the one conditional update every status change goes through. Null when it did not apply.
   */
  transition(
    orderId: string,
    from: readonly OrderStatus[],
    to: OrderStatus,
    at: Date,
    /**
     * `actor`: who makes the change (the timeline's entry). `logistics`: the carrier and waybill
     * number a move to shipped records with it. `note`: the timeline entry's note, instead of the one
     * the row explains (the reason, the waybill). `goodsKept`: a refund whose goods stay with the buyer (仅退款).
     * `payableFen`: the payment's amount, which must be the order's payable.
     */
    opts: {
      actor: OrderActor
      userId?: string
      reason?: string
      note?: string
      logistics?: { carrier: Carrier; trackingNo: string }
      goodsKept?: boolean
      /** Only an order whose payable is this (a payment's amount): another amount does not apply. */
      payableFen?: number
    },
  ): Promise<OrderRecord | null>
  /** A rejected refund request: back to the status it was requested from, with the merchant's reason. */
  restoreAfterRefundRequest(orderId: string, at: Date, actor: OrderActor, reason: string | null): Promise<OrderRecord | null>
  /**
   * Completes up to `limit` orders shipped at or before `shippedBefore` that are still shipped (each
   * by the same conditional update as any change: a shopper's racing 确认收货 or refund request wins
   * or loses cleanly; rows another transaction holds are left for the next run). Their ids.
   */
  autoComplete(shippedBefore: Date, at: Date, limit: number, note: string): Promise<string[]>
  list(
    userId: string,
    statuses: readonly OrderStatus[] | null,
    beforeSeq: number | null,
    limit: number,
  ): Promise<Array<OrderRecord & { seq: number }>>
  counts(userId: string): Promise<Record<OrderStatus, number>>
  /**
   * The user's unpaid orders, counted under a lock on the user's row: one user's orders are placed
   * one at a time, so racing orders can't pass a limit on this count.
   */
  pendingCountLocked(userId: string): Promise<number>
  /** Up to `limit` unpaid orders past their deadline, the oldest first. */
  expiredIds(now: Date, limit: number): Promise<string[]>
}

export interface ShareRepo {
  userExists(userId: string): Promise<boolean>
  recordTouch(userId: string, sharerId: string, roomId: string | null, at: Date): Promise<void>
  /** The sharer of the user's most recent touch at or after `since`. */
  lastSharer(userId: string, since: Date): Promise<string | null>
}

export interface PaymentRecord {
  orderId: string
  provider: string
  transactionId: string
  amountFen: number
  status: 'paid' | 'refunded'
}

export interface PaymentRepo {
  /** Records the order's one payment; false when it already has one. */
  insert(p: PaymentRecord & { paidAt: Date; raw: unknown }): Promise<boolean>
  byOrder(orderId: string): Promise<PaymentRecord | null>
  /**
   * Stores a refused notify (`body`, JSON text already bounded by the caller) only if the bucket
   * `bucket.key` gives a token under `bucket.rule`, in the same statement. False when it was not stored.
   */
  logRejection(provider: string, reason: string, body: string, bucket: { key: string; rule: RateRule }): Promise<boolean>
  /** Deletes rejections received before `before` (the retention job); how many. */
  pruneRejections(before: Date): Promise<number>
  /**
   * Records the refund of one payment (the order's own, a second payment, money after a cancel)
   * before the provider is asked; false when that payment was refunded already.
   */
  claimRefund(r: { orderId: string; transactionId: string; amountFen: number }): Promise<boolean>
  setProviderRefundId(transactionId: string, providerRefundId: string): Promise<void>
}

export interface SettingsRepo {
  /** The stored value, or `make()` stored once (racing first calls agree on one value). */
  getOrCreate(key: string, make: () => string): Promise<string>
}

/** A group order's group as paying reads it: its state, and its campaign's (a pending group is formed only while the campaign is open). */
export interface PayableGroupRecord {
  status: GroupStatus
  expiresAt: Date | null
  campaign: { status: GroupCampaignStatus; endsAt: Date }
}
