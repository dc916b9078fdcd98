/**
 * The checkout draft on the built weapp, against a real seeded stack: its idempotency key and its
 * unpaid order outlive the page (left mid-payment and opened again), and an unpaid close says so.
 */
import { saveAddress, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'
import { appToken, loadPage, newLog, unloadPage } from '../helpers/weapp'

let stack: Stack
let tea: { id: string }

beforeAll(async () => {
  stack = await startStack({ seed: true })
  const { token } = await stack.login('lookup')
  const { items } = await stack.ok('catalog', { action: 'list', limit: 50 }, token)
  tea = items.find((p: { title: string }) => p.title === '福鼎白茶 白牡丹 150g')
}, 90_000)
afterAll(() => stack?.stop())

const storedDrafts = () => Object.values((globalThis as any).wx.getStorageSync('weshop.checkoutDrafts') || {}) as Array<{ key: string }>
const myOrders = async () =>
  sql(stack, `SELECT id, status, idempotency_key AS key FROM orders WHERE user_id = $1 ORDER BY created_at`, [
    (await stack.ok('auth', { action: 'me' }, appToken())).user.id,
  ])

test('left mid-payment and opened again, the checkout offers the one unpaid order; 暂不支付 shows it 待付款 with its countdown; paid, the draft is new', async () => {
  const log = newLog()
  const query = { items: `${tea.id}~~1` }
  let page = loadPage('packages/order/checkout/index', query, { apiBase: stack.url, log })
  await page.waitForText('福鼎白茶 白牡丹 150g', '¥99.00', '+ 添加收货地址')
  await saveAddress(stack, appToken())
  unloadPage(page)

  page = loadPage('packages/order/checkout/index', query, { apiBase: stack.url, log })
  await page.waitForText('李雷 13900000000', '提交订单')
  page.tapText('提交订单')
  // The order is placed: its countdown shows behind the pay sheet.
  await page.waitForText('模拟支付', '确认支付', '你有一笔待付款订单')
  // The shopper leaves with the pay sheet open: the page says the order waits, and for how long.
  unloadPage(page)
  expect(log.toasts.at(-1)).toMatch(/^订单待付款，请在 1[45]:\d\d 内完成支付$/)
  const [placed] = await myOrders()
  expect(placed).toMatchObject({ status: 'pending_payment' })
  // The draft's key is the one the order was placed with.
  expect(storedDrafts().map((d) => d.key)).toEqual([placed.key])

  // Opened again: no second order; the waiting one is offered with its countdown.
  page = loadPage('packages/order/checkout/index', query, { apiBase: stack.url, log })
  const text = await page.waitForText('你有一笔待付款订单', '¥99.00', '去支付', '查看订单')
  expect(text).toMatch(/剩余 1[45]:\d\d，超时将自动取消/)
  expect(text).not.toContain('提交订单')
  page.tapText('去支付')
  await page.waitForText('模拟支付', '暂不支付')
  page.tapText('暂不支付')
  // Closing the sheet unpaid lands on the order, told it waits for payment.
  await until(() => log.navigateTo.find((u) => u === `/packages/order/detail/index?id=${placed.id}`))
  expect(log.toasts.at(-1)).toMatch(/^订单待付款，请在 1[45]:\d\d 内完成支付$/)
  unloadPage(page)
  const detail = loadPage('packages/order/detail/index', { id: placed.id }, { apiBase: stack.url, log })
  expect(await detail.waitForText('待付款', '去支付')).toMatch(/剩余 1[45]:\d\d/)
  expect(await myOrders()).toEqual([expect.objectContaining({ id: placed.id, status: 'pending_payment' })])

  // Paid from the order page: the next checkout of the same goods is a new purchase with a new key.
  detail.tapText('去支付')
  await detail.waitForText('模拟支付', '确认支付')
  detail.tapText('确认支付')
  await detail.waitForText('待发货')
  unloadPage(detail)
  page = loadPage('packages/order/checkout/index', query, { apiBase: stack.url, log })
  await page.waitForText('李雷 13900000000', '提交订单')
  expect(page.text()).not.toContain('你有一笔待付款订单')
  expect(storedDrafts()).toEqual([])
  page.tapText('提交订单')
  await page.waitForText('模拟支付')
  const orders = await myOrders()
  expect(orders.map((o: { status: string }) => o.status)).toEqual(['paid', 'pending_payment'])
  expect(orders[1].key).not.toBe(placed.key)
  unloadPage(page)
}, 90_000)
