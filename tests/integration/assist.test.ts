/** 好友助力 / 砍价: tasks, helps at the limit, the daily cap, the price cut's one order, the console's campaigns, on real PostgreSQL. */
import { createProduct, key, payOrder, saveAddress, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let admin: string
let product: string
let rewardCoupon: string
let helperCoupon: string
const HOUR = 3_600_000

beforeAll(async () => {
  stack = await startStack()
  admin = (await stack.login('admin')).token
  product = await createProduct(stack, admin, { priceFen: 5900, stock: 500 })
  const coupon = async (title: string) =>
    (
      await stack.ok(
        'admin',
        { action: 'createCoupon', title, kind: 'fixed', valueFen: 500, thresholdFen: 0, stock: 0, perUserLimit: 1 },
        admin,
      )
    ).couponId as string
  rewardCoupon = await coupon('助力奖励券')
  helperCoupon = await coupon('新人欢迎券')
}, 90_000)
afterAll(async () => {
  await stack?.stop()
})

const window = () => ({ startsAt: new Date(Date.now() - HOUR).toISOString(), endsAt: new Date(Date.now() + 48 * HOUR).toISOString() })
const campaign = async (fields: Record<string, unknown> = {}) =>
  (
    await stack.ok(
      'admin',
      {
        action: 'createAssistCampaign',
        title: '好友助力领券',
        face: 'coupon',
        rewardCouponId: rewardCoupon,
        helpsNeeded: 3,
        taskHours: 24,
        ...window(),
        ...fields,
      },
      admin,
    )
  ).campaignId as string
const priceCut = (fields: Record<string, unknown> = {}) =>
  campaign({
    title: '砍价',
    face: 'price_cut',
    rewardCouponId: undefined,
    productId: product,
    cutPerHelpFen: 1000,
    helpsNeeded: 5,
    ...fields,
  })
const login = (openid: string) => stack.login(openid)
const users = (n: number, prefix: string) => Promise.all(Array.from({ length: n }, (_, i) => login(`${prefix}-${i}`)))
const start = async (c: string, token: string) => (await stack.ok('assist', { action: 'start', campaignId: c }, token)).taskId as string
const help = (taskId: string, token: string) => stack.ok('assist', { action: 'help', taskId }, token)
const taskView = (taskId: string, token: string) => stack.ok('assist', { action: 'task', taskId }, token)
const heldCoupons = (couponId: string, userId: string) =>
  sql(stack, `SELECT count(*)::int AS n FROM user_coupons WHERE coupon_id = $1 AND user_id = $2`, [couponId, userId]).then(
    (r) => r[0].n as number,
  )

/** Makes the user an existing customer: a paid normal order. */
async function existing(token: string) {
  const cheap = await createProduct(stack, admin, { priceFen: 100, stock: 10 })
  const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId: cheap, qty: 1 }], idempotencyKey: key() }, token)
  await payOrder(stack, token, orderId)
}

test('helps at the limit, raced: exactly N count, the rest are told TASK_COMPLETED, the reward is granted once', async () => {
  const c = await campaign({ helpsNeeded: 5, helperCouponId: helperCoupon })
  const starter = await login('lim-starter')
  const taskId = await start(c, starter.token)
  const first = await users(4, 'lim-early')
  for (const f of first) expect(await help(taskId, f.token)).toEqual({ counted: true, welcomeCoupon: 'granted' })
  const crowd = await users(12, 'lim-crowd')
  const answers = await Promise.all(crowd.map((f) => help(taskId, f.token)))
  expect(answers.filter((a) => a.counted)).toHaveLength(1)
  expect(answers.filter((a) => !a.counted).map((a) => a.reason)).toEqual(Array(11).fill('TASK_COMPLETED'))
  const [row] = await sql(stack, `SELECT helps, completed_at IS NOT NULL AS done FROM assist_tasks WHERE id = $1`, [taskId])
  expect(row).toEqual({ helps: 5, done: true })
  expect(await sql(stack, `SELECT count(*)::int AS n FROM assist_helps WHERE task_id = $1 AND counted`, [taskId])).toEqual([{ n: 5 }])
  expect(await heldCoupons(rewardCoupon, starter.user.id)).toBe(1)
  // Each counted helper got their own welcome coupon, once; the refused ones none.
  const granted = await sql(stack, `SELECT count(*)::int AS n FROM user_coupons WHERE coupon_id = $1 AND grant_key LIKE $2`, [
    helperCoupon,
    `:assist-help:${c}:%`,
  ])
  expect(granted).toEqual([{ n: 5 }])
  const view = await taskView(taskId, starter.token)
  expect(view).toMatchObject({ status: 'completed', helps: 5, helpsNeeded: 5, isStarter: true })
  expect(view.helpers.filter((h: any) => h.counted)).toHaveLength(5)
  expect(view.helpers.filter((h: any) => h.reason === 'TASK_COMPLETED')).toHaveLength(11)
  // Another help after completion changes nothing, and the reward stays one.
  expect(await help(taskId, (await login('lim-late')).token)).toEqual({ counted: false, reason: 'TASK_COMPLETED' })
  expect(await heldCoupons(rewardCoupon, starter.user.id)).toBe(1)
}, 60_000)

test('the welcome coupon is once per helper per campaign: one helper racing helps on several tasks — each counts (within the daily cap), one coupon', async () => {
  // Not newCustomersOnly: an existing customer may help, and used to collect a welcome coupon per help.
  const c = await campaign({ helpsNeeded: 2, dailyHelpCap: 3, helperCouponId: helperCoupon })
  const starters = await users(5, 'welcome-starter')
  const tasks = await Promise.all(starters.map((s) => start(c, s.token)))
  const friend = await login('welcome-friend')
  await existing(friend.token)
  // Every task at once, the first two asked twice (copies of the same call).
  const asked = [...tasks, tasks[0]!, tasks[1]!]
  const answers = await Promise.all(asked.map((t) => help(t, friend.token)))
  const counted = answers.filter((a) => a.counted)
  expect(counted).toHaveLength(3)
  // Which tasks were counted is the race's; the rest are the cap or the copy of a help already counted.
  const refusals = answers.filter((a) => !a.counted).map((a) => a.reason)
  expect(refusals).toHaveLength(4)
  expect(refusals.every((r) => r === 'DAILY_LIMIT' || r === 'ALREADY_HELPED')).toBe(true)
  // Exactly one welcome coupon, named by exactly one of the counted helps; the others say they had it.
  expect(counted.map((a) => a.welcomeCoupon).sort()).toEqual(['already', 'already', 'granted'])
  expect(await heldCoupons(helperCoupon, friend.user.id)).toBe(1)
  const named = await sql(stack, `SELECT count(*)::int AS n FROM assist_helps WHERE helper_id = $1 AND welcome_coupon_id IS NOT NULL`, [
    friend.user.id,
  ])
  expect(named).toEqual([{ n: 1 }])
  // Every counted help counted for its starter; the task pages say which help got the coupon.
  const views = await Promise.all(tasks.map((t) => taskView(t, friend.token)))
  expect(views.map((v) => v.helps).reduce((a: number, b: number) => a + b, 0)).toBe(3)
  expect(
    views
      .filter((v) => v.myHelp?.counted)
      .map((v) => v.myHelp.welcomeCoupon)
      .sort(),
  ).toEqual(['already', 'already', 'granted'])
  // Every task page of the campaign tells the friend they hold it (helping there is a tap); not a newcomer.
  expect(views.every((v) => v.welcomeCouponHeld)).toBe(true)
  expect((await taskView(tasks[0]!, (await login('welcome-newcomer')).token)).welcomeCouponHeld).toBe(false)
  // The desk counts coupons granted, not helps.
  const { campaign: desk } = await stack.ok('admin', { action: 'assistCampaign', campaignId: c }, admin)
  expect(desk.results).toMatchObject({ helpsCounted: 3, helperCouponsGranted: 1 })
  // Another campaign with the same welcome coupon is another welcome.
  const other = await campaign({ helpsNeeded: 2, dailyHelpCap: 3, helperCouponId: helperCoupon })
  const otherTask = await start(other, (await login('welcome-other-starter')).token)
  const tomorrow = await login('welcome-friend-2')
  expect(await help(otherTask, tomorrow.token)).toEqual({ counted: true, welcomeCoupon: 'granted' })
  // Without a welcome coupon a help answers only that it counted.
  const plain = await campaign({ helpsNeeded: 2 })
  expect(await help(await start(plain, (await login('welcome-plain-starter')).token), tomorrow.token)).toEqual({ counted: true })
}, 60_000)

test('the same friend helping twice at once counts once; a start raced is one task', async () => {
  const c = await campaign({ helpsNeeded: 3 })
  const starter = await login('twice-starter')
  const ids = await Promise.all(Array.from({ length: 8 }, () => start(c, starter.token)))
  expect(new Set(ids).size).toBe(1)
  expect(await sql(stack, `SELECT count(*)::int AS n FROM assist_tasks WHERE campaign_id = $1`, [c])).toEqual([{ n: 1 }])
  const friend = await login('twice-friend')
  const answers = await Promise.all(Array.from({ length: 6 }, () => help(ids[0]!, friend.token)))
  expect(answers.filter((a) => a.counted)).toHaveLength(1)
  expect(answers.filter((a) => !a.counted).every((a) => a.reason === 'ALREADY_HELPED')).toBe(true)
  const view = await taskView(ids[0]!, friend.token)
  expect(view).toMatchObject({ helps: 1, isStarter: false, myHelp: { counted: true, reason: null }, purchase: null })
  // The desk counts the friend's repeats once, as a counted friend who tried again.
  const { campaign: desk } = await stack.ok('admin', { action: 'assistCampaign', campaignId: c }, admin)
  expect(desk.results).toMatchObject({ helpsCounted: 1, refusals: { ALREADY_HELPED: 1 } })
})

test('the daily cap, raced across tasks: a friend helping cap + 3 tasks at once counts cap', async () => {
  const c = await campaign({ helpsNeeded: 2, dailyHelpCap: 3 })
  const starters = await users(6, 'cap-starter')
  const tasks = await Promise.all(starters.map((s) => start(c, s.token)))
  const friend = await login('cap-friend')
  const answers = await Promise.all(tasks.map((t) => help(t, friend.token)))
  expect(answers.filter((a) => a.counted)).toHaveLength(3)
  expect(answers.filter((a) => !a.counted).map((a) => a.reason)).toEqual(['DAILY_LIMIT', 'DAILY_LIMIT', 'DAILY_LIMIT'])
  const [day] = await sql(stack, `SELECT n FROM assist_help_days WHERE helper_id = $1`, [friend.user.id])
  expect(day.n).toBe(3)
  // The cap is the friend's over every campaign of the shop day.
  const other = await campaign({ helpsNeeded: 2, dailyHelpCap: 3 })
  const t2 = await start(other, (await login('cap-other-starter')).token)
  expect(await help(t2, friend.token)).toEqual({ counted: false, reason: 'DAILY_LIMIT' })
})

test('every reason, in its order; the starter sees each friend with why, a friend sees no reasons', async () => {
  const c = await campaign({ helpsNeeded: 2, newCustomersOnly: true })
  const starter = await login('why-starter')
  const taskId = await start(c, starter.token)
  expect(await help(taskId, starter.token)).toEqual({ counted: false, reason: 'SELF' })
  const risky = await login('why-risky')
  await sql(stack, `INSERT INTO sandbox_risk_levels (openid, level) VALUES ('why-risky', 4)`)
  expect(await help(taskId, risky.token)).toEqual({ counted: false, reason: 'RISK_BLOCKED' })
  // Risky and existing: the risk is checked first.
  const riskyOld = await login('why-risky-old')
  await existing(riskyOld.token)
  await sql(stack, `INSERT INTO sandbox_risk_levels (openid, level) VALUES ('why-risky-old', 4)`)
  expect(await help(taskId, riskyOld.token)).toEqual({ counted: false, reason: 'RISK_BLOCKED' })
  const old = await login('why-old')
  await existing(old.token)
  expect(await help(taskId, old.token)).toEqual({ counted: false, reason: 'NOT_NEW_CUSTOMER' })
  const a = await login('why-a')
  expect(await help(taskId, a.token)).toEqual({ counted: true })
  expect(await help(taskId, a.token)).toEqual({ counted: false, reason: 'ALREADY_HELPED' })
  const b = await login('why-b')
  expect(await help(taskId, b.token)).toEqual({ counted: true })
  // Completed is checked before already-helped and before the friend's own facts.
  expect(await help(taskId, a.token)).toEqual({ counted: false, reason: 'TASK_COMPLETED' })
  expect(await help(taskId, old.token)).toEqual({ counted: false, reason: 'TASK_COMPLETED' })
  const mine = await taskView(taskId, starter.token)
  expect(mine.helpers.map((h: any) => [h.nickname, h.counted, h.reason])).toEqual([
    ['微信用户hy-a', true, null],
    ['微信用户hy-b', true, null],
    ['微信用户rter', false, 'SELF'],
    ['微信用户isky', false, 'RISK_BLOCKED'],
    ['微信用户-old', false, 'RISK_BLOCKED'],
    ['微信用户-old', false, 'TASK_COMPLETED'],
  ])
  // A counted help is never overwritten by a later refusal.
  expect(mine.helpers.filter((h: any) => h.counted)).toHaveLength(2)
  const theirs = await taskView(taskId, b.token)
  expect(theirs.helpers.every((h: any) => h.reason === null && /^.\*{1,2}.?$/u.test(h.nickname))).toBe(true)
  expect(theirs.helpers).toHaveLength(5) // the starter's own try is not shown to friends
  expect(theirs.starter.nickname).toMatch(/^微\*\*.$/u)

  // Ended: the task's time is up (its clock moved past expiresAt), or the campaign paused.
  const c2 = await campaign({ helpsNeeded: 2 })
  const s2 = await login('why-expired-starter')
  const t2 = await start(c2, s2.token)
  await sql(
    stack,
    `UPDATE assist_tasks SET started_at = started_at - interval '25 hours', expires_at = expires_at - interval '25 hours' WHERE id = $1`,
    [t2],
  )
  expect(await help(t2, (await login('why-late')).token)).toEqual({ counted: false, reason: 'TASK_ENDED' })
  expect(await help(t2, s2.token)).toEqual({ counted: false, reason: 'SELF' })
  expect((await taskView(t2, s2.token)).status).toBe('expired')
  const c3 = await campaign({ helpsNeeded: 2 })
  const t3 = await start(c3, (await login('why-paused-starter')).token)
  await stack.ok('admin', { action: 'updateAssistCampaign', campaignId: c3, status: 'paused' }, admin)
  expect(await help(t3, (await login('why-paused')).token)).toEqual({ counted: false, reason: 'TASK_ENDED' })
  expect((await stack.call('assist', { action: 'start', campaignId: c3 }, (await login('why-paused-2')).token)).body).toMatchObject({
    ok: false,
    error: { code: 'ASSIST_NOT_ACTIVE' },
  })
  await stack.ok('admin', { action: 'updateAssistCampaign', campaignId: c3, status: 'active' }, admin)
  expect(await help(t3, (await login('why-resumed')).token)).toEqual({ counted: true })
}, 60_000)

test('a campaign open to everyone counts existing customers', async () => {
  const c = await campaign({ helpsNeeded: 2 })
  const taskId = await start(c, (await login('all-starter')).token)
  const old = await login('all-old')
  await existing(old.token)
  expect(await help(taskId, old.token)).toEqual({ counted: true })
})

describe('price cut', () => {
  const addresses = new Map<string, string>()
  const addressOf = async (token: string) => {
    if (!addresses.has(token)) addresses.set(token, (await saveAddress(stack, token)).address.id)
    return addresses.get(token)!
  }
  const buyOf = async (taskId: string, token: string, k = key()) => ({
    action: 'buy',
    taskId,
    idempotencyKey: k,
    addressId: await addressOf(token),
  })

  test('the price after k helps, the order at that price, one order per task; a cancel frees it, a refund does not', async () => {
    const c = await priceCut()
    const page = await stack.ok('assist', { action: 'campaign', campaignId: c }, (await login('cut-reader')).token)
    expect(page.campaign.product).toMatchObject({ priceFen: 5900, cutPerHelpFen: 1000, floorPriceFen: 900 })
    const starter = await login('cut-starter')
    const taskId = await start(c, starter.token)
    for (const f of await users(2, 'cut-friend')) await help(taskId, f.token)
    const view = await taskView(taskId, starter.token)
    expect(view).toMatchObject({ helps: 2, priceNowFen: 3900, purchase: { canBuy: true, orderId: null } })
    expect(await stack.ok('assist', { action: 'preview', taskId }, starter.token)).toMatchObject({ goodsFen: 3900, payableFen: 3900 })

    // Racing buys, the same key among them: one order.
    const k = key()
    const buys = await Promise.all([
      stack.call('assist', await buyOf(taskId, starter.token, k), starter.token),
      stack.call('assist', await buyOf(taskId, starter.token, k), starter.token),
      stack.call('assist', await buyOf(taskId, starter.token), starter.token),
      stack.call('assist', await buyOf(taskId, starter.token), starter.token),
    ])
    const placed = buys.filter((b) => b.body.ok).map((b) => (b.body as any).data.orderId)
    expect(new Set(placed).size).toBe(1)
    // Whichever call won: the two copies of one key answer alike (both the one order, or both
    // refused when another key won), and every other call is refused ALREADY_BOUGHT.
    expect(buys[0]!.body).toEqual(buys[1]!.body)
    const refused = buys.filter((b) => !b.body.ok).map((b) => (b.body as any).error.code)
    expect(refused).toEqual(Array(buys[0]!.body.ok ? 2 : 3).fill('ASSIST_ALREADY_BOUGHT'))
    const orderId = placed[0]
    const [order] = await sql(stack, `SELECT kind, play_ref, payable_fen FROM orders WHERE id = $1`, [orderId])
    expect(order).toEqual({ kind: 'assist', play_ref: taskId, payable_fen: 3900 })
    // Another friend's help after the order changes the task's price, not the order's.
    await help(taskId, (await login('cut-friend-late')).token)
    expect((await taskView(taskId, starter.token)).priceNowFen).toBe(2900)

    // A cancel frees the purchase: the next order is at the price reached now.
    await stack.ok('order', { action: 'cancel', orderId }, starter.token)
    expect((await taskView(taskId, starter.token)).purchase).toMatchObject({ canBuy: true, orderId: null })
    const again = await stack.ok('assist', await buyOf(taskId, starter.token), starter.token)
    expect(again.payableFen).toBe(2900)
    await payOrder(stack, starter.token, again.orderId)
    // A refund does not free it.
    await stack.ok('admin', { action: 'refund', orderId: again.orderId, reason: '协商退款' }, admin)
    const after = await stack.call('assist', await buyOf(taskId, starter.token), starter.token)
    expect(after.body).toMatchObject({ ok: false, error: { code: 'ASSIST_ALREADY_BOUGHT' } })

    const { campaign: results } = await stack.ok('admin', { action: 'assistCampaign', campaignId: c }, admin)
    expect(results.results).toMatchObject({ tasksStarted: 1, helpsCounted: 3, ordersPlaced: 1, ordersPaid: 0, gmvFen: 0 })
  }, 60_000)

  test("a friend cannot buy the starter's task; buying after the deadline is refused", async () => {
    const c = await priceCut({ helpsNeeded: 2, cutPerHelpFen: 500 })
    const starter = await login('late-starter')
    const taskId = await start(c, starter.token)
    const friend = await login('late-friend')
    expect((await stack.call('assist', await buyOf(taskId, friend.token), friend.token)).body).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    })
    for (const f of await users(2, 'late-helper')) await help(taskId, f.token)
    // Completed: buyable until the later of expiry and 24 h after completion; move both past.
    await sql(
      stack,
      `UPDATE assist_tasks SET started_at = started_at - interval '30 hours', expires_at = expires_at - interval '30 hours', completed_at = completed_at - interval '25 hours' WHERE id = $1`,
      [taskId],
    )
    expect((await taskView(taskId, starter.token)).purchase).toMatchObject({ canBuy: false })
    const late = await stack.call('assist', await buyOf(taskId, starter.token), starter.token)
    expect(late.body).toMatchObject({ ok: false, error: { code: 'ASSIST_TASK_ENDED' } })
    expect(await sql(stack, `SELECT count(*)::int AS n FROM orders WHERE play_ref = $1`, [taskId])).toEqual([{ n: 0 }])
  })

  test('paid orders count in the results', async () => {
    const c = await priceCut({ helpsNeeded: 1, cutPerHelpFen: 900 })
    const starter = await login('gmv-starter')
    const taskId = await start(c, starter.token)
    await help(taskId, (await login('gmv-friend')).token)
    const { orderId } = await stack.ok('assist', await buyOf(taskId, starter.token), starter.token)
    await payOrder(stack, starter.token, orderId)
    const { campaign: r } = await stack.ok('admin', { action: 'assistCampaign', campaignId: c }, admin)
    expect(r.results).toMatchObject({ tasksStarted: 1, tasksCompleted: 1, completionRate: 1, ordersPlaced: 1, ordersPaid: 1, gmvFen: 5000 })
  })
})

test('the console: results by reason, terms locked once a task started, bad input changes nothing', async () => {
  const c = await campaign({ helpsNeeded: 2, helperCouponId: helperCoupon, dailyHelpCap: 1 })
  // Before any task the terms may change.
  await stack.ok('admin', { action: 'updateAssistCampaign', campaignId: c, helpsNeeded: 3 }, admin)
  const starter = await login('desk-starter')
  const taskId = await start(c, starter.token)
  const edit = await stack.call('admin', { action: 'updateAssistCampaign', campaignId: c, helpsNeeded: 2 }, admin)
  expect(edit.body).toMatchObject({ ok: false, error: { code: 'ASSIST_TERMS_LOCKED' } })
  const friends = await users(3, 'desk-friend')
  for (const f of friends) await help(taskId, f.token)
  await help(taskId, starter.token)
  const { campaign: one } = await stack.ok('admin', { action: 'assistCampaign', campaignId: c }, admin)
  expect(one).toMatchObject({ helpsNeeded: 3, status: 'active' })
  expect(one.results).toMatchObject({
    tasksStarted: 1,
    tasksCompleted: 1,
    tasksExpired: 0,
    completionRate: 1,
    helpsCounted: 3,
    newCustomersHelped: 3,
    helperCouponsGranted: 3,
    rewardCouponsGranted: 1,
  })
  expect(one.results.refusals).toEqual({
    SELF: 1,
    TASK_ENDED: 0,
    TASK_COMPLETED: 0,
    RISK_BLOCKED: 0,
    NOT_NEW_CUSTOMER: 0,
    ALREADY_HELPED: 0,
    DAILY_LIMIT: 0,
  })
  const { items } = await stack.ok('admin', { action: 'assistCampaigns' }, admin)
  expect(items.find((i: any) => i.campaignId === c)).toMatchObject({ results: { tasksStarted: 1 } })
  // End is for good.
  await stack.ok('admin', { action: 'updateAssistCampaign', campaignId: c, status: 'ended' }, admin)
  expect((await stack.call('admin', { action: 'updateAssistCampaign', campaignId: c, status: 'active' }, admin)).body).toMatchObject({
    ok: false,
    error: { code: 'ASSIST_ENDED' },
  })

  // Bad input: a clear code, nothing created.
  const before = (await sql(stack, `SELECT count(*)::int AS n FROM assist_campaigns`))[0].n
  const bad = async (fields: Record<string, unknown>) =>
    (
      await stack.call(
        'admin',
        {
          action: 'createAssistCampaign',
          title: '坏',
          face: 'coupon',
          rewardCouponId: rewardCoupon,
          helpsNeeded: 3,
          taskHours: 24,
          ...window(),
          ...fields,
        },
        admin,
      )
    ).body
  expect(await bad({ helpsNeeded: 21 })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
  expect(await bad({ helpsNeeded: 0 })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
  expect(await bad({ rewardCouponId: 'c_missing' })).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION_FAILED', details: [{ path: 'rewardCouponId' }] },
  })
  expect(await bad({ helperCouponId: 'c_missing' })).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION_FAILED', details: [{ path: 'helperCouponId' }] },
  })
  // 5 × ¥12 off ¥59 is below ¥0.01.
  expect(
    await bad({ face: 'price_cut', rewardCouponId: undefined, productId: product, helpsNeeded: 5, cutPerHelpFen: 1200 }),
  ).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION_FAILED', details: [{ path: 'cutPerHelpFen' }] },
  })
  // Exactly ¥0.01 at the floor is allowed... (checked below); and the window must end after it starts.
  expect(
    await bad({ startsAt: new Date(Date.now() + 2 * HOUR).toISOString(), endsAt: new Date(Date.now() + HOUR).toISOString() }),
  ).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION_FAILED' },
  })
  expect((await sql(stack, `SELECT count(*)::int AS n FROM assist_campaigns`))[0].n).toBe(before)
  const floorCut = await priceCut({ helpsNeeded: 1, cutPerHelpFen: 5899 })
  expect((await stack.ok('admin', { action: 'assistCampaign', campaignId: floorCut }, admin)).campaign.product.floorPriceFen).toBe(1)

  // Unknown task or bad ids: NOT_FOUND / VALIDATION_FAILED, nothing written.
  const helps = (await sql(stack, `SELECT count(*)::int AS n FROM assist_helps`))[0].n
  expect((await stack.call('assist', { action: 'help', taskId: 'at_missing' }, starter.token)).body).toMatchObject({
    ok: false,
    error: { code: 'NOT_FOUND' },
  })
  expect((await stack.call('assist', { action: 'help', taskId: '' }, starter.token)).body).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION_FAILED' },
  })
  expect((await sql(stack, `SELECT count(*)::int AS n FROM assist_helps`))[0].n).toBe(helps)
}, 60_000)

test('creating is idempotent by key, also raced', async () => {
  const k = key()
  const input = {
    action: 'createAssistCampaign',
    title: '一次',
    face: 'coupon',
    rewardCouponId: rewardCoupon,
    helpsNeeded: 2,
    taskHours: 12,
    ...window(),
    idempotencyKey: k,
  }
  const ids = await Promise.all(Array.from({ length: 4 }, () => stack.ok('admin', input, admin).then((r) => r.campaignId)))
  expect(new Set(ids).size).toBe(1)
  expect(await sql(stack, `SELECT count(*)::int AS n FROM assist_campaigns WHERE title = '一次'`)).toEqual([{ n: 1 }])
})

describe('review fixes', () => {
  test("the campaign's end time moved earlier ends its tasks at once: no help counts, the task and the results say expired", async () => {
    const c = await campaign()
    const [s, f] = await users(2, `endsat-${key().slice(0, 6)}`)
    const taskId = await start(c, s!.token)
    await stack.ok('admin', { action: 'updateAssistCampaign', campaignId: c, endsAt: new Date(Date.now() + 1500).toISOString() }, admin)
    await new Promise((r) => setTimeout(r, 2000))
    expect(await help(taskId, f!.token)).toEqual({ counted: false, reason: 'TASK_ENDED' })
    const t = await taskView(taskId, s!.token)
    expect(t).toMatchObject({ helps: 0, status: 'expired' })
    const { myTasks } = await stack.ok('assist', { action: 'list' }, s!.token)
    expect(myTasks.find((m: { taskId: string }) => m.taskId === taskId)).toMatchObject({ status: 'expired' })
    const { campaign: desk } = await stack.ok('admin', { action: 'assistCampaign', campaignId: c }, admin)
    expect(desk.results).toMatchObject({ tasksExpired: 1, helpsCounted: 0 })
  })

  test('a refusal that no longer holds (TASK_ENDED while paused) lets the friend help again; a final one does not', async () => {
    const c = await campaign()
    const [s, f] = await users(2, `retry-${key().slice(0, 6)}`)
    const taskId = await start(c, s!.token)
    await stack.ok('admin', { action: 'updateAssistCampaign', campaignId: c, status: 'paused' }, admin)
    expect(await help(taskId, f!.token)).toEqual({ counted: false, reason: 'TASK_ENDED' })
    expect((await taskView(taskId, f!.token)).myHelp).toEqual({ counted: false, reason: 'TASK_ENDED', retry: false, welcomeCoupon: null })
    await stack.ok('admin', { action: 'updateAssistCampaign', campaignId: c, status: 'active' }, admin)
    expect((await taskView(taskId, f!.token)).myHelp).toEqual({ counted: false, reason: 'TASK_ENDED', retry: true, welcomeCoupon: null })
    expect(await help(taskId, f!.token)).toEqual({ counted: true })
    expect((await taskView(taskId, f!.token)).myHelp).toMatchObject({ counted: true, retry: false })
    // The starter's own try (SELF) is final.
    await help(taskId, s!.token)
    expect((await taskView(taskId, s!.token)).myHelp).toMatchObject({ counted: false, reason: 'SELF', retry: false })
  })

  test("the results find coupons by their exact grant keys and the tasks' orders by an index (no scan of either table)", async () => {
    const { FACTS_SELECT } = await import('../../cloud/db/repos/assist.repo')
    const { Client } = await import('pg')
    const client = new Client({ connectionString: stack.databaseUrl })
    await client.connect()
    try {
      await client.query('BEGIN')
      // Scans made as costly as can be: a plan that still scans has no other way.
      await client.query('SET LOCAL enable_seqscan = off')
      const { rows } = await client.query(`EXPLAIN ${FACTS_SELECT}`, [['ac_x'], new Date()])
      const plan = rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n')
      expect(plan).not.toMatch(/Seq Scan on (user_coupons|orders)\b/)
      expect(plan).toMatch(/orders_play_ref_idx/)
      await client.query('ROLLBACK')
    } finally {
      await client.end()
    }
  })
})
