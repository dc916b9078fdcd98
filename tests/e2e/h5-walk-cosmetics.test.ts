/**
 * What today's walk found out of place on a 375×812 phone (H5 build in chromium, the seeded shop):
 * the live room's 讲解中 card shows 会员价 under the price and stays clear of the comments, the member
 * page's phone placeholder sits in the middle of its box, and 发起砍价 stands apart from the terms.
 */
import type { Page } from 'playwright-core'
import { phoneBrowser, stationed } from '../helpers/browser'
import { createProduct, sql } from '../helpers/mall'

const h5 = phoneBrowser({ seed: true, viewport: { width: 375, height: 812 }, page: false })

async function open(path: string): Promise<Page> {
  const page = await (await h5.newContext()).newPage()
  await page.goto(`${h5.stack.url}/#/${path}`)
  await stationed(page)
  return page
}

const box = async (page: Page, selector: string) => (await page.locator(selector).first().boundingBox())!

test('the 讲解中 card: 会员价 under the price, beside 去抢购, and the card clear of a full comment stream', async () => {
  const { stack } = h5
  const admin = (await stack.login('admin')).token
  const roomId = (await stack.ok('live', { action: 'list' }, admin)).live[0].id as string
  const productId = await createProduct(stack, admin, { title: '讲解会员价茶', priceFen: 12_900, memberPriceFen: 9_500, stock: 20 })
  await stack.ok('admin', { action: 'pushGoods', roomId, productId }, admin)
  // Enough comments to fill the stream up to its height.
  for (let i = 0; i < 12; i++) {
    const { token } = await stack.login(`walk-chat-${i}`, `茶友${i}`)
    await stack.ok('live', { action: 'enter', roomId }, token)
    await stack.ok('live', { action: 'comment', roomId, text: `第 ${i} 条评论，汤色清亮回甘明显` }, token)
  }
  const page = await open(`packages/live/room/index?id=${roomId}`)
  const card = page.locator('.explaining')
  await card.getByText('讲解会员价茶').waitFor({ timeout: 15_000 })
  await card.getByText('会员价 ¥95.00').waitFor()
  await page.getByText('第 11 条评论', { exact: false }).waitFor({ timeout: 15_000 })

  const price = await box(page, '.explaining__price')
  const member = await box(page, '.explaining__member')
  const buy = await box(page, '.explaining__buy')
  // Under the price (not above it), on the row of 去抢购.
  expect(member.y).toBeGreaterThanOrEqual(price.y + price.height - 1)
  expect(member.x).toBeLessThan(buy.x)
  expect(buy.y).toBeLessThan(member.y + member.height)
  // The whole card below the comments' box: no comment is covered.
  const c = await box(page, '.explaining')
  const comments = await box(page, '.live-room__comments')
  expect(c.y).toBeGreaterThanOrEqual(comments.y + comments.height)
  // And inside the card.
  expect(member.y + member.height).toBeLessThanOrEqual(c.y + c.height)
  await page.context().close()
}, 90_000)

test('the member page: the phone field placeholder is centred in its box', async () => {
  const page = await open('packages/user/member/index')
  const field = page.locator('.member-join__input').last()
  await field.waitFor({ timeout: 15_000 })
  const outer = (await field.boundingBox())!
  const inner = (await field.locator('input').boundingBox())!
  expect(outer.height).toBeGreaterThan(30)
  expect(Math.abs(inner.y + inner.height / 2 - (outer.y + outer.height / 2))).toBeLessThanOrEqual(2)
  await page.context().close()
}, 60_000)

test('the 砍价 campaign page: 发起砍价 stands apart from the terms above it', async () => {
  const [{ id }] = await sql(h5.stack, `SELECT id FROM assist_campaigns WHERE face = 'price_cut' AND status = 'active' LIMIT 1`)
  const page = await open(`packages/assist/campaign/index?campaignId=${id}`)
  const button = page.locator('.assist__card .action-button', { hasText: '发起砍价' })
  await button.waitFor({ timeout: 15_000 })
  const above = await page
    .locator('.assist__card .assist__muted')
    .evaluateAll((els) => Math.max(...els.map((el) => el.getBoundingClientRect().bottom)))
  const b = (await button.boundingBox())!
  expect(b.y - above).toBeGreaterThanOrEqual(8)
  await page.context().close()
}, 60_000)
