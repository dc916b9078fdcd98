/**
 * The order desk on a real stack: the merchant's list (tabs, counts, search, dates, paging), an
 * order's timeline with who made each change, batch shipping line by line (raced against itself),
 * the CSV export, refund review as the shopper sees it, and auto-complete racing the shopper.
 */
import { createProduct, key, payOrder, sql, stockOf } from '../helpers/mall'
import { daysFromNow, jobsFor, minutesFromNow, type Jobs } from '../helpers/jobs'
import { startStack, type Stack } from '../helpers/stack'

// The host's own timer stays out of the way (its first run is at start, the next an hour later).
const env = { AUTO_COMPLETE_DAYS: '10', JOB_INTERVAL_MS: '3600000' }
let stack: Stack
let jobs: Jobs
let admin: string
let adminId: string

beforeAll(async () => {
  stack = await startStack({ env })
  jobs = await jobsFor(stack, env)
  const a = await stack.login('admin', '店长')
  admin = a.token
  adminId = a.user.id
}, 90_000)
afterAll(async () => {
  await jobs?.close()
  await stack?.stop()
})

interface Shopper {
  token: string
  id: string
  addressId: string
}

async function shopper(openid: string, nickname: string, phone = '13900000000'): Promise<Shopper> {
  const { token, user } = await stack.login(openid, nickname)
  const { address } = await stack.ok(
    'address',
    { action: 'save', name: '李雷', phone, province: '上海市', city: '上海市', district: '浦东新区', detail: '世纪大道 100 号' },
    token,
  )
  return { token, id: user.id, addressId: address.id }
}

async function place(
  s: Shopper,
  productId: string,
  qty = 1,
  extra: object = { addressId: s.addressId },
): Promise<{ orderId: string; orderNo: string; createdAt: string }> {
  const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId, qty }], idempotencyKey: key(), ...extra }, s.token)
  const { order } = await stack.ok('order', { action: 'get', orderId }, s.token)
  return { orderId, orderNo: order.orderNo, createdAt: order.createdAt }
}

async function paid(s: Shopper, productId: string, qty = 1, extra?: object) {
  const o = await place(s, productId, qty, extra)
  await payOrder(stack, s.token, o.orderId)
  return o
}

const desk = (fields: object, token = admin) => stack.ok('admin', { action: 'orders', ...fields }, token)
const detail = (orderId: string) => stack.ok('admin', { action: 'order', orderId }, admin)

test('the list: tabs with counts under the same search, search by order number, phone and nickname, dates, paging', async () => {
  const productId = await createProduct(stack, admin, { stock: 50 })
  const alice = await shopper('desk-alice', '茶客Alice', '13811112222')
  const bob = await shopper('desk-bob', '老王', '13733334444')
  const a1 = await place(alice, productId)
  const a2 = await paid(alice, productId)
  const a3 = await paid(alice, productId)
  await stack.ok('admin', { action: 'ship', orderId: a3.orderId, carrier: '中通快递', trackingNo: 'ZT1000000001' }, admin)
  const b1 = await paid(bob, productId)
  const b2 = await place(bob, productId)
  await stack.ok('order', { action: 'cancel', orderId: b2.orderId }, bob.token)

  // A nickname, any case, anywhere in it.
  const byName = await desk({ q: 'alice' })
  expect(byName.items.map((o: any) => o.id)).toEqual([a3.orderId, a2.orderId, a1.orderId])
  expect(byName.items[0]).toMatchObject({ buyer: { userId: alice.id, nickname: '茶客Alice' }, status: 'shipped' })
  expect(byName.items[0].logistics).toMatchObject({ carrier: '中通快递', trackingNo: 'ZT1000000001' })
  expect(byName.counts).toEqual({
    all: 3,
    pending_payment: 1,
    paid: 1,
    shipped: 1,
    completed: 0,
    refund_requested: 0,
    refunded: 0,
    cancelled: 0,
  })
  // A tab narrows the list, not the counts.
  const paidTab = await desk({ q: 'alice', status: 'paid' })
  expect(paidTab.items.map((o: any) => o.id)).toEqual([a2.orderId])
  expect(paidTab.counts).toEqual(byName.counts)
  // The receiver's phone, exactly.
  const byPhone = await desk({ q: '13733334444' })
  expect(byPhone.items.map((o: any) => o.id)).toEqual([b2.orderId, b1.orderId])
  expect(byPhone.counts).toMatchObject({ all: 2, paid: 1, cancelled: 1 })
  expect((await desk({ q: '1373333444' })).items).toEqual([])
  // An order number exactly, and by its first digits.
  expect((await desk({ q: a2.orderNo })).items.map((o: any) => o.id)).toEqual([a2.orderId])
  const prefix = a2.orderNo.slice(0, 12)
  const byPrefix = await desk({ q: prefix, limit: 100 })
  expect(byPrefix.items.map((o: any) => o.id)).toEqual(expect.arrayContaining([a1.orderId, a2.orderId, a3.orderId, b1.orderId]))
  for (const o of byPrefix.items) expect(o.orderNo.startsWith(prefix)).toBe(true)
  // Dates: placed on or after `from`, before `to`.
  const dated = await desk({ q: 'alice', from: a2.createdAt, to: new Date(new Date(a3.createdAt).getTime() + 1).toISOString() })
  expect(dated.items.map((o: any) => o.id)).toEqual([a3.orderId, a2.orderId])
  expect(dated.counts.all).toBe(2)
  // Paging, newest first, each order once.
  const p1 = await desk({ q: 'alice', limit: 2 })
  expect(p1.items.map((o: any) => o.id)).toEqual([a3.orderId, a2.orderId])
  const p2 = await desk({ q: 'alice', limit: 2, cursor: p1.nextCursor })
  expect(p2.items.map((o: any) => o.id)).toEqual([a1.orderId])
  expect(p2.nextCursor).toBeNull()
  // Not for shoppers.
  expect((await stack.call('admin', { action: 'orders' }, alice.token)).status).toBe(403)
  expect((await stack.call('admin', { action: 'order', orderId: a1.orderId }, alice.token)).status).toBe(403)
}, 60_000)

test("an order's detail: payment, sharer with commission, and a timeline of every change with who made it", async () => {
  const productId = await createProduct(stack, admin, { priceFen: 5000, stock: 10, commissionRate: 0.1 })
  const sharer = await shopper('desk-sharer', '分享达人')
  const buyer = await shopper('desk-buyer', '小明')
  await stack.ok('catalog', { action: 'get', productId, sharerId: sharer.id }, buyer.token)
  const o = await paid(buyer, productId)
  await stack.ok('admin', { action: 'ship', orderId: o.orderId, carrier: '顺丰速运', trackingNo: 'sf-1234 5678 90' }, admin)
  await stack.ok('order', { action: 'confirmReceipt', orderId: o.orderId }, buyer.token)

  const d = await detail(o.orderId)
  expect(d.order).toMatchObject({ id: o.orderId, status: 'completed', buyer: { userId: buyer.id, nickname: '小明' } })
  expect(d.payment).toMatchObject({ provider: 'sandbox', amountFen: 5000 })
  expect(d.payment.paidAt).toBe(d.order.paidAt)
  expect(d.sharer).toEqual({ userId: sharer.id, nickname: '分享达人', commissionFen: 500 })
  expect(d.coupon).toBeNull()
  expect(d.room).toBeNull()
  expect(d.deal).toBeNull()
  expect(d.refund).toBeNull()
  expect(d.timeline.map((e: any) => [e.from, e.to, e.actor, e.actorName, e.note])).toEqual([
    [null, 'pending_payment', 'shopper', '小明', null],
    ['pending_payment', 'paid', 'system', null, null],
    ['paid', 'shipped', 'staff', '店长', '顺丰速运 SF1234567890'],
    ['shipped', 'completed', 'shopper', '小明', null],
  ])
  const at = d.timeline.map((e: any) => Date.parse(e.at))
  expect([...at].sort((x, y) => x - y)).toEqual(at)
  expect(d.timeline[1].at).toBe(d.order.paidAt)
  expect(d.timeline[2].at).toBe(d.order.logistics.shippedAt)

  // An unpaid order past its deadline: cancelled by the system, with its reason.
  const late = await place(buyer, productId)
  await jobs.runAt(minutesFromNow(16))
  expect((await detail(late.orderId)).timeline.map((e: any) => [e.to, e.actor, e.note])).toEqual([
    ['pending_payment', 'shopper', null],
    ['cancelled', 'system', '超时未支付'],
  ])
  const gone = await stack.call('admin', { action: 'order', orderId: 'o_0000000000000000' }, admin)
  expect(gone.body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
}, 60_000)

test("refund review: a rejection's reason reaches the shopper; an approval gives back stock, money and the sharer's commission", async () => {
  const productId = await createProduct(stack, admin, { priceFen: 3000, stock: 10, commissionRate: 0.2 })
  const sharer = await shopper('desk-refund-sharer', '推荐官')
  const buyer = await shopper('desk-refund-buyer', '退款买家')
  await stack.ok('catalog', { action: 'get', productId, sharerId: sharer.id }, buyer.token)
  const o = await paid(buyer, productId, 2)
  expect(await stockOf(stack, productId)).toBe(8)
  expect((await stack.ok('earnings', { action: 'mine' }, sharer.token)).pendingFen).toBe(1200)

  await stack.ok('order', { action: 'requestRefund', orderId: o.orderId, reason: '买多了' }, buyer.token)
  const rejected = await stack.ok('admin', { action: 'rejectRefund', orderId: o.orderId, reason: '商品已拆封，不支持无理由退款' }, admin)
  expect(rejected.order).toMatchObject({ status: 'paid', refundRejectReason: '商品已拆封，不支持无理由退款' })
  // The shopper reads it on their order.
  const seen = (await stack.ok('order', { action: 'get', orderId: o.orderId }, buyer.token)).order
  expect(seen).toMatchObject({ status: 'paid', refundReason: '买多了', refundRejectReason: '商品已拆封，不支持无理由退款' })
  expect((await detail(o.orderId)).refund).toMatchObject({
    reason: '买多了',
    rejectReason: '商品已拆封，不支持无理由退款',
    refundedAt: null,
  })

  // Asked again: the old rejection no longer shows; this time it is approved.
  const again = await stack.ok('order', { action: 'requestRefund', orderId: o.orderId, reason: '质量问题' }, buyer.token)
  expect(again.order).toMatchObject({ status: 'refund_requested', refundReason: '质量问题', refundRejectReason: null })
  await stack.ok('admin', { action: 'approveRefund', orderId: o.orderId }, admin)
  expect(await stockOf(stack, productId)).toBe(10)
  expect(await sql(stack, 'SELECT amount_fen FROM refunds WHERE order_id = $1', [o.orderId])).toEqual([{ amount_fen: 6000 }])
  const earned = await stack.ok('earnings', { action: 'mine' }, sharer.token)
  expect(earned).toMatchObject({ pendingFen: 0, settledFen: 0 })
  expect(earned.entries.map((e: any) => [e.entry, e.amountFen])).toContainEqual(['reverse', -1200])

  const d = await detail(o.orderId)
  expect(d.refund).toMatchObject({ amountFen: 6000, reason: '质量问题', rejectReason: null })
  expect(d.refund.refundedAt).toBe(d.timeline[d.timeline.length - 1].at)
  expect(d.sharer).toEqual({ userId: sharer.id, nickname: '推荐官', commissionFen: 0 })
  expect(d.timeline.map((e: any) => [e.from, e.to, e.actor, e.note])).toEqual([
    [null, 'pending_payment', 'shopper', null],
    ['pending_payment', 'paid', 'system', null],
    ['paid', 'refund_requested', 'shopper', '买多了'],
    ['refund_requested', 'paid', 'staff', '商品已拆封，不支持无理由退款'],
    ['paid', 'refund_requested', 'shopper', '质量问题'],
    ['refund_requested', 'refunded', 'staff', '库存已退回'],
  ])
  expect(d.timeline[3].actorName).toBe('店长')

  // The merchant's own refund (售后) carries its reason on the timeline.
  const other = await paid(buyer, productId)
  await stack.ok('admin', { action: 'refund', orderId: other.orderId, reason: '缺货，商家主动退款' }, admin)
  const d2 = await detail(other.orderId)
  expect(d2.refund).toMatchObject({ amountFen: 3000, reason: '缺货，商家主动退款' })
  expect(d2.timeline.at(-1)).toMatchObject({ from: 'paid', to: 'refunded', actor: 'staff', note: '缺货，商家主动退款 · 库存已退回' })
}, 60_000)

test('batch shipping: an order number typed in full-width digits (２０２６…) is the order; typed again half-width it is a repeat', async () => {
  const productId = await createProduct(stack, admin, { stock: 5 })
  const s = await shopper('desk-batch-fullwidth', '全角买家')
  const o = await paid(s, productId)
  const wide = [...o.orderNo].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('')
  expect(wide).not.toBe(o.orderNo)
  const r = await stack.ok(
    'admin',
    {
      action: 'shipBatch',
      lines: [
        { orderNo: ` ${wide} `, carrier: '顺丰速运', trackingNo: 'ＳＦ３０００００００01' },
        { orderNo: o.orderNo, carrier: '顺丰速运', trackingNo: 'SF3000000001' },
      ],
    },
    admin,
  )
  expect(r.results.map((x: any) => [x.line, x.orderNo, x.ok, x.code, x.message])).toEqual([
    [1, o.orderNo, true, null, null],
    [2, o.orderNo, false, 'VALIDATION_FAILED', '与第 1 行的订单重复'],
  ])
  expect(await sql(stack, 'SELECT status, tracking_no FROM orders WHERE id = $1', [o.orderId])).toEqual([
    { status: 'shipped', tracking_no: 'SF3000000001' },
  ])
}, 60_000)

test('batch shipping: each line stands alone, with a Chinese reason for each that failed', async () => {
  const productId = await createProduct(stack, admin, { stock: 20 })
  const s = await shopper('desk-batch', '批量买家')
  const good = await paid(s, productId)
  const badCarrier = await paid(s, productId)
  const badWaybill = await paid(s, productId)
  const unpaid = await place(s, productId)
  const r = await stack.ok(
    'admin',
    {
      action: 'shipBatch',
      lines: [
        { orderNo: good.orderNo, carrier: '顺丰速运', trackingNo: 'SF2000000001' },
        { orderNo: badCarrier.orderNo, carrier: '不存在快递', trackingNo: 'SF2000000002' },
        { orderNo: '2099010199999999', carrier: '顺丰速运', trackingNo: 'SF2000000003' },
        { orderNo: unpaid.orderNo, carrier: '顺丰速运', trackingNo: 'SF2000000004' },
        { orderNo: badWaybill.orderNo, carrier: '圆通速递', trackingNo: 'ab' },
        { orderNo: good.orderNo, carrier: '顺丰速运', trackingNo: 'SF2000000001' },
      ],
    },
    admin,
  )
  expect(r.shipped).toBe(1)
  expect(r.failed).toBe(5)
  expect(r.results.map((x: any) => [x.line, x.orderNo, x.ok, x.code])).toEqual([
    [1, good.orderNo, true, null],
    [2, badCarrier.orderNo, false, 'VALIDATION_FAILED'],
    [3, '2099010199999999', false, 'NOT_FOUND'],
    [4, unpaid.orderNo, false, 'ORDER_STATUS_CHANGED'],
    [5, badWaybill.orderNo, false, 'VALIDATION_FAILED'],
    [6, good.orderNo, false, 'VALIDATION_FAILED'],
  ])
  expect(r.results[1].message).toMatch(/^请选择快递公司/)
  expect(r.results[2].message).toBe('订单编号不存在')
  expect(r.results[3].message).toBe('订单状态为「待付款」，不能发货')
  expect(r.results[4].message).toBe('运单号为 6-40 位字母或数字')
  expect(r.results[5].message).toBe('与第 1 行的订单重复')
  // The good line shipped; the bad ones are untouched.
  const states = async (ids: string[]) =>
    (await sql(stack, 'SELECT id, status, carrier FROM orders WHERE id = ANY($1)', [ids])).reduce(
      (m: Record<string, unknown>, o: any) => ({ ...m, [o.id]: [o.status, o.carrier] }),
      {},
    )
  expect(await states([good.orderId, badCarrier.orderId, badWaybill.orderId, unpaid.orderId])).toEqual({
    [good.orderId]: ['shipped', '顺丰速运'],
    [badCarrier.orderId]: ['paid', null],
    [badWaybill.orderId]: ['paid', null],
    [unpaid.orderId]: ['pending_payment', null],
  })
  // Another waybill for an order already shipped is refused with what it was shipped with.
  const changed = await stack.ok(
    'admin',
    { action: 'shipBatch', lines: [{ orderNo: good.orderNo, carrier: '中通快递', trackingNo: 'ZT9' + '0'.repeat(8) }] },
    admin,
  )
  expect(changed.results[0]).toMatchObject({ ok: false, code: 'ORDER_ALREADY_SHIPPED' })
  expect(changed.results[0].message).toContain('SF2000000001')
  // Not for a shopper.
  expect(
    (
      await stack.call(
        'admin',
        { action: 'shipBatch', lines: [{ orderNo: good.orderNo, carrier: '顺丰速运', trackingNo: 'SF2000000001' }] },
        s.token,
      )
    ).status,
  ).toBe(403)
}, 60_000)

test('the same batch posted twice at once ships each order once; the repeat answers ok', async () => {
  const productId = await createProduct(stack, admin, { stock: 20 })
  const s = await shopper('desk-batch-race', '并发买家')
  const orders = await Promise.all([1, 2, 3, 4, 5].map(() => paid(s, productId)))
  const lines = orders.map((o, i) => ({ orderNo: o.orderNo, carrier: '韵达快递', trackingNo: `YD30000000${i}` }))
  const answers = await Promise.all([1, 2, 3].map(() => stack.call('admin', { action: 'shipBatch', lines }, admin)))
  for (const a of answers) {
    expect(a.status).toBe(200)
    expect(a.body).toMatchObject({ ok: true, data: { shipped: 5, failed: 0 } })
  }
  const events = await sql(
    stack,
    `SELECT order_id, count(*)::int AS n, min(note) AS note FROM order_events WHERE order_id = ANY($1) AND to_status = 'shipped' GROUP BY order_id`,
    [orders.map((o) => o.orderId)],
  )
  expect(events).toHaveLength(5)
  for (const e of events) expect(e.n).toBe(1)
  for (const [i, o] of orders.entries()) {
    const { order } = await stack.ok('order', { action: 'get', orderId: o.orderId }, s.token)
    expect(order.logistics).toMatchObject({ carrier: '韵达快递', trackingNo: `YD30000000${i}` })
  }
}, 60_000)

test('export: a Chinese header, a BOM, yuan with two decimals, and cells a spreadsheet would run kept as text', async () => {
  const productId = await createProduct(stack, admin, { title: '=HYPERLINK("http://x")', priceFen: 1999, stock: 10 })
  const s = await shopper('desk-export', '=SUM(1,2)', '13655556666')
  const o = await paid(s, productId, 2, { addressId: s.addressId, note: '=留言,请尽快发货' })
  await stack.ok('admin', { action: 'ship', orderId: o.orderId, carrier: '京东物流', trackingNo: 'JD0000000001' }, admin)
  const other = await place(s, productId)

  const r = await stack.ok('admin', { action: 'exportOrders', q: '13655556666' }, admin)
  expect(r).toMatchObject({ rows: 2, truncated: false })
  expect(r.csv.startsWith('\uFEFF')).toBe(true)
  const lines = r.csv.slice(1).trimEnd().split('\r\n')
  expect(lines[0]).toBe('订单编号,状态,下单时间,支付时间,买家,收货人,电话,地址,商品,件数,实付(元),优惠(元),快递公司,运单号,买家留言')
  expect(lines).toHaveLength(3)
  // Newest first: the unpaid one, then the shipped one.
  // Order numbers and waybills as text Excel keeps (a tab inside the quotes), not 2.02612E+15.
  expect(lines[1].startsWith(`"\t${other.orderNo}",待付款,`)).toBe(true)
  const shippedLine = lines[2]
  expect(shippedLine.startsWith(`"\t${o.orderNo}",已发货,`)).toBe(true)
  expect(shippedLine).toContain(`"'=SUM(1,2)"`)
  expect(shippedLine).toContain(`"'=HYPERLINK(""http://x"") ×2"`)
  // A municipality's city once, as the mini-program writes it.
  expect(shippedLine).toContain(',13655556666,上海市浦东新区世纪大道 100 号,')
  expect(shippedLine.endsWith(`,2,39.98,0.00,京东物流,"\tJD0000000001","'=留言,请尽快发货"`)).toBe(true)
  // Times on the shop's clock.
  const placed = new Date(new Date(o.createdAt).getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')
  expect(shippedLine).toContain(`,已发货,${placed},`)
  // The tab filters the export as it filters the list.
  expect((await stack.ok('admin', { action: 'exportOrders', q: '13655556666', status: 'shipped' }, admin)).rows).toBe(1)
}, 60_000)

test('auto-complete: shipped orders complete after AUTO_COMPLETE_DAYS, racing the shopper cleanly', async () => {
  const productId = await createProduct(stack, admin, { stock: 30 })
  const s = await shopper('desk-auto', '等收货')
  const ship = (o: { orderId: string }, i: number) =>
    stack.ok('admin', { action: 'ship', orderId: o.orderId, carrier: '申通快递', trackingNo: `ST40000000${i}` }, admin)
  const confirmRace = await Promise.all([0, 1, 2, 3, 4, 5].map(() => paid(s, productId)))
  const refundRace = await Promise.all([0, 1, 2].map(() => paid(s, productId)))
  await Promise.all([...confirmRace, ...refundRace].map(ship))
  const mine = [...confirmRace, ...refundRace].map((o) => o.orderId)

  // Not before the days have passed.
  await jobs.runAt(daysFromNow(9))
  const before = await sql(stack, `SELECT count(*)::int AS n FROM orders WHERE id = ANY($1) AND status = 'shipped'`, [mine])
  expect(before[0].n).toBe(9)

  // The job and the shoppers at once: 确认收货 on six orders, a refund request on three.
  const [run, ...answers] = await Promise.all([
    jobs.runAt(daysFromNow(11)),
    ...confirmRace.map((o) => stack.call('order', { action: 'confirmReceipt', orderId: o.orderId }, s.token)),
    ...refundRace.map((o) => stack.call('order', { action: 'requestRefund', orderId: o.orderId, reason: '没收到货' }, s.token)),
  ])
  expect(run.completed).toBeGreaterThanOrEqual(0)
  const confirms = answers.slice(0, 6)
  for (const a of confirms) {
    if (a.status !== 200) expect(a.body).toMatchObject({ ok: false, error: { code: 'ORDER_STATUS_CHANGED' } })
  }
  // Each order completed exactly once, by whichever won.
  const completedEvents = await sql(
    stack,
    `SELECT order_id, actor_kind, actor_id, note FROM order_events WHERE order_id = ANY($1) AND to_status = 'completed'`,
    [confirmRace.map((o) => o.orderId)],
  )
  expect(completedEvents).toHaveLength(6)
  expect(new Set(completedEvents.map((e: any) => e.order_id)).size).toBe(6)
  const byShopper = completedEvents.filter((e: any) => e.actor_kind === 'shopper')
  const bySystem = completedEvents.filter((e: any) => e.actor_kind === 'system')
  expect(byShopper.length).toBe(confirms.filter((a) => a.status === 200).length)
  for (const e of byShopper) expect(e).toMatchObject({ actor_id: s.id, note: null })
  for (const e of bySystem) expect(e).toMatchObject({ actor_id: null, note: '自动确认收货' })
  // A refund request either came first (the job left the order) or after the job (from completed): never lost, never both undone.
  for (const [i, o] of refundRace.entries()) {
    expect(answers[6 + i].status).toBe(200)
    const [row] = await sql(stack, 'SELECT status, status_before_refund FROM orders WHERE id = $1', [o.orderId])
    expect(row.status).toBe('refund_requested')
    const story = (await detail(o.orderId)).timeline.map((e: any) => e.to)
    expect(story.slice(0, 3)).toEqual(['pending_payment', 'paid', 'shipped'])
    expect(story.slice(3)).toEqual(row.status_before_refund === 'completed' ? ['completed', 'refund_requested'] : ['refund_requested'])
  }
  // Later runs change nothing more.
  expect((await jobs.runAt(daysFromNow(12))).completed).toBe(0)
  const after = await detail(confirmRace[0]!.orderId)
  expect(after.order.status).toBe('completed')
}, 90_000)

test('a shipment is recorded on the timeline with the staff member who made it', async () => {
  const productId = await createProduct(stack, admin, { stock: 5 })
  const s = await shopper('desk-owner-check', '顾客')
  const o = await paid(s, productId)
  await stack.ok('admin', { action: 'ship', orderId: o.orderId, carrier: '邮政EMS', trackingNo: 'EMS123456' }, admin)
  const [ev] = await sql(stack, `SELECT actor_kind, actor_id FROM order_events WHERE order_id = $1 AND to_status = 'shipped'`, [o.orderId])
  expect(ev).toEqual({ actor_kind: 'staff', actor_id: adminId })
})

test('bad input is refused with a clear code and changes nothing', async () => {
  const productId = await createProduct(stack, admin, { stock: 5 })
  const s = await shopper('desk-bad-input', '乱填')
  const o = await paid(s, productId)
  await stack.ok('order', { action: 'requestRefund', orderId: o.orderId, reason: '不想要了' }, s.token)
  const refusals = await Promise.all([
    stack.call('admin', { action: 'orders', cursor: 'not-a-cursor' }, admin),
    stack.call('admin', { action: 'orders', status: 'lost' }, admin),
    stack.call('admin', { action: 'orders', from: '昨天' }, admin),
    stack.call('admin', { action: 'orders', q: 'x'.repeat(41) }, admin),
    stack.call('admin', { action: 'shipBatch', lines: [] }, admin),
    stack.call(
      'admin',
      { action: 'shipBatch', lines: Array.from({ length: 301 }, () => ({ orderNo: o.orderNo, carrier: '顺丰速运', trackingNo: 'SF1' })) },
      admin,
    ),
    stack.call('admin', { action: 'rejectRefund', orderId: o.orderId, reason: '不'.repeat(201) }, admin),
    stack.call('admin', { action: 'rejectRefund', orderId: o.orderId, reason: '   ' }, admin),
    stack.call('admin', { action: 'dashboard', range: '1y' }, admin),
    stack.call('admin', { action: 'exportOrders', to: 12 }, admin),
  ])
  for (const r of refusals) expect(r.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
  expect(refusals[0].body.ok === false && refusals[0].body.error.message).toBe('分页参数无效')
  const { order } = await stack.ok('order', { action: 'get', orderId: o.orderId }, s.token)
  expect(order).toMatchObject({ status: 'refund_requested', refundRejectReason: null })
  expect((await detail(o.orderId)).timeline.map((e: any) => e.to)).toEqual(['pending_payment', 'paid', 'refund_requested'])
})

test("customer service works the desk under their own name; other roles can't", async () => {
  await stack.ok('admin', { action: 'setStaff', openid: 'desk-service', role: 'service' }, admin)
  await stack.ok('admin', { action: 'setStaff', openid: 'desk-operator', role: 'operator' }, admin)
  const service = await stack.login('desk-service', '客服小美')
  const operator = await stack.login('desk-operator', '运营')
  const productId = await createProduct(stack, admin, { stock: 5 })
  const s = await shopper('desk-role-buyer', '顾客乙')
  const o = await paid(s, productId)
  const r = await stack.ok(
    'admin',
    { action: 'shipBatch', lines: [{ orderNo: o.orderNo, carrier: '极兔速递', trackingNo: 'JT0000000001' }] },
    service.token,
  )
  expect(r).toMatchObject({ shipped: 1, failed: 0 })
  const d = await stack.ok('admin', { action: 'order', orderId: o.orderId }, service.token)
  expect(d.timeline.at(-1)).toMatchObject({ to: 'shipped', actor: 'staff', actorName: '客服小美', note: '极兔速递 JT0000000001' })
  expect((await stack.ok('admin', { action: 'orders', q: o.orderNo }, service.token)).items).toHaveLength(1)
  // The batch is a write: audited with who did it.
  const { items } = await stack.ok('admin', { action: 'auditLog' }, admin)
  expect(items.find((e: any) => e.action === 'admin.shipBatch')).toMatchObject({ actorId: service.user.id, actorRole: 'service' })
  // 概览 is the operator's; the desk is not.
  expect((await stack.call('admin', { action: 'dashboard', range: 'today' }, service.token)).status).toBe(403)
  expect((await stack.call('admin', { action: 'orders' }, operator.token)).status).toBe(403)
  expect((await stack.call('admin', { action: 'exportOrders' }, operator.token)).status).toBe(403)
  expect((await stack.ok('admin', { action: 'dashboard', range: 'today' }, operator.token)).range).toBe('today')
})

test("batch lines as Excel leaves them: tabs and spaces trimmed, the order number's pattern checked (scientific notation named), duplicates named by file row", async () => {
  const productId = await createProduct(stack, admin, { stock: 20 })
  const s = await shopper('desk-excel', '表格买家')
  const a = await paid(s, productId)
  const b = await paid(s, productId)
  const r = await stack.ok(
    'admin',
    {
      action: 'shipBatch',
      lines: [
        // As the export and the template write them: a tab before the digits, spaces around the carrier.
        { orderNo: `\t${a.orderNo}`, carrier: ' 顺丰速运 ', trackingNo: '\tSF5000000001 ', row: 2 },
        { orderNo: '2.02612E+15', carrier: '顺丰速运', trackingNo: 'SF5000000002', row: 3 },
        { orderNo: '20261201', carrier: '顺丰速运', trackingNo: 'SF5000000003', row: 5 },
        { orderNo: b.orderNo, carrier: '顺丰速运', trackingNo: 'SF5000000004', row: 6 },
        { orderNo: ` ${b.orderNo}`, carrier: '顺丰速运', trackingNo: 'SF5000000004', row: 9 },
        { orderNo: '2026120100000999', carrier: '顺丰速运', trackingNo: '单号', row: 10 },
      ],
    },
    admin,
  )
  expect(r.results.map((x: any) => [x.line, x.ok, x.code, x.message])).toEqual([
    [1, true, null, null],
    [2, false, 'VALIDATION_FAILED', '订单编号被 Excel 改成了科学计数法，请把订单编号列设为文本后重新导出/填写'],
    [3, false, 'VALIDATION_FAILED', '订单编号应为 16-20 位数字'],
    [4, true, null, null],
    [5, false, 'VALIDATION_FAILED', '与第 6 行的订单重复'],
    [6, false, 'VALIDATION_FAILED', '运单号为 6-40 位字母或数字'],
  ])
  expect(r.results[0]).toMatchObject({ orderNo: a.orderNo, orderId: a.orderId })
  const { order } = await stack.ok('order', { action: 'get', orderId: a.orderId }, s.token)
  expect(order.logistics).toMatchObject({ carrier: '顺丰速运', trackingNo: 'SF5000000001' })
  // Without rows, a duplicate names the position among the lines sent.
  const plain = await stack.ok(
    'admin',
    {
      action: 'shipBatch',
      lines: [
        { orderNo: a.orderNo, carrier: '顺丰速运', trackingNo: 'SF5000000001' },
        { orderNo: a.orderNo, carrier: '顺丰速运', trackingNo: 'SF5000000001' },
      ],
    },
    admin,
  )
  expect(plain.results[1].message).toBe('与第 1 行的订单重复')
}, 60_000)

test('every order a batch ships is found in the audit log by its target, as one shipped alone', async () => {
  const productId = await createProduct(stack, admin, { stock: 20 })
  const s = await shopper('desk-audit', '审计买家')
  const [a, b, c] = await Promise.all([paid(s, productId), paid(s, productId), paid(s, productId)])
  const unpaid = await place(s, productId)
  const r = await stack.ok(
    'admin',
    {
      action: 'shipBatch',
      lines: [
        { orderNo: a!.orderNo, carrier: '中通快递', trackingNo: 'zt-6000 0000 01' },
        { orderNo: unpaid.orderNo, carrier: '中通快递', trackingNo: 'ZT6000000002' },
        { orderNo: b!.orderNo, carrier: '圆通速递', trackingNo: 'YT6000000003' },
      ],
    },
    admin,
  )
  expect(r).toMatchObject({ shipped: 2, failed: 1 })
  await stack.ok('admin', { action: 'ship', orderId: c!.orderId, carrier: '韵达快递', trackingNo: 'YD6000000004' }, admin)
  const { items } = await stack.ok('admin', { action: 'auditLog', actionName: 'admin.ship' }, admin)
  const of = (orderId: string) => items.filter((e: any) => e.target === `order:${orderId}`)
  expect(of(a!.orderId)).toHaveLength(1)
  expect(of(a!.orderId)[0]).toMatchObject({
    action: 'admin.ship',
    actorId: adminId,
    detail: { carrier: '中通快递', trackingNo: 'ZT6000000001', batch: true },
  })
  expect(of(b!.orderId)[0]).toMatchObject({ detail: { carrier: '圆通速递', trackingNo: 'YT6000000003', batch: true } })
  expect(of(c!.orderId)[0]).toMatchObject({ detail: { orderId: c!.orderId, carrier: '韵达快递', trackingNo: 'YD6000000004' } })
  // The refused line shipped nothing and is in the batch's own entry only.
  expect(of(unpaid.orderId)).toEqual([])
  const rows = await sql(stack, `SELECT count(*)::int AS n FROM audit_log WHERE action = 'admin.shipBatch' AND actor_id = $1`, [adminId])
  expect(rows[0].n).toBeGreaterThanOrEqual(1)
}, 60_000)

test('a refund gives the stock back by default; restock:false (仅退款) keeps it with the buyer, only for an order that was shipped', async () => {
  const productId = await createProduct(stack, admin, { stock: 10 })
  const s = await shopper('desk-restock', '退货买家')
  const shipIt = (orderId: string, n: string) =>
    stack.ok('admin', { action: 'ship', orderId, carrier: '顺丰速运', trackingNo: `SF70000000${n}` }, admin)
  const kept = await paid(s, productId, 2)
  const asked = await paid(s, productId, 3)
  const fresh = await paid(s, productId, 1)
  const back = await paid(s, productId, 1)
  expect(await stockOf(stack, productId)).toBe(3)
  await shipIt(kept.orderId, '01')
  await shipIt(asked.orderId, '02')
  await shipIt(back.orderId, '03')

  // 主动退款 of a shipped order, 仅退款: the money back, the units not.
  await stack.ok('admin', { action: 'refund', orderId: kept.orderId, reason: '破损，协商仅退款', restock: false }, admin)
  expect(await stockOf(stack, productId)).toBe(3)
  expect(await sql(stack, 'SELECT amount_fen FROM refunds WHERE order_id = $1', [kept.orderId])).toHaveLength(1)
  expect((await detail(kept.orderId)).timeline.at(-1)).toMatchObject({
    from: 'shipped',
    to: 'refunded',
    note: '破损，协商仅退款 · 仅退款，货品不退回库存',
  })
  // An approved request, 仅退款.
  await stack.ok('order', { action: 'requestRefund', orderId: asked.orderId, reason: '没收到' }, s.token)
  await stack.ok('admin', { action: 'approveRefund', orderId: asked.orderId, restock: false }, admin)
  expect(await stockOf(stack, productId)).toBe(3)
  expect((await detail(asked.orderId)).timeline.at(-1)).toMatchObject({ to: 'refunded', note: '仅退款，货品不退回库存' })
  // A shipped order the buyer sent back: restock (the default) returns the units.
  await stack.ok('admin', { action: 'refund', orderId: back.orderId, reason: '买家已退货', restock: true }, admin)
  expect(await stockOf(stack, productId)).toBe(4)
  // The shopper reads which it was from the order itself (a fact of the order, not of the timeline's wording).
  const shopperSees = async (orderId: string) => (await stack.ok('order', { action: 'get', orderId }, s.token)).order.refund
  expect(await shopperSees(kept.orderId)).toMatchObject({ byMerchant: true, reason: '破损，协商仅退款', restocked: false })
  expect(await shopperSees(asked.orderId)).toMatchObject({ byMerchant: false, reason: '没收到', restocked: false })
  expect(await shopperSees(back.orderId)).toMatchObject({ byMerchant: true, restocked: true })
  await sql(stack, `UPDATE order_events SET note = 'x' WHERE order_id = ANY($1)`, [[kept.orderId, asked.orderId]])
  expect(await shopperSees(kept.orderId)).toMatchObject({ restocked: false })
  // Never shipped: 仅退款 is refused and nothing changes; the default gives the stock back.
  const refused = await stack.call('admin', { action: 'refund', orderId: fresh.orderId, reason: '缺货', restock: false }, admin)
  expect(refused.body).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION_FAILED', message: '订单尚未发货，退款时库存须退回（不能选仅退款）' },
  })
  expect((await detail(fresh.orderId)).order.status).toBe('paid')
  expect(await sql(stack, 'SELECT 1 FROM refunds WHERE order_id = $1', [fresh.orderId])).toEqual([])
  await stack.ok('admin', { action: 'refund', orderId: fresh.orderId, reason: '缺货' }, admin)
  expect(await stockOf(stack, productId)).toBe(5)
}, 60_000)

test('an order without an address is not shipped, alone or in a batch', async () => {
  const productId = await createProduct(stack, admin, { stock: 10 })
  const s = await shopper('desk-noaddr', '没地址')
  const o = await paid(s, productId, 1, {})
  const d = await detail(o.orderId)
  expect(d.order).toMatchObject({ address: null, addressText: '' })
  const alone = await stack.call('admin', { action: 'ship', orderId: o.orderId, carrier: '顺丰速运', trackingNo: 'SF8000000001' }, admin)
  expect(alone.body).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION_FAILED', message: '该订单没有收货地址，不能发货（请联系买家补充地址后主动退款或取消）' },
  })
  const batch = await stack.ok(
    'admin',
    { action: 'shipBatch', lines: [{ orderNo: o.orderNo, carrier: '顺丰速运', trackingNo: 'SF8000000001' }] },
    admin,
  )
  expect(batch.results[0]).toMatchObject({
    ok: false,
    code: 'VALIDATION_FAILED',
    message: '该订单没有收货地址，不能发货（请联系买家补充地址后主动退款或取消）',
  })
  expect((await detail(o.orderId)).order).toMatchObject({ status: 'paid', logistics: null })
}, 60_000)

test('full-width input: a waybill is folded, a phone search finds the order; rows carry the address as one line', async () => {
  const productId = await createProduct(stack, admin, { stock: 10 })
  const s = await shopper('desk-fullwidth', '全角', '13522223333')
  const o = await paid(s, productId)
  const { order } = await stack.ok(
    'admin',
    { action: 'ship', orderId: o.orderId, carrier: '顺丰速运', trackingNo: 'ＳＦ１２３４５６７８' },
    admin,
  )
  expect(order.logistics).toMatchObject({ trackingNo: 'SF12345678' })
  const found = await desk({ q: '１３５２２２２３３３３' })
  expect(found.items.map((x: any) => x.id)).toEqual([o.orderId])
  expect(found.items[0].addressText).toBe('上海市浦东新区世纪大道 100 号')
  expect((await desk({ q: o.orderNo.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)) })).items).toHaveLength(1)
}, 60_000)
