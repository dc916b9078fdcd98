/** What flash sales need from storage. */
import type { FlashAudience } from '../../contract'

export interface FlashSaleRecord {
  id: string
  productId: string
  skuId: string
  title: string
  specText: string
  cover: string
  salePriceFen: number
  priceFen: number
  stock: number
  sold: number
  perUserLimit: number
  audience: FlashAudience
  startsAt: Date
  endsAt: Date
}

export interface FlashSaleRepo {
  create(f: {
    productId: string
    skuId: string
    salePriceFen: number
    stock: number
    perUserLimit: number
    audience: FlashAudience
    startsAt: Date
    endsAt: Date
  }): Promise<string>
  get(id: string): Promise<FlashSaleRecord | null>
  /** Sales not ended at `now`, the soonest first, each with the units `userId` holds in it (`mine`). */
  open(now: Date, userId: string): Promise<Array<FlashSaleRecord & { mine: number }>>
  /** Counts `qty` more units for the user only while within `limit`. */
  countBuyer(id: string, userId: string, qty: number, limit: number): Promise<boolean>
  /** Sells `qty` units only while they are left and the sale is on at `now`. */
  sell(id: string, qty: number, now: Date): Promise<boolean>
  /** Gives an order's units back to its sale and its buyer (cancel, timeout, refund). */
  release(orderId: string): Promise<void>
}
