/** The assist pages on the built weapp, against a real seeded stack: the starter's progress and reasons, a friend's help and its outcome. */
import { key, payOrder, saveAddress, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'
import { appToken, elements, loadPage, newLog, unloadPage } from '../helpers/weapp'

const HOUR = 3_600_000
let stack: Stack
let admin: string
let helperCoupon: string
let rewardCoupon: string
/** A coupon whose name is its rule (无门槛减5): the terms name it once. */
let plainCoupon: string

beforeAll(async () => {
  stack = await startStack({ seed: true })
  admin = (await stack.login('admin')).token
  const coupon = async (title: string) =>
    (
      await stack.ok(
        'admin',
        { action: 'createCoupon', title, kind: 'fixed', valueFen: 500, thresholdFen: 0, stock: 0, perUserLimit: 1 },
        admin,
      )
    ).couponId as string
  helperCoupon = await coupon('新人欢迎券')
  rewardCoupon = await coupon('助力奖励券')
  plainCoupon = await coupon('无门槛减5')
}, 90_000)
afterAll(() => stack?.stop())

const campaign = async (fields: Record<string, unknown>) =>
  (
    await stack.ok(
      'admin',
      {
        action: 'createAssistCampaign',
        taskHours: 24,
        startsAt: new Date(Date.now() - HOUR).toISOString(),
        endsAt: new Date(Date.now() + 48 * HOUR).toISOString(),
        ...fields,
      },
      admin,
    )
  ).campaignId as string

/** Makes the user an existing customer: a paid normal order. */
async function existing(token: string) {
  const productId = await stack
    .ok('admin', { action: 'createProduct', title: '小样', priceFen: 100, stock: 10 }, admin)
    .then((r) => r.productId)
  const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, token)
  await payOrder(stack, token, orderId)
}

test('the starter starts from the campaign page and sees the published terms, the progress by the server clock and each friend with the reason', async () => {
  const c = await campaign({
    title: '好友助力领5元券',
    face: 'coupon',
    rewardCouponId: rewardCoupon,
    helpsNeeded: 3,
    newCustomersOnly: true,
  })
  const log = newLog()
  const page = loadPage('packages/assist/campaign/index', { campaignId: c }, { apiBase: stack.url, log })
  await page.waitForText('好友助力领5元券', '3位好友助力，即得「助力奖励券」（无门槛减5）', '仅限新顾客助力', '发起助力')
  page.tapText('发起助力')
  await until(() => log.navigateTo.find((u) => u.startsWith('/packages/assist/index?taskId=')))
  const taskId = /taskId=(at_[0-9a-f]+)/.exec(log.navigateTo.find((u) => u.includes('assist/index'))!)![1]!
  unloadPage(page)

  // Friends help (two count, an existing customer is refused), and the starter tried to help themself.
  const [a, b, old] = await Promise.all([stack.login('pg-a', '阿福'), stack.login('pg-b', '宝儿'), stack.login('pg-old', '老王')])
  await existing(old.token)
  expect(await stack.ok('assist', { action: 'help', taskId }, a.token)).toEqual({ counted: true })
  expect(await stack.ok('assist', { action: 'help', taskId }, b.token)).toEqual({ counted: true })
  expect(await stack.ok('assist', { action: 'help', taskId }, old.token)).toEqual({ counted: false, reason: 'NOT_NEW_CUSTOMER' })
  expect(await stack.ok('assist', { action: 'help', taskId }, appToken())).toEqual({ counted: false, reason: 'SELF' })

  const task = loadPage('packages/assist/index', { taskId }, { apiBase: stack.url, log })
  const text = await task.waitForText(
    '我发起的助力',
    '已有2位好友助力，还差1位',
    '为我助力的好友',
    '阿福',
    '宝儿',
    '已助力',
    '未计入：仅限新顾客助力',
    '未计入：自己不能为自己助力',
  )
  expect(text).toMatch(/剩余 2[34]:\d\d:\d\d 结束/)
  expect(text).not.toContain('帮TA助力')

  // The last friend completes it: the page says so and points to the reward.
  await stack.ok('assist', { action: 'help', taskId }, (await stack.login('pg-c', '小c')).token)
  task.instance.onShow?.()
  await task.waitForText('3位好友助力成功！', '奖励券已发到券包，去看看')
  unloadPage(task)
}, 90_000)

test('a friend opens the shared task, claims their welcome coupon to help, and reads the outcome; the price shown is the price reached', async () => {
  const productId = (await stack.ok('admin', { action: 'createProduct', title: '砍价茶饼', priceFen: 5900, stock: 20 }, admin)).productId
  const c = await campaign({
    title: '砍价：茶饼',
    face: 'price_cut',
    productId,
    cutPerHelpFen: 1000,
    helpsNeeded: 5,
    helperCouponId: helperCoupon,
  })
  const starter = await stack.login('pg-starter', '茶友小王')
  const { taskId } = await stack.ok('assist', { action: 'start', campaignId: c }, starter.token)
  await stack.ok('assist', { action: 'help', taskId }, (await stack.login('pg-early', '早到')).token)
  const log = newLog()
  const page = loadPage('packages/assist/index', { taskId }, { apiBase: stack.url, log })
  await page.waitForText(
    '茶**王 邀你助力',
    '砍价茶饼',
    '¥49.00',
    '每位好友砍 ¥10.00，5位好友砍到 ¥9.00',
    '已有1位好友助力，还差4位',
    '领取新人券，帮TA助力',
  )
  // A friend sees who helped, masked, and no reasons.
  expect(page.text()).toContain('早*')
  page.tapText('领取新人券，帮TA助力')
  await page.waitForText('助力成功，谢谢你的帮忙！', '已有2位好友助力，还差3位', '¥39.00', '新人券已放入你的券包')
  expect(page.text()).not.toContain('领取新人券，帮TA助力')
  const me = (await stack.ok('auth', { action: 'me' }, appToken())).user.id
  expect(await sql(stack, `SELECT counted FROM assist_helps WHERE task_id = $1 AND helper_id = $2`, [taskId, me])).toEqual([
    { counted: true },
  ])
  expect(await sql(stack, `SELECT count(*)::int AS n FROM user_coupons WHERE coupon_id = $1 AND user_id = $2`, [helperCoupon, me])).toEqual(
    [{ n: 1 }],
  )
  unloadPage(page)

  // Another starter's task of the same campaign: the welcome coupon is once per helper per campaign, so
  // the friend helps with a tap, the help counts, and the page says no second coupon came.
  const second = await stack.login('pg-starter-2', '茶友小李')
  const { taskId: secondTask } = await stack.ok('assist', { action: 'start', campaignId: c }, second.token)
  const again = loadPage('packages/assist/index', { taskId: secondTask }, { apiBase: stack.url, log })
  await again.waitForText('茶**李 邀你助力', '已有0位好友助力，还差5位', '你已领过本活动的新人券（每人限领一次），助力仍会计入', '帮TA助力')
  expect(again.text()).not.toContain('领取新人券')
  again.tapText('帮TA助力')
  await again.waitForText(
    '已助力成功（新人券每人限领一次）',
    '你已在该活动领过新人券，本次助力已计入',
    '已有1位好友助力，还差4位',
    '¥49.00',
  )
  expect(again.text()).not.toContain('新人券已放入你的券包')
  expect(await sql(stack, `SELECT count(*)::int AS n FROM user_coupons WHERE coupon_id = $1 AND user_id = $2`, [helperCoupon, me])).toEqual(
    [{ n: 1 }],
  )
  unloadPage(again)
}, 90_000)

test('the starter of a price cut buys at the price reached through checkout, once', async () => {
  const productId = (await stack.ok('admin', { action: 'createProduct', title: '砍价白茶', priceFen: 3000, stock: 20 }, admin)).productId
  const c = await campaign({ title: '砍价：白茶', face: 'price_cut', productId, cutPerHelpFen: 500, helpsNeeded: 4 })
  const { taskId } = await stack.ok('assist', { action: 'start', campaignId: c }, appToken())
  for (const name of ['甲', '乙']) await stack.ok('assist', { action: 'help', taskId }, (await stack.login(`pg-buy-${name}`, name)).token)
  await saveAddress(stack, appToken())
  const log = newLog()
  const page = loadPage('packages/assist/index', { taskId }, { apiBase: stack.url, log })
  const shown = await page.waitForText('我发起的助力', '已有2位好友助力，还差2位', '¥20.00', '以 ¥20.00 购买', '邀请好友助力')
  // While the task is open, inviting comes first (the share button), buying second.
  expect(shown.indexOf('邀请好友助力')).toBeLessThan(shown.indexOf('以 ¥20.00 购买'))
  expect(elements(page).some((e) => /\bassist__invite\b/.test(e.className) && e.textContent?.trim() === '邀请好友助力')).toBe(true)
  // No avatar: the starter's initial, not an empty circle.
  const avatar = elements(page).find((e) => /\bassist__avatar\b/.test(e.className))!
  expect(avatar.textContent?.trim().length).toBe(1)
  page.tapText('以 ¥20.00 购买')
  await until(() => log.navigateTo.length > 0)
  expect(log.navigateTo).toEqual([`/packages/order/checkout/index?assistTaskId=${taskId}`])
  const checkout = loadPage('packages/order/checkout/index', { assistTaskId: taskId }, { apiBase: stack.url, log })
  await checkout.waitForText('好友助力砍后价', '砍价白茶', '¥20.00', '提交订单')
  checkout.tapText('提交订单')
  await checkout.waitForText('模拟支付', '确认支付')
  checkout.tapText('确认支付')
  await until(() => log.navigateTo.find((u) => u.startsWith('/packages/order/detail/index?id=')))
  unloadPage(checkout)
  const [order] = await sql(stack, `SELECT kind, status, payable_fen FROM orders WHERE play_ref = $1`, [taskId])
  expect(order).toEqual({ kind: 'assist', status: 'paid', payable_fen: 2000 })
  page.instance.onShow?.()
  await page.waitForText('查看订单')
  expect(page.text()).not.toContain('购买')
  unloadPage(page)
}, 90_000)

test("我的 links to the assist list: the campaigns open now and the caller's own tasks", async () => {
  const log = newLog()
  const me = loadPage('pages/me/index', {}, { apiBase: stack.url, log })
  await me.waitForText('好友助力 · 砍价')
  me.tapText('好友助力 · 砍价')
  await until(() => log.navigateTo.length > 0)
  expect(log.navigateTo).toEqual(['/packages/assist/campaign/index'])
  unloadPage(me)
  const list = loadPage('packages/assist/campaign/index', {}, { apiBase: stack.url, log })
  // The earlier tests' campaigns, and the tasks this user started (the coupon one completed, the white tea bought).
  await list.waitForText(
    '我发起的',
    '好友助力领5元券',
    '已完成 · 3/3',
    '砍价：白茶',
    '进行中 · 2/4',
    '每位好友砍 ¥10.00，5位好友砍到 ¥9.00',
  )
  unloadPage(list)
}, 60_000)

test('a friend refused while the campaign was paused sees 帮TA助力 again once it resumes, and helps', async () => {
  const c = await campaign({ title: '助力领券', face: 'coupon', rewardCouponId: rewardCoupon, helpsNeeded: 3 })
  const starter = await stack.login('pg-retry-starter', '茶友小赵')
  const { taskId } = await stack.ok('assist', { action: 'start', campaignId: c }, starter.token)
  await stack.ok('admin', { action: 'updateAssistCampaign', campaignId: c, status: 'paused' }, admin)
  expect(await stack.ok('assist', { action: 'help', taskId }, appToken())).toEqual({ counted: false, reason: 'TASK_ENDED' })
  await stack.ok('admin', { action: 'updateAssistCampaign', campaignId: c, status: 'active' }, admin)
  const log = newLog()
  const page = loadPage('packages/assist/index', { taskId }, { apiBase: stack.url, log })
  await page.waitForText('帮TA助力')
  expect(page.text()).not.toContain('未能助力')
  page.tapText('帮TA助力')
  await page.waitForText('助力成功，谢谢你的帮忙！', '已有1位好友助力，还差2位')
  unloadPage(page)
}, 60_000)

test('a friend refused (the campaign ended) who holds its welcome coupon reads the refusal alone, no welcome-coupon hint under it', async () => {
  const c = await campaign({
    title: '助力领券·已结束',
    face: 'coupon',
    rewardCouponId: rewardCoupon,
    helpsNeeded: 3,
    helperCouponId: helperCoupon,
    dailyHelpCap: 20,
  })
  const [s1, s2] = await Promise.all([stack.login('pg-end-1', '茶友阿一'), stack.login('pg-end-2', '茶友阿二')])
  const { taskId: first } = await stack.ok('assist', { action: 'start', campaignId: c }, s1.token)
  const { taskId: second } = await stack.ok('assist', { action: 'start', campaignId: c }, s2.token)
  // The friend helps the first task (and so holds this campaign's welcome coupon); the campaign ends; the second help is refused.
  expect(await stack.ok('assist', { action: 'help', taskId: first }, appToken())).toMatchObject({ counted: true })
  await stack.ok('admin', { action: 'updateAssistCampaign', campaignId: c, status: 'ended' }, admin)
  expect(await stack.ok('assist', { action: 'help', taskId: second }, appToken())).toEqual({ counted: false, reason: 'TASK_ENDED' })
  const log = newLog()
  const page = loadPage('packages/assist/index', { taskId: second }, { apiBase: stack.url, log })
  // One clear state: 活动已结束 once, no refusal repeating it, nothing to start in an ended campaign.
  const shown = await page.waitForText('活动已结束', '助力已结束')
  expect(shown.split('活动已结束').length - 1).toBe(1)
  expect(shown).not.toContain('未能助力')
  expect(shown).not.toContain('我也要发起')
  expect(page.text()).not.toContain('你已领过本活动的新人券')
  expect(page.text()).not.toContain('你将获得')
  expect(page.text()).not.toContain('帮TA助力')
  unloadPage(page)
}, 60_000)

describe('paused, ended and shortened campaigns (walk 19)', () => {
  const shopClock = (iso: string) => {
    const d = new Date(new Date(iso).getTime() + 8 * HOUR)
    const pad = (n: number) => String(n).padStart(2, '0')
    return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
  }
  const priceCut = async (title: string) => {
    const productId = (await stack.ok('admin', { action: 'createProduct', title: `${title}茶`, priceFen: 5900, stock: 20 }, admin))
      .productId
    return campaign({ title, face: 'price_cut', productId, cutPerHelpFen: 1000, helpsNeeded: 5 })
  }

  test('an end time moved earlier: the task counts down to it and the campaign page says when the campaign ends', async () => {
    const c = await priceCut('砍价·提前结束')
    const { taskId } = await stack.ok('assist', { action: 'start', campaignId: c }, appToken())
    const endsAt = new Date(Date.now() + 2 * HOUR).toISOString()
    await stack.ok('admin', { action: 'updateAssistCampaign', campaignId: c, endsAt }, admin)
    const log = newLog()
    const task = loadPage('packages/assist/index', { taskId }, { apiBase: stack.url, log })
    const text = await task.waitForText('我发起的助力', '剩余')
    expect(text).toMatch(/剩余 0[12]:\d\d:\d\d 结束/)
    expect(text).toContain(`活动 ${shopClock(endsAt)} 结束，助力须在此前完成`)
    expect(text).not.toContain('发起后 24 小时内有效')
    unloadPage(task)
    const page = loadPage('packages/assist/campaign/index', { campaignId: c }, { apiBase: stack.url, log })
    await page.waitForText(`活动 ${shopClock(endsAt)} 结束，助力须在此前完成`, '查看我的砍价')
    unloadPage(page)
  }, 60_000)

  test('paused: the starter and a friend each read 活动暂停中，暂不能助力 once, with no invite, help or 我也要发起', async () => {
    const c = await priceCut('砍价·暂停')
    const { taskId: mine } = await stack.ok('assist', { action: 'start', campaignId: c }, appToken())
    const friendOf = await stack.login('pg-paused-starter', '茶友阿三')
    const { taskId: theirs } = await stack.ok('assist', { action: 'start', campaignId: c }, friendOf.token)
    await stack.ok('admin', { action: 'updateAssistCampaign', campaignId: c, status: 'paused' }, admin)
    const log = newLog()
    const starter = loadPage('packages/assist/index', { taskId: mine }, { apiBase: stack.url, log })
    const s = await starter.waitForText('我发起的助力', '活动暂停中，暂不能助力')
    expect(s).not.toContain('邀请好友助力')
    expect(s).not.toContain('快分享给好友吧')
    unloadPage(starter)
    const friend = loadPage('packages/assist/index', { taskId: theirs }, { apiBase: stack.url, log })
    const f = await friend.waitForText('茶**三 邀你助力', '活动暂停中，暂不能助力')
    expect(f.split('暂不能助力').length - 1).toBe(1)
    expect(f).not.toContain('帮TA助力')
    expect(f).not.toContain('请稍后再来')
    expect(f).not.toContain('我也要发起')
    unloadPage(friend)
  }, 60_000)

  test("the coupon face names the coupon once, says what helpers get, and a friend never reads the starter's share line", async () => {
    const c = await campaign({
      title: '助力领券·一次',
      face: 'coupon',
      rewardCouponId: plainCoupon,
      helpsNeeded: 3,
      helperCouponId: helperCoupon,
    })
    const log = newLog()
    const page = loadPage('packages/assist/campaign/index', { campaignId: c }, { apiBase: stack.url, log })
    const text = await page.waitForText('3位好友助力，即得「无门槛减5」', '好友助力可领「新人欢迎券」', '发起助力')
    expect(text).not.toContain('（无门槛减5）')
    unloadPage(page)
    const starter = await stack.login('pg-once-starter', '茶友阿四')
    const { taskId } = await stack.ok('assist', { action: 'start', campaignId: c }, starter.token)
    const friend = loadPage('packages/assist/index', { taskId }, { apiBase: stack.url, log })
    const f = await friend.waitForText('茶**四 邀你助力', '还没有好友助力')
    expect(f).not.toContain('快分享给好友吧')
    expect(f).toContain('你将获得「新人欢迎券」')
    unloadPage(friend)
  }, 60_000)
})
