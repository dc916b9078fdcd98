/** What flash sales need from storage. */
import type { FlashAudience, FlashState } from '../../contract'

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
  /** When the merchant ended it (结束); it sells nothing from then on, whatever its window says. */
  endedAt: Date | null
}

/** A sale as the console lists it: its record and what it sold. */
export interface AdminFlashRecord extends FlashSaleRecord {
  seq: number
  /** Units of paid orders not refunded, and their payable. */
  paidUnits: number
  gmvFen: number
  createdAt: Date
}

/** The editable fields of a sale (admin.updateFlashSale). */
export interface FlashEdit {
  salePriceFen?: number
  stock?: number
  perUserLimit?: number
  audience?: FlashAudience
  startsAt?: Date
  endsAt?: Date
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
  }): Promise<{ id: string } | 'overlap'>
  get(id: string): Promise<FlashSaleRecord | null>
  /** The sale with its row locked FOR UPDATE until the transaction ends (sells of it wait). */
  getForUpdate(id: string): Promise<FlashSaleRecord | null>
  /** Another sale of the SKU (not ended by the merchant) whose window overlaps [startsAt, endsAt), if any. */
  overlapping(skuId: string, startsAt: Date, endsAt: Date, exceptId: string | null): Promise<FlashSaleRecord | null>
  /** Writes the edit; 'overlap' when the no-overlap constraint refused it (a racing create or edit). */
  update(id: string, edit: FlashEdit): Promise<'ok' | 'overlap'>
  /** Ends the sale at `now`: it stops selling, an active one's window closes at `now`. */
  end(id: string, now: Date): Promise<void>
  /** Sales in the state at `now`, newest first, after the cursor's seq (every state when `state` is null). */
  adminList(state: FlashState | null, now: Date, afterSeq: number | null, limit: number): Promise<AdminFlashRecord[]>
  adminOne(id: string): Promise<AdminFlashRecord | null>
  /** Sales not ended at `now`, the soonest first, each with the units `userId` holds in it (`mine`). */
  open(now: Date, userId: string): Promise<Array<FlashSaleRecord & { mine: number }>>
  /** Counts `qty` more units for the user only while within `limit`. */
  countBuyer(id: string, userId: string, qty: number, limit: number): Promise<boolean>
  /** Sells `qty` units only while they are left, the sale is on at `now` and the merchant has not ended it. */
  sell(id: string, qty: number, now: Date): Promise<boolean>
  /** Gives an order's units back to its sale and its buyer (cancel, timeout, refund). */
  release(orderId: string): Promise<void>
}
