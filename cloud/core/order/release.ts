import type { OrderKind } from '../../contract'
import type { Ctx } from '../context'
import { releaseSeat } from '../group/group.seats'
import { stockMoved } from '../live/room'
import { releasePoints } from '../member/member.service'

/**
 * What an order gives back when it ends unpaid or refunded (a step that undoes each of `create`'s):
 * its deal claim (only when cancelled), its flash-sale units, its coupon and its stock (not for a refund with `restock: false`, 仅退款); a refunded
 * order also gives back what it earned its sharer or inviter. The shopper's cancel, the timeout job
 * and the merchant's refunds all release through here, with the order's record from the transition
 * that ended it: its kind says which play's rows it touches (only a group order a group's, only an
 * assist order an assist task's, only a deal order a deal claim).
 */
export async function releaseOrder(
  ctx: Ctx,
  order: { id: string; kind: OrderKind },
  why: 'cancelled' | 'refunded',
  opts: { restock?: boolean } = {},
): Promise<void> {
  // In the order `create` takes them (claim, flash units, coupon, stock), so that a release and an
  // order racing for the same rows lock them in one order and never deadlock.
  // Claims used are deal orders not cancelled: a refunded one keeps its claim used.
  // Each play releases its own hold (a group's seat, an assist task's purchase) here, keyed by the order.
  const orderId = order.id
  if (why === 'cancelled' && order.kind === 'deal') await ctx.repos.deals.releaseClaim(orderId)
  // An assist task's one purchase is freed by a cancel (the starter may order again), not by a refund.
  if (why === 'cancelled' && order.kind === 'assist') await ctx.repos.assists.releasePurchase(orderId)
  // A group's seat: freed on cancel, and on refund while the group is forming (group.seats.ts).
  if (order.kind === 'group') await releaseSeat(ctx, orderId, why)
  await ctx.repos.flash.release(orderId)
  await ctx.repos.coupons.release(orderId)
  // Points spent come back; a refund also takes back the points the order earned and moves the tier.
  await releasePoints(ctx, orderId, why)
  // A refund without restock (仅退款) leaves the units with the buyer: the stock stays as it is.
  if (opts.restock ?? true) await stockMoved(ctx, await ctx.repos.orders.releaseStock(orderId))
  // What a refunded order earned its sharer or inviter is taken back: reversed while pending, clawed back once settled.
  if (why === 'refunded') await ctx.repos.earnings.takeBack(orderId)
}
