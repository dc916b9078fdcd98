import pg from 'pg'
import type { Repos } from '../core/ports'
import { addressRepo } from './repos/address.repo'
import { cartRepo } from './repos/cart.repo'
import { consoleTicketRepo } from './repos/console-ticket.repo'
import { catalogRepo } from './repos/catalog.repo'
import { couponRepo } from './repos/coupon.repo'
import { dealRepo } from './repos/deal.repo'
import { earningsRepo } from './repos/earnings.repo'
import { withdrawalRepo } from './repos/withdrawal.repo'
import { flashRepo } from './repos/flash.repo'
import { limitRepo } from './repos/limit.repo'
import { liveRepo } from './repos/live.repo'
import { outboxRepo } from './repos/outbox.repo'
import { orderRepo } from './repos/order.repo'
import { paymentRepo } from './repos/payment.repo'
import { sessionRepo } from './repos/session.repo'
import { settingsRepo } from './repos/settings.repo'
import { shareRepo } from './repos/share.repo'
import { auditRepo, staffRepo } from './repos/staff.repo'
import { userRepo } from './repos/user.repo'
import { deskRepo } from './repos/desk.repo'
import { membersRepo } from './repos/members.repo'
import { dashboardRepo } from './repos/dashboard.repo'
import { showsRepo } from './repos/shows.repo'
import { sharerRepo } from './repos/sharer.repo'

// int8 (bigint) as a JS number: our counts and sequences stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))
// numeric (commission rates) as a number.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v))

/** Anything that runs a query: the pool or one checked-out client inside a transaction. */
export type Queryable = Pick<pg.ClientBase, 'query'>

/**
 * One transaction's client, its queries sent one after another. Core services start several repo
 * calls at once with `Promise.all` on the one transaction (live.service's roomView, deal.service's
 * status, order.service's attribution…). node-postgres still queues such queries on the client, but
 * deprecates it ("Calling client.query() when the client is already executing a query is
 * deprecated", printed at the first call that does it) and pg 9 drops the queue. Chaining here, the
 * one place a transaction's client is handed out, keeps every `Promise.all` in core correct without
 * core knowing what a connection is. A failed query doesn't stop the chain: the next one runs (and
 * fails too, the transaction being aborted, for whoever awaits it). Promise forms only: a callback
 * or a submittable (cursor, stream) would escape the order, so they are refused.
 */
function inTurn(client: pg.ClientBase): Queryable {
  let last: Promise<unknown> = Promise.resolve()
  const query = (...args: unknown[]): Promise<unknown> => {
    if (args.some((a) => typeof a === 'function' || typeof (a as { submit?: unknown } | null)?.submit === 'function')) {
      throw new TypeError('a transaction runs promise queries only (no callbacks, cursors or streams)')
    }
    const run = last.then(() => (client.query as (...a: unknown[]) => Promise<unknown>)(...args))
    last = run.then(
      () => undefined,
      () => undefined,
    )
    return run
  }
  return { query } as Queryable
}

/** The repos over `q`; the rate limiter's over `autocommit`, statements that commit on their own whatever the call does. */
export function reposFor(q: Queryable, autocommit: Queryable = q): Repos {
  return {
    users: userRepo(q),
    sessions: sessionRepo(q),
    catalog: catalogRepo(q),
    cart: cartRepo(q),
    addresses: addressRepo(q),
    orders: orderRepo(q),
    shares: shareRepo(q),
    payments: paymentRepo(q),
    settings: settingsRepo(q),
    coupons: couponRepo(q),
    live: liveRepo(q),
    outbox: outboxRepo(q),
    flash: flashRepo(q),
    deals: dealRepo(q),
    earnings: earningsRepo(q),
    withdrawals: withdrawalRepo(q),
    limits: limitRepo(autocommit),
    staff: staffRepo(q),
    audit: auditRepo(q),
    consoleTickets: consoleTicketRepo(q),
    desk: deskRepo(q),
    members: membersRepo(q),
    dashboard: dashboardRepo(q),
    shows: showsRepo(q),
    sharers: sharerRepo(q),
  }
}

export interface Database {
  /** Runs `fn` in one transaction (READ COMMITTED): commit when it returns, roll back when it throws. */
  transaction<T>(fn: (repos: Repos, q: Queryable) => Promise<T>): Promise<T>
  /**
   * Whether PostgreSQL answers `SELECT 1` within `timeoutMs` (default 1 s), on a connection of its
   * own so a busy pool never reads as a dead database. Concurrent pings share one query.
   * Absent on test doubles.
   */
  ping?(timeoutMs?: number): Promise<boolean>
  pool: pg.Pool
  close(): Promise<void>
}

/** A query with a read timeout of its own (pg honours `query_timeout` per query; its types omit it). */
const bounded = (text: string, timeoutMs: number): pg.QueryConfig => Object.assign({ text }, { query_timeout: timeoutMs })

/**
 * Keeps a pool's connections from crashing the process when the server goes away. The pool listens
 * for errors on idle clients only: a client it has just connected and handed out has no listener
 * until the caller runs a query, and a server shutting down can send ReadyForQuery and then a FATAL
 * in the same read (seen on kill -9 of PostgreSQL): an unhandled 'error' event. Every client keeps a
 * listener of its own; a client that failed is discarded by the pool when it is released.
 */
function survive(pool: pg.Pool, onIdleError: (err: Error) => void): pg.Pool {
  pool.on('error', onIdleError)
  pool.on('connect', (client) => client.on('error', () => undefined))
  return pool
}

export interface DatabaseOptions {
  /** Connections in the pool (default 10). */
  max?: number
  /** How long a call waits for a connection (a free one, or a new one) before it fails (default 10 s). */
  connectionTimeoutMs?: number
  /** PostgreSQL's statement_timeout for these connections (default 10 s); the client gives up 5 s after. */
  statementTimeoutMs?: number
}

export function createDatabase(connectionString: string, opts: DatabaseOptions = {}): Database {
  const statementTimeout = opts.statementTimeoutMs ?? 10_000
  const pool = new pg.Pool({
    connectionString,
    max: opts.max ?? 10,
    idleTimeoutMillis: 30_000,
    // With PostgreSQL down or hung, a call fails (500 INTERNAL) in bounded time instead of waiting forever.
    connectionTimeoutMillis: opts.connectionTimeoutMs ?? 10_000,
    statement_timeout: statementTimeout,
    // A backstop for a server that stops answering altogether (statement_timeout is the server's own).
    query_timeout: statementTimeout + 5_000,
  })
  // An idle client losing its connection (database restart) must not crash the process.
  survive(pool, (err) => console.error('[db] idle client error:', err.message))
  // The rate limiter's statements run outside the call's transaction, on a small pool of their own:
  // from inside a transaction they must never wait for the pool that transaction holds (with every
  // connection held by a call waiting for one more, nothing would ever move).
  const autocommit = new pg.Pool({
    connectionString,
    max: 2,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: opts.connectionTimeoutMs ?? 10_000,
    statement_timeout: statementTimeout,
    query_timeout: statementTimeout + 5_000,
  })
  survive(autocommit, (err) => console.error('[db] idle client error:', err.message))

  let healthPool: pg.Pool | undefined
  let pinging: Promise<boolean> | undefined
  const ping = async (timeoutMs: number): Promise<boolean> => {
    if (!healthPool) {
      healthPool = new pg.Pool({ connectionString, max: 1, idleTimeoutMillis: 10_000, connectionTimeoutMillis: timeoutMs })
      survive(healthPool, () => undefined)
    }
    let client: pg.PoolClient | undefined
    try {
      // Both steps are bounded: connecting by connectionTimeoutMillis, the query by its own timeout.
      client = await healthPool.connect()
      await client.query(bounded('SELECT 1', timeoutMs))
      client.release()
      return true
    } catch (err) {
      // A connection that failed or hung is thrown away, never reused for the next check.
      client?.release(err instanceof Error ? err : true)
      return false
    }
  }

  /**
   * One transaction, opened lazily: the connection is taken and BEGIN sent at its first query, so a
   * call answered without the database (a cached live.sync, a refusal before any read) costs no
   * connection and no round trip. A call that made no query commits nothing.
   */
  const once = async <T>(fn: (repos: Repos, q: Queryable) => Promise<T>): Promise<T> => {
    let client: pg.PoolClient | undefined
    // A connection that broke under this transaction (the server died, a read timed out) must not
    // go back to the pool: it is released with the error, which makes the pool discard it.
    let broken: Error | undefined
    const onError = (err: Error) => (broken ??= err)
    let opening: Promise<Queryable> | undefined
    // Everything of this transaction goes through one chain, BEGIN, COMMIT and ROLLBACK too: they
    // wait for queries `fn` left running (a Promise.all that rejected early leaves its siblings in flight).
    const open = () =>
      (opening ??= (async () => {
        client = await pool.connect()
        client.on('error', onError)
        const chain = inTurn(client)
        const begun = chain.query('BEGIN')
        // Nothing runs outside the transaction: a BEGIN that failed fails every query after it.
        return { query: (...args: unknown[]) => begun.then(() => (chain.query as (...a: unknown[]) => unknown)(...args)) } as Queryable
      })())
    const lazy = { query: (...args: unknown[]) => open().then((chain) => (chain.query as (...a: unknown[]) => unknown)(...args)) } as Queryable
    try {
      const result = await fn(reposFor(lazy, autocommit), lazy)
      if (opening) await (await opening).query('COMMIT')
      return result
    } catch (err) {
      if (opening) {
        const chain = await opening.catch(() => undefined)
        await chain?.query(bounded('ROLLBACK', 2_000)).catch((e: unknown) => {
          broken ??= e instanceof Error ? e : new Error(String(e))
        })
      }
      throw err
    } finally {
      if (client) {
        client.removeListener('error', onError)
        client.release(broken)
      }
    }
  }

  return {
    pool,
    async transaction(fn) {
      // A deadlock or a serialization failure rolled the whole transaction back, so running it again
      // is safe; PostgreSQL names one victim of a deadlock and the retry usually passes at once.
      for (let attempt = 1; ; attempt++) {
        try {
          return await once(fn)
        } catch (err) {
          const code = (err as { code?: unknown }).code
          if (attempt >= 3 || (code !== '40P01' && code !== '40001')) throw err
          await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt))
        }
      }
    },
    ping(timeoutMs = 1_000) {
      pinging ??= ping(timeoutMs).finally(() => (pinging = undefined))
      return pinging
    },
    async close() {
      await Promise.all([pool.end(), autocommit.end(), healthPool?.end()])
    },
  }
}
