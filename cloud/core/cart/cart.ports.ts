/** What the cart needs from storage. */
import type { SkuRecord } from '../catalog/catalog.ports'

export interface CartLineRecord extends SkuRecord {
  qty: number
  selected: boolean
}

export interface CartRepo {
  lines(userId: string): Promise<CartLineRecord[]>
  /** Adds `qty` to the line (creating it), capped at 999. */
  add(userId: string, skuId: string, qty: number): Promise<void>
  setQty(userId: string, skuId: string, qty: number): Promise<boolean>
  setSelected(userId: string, skuIds: string[], selected: boolean): Promise<void>
  remove(userId: string, skuIds: string[]): Promise<void>
}
