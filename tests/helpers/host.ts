/**
 * A host started as a newcomer's `npm start` is: its own process group, its own embedded PostgreSQL
 * under a data dir, on a port; for the tests that kill it, restart it and look at its output.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ROOT } from './stack'

export interface Host {
  child: ChildProcess
  url: string
  output: () => string
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The health status, or 0 when nothing answers. */
export const health = (url: string) =>
  fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5_000) }).then(
    (r) => r.status,
    () => 0,
  )

export async function startHost(dataDir: string, port: number, env: Record<string, string> = {}): Promise<Host> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'cloud/host/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: String(port), BUILD_H5: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, as a terminal's `npm start` is
  })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  while ((await health(url)) !== 200) {
    if (child.exitCode !== null) throw new Error(`host exited: ${out}`)
    if (Date.now() > deadline) throw new Error(`host never became healthy: ${out}`)
    await sleep(200)
  }
  return { child, url, output: () => out }
}

/** One call over HTTP, as the app makes it. */
export async function callHost(url: string, fn: string, data: object, token?: string) {
  const res = await fetch(`${url}/api/fn/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(data),
    signal: AbortSignal.timeout(30_000),
  })
  return { status: res.status, body: (await res.json()) as any }
}

/** Sends `signal` to the host's whole process group and waits for the host to exit. */
export const killGroup = (h: Host, signal: NodeJS.Signals) =>
  new Promise<void>((resolve) => {
    if (h.child.exitCode !== null) return resolve()
    h.child.once('exit', () => resolve())
    process.kill(-h.child.pid!, signal)
  })

/** Temporary data dirs (readable by the postgres user the embedded server runs as), removed after the file. */
export function tempDataDirs(prefix: string): () => string {
  const dirs: string[] = []
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })))
  return () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
    fs.chmodSync(d, 0o755)
    dirs.push(d)
    return d
  }
}
