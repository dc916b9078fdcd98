import type { Ctx } from '../context'
import { accrueEarnings } from '../deal/earnings.service'
import { countPayment, refundLatePayment } from '../group/group.lifecycle'
import { memberPaid } from '../member/member.service'
import { boundedJson, limitKeys, NOTIFY_REJECTIONS, REJECTION_BODY_BYTES } from '../limits'
import type { VerifiedNotify } from '../services.ports'
import { ENTERED_FROM, SYSTEM } from './order.rules'

/**
 * Gives `refundFen` of one payment back, once: the refund is recorded first, so a replayed notify or
 * a racing call finds it recorded and never asks the provider a second time. False when it was.
 */
export async function refundPayment(
  ctx: Ctx,
  payment: { orderId: string; transactionId: string; amountFen: number },
  refundFen: number,
): Promise<boolean> {
  if (!(await ctx.repos.payments.claimRefund({ orderId: payment.orderId, transactionId: payment.transactionId, amountFen: refundFen }))) {
    return false
  }
  const { refundId } = await ctx.payments.refund({ ...payment, refundFen })
  await ctx.repos.payments.setProviderRefundId(payment.transactionId, refundId)
  return true
}

/**
 * Keeps a refused notify for inspection, bounded: its body cut to a few KB, and only while the
 * bucket of the provider's rejections for that reason (`NOTIFY_REJECTIONS`, cloud/core/limits.ts)
 * has a token, so a flood of forged notifies stores at most the burst and the rate. False when it
 * was not stored.
 */
export async function logRejection(ctx: Ctx, provider: string, reason: string, body: unknown): Promise<boolean> {
  return ctx.repos.payments.logRejection(provider, reason, boundedJson(body, REJECTION_BODY_BYTES), {
    key: limitKeys.notifyRejection(provider, reason),
    rule: NOTIFY_REJECTIONS,
  })
}

export type NotifyOutcome =
  | { accepted: true; outcome: 'paid' | 'duplicate' | 'refunded_after_cancel' | 'refunded_group_ended' }
  | { accepted: false; reason: 'UNKNOWN_ORDER' | 'AMOUNT_MISMATCH' | 'SECOND_PAYMENT_REFUNDED' }

/**
 * The only way an order becomes paid. Idempotent: however often and however concurrently the same
 * notify arrives, the order moves from pending to paid once and one payment is recorded. Money
 * that arrives for an order a cancel already closed is refunded, never kept for nothing.
 */
export async function onPaid(ctx: Ctx, n: VerifiedNotify): Promise<NotifyOutcome> {
  const now = ctx.now()
  const payment = {
    orderId: n.orderId,
    provider: n.provider,
    transactionId: n.transactionId,
    amountFen: n.amountFen,
    paidAt: now,
    raw: n.raw,
  }
  // The usual notify: the order pending and the amount its payable, paid by the one conditional
  // update (which reads the order back in the same statement). Anything else is told apart below.
  const paid = await ctx.repos.orders.transition(n.orderId, ENTERED_FROM.paid, 'paid', now, { actor: SYSTEM, payableFen: n.amountFen })
  if (paid) {
    await ctx.repos.payments.insert({ ...payment, status: 'paid' })
    await ctx.repos.coupons.markUsed(n.orderId, now)
    // A group order: its group counts it (one conditional update on the group's row, locked after
    // the order's, as the expiry locks them); a group that had ended refunds it at once.
    if (paid.kind === 'group' && !(await countPayment(ctx, n.orderId))) {
      // Counted, then refunded: the refund takes off the buyer's spend (and any points earned) what
      // the payment added, so the late payment leaves the tier where it was.
      await memberPaid(ctx, n.orderId)
      await refundLatePayment(ctx, n.orderId)
      return { accepted: true, outcome: 'refunded_group_ended' }
    }
    // What the order earns its sharer and inviter; the buyer's tier and spend and a member's points
    // (pending), one statement sent in the same round trip as the earnings' read.
    await Promise.all([accrueEarnings(ctx, n.orderId), memberPaid(ctx, n.orderId)])
    return { accepted: true, outcome: 'paid' }
  }
  const order = await ctx.repos.orders.get(n.orderId)
  if (!order) {
    await logRejection(ctx, n.provider, 'UNKNOWN_ORDER', n.raw)
    return { accepted: false, reason: 'UNKNOWN_ORDER' }
  }
  if (n.amountFen !== order.payableFen) {
    await logRejection(ctx, n.provider, 'AMOUNT_MISMATCH', n.raw)
    return { accepted: false, reason: 'AMOUNT_MISMATCH' }
  }

  // The order was not pending (read after the update, which waited for a racing cancel's commit).
  const existing = await ctx.repos.payments.byOrder(order.id)
  if (existing?.transactionId === n.transactionId) return { accepted: true, outcome: 'duplicate' }
  if (!existing && order.status === 'cancelled') {
    // The cancel won the race against the payment: record the money and give it back, once.
    await ctx.repos.payments.insert({ ...payment, status: 'refunded' })
    await refundPayment(ctx, { orderId: order.id, transactionId: n.transactionId, amountFen: n.amountFen }, n.amountFen)
    return { accepted: true, outcome: 'refunded_after_cancel' }
  }
  // A second, different payment for an order that is already paid: give it back (once, recorded).
  if (await refundPayment(ctx, { orderId: order.id, transactionId: n.transactionId, amountFen: n.amountFen }, n.amountFen)) {
    await logRejection(ctx, n.provider, 'SECOND_PAYMENT_REFUNDED', n.raw)
  }
  return { accepted: false, reason: 'SECOND_PAYMENT_REFUNDED' }
}
