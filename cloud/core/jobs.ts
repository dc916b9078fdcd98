/**
 * The scheduled work, in one list for every host: the local host's timer and CloudBase's `jobs`
 * function both run `runJobs`. Each step runs in a transaction of its own (`inTx`), and each expired
 * order in one of its own, so one order's trouble (a deadlock victim, a lock held by a shopper's
 * cancel) never rolls back the others.
 */
import type { Ctx } from './context'
import { settleEarnings } from './deal/deal.service'
import { pruneAbuseStorage } from './limits'
import { processOutbox, queueCouponExpiryReminders } from './live/messages.service'
import { expiredOrders, expireOne } from './order/expiry.service'

/** Runs `fn` in one transaction with no caller. */
export type InTransaction = <T>(fn: (ctx: Ctx) => Promise<T>) => Promise<T>

export interface JobsRun {
  cancelled: number
  reminders: number
  settled: number
  sent: number
  pruned: { rejections: number; buckets: number; sessions: number; tickets: number }
}

export async function runJobs(inTx: InTransaction): Promise<JobsRun> {
  let cancelled = 0
  for (const orderId of await inTx((ctx) => expiredOrders(ctx))) {
    if (await inTx((ctx) => expireOne(ctx, orderId))) cancelled++
  }
  const reminders = await inTx((ctx) => queueCouponExpiryReminders(ctx))
  const settled = await inTx((ctx) => settleEarnings(ctx))
  const sent = await inTx((ctx) => processOutbox(ctx))
  const pruned = await inTx((ctx) => pruneAbuseStorage(ctx))
  return { cancelled, reminders, settled, sent, pruned }
}
