/** The mall's pages on the built weapp in miniprogram-simulate, against a real seeded stack. */
import { saveAddress, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'
import { appToken, loadPage, newLog, unloadPage, type WxLog } from '../helpers/weapp'

let stack: Stack
let log: WxLog
let tea: { id: string; skus: Array<{ id: string; specText: string }> }

beforeAll(async () => {
  stack = await startStack({ seed: true })
  const { token } = await stack.login('lookup')
  const { items } = await stack.ok('catalog', { action: 'list', limit: 50 }, token)
  const id = items.find((p: { title: string }) => p.title === '明前龙井 特级').id
  tea = (await stack.ok('catalog', { action: 'get', productId: id }, token)).product
}, 90_000)
afterAll(() => stack?.stop())
beforeEach(() => {
  log = newLog()
})

test('product page: switching the SKU updates price and stock; a sold-out SKU cannot be picked; add to cart', async () => {
  const page = loadPage('packages/goods/detail/index', { id: tea.id }, { apiBase: stack.url, log })
  let text = await page.waitForText('明前龙井 特级', '¥128.00', '¥168.00', '库存 120 件', '100g 罐装', '250g 礼盒', '500g 家庭装（缺货）')
  page.tapText('250g 礼盒')
  text = await page.waitForText('¥298.00', '¥368.00', '库存 30 件')
  expect(text).not.toContain('库存 120 件')
  page.tapText('500g 家庭装（缺货）')
  await new Promise((r) => setTimeout(r, 200))
  expect(page.text()).toContain('库存 30 件')
  page.tapText('加入购物车')
  await until(() => log.toasts.includes('已加入购物车'))
  expect(log.badge).toBe('1')
  const cart = await stack.ok('cart', { action: 'list' }, appToken())
  expect(cart.lines).toEqual([expect.objectContaining({ productId: tea.id, specText: '250g 礼盒', qty: 1 })])
  page.tapText('立即购买')
  const big = tea.skus.find((s) => s.specText === '250g 礼盒')!
  expect(log.navigateTo).toEqual([`/packages/order/checkout/index?items=${encodeURIComponent(`${tea.id}~${big.id}~1`)}`])
  expect(Math.max(...page.setData.map((r) => r.bytes))).toBeLessThan(256 * 1024)
  unloadPage(page)
}, 30_000)

test('cart tab: the line, the server total, a stock warning, and checkout of what is selected', async () => {
  const small = tea.skus.find((s) => s.specText === '100g 罐装')!
  await stack.ok('cart', { action: 'add', skuId: small.id, qty: 2 }, appToken())
  const page = loadPage('pages/cart/index', {}, { apiBase: stack.url, log })
  await page.waitForText('250g 礼盒', '100g 罐装', '¥554.00', '去结算(3)')
  expect(log.badge).toBe('3')
  // A line holds at most 99: the stock falls below what the cart asks for.
  await sql(stack, 'UPDATE skus SET stock = 50 WHERE id = $1', [small.id])
  await stack.ok('cart', { action: 'setQty', skuId: small.id, qty: 99 }, appToken())
  page.instance.onShow()
  await page.waitForText('库存不足，仅剩 50 件', '¥298.00', '去结算(1)')
  page.tapText('去结算(1)')
  const big = tea.skus.find((s) => s.specText === '250g 礼盒')!
  expect(log.navigateTo).toEqual([`/packages/order/checkout/index?items=${encodeURIComponent(`${tea.id}~${big.id}~1`)}&fromCart=1`])
  unloadPage(page)
}, 30_000)

test('checkout: the server breakdown, submit once, pay in the sandbox sheet, land on the paid order', async () => {
  await saveAddress(stack, appToken())
  const big = tea.skus.find((s) => s.specText === '250g 礼盒')!
  const page = loadPage('packages/order/checkout/index', { items: `${tea.id}~${big.id}~2`, fromCart: '1' }, { apiBase: stack.url, log })
  await page.waitForText('李雷 13900000000', '世纪大道 100 号', '250g 礼盒', '×2', '商品金额', '¥596.00', '提交订单')
  page.tapText('提交订单')
  page.tapText('提交订单') // a second tap while the first is on its way makes no second order
  await page.waitForText('模拟支付', '¥596.00', '确认支付')
  page.tapText('确认支付')
  await until(() => log.navigateTo.some((u) => u.startsWith('/packages/order/detail/index?id=')))
  const orderId = /id=(o_[0-9a-f]+)/.exec(log.navigateTo.find((u) => u.includes('order/detail'))!)![1]
  const orders = await sql(stack, `SELECT id, status, payable_fen FROM orders WHERE user_id = (SELECT user_id FROM orders WHERE id = $1)`, [
    orderId,
  ])
  expect(orders).toEqual([{ id: orderId, status: 'paid', payable_fen: 59600 }])
  const cart = await stack.ok('cart', { action: 'list' }, appToken())
  expect(cart.lines.map((l: { specText: string }) => l.specText)).toEqual(['100g 罐装']) // the ordered line left the cart
  unloadPage(page)
}, 30_000)
