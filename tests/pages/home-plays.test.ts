/**
 * The home's 拼团 · 砍价 strip on the built weapp, against the seeded demo shop: shown with the seeded
 * plays (each card tapping through to its campaign's page), absent when none runs.
 */
import { sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'
import { loadPage, newLog, unloadPage } from '../helpers/weapp'

let stack: Stack

beforeAll(async () => {
  stack = await startStack({ seed: true })
}, 90_000)
afterAll(() => stack?.stop())

test('the seeded 拼团 and 砍价 are on the home under the tiles, and a tap opens each campaign page', async () => {
  const log = newLog()
  const [group] = await sql(stack, `SELECT id FROM group_campaigns`)
  const [cut] = await sql(stack, `SELECT id FROM assist_campaigns WHERE face = 'price_cut'`)
  const page = loadPage('pages/index/index', {}, { apiBase: stack.url, log })
  const text = await page.waitForText(
    '拼团 · 砍价',
    '竹制茶盘 储水式',
    '2人团',
    '拼团价 ¥99.00',
    '¥129.00',
    '麻辣牛肉干 250g',
    '5人砍价',
    '砍到 ¥18.00',
  )
  // Under the four tiles, above the feed; the coupon-face 好友助力 is not a price cut and is not listed.
  expect(text.indexOf('好券天天领')).toBeLessThan(text.indexOf('拼团 · 砍价'))
  expect(text.indexOf('砍到 ¥18.00')).toBeLessThan(text.indexOf('为你推荐'))
  expect(text).not.toContain('领满99减10')
  page.tapText('拼团价 ¥99.00')
  await until(() => log.navigateTo.length === 1)
  page.tapText('砍到 ¥18.00')
  await until(() => log.navigateTo.length === 2)
  expect(log.navigateTo).toEqual([`/packages/group/campaign/index?id=${group.id}`, `/packages/assist/campaign/index?campaignId=${cut.id}`])
  unloadPage(page)
}, 30_000)

test('with no play running the strip goes away entirely on the next load, and the rest of the home stays', async () => {
  const admin = (await stack.login('admin')).token
  const [group] = await sql(stack, `SELECT id FROM group_campaigns`)
  const [cut] = await sql(stack, `SELECT id FROM assist_campaigns WHERE face = 'price_cut'`)
  const log = newLog()
  const page = loadPage('pages/index/index', {}, { apiBase: stack.url, log })
  await page.waitForText('拼团 · 砍价', '拼团价 ¥99.00', '砍到 ¥18.00')
  await stack.ok('admin', { action: 'updateGroupCampaign', campaignId: group.id, status: 'paused' }, admin)
  await stack.ok('admin', { action: 'updateAssistCampaign', campaignId: cut.id, status: 'paused' }, admin)
  try {
    const asked = log.requests.filter((r) => r.endsWith(' plays')).length
    page.instance.onPullDownRefresh()
    await until(() => log.requests.filter((r) => r.endsWith(' plays')).length > asked)
    await until(() => !page.text().includes('拼团 · 砍价'))
    // No empty box: nothing of the strip is rendered; the tiles and the feed are all there.
    expect(page.root.dom.querySelectorAll('[class*="plays"]').length).toBe(0)
    const text = await page.waitForText('领券中心', '为你推荐', '竹制茶盘 储水式', '麻辣牛肉干 250g')
    expect(text).not.toContain('拼团价')
    expect(text).not.toContain('砍到')
    unloadPage(page)
  } finally {
    await stack.ok('admin', { action: 'updateGroupCampaign', campaignId: group.id, status: 'active' }, admin)
    await stack.ok('admin', { action: 'updateAssistCampaign', campaignId: cut.id, status: 'active' }, admin)
  }
}, 30_000)

test('a card whose play ends while the home is shown leaves the strip on the server clock, without a reload', async () => {
  const [group] = await sql(stack, `SELECT id, ends_at FROM group_campaigns`)
  await sql(stack, `UPDATE group_campaigns SET ends_at = now() + interval '4 seconds' WHERE id = $1`, [group.id])
  try {
    const log = newLog()
    const page = loadPage('pages/index/index', {}, { apiBase: stack.url, log })
    await page.waitForText('拼团 · 砍价', '拼团价 ¥99.00', '砍到 ¥18.00')
    const asked = log.requests.filter((r) => r.endsWith(' plays')).length
    await until(() => !page.text().includes('拼团价 ¥99.00'), 15_000)
    // The price cut still runs: the strip stays with its card; nothing was asked again.
    expect(page.text()).toContain('砍到 ¥18.00')
    expect(log.requests.filter((r) => r.endsWith(' plays')).length).toBe(asked)
    unloadPage(page)
  } finally {
    await sql(stack, `UPDATE group_campaigns SET ends_at = $2 WHERE id = $1`, [group.id, group.ends_at])
  }
}, 30_000)

test('a reload that fails clears the strip (absent on error), and the next good one brings it back', async () => {
  const log = newLog()
  const page = loadPage('pages/index/index', {}, { apiBase: stack.url, log })
  await page.waitForText('拼团 · 砍价', '拼团价 ¥99.00', '砍到 ¥18.00')
  // The plays read fails on the server (its table is away for a moment): the pull-down refresh's call errs.
  await sql(stack, 'ALTER TABLE assist_campaigns RENAME TO assist_campaigns_away')
  try {
    const asked = log.requests.filter((r) => r.endsWith(' plays')).length
    page.instance.onPullDownRefresh()
    await until(() => log.requests.filter((r) => r.endsWith(' plays')).length > asked)
    await until(() => !page.text().includes('拼团 · 砍价'))
    expect(page.root.dom.querySelectorAll('[class*="plays"]').length).toBe(0)
  } finally {
    await sql(stack, 'ALTER TABLE assist_campaigns_away RENAME TO assist_campaigns')
  }
  page.instance.onPullDownRefresh()
  await page.waitForText('拼团 · 砍价', '拼团价 ¥99.00', '砍到 ¥18.00')
  unloadPage(page)
}, 30_000)
