import { MAX_LINE_QTY, type OrderItemInput } from '../../contract'
import type { Ctx } from '../context'
import { fail } from '../errors'
import type { SkuRecord } from '../catalog/catalog.ports'
import type { FlashSaleRecord } from '../flash/flash.ports'
import { chargedUnit, type CheckoutLine } from './checkout.rules'

/** An order line: the SKU, how many, and whether it is a flash-sale or deal line (coupons skip those by default). */
export type Line = { sku: SkuRecord; qty: number; special?: boolean }

/**
 * Resolves the requested items to SKUs: a product with one SKU needs no skuId; the same SKU asked
 * twice is one line. Sorted by SKU id so that concurrent orders lock stock rows in one order.
 */
export async function resolveLines(ctx: Ctx, items: OrderItemInput[]): Promise<Line[]> {
  // The SKUs asked by id and the only SKU of each product asked without one, in one statement.
  const found = await ctx.repos.orders.lineSkus(
    items.flatMap((i) => (i.skuId ? [i.skuId] : [])),
    items.filter((i) => !i.skuId).map((i) => i.productId),
  )
  const single = found.single
  const qtyBySku = new Map<string, number>()
  const productOf = new Map<string, string>()
  for (const [index, item] of items.entries()) {
    const skuId = item.skuId ?? single.get(item.productId)
    if (!skuId) return fail('VALIDATION_FAILED', '请选择商品规格', [{ path: `items.${index}.skuId`, message: '请选择商品规格' }])
    const qty = (qtyBySku.get(skuId) ?? 0) + item.qty
    // The per-item limit holds for the SKU's lines summed (the same product asked twice is one line).
    if (qty > MAX_LINE_QTY) {
      const message = `每件商品最多购买 ${MAX_LINE_QTY} 件`
      return fail('VALIDATION_FAILED', message, [{ path: `items.${index}.qty`, message }])
    }
    qtyBySku.set(skuId, qty)
    productOf.set(skuId, item.productId)
  }
  const skus = found.skus.filter((s) => qtyBySku.has(s.id))
  if (skus.length !== qtyBySku.size || skus.some((s) => productOf.get(s.id) !== s.productId)) {
    return fail('NOT_FOUND', '商品不存在或已下架')
  }
  return skus.sort((a, b) => (a.id < b.id ? -1 : 1)).map((sku) => ({ sku, qty: qtyBySku.get(sku.id)! }))
}

/**
 * The SKU a campaign or sale is for: the given one, or the product's only SKU. A form's fields, not an
 * order's: an unknown product is NOT_FOUND (商品不存在), a product of several SKUs without one is
 * refused on `skuId`, a SKU not of the product is NOT_FOUND.
 */
export async function resolveSku(ctx: Ctx, productId: string, skuId?: string): Promise<SkuRecord> {
  if (!(await ctx.repos.catalog.productExists(productId))) return fail('NOT_FOUND', '商品不存在')
  const id = skuId ?? (await ctx.repos.orders.singleSkuOf([productId])).get(productId)
  if (!id) return fail('VALIDATION_FAILED', '请选择商品规格', [{ path: 'skuId', message: '请选择商品规格' }])
  const [sku] = await ctx.repos.orders.skus([id])
  if (!sku || sku.productId !== productId) return fail('NOT_FOUND', '商品规格不存在')
  return sku
}

/**
 * The one pricing step of an order's lines, for the preview and for placing the order alike: each
 * line at its SKU's price, at the sale price in a flash-sale order, at the play's price in a play's
 * order (the deal's, the group's, the assist task's). Sale and play lines are special: coupons skip
 * them unless their template allows it. Only prices: the callers check the sale (one line of its
 * SKU; placing an order also its window and audience).
 */
export function priceLines(lines: Line[], by: { sale?: FlashSaleRecord | null; play?: { unitPriceFen: number } | null }): Line[] {
  let priced = lines
  const { sale, play } = by
  if (sale) priced = priced.map((l) => ({ ...l, sku: { ...l.sku, priceFen: sale.salePriceFen }, special: true }))
  if (play) priced = priced.map((l) => ({ ...l, sku: { ...l.sku, priceFen: play.unitPriceFen }, special: true }))
  return priced
}

/** The lines at the prices a buyer is charged before coupon and points: a member's regular lines at their SKU's member price. */
export function atMemberPrices(lines: Line[], isMember: boolean): Line[] {
  return lines.map((l) => {
    const unit = chargedUnit(checkoutLine(l), isMember)
    return unit === l.sku.priceFen ? l : { ...l, sku: { ...l.sku, priceFen: unit } }
  })
}

/** A line as checkout's pricing reads it. */
export function checkoutLine(l: Line): CheckoutLine {
  return {
    productId: l.sku.productId,
    categoryId: l.sku.categoryId,
    unitPriceFen: l.sku.priceFen,
    memberPriceFen: l.special ? null : l.sku.memberPriceFen,
    qty: l.qty,
    special: l.special ?? false,
  }
}
