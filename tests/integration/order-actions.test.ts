/**
 * What a shopper and the merchant do with an order after it is placed, on a real PostgreSQL: readable
 * order numbers, shipping with a carrier and waybill number (raced ships make one shipment), the
 * logistics and refund window in the shopper's views, and 再次购买.
 */
import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { createProduct, key, payOrder, saveAddress, sql } from '../helpers/mall'
import { createTestDatabase, startStack, type Stack } from '../helpers/stack'

const MIGRATIONS_DIR = path.resolve(__dirname, '..', '..', 'cloud', 'db', 'migrations')

let stack: Stack
let admin: string

beforeAll(async () => {
  stack = await startStack()
  admin = (await stack.login('admin')).token
}, 90_000)
afterAll(() => stack?.stop())

async function paidOrder(openid: string, qty = 1) {
  const productId = await createProduct(stack, admin, { stock: 10 })
  const { token } = await stack.login(openid)
  // With an address: an order without one is not shipped.
  const { address } = await saveAddress(stack, token)
  const { orderId } = await stack.ok(
    'order',
    { action: 'create', items: [{ productId, qty }], idempotencyKey: key(), addressId: address.id },
    token,
  )
  await payOrder(stack, token, orderId)
  return { productId, token, orderId }
}

const chinaDay = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '')

test('every order gets a readable, unique order number: the China date and a sequence', async () => {
  const productId = await createProduct(stack, admin, { stock: 50 })
  const tokens = await Promise.all(Array.from({ length: 12 }, (_, i) => stack.login(`order-no-${i}`).then((r) => r.token)))
  const before = new Date()
  const created = await Promise.all(
    tokens.map((t) => stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, t)),
  )
  const orders = await Promise.all(created.map((c, i) => stack.ok('order', { action: 'get', orderId: c.orderId }, tokens[i])))
  const numbers = orders.map((o) => o.order.orderNo as string)
  expect(new Set(numbers).size).toBe(12)
  for (const no of numbers) {
    expect(no).toMatch(/^[0-9]{16}$/)
    expect([chinaDay(before), chinaDay(new Date())]).toContain(no.slice(0, 8))
  }
  // The list carries the same number.
  const listed = await stack.ok('order', { action: 'list' }, tokens[0])
  expect(listed.items[0].orderNo).toBe(numbers[0])
  // The database refuses a duplicate, whoever writes it.
  await expect(sql(stack, 'UPDATE orders SET order_no = $1 WHERE id = $2', [numbers[0], created[1].orderId])).rejects.toThrow(/order_no/)
  // The date part is the day in China: 17:00 UTC on 31 January is 1 February in Shanghai.
  const [{ no }] = await sql(stack, `SELECT next_order_no('2025-01-31T17:00:00Z') AS no`)
  expect(no).toMatch(/^20250201[0-9]{8}$/)
})

test('admin.ship needs a known carrier and a waybill number of 6-40 letters and digits; bad input changes nothing', async () => {
  const { orderId, token } = await paidOrder('ship-validate')
  const bad = [
    {},
    { carrier: '顺丰速运' },
    { trackingNo: 'SF1234567890' },
    { carrier: '某某快递', trackingNo: 'SF1234567890' },
    { carrier: '顺丰速运', trackingNo: 'SF123' },
    { carrier: '顺丰速运', trackingNo: 'SF-12' },
    { carrier: '顺丰速运', trackingNo: '运单1234567' },
    { carrier: '顺丰速运', trackingNo: 'A'.repeat(41) },
  ]
  for (const fields of bad) {
    const r = await stack.call('admin', { action: 'ship', orderId, ...fields }, admin)
    expect(r.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
  }
  // Each refusal says what is wrong in Chinese, the top-level message included.
  const carrier = await stack.call('admin', { action: 'ship', orderId, carrier: '顺丰', trackingNo: 'SF1234567890' }, admin)
  const carrierMessage = '请选择快递公司（顺丰速运、中通快递、圆通速递、韵达快递、申通快递、京东物流、邮政EMS、极兔速递）'
  expect(carrier.body).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION_FAILED', message: carrierMessage, details: [{ path: 'carrier', message: carrierMessage }] },
  })
  const waybill = await stack.call('admin', { action: 'ship', orderId, carrier: '顺丰速运', trackingNo: 'SF#123' }, admin)
  expect(waybill.body).toMatchObject({
    ok: false,
    error: {
      code: 'VALIDATION_FAILED',
      message: '运单号为 6-40 位字母或数字',
      details: [{ path: 'trackingNo', message: '运单号为 6-40 位字母或数字' }],
    },
  })
  expect((await stack.call('admin', { action: 'ship', orderId, carrier: '顺丰速运', trackingNo: 'SF1234567890' }, token)).status).toBe(403)
  const unchanged = (await stack.ok('order', { action: 'get', orderId }, token)).order
  expect(unchanged).toMatchObject({ status: 'paid', logistics: null })
  // Spaces and dashes typed in the number are dropped and letters upper-cased.
  const { order } = await stack.ok('admin', { action: 'ship', orderId, carrier: '顺丰速运', trackingNo: ' sf-1234 5678 90 ' }, admin)
  expect(order).toMatchObject({ status: 'shipped', logistics: { carrier: '顺丰速运', trackingNo: 'SF1234567890' } })
  expect(await sql(stack, 'SELECT tracking_no FROM orders WHERE id = $1', [orderId])).toEqual([{ tracking_no: 'SF1234567890' }])
})

test('racing ships of one order make one shipment; a retry of it is answered, other logistics are refused', async () => {
  const { orderId, token } = await paidOrder('ship-race')
  const carriers = ['顺丰速运', '中通快递', '圆通速递', '韵达快递', '京东物流'] as const
  const results = await Promise.all(
    carriers.map((carrier, i) => stack.call('admin', { action: 'ship', orderId, carrier, trackingNo: `RACE00000${i}` }, admin)),
  )
  const won = results.filter((r) => r.status === 200)
  expect(won).toHaveLength(1)
  for (const r of results.filter((x) => x.status !== 200)) {
    expect(r.body).toMatchObject({ ok: false, error: { code: 'ORDER_ALREADY_SHIPPED' } })
  }
  const { logistics } = (won[0].body as { data: { order: any } }).data.order
  const { carrier, trackingNo } = logistics
  const rows = await sql(stack, 'SELECT status, carrier, tracking_no FROM orders WHERE id = $1', [orderId])
  expect(rows).toEqual([{ status: 'shipped', carrier: logistics.carrier, tracking_no: logistics.trackingNo }])
  // The same shipment again (a retry) answers the order as it is, with the first shipping time.
  const again = await stack.ok('admin', { action: 'ship', orderId, carrier, trackingNo }, admin)
  expect(again.order.logistics).toEqual(logistics)
  // After receipt a retry still changes nothing.
  await stack.ok('order', { action: 'confirmReceipt', orderId }, token)
  expect((await stack.ok('admin', { action: 'ship', orderId, carrier, trackingNo }, admin)).order.status).toBe('completed')
  // An order that is not paid can't be shipped.
  const productId = await createProduct(stack, admin, { stock: 1 })
  const pending = await stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, token)
  const r = await stack.call('admin', { action: 'ship', orderId: pending.orderId, carrier: '顺丰速运', trackingNo: 'SF1234567890' }, admin)
  expect(r.body).toMatchObject({ ok: false, error: { code: 'ORDER_STATUS_CHANGED' } })
})

test('the shopper sees the logistics and until when a refund may be asked, in order.get and order.list', async () => {
  const { orderId, token } = await paidOrder('logistics-viewer')
  const paid = (await stack.ok('order', { action: 'get', orderId }, token)).order
  expect(paid.logistics).toBeNull()
  // The refund window is 7 days from payment (the rule order.requestRefund keeps).
  expect(new Date(paid.refundableUntil).getTime() - new Date(paid.paidAt).getTime()).toBe(7 * 86_400_000)
  await stack.ok('admin', { action: 'ship', orderId, carrier: '极兔速递', trackingNo: 'JT0012345678' }, admin)
  const got = (await stack.ok('order', { action: 'get', orderId }, token)).order
  expect(got.logistics).toEqual({ carrier: '极兔速递', trackingNo: 'JT0012345678', shippedAt: expect.any(String) })
  const listed = (await stack.ok('order', { action: 'list', tab: 'shipped' }, token)).items
  expect(listed).toHaveLength(1)
  expect(listed[0]).toMatchObject({ id: orderId, logistics: got.logistics, refundableUntil: paid.refundableUntil })
  // Past the window there is nothing to ask for, and the view says so.
  await sql(stack, `UPDATE orders SET paid_at = now() - interval '8 days' WHERE id = $1`, [orderId])
  expect((await stack.ok('order', { action: 'get', orderId }, token)).order.refundableUntil).toBeNull()
  expect((await stack.call('order', { action: 'requestRefund', orderId, reason: '不想要了' }, token)).body).toMatchObject({
    ok: false,
    error: { code: 'ORDER_NOT_REFUNDABLE' },
  })
  // An unpaid order has no refund window.
  const productId = await createProduct(stack, admin, { stock: 1 })
  const pending = await stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, token)
  expect((await stack.ok('order', { action: 'get', orderId: pending.orderId }, token)).order.refundableUntil).toBeNull()
})

test('再次购买 puts what is still on sale back in the cart and names what is not', async () => {
  const [keep, offSale, soldOut] = await Promise.all([
    createProduct(stack, admin, { title: '明前龙井', stock: 10 }),
    createProduct(stack, admin, { title: '大红袍', stock: 10 }),
    createProduct(stack, admin, { title: '白毫银针', stock: 1 }),
  ])
  const { token } = await stack.login('buy-again')
  const items = [
    { productId: keep, qty: 2 },
    { productId: offSale, qty: 1 },
    { productId: soldOut, qty: 1 },
  ]
  const { orderId } = await stack.ok('order', { action: 'create', items, idempotencyKey: key() }, token)
  await payOrder(stack, token, orderId)
  await sql(stack, 'UPDATE products SET on_sale = false WHERE id = $1', [offSale])
  await stack.ok(
    'cart',
    { action: 'add', skuId: (await sql(stack, 'SELECT id FROM skus WHERE product_id = $1', [keep]))[0].id, qty: 1 },
    token,
  )

  const r = await stack.ok('order', { action: 'buyAgain', orderId }, token)
  expect(r.added).toBe(1)
  expect(r.unavailable).toHaveLength(2)
  expect(r.unavailable).toEqual(
    expect.arrayContaining([
      { title: '大红袍', specText: '', reason: 'OFF_SALE' },
      { title: '白毫银针', specText: '', reason: 'SOLD_OUT' },
    ]),
  )
  // The line holds max(what the cart held, the ordered quantity): 1 in the cart, 2 ordered → 2.
  expect(r.cart.lines.map((l: any) => [l.productId, l.qty])).toEqual([[keep, 2]])
  expect((await stack.ok('cart', { action: 'list' }, token)).totalQty).toBe(2)

  // Someone else's order does not exist for them.
  const other = await stack.login('buy-again-other')
  expect((await stack.call('order', { action: 'buyAgain', orderId }, other.token)).body).toMatchObject({
    ok: false,
    error: { code: 'NOT_FOUND' },
  })
  expect((await stack.ok('cart', { action: 'list' }, other.token)).lines).toEqual([])
})

test("再次购买 raced 10 times leaves the order's quantities in the cart once, and a fuller line stays as it is", async () => {
  const [a, b] = await Promise.all([createProduct(stack, admin, { stock: 200 }), createProduct(stack, admin, { stock: 200 })])
  const { token } = await stack.login('buy-again-race')
  const items = [
    { productId: a, qty: 2 },
    { productId: b, qty: 3 },
  ]
  const { orderId } = await stack.ok('order', { action: 'create', items, idempotencyKey: key() }, token)
  const skuB = (await sql(stack, 'SELECT id FROM skus WHERE product_id = $1', [b]))[0].id
  await stack.ok('cart', { action: 'add', skuId: skuB, qty: 5 }, token)
  const answers = await Promise.all(Array.from({ length: 10 }, () => stack.call('order', { action: 'buyAgain', orderId }, token)))
  expect(answers.map((r) => r.status)).toEqual(Array(10).fill(200))
  const cart = await stack.ok('cart', { action: 'list' }, token)
  const qtyOf = Object.fromEntries(cart.lines.map((l: any) => [l.productId, l.qty]))
  expect(qtyOf).toEqual({ [a]: 2, [b]: 5 })
  expect(cart.totalQty).toBe(7)
})

test('a cart line holds at most 99: more is refused with 每件商品最多购买 99 件, and adding past it stops at 99', async () => {
  const productId = await createProduct(stack, admin, { stock: 500 })
  const skuId = (await sql(stack, 'SELECT id FROM skus WHERE product_id = $1', [productId]))[0].id
  const { token } = await stack.login('cart-limit')
  for (const body of [
    { action: 'add', skuId, qty: 100 },
    { action: 'setQty', skuId, qty: 150 },
  ]) {
    const r = await stack.call('cart', body, token)
    expect(r.status).toBe(400)
    expect(r.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: '每件商品最多购买 99 件' } })
  }
  const over = await stack.call('order', { action: 'preview', items: [{ productId, qty: 100 }] }, token)
  expect(over.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: '每件商品最多购买 99 件' } })
  await stack.ok('cart', { action: 'add', skuId, qty: 60 }, token)
  const cart = await stack.ok('cart', { action: 'add', skuId, qty: 60 }, token)
  expect(cart.lines[0].qty).toBe(99)
})

test('ordering from the cart takes only the units ordered: the rest of the line stays', async () => {
  const productId = await createProduct(stack, admin, { stock: 500 })
  const otherId = await createProduct(stack, admin, { stock: 500 })
  const skuId = (await sql(stack, 'SELECT id FROM skus WHERE product_id = $1', [productId]))[0].id
  const otherSku = (await sql(stack, 'SELECT id FROM skus WHERE product_id = $1', [otherId]))[0].id
  const { token } = await stack.login('cart-units')
  await stack.ok('cart', { action: 'add', skuId, qty: 90 }, token)
  await stack.ok('cart', { action: 'add', skuId: otherSku, qty: 4 }, token)
  await stack.ok(
    'order',
    {
      action: 'create',
      items: [
        { productId, qty: 30 },
        { productId: otherId, qty: 4 },
      ],
      idempotencyKey: key(),
      fromCart: true,
    },
    token,
  )
  const cart = await stack.ok('cart', { action: 'list' }, token)
  expect(cart.lines.map((l: any) => [l.skuId, l.qty])).toEqual([[skuId, 60]])
})

test('the migration gives orders placed before it a number of their own day, and later orders keep counting', async () => {
  const db = new pg.Client({ connectionString: await createTestDatabase() })
  await db.connect()
  // Each migration's up part, as node-pg-migrate runs a SQL migration.
  const files = fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()
  const up = async (file: string) => db.query(fs.readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8').split('-- Down Migration')[0]!)
  const ours = files.indexOf('1700000000011_order_no_shipping.sql')
  try {
    for (const f of files.slice(0, ours)) await up(f) // the schema before order numbers
    await db.query(`INSERT INTO users (id, openid, nickname) VALUES ('u_old', 'old-openid', '老顾客')`)
    for (const [i, at] of ['2025-03-01T02:00:00Z', '2025-03-01T17:30:00Z'].entries()) {
      await db.query(
        `INSERT INTO orders (id, user_id, status, idempotency_key, goods_fen, payable_fen, created_at, pay_deadline)
         VALUES ($1, 'u_old', 'cancelled', $2, 100, 100, $3, $3)`,
        [`o_old${i}`, `old-key-${i}`, at],
      )
    }
    for (const f of files.slice(ours)) await up(f)
    const { rows } = await db.query<{ id: string; order_no: string }>('SELECT id, order_no FROM orders ORDER BY id')
    expect(rows.map((r) => r.order_no.slice(0, 8))).toEqual(['20250301', '20250302']) // the second was placed on 2 March in China
    for (const r of rows) expect(r.order_no).toMatch(/^[0-9]{16}$/)
    expect(new Set(rows.map((r) => r.order_no.slice(8))).size).toBe(2)
    const { rows: fresh } = await db.query<{ order_no: string }>(
      `INSERT INTO orders (user_id, status, idempotency_key, goods_fen, payable_fen, pay_deadline)
       VALUES ('u_old', 'pending_payment', 'new-key-1', 100, 100, now()) RETURNING order_no`,
    )
    expect(Number(fresh[0].order_no.slice(8))).toBeGreaterThan(Math.max(...rows.map((r) => Number(r.order_no.slice(8)))))
  } finally {
    await db.end()
  }
})
