/**
 * The order list and order page on the built weapp, walked as a shopper walks them against a real
 * stack: pay and cancel from the card, the shipped card's carrier and waybill number, 确认收货,
 * 再次购买 into the cart, the masked phone, readable order numbers and no empty 优惠 line.
 */
import { createProduct, key, payOrder, saveAddress, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'
import { appToken, elements, fakeWx, fire, loadPage, needPrivacyAuthorization, newLog, unloadPage, type WxLog } from '../helpers/weapp'

let stack: Stack
let log: WxLog
let admin: string
let token: string
let addressId: string
let shippedOrder: { id: string; orderNo: string }
let green: string
let red: string

const env = () => ({ apiBase: stack.url, log })
const statusOf = async (orderId: string) => (await sql(stack, 'SELECT status FROM orders WHERE id = $1', [orderId]))[0].status
const place = async (items: Array<{ productId: string; qty: number }>) =>
  (await stack.ok('order', { action: 'create', items, idempotencyKey: key(), addressId }, token)).orderId as string
const orderNoOf = async (orderId: string) => (await stack.ok('order', { action: 'get', orderId }, token)).order.orderNo as string

beforeAll(async () => {
  stack = await startStack()
  admin = (await stack.login('admin')).token
  ;[green, red] = await Promise.all([
    createProduct(stack, admin, { title: '明前龙井', priceFen: 1990, stock: 20 }),
    createProduct(stack, admin, { title: '武夷大红袍', priceFen: 3990, stock: 20 }),
  ])
}, 90_000)
afterAll(() => stack?.stop())
beforeEach(() => {
  log = newLog()
})

test('list: a pending card pays through 模拟支付; another is cancelled after confirming; numbers readable, phone masked', async () => {
  const page = loadPage('packages/order/list/index', {}, env())
  await page.waitForText('还没有相关订单')
  token = appToken()
  addressId = (await saveAddress(stack, token)).address.id
  const toPay = await place([{ productId: green, qty: 1 }])
  page.instance.onShow()
  let text = await page.waitForText(`订单号 ${await orderNoOf(toPay)}`, '待付款', '收货人 李雷 139****0000', '取消订单', '去支付')
  expect(text).not.toContain('13900000000')
  expect(text).not.toContain(toPay)
  // The countdown reads as time left, as on the order page, not as a clock time.
  expect(text).toMatch(/剩余 1[45]:\d\d，超时订单将自动取消/)
  expect(text).not.toContain('内付款')
  page.tapText('去支付')
  page.tapText('去支付') // a second tap while the first is on its way opens nothing more
  await page.waitForText('模拟支付', '确认支付')
  expect(log.requests.filter((r) => r.endsWith(' pay'))).toHaveLength(1)
  page.tapText('确认支付')
  await until(() => !page.text().includes('去支付'))
  expect(await statusOf(toPay)).toBe('paid')
  await page.waitForText('申请退款') // the card is now the paid order's (待发货 is also a tab's name)

  const toCancel = await place([{ productId: red, qty: 2 }])
  page.instance.onShow()
  await page.waitForText('取消订单', '去支付')
  page.tapText('取消订单')
  text = await page.waitForText('已取消', '再次购买')
  expect(log.modals).toEqual([expect.stringMatching(/^取消订单\|确定取消这个订单吗/)])
  expect(await statusOf(toCancel)).toBe('cancelled')
  expect(text).not.toContain('取消订单')
  const [{ stock }] = await sql(stack, 'SELECT stock FROM skus WHERE product_id = $1', [red])
  expect(stock).toBe(20) // the cancel gave the units back
  unloadPage(page)
}, 60_000)

test('list: the shipped card shows the carrier and waybill number (复制), and 确认收货 completes it', async () => {
  const id = await place([
    { productId: green, qty: 2 },
    { productId: red, qty: 1 },
  ])
  await payOrder(stack, token, id)
  await stack.ok('admin', { action: 'ship', orderId: id, carrier: '顺丰速运', trackingNo: 'SF1234567890' }, admin)
  shippedOrder = { id, orderNo: await orderNoOf(id) }
  const page = loadPage('packages/order/list/index', { tab: 'shipped' }, env())
  const shown = await page.waitForText(`订单号 ${shippedOrder.orderNo}`, '已发货', '顺丰速运 SF1234567890', '复制', '申请退款', '确认收货')
  // When it left, by the shop's clock (the shipment was just made).
  const now = new Date(Date.now() + 8 * 3600_000)
  expect(shown).toContain(`${now.getUTCMonth() + 1}月${now.getUTCDate()}日 `)
  expect(shown).toMatch(/\d{2}:\d{2} 发货/)
  page.tapText('复制')
  expect(log.clipboard).toBe('SF1234567890')
  expect(log.navigateTo).toEqual([]) // copying does not open the order
  page.tapText('确认收货')
  await page.waitForText('再次购买')
  expect(log.modals).toEqual([expect.stringMatching(/^确认收货\|/)])
  expect(await statusOf(id)).toBe('completed')
  expect(page.text()).not.toContain('确认收货')
  unloadPage(page)
}, 60_000)

test('list: 再次购买 on a completed order fills the cart, names what is off sale, and opens the cart', async () => {
  await sql(stack, 'UPDATE products SET on_sale = false WHERE id = $1', [red])
  const page = loadPage('packages/order/list/index', { tab: 'completed' }, env())
  await page.waitForText(`订单号 ${shippedOrder.orderNo}`, '再次购买')
  page.tapText('再次购买')
  await until(() => log.switchTab.includes('/pages/cart/index'))
  expect(log.modals).toEqual(['部分商品未加入购物车|以下商品已下架或售罄：\n武夷大红袍已下架'])
  const cart = await stack.ok('cart', { action: 'list' }, token)
  expect(cart.lines.map((l: { productId: string; qty: number }) => [l.productId, l.qty])).toEqual([[green, 2]])
  expect(log.badge).toBe('2')
  await sql(stack, 'UPDATE products SET on_sale = true WHERE id = $1', [red])
  unloadPage(page)
}, 60_000)

test('order page: the readable number with 复制, the logistics, the masked phone, and no 优惠 line without a discount', async () => {
  const page = loadPage('packages/order/detail/index', { id: shippedOrder.id }, env())
  const text = await page.waitForText(
    '已完成',
    '物流信息',
    '顺丰速运 运单号 SF1234567890',
    '发货时间：',
    '李雷 139****0000',
    `订单编号：${shippedOrder.orderNo}`,
    '商品金额',
    '¥79.70',
    '申请退款',
    '再次购买',
  )
  expect(text).not.toContain('13900000000')
  expect(text).not.toContain('-¥0.00')
  expect(text).not.toContain('优惠')
  expect(text).not.toContain(shippedOrder.id)
  page.tapText('复制') // the last 复制 on the page: the order number's
  expect(log.clipboard).toBe(shippedOrder.orderNo)
  // Past the refund window the page offers no 申请退款.
  await sql(stack, `UPDATE orders SET paid_at = now() - interval '8 days' WHERE id = $1`, [shippedOrder.id])
  page.instance.onShow()
  await until(() => !page.text().includes('申请退款'))
  expect(page.text()).toContain('再次购买')
  unloadPage(page)
}, 60_000)

test('复制 waits for the privacy prompt the first time WeChat asks: 同意 copies, 拒绝 copies nothing', async () => {
  const original = fakeWx().setClipboardData
  fakeWx().setClipboardData = (o: any) =>
    needPrivacyAuthorization('setClipboardData', (answer) =>
      answer.event === 'agree'
        ? ((log.clipboard = o.data), o.success({ errMsg: 'setClipboardData:ok' }))
        : o.fail({ errMsg: 'setClipboardData:fail privacy permission is not authorized' }),
    )
  try {
    const page = loadPage('packages/order/detail/index', { id: shippedOrder.id }, env())
    await page.waitForText(`订单编号：${shippedOrder.orderNo}`, '复制')
    page.tapText('复制')
    await page.waitForText('用户隐私保护提示', '复制内容到剪贴板前，请仔细阅读', '拒绝', '同意')
    page.tapText('拒绝')
    await until(() => !page.text().includes('用户隐私保护提示'))
    expect(log.clipboard).toBeUndefined()
    page.tapText('复制')
    await page.waitForText('用户隐私保护提示')
    fire(
      elements(page).find((e) => e.id === 'privacy-agree' || (e.textContent ?? '').trim() === '同意')!,
      'agreeprivacyauthorization',
      {},
    )
    await until(() => log.clipboard === shippedOrder.orderNo)
    await until(() => !page.text().includes('用户隐私保护提示'))
    unloadPage(page)
  } finally {
    fakeWx().setClipboardData = original
  }
}, 60_000)

test('order page: a refund request the merchant turned down shows their reason, and 申请退款 is offered again', async () => {
  const id = await place([{ productId: green, qty: 1 }])
  await payOrder(stack, token, id)
  await stack.ok('order', { action: 'requestRefund', orderId: id, reason: '不想要了' }, token)
  const page = loadPage('packages/order/detail/index', { id }, env())
  await page.waitForText('退款中', '退款申请已提交，等待商家处理')
  expect(page.text()).not.toContain('商家拒绝退款')
  await stack.ok('admin', { action: 'rejectRefund', orderId: id, reason: '茶叶已拆封，不支持退款' }, admin)
  page.instance.onShow()
  const text = await page.waitForText('待发货', '商家拒绝退款：茶叶已拆封，不支持退款', '申请退款')
  expect(text).not.toContain('等待商家处理')
  unloadPage(page)
}, 60_000)

/** Runs `fn` as on a phone set to New York's time zone: the page must still show the shop's clock. */
async function onPhoneAbroad(fn: () => Promise<void>) {
  const tz = process.env.TZ
  process.env.TZ = 'America/New_York'
  try {
    await fn()
  } finally {
    if (tz === undefined) delete process.env.TZ
    else process.env.TZ = tz
  }
}

test("times read in the shop's clock (Asia/Shanghai) whatever the phone's time zone: the card's and the order page's", async () => {
  const id = await place([{ productId: green, qty: 1 }])
  await payOrder(stack, token, id)
  await stack.ok('admin', { action: 'ship', orderId: id, carrier: '圆通速递', trackingNo: 'YT2026120113' }, admin)
  await sql(
    stack,
    `UPDATE orders SET created_at = '2026-12-01T05:30:00Z', paid_at = '2026-12-01T05:31:02Z', shipped_at = '2026-12-01T13:39:00Z' WHERE id = $1`,
    [id],
  )
  await onPhoneAbroad(async () => {
    const list = loadPage('packages/order/list/index', { tab: 'shipped' }, env())
    await list.waitForText('圆通速递 YT2026120113', '12月1日 21:39 发货')
    unloadPage(list)
    const page = loadPage('packages/order/detail/index', { id }, env())
    await page.waitForText('发货时间：2026-12-01 21:39:00', '下单时间：2026-12-01 13:30:00', '付款时间：2026-12-01 13:31:02')
    unloadPage(page)
  })
}, 60_000)

test('order page: a merchant refund says how much went back, when and why (商家主动退款：…)', async () => {
  const id = await place([{ productId: green, qty: 1 }])
  await payOrder(stack, token, id)
  await stack.ok('admin', { action: 'refund', orderId: id, reason: '缺货，无法发货' }, admin)
  const { order } = await stack.ok('order', { action: 'get', orderId: id }, token)
  expect(order.refundReason).toBeNull()
  expect(order.refund).toEqual({
    amountFen: 1990,
    refundedAt: expect.any(String),
    byMerchant: true,
    reason: '缺货，无法发货',
    restocked: true,
  })
  await sql(stack, `UPDATE orders SET refunded_at = '2026-12-01T14:05:09Z' WHERE id = $1`, [id])
  await onPhoneAbroad(async () => {
    const page = loadPage('packages/order/detail/index', { id }, env())
    const text = await page.waitForText(
      '已退款',
      '退款金额',
      '¥19.90（已原路退回）',
      '退款时间',
      '2026-12-01 22:05:09',
      '退款原因：商家主动退款：缺货，无法发货',
    )
    expect(text).not.toContain('无需退回商品')
    unloadPage(page)
  })
}, 60_000)

test('order page: an approved 仅退款 names the shopper’s reason and says the goods need not be sent back', async () => {
  const id = await place([{ productId: red, qty: 1 }])
  await payOrder(stack, token, id)
  await stack.ok('admin', { action: 'ship', orderId: id, carrier: '顺丰速运', trackingNo: 'SF2026120199' }, admin)
  await stack.ok('order', { action: 'requestRefund', orderId: id, reason: '茶叶受潮' }, token)
  await stack.ok('admin', { action: 'approveRefund', orderId: id, restock: false }, admin)
  const { order } = await stack.ok('order', { action: 'get', orderId: id }, token)
  expect(order.refund).toEqual({ amountFen: 3990, refundedAt: expect.any(String), byMerchant: false, reason: '茶叶受潮', restocked: false })
  const page = loadPage('packages/order/detail/index', { id }, env())
  const text = await page.waitForText('已退款', '¥39.90（已原路退回）', '退款原因：茶叶受潮', '无需退回商品')
  expect(text).not.toContain('商家主动退款')
  unloadPage(page)
}, 60_000)
