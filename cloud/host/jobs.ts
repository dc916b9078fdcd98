import { runJobs } from '../core/jobs'
import { runAsSystem, type Deps } from '../functions/define'

/** The local host's timer for the scheduled work (cloud/core/jobs.ts); in CloudBase the `jobs` function runs it on a timer trigger. */
export function startJobs(deps: Deps, intervalMs: number, log: (m: string) => void): () => void {
  let running = false
  const tick = async () => {
    if (running) return
    running = true
    try {
      const run = await runJobs((fn) => runAsSystem(deps, fn))
      if (run.cancelled > 0) log(`cancelled ${run.cancelled} unpaid order(s) past their deadline`)
      if (run.completed > 0) log(`completed ${run.completed} shipped order(s) automatically`)
      if (run.sent > 0) log(`sent ${run.sent} subscribe message(s)`)
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
