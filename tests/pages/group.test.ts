/** The 拼团 group page on the built weapp, against a real stack: masked members, seats, countdown, the button per state. */
import { jobsFor, type Jobs } from '../helpers/jobs'
import { createProduct, key, payOrder, saveAddress, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'
import { appToken, loadPage, newLog, unloadPage } from '../helpers/weapp'

const HOUR = 3_600_000
let stack: Stack
let jobs: Jobs
let admin: string
let productId: string

beforeAll(async () => {
  stack = await startStack({})
  jobs = await jobsFor(stack)
  admin = (await stack.login('admin')).token
  productId = await createProduct(stack, admin, { title: '明前龙井 100g', priceFen: 5900, stock: 100 })
}, 90_000)
afterAll(async () => {
  await jobs?.close()
  await stack?.stop()
})

async function campaign(fields: Record<string, unknown> = {}) {
  const { campaignId } = await stack.ok(
    'admin',
    {
      action: 'createGroupCampaign',
      productId,
      groupPriceFen: 2900,
      groupSize: 3,
      groupHours: 1,
      startsAt: new Date(Date.now() - HOUR).toISOString(),
      endsAt: new Date(Date.now() + 24 * HOUR).toISOString(),
      onExpiry: 'refund',
      ...fields,
    },
    admin,
  )
  return campaignId as string
}

/** Someone else opens (and pays) or joins, with their own address. */
async function other(nickname: string) {
  const { token } = await stack.login(`group-page-${key().slice(0, 8)}`, nickname)
  const { address } = await saveAddress(stack, token)
  return { token, addressId: address.id as string }
}
const checkout = (addressId: string) => ({ addressId, idempotencyKey: key() })

test('a forming group: masked members, empty seats, seats left, countdown; 参与拼团 → checkout; then 去支付, 邀请好友参团, 已成团', async () => {
  const leader = await other('团长阿花')
  const opened = await stack.ok('group', { action: 'open', campaignId: await campaign(), ...checkout(leader.addressId) }, leader.token)
  await payOrder(stack, leader.token, opened.orderId)
  const groupId = opened.groupId as string

  const log = newLog()
  const page = loadPage('packages/group/index', { id: groupId }, { apiBase: stack.url, log })
  const text = await page.waitForText('明前龙井 100g', '3人团', '¥29.00', '¥59.00', '还差 2 人成团', '团**花', '团长', '待加入', '参与拼团')
  expect(text).toMatch(/剩余 (00:59:[0-5]\d|01:00:00) 结束/)
  expect(text).not.toContain('阿花')
  expect(text.split('待加入').length - 1).toBe(2)
  page.tapText('参与拼团')
  await until(() => log.navigateTo.length > 0)
  expect(log.navigateTo).toEqual([`/packages/order/checkout/index?groupId=${groupId}`])

  // The app's user joins (their seat held, unpaid): the page asks them to pay.
  const { address } = await saveAddress(stack, appToken())
  const mine = await stack.ok('group', { action: 'join', groupId, ...checkout(address.id) }, appToken())
  page.instance.onShow?.()
  await page.waitForText('你已占座，支付后即参团成功', '去支付', '待支付')
  expect(page.text().split('待加入').length - 1).toBe(1)

  // Paid: they invite friends with a card that names the rule.
  await payOrder(stack, appToken(), mine.orderId)
  page.instance.onShow?.()
  await page.waitForText('还差 1 人成团', '邀请好友参团', '查看订单 ›')
  const card = page.instance.onShareAppMessage({ from: 'button' })
  expect(card).toMatchObject({ title: '还差1人成团｜¥29.00 拼 明前龙井 100g', path: `/packages/group/index?id=${groupId}` })

  const third = await other('茶友小张')
  const last = await stack.ok('group', { action: 'join', groupId, ...checkout(third.addressId) }, third.token)
  await payOrder(stack, third.token, last.orderId)
  page.instance.onShow?.()
  await page.waitForText('拼团成功', '已成团', '茶**张')
  expect(page.text()).not.toContain('待加入')
  unloadPage(page)
}, 60_000)

test('a full group tells a newcomer to open their own; a failed group says the money went back', async () => {
  const campaignId = await campaign()
  const leader = await other('团长老王')
  const opened = await stack.ok('group', { action: 'open', campaignId, ...checkout(leader.addressId) }, leader.token)
  await payOrder(stack, leader.token, opened.orderId)
  for (const name of ['甲', '乙']) {
    const f = await other(name)
    await stack.ok('group', { action: 'join', groupId: opened.groupId, ...checkout(f.addressId) }, f.token)
  }
  const log = newLog()
  const full = loadPage('packages/group/index', { id: opened.groupId }, { apiBase: stack.url, log })
  await full.waitForText('该团已满员，等待2人支付', '自己开一个团')
  expect(full.text()).not.toContain('参与拼团')
  full.tapText('自己开一个团')
  await until(() => log.navigateTo.length > 0)
  expect(log.navigateTo).toEqual([`/packages/group/campaign/index?id=${campaignId}`])
  unloadPage(full)

  // The app's user pays into another group that runs out of time: refunded, and the page says so.
  const second = await other('团长小周')
  const g2 = await stack.ok('group', { action: 'open', campaignId, ...checkout(second.addressId) }, second.token)
  await payOrder(stack, second.token, g2.orderId)
  const { address } = await saveAddress(stack, appToken())
  const mine = await stack.ok('group', { action: 'join', groupId: g2.groupId, ...checkout(address.id) }, appToken())
  await payOrder(stack, appToken(), mine.orderId)
  const { expiresAt } = await stack.ok('group', { action: 'get', groupId: g2.groupId }, appToken())
  await jobs.runAt(new Date(new Date(expiresAt).getTime() + 1_000))
  const failed = loadPage('packages/group/index', { id: g2.groupId }, { apiBase: stack.url, log })
  // Those who paid are still listed, refunded marked; no seat waits to be taken.
  await failed.waitForText('拼团失败，款项已原路退回', '再开一个团', '查看订单 ›', '团**周', '团长', '已退款')
  expect(failed.text()).not.toContain('待加入')
  expect(failed.text()).not.toMatch(/剩余 \d\d:/)
  unloadPage(failed)
}, 60_000)

test('a full group waiting for payments says so to a member who paid (no invite); time up shows 拼团时间已到, not 去支付', async () => {
  const campaignId = await campaign()
  const leader = await other('团长小林')
  const opened = await stack.ok('group', { action: 'open', campaignId, ...checkout(leader.addressId) }, leader.token)
  await payOrder(stack, leader.token, opened.orderId)
  const { address } = await saveAddress(stack, appToken())
  const mine = await stack.ok('group', { action: 'join', groupId: opened.groupId, ...checkout(address.id) }, appToken())
  const f = await other('好友小丁')
  await stack.ok('group', { action: 'join', groupId: opened.groupId, ...checkout(f.addressId) }, f.token)

  const log = newLog()
  const page = loadPage('packages/group/index', { id: opened.groupId }, { apiBase: stack.url, log })
  await page.waitForText('你已占座，支付后即参团成功', '去支付')
  // The group's time is up by the server's clock: nothing to pay any more.
  await sql(stack, `UPDATE groups SET expires_at = now() - interval '1 second' WHERE id = $1`, [opened.groupId])
  page.instance.onShow?.()
  await page.waitForText('拼团时间已到')
  expect(page.text()).not.toContain('去支付')
  unloadPage(page)

  // Another group: the leader's friend holds a seat unpaid, the app's user paid: 等待1人支付, no invite.
  const l2 = await other('团长小吴')
  const g2 = await stack.ok('group', { action: 'open', campaignId, ...checkout(l2.addressId) }, l2.token)
  await payOrder(stack, l2.token, g2.orderId)
  await stack.ok('order', { action: 'cancel', orderId: mine.orderId }, appToken())
  const paid = await stack.ok('group', { action: 'join', groupId: g2.groupId, ...checkout(address.id) }, appToken())
  await payOrder(stack, appToken(), paid.orderId)
  const f2 = await other('好友小钱')
  await stack.ok('group', { action: 'join', groupId: g2.groupId, ...checkout(f2.addressId) }, f2.token)
  const waiting = loadPage('packages/group/index', { id: g2.groupId }, { apiBase: stack.url, log })
  await waiting.waitForText('等待1人支付')
  expect(waiting.text()).not.toContain('邀请好友参团')
  expect(waiting.text()).not.toContain('还差 0 人成团')
  unloadPage(waiting)
  // Their order's detail says the same.
  const detail = loadPage('packages/order/detail/index', { id: paid.orderId }, { apiBase: stack.url, log })
  await detail.waitForText('拼团中，等待1人支付', '查看拼团 ›')
  expect(detail.text()).not.toContain('还差0人')
  unloadPage(detail)

  // A third group seen by the app's user, who holds a seat in g2: the reason, no 参与拼团.
  const l3 = await other('团长小孙')
  const g3 = await stack.ok('group', { action: 'open', campaignId, ...checkout(l3.addressId) }, l3.token)
  await payOrder(stack, l3.token, g3.orderId)
  const elsewhere = loadPage('packages/group/index', { id: g3.groupId }, { apiBase: stack.url, log })
  await elsewhere.waitForText('你已在该活动的另一个团中')
  expect(elsewhere.text()).not.toContain('参与拼团')
  unloadPage(elsewhere)
}, 60_000)

describe('walk findings', () => {
  test('an outsider on a succeeded group gets 自己开一个团 (the campaign page), not a dead end', async () => {
    const campaignId = await campaign()
    const leader = await other('团长阿美')
    const opened = await stack.ok('group', { action: 'open', campaignId, ...checkout(leader.addressId) }, leader.token)
    await payOrder(stack, leader.token, opened.orderId)
    for (const name of ['丙', '丁']) {
      const f = await other(name)
      const j = await stack.ok('group', { action: 'join', groupId: opened.groupId, ...checkout(f.addressId) }, f.token)
      await payOrder(stack, f.token, j.orderId)
    }
    const log = newLog()
    const page = loadPage('packages/group/index', { id: opened.groupId }, { apiBase: stack.url, log })
    await page.waitForText('拼团成功', '自己开一个团')
    expect(page.text()).not.toContain('已成团')
    page.tapText('自己开一个团')
    await until(() => log.navigateTo.length > 0)
    expect(log.navigateTo).toEqual([`/packages/group/campaign/index?id=${campaignId}`])
    unloadPage(page)
  }, 60_000)

  test('the loser of the last seat at 提交订单 gets 该团已满员 with 自己开一个团, and no live 提交订单', async () => {
    const campaignId = await campaign()
    const leader = await other('团长阿青')
    const opened = await stack.ok('group', { action: 'open', campaignId, ...checkout(leader.addressId) }, leader.token)
    await payOrder(stack, leader.token, opened.orderId)
    await saveAddress(stack, appToken())
    const log = newLog()
    const page = loadPage('packages/order/checkout/index', { groupId: opened.groupId }, { apiBase: stack.url, log })
    await page.waitForText('提交订单', '拼团价')
    // Meanwhile two friends take the seats left.
    for (const name of ['戊', '己']) {
      const f = await other(name)
      await stack.ok('group', { action: 'join', groupId: opened.groupId, ...checkout(f.addressId) }, f.token)
    }
    page.tapText('提交订单')
    await until(() => (log.modals!.length > 0 ? true : undefined))
    expect(log.modals![0]).toMatch(/^该团已满员\|/)
    // Confirmed (自己开一个团): off to the campaign page; the page's button is off meanwhile.
    await until(() => (log.navigateTo.length > 0 ? true : undefined))
    expect(log.navigateTo).toEqual([`/packages/group/campaign/index?id=${campaignId}`])
    // The button turns off in a render of its own, which may come after the navigation.
    await page.waitForText('该团已不可参与')
    expect(page.text()).not.toContain('提交订单')
    unloadPage(page)
  }, 60_000)

  test('order page: paid there, the group state follows (no 支付后开团); a cancelled seat does not say 拼团中', async () => {
    const campaignId = await campaign()
    const { address } = await saveAddress(stack, appToken())
    const opened = await stack.ok('group', { action: 'open', campaignId, ...checkout(address.id) }, appToken())
    const log = newLog()
    const page = loadPage('packages/order/detail/index', { id: opened.orderId }, { apiBase: stack.url, log })
    await page.waitForText('支付后开团', '去支付')
    page.tapText('去支付')
    await page.waitForText('模拟支付', '确认支付')
    page.tapText('确认支付')
    await page.waitForText('拼团中，还差2人')
    expect(page.text()).not.toContain('支付后开团')
    unloadPage(page)

    // In a second campaign (one unfinished seat per campaign), the app's user joins a group and cancels.
    const other2 = await campaign()
    const leader2 = await other('团长阿绿')
    const g3 = await stack.ok('group', { action: 'open', campaignId: other2, ...checkout(leader2.addressId) }, leader2.token)
    await payOrder(stack, leader2.token, g3.orderId)
    const mine = await stack.ok('group', { action: 'join', groupId: g3.groupId, ...checkout(address.id) }, appToken())
    await stack.ok('order', { action: 'cancel', orderId: mine.orderId }, appToken())
    const cancelled = loadPage('packages/order/detail/index', { id: mine.orderId }, { apiBase: stack.url, log })
    await cancelled.waitForText('已取消', '订单已取消，未参团')
    expect(cancelled.text()).not.toContain('拼团中')
    unloadPage(cancelled)
    // The order list tags group orders.
    const list = loadPage('packages/order/list/index', {}, { apiBase: stack.url, log })
    await list.waitForText(`拼团订单号`)
    unloadPage(list)
  }, 60_000)
})

test('a leader who has not paid when the campaign is paused, then ended: the group page and the order page say so, no 去支付 into it', async () => {
  const campaignId = await campaign()
  const { address } = await saveAddress(stack, appToken())
  const opened = await stack.ok('group', { action: 'open', campaignId, ...checkout(address.id) }, appToken())
  await stack.ok('admin', { action: 'updateGroupCampaign', campaignId, status: 'paused' }, admin)
  const log = newLog()
  const group = loadPage('packages/group/index', { id: opened.groupId }, { apiBase: stack.url, log })
  await group.waitForText('拼团活动已暂停，恢复后可支付开团')
  expect(group.text()).not.toContain('去支付')
  unloadPage(group)

  await stack.ok('admin', { action: 'endGroupCampaign', campaignId }, admin)
  const again = loadPage('packages/group/index', { id: opened.groupId }, { apiBase: stack.url, log })
  await again.waitForText('拼团活动已结束')
  expect(again.text()).not.toContain('去支付')
  expect(again.text()).not.toContain('支付后开团')
  unloadPage(again)
  const order = loadPage('packages/order/detail/index', { id: opened.orderId }, { apiBase: stack.url, log })
  await order.waitForText('拼团活动已结束')
  expect(order.text()).not.toContain('支付后开团')
  // The order's own 去支付 is refused by the server in its words.
  expect((await stack.call('order', { action: 'pay', orderId: opened.orderId }, appToken())).body).toMatchObject({
    ok: false,
    error: { code: 'GROUP_CLOSED', message: '拼团活动已结束，该团不能再支付' },
  })
  // Its order is cancelled so the leader is free for another group later.
  await stack.ok('order', { action: 'cancel', orderId: opened.orderId }, appToken())
  unloadPage(order)
}, 60_000)

describe("paused and ended campaigns, and the caller's own group (walk 19)", () => {
  /** Someone else's forming group (leader paid) in `campaignId`. */
  async function formedBy(campaignId: string, nickname: string) {
    const leader = await other(nickname)
    const g = await stack.ok('group', { action: 'open', campaignId, ...checkout(leader.addressId) }, leader.token)
    await payOrder(stack, leader.token, g.orderId)
    return g.groupId as string
  }

  test('paused: the member and the outsider are told why, no 邀请好友参团 / 参与拼团, the clock runs; ended: the group will be refunded', async () => {
    const campaignId = await campaign()
    const groupId = await formedBy(campaignId, '团长阿紫')
    const outsiderGroup = await formedBy(campaignId, '团长阿橙')
    const { address } = await saveAddress(stack, appToken())
    const mine = await stack.ok('group', { action: 'join', groupId, ...checkout(address.id) }, appToken())
    await payOrder(stack, appToken(), mine.orderId)
    await stack.ok('admin', { action: 'updateGroupCampaign', campaignId, status: 'paused' }, admin)

    const log = newLog()
    const member = loadPage('packages/group/index', { id: groupId }, { apiBase: stack.url, log })
    const text = await member.waitForText('活动暂停中，暂不能参团（恢复后可继续邀请）', '团**紫')
    expect(text).toMatch(/剩余 \d\d:\d\d:\d\d 结束/)
    expect(text).not.toContain('邀请好友参团')
    expect(text).not.toContain('还差 1 人成团')
    unloadPage(member)
    const outsider = loadPage('packages/group/index', { id: outsiderGroup }, { apiBase: stack.url, log })
    await outsider.waitForText('活动暂停中，暂不能参团（恢复后可继续邀请）', '活动暂停中')
    expect(outsider.text()).not.toContain('参与拼团')
    expect(outsider.text()).not.toContain('自己开一个团')
    unloadPage(outsider)
    const order = loadPage('packages/order/detail/index', { id: mine.orderId }, { apiBase: stack.url, log })
    await order.waitForText('活动暂停中，暂不能参团（恢复后可继续邀请）')
    expect(order.text()).not.toContain('拼团中，还差')
    unloadPage(order)

    await stack.ok('admin', { action: 'endGroupCampaign', campaignId }, admin)
    const ended = loadPage('packages/group/index', { id: groupId }, { apiBase: stack.url, log })
    await ended.waitForText('活动已结束，该团将自动退款')
    expect(ended.text()).not.toContain('邀请好友参团')
    expect(ended.text()).not.toMatch(/剩余 \d\d:/)
    unloadPage(ended)
    const endedOutsider = loadPage('packages/group/index', { id: outsiderGroup }, { apiBase: stack.url, log })
    await endedOutsider.waitForText('活动已结束，该团将自动退款', '活动已结束')
    expect(endedOutsider.text()).not.toContain('自己开一个团')
    unloadPage(endedOutsider)
    const endedOrder = loadPage('packages/order/detail/index', { id: mine.orderId }, { apiBase: stack.url, log })
    await endedOrder.waitForText('活动已结束，该团将自动退款')
    unloadPage(endedOrder)
  }, 60_000)

  test('the campaign page says 活动已暂停 / 活动已结束 / 活动未开始（…开始） and invites nobody to start a group then', async () => {
    const log = newLog()
    const paused = await campaign()
    await formedBy(paused, '团长阿蓝')
    await stack.ok('admin', { action: 'updateGroupCampaign', campaignId: paused, status: 'paused' }, admin)
    const p = loadPage('packages/group/campaign/index', { id: paused }, { apiBase: stack.url, log })
    await p.waitForText('活动已暂停')
    expect(p.text()).not.toContain('发起拼团')
    expect(p.text()).not.toContain('发起一个邀请好友吧')
    unloadPage(p)
    await stack.ok('admin', { action: 'endGroupCampaign', campaignId: paused }, admin)
    const e = loadPage('packages/group/campaign/index', { id: paused }, { apiBase: stack.url, log })
    await e.waitForText('活动已结束')
    expect(e.text()).not.toContain('未开始')
    expect(e.text()).not.toContain('发起一个邀请好友吧')
    unloadPage(e)
    // Its start on the shop's clock (UTC+8), as M月D日 HH:mm.
    const startsAt = new Date(Date.now() + 24 * HOUR)
    const upcoming = await campaign({ startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 24 * HOUR).toISOString() })
    const shop = new Date(startsAt.getTime() + 8 * HOUR)
    const pad = (n: number) => String(n).padStart(2, '0')
    const when = `${shop.getUTCMonth() + 1}月${shop.getUTCDate()}日 ${pad(shop.getUTCHours())}:${pad(shop.getUTCMinutes())}`
    const u = loadPage('packages/group/campaign/index', { id: upcoming }, { apiBase: stack.url, log })
    await u.waitForText(`活动未开始（${when} 开始）`)
    expect(u.text()).not.toContain('发起一个邀请好友吧')
    unloadPage(u)
  }, 60_000)

  test("the caller's own group is 我的团 → 查看 and the main button 查看我的团; checkout reached anyway refuses in a dialog leading there", async () => {
    const campaignId = await campaign()
    await formedBy(campaignId, '团长阿粉')
    const { address } = await saveAddress(stack, appToken())
    const mine = await stack.ok('group', { action: 'open', campaignId, ...checkout(address.id) }, appToken())
    await payOrder(stack, appToken(), mine.orderId)
    const log = newLog()
    const page = loadPage('packages/group/campaign/index', { id: campaignId }, { apiBase: stack.url, log })
    await page.waitForText('我的团', '查看', '查看我的团', '团**粉 的团', '去参团')
    expect(page.text()).not.toContain('发起拼团')
    page.tapText('查看我的团')
    await until(() => (log.navigateTo.length > 0 ? true : undefined))
    expect(log.navigateTo).toEqual([`/packages/group/index?id=${mine.groupId}`])
    unloadPage(page)

    // A second open (a stale page, a shared link): the refusal is a dialog with 查看我的团, not a toast.
    const coLog = newLog()
    const checkoutPage = loadPage('packages/order/checkout/index', { groupCampaignId: campaignId }, { apiBase: stack.url, log: coLog })
    await checkoutPage.waitForText('提交订单', '拼团价')
    checkoutPage.tapText('提交订单')
    await until(() => (coLog.modals!.length > 0 ? true : undefined))
    expect(coLog.modals![0]).toMatch(/^你已有进行中的拼团\|/)
    await until(() => (coLog.navigateTo.length > 0 ? true : undefined))
    expect(coLog.navigateTo).toEqual([`/packages/group/index?id=${mine.groupId}`])
    await checkoutPage.waitForText('该团已不可参与')
    expect(coLog.toasts.join()).not.toContain('你已有一个进行中的拼团')
    unloadPage(checkoutPage)
  }, 60_000)
})
