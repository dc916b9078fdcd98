/**
 * The scheduled work, in one list for every host: the local host's timer and CloudBase's `jobs`
 * function both run `runJobs`. Each step runs in a transaction of its own (`inTx`), and each expired
 * order in one of its own, so one order's trouble (a deadlock victim, a lock held by a shopper's
 * cancel) never rolls back the others.
 */
import type { Ctx } from './context'
import { settleEarnings } from './deal/deal.service'
import { endExpiredGroup, expiredGroups } from './group/group.lifecycle'
import { expirePoints, recomputeTiers, settlePoints } from './member/member.service'
import { pruneAbuseStorage } from './limits'
import { processOutbox, queueCouponExpiryReminders } from './live/messages.service'
import { AUTO_COMPLETE_BATCH, autoCompleteBatch, expiredOrders, expireOne } from './order/expiry.service'

/** Runs `fn` in one transaction with no caller. */
export type InTransaction = <T>(fn: (ctx: Ctx) => Promise<T>) => Promise<T>

export interface JobsRun {
  cancelled: number
  /** Group buys (拼团) ended because their time was up (failed and refunded, or completed as they were). */
  groupsEnded: number
  /** Shipped orders completed by themselves (AUTO_COMPLETE_DAYS after shipping). */
  completed: number
  reminders: number
  settled: number
  /** Orders whose members' points became available; members whose points expired (yearly); tiers moved as orders aged out. */
  points: { settled: number; expired: number; tiers: number }
  sent: number
  pruned: { rejections: number; buckets: number; sessions: number; tickets: number }
}

export async function runJobs(inTx: InTransaction): Promise<JobsRun> {
  // Expired groups first, each in a transaction of its own (its refunds and cancels with it): a
  // joiner's pay deadline is its group's expiresAt, and the group's end cancels it as 拼团已结束.
  let groupsEnded = 0
  for (const groupId of await inTx((ctx) => expiredGroups(ctx))) {
    if (await inTx((ctx) => endExpiredGroup(ctx, groupId))) groupsEnded++
  }
  let cancelled = 0
  for (const orderId of await inTx((ctx) => expiredOrders(ctx))) {
    if (await inTx((ctx) => expireOne(ctx, orderId))) cancelled++
  }
  // Batches of their own, until one comes back short (bounded, so a backlog can't hold the run forever).
  let completed = 0
  for (let batch = 0; batch < 50; batch++) {
    const n = await inTx((ctx) => autoCompleteBatch(ctx))
    completed += n
    if (n < AUTO_COMPLETE_BATCH) break
  }
  const reminders = await inTx((ctx) => queueCouponExpiryReminders(ctx))
  const settled = await inTx((ctx) => settleEarnings(ctx))
  const points = {
    settled: await inTx((ctx) => settlePoints(ctx)),
    expired: await inTx((ctx) => expirePoints(ctx)),
    tiers: await inTx((ctx) => recomputeTiers(ctx)),
  }
  const sent = await inTx((ctx) => processOutbox(ctx))
  const pruned = await inTx((ctx) => pruneAbuseStorage(ctx))
  return { cancelled, groupsEnded, completed, reminders, settled, points, sent, pruned }
}
