/** The timeout job's side of orders (cloud/core/jobs.ts): unpaid orders past their deadline are cancelled. */
import type { Ctx } from '../context'
import { ENTERED_FROM, SYSTEM } from './order.rules'
import { releaseOrder } from './release'

/** The unpaid orders past their deadline (the timeout job cancels each in a transaction of its own). */
export async function expiredOrders(ctx: Ctx, limit = 100): Promise<string[]> {
  return ctx.repos.orders.expiredIds(ctx.now(), limit)
}

/** Cancels one unpaid order past its deadline, giving back what it held; false when it was paid or cancelled meanwhile. */
export async function expireOne(ctx: Ctx, orderId: string): Promise<boolean> {
  const now = ctx.now()
  const order = await ctx.repos.orders.transition(orderId, ENTERED_FROM.cancelled, 'cancelled', now, {
    reason: '超时未支付',
    actor: SYSTEM,
  })
  if (!order) return false
  await releaseOrder(ctx, orderId, 'cancelled')
  return true
}
