/** The console's flash-sale desk: live figures, ending (raced against orders), edits, overlap and price refusals, warnings. */
import pg from 'pg'
import { createProduct, key, payOrder, sql, untilBlockedBy } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let admin: string

beforeAll(async () => {
  stack = await startStack()
  admin = (await stack.login('admin')).token
}, 90_000)
afterAll(() => stack?.stop())

const hour = 3_600_000
const at = (ms: number) => new Date(Date.now() + ms).toISOString()
const product = () => createProduct(stack, admin, { priceFen: 5900, stock: 500 })
const saleInput = (productId: string, fields: Record<string, unknown> = {}) => ({
  action: 'createFlashSale',
  productId,
  salePriceFen: 1990,
  stock: 10,
  perUserLimit: 2,
  audience: 'all',
  startsAt: at(-hour),
  endsAt: at(hour),
  ...fields,
})
const createSale = async (productId: string, fields: Record<string, unknown> = {}) =>
  (await stack.ok('admin', saleInput(productId, fields), admin)).flashSaleId as string
const row = async (id: string) => {
  const { items } = await stack.ok('admin', { action: 'flashSales' }, admin)
  return items.find((i: any) => i.flashSaleId === id)
}
const buy = (token: string, productId: string, flashSaleId: string, qty = 1) =>
  stack.call('order', { action: 'create', items: [{ productId, qty }], flashSaleId, idempotencyKey: key() }, token)
const salesRows = () => sql(stack, 'SELECT * FROM flash_sales ORDER BY seq')

test('sold and remaining follow the orders as they come; paid units and GMV net of refunds', async () => {
  const p = await product()
  const s = await createSale(p)
  expect(await row(s)).toMatchObject({ state: 'active', stock: 10, sold: 0, paidUnits: 0, gmvFen: 0, salePriceFen: 1990, priceFen: 5900 })
  const [a, b, c] = await Promise.all(['fd-a', 'fd-b', 'fd-c'].map((o) => stack.login(o)))
  const oa = (await buy(a.token, p, s, 2)).body as any
  const ob = (await buy(b.token, p, s)).body as any
  const oc = (await buy(c.token, p, s)).body as any
  expect(await row(s)).toMatchObject({ sold: 4, paidUnits: 0 }) // remaining 6
  await payOrder(stack, a.token, oa.data.orderId)
  await payOrder(stack, b.token, ob.data.orderId)
  expect(await row(s)).toMatchObject({ sold: 4, paidUnits: 3, gmvFen: 3 * 1990 })
  await stack.ok('order', { action: 'cancel', orderId: oc.data.orderId }, c.token)
  expect(await row(s)).toMatchObject({ sold: 3, paidUnits: 3 })
  await stack.ok('admin', { action: 'refund', orderId: ob.data.orderId, reason: '测试' }, admin)
  expect(await row(s)).toMatchObject({ sold: 2, paidUnits: 2, gmvFen: 2 * 1990 })
  // The state tabs: active holds it, upcoming does not; a sold-out sale is in sold_out.
  const tab = async (state: string) =>
    (await stack.ok('admin', { action: 'flashSales', state }, admin)).items.map((i: any) => i.flashSaleId) as string[]
  expect(await tab('active')).toContain(s)
  expect(await tab('upcoming')).not.toContain(s)
  const tiny = await createSale(await product(), { stock: 1 })
  await buy(a.token, (await sql(stack, 'SELECT product_id FROM flash_sales WHERE id = $1', [tiny]))[0].product_id, tiny)
  expect(await tab('sold_out')).toContain(tiny)
  expect(await tab('active')).not.toContain(tiny)
})

test('ending a sale stops selling at once: racing orders never take a unit after the end committed', async () => {
  const p = await product()
  const s = await createSale(p, { stock: 100, perUserLimit: 1 })
  const users = await Promise.all(Array.from({ length: 16 }, (_, i) => stack.login(`end-${i}`)))
  const end = stack.call('admin', { action: 'endFlashSale', flashSaleId: s }, admin)
  const orders = await Promise.all(users.map((u) => buy(u.token, p, s)))
  expect((await end).status).toBe(200)
  for (const r of orders.filter((x) => x.status !== 200))
    expect((r.body as any).error).toEqual({ code: 'FLASH_SALE_NOT_ACTIVE', message: '秒杀已结束' })
  const passed = orders.filter((r) => r.status === 200).length
  const [{ sold }] = await sql(stack, 'SELECT sold FROM flash_sales WHERE id = $1', [s])
  expect(sold).toBe(passed)
  expect(await row(s)).toMatchObject({ state: 'ended', sold: passed })
  // From now on: not in the shopper's list, no order, no edit, no second end.
  const shopper = users[0]!.token
  expect((await stack.ok('flash', { action: 'list' }, shopper)).items.map((i: any) => i.id)).not.toContain(s)
  expect(((await buy((await stack.login('end-late')).token, p, s)).body as any).error.code).toBe('FLASH_SALE_NOT_ACTIVE')
  expect(((await stack.call('admin', { action: 'updateFlashSale', flashSaleId: s, stock: 50 }, admin)).body as any).error.code).toBe(
    'FLASH_SALE_ENDED',
  )
  expect(((await stack.call('admin', { action: 'endFlashSale', flashSaleId: s }, admin)).body as any).error.code).toBe('FLASH_SALE_ENDED')

  // An order whose sale is being ended waits for the end, then takes nothing.
  const s2 = await createSale(await product(), { stock: 5 })
  const [{ product_id: p2 }] = await sql(stack, 'SELECT product_id FROM flash_sales WHERE id = $1', [s2])
  const db = new pg.Client({ connectionString: stack.databaseUrl })
  await db.connect()
  try {
    const buyer = await stack.login('end-waiting')
    await db.query('BEGIN')
    await db.query('UPDATE flash_sales SET ended_at = now() WHERE id = $1', [s2])
    let answered = false
    const pending = buy(buyer.token, p2, s2).then((r) => ((answered = true), r))
    await untilBlockedBy(stack, db)
    expect(answered).toBe(false)
    await db.query('COMMIT')
    expect(((await pending).body as any).error).toEqual({ code: 'FLASH_SALE_NOT_ACTIVE', message: '秒杀已结束' })
    expect(await sql(stack, 'SELECT sold FROM flash_sales WHERE id = $1', [s2])).toEqual([{ sold: 0 }])
  } finally {
    await db.end()
  }
  // An upcoming sale can be ended too; it never opens.
  const up = await createSale(await product(), { startsAt: at(hour), endsAt: at(2 * hour) })
  expect((await stack.ok('admin', { action: 'endFlashSale', flashSaleId: up }, admin)).flashSale.state).toBe('ended')
}, 120_000)

test('overlapping windows of one SKU are refused, also when two creates race; an ended sale frees its window', async () => {
  const p = await product()
  const first = await createSale(p, { startsAt: at(hour), endsAt: at(3 * hour) })
  const before = await salesRows()
  const overlap = await stack.call('admin', saleInput(p, { startsAt: at(2 * hour), endsAt: at(4 * hour) }), admin)
  expect(overlap.status).toBe(400)
  expect(overlap.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: [{ path: 'startsAt' }] } })
  expect((overlap.body as any).error.message).toContain('时间不能重叠')
  expect(await salesRows()).toEqual(before)
  // Back to back is no overlap.
  const [{ ends_at }] = await sql(stack, 'SELECT ends_at FROM flash_sales WHERE id = $1', [first])
  await createSale(p, { startsAt: ends_at.toISOString(), endsAt: at(5 * hour) })
  // Two racing creates of overlapping windows (different keys): the database lets one in.
  const q = await product()
  const racing = await Promise.all(
    [0, 1, 2, 3].map((i) =>
      stack.call('admin', saleInput(q, { startsAt: at(hour + i * 60_000), endsAt: at(2 * hour), idempotencyKey: key() }), admin),
    ),
  )
  expect(racing.filter((r) => r.status === 200)).toHaveLength(1)
  for (const r of racing.filter((x) => x.status !== 200)) expect((r.body as any).error.code).toBe('VALIDATION_FAILED')
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM flash_sales WHERE product_id = $1', [q])).toEqual([{ n: 1 }])
  // Edits that would overlap are refused too; ending the first frees its window.
  const later = (await sql(stack, 'SELECT id FROM flash_sales WHERE product_id = $1 AND id <> $2', [p, first]))[0].id
  const moved = await stack.call('admin', { action: 'updateFlashSale', flashSaleId: later, startsAt: at(2 * hour) }, admin)
  expect((moved.body as any).error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'startsAt' }] })
  await stack.ok('admin', { action: 'endFlashSale', flashSaleId: first }, admin)
  await createSale(p, { startsAt: at(hour), endsAt: at(2 * hour) })
})

test('a price not below the SKU, stock below sold and bad edits are refused with the reason and change nothing', async () => {
  const p = await product()
  const before = await salesRows()
  const high = await stack.call('admin', saleInput(p, { salePriceFen: 5900 }), admin)
  expect(high.body).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION_FAILED', details: [{ path: 'salePriceFen', message: '秒杀价须低于商品售价 ¥59.00' }] },
  })
  expect(await salesRows()).toEqual(before)

  const s = await createSale(p)
  const buyers = await Promise.all(['bad-a', 'bad-b'].map((o) => stack.login(o)))
  for (const u of buyers) expect((await buy(u.token, p, s)).status).toBe(200)
  const snapshot = await salesRows()
  const refusals: Array<[Record<string, unknown>, string, number]> = [
    [{ stock: 1 }, 'stock', 400],
    [{ salePriceFen: 990 }, 'salePriceFen', 400], // started: the price is fixed
    [{ startsAt: at(hour / 2) }, 'startsAt', 400], // started: the start is fixed
    [{ endsAt: at(-60_000) }, 'endsAt', 400], // the end in the past is 结束's job
  ]
  for (const [edit, path, status] of refusals) {
    const r = await stack.call('admin', { action: 'updateFlashSale', flashSaleId: s, ...edit }, admin)
    expect(r.status).toBe(status)
    expect(r.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: [{ path }] } })
  }
  expect(await salesRows()).toEqual(snapshot)
  // What may change while it runs: stock down to sold, the limit, the end.
  const ok = await stack.ok('admin', { action: 'updateFlashSale', flashSaleId: s, stock: 2, perUserLimit: 1, endsAt: at(3 * hour) }, admin)
  expect(ok.flashSale).toMatchObject({ stock: 2, sold: 2, perUserLimit: 1, state: 'sold_out' })
  // Before it starts, price and start may change (the price still below the SKU's).
  const up = await createSale(await product(), { startsAt: at(hour), endsAt: at(2 * hour) })
  const edited = await stack.ok(
    'admin',
    { action: 'updateFlashSale', flashSaleId: up, salePriceFen: 2990, startsAt: at(30 * 60_000) },
    admin,
  )
  expect(edited.flashSale).toMatchObject({ salePriceFen: 2990, state: 'upcoming' })
  const inverted = await stack.call('admin', { action: 'updateFlashSale', flashSaleId: up, endsAt: at(10 * 60_000) }, admin)
  expect((inverted.body as any).error).toMatchObject({
    code: 'VALIDATION_FAILED',
    details: [{ path: 'endsAt', message: '结束时间须晚于开始时间' }],
  })
  expect((await stack.call('admin', { action: 'updateFlashSale', flashSaleId: 'fs_missing', stock: 3 }, admin)).status).toBe(404)
})

test('warnings need confirming; the same key raced creates one sale; an operator may, customer service may not', async () => {
  const p = await createProduct(stack, admin, { priceFen: 5900, stock: 20 })
  const risky = saleInput(p, { salePriceFen: 100, stock: 50 })
  const before = await salesRows()
  const warned = await stack.call('admin', risky, admin)
  expect(warned.status).toBe(409)
  expect((warned.body as any).error.code).toBe('CONFIRM_REQUIRED')
  expect((warned.body as any).error.details.warnings.map((w: any) => w.code).sort()).toEqual([
    'FLASH_PRICE_VERY_LOW',
    'FLASH_STOCK_ABOVE_SKU',
  ])
  expect(await salesRows()).toEqual(before)
  const k = key()
  const confirmed = { ...risky, confirm: ['FLASH_PRICE_VERY_LOW', 'FLASH_STOCK_ABOVE_SKU'], idempotencyKey: k }
  const answers = await Promise.all(Array.from({ length: 5 }, () => stack.ok('admin', confirmed, admin)))
  expect(new Set(answers.map((a) => a.flashSaleId)).size).toBe(1)
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM flash_sales WHERE product_id = $1', [p])).toEqual([{ n: 1 }])
  // Editing the stock above the SKU's again asks; the same edit confirmed passes.
  const s = answers[0].flashSaleId
  const more = await stack.call('admin', { action: 'updateFlashSale', flashSaleId: s, stock: 60 }, admin)
  expect((more.body as any).error.details.warnings.map((w: any) => w.code)).toEqual(['FLASH_STOCK_ABOVE_SKU'])
  await stack.ok('admin', { action: 'updateFlashSale', flashSaleId: s, stock: 60, confirm: ['FLASH_STOCK_ABOVE_SKU'] }, admin)

  await stack.ok('admin', { action: 'setStaff', openid: 'flash-op', role: 'operator' }, admin)
  await stack.ok('admin', { action: 'setStaff', openid: 'flash-svc', role: 'service' }, admin)
  const op = (await stack.login('flash-op')).token
  const svc = (await stack.login('flash-svc')).token
  expect((await stack.ok('admin', { action: 'flashSales' }, op)).items.length).toBeGreaterThan(0)
  expect((await stack.ok('admin', { action: 'endFlashSale', flashSaleId: s }, op)).flashSale.state).toBe('ended')
  for (const data of [{ action: 'flashSales' }, { action: 'endFlashSale', flashSaleId: s }, { action: 'updateFlashSale', flashSaleId: s }])
    expect((await stack.call('admin', data, svc)).status).toBe(403)
  const audit = await sql(stack, `SELECT action FROM audit_log WHERE target LIKE $1 ORDER BY seq`, [`%${s}%`])
  // (Each answered copy of the create is an entry; the edit refused for its warning is none.)
  expect([...new Set(audit.map((a) => a.action))]).toEqual(['admin.createFlashSale', 'admin.updateFlashSale', 'admin.endFlashSale'])
  expect(audit.filter((a) => a.action === 'admin.updateFlashSale')).toHaveLength(1)
})

test('a window already over is refused, over a year refused, over a month or a year ahead asked about; the overlap message has the year', async () => {
  const p = await product()
  const day = 24 * hour
  const before = await salesRows()
  for (const [fields, message] of [
    [{ startsAt: at(-30 * day), endsAt: at(-29 * day) }, '结束时间已经过去，请选择晚于现在的结束时间'],
    [{ startsAt: at(-hour), endsAt: '9999-12-31T00:00:00.000Z' }, '秒杀时长不能超过一年，请检查结束时间'],
    [{ startsAt: at(hour), endsAt: at(-hour) }, '结束时间须晚于开始时间'],
  ] as const) {
    const r = await stack.call('admin', saleInput(p, fields), admin)
    expect(r.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message, details: [{ path: 'endsAt', message }] } })
  }
  expect(await salesRows()).toEqual(before)
  const long = await stack.call('admin', saleInput(p, { startsAt: at(hour), endsAt: at(60 * day) }), admin)
  expect(long.body).toMatchObject({
    ok: false,
    error: { code: 'CONFIRM_REQUIRED', details: { warnings: [{ code: 'FLASH_LONG_WINDOW' }] } },
  })
  const farStart = '2099-06-01T02:00:00.000Z'
  const far = await stack.call('admin', saleInput(p, { startsAt: farStart, endsAt: '2099-06-01T04:00:00.000Z' }), admin)
  expect(far.body).toMatchObject({ ok: false, error: { code: 'CONFIRM_REQUIRED', details: { warnings: [{ code: 'FLASH_STARTS_FAR' }] } } })
  expect(await salesRows()).toEqual(before)
  await createSale(p, { startsAt: farStart, endsAt: '2099-06-01T04:00:00.000Z', confirm: ['FLASH_STARTS_FAR'] })
  const overlap = await stack.call(
    'admin',
    saleInput(p, { startsAt: '2099-06-01T03:00:00.000Z', endsAt: '2099-06-01T05:00:00.000Z', confirm: ['FLASH_STARTS_FAR'] }),
    admin,
  )
  expect((overlap.body as any).error.message).toContain('（2099-06-01 10:00 至 2099-06-01 12:00）')
  // An edit may not stretch a sale past a year either.
  const s = await createSale(p)
  const stretched = await stack.call('admin', { action: 'updateFlashSale', flashSaleId: s, endsAt: at(400 * day) }, admin)
  expect(stretched.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: [{ path: 'endsAt' }] } })
})

test('an unknown product is NOT_FOUND; a product of several SKUs without one is refused on skuId', async () => {
  const multi = await createProduct(stack, admin, {
    title: '两种规格',
    specGroups: [{ name: '规格', values: ['100g', '250g'] }],
    skus: [
      { specs: { 规格: '100g' }, priceFen: 5000, stock: 20 },
      { specs: { 规格: '250g' }, priceFen: 11000, stock: 8 },
    ],
  })
  const before = await salesRows()
  const unknown = await stack.call('admin', saleInput('p_nowhere'), admin)
  expect(unknown.body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: '商品不存在' } })
  const noSku = await stack.call('admin', saleInput(multi), admin)
  expect(noSku.body).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION_FAILED', message: '请选择商品规格', details: [{ path: 'skuId', message: '请选择商品规格' }] },
  })
  expect(await salesRows()).toEqual(before)
})
