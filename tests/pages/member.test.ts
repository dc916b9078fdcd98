/**
 * The member page and 我的's member entry on the built weapp, against a real stack: a non-member is
 * told what membership gives; a member sees the tier card, points (可用 / 待入账), the rules and the
 * points ledger as the server keeps them.
 */
import { daysFromNow, jobsFor } from '../helpers/jobs'
import { createProduct, key, payOrder } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { appToken, elements, loadPage, newLog, unloadPage } from '../helpers/weapp'

let stack: Stack

beforeAll(async () => {
  stack = await startStack()
}, 90_000)
afterAll(() => stack?.stop())

test('a non-member sees what membership gives; a member their tier, points, the rules and the ledger; 我的 shows the entry', async () => {
  const log = newLog()
  let page = loadPage('packages/user/member/index', {}, { apiBase: stack.url, log })
  let text = await page.waitForText('尚未开通会员', '开通会员享会员价，消费得积分', '可用积分', '待入账', '会员规则', '暂无积分记录')
  // The shop's default rules, in words.
  expect(text).toContain('普通会员每消费¥1得1积分，银卡1.5积分，金卡2积分')
  expect(text).toContain('近365天消费满¥500为银卡，满¥2000为金卡')
  expect(text).toContain('100积分抵¥1，每单最多抵扣商品金额的50%')
  unloadPage(page)
  let me = loadPage('pages/me/index', {}, { apiBase: stack.url, log })
  await me.waitForText('会员中心', '开通会员 ›')
  unloadPage(me)

  // Joined by phone, then a ¥300 order paid and settled past the refund window: 300 points, ¥200 to 银卡.
  const token = appToken()
  await stack.ok('member', { action: 'joinByPhone', code: 'sandbox-phone:13800138000' }, token)
  const admin = (await stack.login('admin')).token
  const productId = await createProduct(stack, admin, { priceFen: 30_000, stock: 10 })
  const o = await stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, token)
  await payOrder(stack, token, o.orderId)
  const jobs = await jobsFor(stack)
  try {
    await jobs.runAt(daysFromNow(8))
  } finally {
    await jobs.close()
  }

  page = loadPage('packages/user/member/index', {}, { apiBase: stack.url, log })
  text = await page.waitForText('普通会员', '近365天消费 ¥300.00', '再消费¥200.00升级银卡会员', '已绑定手机 138****8000')
  expect(text).toMatch(/300可用积分0待入账/)
  // The ledger, newest first, with the order's number (its page arrives after the status: wait for it).
  text = await page.waitForText('积分到账（待入账转为可用）', '下单获得')
  // The earn moved 待入账 (grey, marked so); the settle moved it to 可用: only it counts as 可用 (red).
  expect(text).toMatch(/积分到账（待入账转为可用）.*订单 \d{16,20}\+300.*下单获得.*\+300 待入账/)
  const red = elements(page)
    .filter((e) => /\bmember__plus\b/.test(e.className))
    .map((e) => Number((e.textContent ?? '').replace('+', '')))
  expect(red.reduce((a, b) => a + b, 0)).toBe(300)
  expect(
    elements(page)
      .filter((e) => /\bmember__pending\b/.test(e.className))
      .map((e) => e.textContent),
  ).toEqual(['+300 待入账'])
  unloadPage(page)
  me = loadPage('pages/me/index', {}, { apiBase: stack.url, log })
  await me.waitForText('普通会员 · 300积分 ›')
  unloadPage(me)
}, 90_000)
