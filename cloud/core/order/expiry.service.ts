/**
 * The jobs' side of orders (cloud/core/jobs.ts): unpaid orders past their deadline are cancelled,
 * shipped orders complete by themselves AUTO_COMPLETE_DAYS after shipping.
 */
import type { Ctx } from '../context'
import { AUTO_COMPLETE_NOTE, ENTERED_FROM, SYSTEM } from './order.rules'
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
  await releaseOrder(ctx, order, 'cancelled')
  return true
}

/** How many shipped orders one auto-complete transaction completes. */
export const AUTO_COMPLETE_BATCH = 200

/**
 * Completes one batch of orders shipped `autoCompleteDays` ago or earlier (自动确认收货, by the system).
 * Each order moves by the same conditional update as the shopper's 确认收货, so a racing confirm or
 * refund request either wins (the job leaves the order) or loses (the shopper's call is refused as
 * the state machine says). How many it completed: a full batch means there may be more.
 */
export async function autoCompleteBatch(ctx: Ctx, limit = AUTO_COMPLETE_BATCH): Promise<number> {
  const now = ctx.now()
  const shippedBefore = new Date(now.getTime() - ctx.config.autoCompleteDays * 86_400_000)
  return (await ctx.repos.orders.autoComplete(shippedBefore, now, limit, AUTO_COMPLETE_NOTE)).length
}
