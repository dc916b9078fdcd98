import type { CartView } from '../../contract'
import type { AuthedCtx } from '../context'
import { thumbOf } from '../catalog/images.rules'
import { fail } from '../errors'
import { lineProblem } from '../order/order.rules'

/** The cart as the shopper sees it: each line with its problem, and totals of what can be bought. */
export async function view(ctx: AuthedCtx): Promise<CartView> {
  const rows = await ctx.repos.cart.lines(ctx.caller.userId)
  let totalQty = 0
  let selectedQty = 0
  let selectedFen = 0
  const lines = rows.map((r) => {
    const problem = lineProblem(r)
    totalQty += r.qty
    if (r.selected && problem === null) {
      selectedQty += r.qty
      selectedFen += r.priceFen * r.qty
    }
    return {
      skuId: r.id,
      productId: r.productId,
      title: r.title,
      specText: r.specText,
      cover: thumbOf(r.cover),
      unitPriceFen: r.priceFen,
      // 会员价 beside the price, only where the SKU has one (docs/rules.md, 会员价): selectedFen stays regular.
      ...(r.memberPriceFen != null ? { memberPriceFen: r.memberPriceFen } : {}),
      qty: r.qty,
      selected: r.selected,
      stock: r.stock,
      problem,
    }
  })
  return { lines, totalQty, selectedQty, selectedFen }
}

export async function add(ctx: AuthedCtx, input: { skuId: string; qty: number }): Promise<CartView> {
  const [sku] = await ctx.repos.orders.skus([input.skuId])
  if (!sku || !sku.onSale) return fail('NOT_FOUND', '商品不存在或已下架')
  if (sku.stock === 0) return fail('OUT_OF_STOCK', '该规格已售罄')
  await ctx.repos.cart.add(ctx.caller.userId, input.skuId, input.qty)
  return view(ctx)
}

export async function setQty(ctx: AuthedCtx, input: { skuId: string; qty: number }): Promise<CartView> {
  if (!(await ctx.repos.cart.setQty(ctx.caller.userId, input.skuId, input.qty))) return fail('NOT_FOUND', '购物车里没有这件商品')
  return view(ctx)
}

export async function select(ctx: AuthedCtx, input: { skuIds: string[]; selected: boolean }): Promise<CartView> {
  await ctx.repos.cart.setSelected(ctx.caller.userId, input.skuIds, input.selected)
  return view(ctx)
}

export async function remove(ctx: AuthedCtx, input: { skuIds: string[] }): Promise<CartView> {
  await ctx.repos.cart.remove(ctx.caller.userId, input.skuIds)
  return view(ctx)
}
