/** The built weapp pages, in miniprogram-simulate, against a real seeded stack. */
import { startStack, type Stack } from '../helpers/stack'
import { loadPage, newLog, unloadPage, type WxLog } from '../helpers/weapp'

let stack: Stack
let log: WxLog

beforeAll(async () => {
  stack = await startStack({ seed: true })
}, 90_000)
afterAll(() => stack?.stop())
beforeEach(() => {
  log = newLog()
})

test('home renders the seeded products with their prices, the categories, and pages on reaching the bottom', async () => {
  const page = loadPage('pages/index/index', {}, { apiBase: stack.url, log })
  const first = await page.waitForText('为你推荐', '新人尝鲜 三款试饮装', '¥59.00', '茗茶', '礼盒', '上拉加载更多')
  expect(first).toContain('办公室下午茶 组合装')
  // The trial pack is on the shelf at its regular price: ¥9.90 only through the new-customer deal.
  expect(first).toContain('新人尝鲜 三款试饮装¥59.00办公室下午茶')
  expect(first).not.toContain('¥9.90')
  // The first page holds 10 of 16 products: the oldest are not shown yet.
  expect(first).not.toContain('明前龙井 特级')
  page.instance.onReachBottom()
  const all = await page.waitForText('明前龙井 特级', '¥128.00', '¥168.00', '没有更多了')
  expect(all).toContain('已售罄') // the sold-out 大红袍
  // Each product is shown once.
  expect(all.split('新人尝鲜 三款试饮装')).toHaveLength(2)
  page.tapText('紫砂壶 西施壶 220ml')
  expect(log.navigateTo).toEqual([expect.stringMatching(/^\/packages\/goods\/detail\/index\?id=p_[0-9a-f]+$/)])
  // WeChat's audit: every setData under 256 KB.
  expect(Math.max(...page.setData.map((r) => r.bytes))).toBeLessThan(256 * 1024)
  unloadPage(page)
}, 30_000)

test('the product page shows images, price, crossed-out list price, stock and the buy button', async () => {
  const { items } = await stack.ok('catalog', { action: 'list', limit: 50 }, (await stack.login('viewer')).token)
  const teapot = items.find((p: { title: string }) => p.title === '紫砂壶 西施壶 220ml')
  const page = loadPage('packages/goods/detail/index', { id: teapot.id }, { apiBase: stack.url, log })
  const text = await page.waitForText('紫砂壶 西施壶 220ml', '¥368.00', '¥458.00', '库存 8 件', '宜兴原矿', '立即购买')
  expect(text).toContain('商品详情')
  unloadPage(page)
}, 30_000)

test('a product that does not exist shows the error, not a blank page', async () => {
  const page = loadPage('packages/goods/detail/index', { id: 'p_0000000000000000' }, { apiBase: stack.url, log })
  await page.waitForText('商品不存在或已下架', '重试')
  unloadPage(page)
}, 30_000)

test('the cart tab shows its empty state with a way back to the mall', async () => {
  const page = loadPage('pages/cart/index', {}, { apiBase: stack.url, log })
  await page.waitForText('购物车还是空的', '去逛逛')
  page.tapText('去逛逛')
  expect(log.switchTab).toEqual(['/pages/index/index'])
  unloadPage(page)
}, 30_000)
