/** A group order's seat given back (release.ts calls this for every order it releases). */
import type { Ctx } from '../context'
import { ENTERED_FROM, SYSTEM } from '../order/order.rules'
import { releaseOrder } from '../order/release'

/**
 * Frees a group order's seat when the order is cancelled (always), or refunded while its group is
 * still forming (paid − 1 too); after the group ended a refund leaves the group as it was. The
 * leader's order cancelled while the group is pending cancels the group. A refund while forming that
 * leaves the group with no paid member fails it at once (nobody would be left to keep it open to
 * outsiders): its unpaid members' orders are cancelled as the expiry cancels them. Called from releaseOrder.
 */
export async function releaseSeat(ctx: Ctx, orderId: string, why: 'cancelled' | 'refunded'): Promise<void> {
  const seat = await ctx.repos.groups.seatOfOrder(orderId)
  if (!seat || (seat.seat !== 'held' && seat.seat !== 'paid')) return
  const running = seat.groupStatus === 'pending' || seat.groupStatus === 'forming'
  if (why === 'cancelled' || running) {
    const wasPaid = seat.seat === 'paid' && running
    const after = await ctx.repos.groups.freeSeat(orderId, {
      wasPaid,
      cancelGroup: seat.leader && seat.groupStatus === 'pending',
      at: ctx.now(),
    })
    if (wasPaid && after?.status === 'forming' && after.paid === 0) await failEmptyGroup(ctx, seat.groupId)
  } else {
    await ctx.repos.groups.markRefunded(orderId)
  }
}

/** The reason on an unpaid member's order cancelled because its group ended (as the expiry's). */
const GROUP_ENDED = '拼团已结束'

async function failEmptyGroup(ctx: Ctx, groupId: string): Promise<void> {
  const unpaid = await ctx.repos.groups.failEmpty(groupId, ctx.now())
  for (const id of unpaid ?? []) {
    const order = await ctx.repos.orders.transition(id, ENTERED_FROM.cancelled, 'cancelled', ctx.now(), {
      reason: GROUP_ENDED,
      actor: SYSTEM,
    })
    if (order) await releaseOrder(ctx, order, 'cancelled')
  }
}
