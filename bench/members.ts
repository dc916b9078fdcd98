/**
 * Customers by RFM at 100,000 customers and 1,000,000 orders: admin.segments, the member list's first
 * page per segment, with a search and another sort, a segment grant of about 10,000 customers, and
 * orders placed and paid while the member queries run (the shop is not stopped: an order touches
 * only its buyer's aggregate row; the queries read without locking). BENCH_ONLY=members.
 */
import pg from 'pg'
import { createProduct, key, payOrder, saveAddress } from '../tests/helpers/mall'
import type { Stack } from '../tests/helpers/stack'
import { drive, ms, timeEach, type Row } from './lib'

const CUSTOMERS = Number(process.env.BENCH_MEMBERS_CUSTOMERS ?? 100_000)
const ORDERS = Number(process.env.BENCH_MEMBERS_ORDERS ?? 1_000_000)
const RUNS = 15
const SEGMENTS = [
  'important_value',
  'important_develop',
  'important_keep',
  'important_retain',
  'general_value',
  'general_develop',
  'general_keep',
  'general_retain',
] as const

/**
 * Users and their addresses, then orders with the per-order triggers off (1,000,000 single-row
 * updates of customer_stats would be the seed's cost, not the feature's), then the aggregates
 * rebuilt in one statement, as migration 030's backfill does. Buyers are skewed (a few buy often,
 * many once, some never), paid over a year, in every status.
 */
async function seed(db: pg.Client): Promise<{ seconds: number; backfill: number }> {
  const t0 = Date.now()
  await db.query(
    `INSERT INTO users (id, openid, nickname, created_at)
     SELECT 'u_m' || g, 'm-' || g, '会员' || g, now() - interval '400 days' + g * interval '1 minute' FROM generate_series(1, $1::int) g`,
    [CUSTOMERS],
  )
  await db.query(
    `INSERT INTO addresses (user_id, name, phone, province, city, district, detail, is_default)
     SELECT 'u_m' || g, '收件人', '139' || lpad(g::text, 8, '0'), '广东省', '深圳市', '南山区', '科技园', true
     FROM generate_series(1, $1::int) g`,
    [CUSTOMERS],
  )
  await db.query('SELECT setseed(0.16)')
  await db.query('ALTER TABLE orders DISABLE TRIGGER orders_customer_stats_insert, DISABLE TRIGGER orders_event_insert')
  await db.query(
    `INSERT INTO orders (user_id, status, idempotency_key, goods_fen, payable_fen, created_at, pay_deadline, paid_at, refunded_at)
     SELECT 'u_m' || (1 + floor(power(r.u, 2.2) * $2::int))::int, s.status, 'm-order-' || g, r.fen, r.fen, r.at, r.at + interval '15 minutes',
       CASE WHEN s.status NOT IN ('pending_payment', 'cancelled') THEN r.at + interval '2 minutes' END,
       CASE WHEN s.status = 'refunded' THEN r.at + interval '3 days' END
     FROM generate_series(1, $1::int) g
     CROSS JOIN LATERAL (SELECT random() AS u, 500 + floor(random() * 50000)::int AS fen,
       now() - random() * interval '365 days' - interval '1 hour' AS at, random() AS k, g AS gg) r
     CROSS JOIN LATERAL (SELECT CASE WHEN r.k < 0.03 THEN 'pending_payment' WHEN r.k < 0.08 THEN 'cancelled'
       WHEN r.k < 0.15 THEN 'refunded' WHEN r.k < 0.40 THEN 'paid' WHEN r.k < 0.55 THEN 'shipped' ELSE 'completed' END AS status) s`,
    [ORDERS, CUSTOMERS],
  )
  await db.query('ALTER TABLE orders ENABLE TRIGGER orders_customer_stats_insert, ENABLE TRIGGER orders_event_insert')
  const t1 = Date.now()
  await db.query(
    `UPDATE customer_stats s SET orders = o.n, spent_fen = o.spent, last_paid_at = o.last_paid
     FROM (SELECT user_id, count(*)::int AS n, sum(payable_fen) AS spent, max(paid_at) AS last_paid
           FROM orders WHERE order_counts_for_rfm(paid_at, status) GROUP BY user_id) o
     WHERE o.user_id = s.user_id`,
  )
  const backfill = (Date.now() - t1) / 1000
  await db.query('VACUUM ANALYZE customer_stats')
  await db.query('ANALYZE')
  return { seconds: (Date.now() - t0) / 1000, backfill }
}

export async function benchMembers(stack: Stack): Promise<Row[]> {
  const rows: Row[] = []
  const admin = (await stack.login('admin')).token
  const db = new pg.Client({ connectionString: stack.databaseUrl })
  await db.connect()
  try {
    const s = await seed(db)
    const { rows: facts } = await db.query(
      `SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT count(*)::int FROM customer_stats WHERE orders > 0) AS buyers`,
    )
    rows.push({
      name: `seed ${CUSTOMERS.toLocaleString('en')} customers, ${Number(facts[0].orders).toLocaleString('en')} orders`,
      value: `${s.seconds.toFixed(1)} s`,
      note: `set-based SQL; ${Number(facts[0].buyers).toLocaleString('en')} with a paid order; the aggregates rebuilt in one statement in ${s.backfill.toFixed(1)} s (migration 030's backfill)`,
    })
    const ok = async (fn: string, fields: Record<string, unknown>, token = admin) => {
      const r = await stack.call(fn, fields, token)
      if (!r.body.ok) throw new Error(`${fn}.${String(fields.action)}: ${JSON.stringify(r.body.error)}`)
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

    const segs = (await ok('admin', { action: 'segments' })) as { counts: Record<string, number>; averages: Record<string, number> }
    await time('admin.segments', `8 counts and the averages (${JSON.stringify(segs.averages)})`, () => ok('admin', { action: 'segments' }))
    for (const seg of SEGMENTS) {
      await time(`admin.members ${seg}`, `first page of ${segs.counts[seg]!.toLocaleString('en')}, last payment first`, () =>
        ok('admin', { action: 'members', segment: seg }),
      )
    }
    await time('admin.members all, by spent', 'first page, 100,000 customers', () => ok('admin', { action: 'members', sort: 'spent' }))
    const page1 = (await ok('admin', { action: 'members', sort: 'spent' })) as { nextCursor: string }
    await time('admin.members all, by spent, page 2', 'keyset cursor', () =>
      ok('admin', { action: 'members', sort: 'spent', cursor: page1.nextCursor }),
    )
    await time('admin.members search nickname', '"会员4242" (contains)', () => ok('admin', { action: 'members', q: '会员4242' }))
    await time('admin.members search nickname, full-width', '"会员４２４２" (folded alike: NFKC, lower; the stored nickname_fold)', () =>
      ok('admin', { action: 'members', q: '会员４２４２' }),
    )
    await time('admin.members search phone end', '"2424" (尾号: the last digits of a phone)', () =>
      ok('admin', { action: 'members', q: '2424' }),
    )
    await time('admin.members search phone start', '"1390004" (the first digits of a phone)', () =>
      ok('admin', { action: 'members', q: '1390004' }),
    )

    // A segment grant of at least 10,000: the smallest segment that large (else the largest).
    const bySize = [...SEGMENTS].sort((a, b) => segs.counts[a]! - segs.counts[b]!)
    const target = bySize.find((k) => segs.counts[k]! >= 10_000) ?? bySize[bySize.length - 1]!
    const { couponId } = (await ok('admin', {
      action: 'createCoupon',
      title: '回购券',
      kind: 'fixed',
      valueFen: 500,
      thresholdFen: 0,
      stock: 1,
      perUserLimit: 1,
      validDays: 7,
    })) as { couponId: string }
    await db.query(
      `INSERT INTO message_allowances (user_id, kind, remaining)
       SELECT s.user_id, 'coupon_arrival', 1 FROM customer_stats s WHERE s.orders > 0 AND s.user_id LIKE 'u_m%' AND random() < 0.3`,
    )
    let t0 = Date.now()
    const first = (await ok('admin', { action: 'issueCoupon', couponId, segment: target, grantKey: 'bench-1' })) as { issued: number }
    const grantMs = Date.now() - t0
    const { rows: q } = await db.query(`SELECT count(*)::int AS n FROM notification_outbox WHERE kind = 'coupon_arrival'`)
    rows.push({
      name: `admin.issueCoupon to ${target}`,
      value: ms(grantMs),
      note: `${first.issued.toLocaleString('en')} coupons and ${Number(q[0].n).toLocaleString('en')} 到券提醒 queued (30 % allowed) in one call`,
    })
    t0 = Date.now()
    const again = (await ok('admin', { action: 'issueCoupon', couponId, segment: target, grantKey: 'bench-1' })) as {
      issued: number
      already: number
    }
    rows.push({
      name: 'admin.issueCoupon again, same key',
      value: ms(Date.now() - t0),
      note: `issued ${again.issued}, already ${again.already.toLocaleString('en')}`,
    })

    // Orders placed and paid, alone and while a console client reads the member list and segments nonstop.
    const productId = await createProduct(stack, admin, { title: '压测商品', priceFen: 1990, stock: 1_000_000 })
    // 80 buyers, each placing at most 5 orders (a buyer's own rate limit is 10 at once).
    const buyers = await Promise.all(Array.from({ length: 80 }, (_, i) => stack.login(`m-buyer-${i}`)))
    for (const b of buyers) await saveAddress(stack, b.token)
    let turn = 0
    const placeAndPay = async () => {
      const b = buyers[turn++ % buyers.length]!
      const o = (await ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, b.token)) as {
        orderId: string
      }
      const paid = await payOrder(stack, b.token, o.orderId)
      if (paid.status !== 200) throw new Error(`payment failed: ${JSON.stringify(paid.answer)}`)
    }
    const alone = await drive(200, 8, placeAndPay)
    rows.push({
      name: 'orders placed and paid, alone',
      value: `${alone.perSecond.toFixed(0)} /s`,
      note: `p50 ${ms(alone.p50)}, p99 ${ms(alone.p99)}; 8 buyers`,
    })
    for (const clients of [1, 4]) {
      let reading = true
      let reads = 0
      const readers = Array.from({ length: clients }, async (_, i) => {
        while (reading) {
          const n = reads++
          await ok(
            'admin',
            n % 3 === 0 ? { action: 'segments' } : { action: 'members', segment: SEGMENTS[(n + i) % 8], sort: n % 2 ? 'spent' : 'recent' },
          )
        }
      })
      const busy = await drive(200, 8, placeAndPay)
      reading = false
      await Promise.all(readers)
      rows.push({
        name: `orders placed and paid, while ${clients} console client${clients > 1 ? 's' : ''} read members`,
        value: `${busy.perSecond.toFixed(0)} /s`,
        note: `p50 ${ms(busy.p50)}, p99 ${ms(busy.p99)}; ${reads} segments / member pages read meanwhile, nonstop`,
      })
    }
    const { rows: check } = await db.query(
      `SELECT count(*)::int AS n FROM customer_stats s JOIN users u ON u.id = s.user_id
       WHERE u.openid LIKE 'm-buyer-%' AND s.orders <> (SELECT count(*) FROM orders o WHERE o.user_id = s.user_id AND order_counts_for_rfm(o.paid_at, o.status))`,
    )
    if (check[0].n !== 0) throw new Error(`customer_stats drifted for ${check[0].n} buyers`)
  } finally {
    await db.end()
  }
  return rows
}
