/**
 * The back office at 100,000 orders (tests/helpers/order-volume.ts, the shop the dashboard test
 * checks figure by figure): 概览 for each range, the order desk's first page with its tab counts,
 * its searches, and the CSV export, all through the HTTP API as the console calls them. The
 * reference is a full scan of the orders table on a direct connection in the same run: what any
 * figure would cost without an index.
 */
import pg from 'pg'
import { seedOrderVolume } from '../tests/helpers/order-volume'
import type { Stack } from '../tests/helpers/stack'
import { ms, timeEach, type Row } from './lib'

const ORDERS = Number(process.env.BENCH_BACKOFFICE_ORDERS ?? 100_000)
const RUNS = 15

export async function benchBackoffice(stack: Stack): Promise<Row[]> {
  const rows: Row[] = []
  const admin = (await stack.login('admin')).token
  const t0 = Date.now()
  await seedOrderVolume(stack, admin, ORDERS)
  const db = new pg.Client({ connectionString: stack.databaseUrl })
  await db.connect()
  try {
    await db.query('ANALYZE')
    rows.push({
      name: `seed ${ORDERS.toLocaleString('en')} orders`,
      value: `${((Date.now() - t0) / 1000).toFixed(1)} s`,
      note: '40 days, every status and source, lines and commissions',
    })
    const ok = async (action: string, fields: Record<string, unknown>) => {
      const r = await stack.call('admin', { action, ...fields }, admin)
      if (!r.body.ok) throw new Error(`admin.${action}: ${JSON.stringify(r.body.error)}`)
      return r.body.data
    }
    const time = async (name: string, note: string, job: () => Promise<unknown>) => {
      await job()
      const t = await timeEach(RUNS, async () => void (await job()))
      rows.push({ name, value: `p50 ${ms(t.p50)}`, note: `max of ${RUNS}: ${ms(t.p99)}; ${note}` })
    }
    const scan = await timeEach(RUNS, async () => void (await db.query('SELECT sum(payable_fen), count(DISTINCT user_id) FROM orders')))
    rows.push({
      name: 'reference: a full scan of orders',
      value: `p50 ${ms(scan.p50)}`,
      note: 'sum and distinct buyers, direct connection',
    })
    for (const range of ['today', '7d', '30d']) {
      await time(`admin.dashboard ${range}`, 'metrics, trend, sources, top 5 products and sharers', () => ok('dashboard', { range }))
    }
    await time('admin.orders first page', '20 rows and the 8 tab counts', () => ok('orders', {}))
    await time('admin.orders 待发货 tab', 'status filter with counts', () => ok('orders', { status: 'paid' }))
    const sample = (
      await db.query(`SELECT o.order_no, u.nickname FROM orders o JOIN users u ON u.id = o.user_id ORDER BY o.seq LIMIT 1 OFFSET 5000`)
    ).rows[0] as { order_no: string; nickname: string }
    await time('admin.orders by order number', 'exact number', () => ok('orders', { q: sample.order_no }))
    await time('admin.orders by nickname', `"${sample.nickname}" (contains)`, () => ok('orders', { q: sample.nickname }))
    const exported = (await ok('exportOrders', { status: 'paid' })) as { rows: number }
    await time('admin.exportOrders 待发货', `${exported.rows.toLocaleString('en')} rows as CSV`, () =>
      ok('exportOrders', { status: 'paid' }),
    )
  } finally {
    await db.end()
  }
  return rows
}
