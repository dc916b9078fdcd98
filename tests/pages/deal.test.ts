/** The deal page and 我的收益 on the built weapp, against a real seeded stack. */
import { key, payOrder, saveAddress, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'
import { appToken, loadPage, newLog, unloadPage } from '../helpers/weapp'

let stack: Stack
let campaignId: string

beforeAll(async () => {
  stack = await startStack({ seed: true })
  const { token } = await stack.login('lookup')
  campaignId = (await stack.ok('catalog', { action: 'home' }, token)).dealCampaignId
}, 90_000)
afterAll(() => stack?.stop())

const myId = async () => (await stack.ok('auth', { action: 'me' }, appToken())).user.id as string

test('the deal page accepts the invite at first entry, shows the claims left and the rule; 立即领取 goes through checkout with the address to pay', async () => {
  const inviter = await stack.login('deal-inviter', '邀请人小李')
  // The inviter opened the campaign (and shared it) before the friend's first touch.
  await stack.ok('deal', { action: 'status', campaignId }, inviter.token)
  const log = newLog()
  const page = loadPage('packages/deal/index', { id: campaignId, inviterId: inviter.user.id }, { apiBase: stack.url, log })
  await page.waitForText('新人尝鲜 三款试饮装', '¥9.90', '¥59.00', '你还可以领 1 次', '邀请1位新用户完成首单，可多领1次', '我邀请的好友')
  // The inviter sees the friend, not counted until they pay.
  const before = await stack.ok('deal', { action: 'status', campaignId }, inviter.token)
  expect(before.invites).toEqual([expect.objectContaining({ counted: false, reason: 'NOT_PAID_YET' })])
  page.tapText('立即领取')
  // Not an order yet: the claim goes to the same checkout as any order, in deal mode.
  await until(() => log.navigateTo.length > 0)
  expect(log.navigateTo).toEqual([`/packages/order/checkout/index?dealId=${campaignId}`])
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM orders WHERE user_id = $1', [await myId()])).toEqual([{ n: 0 }])

  // The friend adds the address they ship to, then checks out at the deal price.
  await saveAddress(stack, appToken())
  const checkout = loadPage('packages/order/checkout/index', { dealId: campaignId }, { apiBase: stack.url, log })
  await checkout.waitForText('李雷 13900000000', '世纪大道 100 号', '新人专享价', '新人尝鲜 三款试饮装', '商品金额', '¥9.90', '提交订单')
  checkout.tapText('提交订单')
  await checkout.waitForText('模拟支付', '确认支付')
  checkout.tapText('确认支付')
  await until(() => log.navigateTo.find((u) => u.startsWith('/packages/order/detail/index?id=')))
  const orderId = /id=(o_[0-9a-f]+)/.exec(log.navigateTo.find((u) => u.includes('order/detail'))!)![1]!
  unloadPage(checkout)
  const detail = loadPage('packages/order/detail/index', { id: orderId }, { apiBase: stack.url, log })
  await detail.waitForText('待发货', '李雷', '世纪大道 100 号', '¥9.90')
  unloadPage(detail)
  const { order } = await stack.ok('order', { action: 'get', orderId }, appToken())
  expect(order).toMatchObject({ status: 'paid', payableFen: 990, address: { name: '李雷', detail: '世纪大道 100 号' } })

  // Back on the deal page: the claim is used.
  page.instance.onShow?.()
  await page.waitForText('你还可以领 0 次', '次数已用完')
  // The friend paid: the invite counts, and the inviter (a new customer too) may claim once more.
  const after = await stack.ok('deal', { action: 'status', campaignId }, inviter.token)
  expect(after).toMatchObject({ invitesCounted: 1, claimsAllowed: 2 })
  unloadPage(page)
}, 60_000)

test('an unpaid deal order holds the claim: the deal page offers to pay it, with its countdown, instead of 次数已用完', async () => {
  const admin = (await stack.login('admin')).token
  const { productId } = (await stack.ok('deal', { action: 'status', campaignId }, appToken())).campaign
  const { campaignId: second } = await stack.ok(
    'admin',
    {
      action: 'createDealCampaign',
      productId,
      dealPriceFen: 990,
      baseClaims: 1,
      extraClaimsPerInvite: 0,
      maxExtraClaims: 0,
      inviteCountsWhen: 'joined',
    },
    admin,
  )
  const { items } = await stack.ok('address', { action: 'list' }, appToken())
  const { orderId } = await stack.ok(
    'deal',
    { action: 'claim', campaignId: second, idempotencyKey: key(), addressId: items[0].id },
    appToken(),
  )
  const log = newLog()
  const page = loadPage('packages/deal/index', { id: second }, { apiBase: stack.url, log })
  const text = await page.waitForText('你有一笔待付款订单 ¥9.90', '去支付')
  expect(text).toMatch(/剩余 1[45]:\d\d，超时将自动取消并退回领取次数/)
  expect(text).not.toContain('次数已用完')
  page.tapText('去支付')
  await until(() => log.navigateTo.length > 0)
  expect(log.navigateTo).toEqual([`/packages/order/detail/index?id=${orderId}`])
  // Cancelled, the claim comes back and the page offers it again.
  await stack.ok('order', { action: 'cancel', orderId }, appToken())
  page.instance.onShow?.()
  await page.waitForText('你还可以领 1 次', '立即领取')
  expect(page.text()).not.toContain('你有一笔待付款订单')
  unloadPage(page)
}, 60_000)

test('我的收益 shows pending earnings with their order and reason', async () => {
  const me = (await stack.ok('auth', { action: 'me' }, appToken())).user
  const buyer = await stack.login('earnings-buyer')
  const { items } = await stack.ok('catalog', { action: 'list', limit: 50 }, buyer.token)
  const tea = items.find((p: any) => p.title === '中秋茶礼 双拼礼盒') // commission 15 %
  await stack.ok('catalog', { action: 'get', productId: tea.id, sharerId: me.id }, buyer.token)
  const { orderId } = await stack.ok(
    'order',
    { action: 'create', items: [{ productId: tea.id, qty: 1 }], idempotencyKey: key() },
    buyer.token,
  )
  await payOrder(stack, buyer.token, orderId)
  const log = newLog()
  const page = loadPage('packages/deal/earnings/index', {}, { apiBase: stack.url, log })
  // The order is named by the number the shopper sees elsewhere, not its internal id.
  const [{ order_no: orderNo }] = await sql(stack, 'SELECT order_no FROM orders WHERE id = $1', [orderId])
  const text = await page.waitForText('待结算', '¥44.85', '分享佣金 · 待结算', `订单 ${orderNo}`, '已结算', '¥0.00')
  expect(text).not.toContain(orderId)
  unloadPage(page)
}, 60_000)

test('flash sales count down by the server clock, not the device clock, and tell a new customer why they cannot buy', async () => {
  // The device clock is three hours fast; the countdown must not care.
  const realNow = Date.now.bind(Date)
  const spy = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 3 * 3_600_000)
  try {
    const log = newLog()
    const page = loadPage('packages/deal/flash/index', {}, { apiBase: stack.url, log })
    const text = await page.waitForText(
      '手工牛轧糖 500g',
      '老会员专享',
      '¥1.00',
      '老会员专享：完成首单后即可参与',
      '岩烧乳酪吐司 整箱',
      '即将开始',
    )
    expect(text).toMatch(/距开始 00:5\d:\d\d/)
    expect(text).not.toContain('已结束')
    unloadPage(page)
  } finally {
    spy.mockRestore()
  }
}, 60_000)

test('the inviter sees a friend who could not be counted, with the reason in Chinese', async () => {
  const me = (await stack.ok('auth', { action: 'me' }, appToken())).user
  const regular = await stack.login('regular-friend', '老顾客小张')
  const { items } = await stack.ok('catalog', { action: 'list', limit: 50 }, regular.token)
  const { orderId } = await stack.ok(
    'order',
    { action: 'create', items: [{ productId: items[0].id, qty: 1 }], idempotencyKey: key() },
    regular.token,
  )
  await payOrder(stack, regular.token, orderId)
  expect(await stack.ok('deal', { action: 'acceptInvite', campaignId, inviterId: me.id }, regular.token)).toEqual({
    counted: false,
    reason: 'NOT_NEW_CUSTOMER',
  })
  const log = newLog()
  const page = loadPage('packages/deal/index', { id: campaignId }, { apiBase: stack.url, log })
  await page.waitForText('老顾客小张', '未计入：已是老顾客')
  unloadPage(page)
}, 60_000)

test('while the shop has paused the campaign the page says 活动已暂停 and offers no claim; resumed, 立即领取 is back', async () => {
  const admin = (await stack.login('admin')).token
  await stack.ok('admin', { action: 'updateDealCampaign', campaignId, status: 'paused' }, admin)
  const log = newLog()
  const page = loadPage('packages/deal/index', { id: campaignId }, { apiBase: stack.url, log })
  try {
    const text = await page.waitForText('新人尝鲜 三款试饮装', '活动已暂停，请稍后再来')
    expect(text).not.toContain('立即领取')
    expect(text).not.toContain('你还可以领')
    await stack.ok('admin', { action: 'updateDealCampaign', campaignId, status: 'active' }, admin)
    page.instance.onShow?.()
    await until(() => !page.text().includes('活动已暂停'))
    expect(page.text()).not.toContain('活动已暂停')
  } finally {
    unloadPage(page)
    await stack.ok('admin', { action: 'updateDealCampaign', campaignId, status: 'active' }, admin)
  }
}, 60_000)
