/** A group order's seat given back (release.ts calls this for every order it releases). */
import type { Ctx } from '../context'

/**
 * Frees a group order's seat when the order is cancelled (always), or refunded while its group is
 * still forming (paid − 1 too); after the group ended a refund leaves the group as it was. The
 * leader's order cancelled while the group is pending cancels the group. Called from releaseOrder.
 */
export async function releaseSeat(ctx: Ctx, orderId: string, why: 'cancelled' | 'refunded'): Promise<void> {
  const seat = await ctx.repos.groups.seatOfOrder(orderId)
  if (!seat || (seat.seat !== 'held' && seat.seat !== 'paid')) return
  const running = seat.groupStatus === 'pending' || seat.groupStatus === 'forming'
  if (why === 'cancelled' || running) {
    await ctx.repos.groups.freeSeat(orderId, {
      wasPaid: seat.seat === 'paid' && running,
      cancelGroup: seat.leader && seat.groupStatus === 'pending',
      at: ctx.now(),
    })
  } else {
    await ctx.repos.groups.markRefunded(orderId)
  }
}
