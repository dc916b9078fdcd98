/**
 * 会员价 beside the price in the cart and the live room's shelf, on the built weapp against a real
 * stack (docs/rules.md, 会员价): shown to everyone as on the product page, one tag per line that has
 * one; the cart's 合计 says what checkout does — 开通会员享会员价 to a non-member, 结算时享会员价 to a
 * member — and prices nothing itself.
 */
import { createProduct } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'
import { appToken, elements, fire, loadPage, newLog, unloadPage, type LoadedPage } from '../helpers/weapp'

let stack: Stack
let admin: string
/** 岩茶: 50g ¥50 (会员价 ¥45) and 100g ¥90 (none). 白茶: ¥20, no member price. */
let rock: string
let white: string

beforeAll(async () => {
  stack = await startStack()
  admin = (await stack.login('admin')).token
  rock = await createProduct(stack, admin, {
    title: '会员岩茶 肉桂',
    specGroups: [{ name: '规格', values: ['50g', '100g'] }],
    skus: [
      { specs: { 规格: '50g' }, priceFen: 5000, memberPriceFen: 4500, stock: 10 },
      { specs: { 规格: '100g' }, priceFen: 9000, stock: 10 },
    ],
  })
  white = await createProduct(stack, admin, { title: '会员白茶 寿眉', priceFen: 2000, stock: 10 })
}, 90_000)
afterAll(() => stack?.stop())

const byClass = (page: LoadedPage, cls: string) => elements(page).filter((e) => new RegExp(`(^|\\s|--)${cls}(\\s|$)`).test(e.className))
const count = (text: string, part: string) => text.split(part).length - 1

test('the cart: 会员价 beside the price on the line that has one, for everyone; 合计 says 开通会员享会员价 to a non-member and 结算时享会员价 to a member', async () => {
  const log = newLog()
  let page = loadPage('pages/cart/index', {}, { apiBase: stack.url, log })
  await page.waitForText('购物车还是空的')
  const token = appToken()
  const { product } = await stack.ok('catalog', { action: 'get', productId: rock }, token)
  const skuOf = (specText: string) => product.skus.find((s: { specText: string }) => s.specText === specText).id
  const whiteSku = (await stack.ok('catalog', { action: 'get', productId: white }, token)).product.skus[0].id
  await stack.ok('cart', { action: 'add', skuId: skuOf('50g'), qty: 2 }, token)
  await stack.ok('cart', { action: 'add', skuId: skuOf('100g'), qty: 1 }, token)
  await stack.ok('cart', { action: 'add', skuId: whiteSku, qty: 1 }, token)

  // A non-member: the tag on the 50g line only (as the product page shows it to everyone), the
  // regular total, and the way to membership.
  page.instance.onShow()
  let text = await page.waitForText('50g', '100g', '会员白茶 寿眉', '会员价 ¥45.00', '¥210.00', '开通会员享会员价 ›')
  expect(count(text, '会员价 ¥')).toBe(1)
  const lines = byClass(page, 'cart__line')
  expect(lines).toHaveLength(3)
  expect(lines.filter((l) => (l.textContent ?? '').includes('会员价 ¥45.00')).map((l) => l.textContent)).toEqual([
    expect.stringContaining('50g'),
  ])
  expect(text).not.toContain('结算时享会员价')
  page.tapText('开通会员享会员价 ›')
  await until(() => log.navigateTo.includes('/packages/user/member/index'))

  // Only the lines without a member price selected: nothing to say about member prices.
  const rockCheck = () => byClass(page, 'cart__check')[lines.findIndex((l) => (l.textContent ?? '').includes('50g'))]!
  fire(rockCheck(), 'tap', { x: 0, y: 0 })
  await page.waitForText('¥110.00')
  expect(page.text()).not.toContain('开通会员享会员价')
  expect(page.text()).toContain('会员价 ¥45.00') // the line still shows its tag
  fire(rockCheck(), 'tap', { x: 0, y: 0 })
  await page.waitForText('¥210.00', '开通会员享会员价 ›')
  unloadPage(page)

  // Joined on the member page (as its 手机号快捷开通 does): back in the cart, a member.
  await stack.ok('member', { action: 'joinByPhone', code: 'sandbox-phone:13800138333' }, token)
  const member = loadPage('packages/user/member/index', {}, { apiBase: stack.url, log })
  await member.waitForText('已绑定手机 138****8333')
  unloadPage(member)
  page = loadPage('pages/cart/index', {}, { apiBase: stack.url, log })
  text = await page.waitForText('会员价 ¥45.00', '¥210.00', '结算时享会员价')
  expect(text).not.toContain('开通会员享会员价')
  expect(count(text, '会员价 ¥')).toBe(1)
  // The cart prices nothing itself: 合计 is the server's regular total, checkout charges the member price.
  const preview = await stack.ok('order', { action: 'preview', items: [{ productId: rock, skuId: skuOf('50g'), qty: 2 }] }, token)
  expect(preview).toMatchObject({ isMember: true, memberSavingFen: 1000 })
  // A line's member price is one number in the page's data: setData stays small.
  expect(Math.max(...page.setData.map((r) => r.bytes))).toBeLessThan(64 * 1024)
  unloadPage(page)
}, 60_000)

test('the live room: 会员价 on the 讲解中 card and beside the price of the shelf’s product that has one', async () => {
  const { roomId } = await stack.ok(
    'admin',
    { action: 'createLiveRoom', title: '岩茶夜话', startsAt: new Date(Date.now() + 60_000).toISOString(), streamUrl: '/media/demo.mp4' },
    admin,
  )
  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'live' }, admin)
  await stack.ok('admin', { action: 'pushGoods', roomId, productId: white }, admin)
  await stack.ok('admin', { action: 'pushGoods', roomId, productId: rock }, admin) // 讲解中
  const log = newLog()
  const page = loadPage('packages/live/room/index', { id: roomId }, { apiBase: stack.url, log })
  await page.waitForText('讲解中', '去抢购')
  await until(() => byClass(page, 'explaining').length === 1)
  const card = byClass(page, 'explaining')[0]!
  expect(card.textContent).toContain('会员岩茶 肉桂')
  expect(card.textContent).toContain('会员价 ¥45.00')

  fire(byClass(page, 'room-bottom__bag')[0]!, 'tap', { x: 0, y: 0 })
  await page.waitForText('直播商品 2', '会员白茶 寿眉')
  const items = byClass(page, 'goods-sheet__item')
  expect(items).toHaveLength(2)
  expect(items[0]!.textContent).toContain('会员岩茶 肉桂')
  expect(items[0]!.textContent).toContain('¥50.00')
  expect(items[0]!.textContent).toContain('会员价 ¥45.00')
  expect(items[1]!.textContent).toContain('¥20.00')
  expect(items[1]!.textContent).not.toContain('会员价')

  // The merchant gives 白茶 a member price while the viewer watches: it shows within a poll or two.
  await stack.ok(
    'admin',
    { action: 'saveSkus', productId: white, specGroups: [], skus: [{ specs: {}, priceFen: 2000, memberPriceFen: 1800, stock: 10 }] },
    admin,
  )
  await page.waitForText('会员价 ¥18.00')
  await until(() => (byClass(page, 'goods-sheet__item')[1]?.textContent ?? '').includes('会员价 ¥18.00'))
  unloadPage(page)
}, 60_000)
