/**
 * The done-when: the RFM segments of a seeded shop match an expectation computed by hand.
 *
 * Nine customers have counted orders (paid, not refunded). By hand, over them:
 *   recency (days)  A1 B2 C30 D40 E3 F4 G50 H62 I24  → sum 216, average 24
 *   orders          A8 B1 C4  D1  E4 F1 G4  H1  I3   → sum 27,  average 3
 *   spent (fen)     A1000 B900 C800 D700 E100 F100 G100 H100 I475 → sum 4275, average 475
 * High = strictly better than the average (fewer days, more orders, more spent); I sits exactly on
 * all three averages, so it is low on each: 一般挽留. J's only order was refunded, K's were cancelled
 * or never paid, L never ordered: no segment.
 */
import { sql } from '../helpers/mall'
import { customer, order } from '../helpers/rfm'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let admin: string

beforeAll(async () => {
  stack = await startStack()
  admin = (await stack.login('admin')).token
  await customer(stack, 'u_rfm_a', '阿宝', '13800001111')
  await customer(stack, 'u_rfm_b', '白菜', '13900002222')
  await customer(stack, 'u_rfm_c', '陈皮')
  await customer(stack, 'u_rfm_d', '大米')
  await customer(stack, 'u_rfm_e', '鹅蛋')
  await customer(stack, 'u_rfm_f', '饭团')
  await customer(stack, 'u_rfm_g', '果冻')
  await customer(stack, 'u_rfm_h', '海苔')
  await customer(stack, 'u_rfm_i', '冰糖')
  await customer(stack, 'u_rfm_j', '酱油')
  await customer(stack, 'u_rfm_k', '可乐')
  await customer(stack, 'u_rfm_l', '辣条')
  // A: 8 orders, 1,000 fen, last 1 day ago; a refunded order today and an unpaid one count for nothing.
  for (const d of [1, 5, 9, 12, 20, 33, 47]) await order(stack, 'u_rfm_a', 100, d, 'completed')
  await order(stack, 'u_rfm_a', 300, 60, 'shipped')
  await order(stack, 'u_rfm_a', 5000, 0, 'refunded')
  await order(stack, 'u_rfm_a', 7000, 0, 'pending_payment')
  await order(stack, 'u_rfm_b', 900, 2, 'paid')
  // C: 4 orders, 800 fen, last 30 days ago; a later order paid then refunded (the trigger's way out).
  for (const d of [30, 40, 50]) await order(stack, 'u_rfm_c', 200, d, 'completed')
  await order(stack, 'u_rfm_c', 200, 70, 'refund_requested')
  const cLater = await order(stack, 'u_rfm_c', 3000, 10, 'paid')
  await sql(stack, `UPDATE orders SET status = 'refunded', refunded_at = now() WHERE id = $1`, [cLater])
  await order(stack, 'u_rfm_d', 700, 40, 'completed')
  for (const [fen, d] of [
    [10, 3],
    [30, 8],
    [30, 9],
    [30, 15],
  ] as const)
    await order(stack, 'u_rfm_e', fen, d, 'completed')
  await order(stack, 'u_rfm_f', 100, 4, 'paid')
  await order(stack, 'u_rfm_f', 800, 1, 'cancelled')
  for (const d of [50, 51, 52, 53]) await order(stack, 'u_rfm_g', 25, d, 'completed')
  await order(stack, 'u_rfm_h', 100, 62, 'completed')
  await order(stack, 'u_rfm_i', 200, 24, 'completed')
  await order(stack, 'u_rfm_i', 175, 30, 'completed')
  await order(stack, 'u_rfm_i', 100, 45, 'completed')
  await order(stack, 'u_rfm_j', 9999, 5, 'refunded')
  await order(stack, 'u_rfm_k', 500, 3, 'cancelled')
  await order(stack, 'u_rfm_k', 500, 1, 'pending_payment')
  // 25 passers-by who never ordered, for paging.
  await sql(
    stack,
    `INSERT INTO users (id, openid, nickname) SELECT 'u_rfm_p' || g, 'rfm-p' || g, '路人' || g FROM generate_series(1, 25) g`,
  )
}, 120_000)
afterAll(() => stack?.stop())

const members = (input: Record<string, unknown> = {}) => stack.ok('admin', { action: 'members', ...input }, admin)

test('the segments, counts and averages match the hand-computed expectation', async () => {
  const s = await stack.ok('admin', { action: 'segments' }, admin)
  expect(s.averages).toEqual({ recencyDays: 24, orders: 3, spentFen: 475 })
  expect(s.customers).toBe(9)
  // admin, J, K, L and the 25 passers-by
  expect(s.withoutOrders).toBe(29)
  expect(s.counts).toEqual({
    important_value: 1,
    important_develop: 1,
    important_keep: 1,
    important_retain: 1,
    general_value: 1,
    general_develop: 1,
    general_keep: 1,
    general_retain: 2,
  })
  const expected: Record<string, [string | null, number | null, number, number]> = {
    阿宝: ['important_value', 1, 8, 1000],
    白菜: ['important_develop', 2, 1, 900],
    陈皮: ['important_keep', 30, 4, 800],
    大米: ['important_retain', 40, 1, 700],
    鹅蛋: ['general_value', 3, 4, 100],
    饭团: ['general_develop', 4, 1, 100],
    果冻: ['general_keep', 50, 4, 100],
    海苔: ['general_retain', 62, 1, 100],
    冰糖: ['general_retain', 24, 3, 475],
    酱油: [null, null, 0, 0],
    可乐: [null, null, 0, 0],
    辣条: [null, null, 0, 0],
  }
  for (const [nickname, [segment, recencyDays, orders, spentFen]] of Object.entries(expected)) {
    const { items } = await members({ q: nickname })
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({ nickname, segment, recencyDays, orders, spentFen })
  }
})

test('the segment filter lists exactly its customers; the default sort is the last payment first', async () => {
  const retain = await members({ segment: 'general_retain' })
  expect(retain.items.map((m: any) => m.nickname)).toEqual(['冰糖', '海苔'])
  expect(retain.nextCursor).toBeNull()
  const value = await members({ segment: 'important_value' })
  expect(value.items.map((m: any) => m.nickname)).toEqual(['阿宝'])
  const bySpent = await members({ sort: 'spent' })
  expect(bySpent.items.slice(0, 5).map((m: any) => m.nickname)).toEqual(['阿宝', '白菜', '陈皮', '大米', '冰糖'])
  const byOrders = await members({ sort: 'orders' })
  expect(byOrders.items[0].nickname).toBe('阿宝')
})

test('search: a nickname part, or at least 4 digits of a phone (shown masked)', async () => {
  const byPhone = await members({ q: '1111' })
  expect(byPhone.items.map((m: any) => [m.nickname, m.phone])).toEqual([['阿宝', '138****1111']])
  const full = await members({ q: '１３９０' }) // full-width digits, as a Chinese keyboard types them
  expect(full.items.map((m: any) => m.nickname)).toEqual(['白菜'])
  // three digits are not a phone search (and no nickname holds them)
  expect((await members({ q: '138' })).items).toEqual([])
  expect((await members({ q: '路人1' })).items.map((m: any) => m.nickname).sort()).toEqual(
    ['路人1', '路人10', '路人11', '路人12', '路人13', '路人14', '路人15', '路人16', '路人17', '路人18', '路人19'].sort(),
  )
})

test('paging walks every user once, buyers by their last payment first, and a bad cursor is refused', async () => {
  const seen: any[] = []
  let cursor: string | null = null
  do {
    const page: any = await members({ cursor })
    seen.push(...page.items)
    cursor = page.nextCursor
  } while (cursor)
  expect(seen).toHaveLength(38)
  expect(new Set(seen.map((m) => m.userId)).size).toBe(38)
  expect(seen.slice(0, 9).map((m) => m.nickname)).toEqual(['阿宝', '白菜', '鹅蛋', '饭团', '冰糖', '陈皮', '大米', '果冻', '海苔'])
  expect(seen.slice(9).every((m) => m.segment === null && m.recencyDays === null)).toBe(true)
  const joined: any[] = []
  cursor = null
  do {
    const page: any = await members({ sort: 'joined', cursor })
    joined.push(...page.items)
    cursor = page.nextCursor
  } while (cursor)
  expect(new Set(joined.map((m) => m.userId)).size).toBe(38)
  const bad = await stack.call('admin', { action: 'members', cursor: 'nonsense' }, admin)
  expect((bad.body as any).error.code).toBe('VALIDATION_FAILED')
})

test('a cursor that decodes but does not fit its sort is refused 400, never misread', async () => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url')
  const recentCursor = (await members()).nextCursor as string
  const spentCursor = (await members({ sort: 'spent' })).nextCursor as string
  expect(recentCursor).toBeTruthy()
  const cases: Array<Record<string, unknown>> = [
    { sort: 'spent', cursor: b64(['x', 'y']) },
    { sort: 'spent', cursor: b64(['spent', 'x', 'u_rfm_a']) },
    { sort: 'spent', cursor: recentCursor },
    { sort: 'joined', cursor: recentCursor },
    { sort: 'orders', cursor: spentCursor },
    { cursor: spentCursor },
    { sort: 'recent', cursor: b64(['recent', '2026-02-31 10:00:00+00', 'u_rfm_a']) },
    { sort: 'joined', cursor: b64(['joined', 'yesterday', 'u_rfm_a']) },
  ]
  for (const input of cases) {
    const r = await stack.call('admin', { action: 'members', ...input }, admin)
    expect([input, r.status, (r.body as any).error?.code, (r.body as any).error?.message]).toEqual([
      input,
      400,
      'VALIDATION_FAILED',
      '分页参数无效',
    ])
  }
  // The cursors the list gives still page their own sort.
  expect((await members({ sort: 'spent', cursor: spentCursor })).items.length).toBeGreaterThan(0)
})

test('a full-width nickname is found by its own text, and by its half-width form', async () => {
  await sql(stack, `INSERT INTO users (id, openid, nickname) VALUES ('u_rfm_fw', 'rfm-fw', 'Ｆｕｌｌ宽')`)
  try {
    for (const q of ['Ｆｕｌｌ宽', 'full宽', 'ＦＵＬＬ', 'ull']) {
      expect([q, (await members({ q })).items.map((m: any) => m.nickname)]).toEqual([q, ['Ｆｕｌｌ宽']])
    }
  } finally {
    await sql(stack, `DELETE FROM customer_stats WHERE user_id = 'u_rfm_fw'`)
    await sql(stack, `DELETE FROM users WHERE id = 'u_rfm_fw'`)
  }
})

test('paying and refunding moves a customer between segments at once', async () => {
  // 大米 (重要挽留, 40 days) pays again today: 2 orders, 1,200 fen, 0 days → still F low (2 < 28/9)
  const id = await order(stack, 'u_rfm_d', 500, 0, 'paid')
  let { items } = await members({ q: '大米' })
  expect(items[0]).toMatchObject({ recencyDays: 0, orders: 2, spentFen: 1200, segment: 'important_develop' })
  await sql(stack, `UPDATE orders SET status = 'refunded', refunded_at = now() WHERE id = $1`, [id])
  ;({ items } = await members({ q: '大米' }))
  expect(items[0]).toMatchObject({ recencyDays: 40, orders: 1, spentFen: 700, segment: 'important_retain' })
})

test("a customer's page: RFM, orders, source and whether 到券提醒 can reach them", async () => {
  const page = await stack.ok('admin', { action: 'member', userId: 'u_rfm_c' }, admin)
  expect(page.member).toMatchObject({ nickname: '陈皮', segment: 'important_keep', orders: 4, spentFen: 800 })
  expect(page.orders).toHaveLength(5)
  expect(page.orders.filter((o: any) => o.status === 'refunded')).toHaveLength(1)
  expect(page.notifiable).toBe(false)
  expect(page.source).toEqual({ room: null, sharer: null })
  const missing = await stack.call('admin', { action: 'member', userId: 'u_nobody' }, admin)
  expect((missing.body as any).error.code).toBe('NOT_FOUND')
})
