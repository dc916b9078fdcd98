import { settleEarnings } from '../core/deal/deal.service'
import { pruneAbuseStorage } from '../core/limits'
import { processOutbox, queueCouponExpiryReminders } from '../core/live/live.service'
import { expireUnpaid } from '../core/order/order.service'
import { runAsSystem, type Deps } from '../functions/define'

/** The local host's scheduler; in CloudBase the `jobs` function runs the same work on a timer trigger. */
export function startJobs(deps: Deps, intervalMs: number, log: (m: string) => void): () => void {
  let running = false
  const tick = async () => {
    if (running) return
    running = true
    try {
      const n = await runAsSystem(deps, (ctx) => expireUnpaid(ctx))
      if (n > 0) log(`cancelled ${n} unpaid order(s) past their deadline`)
      await runAsSystem(deps, (ctx) => queueCouponExpiryReminders(ctx))
      await runAsSystem(deps, (ctx) => settleEarnings(ctx))
      const sent = await runAsSystem(deps, (ctx) => processOutbox(ctx))
      if (sent > 0) log(`sent ${sent} subscribe message(s)`)
      await runAsSystem(deps, (ctx) => pruneAbuseStorage(ctx))
    } catch (err) {
      log(`job failed: ${err instanceof Error ? err.message : String(err)}`)
    } finally {
      running = false
    }
  }
  const timer = setInterval(() => void tick(), intervalMs)
  timer.unref()
  void tick()
  return () => clearInterval(timer)
}
