/** What 概览 needs from storage: sums over the orders paid in a range (from inclusive, to exclusive). */

/** The range's paid orders summed; "net" sums leave out the orders refunded since. */
export interface PaidTotals {
  /** Every order paid in the range, refunded since or not. */
  paidAll: number
  refundedOrders: number
  refundedFen: number
  /** Net: the payable of the orders not refunded. */
  gmvFen: number
  paidOrders: number
  /** Net: buyers of the orders not refunded. */
  payingCustomers: number
  /** Net buyers none of whose paid, unrefunded orders is older than the range. */
  newCustomers: number
}

/** Net sums by where an order came from, as the facts the precedence rule (core) reads. */
export interface SourceGroup {
  deal: boolean
  live: boolean
  sharer: boolean
  gmvFen: number
  paidOrders: number
}

export interface DashboardRepo {
  totals(from: Date, to: Date): Promise<PaidTotals>
  /**
   * Net sums by bucket: `bucket` is the whole number of `bucketMs` between `from` and the payment
   * (0 for the first); buckets with no orders are absent.
   */
  trend(from: Date, to: Date, bucketMs: number): Promise<Array<{ bucket: number; gmvFen: number; paidOrders: number }>>
  sources(from: Date, to: Date): Promise<SourceGroup[]>
  /** The `limit` products of the most net GMV (each line's amount less its share of the discount), then units. */
  topProducts(
    from: Date,
    to: Date,
    limit: number,
  ): Promise<Array<{ productId: string; title: string; cover: string; units: number; gmvFen: number }>>
  /** The `limit` sharers of the most net GMV, with what those orders earn them in the earnings ledger now. */
  topSharers(
    from: Date,
    to: Date,
    limit: number,
  ): Promise<Array<{ userId: string; nickname: string; orders: number; gmvFen: number; commissionFen: number }>>
}
