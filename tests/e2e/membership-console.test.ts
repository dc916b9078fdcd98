/**
 * The console's 会员 desk (dist/admin) in chromium: the results, the member list filtered by tier
 * in the URL, the settings saved after a confirm (tiers follow at once); 会员价 in the SKU editor,
 * refused at its field at or above the price.
 */
import type { Page } from 'playwright-core'
import { consoleBrowser } from '../helpers/browser'
import { createProduct, key, payOrder, sql } from '../helpers/mall'
import type { Stack } from '../helpers/stack'
import { until } from '../helpers/wait'

const desk = consoleBrowser()
let stack: Stack
let page: Page
let owner: string
beforeAll(() => void ({ stack, page, owner } = desk))
const open = (consolePath: string) => desk.open(consolePath)

test('会员: results, the list by tier, settings saved after a confirm move the tiers', async () => {
  // Two members: one paid ¥600 (银卡 by default), one nothing.
  const productId = await createProduct(stack, owner, { title: '会员测试茶', priceFen: 60_000, memberPriceFen: 59_000, stock: 10 })
  const rich = await stack.login('console-member-rich', '茶友大王')
  const poor = await stack.login('console-member-new', '茶友小李')
  for (const [i, who] of [rich, poor].entries()) {
    await stack.ok('member', { action: 'joinByPhone', code: `sandbox-phone:1380013800${i}` }, who.token)
  }
  const o = await stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, rich.token)
  await payOrder(stack, rich.token, o.orderId)

  await open('/marketing/membership')
  await page.getByText('会员总数').waitFor()
  await page.getByText('会员价共省').waitFor()
  expect(await page.locator('.ant-statistic', { hasText: '会员总数' }).innerText()).toContain('2')
  expect(await page.locator('.ant-statistic', { hasText: '待入账' }).innerText()).toContain(String(590 * 1.5))

  await page.getByRole('tab', { name: '会员列表' }).click()
  await page.getByText('茶友大王').waitFor()
  await page.getByText('茶友小李').waitFor()
  await page.getByRole('combobox').click()
  await page.locator('.ant-select-item-option', { hasText: '银卡' }).click()
  await page.waitForURL(/tab=members.*tier=silver|tier=silver.*tab=members/)
  await until(async () => !(await page.getByText('茶友小李').isVisible()) || undefined)
  await page.getByText('茶友大王').waitFor()

  await page.getByRole('tab', { name: '会员设置' }).click()
  const silver = page.getByLabel('银卡门槛（元）')
  await until(async () => ((await silver.inputValue()) === '500.00' ? true : undefined))
  // 金卡 not above 银卡: told at the field, nothing saved.
  await page.getByLabel('金卡门槛（元）').fill('400')
  await page.getByRole('button', { name: '保存' }).click()
  await page.getByText('金卡门槛须高于银卡门槛').waitFor()
  await page.getByLabel('金卡门槛（元）').fill('550')
  // Rates falling with the tier: told at the field, nothing saved.
  const silverRate = page.getByLabel('银卡', { exact: true })
  await silverRate.fill('0.5')
  await page.getByRole('button', { name: '保存' }).click()
  await page.getByText('银卡积分倍率不能低于普通会员').waitFor()
  await silverRate.fill('1.5')
  await page.getByRole('button', { name: '保存' }).click()
  await page.locator('.ant-modal-confirm-title', { hasText: '保存会员设置？' }).waitFor()
  await page.locator('.ant-modal-confirm').getByRole('button', { name: '保存' }).click()
  await page.getByText('已保存').waitFor()
  expect((await stack.ok('admin', { action: 'memberSettings' }, owner)).rules).toMatchObject({ silverFen: 50_000, goldFen: 55_000 })
  // The tiers follow at once: ¥590 is 金卡 now.
  expect((await stack.ok('member', { action: 'status' }, rich.token)).tier).toBe('gold')
}, 90_000)

test('会员价 in the product editor: shown, and refused at its field at or above the price', async () => {
  const productId = await createProduct(stack, owner, { title: '会员价编辑茶', priceFen: 10_000, memberPriceFen: 9_000, stock: 10 })
  await open(`/products/${productId}`)
  const field = page.getByLabel('会员价', { exact: true })
  await until(async () => ((await field.inputValue()) === '90.00' ? true : undefined))
  await field.fill('100')
  await page.getByRole('button', { name: '保存', exact: true }).click()
  await page.getByText('会员价须低于售价').first().waitFor()
  expect((await sql(stack, `SELECT member_price_fen FROM skus WHERE product_id = $1`, [productId]))[0].member_price_fen).toBe(9000)
  // Below the price the field's problem is gone (saving it is the API's test: tests/integration/points.test.ts).
  await field.fill('88')
  await until(async () => ((await page.getByText('会员价须低于售价').count()) === 0 ? true : undefined))
}, 60_000)
