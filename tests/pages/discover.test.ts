/** 领券中心 that keeps its cards in place, 我的优惠券's 去使用, 已达限购 in 限时秒杀, and search: the built weapp against a seeded stack. */
import { createProduct } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'
import { appToken, loadPage, newLog, unloadPage, type LoadedPage, type WxLog } from '../helpers/weapp'

let stack: Stack
let admin: string
let log: WxLog

beforeAll(async () => {
  stack = await startStack({ seed: true })
  admin = (await stack.login('admin')).token
}, 90_000)
afterAll(() => stack?.stop())
beforeEach(() => {
  log = newLog()
})

const flat = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ')
/** The rendered elements with this class (simulate prefixes the page's classes with main--), in page order. */
const all = (page: LoadedPage, cls: string) => Array.from(page.root.dom.querySelectorAll(`.main--${cls}`)) as Element[]

/** Taps the innermost element showing exactly `text` inside `container`, as a user's tap (it bubbles). */
function tapIn(container: Element, text: string) {
  let node: any = (Array.from(container.querySelectorAll('*')) as Element[]).reverse().find((el) => (el.textContent ?? '').trim() === text)
  if (!node) throw new Error(`no element shows ${JSON.stringify(text)} in ${flat(container).slice(0, 200)}`)
  while (node && !node.__wxElement) node = node.parentNode
  const exparser = require('miniprogram-exparser')
  exparser.Event.dispatchEvent(
    node.__wxElement,
    exparser.Event.create(
      'tap',
      { x: 0, y: 0 },
      { bubbles: true, composed: true, capturePhase: true, extraFields: { touches: {}, changedTouches: {} } },
    ),
  )
}

test('领券中心: a claimed card stays where it was, shows 已领取 and counts the claim in 已抢; the next tap there claims the same coupon', async () => {
  const page = loadPage('packages/coupon/center/index', {}, { apiBase: stack.url, log })
  await page.waitForText('新人无门槛券', '满99减10', '8.5折', '已抢光', '未开始')
  const titles = () => all(page, 'coupon-card__title').map(flat)
  const before = titles()
  expect(before.length).toBeGreaterThanOrEqual(5)
  const cards = () => all(page, 'coupon-card')

  // 新人无门槛券: 1,000 in stock, one per shopper.
  const i = before.indexOf('新人无门槛券')
  expect(flat(cards()[i]!)).toContain('已抢 0%')
  tapIn(cards()[i]!, '立即领取')
  await until(() => flat(cards()[i]!).includes('已领取'))
  expect(flat(cards()[i]!)).toContain('已抢 1%')
  expect(titles()).toEqual(before)
  await until(() => log.toasts.includes('领取成功'))

  // 满99减10: two per shopper. Two taps at the same spot claim it twice, then it says 已领取.
  const j = before.indexOf('满99减10')
  tapIn(cards()[j]!, '立即领取')
  await until(() => log.toasts.filter((t) => t === '领取成功').length === 2)
  expect(titles()).toEqual(before)
  expect(flat(cards()[j]!)).toContain('立即领取')
  tapIn(cards()[j]!, '立即领取')
  await until(() => flat(cards()[j]!).includes('已领取'))
  expect(titles()).toEqual(before)

  const mine = (await stack.ok('coupon', { action: 'mine' }, appToken())).items.map((c: any) => c.title).sort()
  expect(mine).toEqual(['新人无门槛券', '满99减10', '满99减10'])
  unloadPage(page)
}, 60_000)

test('我的优惠券: 去使用 leads to the goods a coupon is for, or the mall', async () => {
  const token = appToken()
  const product = await createProduct(stack, admin, { title: '单品券专用 茉莉花茶', stock: 10 })
  const { couponId } = await stack.ok(
    'admin',
    {
      action: 'createCoupon',
      title: '茉莉花茶专享券',
      kind: 'fixed',
      valueFen: 300,
      thresholdFen: 0,
      stock: 10,
      perUserLimit: 1,
      scope: 'products',
      scopeIds: [product],
    },
    admin,
  )
  await stack.ok('coupon', { action: 'claim', couponId }, token)
  const center = (await stack.ok('coupon', { action: 'center' }, token)).items
  const category = center.find((c: any) => c.scope === 'categories')
  await stack.ok('coupon', { action: 'claim', couponId: category.couponId }, token)

  const page = loadPage('packages/coupon/mine/index', {}, { apiBase: stack.url, log })
  await page.waitForText('茉莉花茶专享券', '8.5折', '新人无门槛券', '去使用')
  const card = (title: string) => all(page, 'coupon-card').find((c) => flat(c).includes(title))!
  // One navigation at a time (a double tap opens one page): each tap waits for the previous page change to finish.
  const settled = () => new Promise((resolve) => setTimeout(resolve, 20))
  tapIn(card('茉莉花茶专享券'), '去使用')
  expect(log.navigateTo).toEqual([`/packages/goods/detail/index?id=${product}`])
  await settled()
  tapIn(card(category.title), '去使用')
  expect(log.switchTab).toEqual(['/pages/category/index'])
  await settled()
  tapIn(card('新人无门槛券'), '去使用')
  expect(log.switchTab).toEqual(['/pages/category/index', '/pages/index/index'])
  unloadPage(page)

  // The category tab opens on the coupon's category (茗茶), not the first one.
  const cat = loadPage('pages/category/index', {}, { apiBase: stack.url, log })
  await cat.waitForText('明前龙井 特级')
  expect(flat(all(cat, 'category__nav-item--active')[0]!).trim()).toBe('茗茶')
  unloadPage(cat)
}, 60_000)

test('限时秒杀: once the shopper holds the limit (an unpaid order counts), the button says 已达限购 and does nothing', async () => {
  const hour = 3_600_000
  const productId = await createProduct(stack, admin, { title: '限购一件 金骏眉', priceFen: 8800, stock: 50 })
  const { flashSaleId } = await stack.ok(
    'admin',
    {
      action: 'createFlashSale',
      productId,
      salePriceFen: 990,
      stock: 20,
      perUserLimit: 1,
      audience: 'all',
      startsAt: new Date(Date.now() - hour).toISOString(),
      endsAt: new Date(Date.now() + hour).toISOString(),
    },
    admin,
  )
  const card = (page: LoadedPage) => all(page, 'flash__card').find((c) => flat(c).includes('限购一件 金骏眉'))!
  let page = loadPage('packages/deal/flash/index', {}, { apiBase: stack.url, log })
  await page.waitForText('限购一件 金骏眉')
  expect(flat(card(page))).toContain('立即抢购')
  unloadPage(page)

  // Bought up to the limit and not paid yet: the server already counts it.
  const r = await stack.call(
    'order',
    { action: 'create', items: [{ productId, qty: 1 }], flashSaleId, idempotencyKey: `flash-limit-${Date.now()}` },
    appToken(),
  )
  expect(r.status).toBe(200)
  page = loadPage('packages/deal/flash/index', {}, { apiBase: stack.url, log })
  await page.waitForText('限购一件 金骏眉', '已达限购')
  expect(flat(card(page))).toContain('你已抢 1 件，已达每人限购')
  expect(flat(card(page))).not.toContain('立即抢购')
  tapIn(card(page), '已达限购')
  expect(log.navigateTo).toEqual([])
  unloadPage(page)
}, 60_000)

test('search: the home box opens it; 茶 and 红茶 find the products, nonsense shows the empty state', async () => {
  const home = loadPage('pages/index/index', {}, { apiBase: stack.url, log })
  await home.waitForText('搜索茶叶、茶具、零食', '领券中心')
  home.tapText('搜索茶叶、茶具、零食')
  expect(log.navigateTo).toEqual(['/packages/goods/search/index'])
  unloadPage(home)

  await createProduct(stack, admin, { title: '正山小种 红茶 罐装', stock: 30 })
  let page = loadPage('packages/goods/search/index', { q: encodeURIComponent('茶') }, { apiBase: stack.url, log })
  // Title hits first, newest first: ten a page, the next on reaching the bottom.
  const tea = await page.waitForText('正山小种 红茶 罐装', '福鼎白茶 白牡丹 150g', '上拉加载更多')
  expect(tea).not.toContain('每日坚果')
  expect(tea).not.toContain('明前龙井 特级')
  page.instance.onReachBottom()
  await page.waitForText('明前龙井 特级', '没有更多了')
  expect(page.text()).not.toContain('每日坚果')
  unloadPage(page)

  page = loadPage('packages/goods/search/index', { q: encodeURIComponent('红茶') }, { apiBase: stack.url, log })
  const red = await page.waitForText('正山小种 红茶 罐装', '¥')
  expect(red).not.toContain('明前龙井 特级')
  page.tapText('正山小种 红茶 罐装')
  expect(log.navigateTo.at(-1)).toMatch(/^\/packages\/goods\/detail\/index\?id=p_/)
  unloadPage(page)

  page = loadPage('packages/goods/search/index', { q: encodeURIComponent('量子纠缠') }, { apiBase: stack.url, log })
  await page.waitForText('没有找到与“量子纠缠”相关的商品')
  unloadPage(page)

  // Opened without a query: the recent searches of this device, newest first.
  page = loadPage('packages/goods/search/index', {}, { apiBase: stack.url, log })
  const recent = await page.waitForText('最近搜索', '量子纠缠', '红茶')
  expect(recent.indexOf('量子纠缠')).toBeLessThan(recent.indexOf('红茶'))
  page.tapText('红茶')
  await page.waitForText('正山小种 红茶 罐装')
  unloadPage(page)
}, 60_000)
