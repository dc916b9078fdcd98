import { createHash } from 'node:crypto'
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
import { membershipRepo } from './repos/membership.repo'
import { dashboardRepo } from './repos/dashboard.repo'
import { showsRepo } from './repos/shows.repo'
import { sharerRepo } from './repos/sharer.repo'
import { assistRepo } from './repos/assist.repo'
import { groupRepo } from './repos/group.repo'
import { playsRepo } from './repos/plays.repo'
import { memberJoinRepo } from './repos/member-join.repo'

// int8 (bigint) as a JS number: our counts and sequences stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))
// numeric (commission rates) as a number.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v))

/** Anything that runs a query: the pool or one checked-out client inside a transaction. */
export type Queryable = Pick<pg.ClientBase, 'query'>

/**
 * `prepareValue` of node-postgres: how it turns a parameter into the text it binds (pg/lib/utils).
 * This file uses node-postgres internals (the connection's parse/bind/execute/sync, parsedStatements,
 * Query's result handling): package.json pins pg's exact version, and tests/integration/last-statement
 * exercises each use, so an upgrade that changes them fails there first.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (v: unknown) => unknown }

/**
 * Several statements in one round trip, through the extended protocol: each one's Parse, Bind,
 * Describe and Execute, then a single Sync. PostgreSQL runs them one after another, each with a
 * snapshot of its own (READ COMMITTED: the second sees what the first waited for), and after the
 * first that fails skips the rest up to the Sync: none of them runs after an error. The answer is
 * every statement's result, in order. node-postgres sends one statement per round trip (its
 * Query ends each with a Sync and waits for ReadyForQuery); this submittable is the one place that
 * sends more. `completed` counts the statements that ran to completion (a failed batch: which one failed).
 */
class Batch extends pg.Query {
  completed = 0
  /** Indexes of the named statements this batch parses (see `prepared`). */
  parsing: number[] = []
  /** The error the batch failed with, if it did (settleNames reads its SQLSTATE). */
  error?: Error & { code?: string }
  constructor(readonly statements: readonly Statement[]) {
    super({ text: statements.map((s) => s.text).join(';\n') })
  }
}
// node-postgres calls `submit` with its connection; the typings leave these members out.
Object.assign(Batch.prototype, {
  submit(this: Batch, connection: PgConnection): Error | null {
    let bound: unknown[][]
    try {
      // Values mapped before anything is written: a value that can't be sent fails the batch alone.
      bound = this.statements.map((s) => (s.values ?? []).map((v) => prepareValue(v)))
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err))
    }
    const parsed = connection.parsedStatements
    const doubt = (connection.doubtfulStatements ??= new Set())
    connection.stream.cork?.()
    try {
      // A name asked twice in one round trip is parsed once: a second Parse of it would fail (42P05).
      const parsingNow = new Set<string>()
      this.statements.forEach((s, i) => {
        if (s.name && parsed[s.name] !== s.text && !parsingNow.has(s.name)) {
          parsingNow.add(s.name)
          // A name whose Parse may have run in a batch that failed: closed first (closing none is no error).
          if (doubt.has(s.name) || parsed[s.name] !== undefined) connection.close({ type: 'S', name: s.name })
          connection.parse({ name: s.name, text: s.text })
          this.parsing.push(i)
        } else if (!s.name) connection.parse({ text: s.text })
        connection.bind({ statement: s.name ?? '', values: bound[i]! })
        connection.describe({ type: 'P', name: '' })
        connection.execute({})
      })
      connection.sync()
    } finally {
      connection.stream.uncork?.()
    }
    return null
  },
  handleCommandComplete(this: Batch, msg: unknown, connection: unknown) {
    this.completed++
    ;(pg.Query.prototype as unknown as { handleCommandComplete: (m: unknown, c: unknown) => void }).handleCommandComplete.call(
      this,
      msg,
      connection,
    )
  },
})

/** After a batch: its named statements are prepared on the connection, or in doubt when it failed before they ran. */
function settleNames(batch: Batch, connection: PgConnection, failed: boolean): void {
  const doubt = (connection.doubtfulStatements ??= new Set())
  for (const i of batch.parsing) {
    const { name, text } = batch.statements[i]!
    // The statement that failed was parsed unless the failure was its Parse (a class 42 error: syntax,
    // an unknown object, a name already taken); one that failed running it (a refusal raised by
    // refuse_if_null, a timeout, a unique violation) exists on the server. The server skipped the rest.
    const failedRunning = i === batch.completed && !String(batch.error?.code ?? '').startsWith('42')
    if (!failed || i < batch.completed || failedRunning) {
      connection.parsedStatements[name!] = text
      doubt.delete(name!)
    } else {
      delete connection.parsedStatements[name!]
      doubt.add(name!)
    }
  }
}

interface PgConnection {
  stream: { cork?: () => void; uncork?: () => void }
  parsedStatements: Record<string, string>
  doubtfulStatements?: Set<string>
  parse(q: { text: string; name?: string }): void
  bind(c: { statement: string; values: unknown[] }): void
  close(c: { type: 'S'; name: string }): void
  describe(c: { type: 'P'; name: string }): void
  execute(c: object): void
  sync(): void
}

/** Sends `statements` in one round trip on `client` (see Batch): their results in order. */
function sendBatch(client: pg.ClientBase, statements: readonly Statement[]) {
  const batch = new Batch(statements)
  const connection = (client as unknown as { connection: PgConnection }).connection
  const done = new Promise<pg.QueryResult[]>((resolve, reject) => {
    ;(batch as unknown as { callback: (err: Error | null, res: pg.QueryResult | pg.QueryResult[]) => void }).callback = (err, res) => {
      if (err) batch.error = err
      settleNames(batch, connection, !!err)
      if (err) {
        const partial = (batch as unknown as { _results: pg.QueryResult | pg.QueryResult[] })._results
        reject(Object.assign(err, { batchCompleted: batch.completed, batchResults: Array.isArray(partial) ? partial : [partial] }))
      } else resolve(Array.isArray(res) ? res : [res])
    }
  })
  traffic.count(statements.length)
  client.query(batch as unknown as pg.QueryConfig)
  return done
}

/**
 * A statement prepared once per connection and run by name after: PostgreSQL parses and plans it
 * once (a generic plan after five runs), which is most of the cost of a short statement. For the
 * hot statements whose plan does not depend on their values (lookups by key): `{ ...prepared(SQL), values }`.
 * Named by a hash of the text, so two texts never share a name.
 */
export function prepared(text: string): { name: string; text: string } {
  let hit = preparedNames.get(text)
  if (!hit) preparedNames.set(text, (hit = { name: `w_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`, text }))
  return hit
}
const preparedNames = new Map<string, { name: string; text: string }>()

/**
 * Round trips and statements sent to PostgreSQL by this process, counted only when the host runs
 * with DB_COUNT_TRAFFIC=1 (the checkout bench reads them at /api/debug/db-traffic; never set in
 * production). Every pool of createDatabase counts, the rate limiter's and the sandboxes' too; a
 * batch is one round trip of several statements, BEGIN, COMMIT and ROLLBACK are statements.
 */
export const traffic = {
  enabled: process.env.DB_COUNT_TRAFFIC === '1',
  roundTrips: 0,
  statements: 0,
  count(statements: number) {
    if (!this.enabled) return
    this.roundTrips++
    this.statements += statements
  },
}

/** Counts a client's own queries (one statement, one round trip each; batches count themselves). */
function counted(client: pg.ClientBase): void {
  if (!traffic.enabled) return
  const query = client.query.bind(client) as (...a: unknown[]) => unknown
  ;(client as { query: unknown }).query = (...args: unknown[]) => {
    if (!(args[0] instanceof Batch)) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | null)?.text
      traffic.count(text?.startsWith('BEGIN;') ? 2 : 1)
    }
    return query(...args)
  }
}

/** The error a refusal raised inside the database carries (SQLSTATE WS409, `refuse_if_null`, migration 039). */
export const REFUSAL_SQLSTATE = 'WS409'

/** The refusal a statement raised with `refuse_if_null(value, refusal)`, or null for any other error. */
export function refusalOf(err: unknown): string | null {
  return (err as { code?: unknown } | null)?.code === REFUSAL_SQLSTATE ? String((err as Error).message) : null
}

/** A query as the repos write it: text and values (a submittable, cursor or callback is never one). */
type Statement = { text: string; values?: readonly unknown[]; name?: string }

function statementOf(args: unknown[]): Statement {
  const [first, second] = args
  if (args.some((a) => typeof a === 'function' || typeof (a as { submit?: unknown } | null)?.submit === 'function')) {
    throw new TypeError('a transaction runs promise queries only (no callbacks, cursors or streams)')
  }
  if (typeof first === 'string') return { text: first, values: second as unknown[] | undefined }
  const config = first as pg.QueryConfig & { rowMode?: unknown }
  if (config.rowMode || config.types) throw new TypeError('a transaction runs plain queries (no rowMode or types)')
  return { text: config.text, values: (second as unknown[] | undefined) ?? config.values, name: config.name }
}

const LAST = Symbol('last statement')
const BATCH = Symbol('batch')

/** A transaction's Queryable: plain queries, and the two ways to send several statements in one round trip. */
interface TxQueryable extends Queryable {
  [LAST](statement: Statement): Promise<pg.QueryResult>
  [BATCH](statements: Statement[]): Promise<pg.QueryResult[]>
}

/**
 * Runs `statements` in one round trip (see Batch): their results in order; the first that fails
 * rejects the whole and none after it runs. In a transaction they run in it, after every query
 * sent before; elsewhere (a pool) on one connection, each committing on its own.
 */
export async function batch(q: Queryable, statements: Statement[]): Promise<pg.QueryResult[]> {
  const tx = (q as Partial<TxQueryable>)[BATCH]
  if (tx) return tx(statements)
  const results: pg.QueryResult[] = []
  for (const s of statements) results.push(await q.query(s.text, s.values as unknown[]))
  return results
}

/**
 * Runs `statement` as the LAST statement of the transaction `q` belongs to, sent with its COMMIT in
 * one round trip: a row it locks (a hot SKU, a coupon) is held for the time the server takes to
 * run it and commit, not for another round trip. When it answers, the transaction has committed:
 * nothing may be read or written in it afterwards (such a query is refused, an Error), and what the
 * call does after it must not fail. A statement that fails — a refusal raised inside it with
 * `refuse_if_null` (read it with `refusalOf`), a conflict, a lost connection — commits nothing:
 * PostgreSQL skips the COMMIT after an error and the transaction is rolled back; the caller must
 * then fail the call (a call that returns normally after a refused last statement is an error,
 * never a success that committed nothing). Outside a transaction (a pool) it simply runs.
 *
 * An update that may match no row refuses through its answer, e.g. (a coupon's last unit):
 *
 *     WITH taken AS (UPDATE coupons SET claimed = claimed + 1 WHERE id = $1 AND claimed < stock RETURNING claimed)
 *     SELECT refuse_if_null((SELECT claimed FROM taken), 'sold_out') AS claimed
 *
 * and the repo maps `refusalOf(err)` back to what core decided (order.repo's takeStockLast).
 */
export async function lastStatement<R extends pg.QueryResultRow = pg.QueryResultRow>(
  q: Queryable,
  statement: Statement,
): Promise<pg.QueryResult<R>> {
  const tx = (q as Partial<TxQueryable>)[LAST]
  if (tx) return (await tx(statement)) as pg.QueryResult<R>
  return q.query<R>(statement.text, statement.values as unknown[])
}

const REPOS: { [K in keyof Repos]: (q: Queryable) => Repos[K] } = {
  users: userRepo,
  sessions: sessionRepo,
  catalog: catalogRepo,
  cart: cartRepo,
  addresses: addressRepo,
  orders: orderRepo,
  shares: shareRepo,
  payments: paymentRepo,
  settings: settingsRepo,
  coupons: couponRepo,
  live: liveRepo,
  outbox: outboxRepo,
  flash: flashRepo,
  deals: dealRepo,
  earnings: earningsRepo,
  withdrawals: withdrawalRepo,
  limits: limitRepo,
  staff: staffRepo,
  audit: auditRepo,
  consoleTickets: consoleTicketRepo,
  desk: deskRepo,
  members: membersRepo,
  membership: membershipRepo,
  dashboard: dashboardRepo,
  shows: showsRepo,
  sharers: sharerRepo,
  assists: assistRepo,
  groups: groupRepo,
  plays: playsRepo,
  memberJoins: memberJoinRepo,
}

/**
 * The repos over `q`; the rate limiter's over `autocommit`, statements that commit on their own
 * whatever the call does. Each repo is made at its first use: a call uses two or three of the 25, and
 * making all of them for every call was a tenth of a cached live poll's CPU.
 */
export function reposFor(q: Queryable, autocommit: Queryable = q): Repos {
  return new LazyRepos(q, autocommit) as unknown as Repos
}

/** Repos made at first use, each kept on the instance: the getters live once on the prototype. */
class LazyRepos {
  readonly made: Partial<Repos> = {}
  constructor(
    readonly q: Queryable,
    readonly autocommit: Queryable,
  ) {}
}
for (const key of Object.keys(REPOS) as Array<keyof Repos>) {
  Object.defineProperty(LazyRepos.prototype, key, {
    enumerable: true,
    get(this: LazyRepos) {
      return (this.made[key] ??= REPOS[key](key === 'limits' ? this.autocommit : this.q) as never)
    },
  })
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
  pool.on('connect', (client) => {
    client.on('error', () => undefined)
    counted(client)
  })
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
   * One transaction, opened lazily: the connection is taken at its first query, which carries the
   * BEGIN in the same round trip (a batch), so a call answered without the database (a cached
   * live.sync, a refusal before any read) costs no connection and no round trip, and one that reads
   * pays no round trip for its BEGIN. A call that made no query commits nothing. Its queries are
   * sent one after another (see `run`); `lastStatement` sends the last one with the COMMIT.
   */
  const once = async <T>(fn: (repos: Repos, q: Queryable) => Promise<T>): Promise<T> => {
    let client: pg.PoolClient | undefined
    // A connection that broke under this transaction (the server died, a read timed out) must not
    // go back to the pool: it is released with the error, which makes the pool discard it.
    let broken: Error | undefined
    const onError = (err: Error) => (broken ??= err)
    let connecting: Promise<pg.PoolClient> | undefined
    const connect = () =>
      (connecting ??= pool.connect().then((c) => {
        client = c
        c.on('error', onError)
        return c
      }))
    /** Whether BEGIN was sent (with the first query); `failedToBegin`: the batch carrying it failed before BEGIN ran. */
    let begun = false
    let failedToBegin: Error | undefined
    /** `lastQueued`: the last statement (or the COMMIT) was asked for; `outcome`: how it ended once sent. */
    let lastQueued = false
    let outcome: 'committed' | 'failed' | undefined
    /** Why the commit failed (the COMMIT itself, or the statement sent with it). */
    let commitError: Error | undefined
    /** The call failed: whatever it left queued is not sent (a last statement among it would commit). */
    let abandoned = false
    // Everything of this transaction goes through one chain, ROLLBACK too. Core services start several
    // repo calls at once with Promise.all on the one transaction (live.service's roomView,
    // deal.service's status…): node-postgres would queue them, but deprecates it and pg 9 drops the
    // queue, so each waits here for the one before. A failed query doesn't stop the chain: the next
    // runs (and fails too, the transaction being aborted, for whoever awaits it); ROLLBACK waits for
    // queries `fn` left running (a Promise.all that rejected early leaves its siblings in flight).
    let chain: Promise<unknown> = Promise.resolve()
    type Outcome = { ok: true; result: pg.QueryResult } | { ok: false; error: Error }
    /** Sends `statements` (and the COMMIT with `commit`) in one round trip, once the chain is free: each one's outcome. */
    const send = async (statements: Statement[], commit: boolean): Promise<Outcome[]> => {
      const all = (error: Error): Outcome[] => statements.map(() => ({ ok: false, error }))
      if (failedToBegin) return all(failedToBegin)
      if (abandoned) return all(new Error('the call failed before this query was sent'))
      let c: pg.PoolClient
      try {
        c = await connect()
      } catch (err) {
        return all(err as Error)
      }
      // A transaction of one statement is that statement alone: it commits on its own (no BEGIN, no COMMIT).
      const alone = !begun && commit && statements.length === 1
      const head = begun || alone ? [] : [{ text: 'BEGIN' }]
      begun ||= !alone
      const sent: Statement[] = [...head, ...statements, ...(commit && !alone ? [{ text: 'COMMIT' }] : [])]
      try {
        // One statement (after BEGIN): node-postgres's own query, as it always sent them.
        const results =
          sent.length === 1 && !sent[0]!.name ? [await c.query(sent[0]!.text, sent[0]!.values as unknown[])] : await sendBatch(c, sent)
        if (commit) {
          // A COMMIT of a transaction that an earlier (swallowed) error aborted answers ROLLBACK: nothing committed.
          const tag = alone ? 'COMMIT' : results[results.length - 1]?.command
          if (tag !== 'COMMIT') {
            outcome = 'failed'
            commitError = new Error(`the transaction was rolled back at its commit (${tag ?? 'no answer'}): an earlier statement failed`)
          } else outcome = 'committed'
        }
        return results.slice(head.length, head.length + statements.length).map((result) => ({ ok: true, result }))
      } catch (e) {
        const err = e as Error & { batchCompleted?: number; batchResults?: pg.QueryResult[]; code?: unknown }
        const completed = err.batchCompleted ?? 0
        // Nothing may run outside the transaction: a batch that failed before its BEGIN ran fails every query after it.
        if (head.length && completed === 0) failedToBegin = err
        // No SQLSTATE: the client gave up (a read timeout) or the connection broke; it is not reused.
        if (typeof err.code !== 'string') broken ??= err
        if (commit) {
          outcome = 'failed'
          commitError = err
        }
        // Those before the failure ran; the failed one has the error; the server skipped the rest, as an
        // aborted transaction would have refused them.
        const skipped = Object.assign(new Error(`not run: an earlier statement of its round trip failed (${err.message})`), {
          code: '25P02',
        })
        return statements.map((_, i): Outcome => {
          const at = head.length + i
          if (at < completed) return { ok: true, result: err.batchResults![at]! }
          return { ok: false, error: at === completed || sent.length === 1 ? err : skipped }
        })
      }
    }
    const onChain = <T>(work: () => Promise<T>): Promise<T> => {
      const done = chain.then(work)
      chain = done.then(
        () => undefined,
        () => undefined,
      )
      return done
    }
    const refuseAfterLast = () =>
      Promise.reject(new Error('the transaction already ended with its last statement; nothing may run in it after it'))
    /** Explicit round trips: a last statement with the COMMIT, or the COMMIT alone. */
    const run = (statements: Statement[], commit: boolean): Promise<pg.QueryResult[]> => {
      if (lastQueued) return refuseAfterLast()
      if (commit) lastQueued = true
      return onChain(() => send(statements, commit)).then((outcomes) => {
        const failed = outcomes.find((o) => !o.ok)
        if (failed && !failed.ok) throw failed.error
        // The COMMIT alone (no statement to carry its error), or a COMMIT that rolled back: the call fails.
        if (commit && outcome === 'failed') throw commitError ?? new Error('the transaction failed at its commit')
        return outcomes.map((o) => (o as { result: pg.QueryResult }).result)
      })
    }
    /**
     * Plain queries: those asked while the chain is busy (several repo calls started at once with
     * Promise.all, or a batch) go together in the next round trip, in the order they were asked. Each
     * still runs as its own statement and answers for itself; after one that fails, the server runs
     * none of the rest (they fail, as they would have in the aborted transaction).
     */
    type Group = { statements: Statement[]; waiters: Array<{ resolve: (r: pg.QueryResult) => void; reject: (e: Error) => void }> }
    let open: Group | undefined
    const enqueue = (statement: Statement): Promise<pg.QueryResult> => {
      if (lastQueued) return refuseAfterLast()
      let group = open
      if (!group) {
        const mine: Group = { statements: [], waiters: [] }
        group = open = mine
        void onChain(async () => {
          if (open === mine) open = undefined
          const outcomes = await send(mine.statements, false)
          outcomes.forEach((o, i) => (o.ok ? mine.waiters[i]!.resolve(o.result) : mine.waiters[i]!.reject(o.error)))
        })
      }
      const joined = group
      return new Promise((resolve, reject) => {
        joined.statements.push(statement)
        joined.waiters.push({ resolve, reject })
      })
    }
    const q: TxQueryable = {
      query: ((...args: unknown[]) => enqueue(statementOf(args))) as Queryable['query'],
      [LAST]: (statement) => run([statement], true).then((r) => r[0]!),
      [BATCH]: (statements) => Promise.all(statements.map(enqueue)),
    }
    try {
      const result = await fn(reposFor(q, autocommit), q)
      await chain
      // A refused last statement rolled back: the call must fail, never answer a success that committed nothing.
      if (outcome === 'failed') throw new Error('the last statement of the transaction failed but the call did not: nothing was committed')
      if (begun && !lastQueued) await run([], true)
      return result
    } catch (err) {
      abandoned = true
      await chain
      // A transaction whose last statement committed has nothing to roll back; one that began otherwise does.
      if (begun && outcome !== 'committed' && !failedToBegin) {
        await client?.query(bounded('ROLLBACK', 2_000)).catch((e: unknown) => {
          broken ??= e instanceof Error ? e : new Error(String(e))
        })
      }
      throw err
    } finally {
      if (connecting) await connecting.catch(() => undefined)
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
