/**
 * The 助力砍价 desk of the console (dist/admin) in chromium at a desktop's size: the owner creates a
 * price-cut campaign (the terms previewed as the shopper reads them), friends help, and the campaign
 * page shows the results with the refusals by reason; the terms are locked once a task started; 结束.
 */
import type { Page } from 'playwright-core'
import { consoleBrowser } from '../helpers/browser'
import { createProduct } from '../helpers/mall'
import type { Stack } from '../helpers/stack'

const desk = consoleBrowser()
let stack: Stack
let page: Page
let owner: string
beforeAll(() => void ({ stack, page, owner } = desk))
const open = (consolePath: string) => desk.open(consolePath)

test('新建砍价 previews the published terms, then the campaign page shows the results and the refusals by reason', async () => {
  await createProduct(stack, owner, { title: '控制台砍价茶', priceFen: 5900, stock: 50 })
  await open('/marketing/assist')
  await page.getByText('还没有助力活动').waitFor()
  await page.getByRole('link', { name: '新建活动' }).click()
  await page.waitForURL(/\/marketing\/assist\/new$/)
  await page.getByLabel('活动名称').fill('砍价到9元')
  await page.getByText('砍价（每位好友砍固定金额）').click()
  const picker = page.getByLabel('选择商品')
  await picker.click()
  await picker.fill('控制台砍价茶')
  await page.locator('.ant-select-item-option', { hasText: '控制台砍价茶' }).click()
  await page.getByText('售价 ¥59.00 · 库存 50').waitFor()
  await page.getByLabel('每位好友砍', { exact: true }).fill('10')
  await page.getByLabel('需要好友人数').fill('5')
  const preview = page.getByTestId('assist-terms-preview')
  await preview.getByText('每位好友砍 ¥10.00，5位好友砍到 ¥9.00').waitFor()
  // Too deep a cut is said before it is sent.
  await page.getByLabel('每位好友砍', { exact: true }).fill('12')
  await preview.getByText(/底价低于 ¥0.01/).waitFor()
  await page.getByLabel('每位好友砍', { exact: true }).fill('10')
  await page.getByRole('button', { name: '创建活动' }).click()
  await page.waitForURL(/\/marketing\/assist\/ac_\w+$/, { timeout: 30_000 })
  const campaignId = /assist\/(ac_\w+)$/.exec(page.url())![1]!
  await page.getByTestId('assist-status').getByText('进行中').waitFor()
  const made = await stack.ok('admin', { action: 'assistCampaign', campaignId }, owner)
  expect(made.campaign).toMatchObject({ face: 'price_cut', helpsNeeded: 5, product: { cutPerHelpFen: 1000, floorPriceFen: 900 } })

  // A starter and friends: two count, one tries twice, the starter tries themself.
  const [s, a, b] = await Promise.all(['ac-s', 'ac-a', 'ac-b'].map((o) => stack.login(o)))
  const { taskId } = await stack.ok('assist', { action: 'start', campaignId }, s!.token)
  for (const t of [a!.token, b!.token, a!.token, s!.token]) await stack.ok('assist', { action: 'help', taskId }, t)
  await page.getByRole('button', { name: '刷新' }).click()
  const results = page.locator('.ant-card', { hasText: '活动效果' })
  await results.locator('.ant-statistic', { hasText: '助力计入' }).getByText('2', { exact: true }).waitFor()
  await results.locator('.ant-statistic', { hasText: '发起' }).first().getByText('1', { exact: true }).waitFor()
  await page.getByTestId('assist-results-chart').locator('canvas').waitFor()
  const reasons = page.locator('.ant-card', { hasText: '助力未计入的原因' })
  for (const [label, n] of [
    ['自己不能为自己助力', '1'],
    ['已助力过', '1'],
    ['今日助力次数已用完', '0'],
  ] as const)
    expect(await reasons.locator('tr', { hasText: label }).innerText()).toMatch(new RegExp(`${label}\\s+${n}$`))
  // The published terms can't change now.
  await page.getByText('已有 1 人发起，公开的规则（好友人数、每次砍价金额）不能再修改').waitFor()
  expect(await page.getByRole('button', { name: '保存规则' }).isDisabled()).toBe(true)

  // 结束 is for good.
  await page.getByRole('button', { name: '结束活动' }).click()
  await page.locator('.ant-popconfirm').getByRole('button', { name: '结束' }).click()
  await page.getByTestId('assist-status').getByText('已结束').waitFor()
  expect((await stack.ok('admin', { action: 'assistCampaign', campaignId }, owner)).campaign.status).toBe('ended')
  await open('/marketing/assist')
  const row = page.locator('.ant-table-row', { hasText: '砍价到9元' })
  await row.getByText('已结束').waitFor()
  expect(await row.innerText()).toContain('每位好友砍 ¥10.00，5位好友砍到 ¥9.00')
}, 120_000)
