/**
 * In the H5 build, in chromium: the 9.9 deal claimed through checkout with an address, and a
 * checkout reloaded mid-payment that offers its one unpaid order instead of placing another.
 */
import { pageToken, phoneBrowser } from '../helpers/browser'
import { saveAddress, sql } from '../helpers/mall'

const phone = phoneBrowser({ seed: true, deviceScaleFactor: 1 })
let campaignId: string
let tea: { id: string }

// Runs after phoneBrowser's beforeAll (jest keeps their order), with the stack up.
beforeAll(async () => {
  const { stack } = phone
  const { token } = await stack.login('lookup')
  campaignId = (await stack.ok('catalog', { action: 'home' }, token)).dealCampaignId
  const { items } = await stack.ok('catalog', { action: 'list', limit: 50 }, token)
  tea = items.find((p: { title: string }) => p.title === '福鼎白茶 白牡丹 150g')
}, 30_000)

/** The shopper's orders, oldest first. */
const ordersOf = async (token: string) => {
  const { stack } = phone
  const { user } = await stack.ok('auth', { action: 'me' }, token)
  return sql(stack, `SELECT id, status, kind, address, idempotency_key AS key FROM orders WHERE user_id = $1 ORDER BY created_at`, [
    user.id,
  ])
}

test('立即领取 on the deal page goes through checkout: the address, ¥9.90, pay; the paid order ships to the address', async () => {
  const { stack, page } = phone
  await page.goto(`${stack.url}/#/packages/deal/index?id=${campaignId}`)
  const deal = page.locator('.deal').last()
  await deal.getByText('你还可以领 1 次').waitFor({ timeout: 15_000 })
  await saveAddress(stack, await pageToken(page))
  await deal.getByText('立即领取').click()
  await page.waitForURL(/checkout\/index\?dealId=/)
  const checkout = page.locator('.checkout').last()
  await checkout.getByText('李雷 13900000000').waitFor({ timeout: 15_000 })
  const text = await checkout.innerText()
  expect(text).toContain('新人专享价')
  expect(text).toContain('新人尝鲜 三款试饮装')
  expect(text).toMatch(/实付\s*¥\s*9\s*\.90/)
  expect(await ordersOf(await pageToken(page))).toEqual([]) // nothing is placed before 提交订单

  await checkout.getByText('提交订单').click()
  await page.getByText('模拟支付').waitFor({ timeout: 15_000 })
  await page.getByText('确认支付').click()
  await page.waitForURL(/order\/detail/)
  const order = page.locator('.order').last()
  await order.getByText('待发货').waitFor({ timeout: 15_000 })
  expect(await order.innerText()).toContain('世纪大道 100 号')
  const [placed] = await ordersOf(await pageToken(page))
  expect(placed).toMatchObject({
    status: 'paid',
    kind: 'deal',
    address: expect.objectContaining({ name: '李雷', detail: '世纪大道 100 号' }),
  })
}, 90_000)

test('reloading during 模拟支付 keeps one order and offers to pay it; 暂不支付 lands on it, 待付款 with the countdown', async () => {
  const { stack, page } = phone
  const token = await pageToken(page)
  const before = (await ordersOf(token)).length
  await page.goto(`${stack.url}/#/packages/order/checkout/index?items=${encodeURIComponent(`${tea.id}~~1`)}`)
  const checkout = page.locator('.checkout').last()
  await checkout.getByText('李雷 13900000000').waitFor({ timeout: 15_000 })
  await checkout.getByText('提交订单').click()
  await page.getByText('模拟支付').waitFor({ timeout: 15_000 })

  await page.reload()
  const again = page.locator('.checkout').last()
  await again.getByText('你有一笔待付款订单').waitFor({ timeout: 15_000 })
  // The countdown ticks on the server's clock once the order is read: waited for, not read once.
  await again
    .getByText(/剩余 1[45]:\d\d，超时将自动取消/)
    .first()
    .waitFor()
  expect(await again.getByText('提交订单').count()).toBe(0)
  const orders = await ordersOf(token)
  expect(orders).toHaveLength(before + 1)
  const pending = orders.at(-1)
  expect(pending).toMatchObject({ status: 'pending_payment', kind: 'normal' })

  await again.getByText('去支付').click()
  await page.getByText('模拟支付').waitFor({ timeout: 15_000 })
  await page.getByText('暂不支付').click()
  await page.getByText(/订单待付款，请在 1[45]:\d\d 内完成支付/).waitFor({ timeout: 15_000 })
  await page.waitForURL(new RegExp(`order/detail/index\\?id=${pending.id}`))
  const order = page.locator('.order').last()
  await order.getByText('待付款').waitFor({ timeout: 15_000 })
  await order
    .getByText(/剩余 1[45]:\d\d/)
    .first()
    .waitFor()
  expect(await ordersOf(token)).toHaveLength(before + 1)
}, 90_000)

test('going back with the pay sheet open says the order waits for payment, with its countdown', async () => {
  const { stack, page } = phone
  const token = await pageToken(page)
  const before = await ordersOf(token)
  const nuts = (await stack.ok('catalog', { action: 'list', limit: 50 }, token)).items.find(
    (p: { title: string }) => p.title === '手工牛轧糖 500g',
  )
  await page.goto(`${stack.url}/#/pages/index/index`)
  await page.locator('.home').first().waitFor({ timeout: 15_000 })
  await page.evaluate((url) => (window.location.hash = url), `#/packages/order/checkout/index?items=${encodeURIComponent(`${nuts.id}~~1`)}`)
  const checkout = page.locator('.checkout').last()
  await checkout.getByText('李雷 13900000000').waitFor({ timeout: 15_000 })
  await checkout.getByText('提交订单').click()
  await page.getByText('模拟支付').waitFor({ timeout: 15_000 })
  await checkout.getByText('你有一笔待付款订单').waitFor()
  await page.goBack()
  await page.getByText(/订单待付款，请在 1[45]:\d\d 内完成支付/).waitFor({ timeout: 15_000 })
  const after = await ordersOf(token)
  expect(after).toHaveLength(before.length + 1)
  expect(after.at(-1)).toMatchObject({ status: 'pending_payment' })
}, 90_000)
