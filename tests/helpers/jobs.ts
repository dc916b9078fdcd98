/**
 * The scheduled work (cloud/core/jobs.ts `runJobs`) run from the test process against a stack's
 * database, with the clock the test names: time passes by running the jobs at a later `now`
 * (`Deps.now`), not by waiting for the host's timer or moving timestamps in SQL. The services are the
 * sandboxes the host itself builds (cloud/host/services.ts), the config the host's from the same env.
 */
import { runJobs, type JobsRun } from '../../cloud/core/jobs'
import { createDatabase } from '../../cloud/db/database'
import { runAsSystem, type Deps } from '../../cloud/functions/define'
import { checkHostSettings, hostServices } from '../../cloud/host/services'
import type { Stack } from './stack'

export interface Jobs {
  /** Runs every job once, as the host's timer would, with the clock at `now`. */
  runAt(now: Date): Promise<JobsRun>
  close(): Promise<void>
}

export const minutesFromNow = (n: number): Date => new Date(Date.now() + n * 60_000)
export const daysFromNow = (n: number): Date => new Date(Date.now() + n * 86_400_000)

/** The jobs of `stack`; `env` is the env the stack was started with (ORDER_PAY_MINUTES, REFUND_WINDOW_DAYS…). */
export async function jobsFor(stack: Pick<Stack, 'url' | 'databaseUrl'>, env: Record<string, string> = {}): Promise<Jobs> {
  const checked = checkHostSettings(env)
  if (!checked.ok) throw new Error(`jobsFor: ${checked.problems.join('; ')}`)
  const db = createDatabase(stack.databaseUrl, { max: 4 })
  const host = await hostServices(checked.settings, { db, databaseUrl: stack.databaseUrl, baseUrl: stack.url })
  const deps: Deps = { ...host.services, db, config: checked.settings.config }
  return {
    runAt: (now) => runJobs((fn) => runAsSystem({ ...deps, now: () => now }, fn)),
    async close() {
      await host.close()
      await db.close()
    },
  }
}
