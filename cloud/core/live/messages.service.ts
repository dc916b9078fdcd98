/** The scheduled side of subscribe messages (cloud/core/jobs.ts): queueing reminders and sending the outbox. */
import type { Ctx } from '../context'

/** Sends what the outbox holds, each message once; a failed send is retried on the next run. */
export async function processOutbox(ctx: Ctx, limit = 50): Promise<number> {
  let sent = 0
  for (const m of await ctx.repos.outbox.claimPending(limit)) {
    try {
      await ctx.notifier.send({ openid: m.openid, ...m.payload })
      await ctx.repos.outbox.markSent(m.id, ctx.now())
      sent++
    } catch {
      await ctx.repos.outbox.markFailed(m.id)
    }
  }
  return sent
}

/** Queues one reminder per held coupon that expires within 24 hours. */
export async function queueCouponExpiryReminders(ctx: Ctx): Promise<number> {
  const now = ctx.now()
  let queued = 0
  for (const c of await ctx.repos.outbox.expiringCoupons(now, new Date(now.getTime() + 86_400_000))) {
    const ok = await ctx.repos.outbox.enqueue('coupon_expiring', c.userId, `coupon_expiring:${c.userCouponId}`, {
      template: 'coupon_expiring',
      page: 'packages/coupon/mine/index',
      data: {
        title: c.title.slice(0, 20),
        expires: c.validTo.toISOString().slice(0, 16).replace('T', ' '),
        tip: '优惠券即将过期，记得使用',
      },
    })
    if (ok) queued++
  }
  return queued
}
