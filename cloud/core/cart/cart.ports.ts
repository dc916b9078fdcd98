/** What the cart needs from storage. */
import type { SkuRecord } from '../catalog/catalog.ports'

export interface CartLineRecord extends SkuRecord {
  qty: number
  selected: boolean
}

export interface CartRepo {
  lines(userId: string): Promise<CartLineRecord[]>
  /** Adds `qty` to the line (creating it), capped at MAX_LINE_QTY. */
  add(userId: string, skuId: string, qty: number): Promise<void>
  /** Makes the line hold at least `qty` (creating it), capped at MAX_LINE_QTY: repeating it changes nothing. */
  raiseTo(userId: string, skuId: string, qty: number): Promise<void>
  /** Takes `qty` units off each line (an order took them); a line left with none is removed. */
  takeUnits(userId: string, units: Array<{ skuId: string; qty: number }>): Promise<void>
  setQty(userId: string, skuId: string, qty: number): Promise<boolean>
  setSelected(userId: string, skuIds: string[], selected: boolean): Promise<void>
  remove(userId: string, skuIds: string[]): Promise<void>
}
