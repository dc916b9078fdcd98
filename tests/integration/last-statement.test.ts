/**
 * A transaction's last statement sent with its COMMIT in one round trip (cloud/db/database.ts
 * lastStatement), as order.create takes its stock: a refusal raised inside that statement commits
 * nothing, a connection killed while it runs commits nothing, a call that swallows the refusal
 * still fails, and nothing runs in the transaction after it.
 */
import pg from 'pg'
import { batch, createDatabase, lastStatement, refusalOf, type Database } from '../../cloud/db/database'
import { createProduct, key, sql, stockOf } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let admin: string
let db: Database

beforeAll(async () => {
  stack = await startStack()
  admin = (await stack.login('admin')).token
  db = createDatabase(stack.databaseUrl, { max: 4 })
  await sql(stack, 'CREATE TABLE last_probe (id int PRIMARY KEY, note text)')
}, 90_000)
afterAll(async () => {
  await db?.close()
  await stack?.stop()
})

/** Waits until some backend waits for a lock; its pid. */
async function lockWaiter(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const rows = await sql(stack, `SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`)
    if (rows.length) return rows[0].pid
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error('no backend waited for the lock')
}

test('the last statement and its COMMIT: what it wrote and what came before commit together', async () => {
  const out = await db.transaction(async (_repos, q) => {
    await q.query(`INSERT INTO last_probe VALUES (1, 'before')`)
    const { rows } = await lastStatement<{ id: number }>(q, {
      text: `INSERT INTO last_probe VALUES ($1, 'last') RETURNING id`,
      values: [2],
    })
    return rows[0]!.id
  })
  expect(out).toBe(2)
  expect(await sql(stack, 'SELECT id, note FROM last_probe WHERE id IN (1, 2) ORDER BY id')).toEqual([
    { id: 1, note: 'before' },
    { id: 2, note: 'last' },
  ])
})

test('a refusal raised in the last statement commits nothing, and the call must fail', async () => {
  let refusal: string | null = null
  await expect(
    db.transaction(async (_repos, q) => {
      await q.query(`INSERT INTO last_probe VALUES (10, 'refused')`)
      try {
        await lastStatement(q, { text: 'SELECT refuse_if_null(NULL::int, $1)', values: ['{"why":"none left"}'] })
      } catch (err) {
        refusal = refusalOf(err)
      }
      // Swallowing the refusal is no success: the transaction rolled back.
      return 'done'
    }),
  ).rejects.toThrow(/nothing was committed/)
  expect(refusal).toBe('{"why":"none left"}')
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM last_probe WHERE id = 10')).toEqual([{ n: 0 }])
})

test('nothing runs in the transaction after its last statement', async () => {
  await expect(
    db.transaction(async (_repos, q) => {
      await lastStatement(q, { text: `INSERT INTO last_probe VALUES (20, 'last')` })
      await q.query(`INSERT INTO last_probe VALUES (21, 'after')`)
    }),
  ).rejects.toThrow(/already ended with its last statement/)
  // The last statement committed; the query after it never ran.
  expect(await sql(stack, 'SELECT id FROM last_probe WHERE id IN (20, 21)')).toEqual([{ id: 20 }])
})

test('a batch runs its statements in order, each seeing what the one before waited for', async () => {
  await sql(stack, `INSERT INTO last_probe VALUES (30, 'old')`)
  const holder = new pg.Client({ connectionString: stack.databaseUrl })
  await holder.connect()
  try {
    await holder.query('BEGIN')
    await holder.query(`UPDATE last_probe SET note = 'new' WHERE id = 30`)
    const read = db.transaction(async (_repos, q) => {
      await q.query('SELECT 1')
      const [, after] = await batch(q, [
        { text: 'SELECT 1 FROM last_probe WHERE id = $1 FOR UPDATE', values: [30] },
        { text: 'SELECT note FROM last_probe WHERE id = $1', values: [30] },
      ])
      return after!.rows[0].note
    })
    await lockWaiter()
    await holder.query('COMMIT')
    // The second statement's snapshot is taken after the first waited: it reads the committed note.
    expect(await read).toBe('new')
  } finally {
    await holder.end()
  }
})

test('an order refused in its last statement (not enough stock) leaves nothing: no order, its coupon and cart line untouched, no token spent', async () => {
  const productId = await createProduct(stack, admin, { priceFen: 1000, stock: 3 })
  const { couponId } = await stack.ok(
    'admin',
    { action: 'createCoupon', title: '末句券', kind: 'fixed', valueFen: 100, thresholdFen: 0, stock: 10, perUserLimit: 1 },
    admin,
  )
  const buyer = await stack.login('last-refused')
  const { userCouponId } = await stack.ok('coupon', { action: 'claim', couponId }, buyer.token)
  const [{ id: skuId }] = await sql(stack, 'SELECT id FROM skus WHERE product_id = $1', [productId])
  await stack.ok('cart', { action: 'add', skuId, qty: 5 }, buyer.token)
  const r = await stack.call(
    'order',
    { action: 'create', items: [{ productId, qty: 5 }], userCouponId, fromCart: true, idempotencyKey: key() },
    buyer.token,
  )
  expect(r.body).toMatchObject({ ok: false, error: { code: 'OUT_OF_STOCK' } })
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM orders WHERE user_id = $1', [buyer.user.id])).toEqual([{ n: 0 }])
  expect(await sql(stack, 'SELECT order_id FROM user_coupons WHERE id = $1', [userCouponId])).toEqual([{ order_id: null }])
  expect(await sql(stack, 'SELECT qty FROM cart_items WHERE user_id = $1', [buyer.user.id])).toEqual([{ qty: 5 }])
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM rate_limits WHERE key = $1', [`order:${buyer.user.id}`])).toEqual([{ n: 0 }])
  expect(await stockOf(stack, productId)).toBe(3)
  // The same order for what there is goes through, coupon, cart and all.
  const ok = await stack.ok(
    'order',
    { action: 'create', items: [{ productId, qty: 3 }], userCouponId, fromCart: true, idempotencyKey: key() },
    buyer.token,
  )
  expect(ok.payableFen).toBe(2900)
  expect(await stockOf(stack, productId)).toBe(0)
  expect(await sql(stack, 'SELECT qty FROM cart_items WHERE user_id = $1', [buyer.user.id])).toEqual([{ qty: 2 }])
})

test('an order whose connection is killed while its last statement waits for the hot row leaves nothing half done', async () => {
  const productId = await createProduct(stack, admin, { stock: 10 })
  const [{ id: skuId }] = await sql(stack, 'SELECT id FROM skus WHERE product_id = $1', [productId])
  const buyer = await stack.login('last-killed')
  const holder = new pg.Client({ connectionString: stack.databaseUrl })
  await holder.connect()
  try {
    // Another transaction holds the SKU's row: the order's last statement (stock, then COMMIT) waits for it.
    await holder.query('BEGIN')
    await holder.query('SELECT 1 FROM skus WHERE id = $1 FOR NO KEY UPDATE', [skuId])
    const order = stack.call('order', { action: 'create', items: [{ productId, qty: 2 }], idempotencyKey: key() }, buyer.token)
    const pid = await lockWaiter()
    // The order's row and lines are written, its stock statement and COMMIT sent: the connection dies now.
    await sql(stack, 'SELECT pg_terminate_backend($1)', [pid])
    await holder.query('COMMIT')
    expect((await order).body).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
  } finally {
    await holder.end()
  }
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM orders WHERE user_id = $1', [buyer.user.id])).toEqual([{ n: 0 }])
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM order_items WHERE sku_id = $1', [skuId])).toEqual([{ n: 0 }])
  expect(await stockOf(stack, productId)).toBe(10)
  // The host threw the dead connection away: the next order goes through.
  await stack.ok('order', { action: 'create', items: [{ productId, qty: 2 }], idempotencyKey: key() }, buyer.token)
  expect(await stockOf(stack, productId)).toBe(8)
})

test('a multi-line order is all or nothing in its last statement; racing multi-line orders on shared SKUs sell exactly the stock', async () => {
  const a = await createProduct(stack, admin, { stock: 6 })
  const b = await createProduct(stack, admin, { stock: 6 })
  const tokens = await Promise.all(Array.from({ length: 12 }, (_, i) => stack.login(`last-multi-${i}`).then((r) => r.token)))
  // Half order a then b, half b then a: they lock the SKUs in one order whatever the request's.
  const results = await Promise.all(
    tokens.map((t, i) =>
      stack.call(
        'order',
        {
          action: 'create',
          items:
            i % 2
              ? [
                  { productId: a, qty: 1 },
                  { productId: b, qty: 1 },
                ]
              : [
                  { productId: b, qty: 1 },
                  { productId: a, qty: 1 },
                ],
          idempotencyKey: key(),
        },
        t,
      ),
    ),
  )
  expect(results.filter((r) => r.status === 200)).toHaveLength(6)
  for (const r of results.filter((x) => x.status !== 200)) expect(r.body).toMatchObject({ ok: false, error: { code: 'OUT_OF_STOCK' } })
  expect([await stockOf(stack, a), await stockOf(stack, b)]).toEqual([0, 0])
  // A refused order took nothing of the other line either.
  const [{ n }] = await sql(stack, 'SELECT count(*)::int AS n FROM order_items WHERE product_id = ANY($1)', [[a, b]])
  expect(n).toBe(12)
}, 60_000)

test('an order is four round trips: the host counts them with DB_COUNT_TRAFFIC=1, and serves no count without it', async () => {
  expect((await fetch(`${stack.url}/api/debug/db-traffic`)).status).toBe(404)
  const counting = await startStack({ databaseUrl: stack.databaseUrl, env: { DB_COUNT_TRAFFIC: '1', JOB_INTERVAL_MS: '3600000' } })
  try {
    const traffic = async () =>
      (await (await fetch(`${counting.url}/api/debug/db-traffic`)).json()) as { roundTrips: number; statements: number }
    const productId = await createProduct(counting, admin, { stock: 5 })
    const buyer = await counting.login('last-counted')
    const before = await traffic()
    await counting.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, buyer.token)
    const after = await traffic()
    // BEGIN with the session; the unpaid count under its lock with the SKU, attribution and member
    // (会员价, points: checkoutFacts) reads; the order with its lines and token; the stock with COMMIT.
    expect(after.roundTrips - before.roundTrips).toBe(4)
    expect(after.statements - before.statements).toBe(10)
  } finally {
    await counting.stop()
  }
})

test('a share credit is one round trip once the host keeps the session and the room: the entry is its only statement', async () => {
  const counting = await startStack({
    databaseUrl: stack.databaseUrl,
    env: { DB_COUNT_TRAFFIC: '1', JOB_INTERVAL_MS: '3600000', LIVE_CACHE_MS: '1000', PRESENCE_FLUSH_MS: '15000' },
  })
  try {
    const traffic = async () =>
      (await (await fetch(`${counting.url}/api/debug/db-traffic`)).json()) as { roundTrips: number; statements: number }
    const owner = (await counting.login('admin')).token
    const { roomId } = await counting.ok(
      'admin',
      { action: 'createLiveRoom', title: '一次往返', startsAt: new Date().toISOString() },
      owner,
    )
    await counting.ok('admin', { action: 'setLiveStatus', roomId, status: 'live' }, owner)
    const sharer = await counting.login('last-sharer')
    const viewer = await counting.login('last-viewer')
    // The viewer's session and the room (its state and view) are now kept by the host.
    await counting.ok('live', { action: 'sync', roomId }, viewer.token)
    const before = await traffic()
    const entered = await counting.ok('live', { action: 'enter', roomId, sharerId: sharer.user.id }, viewer.token)
    const after = await traffic()
    expect(entered.credited).toBe(true)
    expect(after.roundTrips - before.roundTrips).toBe(1)
    expect(after.statements - before.statements).toBe(1)
    expect(await sql(stack, 'SELECT invites FROM sharer_counts WHERE room_id = $1', [roomId])).toEqual([{ invites: 1 }])
  } finally {
    await counting.stop()
  }
})

describe('failures at the commit and named statements after errors', () => {
  beforeAll(async () => {
    await sql(
      stack,
      `CREATE TABLE commit_parent (id int PRIMARY KEY);
       CREATE TABLE commit_child (id int PRIMARY KEY, parent int REFERENCES commit_parent (id) DEFERRABLE INITIALLY DEFERRED)`,
    )
  })

  test('a COMMIT that fails (a deferred constraint) fails the call: never a success that committed nothing', async () => {
    // No last statement: the transaction's COMMIT is sent alone at the end of the call.
    await expect(
      db.transaction(async (_repos, q) => {
        await q.query('INSERT INTO commit_child VALUES (1, 999)')
        return 'ok'
      }),
    ).rejects.toThrow(/commit_child|foreign key/)
    expect(await sql(stack, 'SELECT count(*)::int AS n FROM commit_child')).toEqual([{ n: 0 }])
    // The same with a last statement carrying the COMMIT.
    await expect(
      db.transaction(async (_repos, q) => {
        await q.query('INSERT INTO commit_child VALUES (2, 998)')
        await lastStatement(q, { text: 'INSERT INTO commit_child VALUES (3, 997)' })
        return 'ok'
      }),
    ).rejects.toThrow(/commit_child|foreign key/)
    expect(await sql(stack, 'SELECT count(*)::int AS n FROM commit_child')).toEqual([{ n: 0 }])
  })

  test('a query error the call swallowed makes its COMMIT a ROLLBACK, and the call fails', async () => {
    await expect(
      db.transaction(async (_repos, q) => {
        await q.query(`INSERT INTO last_probe VALUES (300, 'kept?')`)
        await q.query('SELECT 1 / 0').catch(() => undefined)
        return 'ok'
      }),
    ).rejects.toThrow(/rolled back at its commit/)
    expect(await sql(stack, 'SELECT count(*)::int AS n FROM last_probe WHERE id = 300')).toEqual([{ n: 0 }])
  })

  test('one prepared statement asked twice in one round trip, on a connection that never parsed it', async () => {
    const fresh = createDatabase(stack.databaseUrl, { max: 1 })
    try {
      const probe = { name: 'w_probe_twice', text: 'SELECT $1::int + 1 AS n' }
      const out = await fresh.transaction(async (_repos, q) => {
        const [a, b] = await batch(q, [
          { ...probe, values: [1] },
          { ...probe, values: [2] },
        ])
        return [a!.rows[0].n, b!.rows[0].n]
      })
      expect(out).toEqual([2, 3])
    } finally {
      await fresh.close()
    }
  })

  test('a named last statement refused, then the same name again on the same connection, and by node-postgres itself', async () => {
    const one = createDatabase(stack.databaseUrl, { max: 1 })
    try {
      const named = { name: 'w_probe_refusal', text: 'SELECT refuse_if_null($1::int, $2) AS v' }
      for (let round = 0; round < 3; round++) {
        const refused = await one
          .transaction(async (_repos, q) => {
            await q.query('SELECT 1')
            await lastStatement(q, { ...named, values: [null, 'none'] })
          })
          .then(
            () => null,
            (err: unknown) => refusalOf(err),
          )
        expect(refused).toBe('none')
        const ok = await one.transaction(async (_repos, q) => {
          await q.query('SELECT 1')
          return (await lastStatement<{ v: number }>(q, { ...named, values: [7, 'none'] })).rows[0]!.v
        })
        expect(ok).toBe(7)
      }
      // node-postgres's own named path on the same (only) connection: no "already exists".
      const { rows } = await one.pool.query({ ...named, values: [5, 'none'] })
      expect(rows[0].v).toBe(5)
    } finally {
      await one.close()
    }
  })
})
