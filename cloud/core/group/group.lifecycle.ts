/**
 * A group's life outside the shopper's calls: a payment counted (the notify), a seat freed (cancel,
 * timeout, refund: release.ts), and groups ended when their time is up (the jobs).
 *
 * Locks, everywhere in one order: an order's row before its group's row, the group's before its seats.
 * The notify moves the order then counts on the group; a cancel or refund moves the order then frees
 * the seat; the expiry locks its members' orders, then the group's row, then (never waiting) the
 * orders of seats taken meanwhile, then ends the group; a join inserts its (new) order then takes the
 * seat. No one waits for an order while holding a group's row, so a notify and the expiry serialise on
 * the group's row (and the order's) without a circle, and one of them sees the other's outcome.
 */
import type { Ctx } from '../context'
import { systemRefund } from '../order/merchant.service'
import { ENTERED_FROM, SYSTEM } from '../order/order.rules'
import { releaseOrder } from '../order/release'

/** The timeline's reasons of the system's refunds and cancels of group orders. */
export const GROUP_REASONS = {
  paidAfterEnd: '拼团已结束，款项已原路退回',
  failed: '拼团未成团，自动退款',
  cancelled: '拼团已结束',
} as const

/**
 * A group order became paid (in the notify's transaction): its group counts it. False when the
 * group had ended (or its time was up): the caller refunds the order at once.
 */
export async function countPayment(ctx: Ctx, orderId: string): Promise<boolean> {
  return (await ctx.repos.groups.countPaid(orderId, ctx.now())) !== null
}

/** A paid group order whose group had ended when the money came: refunded at once by the system. */
export async function refundLatePayment(ctx: Ctx, orderId: string): Promise<void> {
  await systemRefund(ctx, orderId, GROUP_REASONS.paidAfterEnd)
}

/** Forming groups past their time (the jobs end each in a transaction of its own). */
export async function expiredGroups(ctx: Ctx, limit = 100): Promise<string[]> {
  return ctx.repos.groups.expiredIds(ctx.now(), limit)
}

/**
 * Ends one expired group as its campaign said: `refund` → failed, every paid member refunded in full
 * by the system; `complete` → succeeded with those who paid. Unpaid orders are cancelled either way,
 * as the pay timeout cancels them. False when the group was not forming and expired any more (a
 * payment made it succeed first, or another run ended it).
 */
export async function endExpiredGroup(ctx: Ctx, groupId: string): Promise<boolean> {
  const ended = await ctx.repos.groups.endExpired(groupId, ctx.now())
  if (!ended) return false
  for (const { orderId, seat } of ended.seats) {
    if (seat === 'held') {
      const order = await ctx.repos.orders.transition(orderId, ENTERED_FROM.cancelled, 'cancelled', ctx.now(), {
        reason: GROUP_REASONS.cancelled,
        actor: SYSTEM,
      })
      if (order) await releaseOrder(ctx, order, 'cancelled')
    } else if (ended.group.status === 'failed') {
      await systemRefund(ctx, orderId, GROUP_REASONS.failed)
    }
  }
  return true
}
