/**
 * 概览 on a real stack: a small shop whose figures are known by heart, then 100,000 orders inserted
 * straight in SQL (40 days, every status, deal / live / sharer / mall, refunds, commissions, buyers
 * with earlier orders) and every figure of every range compared with the same figures computed here in
 * JavaScript from the rows read back, with the shop's days found by Intl (not by the server's +8 h
 * arithmetic). The timings at 100,000 orders are printed, not asserted.
 */
import { createProduct, key, payOrder, sql } from '../helpers/mall'
import { seedOrderVolume } from '../helpers/order-volume'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let admin: string

beforeAll(async () => {
  stack = await startStack()
  admin = (await stack.login('admin')).token
}, 90_000)
afterAll(() => stack?.stop())

/**
 * The board of a range, and the instant the server took as now: it read its clock between `before`
 * and `after` (read here around the call), so its hour and shop day are the one or the other — a run
 * can cross an hour or Shanghai's midnight (16:00 UTC) in between. The answer's own end (`to`) and,
 * for today, its number of hours tell which; anything else fails.
 */
async function board(range: 'today' | '7d' | '30d') {
  const before = new Date()
  const d = await stack.ok('admin', { action: 'dashboard', range }, admin)
  const after = new Date()
  const now = [before, after].find(
    (c) => expectedRange(range, c).to.toISOString() === d.to && (range !== 'today' || d.trend.length === Number(shopHour(c)) + 1),
  )
  if (!now)
    throw new Error(
      `the ${range} board (to ${d.to}, ${d.trend.length} points) fits neither ${before.toISOString()} nor ${after.toISOString()}`,
    )
  return { d, now }
}

/** The shop's calendar date (YYYY-MM-DD) and hour of an instant, by the platform's time zone data. */
const dateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' })
const hourFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hourCycle: 'h23' })
const shopDate = (t: Date | number) => dateFormat.format(t)
const shopHour = (t: Date | number) => hourFormat.format(t).padStart(2, '0')

/** The instant a shop date starts, and the dates of a range ending today. */
const midnight = (date: string) => new Date(`${date}T00:00:00+08:00`)
function expectedRange(range: 'today' | '7d' | '30d', now: Date) {
  const days = { today: 1, '7d': 7, '30d': 30 }[range]
  const today = shopDate(now)
  const dates: string[] = []
  for (let i = days - 1; i >= 0; i--) dates.push(shopDate(midnight(today).getTime() - i * 86_400_000 + 12 * 3_600_000))
  return { from: midnight(dates[0]!), to: new Date(midnight(today).getTime() + 86_400_000), dates }
}

test('a small shop: three orders, one refunded, one brought by a sharer', async () => {
  const cheap = await createProduct(stack, admin, { title: '小杯', priceFen: 1000, stock: 10 })
  const mid = await createProduct(stack, admin, { title: '中杯', priceFen: 2000, stock: 10, commissionRate: 0.1 })
  const big = await createProduct(stack, admin, { title: '大杯', priceFen: 4000, stock: 10 })
  const a = await stack.login('dash-small-a', '甲')
  const b = await stack.login('dash-small-b', '乙')
  const sharer = await stack.login('dash-small-s', '分享者')
  const buy = async (token: string, productId: string) => {
    const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, token)
    await payOrder(stack, token, orderId)
    return orderId
  }
  await buy(a.token, cheap)
  const refunded = await buy(a.token, big)
  await stack.ok('catalog', { action: 'get', productId: mid, sharerId: sharer.user.id }, b.token)
  await buy(b.token, mid)
  await stack.ok('admin', { action: 'refund', orderId: refunded, reason: '缺货' }, admin)
  // An unpaid order counts for nothing.
  await stack.ok('order', { action: 'create', items: [{ productId: big, qty: 1 }], idempotencyKey: key() }, b.token)

  // When each paid order was paid, for the bucket its point is in.
  const paid: Array<{ payable_fen: number; status: string; paid_at: Date }> = await sql(
    stack,
    'SELECT payable_fen, status, paid_at FROM orders WHERE paid_at IS NOT NULL AND user_id = ANY($1)',
    [[a.user.id, b.user.id]],
  )
  expect(paid).toHaveLength(3)

  for (const range of ['today', '7d', '30d'] as const) {
    const { d, now } = await board(range)
    const { from, to } = expectedRange(range, now)
    const label = (t: Date) => (range === 'today' ? `${shopHour(t)}:00` : shopDate(t))
    expect(d.trend).toHaveLength(range === 'today' ? Number(shopHour(now)) + 1 : Number(range.replace('d', '')))
    if (paid.some((o) => o.paid_at < from || o.paid_at >= to)) {
      // Only today's board, on a run that crossed Shanghai's midnight between paying and asking:
      // what was paid before it is yesterday's, and today's board holds only what came after.
      expect(range).toBe('today')
      const net = paid.filter((o) => o.paid_at >= from && o.status !== 'refunded')
      expect(d.metrics.paidOrders).toBe(net.length)
      expect(d.metrics.gmvFen).toBe(net.reduce((n, o) => n + o.payable_fen, 0))
      continue
    }
    expect(d.metrics).toEqual({
      gmvFen: 3000,
      paidOrders: 2,
      payingCustomers: 2,
      newCustomers: 2,
      avgOrderFen: 1500,
      refundRate: 1 / 3,
      refundedFen: 4000,
    })
    expect(d.sources).toEqual([
      { source: 'deal', gmvFen: 0, paidOrders: 0 },
      { source: 'live', gmvFen: 0, paidOrders: 0 },
      { source: 'sharer', gmvFen: 2000, paidOrders: 1 },
      { source: 'mall', gmvFen: 1000, paidOrders: 1 },
    ])
    expect(d.topProducts.map((p: any) => [p.title, p.units, p.gmvFen])).toEqual([
      ['中杯', 1, 2000],
      ['小杯', 1, 1000],
    ])
    expect(d.topSharers).toEqual([{ userId: sharer.user.id, nickname: '分享者', orders: 1, gmvFen: 2000, commissionFen: 200 }])
    // One point holds the two orders kept (two, if the run crossed an hour or midnight between them).
    const points = new Map<string, { label: string; gmvFen: number; paidOrders: number }>()
    for (const o of paid.filter((o) => o.status !== 'refunded')) {
      const p = points.get(label(o.paid_at)) ?? { label: label(o.paid_at), gmvFen: 0, paidOrders: 0 }
      p.gmvFen += o.payable_fen
      p.paidOrders++
      points.set(p.label, p)
    }
    expect(d.trend.filter((p: any) => p.gmvFen > 0)).toEqual([...points.values()].sort((x, y) => (x.label < y.label ? -1 : 1)))
  }
}, 60_000)

test('100,000 orders: every figure of every range matches an independent computation', async () => {
  const t0 = Date.now()
  await seedOrderVolume(stack, admin, 100_000)
  await sql(stack, 'ANALYZE')
  console.log(`inserted 100,000 orders with their lines and commissions in ${Date.now() - t0} ms`)

  // Everything the figures depend on, read back.
  const orders: Array<{
    id: string
    user_id: string
    status: string
    payable_fen: number
    kind: string
    room_id: string | null
    sharer_id: string | null
    paid_at: Date
  }> = await sql(stack, 'SELECT id, user_id, status, payable_fen, kind, room_id, sharer_id, paid_at FROM orders WHERE paid_at IS NOT NULL')
  const items: Array<{ order_id: string; product_id: string; unit_price_fen: number; qty: number; discount_fen: number }> = await sql(
    stack,
    'SELECT order_id, product_id, unit_price_fen, qty, discount_fen FROM order_items',
  )
  const ledger: Array<{ order_id: string; user_id: string; amount_fen: number }> = await sql(
    stack,
    `SELECT order_id, user_id, amount_fen FROM earnings_ledger WHERE kind = 'commission'`,
  )
  const titles = new Map((await sql(stack, 'SELECT id, title FROM products')).map((p: any) => [p.id, p.title]))
  const nicknames = new Map((await sql(stack, 'SELECT id, nickname FROM users')).map((u: any) => [u.id, u.nickname]))
  expect(orders.length).toBeGreaterThan(80_000)

  for (const range of ['today', '7d', '30d'] as const) {
    const started = Date.now()
    const { d, now } = await board(range)
    const ms = Date.now() - started
    const { from, to, dates } = expectedRange(range, now)
    expect(d.from).toBe(from.toISOString())
    expect(d.to).toBe(to.toISOString())

    const inRange = orders.filter((o) => o.paid_at >= from && o.paid_at < to)
    const net = inRange.filter((o) => o.status !== 'refunded')
    const refunded = inRange.filter((o) => o.status === 'refunded')
    const sum = (xs: typeof orders) => xs.reduce((n, o) => n + o.payable_fen, 0)
    const buyers = new Set(net.map((o) => o.user_id))
    const earlier = new Set(orders.filter((o) => o.paid_at < from && o.status !== 'refunded').map((o) => o.user_id))
    const gmv = sum(net)
    expect(d.metrics).toEqual({
      gmvFen: gmv,
      paidOrders: net.length,
      payingCustomers: buyers.size,
      newCustomers: [...buyers].filter((u) => !earlier.has(u)).length,
      avgOrderFen: net.length ? Math.round(gmv / net.length) : 0,
      refundRate: inRange.length ? refunded.length / inRange.length : 0,
      refundedFen: sum(refunded),
    })
    if (range !== 'today') expect(d.metrics.newCustomers).toBeLessThan(d.metrics.payingCustomers)

    // The trend: every day (hour) of the range, zeros included.
    const labels =
      range === 'today' ? Array.from({ length: Number(shopHour(now)) + 1 }, (_, h) => `${String(h).padStart(2, '0')}:00`) : dates
    const points = new Map(labels.map((l) => [l, { label: l, gmvFen: 0, paidOrders: 0 }]))
    for (const o of net) {
      const p = points.get(range === 'today' ? `${shopHour(o.paid_at)}:00` : shopDate(o.paid_at))!
      p.gmvFen += o.payable_fen
      p.paidOrders++
    }
    expect(d.trend).toEqual([...points.values()])

    // Sources: deal, then live, then sharer, then mall.
    const source = (o: (typeof orders)[number]) => (o.kind === 'deal' ? 'deal' : o.room_id ? 'live' : o.sharer_id ? 'sharer' : 'mall')
    expect(d.sources).toEqual(
      ['deal', 'live', 'sharer', 'mall'].map((s) => {
        const of = net.filter((o) => source(o) === s)
        return { source: s, gmvFen: sum(of), paidOrders: of.length }
      }),
    )
    if (range === '30d') for (const s of d.sources) expect(s.paidOrders).toBeGreaterThan(0)

    // Top products by net GMV (each line less its discount), then units.
    const netIds = new Set(net.map((o) => o.id))
    const perProduct = new Map<string, { units: number; gmvFen: number }>()
    for (const i of items) {
      if (!netIds.has(i.order_id)) continue
      const p = perProduct.get(i.product_id) ?? { units: 0, gmvFen: 0 }
      p.units += i.qty
      p.gmvFen += i.unit_price_fen * i.qty - i.discount_fen
      perProduct.set(i.product_id, p)
    }
    const topProducts = [...perProduct]
      .sort(([ia, a], [ib, b]) => b.gmvFen - a.gmvFen || b.units - a.units || (ia < ib ? -1 : 1))
      .slice(0, 5)
      .map(([productId, p]) => ({ productId, title: titles.get(productId), cover: '', ...p }))
    expect(d.topProducts.map(({ cover: _c, ...p }: any) => p)).toEqual(topProducts.map(({ cover: _c, ...p }) => p))

    // Top sharers by net GMV, with what the ledger says those orders earn them.
    const commission = new Map<string, number>()
    for (const l of ledger) commission.set(`${l.order_id}/${l.user_id}`, (commission.get(`${l.order_id}/${l.user_id}`) ?? 0) + l.amount_fen)
    const perSharer = new Map<string, { orders: number; gmvFen: number; commissionFen: number }>()
    for (const o of net) {
      if (!o.sharer_id) continue
      const s = perSharer.get(o.sharer_id) ?? { orders: 0, gmvFen: 0, commissionFen: 0 }
      s.orders++
      s.gmvFen += o.payable_fen
      s.commissionFen += commission.get(`${o.id}/${o.sharer_id}`) ?? 0
      perSharer.set(o.sharer_id, s)
    }
    const topSharers = [...perSharer]
      .sort(([ia, a], [ib, b]) => b.gmvFen - a.gmvFen || b.orders - a.orders || (ia < ib ? -1 : 1))
      .slice(0, 5)
      .map(([userId, s]) => ({ userId, nickname: nicknames.get(userId), ...s }))
    expect(d.topSharers).toEqual(topSharers)
    console.log(`admin.dashboard ${range} at 100,000 orders: ${ms} ms (${inRange.length} paid orders in range)`)
  }

  // The desk at the same size: the first page with its tab counts, a search, and the export's cap.
  const timed = async (what: string, fields: object) => {
    const started = Date.now()
    const r = await stack.ok('admin', fields, admin)
    console.log(`${what} at 100,000 orders: ${Date.now() - started} ms`)
    return r
  }
  const first = await timed('admin.orders (first page, all tabs counted)', { action: 'orders' })
  expect(first.counts.all).toBe(100_000 + 4)
  expect(first.items).toHaveLength(20)
  const byName = await timed('admin.orders (nickname search)', { action: 'orders', q: '买家4321' })
  expect(byName.counts.all).toBe(
    (await sql(stack, `SELECT count(*)::int AS n FROM orders WHERE user_id IN (SELECT id FROM users WHERE nickname LIKE '%买家4321%')`))[0]
      .n,
  )
  await timed('admin.orders (tab 待发货)', { action: 'orders', status: 'paid' })
  const exported = await timed('admin.exportOrders (no filter)', { action: 'exportOrders' })
  expect(exported).toMatchObject({ rows: 10_000, truncated: true })
  expect(exported.csv.trimEnd().split('\r\n')).toHaveLength(10_001)
}, 300_000)
