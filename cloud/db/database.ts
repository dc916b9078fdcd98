import pg from 'pg'
import type { Repos } from '../core/ports'
import { addressRepo, cartRepo } from './repos/cart.repo'
import { catalogRepo } from './repos/catalog.repo'
import { couponRepo } from './repos/coupon.repo'
import { dealRepo, earningsRepo } from './repos/deal.repo'
import { flashRepo } from './repos/flash.repo'
import { limitRepo } from './repos/limit.repo'
import { liveRepo, outboxRepo } from './repos/live.repo'
import { orderRepo, paymentRepo, settingsRepo, shareRepo } from './repos/order.repo'
import { sessionRepo, userRepo } from './repos/user.repo'

// int8 (bigint) as a JS number: our counts and sequences stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))
// numeric (commission rates) as a number.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v))

/** Anything that runs a query: the pool or one checked-out client inside a transaction. */
export type Queryable = Pick<pg.ClientBase, 'query'>

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
    limits: limitRepo(autocommit),
  }
}

export interface Database {
  /** Runs `fn` in one transaction (READ COMMITTED): commit when it returns, roll back when it throws. */
  transaction<T>(fn: (repos: Repos, q: Queryable) => Promise<T>): Promise<T>
  pool: pg.Pool
  close(): Promise<void>
}

export function createDatabase(connectionString: string, opts: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString, max: opts.max ?? 10, idleTimeoutMillis: 30_000 })
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', (err) => console.error('[db] idle client error:', err.message))
  // The rate limiter's statements run outside the call's transaction, on a small pool of their own:
  // from inside a transaction they must never wait for the pool that transaction holds (with every
  // connection held by a call waiting for one more, nothing would ever move).
  const autocommit = new pg.Pool({ connectionString, max: 2, idleTimeoutMillis: 10_000 })
  autocommit.on('error', (err) => console.error('[db] idle client error:', err.message))
  return {
    pool,
    async transaction(fn) {
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        const result = await fn(reposFor(client, autocommit), client)
        await client.query('COMMIT')
        return result
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined)
        throw err
      } finally {
        client.release()
      }
    },
    close: async () => {
      await Promise.all([pool.end(), autocommit.end()])
    },
  }
}
