/** The claim center and the checkout coupon picker on the built weapp, against a real seeded stack. */
import { sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'
import { appToken, loadPage, newLog, unloadPage, type WxLog } from '../helpers/weapp'

let stack: Stack
let log: WxLog

beforeAll(async () => {
  stack = await startStack({ seed: true })
}, 90_000)
afterAll(() => stack?.stop())
beforeEach(() => {
  log = newLog()
})

test('claim center: progress and buttons say 立即领取 / 已领取 / 已抢光 / 未开始, and a claim turns its button', async () => {
  const page = loadPage('packages/coupon/center/index', {}, { apiBase: stack.url, log })
  const text = await page.waitForText(
    '新人无门槛券',
    '¥5',
    '无门槛',
    '满99减10',
    '满¥99.00可用',
    '8.5折',
    '满300减60 限量',
    '已抢光',
    '周末专享 满150减20',
    '未开始',
    '已抢 100%',
  )
  expect(text.split('立即领取').length - 1).toBe(4)
  page.tapText('立即领取') // the first card: the newest claimable template
  await page.waitForText('已领取')
  await until(() => log.toasts.includes('领取成功'))
  const { items } = await stack.ok('coupon', { action: 'mine' }, appToken())
  expect(items).toHaveLength(1)
  expect(page.text().split('立即领取').length - 1).toBe(3)
  unloadPage(page)
}, 30_000)

test('checkout picker: the best coupon is applied, the others are listed with their reason', async () => {
  const token = appToken()
  const center = (await stack.ok('coupon', { action: 'center' }, token)).items
  for (const title of ['新人无门槛券', '满99减10', '满199减30']) {
    const c = center.find((x: any) => x.title === title)
    if (c.state === 'claimable') await stack.ok('coupon', { action: 'claim', couponId: c.couponId }, token)
  }
  const { items } = await stack.ok('catalog', { action: 'list', limit: 50 }, token)
  const teaSet = items.find((p: any) => p.title === '汝窑开片 功夫茶具套装') // ¥159.00
  await stack.ok(
    'address',
    { action: 'save', name: '韩梅梅', phone: '13700000000', province: '北京市', city: '北京市', district: '海淀区', detail: '中关村 1 号' },
    token,
  )
  const page = loadPage('packages/order/checkout/index', { items: `${teaSet.id}~~1` }, { apiBase: stack.url, log })
  // 满99减10 saves the most on ¥159.00 (满199减30 is out of reach, 无门槛 saves ¥5).
  await page.waitForText('优惠券', '-¥10.00', '¥149.00')
  page.tapText('-¥10.00 ›')
  const sheet = await page.waitForText('选择优惠券', '可省 ¥10.00', '可省 ¥5.00', '差¥40.00可用', '不使用优惠券')
  expect(sheet.indexOf('满99减10')).toBeLessThan(sheet.indexOf('新人无门槛券'))
  page.tapText('新人无门槛券')
  await page.waitForText('-¥5.00', '¥154.00')
  page.tapText('提交订单')
  await page.waitForText('模拟支付', '¥154.00')
  const orders = await stack.ok('order', { action: 'list' }, token)
  expect(orders.items[0]).toMatchObject({ goodsFen: 15900, discountFen: 500, payableFen: 15400 })
  unloadPage(page)
}, 30_000)

test('我的优惠券 offers 开启到券提醒: a tap records one allowance for the shop to send one 到券 message', async () => {
  const page = loadPage('packages/coupon/mine/index', {}, { apiBase: stack.url, log })
  await page.waitForText('开启到券提醒', '商家给你发券时，用微信通知你')
  page.tapText('开启到券提醒')
  await until(() => log.toasts.some((t) => t.startsWith('已开启')))
  expect(log.toasts.find((t) => t.startsWith('已开启'))).toBe('已开启，商家发券时通知你（可提醒 1 次）')
  const rows = await sql(stack, `SELECT remaining FROM message_allowances WHERE kind = 'coupon_arrival'`)
  expect(rows).toEqual([{ remaining: 1 }])
  unloadPage(page)
}, 30_000)
