/** What every benchmark section shares: a result row, percentiles, and a driver for concurrent work. */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { ROOT } from '../tests/helpers/stack'

export { ROOT }
export const CONCURRENCY = 64

export interface Row {
  name: string
  value: string
  note: string
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

export const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`
export const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`

/** Runs `total` jobs on `concurrency` workers; answers ops/s and latency percentiles (ms). */
export async function drive(total: number, concurrency: number, job: (worker: number) => Promise<void>) {
  let next = 0
  const latencies: number[] = []
  const started = process.hrtime.bigint()
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      while (next < total) {
        next++
        const t0 = process.hrtime.bigint()
        await job(w)
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6)
      }
    }),
  )
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  latencies.sort((a, b) => a - b)
  return { perSecond: total / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) }
}

/** Times `runs` sequential calls of `job`; answers p50/p99 in ms. */
export async function timeEach(runs: number, job: () => Promise<void>) {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint()
    await job()
    times.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  times.sort((a, b) => a - b)
  return { p50: percentile(times, 50), p99: percentile(times, 99) }
}

/** Runs a command in the repository, its output kept back unless it fails. */
export function run(title: string, cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  console.log(`  ${title}…`)
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } })
  if (r.status !== 0) throw new Error(`${title} failed:\n${r.stdout}\n${r.stderr}`)
}

export const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name)
