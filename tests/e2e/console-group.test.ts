/**
 * The 拼团 desk of the console (dist/admin) in chromium: the owner creates a campaign in the form,
 * a group succeeds (two shoppers pay), and the campaign page and the list show the results.
 */
import type { Page } from 'playwright-core'
import { consoleBrowser } from '../helpers/browser'
import { createProduct, key, payOrder, saveAddress, sql } from '../helpers/mall'
import type { Stack } from '../helpers/stack'

const desk = consoleBrowser()
let stack: Stack
let page: Page
let owner: string
beforeAll(() => void ({ stack, page, owner } = desk))
const open = (consolePath: string) => desk.open(consolePath)

async function shopper(nickname: string) {
  const { token } = await stack.login(`console-group-${key().slice(0, 8)}`, nickname)
  const { address } = await saveAddress(stack, token)
  return { token, addressId: address.id as string }
}

test('新建拼团 in the form; after a group succeeds the campaign shows its results and its groups', async () => {
  await createProduct(stack, owner, { title: '控制台拼团茶', priceFen: 5900, stock: 50 })
  await open('/marketing/group')
  await page.getByText('还没有拼团活动').waitFor()
  await page.getByRole('link', { name: '新建拼团' }).click()
  await page.waitForURL(/\/marketing\/group\/new$/)
  const picker = page.getByLabel('选择商品')
  await picker.click()
  await picker.fill('控制台拼团茶')
  await page.locator('.ant-select-item-option', { hasText: '控制台拼团茶' }).click()
  await page.getByText('售价 ¥59.00 · 库存 50').waitFor()
  await page.getByLabel('拼团价').fill('29')
  await page.getByLabel('成团人数').fill('2')
  await page.getByRole('button', { name: '创建活动' }).click()
  await page.waitForURL(/\/marketing\/group\/gc_\w+$/, { timeout: 30_000 })
  const campaignId = /group\/(gc_\w+)$/.exec(page.url())![1]!
  await page.getByTestId('group-campaign-state').getByText('进行中').waitFor()
  const made = await stack.ok('admin', { action: 'groupCampaign', campaignId }, owner)
  expect(made.campaign).toMatchObject({
    groupPriceFen: 2900,
    groupSize: 2,
    groupHours: 24,
    onExpiry: 'refund',
    status: 'active',
    groupsOpened: 0,
  })

  // A leader opens and pays, a friend joins and pays: the group succeeds.
  const leader = await shopper('团长阿花')
  const opened = await stack.ok('group', { action: 'open', campaignId, addressId: leader.addressId, idempotencyKey: key() }, leader.token)
  await payOrder(stack, leader.token, opened.orderId)
  const friend = await shopper('好友小李')
  const joined = await stack.ok(
    'group',
    { action: 'join', groupId: opened.groupId, addressId: friend.addressId, idempotencyKey: key() },
    friend.token,
  )
  await payOrder(stack, friend.token, joined.orderId)

  await page.getByRole('button', { name: '刷新' }).click()
  const results = page.locator('.ant-card', { hasText: '活动效果' })
  await results.getByText('100.0%').waitFor()
  const text = await results.innerText()
  expect(text).toMatch(/开团\s*1/)
  expect(text).toMatch(/成团\s*1/)
  expect(text).toMatch(/付款人数\s*2/)
  expect(text).toContain('¥58.00')
  await page.getByTestId('group-results-chart').locator('canvas').waitFor()
  const row = page.locator('.ant-table-row', { hasText: '团长阿花' })
  await row.getByText('已成团').waitFor()
  expect(await row.innerText()).toContain('好友小李 · 已支付')
  // Price and size are fixed now that a group opened.
  expect(await page.getByLabel('成团人数').isDisabled()).toBe(true)

  await open('/marketing/group')
  const listed = page.locator('.ant-table-row', { hasText: '控制台拼团茶' })
  await listed.getByText('进行中').waitFor()
  expect(await listed.innerText()).toMatch(/¥29\.00\s*¥59\.00/)
  expect(await listed.innerText()).toContain('100.0%')
}, 90_000)

test('结束活动 through its dialog: the campaign reads 已结束, its buttons and the edit form are gone, opens are refused', async () => {
  const productId = await createProduct(stack, owner, { title: '控制台结束拼团茶', priceFen: 5900, stock: 50 })
  const { campaignId } = await stack.ok(
    'admin',
    {
      action: 'createGroupCampaign',
      title: '要结束的拼团',
      productId,
      groupPriceFen: 2900,
      groupSize: 2,
      groupHours: 24,
      startsAt: new Date(Date.now() - 3_600_000).toISOString(),
      endsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      onExpiry: 'refund',
    },
    owner,
  )
  // A group opened before the end: it runs on.
  const leader = await shopper('团长老周')
  const opened = await stack.ok('group', { action: 'open', campaignId, addressId: leader.addressId, idempotencyKey: key() }, leader.token)
  await payOrder(stack, leader.token, opened.orderId)

  await open(`/marketing/group/${campaignId}`)
  await page.getByTestId('group-campaign-state').getByText('进行中').waitFor()
  await page.getByRole('button', { name: '结束活动' }).click()
  const dialog = page.locator('.ant-modal-confirm')
  await dialog.locator('.ant-modal-confirm-title', { hasText: '结束这个拼团活动？' }).waitFor()
  expect(await dialog.innerText()).toContain('结束后不能再开新团、不能参团；未成团的团立即结束，按活动设置自动退款或按已付人数成团')
  expect(await dialog.innerText()).toContain('结束后不能恢复')
  // 取消 changes nothing.
  await dialog.getByRole('button', { name: '取消' }).click()
  await dialog.waitFor({ state: 'hidden' })
  expect((await stack.ok('admin', { action: 'groupCampaign', campaignId }, owner)).campaign.status).toBe('active')

  await page.getByRole('button', { name: '结束活动' }).click()
  await dialog.getByRole('button', { name: '结束活动' }).click()
  await page.getByTestId('group-campaign-state').getByText('已结束').waitFor()
  await page.getByTestId('group-campaign-ended').waitFor()
  expect(await page.getByRole('button', { name: '结束活动' }).count()).toBe(0)
  expect(await page.getByRole('button', { name: '暂停活动' }).count()).toBe(0)
  expect(await page.getByRole('button', { name: '恢复活动' }).count()).toBe(0)
  expect(await page.getByRole('button', { name: '保存修改' }).count()).toBe(0)
  // The group opened before still shows, forming.
  await page.locator('.ant-table-row', { hasText: '团长老周' }).getByText('拼团中').waitFor()
  const after = await stack.ok('admin', { action: 'groupCampaign', campaignId }, owner)
  expect(after.campaign).toMatchObject({ status: 'ended', open: false })
  const late = await shopper('晚来的人')
  const refused = await stack.call('group', { action: 'open', campaignId, addressId: late.addressId, idempotencyKey: key() }, late.token)
  expect(refused.body).toMatchObject({ ok: false, error: { code: 'GROUP_NOT_ACTIVE' } })

  // Reloaded, it stays so; the list says 已结束 too.
  await page.reload()
  await page.getByTestId('group-campaign-state').getByText('已结束').waitFor()
  await open('/marketing/group')
  await page.locator('.ant-table-row', { hasText: '要结束的拼团' }).getByText('已结束').waitFor()
}, 90_000)

test('a campaign whose window has passed reads 已结束 with when it ended, and offers no edit, pause or end', async () => {
  const productId = await createProduct(stack, owner, { title: '控制台到期拼团茶', priceFen: 5900, stock: 50 })
  const { campaignId } = await stack.ok(
    'admin',
    {
      action: 'createGroupCampaign',
      title: '到期的拼团',
      productId,
      groupPriceFen: 2900,
      groupSize: 2,
      groupHours: 24,
      startsAt: new Date(Date.now() - 3_600_000).toISOString(),
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
      onExpiry: 'refund',
    },
    owner,
  )
  await sql(stack, `UPDATE group_campaigns SET ends_at = now() - interval '1 minute' WHERE id = $1`, [campaignId])
  await open(`/marketing/group/${campaignId}`)
  await page.getByTestId('group-campaign-state').getByText('已结束').waitFor()
  await page.getByTestId('group-campaign-ended').waitFor()
  await page.getByRole('button', { name: '刷新' }).waitFor()
  expect(await page.getByRole('button', { name: '结束活动' }).count()).toBe(0)
  expect(await page.getByRole('button', { name: '暂停活动' }).count()).toBe(0)
  expect(await page.getByRole('button', { name: '保存修改' }).count()).toBe(0)
})
