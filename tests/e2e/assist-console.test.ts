/**
 * The 助力砍价 desk of the console (dist/admin) in chromium at a desktop's size: the owner creates a
 * price-cut campaign (the terms previewed as the shopper reads them), friends help, and the campaign
 * page shows the results with the refusals by reason; the terms are locked once a task started; 结束.
 */
import type { Page } from 'playwright-core'
import { consoleBrowser } from '../helpers/browser'
import { createProduct, sql } from '../helpers/mall'
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

/** A time `ms` from now as the console's picker shows it: the shop's wall clock (Asia/Shanghai), to the minute. */
const shopMinute = (ms: number) => {
  const local = new Date(Date.now() + ms).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 16)
  return { local, iso: new Date(`${local.replace(' ', 'T')}:00+08:00`).toISOString() }
}

test('修改活动: the dialog says what an earlier end does, refuses a past end in the server’s words, saves the title and end time', async () => {
  const { campaignId } = await stack.ok(
    'admin',
    {
      action: 'createAssistCampaign',
      title: '三人助力领券',
      face: 'price_cut',
      productId: await createProduct(stack, owner, { title: '控制台改名茶', priceFen: 5900, stock: 20 }),
      cutPerHelpFen: 1000,
      helpsNeeded: 3,
      taskHours: 24,
      startsAt: new Date(Date.now() - 3_600_000).toISOString(),
      endsAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    },
    owner,
  )
  await open(`/marketing/assist/${campaignId}`)
  await page.getByTestId('assist-status').getByText('进行中').waitFor()
  await page.getByRole('button', { name: '修改活动' }).click()
  const dialog = page.locator('.ant-modal', { hasText: '修改活动' })
  await dialog.getByText('提前结束时间，仍在进行中的助力会在那一刻结束，不能再助力').waitFor()
  const title = dialog.getByLabel('活动名称')
  expect(await title.inputValue()).toBe('三人助力领券')
  const endsAt = dialog.getByLabel('结束时间')

  // An end already past: the server's words at the field, nothing saved.
  const past = shopMinute(-30 * 60_000)
  await endsAt.click()
  await endsAt.fill(past.local)
  await endsAt.press('Enter')
  await dialog.getByRole('button', { name: '保存' }).click()
  await dialog.getByText('结束时间已经过去（立即结束请用「结束活动」）').waitFor()
  expect((await stack.ok('admin', { action: 'assistCampaign', campaignId }, owner)).campaign.title).toBe('三人助力领券')

  const later = shopMinute(10 * 86_400_000)
  await title.fill('五天助力领券')
  await endsAt.click()
  await endsAt.fill(later.local)
  await endsAt.press('Enter')
  await dialog.getByRole('button', { name: '保存' }).click()
  await dialog.waitFor({ state: 'hidden' })
  // The page reads the campaign again: the new title and end time.
  await page.getByRole('heading', { name: '五天助力领券' }).waitFor()
  await page.getByText(`至 ${later.local}`).waitFor()
  const saved = (await stack.ok('admin', { action: 'assistCampaign', campaignId }, owner)).campaign
  expect(saved).toMatchObject({ title: '五天助力领券', endsAt: later.iso, status: 'active' })
  await open('/marketing/assist')
  await page.locator('.ant-table-row', { hasText: '五天助力领券' }).waitFor()

  // Once ended there is nothing to edit.
  await stack.ok('admin', { action: 'updateAssistCampaign', campaignId, status: 'ended' }, owner)
  await open(`/marketing/assist/${campaignId}`)
  await page.getByTestId('assist-status').getByText('已结束').waitFor()
  expect(await page.getByRole('button', { name: '修改活动' }).count()).toBe(0)
}, 90_000)

test('a campaign whose window has passed reads 已结束 and offers no edit, pause or end', async () => {
  const { campaignId } = await stack.ok(
    'admin',
    {
      action: 'createAssistCampaign',
      title: '到期的砍价',
      face: 'price_cut',
      productId: await createProduct(stack, owner, { title: '控制台到期砍价茶', priceFen: 5900, stock: 20 }),
      cutPerHelpFen: 1000,
      helpsNeeded: 3,
      taskHours: 24,
      startsAt: new Date(Date.now() - 3_600_000).toISOString(),
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
    },
    owner,
  )
  await sql(stack, `UPDATE assist_campaigns SET ends_at = now() - interval '1 minute' WHERE id = $1`, [campaignId])
  await open(`/marketing/assist/${campaignId}`)
  await page.getByTestId('assist-status').getByText('已结束').waitFor()
  await page.getByRole('button', { name: '刷新' }).waitFor()
  expect(await page.getByRole('button', { name: '修改活动' }).count()).toBe(0)
  expect(await page.getByRole('button', { name: '暂停活动' }).count()).toBe(0)
  expect(await page.getByRole('button', { name: '结束活动' }).count()).toBe(0)
})
