/**
 * A real stack for one test file: a fresh database in the run's PostgreSQL and the host started as
 * `npm start` starts it (a child process), on a free port. Calls go over HTTP like the app's.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import pg from 'pg'
import { freePort } from '../../cloud/host/postgres'

export const ROOT = path.resolve(__dirname, '..', '..')

export interface CallResult<T = any> {
  status: number
  body: { ok: true; data: T } | { ok: false; error: { code: string; message: string; details?: unknown } }
}

export interface Stack {
  url: string
  databaseUrl: string
  post(pathname: string, body: string | object, headers?: Record<string, string>): Promise<CallResult>
  call<T = any>(fn: string, data: object, token?: string): Promise<CallResult<T>>
  /** Signs in with auth.devLogin and returns the token and user. */
  login(openid: string, nickname?: string): Promise<{ token: string; user: any }>
  /** The data of a call that must succeed. */
  ok<T = any>(fn: string, data: object, token?: string): Promise<T>
  /** What the host printed so far (stdout and stderr). */
  output(): string
  /** The host's process id (the benchmarks read its CPU time). */
  pid: number
  stop(): Promise<void>
}

export async function createTestDatabase(): Promise<string> {
  const base = process.env.TEST_DATABASE_URL
  if (!base) throw new Error('TEST_DATABASE_URL is not set: run through jest (tests/helpers/global-setup.ts)')
  const name = `t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(base)
  url.pathname = `/${name}`
  return url.toString()
}

async function waitHealthy(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`host exited with ${child.exitCode}:\n${output()}`)
    try {
      const res = await fetch(`${url}/api/health`)
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150))
  }
  throw new Error(`host did not become healthy:\n${output()}`)
}

export async function startStack(
  opts: {
    seed?: boolean
    env?: Record<string, string>
    nodeArgs?: string[]
    /** Another stack's database: a second host on it, as CloudBase runs many copies of a function. */
    databaseUrl?: string
  } = {},
): Promise<Stack> {
  const databaseUrl = opts.databaseUrl ?? (await createTestDatabase())
  const port = await freePort()
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', path.join(ROOT, 'cloud/host/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      SEED: opts.seed ? '1' : '0',
      BUILD_H5: '0',
      // The console is built before the tests (npm test's step); many stacks at once never build it each.
      BUILD_ADMIN: '0',
      ADMIN_OPENIDS: 'admin',
      // Every answer is held to the contract's output schema: a wrong shape fails the test as INTERNAL.
      CONTRACT_CHECK_OUTPUTS: '1',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const url = `http://127.0.0.1:${port}`
  await waitHealthy(url, child, () => out)

  const post: Stack['post'] = async (pathname, body, headers = {}) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body)
    const send = () =>
      fetch(`${url}${pathname}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: text })
    let res: Response
    try {
      res = await send()
    } catch (err) {
      // A kept-alive socket the host closed for idleness (10 s) just as a loaded test process sent
      // on it: repeated once, and only for a call with an idempotency key, which the host answers
      // the same however often it comes.
      if (!(isClosedSocket(err) && /"idempotencyKey"\s*:/.test(text))) throw err
      res = await send()
    }
    return { status: res.status, body: (await res.json()) as CallResult['body'] }
  }
  const call: Stack['call'] = (fn, data, token) => post(`/api/fn/${fn}`, data, token ? { authorization: `Bearer ${token}` } : {})
  const ok: Stack['ok'] = async (fn, data, token) => {
    const r = await call(fn, data, token)
    if (!r.body.ok) throw new Error(`${fn}.${(data as any).action} failed: ${JSON.stringify(r.body.error)}`)
    return r.body.data
  }
  return {
    url,
    databaseUrl,
    post,
    call,
    ok,
    output: () => out,
    pid: child.pid!,
    async login(openid, nickname) {
      return ok('auth', { action: 'devLogin', openid, ...(nickname ? { nickname } : {}) })
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        // A host finishing slow requests on a loaded machine may take longer than jest's 5 s hook
        // timeout to close; after 3 s it is killed (the test's database rolls back whatever it held).
        const kill = setTimeout(() => child.kill('SIGKILL'), 3000)
        await exited
        clearTimeout(kill)
      }
    },
  }
}

/**
 * fetch's failure when the other side closed the connection before any answer: what a client sees
 * when it reuses a kept-alive socket the server closed a moment before (the request never reached it).
 */
export function isClosedSocket(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause
  return err instanceof TypeError && cause?.code === 'UND_ERR_SOCKET' && cause.message === 'other side closed'
}
