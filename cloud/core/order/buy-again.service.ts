/** 再次购买: an order's lines back into the shopper's cart, at today's prices. */
import type { CartView } from '../../contract'
import { view as cartView } from '../cart/cart.service'
import type { AuthedCtx } from '../context'
import { fail } from '../errors'

interface Unavailable {
  title: string
  specText: string
  reason: 'OFF_SALE' | 'SOLD_OUT'
}

/**
 * Puts each line of the caller's order in the cart: the line then holds max(what it held, the
 * ordered quantity), capped at 99, so repeating the call (a double tap, a retry) changes nothing. Skips
 * the SKUs no longer on sale or sold out; those are answered so the shopper is told. The cart's
 * prices are today's, not the order's.
 */
export async function buyAgain(
  ctx: AuthedCtx,
  input: { orderId: string },
): Promise<{ cart: CartView; added: number; unavailable: Unavailable[] }> {
  const order = await ctx.repos.orders.get(input.orderId)
  if (!order || order.userId !== ctx.caller.userId) return fail('NOT_FOUND', '订单不存在')
  const skus = new Map((await ctx.repos.orders.skus(order.items.map((i) => i.skuId))).map((s) => [s.id, s]))
  const unavailable: Unavailable[] = []
  let added = 0
  for (const item of order.items) {
    const sku = skus.get(item.skuId)
    if (!sku || !sku.onSale || sku.stock === 0) {
      unavailable.push({ title: item.title, specText: item.specText, reason: sku?.onSale ? 'SOLD_OUT' : 'OFF_SALE' })
      continue
    }
    await ctx.repos.cart.raiseTo(ctx.caller.userId, item.skuId, item.qty)
    added += 1
  }
  return { cart: await cartView(ctx), added, unavailable }
}
