/**
 * 分销员 and 导购 on a real stack: the ranking's figures over each range, exact against a shop whose
 * orders are known by heart (refunds before and after settling, a cancelled order, range edges by the
 * shop's clock); each sort's order and tiebreaks; paging; guides tagged; the guide code's rules; and a
 * guide's code followed end to end: a customer opens the home from it, buys, pays, and the order and
 * its commission are the guide's.
 */
import { homeSharer } from '../../src/features/catalog/home-entry'
import { jobsFor, daysFromNow } from '../helpers/jobs'
import { createProduct, key, payOrder, sql } from '../helpers/mall'
import { seedOrderVolume } from '../helpers/order-volume'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let owner: string
let ownerId: string
let cheap: string // ¥10, 10 % commission: 100
let dear: string // ¥30, 20 % commission: 600

const DAY = 86_400_000
const SHOP = 8 * 3_600_000
/** The first instant of the shop's (Asia/Shanghai) day holding `t`, computed here on its own. */
const shopMidnight = (t: number) => Math.floor((t + SHOP) / DAY) * DAY - SHOP

beforeAll(async () => {
  stack = await startStack()
  const o = await stack.login('admin', '店主')
  owner = o.token
  ownerId = o.user.id
  cheap = await createProduct(stack, owner, { title: '绿茶', priceFen: 1000, stock: 500, commissionRate: 0.1 })
  dear = await createProduct(stack, owner, { title: '红茶', priceFen: 3000, stock: 500, commissionRate: 0.2 })
}, 90_000)
afterAll(() => stack?.stop())

const call = (fn: string, data: object, token?: string) => stack.call(fn, data, token) as Promise<{ status: number; body: any }>

/** `buyer` opens `productId` from `sharerId`'s link, orders one and pays; the order's id. */
async function boughtVia(sharerId: string, buyer: string, productId: string, pay = true): Promise<string> {
  await stack.ok('catalog', { action: 'get', productId, sharerId }, buyer)
  const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, buyer)
  if (pay) expect((await payOrder(stack, buyer, orderId)).status).toBe(200)
  return orderId
}

/** Moves an order's payment (and the ledger's dates with it) to `at`. */
const paidAt = (orderId: string, at: Date) => sql(stack, 'UPDATE orders SET paid_at = $2 WHERE id = $1', [orderId, at])

const ranking = async (input: object, token = owner) => stack.ok('admin', { action: 'sharers', ...input }, token)

/** Every page of a ranking, followed by its cursors. */
async function allPages(input: object) {
  const items: any[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const page: { items: any[]; nextCursor: string | null } = await ranking({ ...input, cursor })
    items.push(...page.items)
    cursor = page.nextCursor
    pages++
  } while (cursor)
  return { items, pages }
}

const row = (
  userId: string,
  nickname: string,
  staffRole: string | null,
  orders: number,
  gmvFen: number,
  commissionFen: number,
  customers: number,
) => ({
  userId,
  nickname,
  staffRole,
  orders,
  gmvFen,
  commissionFen,
  customers,
})

describe('the ranking', () => {
  let s1: { id: string; token: string }
  let s2: { id: string; token: string }
  let s3: { id: string; token: string }
  let s4: { id: string; token: string }
  let guide: { id: string; token: string }
  let settledThenRefunded: string

  beforeAll(async () => {
    const user = async (openid: string, nickname: string) => {
      const r = await stack.login(openid, nickname)
      return { id: r.user.id as string, token: r.token as string }
    }
    s1 = await user('rank-s1', '分享甲')
    s2 = await user('rank-s2', '分享乙')
    s3 = await user('rank-s3', '分享丙')
    s4 = await user('rank-s4', '分享丁')
    await stack.ok('admin', { action: 'setStaff', openid: 'rank-guide', role: 'guide' }, owner)
    guide = await user('rank-guide', '导购小王')
    const [b1, b2, b3, b4] = await Promise.all(['rank-b1', 'rank-b2', 'rank-b3', 'rank-b4'].map((o) => user(o, o)))

    const now = Date.now()
    const today = shopMidnight(now)
    const weekFrom = today - 6 * DAY // the 7d range's first instant
    // S1: two paid today (b1, b2); one of b1's refunded today; one 20 days ago (b3), settled, then refunded later in the test.
    await boughtVia(s1.id, b1!.token, cheap)
    await boughtVia(s1.id, b2!.token, cheap)
    const refunded = await boughtVia(s1.id, b1!.token, dear)
    await stack.ok('admin', { action: 'refund', orderId: refunded, reason: '缺货' }, owner)
    settledThenRefunded = await boughtVia(s1.id, b3!.token, dear)
    await paidAt(settledThenRefunded, new Date(now - 20 * DAY))
    // S2: one today (b1), one 60 days ago (b4); a cancelled one and an unpaid one count for nothing.
    await boughtVia(s2.id, b1!.token, dear)
    await paidAt(await boughtVia(s2.id, b4!.token, cheap), new Date(now - 60 * DAY))
    const cancelled = await boughtVia(s2.id, b2!.token, dear, false)
    await stack.ok('order', { action: 'cancel', orderId: cancelled }, b2!.token)
    await boughtVia(s2.id, b3!.token, dear, false)
    // S3: one at the 7d range's first instant (in), one a millisecond before it (out of 7d, in 30d).
    await paidAt(await boughtVia(s3.id, b3!.token, cheap), new Date(weekFrom))
    await paidAt(await boughtVia(s3.id, b4!.token, cheap), new Date(weekFrom - 1))
    // S4: 200 days ago: only 'all'.
    await paidAt(await boughtVia(s4.id, b1!.token, cheap), new Date(now - 200 * DAY))
    // The guide: one today (b4).
    await boughtVia(guide.id, b4!.token, cheap)
  }, 120_000)

  // The tie between S3 and the guide in 7d (1 order, ¥10, ¥1 each) goes to the smaller user id.
  const byId = (a: { userId: string }, b: { userId: string }) => (a.userId < b.userId ? -1 : 1)

  test('each range counts orders paid in it, net of refunds, with their commission and distinct customers', async () => {
    const g = row(guide.id, '导购小王', 'guide', 1, 1000, 100, 1)
    const week = await ranking({ range: '7d' })
    expect(week.nextCursor).toBeNull()
    expect(week.items).toEqual([
      row(s2.id, '分享乙', null, 1, 3000, 600, 1),
      row(s1.id, '分享甲', null, 2, 2000, 200, 2),
      ...[row(s3.id, '分享丙', null, 1, 1000, 100, 1), g].sort(byId),
    ])
    expect((await ranking({ range: '30d' })).items).toEqual([
      row(s1.id, '分享甲', null, 3, 5000, 800, 3),
      row(s2.id, '分享乙', null, 1, 3000, 600, 1),
      row(s3.id, '分享丙', null, 2, 2000, 200, 2),
      g,
    ])
    expect((await ranking({ range: '90d' })).items).toEqual([
      row(s1.id, '分享甲', null, 3, 5000, 800, 3),
      row(s2.id, '分享乙', null, 2, 4000, 700, 2),
      row(s3.id, '分享丙', null, 2, 2000, 200, 2),
      g,
    ])
    expect((await ranking({ range: 'all' })).items).toEqual([
      row(s1.id, '分享甲', null, 3, 5000, 800, 3),
      row(s2.id, '分享乙', null, 2, 4000, 700, 2),
      row(s3.id, '分享丙', null, 2, 2000, 200, 2),
      ...[row(s4.id, '分享丁', null, 1, 1000, 100, 1), g].sort(byId),
    ])
  })

  test('settling changes no figure; a refund after settling takes the order and its clawed-back commission out', async () => {
    const before = await ranking({ range: '30d' })
    const jobs = await jobsFor(stack)
    try {
      await jobs.runAt(daysFromNow(8))
    } finally {
      await jobs.close()
    }
    const ledger = await sql(stack, `SELECT entry FROM earnings_ledger WHERE order_id = $1 ORDER BY id`, [settledThenRefunded])
    expect(ledger.map((l) => l.entry)).toEqual(['accrue', 'settle_out', 'settle_in'])
    expect(await ranking({ range: '30d' })).toEqual(before)
    await stack.ok('admin', { action: 'refund', orderId: settledThenRefunded, reason: '质量问题' }, owner)
    const after = await sql(stack, `SELECT entry FROM earnings_ledger WHERE order_id = $1 ORDER BY id`, [settledThenRefunded])
    expect(after.map((l) => l.entry)).toContain('clawback')
    const s1Row = (await ranking({ range: '30d' })).items.find((r: any) => r.userId === s1.id)
    expect(s1Row).toEqual(row(s1.id, '分享甲', null, 2, 2000, 200, 2))
  })

  test('each sort has its keys and tiebreaks; 只看导购 keeps staff only', async () => {
    const g = row(guide.id, '导购小王', 'guide', 1, 1000, 100, 1)
    const s3Row = row(s3.id, '分享丙', null, 1, 1000, 100, 1)
    expect((await ranking({ range: '7d', sort: 'orders' })).items.map((r: any) => r.userId)).toEqual([
      s1.id, // 2 orders
      s2.id, // 1 order, ¥30
      ...[s3Row, g].sort(byId).map((r) => r.userId),
    ])
    expect((await ranking({ range: '7d', sort: 'commission' })).items.map((r: any) => r.userId)).toEqual([
      s2.id,
      s1.id,
      ...[s3Row, g].sort(byId).map((r) => r.userId),
    ])
    // 'all' by orders: S1, S2, S3 have 2 each (S1 after the refund): the GMV breaks it (S2's ¥40), then
    // commission (S1 and S3 tie on ¥20 and ¥2), then the id.
    const all = (await ranking({ range: 'all', sort: 'orders' })).items
    expect(all.map((r: any) => r.orders)).toEqual([2, 2, 2, 1, 1])
    expect(all.slice(0, 3).map((r: any) => r.userId)).toEqual([s2.id, ...[s1.id, s3.id].sort()])
    expect((await ranking({ range: '7d', guidesOnly: true })).items).toEqual([g])
  })

  test('a cursor from another sort, or one that is not a cursor, is refused', async () => {
    const bad = await call('admin', { action: 'sharers', range: '7d', cursor: 'not-a-cursor' }, owner)
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('VALIDATION_FAILED')
    const other = Buffer.from(`r:orders:1:1000:100:${s1.id}`).toString('base64url')
    expect((await call('admin', { action: 'sharers', range: '7d', sort: 'gmv', cursor: other }, owner)).body.error.code).toBe(
      'VALIDATION_FAILED',
    )
    expect((await call('admin', { action: 'sharers', range: '1y' }, owner)).body.error.code).toBe('VALIDATION_FAILED')
  })
})

describe('paging', () => {
  test('25 sharers tied on every figure page in user-id order, each once, across two pages', async () => {
    // Tied rows, 100 days ago (only in 'all'), inserted straight in SQL on orders of the shop's own shape.
    const ids = await sql(
      stack,
      `INSERT INTO users (id, openid, nickname) SELECT 'u_' || lpad(to_hex(g * 7919), 16, '0'), 'page-' || g, '同分' || g
       FROM generate_series(1, 25) g RETURNING id`,
    )
    const buyer = await stack.login('page-buyer')
    await sql(
      stack,
      `INSERT INTO orders (user_id, status, idempotency_key, goods_fen, payable_fen, sharer_id, created_at, pay_deadline, paid_at)
       SELECT $1, 'paid', 'page-order-' || u.id, 777, 777, u.id, now() - interval '100 days', now(), now() - interval '100 days'
       FROM unnest($2::text[]) u(id)`,
      [buyer.user.id, ids.map((r) => r.id)],
    )
    const { items, pages } = await allPages({ range: 'all', sort: 'gmv' })
    expect(pages).toBe(2)
    const tied = items.filter((r) => r.gmvFen === 777)
    expect(tied.map((r) => r.userId)).toEqual(ids.map((r) => r.id as string).sort())
    expect(new Set(items.map((r) => r.userId)).size).toBe(items.length)
    // The whole list is in the sort's order.
    for (let i = 1; i < items.length; i++) {
      const [a, b] = [items[i - 1], items[i]]
      const keyA = [a.gmvFen, a.orders, a.commissionFen]
      const keyB = [b.gmvFen, b.orders, b.commissionFen]
      const cmp = keyA.findIndex((v, k) => v !== keyB[k])
      if (cmp === -1) expect(a.userId < b.userId).toBe(true)
      else expect(keyA[cmp]! > keyB[cmp]!).toBe(true)
    }
    const first = await ranking({ range: 'all', sort: 'gmv' })
    expect(first.items).toHaveLength(20)
  })
})

describe('guide codes', () => {
  test('any staff member gets their own; the owner anyone on the staff; nobody else another’s', async () => {
    await stack.ok('admin', { action: 'setStaff', openid: 'code-guide', role: 'guide' }, owner)
    await stack.ok('admin', { action: 'setStaff', openid: 'code-op', role: 'operator' }, owner)
    const g = await stack.login('code-guide', '导购阿明')
    const op = await stack.login('code-op', '运营小李')
    const shopper = await stack.login('code-shopper')

    const mine = await stack.ok('admin', { action: 'guideCode' }, g.token)
    expect(mine).toMatchObject({ userId: g.user.id, nickname: '导购阿明', path: `pages/index/index?sharerId=${g.user.id}` })
    expect(mine.figures).toEqual(row(g.user.id, '导购阿明', 'guide', 0, 0, 0, 0))
    // Locally a QR code of the H5 home with the scene: the 16 hex of the guide's id.
    const text = new URL(mine.code, 'http://x').searchParams.get('text')!
    expect(text).toMatch(/#\/pages\/index\/index\?scene=[0-9a-f]{16}$/)
    expect(homeSharer({ scene: new URL(text.replace('#/', '')).searchParams.get('scene')! })).toBe(g.user.id)

    expect((await stack.ok('admin', { action: 'guideCode', userId: g.user.id }, owner)).userId).toBe(g.user.id)
    expect((await stack.ok('admin', { action: 'guideCode', userId: op.user.id }, owner)).figures.staffRole).toBe('operator')
    expect((await stack.ok('admin', { action: 'guideCode' }, owner)).figures.staffRole).toBe('owner')
    expect((await stack.ok('admin', { action: 'guideCode' }, op.token)).userId).toBe(op.user.id)

    const refusals = await Promise.all([
      call('admin', { action: 'guideCode', userId: op.user.id }, g.token),
      call('admin', { action: 'guideCode', userId: g.user.id }, op.token),
      call('admin', { action: 'guideCode' }, shopper.token),
      call('admin', { action: 'guideCode', userId: shopper.user.id }, owner),
      call('admin', { action: 'guideCode', userId: 'u_0000000000000000' }, owner),
    ])
    expect(refusals.map((r) => [r.status, r.body.error.code])).toEqual([
      [403, 'FORBIDDEN'],
      [403, 'FORBIDDEN'],
      [403, 'FORBIDDEN'],
      [404, 'NOT_FOUND'],
      [404, 'NOT_FOUND'],
    ])
    // A role taken back takes the code with it at the next call.
    await stack.ok('admin', { action: 'setStaff', openid: 'code-guide', role: null }, owner)
    expect((await call('admin', { action: 'guideCode' }, g.token)).status).toBe(403)
  })

  test('end to end: a customer opens the home from the guide’s code, buys and pays: the order, the customer and the commission are the guide’s', async () => {
    await stack.ok('admin', { action: 'setStaff', openid: 'e2e-guide', role: 'guide' }, owner)
    const g = await stack.login('e2e-guide', '导购小美')
    const code = await stack.ok('admin', { action: 'guideCode' }, g.token)
    const scene = new URL(new URL(code.code, 'http://x').searchParams.get('text')!.replace('#/', '')).searchParams.get('scene')!
    const customer = await stack.login('e2e-customer', '顾客')
    // The home page reads the scene and loads the home with the sharer it names.
    await stack.ok('catalog', { action: 'home', sharerId: homeSharer({ scene }) }, customer.token)
    const { orderId } = await stack.ok(
      'order',
      { action: 'create', items: [{ productId: dear, qty: 2 }], idempotencyKey: key() },
      customer.token,
    )
    await payOrder(stack, customer.token, orderId)
    const order = (await stack.ok('order', { action: 'get', orderId }, customer.token)).order
    expect(order.sharerId).toBe(g.user.id)
    // Staff earn commission like any sharer, at the product's rate: 20 % of ¥60.
    expect(await stack.ok('earnings', { action: 'mine' }, g.token)).toMatchObject({ pendingFen: 1200 })
    expect((await stack.ok('admin', { action: 'guideCode' }, g.token)).figures).toEqual(
      row(g.user.id, '导购小美', 'guide', 1, 6000, 1200, 1),
    )
    const guides = (await ranking({ range: '7d', guidesOnly: true })).items
    expect(guides.find((r: any) => r.userId === g.user.id)).toEqual(row(g.user.id, '导购小美', 'guide', 1, 6000, 1200, 1))
    // The guide opening their own code records nothing (never the buyer themself), nor does a shopper's own id.
    const touches = await sql(stack, 'SELECT count(*)::int AS n FROM share_touches WHERE user_id = $1', [g.user.id])
    await stack.ok('catalog', { action: 'home', sharerId: g.user.id }, g.token)
    expect((await sql(stack, 'SELECT count(*)::int AS n FROM share_touches WHERE user_id = $1', [g.user.id]))[0].n).toBe(touches[0].n)
    // A home opened with a sharer who does not exist records nothing either.
    const before = (await sql(stack, 'SELECT count(*)::int AS n FROM share_touches WHERE user_id = $1', [customer.user.id]))[0].n
    await stack.ok('catalog', { action: 'home', sharerId: 'u_ffffffffffffffff' }, customer.token)
    expect((await sql(stack, 'SELECT count(*)::int AS n FROM share_touches WHERE user_id = $1', [customer.user.id]))[0].n).toBe(before)
  })
})

test('the owner reads the ranking, 运营 too; a guide does not', async () => {
  await stack.ok('admin', { action: 'setStaff', openid: 'role-op', role: 'operator' }, owner)
  await stack.ok('admin', { action: 'setStaff', openid: 'role-guide', role: 'guide' }, owner)
  const op = await stack.login('role-op')
  const g = await stack.login('role-guide')
  expect((await call('admin', { action: 'sharers', range: '7d' }, op.token)).status).toBe(200)
  expect((await call('admin', { action: 'sharers', range: '7d' }, g.token)).status).toBe(403)
  expect(ownerId).toBeTruthy()
})

describe('at volume', () => {
  test('20,000 orders of every status: each range equals the figures computed here from the orders and the ledger', async () => {
    await seedOrderVolume(stack, owner, 20_000)
    const orders: Array<{
      id: string
      user_id: string
      status: string
      payable_fen: number
      sharer_id: string | null
      paid_at: Date | null
    }> = await sql(
      stack,
      `SELECT id, user_id, status, payable_fen, sharer_id, paid_at FROM orders WHERE sharer_id IS NOT NULL AND paid_at IS NOT NULL`,
    )
    const ledger: Array<{ order_id: string; user_id: string; amount_fen: number }> = await sql(
      stack,
      `SELECT order_id, user_id, amount_fen FROM earnings_ledger WHERE kind = 'commission'`,
    )
    const commission = new Map<string, number>()
    for (const l of ledger) commission.set(`${l.order_id}/${l.user_id}`, (commission.get(`${l.order_id}/${l.user_id}`) ?? 0) + l.amount_fen)
    const nicknames = new Map((await sql(stack, 'SELECT id, nickname FROM users')).map((u: any) => [u.id, u.nickname]))
    const staff = new Map((await sql(stack, 'SELECT user_id, role FROM staff')).map((s: any) => [s.user_id, s.role]))
    staff.set(ownerId, 'owner')
    for (const range of ['30d', 'all'] as const) {
      const now = Date.now()
      const from = range === 'all' ? -Infinity : shopMidnight(now) - 29 * DAY
      const per = new Map<string, { orders: number; gmvFen: number; commissionFen: number; buyers: Set<string> }>()
      for (const o of orders) {
        if (o.status === 'refunded' || o.paid_at!.getTime() < from) continue
        const s = per.get(o.sharer_id!) ?? { orders: 0, gmvFen: 0, commissionFen: 0, buyers: new Set<string>() }
        s.orders++
        s.gmvFen += o.payable_fen
        s.commissionFen += commission.get(`${o.id}/${o.sharer_id}`) ?? 0
        s.buyers.add(o.user_id)
        per.set(o.sharer_id!, s)
      }
      const expected = [...per.entries()]
        .map(([id, s]) => row(id, nicknames.get(id), staff.get(id) ?? null, s.orders, s.gmvFen, s.commissionFen, s.buyers.size))
        .sort((a, b) => b.commissionFen - a.commissionFen || b.gmvFen - a.gmvFen || b.orders - a.orders || (a.userId < b.userId ? -1 : 1))
      const started = Date.now()
      const { items } = await allPages({ range, sort: 'commission' })
      console.log(`admin.sharers ${range} by commission, every page of ${items.length} sharers: ${Date.now() - started} ms`)
      expect(items).toEqual(expected)
    }
  }, 180_000)
})
