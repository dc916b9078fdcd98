/**
 * The mall's money and stock rules on a real PostgreSQL, raced the way shoppers and payment
 * providers race them: nothing oversold, one order per idempotency key, paid exactly once,
 * stock given back exactly once.
 */
import { SANDBOX_SECRET_KEY, sandboxPayment } from '../../cloud/adapters/payment/sandbox'
import { createProduct, key, payOrder, postNotify, saveAddress, sql, stockOf } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let admin: string

beforeAll(async () => {
  stack = await startStack()
  admin = (await stack.login('admin')).token
}, 90_000)
afterAll(() => stack?.stop())

const buyers = (n: number, prefix: string) =>
  Promise.all(Array.from({ length: n }, (_, i) => stack.login(`${prefix}-${i}`).then((r) => r.token)))

test('50 buyers racing for 5 units make exactly 5 orders; the rest are told it is out of stock', async () => {
  const productId = await createProduct(stack, admin, { stock: 5 })
  const tokens = await buyers(50, 'racer')
  const results = await Promise.all(
    tokens.map((t) => stack.call('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, t)),
  )
  const ok = results.filter((r) => r.status === 200)
  const refused = results.filter((r) => r.status === 409)
  expect(ok).toHaveLength(5)
  expect(refused).toHaveLength(45)
  for (const r of refused) expect(r.body).toMatchObject({ ok: false, error: { code: 'OUT_OF_STOCK' } })
  expect(await stockOf(stack, productId)).toBe(0)
  const [{ n }] = await sql(stack, `SELECT count(*)::int AS n FROM order_items WHERE product_id = $1`, [productId])
  expect(n).toBe(5)
  // A refused order leaves nothing behind.
  const [{ orders }] = await sql(stack, `SELECT count(DISTINCT order_id)::int AS orders FROM order_items WHERE product_id = $1`, [
    productId,
  ])
  expect(orders).toBe(5)
}, 60_000)

test('the same idempotency key five times at once makes one order', async () => {
  const productId = await createProduct(stack, admin, { stock: 10 })
  const [token] = await buyers(1, 'repeat-tapper')
  const k = key()
  const results = await Promise.all(
    Array.from({ length: 5 }, () => stack.ok('order', { action: 'create', items: [{ productId, qty: 2 }], idempotencyKey: k }, token)),
  )
  expect(new Set(results.map((r) => r.orderId)).size).toBe(1)
  expect(await stockOf(stack, productId)).toBe(8)
  const later = await stack.ok('order', { action: 'create', items: [{ productId, qty: 2 }], idempotencyKey: k }, token)
  expect(later.orderId).toBe(results[0].orderId)
  expect(await stockOf(stack, productId)).toBe(8)
  // Eight spaces (or a key with a blank or control character inside) are no key: refused, nothing reserved.
  for (const bad of [' '.repeat(8), 'abcd efgh', 'abcdefgh\n']) {
    expect(
      (await stack.call('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: bad }, token)).body,
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    })
  }
  expect(await stockOf(stack, productId)).toBe(8)
})

test('the server prices the order; a price sent by the client is ignored', async () => {
  const productId = await createProduct(stack, admin, { priceFen: 1234, stock: 10 })
  const [token] = await buyers(1, 'bargainer')
  const r = await stack.ok(
    'order',
    { action: 'create', items: [{ productId, qty: 3, priceFen: 1 }], payableFen: 1, idempotencyKey: key() },
    token,
  )
  expect(r.payableFen).toBe(3702)
  const { order } = await stack.ok('order', { action: 'get', orderId: r.orderId }, token)
  expect(order).toMatchObject({
    status: 'pending_payment',
    goodsFen: 3702,
    payableFen: 3702,
    items: [{ productId, qty: 3, unitPriceFen: 1234, lineFen: 3702 }],
  })
})

test('a payment notify arriving 20 times at once pays the order once, with one payment record', async () => {
  const productId = await createProduct(stack, admin, { stock: 3 })
  const [token] = await buyers(1, 'payer')
  const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, token)
  const { payment } = await stack.ok('order', { action: 'pay', orderId }, token)
  expect(payment).toMatchObject({ provider: 'sandbox', amountFen: 990 })
  const answers = await Promise.all(Array.from({ length: 20 }, () => postNotify(payment.notifyUrl, payment.body)))
  for (const a of answers) expect(a.answer.code).toBe('SUCCESS')
  expect(answers.filter((a) => a.answer.message === 'paid')).toHaveLength(1)
  const { order } = await stack.ok('order', { action: 'get', orderId }, token)
  expect(order.status).toBe('paid')
  expect(order.paidAt).not.toBeNull()
  const payments = await sql(stack, 'SELECT * FROM payments WHERE order_id = $1', [orderId])
  expect(payments).toHaveLength(1)
  expect(payments[0]).toMatchObject({ amount_fen: 990, status: 'paid' })
  // Paying again is refused; the customer is now an existing one.
  expect((await stack.call('order', { action: 'pay', orderId }, token)).body).toMatchObject({
    ok: false,
    error: { code: 'ORDER_NOT_PAYABLE' },
  })
  expect((await stack.ok('auth', { action: 'me' }, token)).user.isNewCustomer).toBe(false)
})

test('an altered notify is refused and logged, and the order stays unpaid', async () => {
  const productId = await createProduct(stack, admin, { priceFen: 5000, stock: 3 })
  const [token] = await buyers(1, 'forger')
  const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, token)
  const { payment } = await stack.ok('order', { action: 'pay', orderId }, token)
  const altered = [
    { ...payment.body, amountFen: 1 },
    { ...payment.body, sign: '0'.repeat(64) },
    { ...payment.body, transactionId: 'sbxforged' },
    { orderId },
  ]
  for (const body of altered) {
    const r = await postNotify(payment.notifyUrl, body)
    expect(r.status).toBe(400)
    expect(r.answer.code).toBe('FAIL')
  }
  expect((await stack.ok('order', { action: 'get', orderId }, token)).order.status).toBe('pending_payment')
  expect(await sql(stack, 'SELECT 1 FROM payments WHERE order_id = $1', [orderId])).toHaveLength(0)
  const logged = await sql(stack, `SELECT reason FROM payment_notify_rejections WHERE body->>'orderId' = $1`, [orderId])
  expect(logged.map((r) => r.reason).sort()).toEqual(['BAD_SIGNATURE', 'BAD_SIGNATURE', 'BAD_SIGNATURE', 'MALFORMED'])
  // The genuine notify still works afterwards.
  expect((await postNotify(payment.notifyUrl, payment.body)).answer.code).toBe('SUCCESS')
})

test('a genuinely signed notify for an amount no order can have (2^31 fen and more) is refused AMOUNT_MISMATCH, never a 500', async () => {
  const productId = await createProduct(stack, admin, { priceFen: 5000, stock: 3 })
  const [token] = await buyers(1, 'huge-amount')
  const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, token)
  const { payment } = await stack.ok('order', { action: 'pay', orderId }, token)
  const [{ value: secret }] = await sql(stack, 'SELECT value FROM settings WHERE key = $1', [SANDBOX_SECRET_KEY])
  const provider = sandboxPayment({ secret, baseUrl: stack.url })
  for (const amountFen of [2 ** 31, 2 ** 53 - 1]) {
    const forged = await provider.prepare({ orderId, amountFen, description: '' } as Parameters<typeof provider.prepare>[0])
    const r = await postNotify(payment.notifyUrl, (forged as { body: unknown }).body)
    expect(r).toMatchObject({ status: 400, answer: { code: 'FAIL', message: 'AMOUNT_MISMATCH' } })
  }
  expect((await stack.ok('order', { action: 'get', orderId }, token)).order.status).toBe('pending_payment')
  // The genuine notify still pays it.
  expect((await postNotify(payment.notifyUrl, payment.body)).answer.code).toBe('SUCCESS')
})

test('cancel gives the stock back exactly once, however often it is tapped', async () => {
  const productId = await createProduct(stack, admin, { stock: 4 })
  const [token] = await buyers(1, 'canceller')
  const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId, qty: 3 }], idempotencyKey: key() }, token)
  expect(await stockOf(stack, productId)).toBe(1)
  const results = await Promise.all(Array.from({ length: 6 }, () => stack.call('order', { action: 'cancel', orderId }, token)))
  expect(results.filter((r) => r.status === 200)).toHaveLength(1)
  for (const r of results.filter((x) => x.status !== 200))
    expect(r.body).toMatchObject({ ok: false, error: { code: 'ORDER_NOT_CANCELLABLE' } })
  expect(await stockOf(stack, productId)).toBe(4)
  expect((await stack.call('order', { action: 'pay', orderId }, token)).body).toMatchObject({
    ok: false,
    error: { code: 'ORDER_NOT_PAYABLE' },
  })
})

test('cancel racing the payment notify: one wins, stock and money always add up', async () => {
  const productId = await createProduct(stack, admin, { stock: 100 })
  // A buyer per trial: one shopper's own order rate is limited (10, then one every 6 s).
  const tokens = await buyers(15, 'undecided')
  const outcomes = { paid: 0, cancelled: 0 }
  for (const token of tokens) {
    const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, token)
    const { payment } = await stack.ok('order', { action: 'pay', orderId }, token)
    const [cancel, notify] = await Promise.all([
      stack.call('order', { action: 'cancel', orderId }, token),
      postNotify(payment.notifyUrl, payment.body),
    ])
    const { order } = await stack.ok('order', { action: 'get', orderId }, token)
    const [pay] = await sql(stack, 'SELECT status FROM payments WHERE order_id = $1', [orderId])
    const refunds = await sql(stack, 'SELECT amount_fen FROM refunds WHERE order_id = $1', [orderId])
    expect(notify.answer.code).toBe('SUCCESS') // the provider is always answered, so it stops retrying
    if (order.status === 'paid') {
      outcomes.paid++
      expect(cancel.body).toMatchObject({ ok: false, error: { code: 'ORDER_NOT_CANCELLABLE' } })
      expect(pay.status).toBe('paid')
      expect(refunds).toHaveLength(0)
    } else {
      outcomes.cancelled++
      expect(order.status).toBe('cancelled')
      expect(pay.status).toBe('refunded') // the money that came in anyway went back
      expect(refunds).toEqual([{ amount_fen: 990 }])
    }
  }
  // Every paid order holds one unit; every cancelled one gave its unit back.
  expect(await stockOf(stack, productId)).toBe(100 - outcomes.paid)
  expect(outcomes.paid + outcomes.cancelled).toBe(15)
}, 60_000)

test("orders are their owner's: another shopper gets 404 and changes nothing", async () => {
  const productId = await createProduct(stack, admin, { stock: 5 })
  const [owner, other] = await buyers(2, 'owner')
  const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, owner)
  for (const action of ['get', 'cancel', 'pay', 'confirmReceipt']) {
    const r = await stack.call('order', { action, orderId }, other)
    expect(r.status).toBe(404)
  }
  expect((await stack.call('order', { action: 'requestRefund', orderId, reason: '不想要了' }, other)).status).toBe(404)
  expect((await stack.ok('order', { action: 'get', orderId }, owner)).order.status).toBe('pending_payment')
  expect((await stack.ok('order', { action: 'list' }, other)).items).toEqual([])
})

test('refund: the shopper asks, the merchant approves, the money and the stock go back', async () => {
  const productId = await createProduct(stack, admin, { priceFen: 2500, stock: 5 })
  const [token] = await buyers(1, 'returner')
  const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId, qty: 2 }], idempotencyKey: key() }, token)
  await payOrder(stack, token, orderId)
  expect(await stockOf(stack, productId)).toBe(3)
  const requested = await stack.ok('order', { action: 'requestRefund', orderId, reason: '买多了' }, token)
  expect(requested.order).toMatchObject({ status: 'refund_requested', refundReason: '买多了' })
  expect((await stack.call('admin', { action: 'approveRefund', orderId }, token)).status).toBe(403)
  const approvals = await Promise.all([1, 2, 3].map(() => stack.call('admin', { action: 'approveRefund', orderId }, admin)))
  expect(approvals.filter((a) => a.status === 200)).toHaveLength(1)
  expect((await stack.ok('order', { action: 'get', orderId }, token)).order.status).toBe('refunded')
  expect(await stockOf(stack, productId)).toBe(5)
  expect(await sql(stack, 'SELECT amount_fen FROM refunds WHERE order_id = $1', [orderId])).toEqual([{ amount_fen: 5000 }])
  // A refunded order no longer makes an existing customer.
  expect((await stack.ok('auth', { action: 'me' }, token)).user.isNewCustomer).toBe(true)
})

test('a rejected refund request puts the order back where it was; shipping and receipt follow the state machine', async () => {
  const productId = await createProduct(stack, admin, { stock: 5 })
  const [token] = await buyers(1, 'keeper')
  const { address } = await saveAddress(stack, token!)
  const { orderId } = await stack.ok(
    'order',
    { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key(), addressId: address.id },
    token,
  )
  expect(
    (await stack.call('admin', { action: 'ship', orderId, carrier: '顺丰速运', trackingNo: 'SF1234567890' }, admin)).body,
  ).toMatchObject({
    ok: false,
    error: { code: 'ORDER_STATUS_CHANGED' },
  })
  await payOrder(stack, token, orderId)
  expect((await stack.ok('admin', { action: 'ship', orderId, carrier: '顺丰速运', trackingNo: 'SF1234567890' }, admin)).order.status).toBe(
    'shipped',
  )
  await stack.ok('order', { action: 'requestRefund', orderId, reason: '包装破损' }, token)
  expect((await stack.ok('admin', { action: 'rejectRefund', orderId }, admin)).order.status).toBe('shipped')
  expect((await stack.ok('order', { action: 'confirmReceipt', orderId }, token)).order.status).toBe('completed')
  expect((await stack.call('order', { action: 'cancel', orderId }, token)).body).toMatchObject({
    ok: false,
    error: { code: 'ORDER_NOT_CANCELLABLE' },
  })
})

test('an order records the sharer of the last share link within 7 days, never the buyer', async () => {
  const productId = await createProduct(stack, admin, { stock: 20 })
  const [buyer, sharerA, sharerB] = await Promise.all(['buyer', 'sharer-a', 'sharer-b'].map((o) => stack.login(`attr-${o}`)))
  const order = async (extra: object = {}) => {
    const { orderId } = await stack.ok(
      'order',
      { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key(), ...extra },
      buyer.token,
    )
    return (await stack.ok('order', { action: 'get', orderId }, buyer.token)).order
  }
  expect((await order()).sharerId).toBeNull()
  await stack.ok('catalog', { action: 'get', productId, sharerId: sharerA.user.id }, buyer.token)
  expect((await order()).sharerId).toBe(sharerA.user.id)
  // The client's word names nobody: a sharer the buyer has no touch from and a room never entered are dropped.
  expect(await order({ sharerId: sharerB.user.id, roomId: 'r_live1' })).toMatchObject({ sharerId: sharerA.user.id, roomId: null })
  await stack.ok('catalog', { action: 'get', productId, sharerId: sharerB.user.id }, buyer.token)
  expect((await order()).sharerId).toBe(sharerB.user.id) // the last touch wins
  await stack.ok('catalog', { action: 'get', productId, sharerId: buyer.user.id }, buyer.token)
  expect((await order({ sharerId: buyer.user.id })).sharerId).toBe(sharerB.user.id) // a self-share never counts
  await sql(stack, `UPDATE share_touches SET touched_at = now() - interval '8 days' WHERE user_id = $1`, [buyer.user.id])
  expect((await order()).sharerId).toBeNull()
})

test('a product with specs needs the SKU; each SKU has its own price and stock', async () => {
  const productId = await createProduct(stack, admin, {
    priceFen: undefined,
    specGroups: [{ name: '规格', values: ['小罐', '大罐'] }],
    skus: [
      { specs: { 规格: '小罐' }, priceFen: 1000, stock: 1 },
      { specs: { 规格: '大罐' }, priceFen: 3000, listPriceFen: 3600, stock: 0 },
    ],
  })
  const [token] = await buyers(1, 'picker')
  const { product } = await stack.ok('catalog', { action: 'get', productId }, token)
  expect(product).toMatchObject({ priceFen: 1000, stock: 1, specGroups: [{ name: '规格', values: ['小罐', '大罐'] }] })
  const [small, big] = product.skus
  expect(big).toMatchObject({ specText: '大罐', priceFen: 3000, listPriceFen: 3600, stock: 0 })
  expect(
    (await stack.call('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, token)).body,
  ).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
  expect(
    (await stack.call('order', { action: 'create', items: [{ productId, skuId: big.id, qty: 1 }], idempotencyKey: key() }, token)).body,
  ).toMatchObject({ ok: false, error: { code: 'OUT_OF_STOCK' } })
  const ok = await stack.ok('order', { action: 'create', items: [{ productId, skuId: small.id, qty: 1 }], idempotencyKey: key() }, token)
  expect(ok.payableFen).toBe(1000)
  const bad = await stack.call(
    'admin',
    {
      action: 'createProduct',
      title: 'x',
      specGroups: [{ name: '色', values: ['红'] }],
      skus: [{ specs: { 色: '蓝' }, priceFen: 1, stock: 1 }],
    },
    admin,
  )
  expect(bad.status).toBe(400)
})

test('the cart: server totals over selected lines, stock warnings, and ordered lines leave it', async () => {
  const productId = await createProduct(stack, admin, { priceFen: 500, stock: 3 })
  const otherId = await createProduct(stack, admin, { priceFen: 700, stock: 10 })
  const [token] = await buyers(1, 'cart')
  const { product } = await stack.ok('catalog', { action: 'get', productId }, token)
  const { product: other } = await stack.ok('catalog', { action: 'get', productId: otherId }, token)
  let cart = await stack.ok('cart', { action: 'add', skuId: product.skus[0].id, qty: 2 }, token)
  cart = await stack.ok('cart', { action: 'add', skuId: other.skus[0].id, qty: 1 }, token)
  expect(cart).toMatchObject({ totalQty: 3, selectedQty: 3, selectedFen: 1700 })
  cart = await stack.ok('cart', { action: 'setQty', skuId: product.skus[0].id, qty: 5 }, token)
  const line = cart.lines.find((l: any) => l.skuId === product.skus[0].id)
  expect(line).toMatchObject({ qty: 5, stock: 3, problem: 'INSUFFICIENT_STOCK' })
  expect(cart).toMatchObject({ selectedQty: 1, selectedFen: 700 }) // a line that can't be bought doesn't count
  cart = await stack.ok('cart', { action: 'setQty', skuId: product.skus[0].id, qty: 2 }, token)
  cart = await stack.ok('cart', { action: 'select', skuIds: [other.skus[0].id], selected: false }, token)
  expect(cart).toMatchObject({ selectedQty: 2, selectedFen: 1000 })
  await stack.ok(
    'order',
    { action: 'create', items: [{ productId, skuId: product.skus[0].id, qty: 2 }], idempotencyKey: key(), fromCart: true },
    token,
  )
  cart = await stack.ok('cart', { action: 'list' }, token)
  expect(cart.lines.map((l: any) => l.skuId)).toEqual([other.skus[0].id])
})

test('addresses are per user and an order keeps a copy of the one it ships to', async () => {
  const productId = await createProduct(stack, admin, { stock: 5 })
  const [token, other] = await buyers(2, 'addr')
  const fields = { name: '王小明', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '龙井路 1 号' }
  const { address } = await stack.ok('address', { action: 'save', ...fields }, token)
  expect(address.isDefault).toBe(true)
  expect(
    (await stack.call('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key(), addressId: address.id }, other))
      .status,
  ).toBe(404)
  const { orderId } = await stack.ok(
    'order',
    { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key(), addressId: address.id },
    token,
  )
  await stack.ok('address', { action: 'save', ...fields, id: address.id, detail: '新地址' }, token)
  expect((await stack.ok('order', { action: 'get', orderId }, token)).order.address).toEqual(fields)
  expect((await stack.call('address', { action: 'save', ...fields, phone: 'call me' }, token)).status).toBe(400)
})
