import { z } from 'zod'
import { Fen, Id, LineQty } from './common'

/** Why a cart line can't be bought as it is; null when it can. */
export const LineProblem = z.enum(['SOLD_OUT', 'INSUFFICIENT_STOCK', 'OFF_SALE']).nullable()
export type LineProblem = z.infer<typeof LineProblem>

export const CartLine = z.object({
  skuId: Id,
  productId: Id,
  title: z.string(),
  specText: z.string(),
  cover: z.string(),
  unitPriceFen: Fen,
  /** 会员价 of the line's SKU, shown beside the price to everyone; absent when the SKU has none. The cart prices nothing with it: checkout does. */
  memberPriceFen: Fen.optional(),
  qty: z.number().int(),
  selected: z.boolean(),
  stock: z.number().int(),
  problem: LineProblem,
})
export type CartLine = z.infer<typeof CartLine>

/** The cart with the server's totals: only selected lines without a problem count. */
export const CartView = z.object({
  lines: z.array(CartLine),
  /** Units across all lines, for the tab badge. */
  totalQty: z.number().int(),
  selectedQty: z.number().int(),
  selectedFen: Fen,
})
export type CartView = z.infer<typeof CartView>

const Qty = LineQty

export const cartActions = {
  list: { input: z.object({}), output: CartView },
  add: { input: z.object({ skuId: Id, qty: Qty }), output: CartView },
  setQty: { input: z.object({ skuId: Id, qty: Qty }), output: CartView },
  select: { input: z.object({ skuIds: z.array(Id).max(200), selected: z.boolean() }), output: CartView },
  remove: { input: z.object({ skuIds: z.array(Id).min(1).max(200) }), output: CartView },
}
