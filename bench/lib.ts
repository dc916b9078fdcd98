/** What every benchmark section shares: a result row, percentiles, and a driver for concurrent work. */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
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

/** CPU time (ms, user + system) a process has used so far, from /proc; 0 when it is gone. */
export function cpuMsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS
  } catch {
    return 0
  }
}

const CLOCK_TICKS = 100

/** The PostgreSQL server of this run and every backend it started (their parent is the postmaster). */
function postgresPids(): number[] {
  const master = Number(process.env.BENCH_PG_PID ?? 0)
  if (!master) return []
  const pids = [master]
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === master) pids.push(Number(entry))
    } catch {
      // exited meanwhile
    }
  }
  return pids
}

/**
 * CPU used while `work` runs, in ms: by the host process (`hostPid`), by PostgreSQL (the server and
 * all its backends, including ones that exit meanwhile only up to their last reading), and by this
 * process, the load generator. The three share the machine's cores: a rate is honest only beside them.
 */
export async function withCpu<T>(hostPid: number | undefined, work: () => Promise<T>): Promise<{ result: T; cpu: CpuUse }> {
  const pgBefore = new Map(postgresPids().map((p) => [p, cpuMsOf(p)]))
  const hostBefore = hostPid ? cpuMsOf(hostPid) : 0
  const selfBefore = process.cpuUsage()
  const result = await work()
  const self = process.cpuUsage(selfBefore)
  const hostMs = hostPid ? cpuMsOf(hostPid) - hostBefore : 0
  let pgMs = 0
  for (const pid of postgresPids()) pgMs += cpuMsOf(pid) - (pgBefore.get(pid) ?? 0)
  return { result, cpu: { hostMs, pgMs, loadMs: (self.user + self.system) / 1000 } }
}

export interface CpuUse {
  hostMs: number
  pgMs: number
  loadMs: number
}

/** "CPU per request: host 0.21 ms, PostgreSQL 0.40 ms, load generator 0.10 ms" for `n` requests. */
export function cpuPer(cpu: CpuUse, n: number): string {
  const per = (v: number) => `${(v / n).toFixed(2)} ms`
  return `CPU per request: host ${per(cpu.hostMs)}, PostgreSQL ${per(cpu.pgMs)}, load generator ${per(cpu.loadMs)}`
}
