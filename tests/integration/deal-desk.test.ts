/** The console's 9.9 deal desk: the funnel exact on a scripted campaign, pause (raced), edits, idempotent create, roles. */
import pg from 'pg'
import { daysFromNow, jobsFor, type Jobs } from '../helpers/jobs'
import { createProduct, key, payOrder, saveAddress, sql, untilBlockedBy } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'

const env = { REFUND_WINDOW_DAYS: '7', JOB_INTERVAL_MS: '3600000' }
let stack: Stack
let jobs: Jobs
let admin: string
let product: string

beforeAll(async () => {
  stack = await startStack({ env })
  jobs = await jobsFor(stack, env)
  admin = (await stack.login('admin')).token
  product = await createProduct(stack, admin, { priceFen: 5900, stock: 500 })
}, 90_000)
afterAll(async () => {
  await jobs?.close()
  await stack?.stop()
})

const terms = (fields: Record<string, unknown> = {}) => ({
  action: 'createDealCampaign',
  productId: product,
  dealPriceFen: 990,
  baseClaims: 1,
  extraClaimsPerInvite: 1,
  maxExtraClaims: 2,
  inviteCountsWhen: 'joined',
  inviteRewardFen: 300,
  ...fields,
})
const campaign = async (fields: Record<string, unknown> = {}) => (await stack.ok('admin', terms(fields), admin)).campaignId as string
const funnel = async (c: string) => (await stack.ok('admin', { action: 'dealCampaign', campaignId: c }, admin)).campaign.funnel
const login = (openid: string) => stack.login(openid)
const accept = (c: string, inviterId: string, token: string) =>
  stack.ok('deal', { action: 'acceptInvite', campaignId: c, inviterId }, token)
const enter = (c: string, token: string) => stack.ok('deal', { action: 'status', campaignId: c }, token)
const addresses = new Map<string, Promise<string>>()
const addressOf = (token: string) => {
  if (!addresses.has(token))
    addresses.set(
      token,
      saveAddress(stack, token).then((r) => r.address.id as string),
    )
  return addresses.get(token)!
}
const claim = async (c: string, token: string, k = key()) =>
  stack.call('deal', { action: 'claim', campaignId: c, idempotencyKey: k, addressId: await addressOf(token) }, token)
async function existing(token: string) {
  const cheap = await createProduct(stack, admin, { priceFen: 100, stock: 10 })
  const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId: cheap, qty: 1 }], idempotencyKey: key() }, token)
  await payOrder(stack, token, orderId)
}
const zeroReasons = {
  SELF_INVITE: 0,
  INVITER_NOT_FOUND: 0,
  NOT_NEW_CUSTOMER: 0,
  ALREADY_ENTERED: 0,
  ALREADY_INVITED: 0,
  RISK_BLOCKED: 0,
  NOT_PAID_YET: 0,
}

test('the funnel is exact on a scripted campaign: entries, invites counted and refused, claims, a cancel, payments, a refund, rewards', async () => {
  const c = await campaign()
  expect(await funnel(c)).toEqual({
    entered: 0,
    enteredNew: 0,
    invitesSent: 0,
    invitesCounted: 0,
    refusals: zeroReasons,
    claims: 0,
    paid: 0,
    rewardsPendingFen: 0,
    rewardsSettledFen: 0,
  })
  const a = await login('fun-a')
  await enter(c, a.token)
  // Opening one's own invite is a refused opening (SELF_INVITE), kept once per user and campaign however often
  // it is tapped, and never shown in one's own list of invited friends.
  for (let i = 0; i < 3; i++) expect(await accept(c, a.user.id, a.token)).toEqual({ counted: false, reason: 'SELF_INVITE' })
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM deal_invite_attempts WHERE campaign_id = $1', [c])).toEqual([{ n: 1 }])
  expect((await enter(c, a.token)).invites).toEqual([])
  expect(await funnel(c)).toMatchObject({ invitesSent: 1, invitesCounted: 0, refusals: { ...zeroReasons, SELF_INVITE: 1 } })
  const [b1, b2, cc, old, risky, d, f] = await Promise.all(
    ['fun-b1', 'fun-b2', 'fun-c', 'fun-old', 'fun-risky', 'fun-d', 'fun-f'].map((o) => login(o)),
  )
  expect(await accept(c, a.user.id, b1.token)).toEqual({ counted: true })
  expect(await accept(c, a.user.id, b2.token)).toEqual({ counted: true })
  expect(await accept(c, 'u_nobody0000000000', cc.token)).toEqual({ counted: false, reason: 'INVITER_NOT_FOUND' })
  // Made-up inviter ids after the first touch are answered but not stored again.
  expect(await accept(c, 'u_nobody0000000001', cc.token)).toEqual({ counted: false, reason: 'INVITER_NOT_FOUND' })
  expect(await accept(c, a.user.id, cc.token)).toEqual({ counted: false, reason: 'ALREADY_ENTERED' })
  await existing(old.token)
  expect(await accept(c, a.user.id, old.token)).toEqual({ counted: false, reason: 'NOT_NEW_CUSTOMER' })
  await sql(stack, `INSERT INTO sandbox_risk_levels (openid, level) VALUES ('fun-risky', 4)`)
  expect(await accept(c, a.user.id, risky.token)).toEqual({ counted: false, reason: 'RISK_BLOCKED' })
  await enter(c, d.token)
  // Two inviters racing for one friend: one counts, the other is refused.
  const raced = await Promise.all([accept(c, a.user.id, f.token), accept(c, d.user.id, f.token)])
  expect(raced.filter((r) => r.counted)).toHaveLength(1)
  const lost = raced.find((r) => !r.counted)!.reason as keyof typeof zeroReasons

  // Claims: b1 pays; b2 cancels, claims again, pays, is refunded; a claims and has not paid.
  const r1 = await claim(c, b1.token)
  await payOrder(stack, b1.token, (r1.body as any).data.orderId)
  const r2 = await claim(c, b2.token)
  await stack.ok('order', { action: 'cancel', orderId: (r2.body as any).data.orderId }, b2.token)
  const r3 = await claim(c, b2.token)
  const refunded = (r3.body as any).data.orderId
  await payOrder(stack, b2.token, refunded)
  await stack.ok('admin', { action: 'refund', orderId: refunded, reason: '测试退款' }, admin)
  expect((await claim(c, a.token)).status).toBe(200)

  const expected = {
    entered: 8, // a, b1, b2, c, old, risky, d, f
    enteredNew: 7, // all but old
    invitesSent: 9, // a's own (once); b1, b2, f counted; c ×2 (nobody, then a), old, risky, and f's lost race
    invitesCounted: 3,
    refusals: { ...zeroReasons, SELF_INVITE: 1, INVITER_NOT_FOUND: 1, ALREADY_ENTERED: 1, NOT_NEW_CUSTOMER: 1, RISK_BLOCKED: 1 },
    claims: 3, // b1, b2's second, a's (b2's cancelled one is not)
    paid: 1, // b1 (b2's was refunded, a's unpaid)
    rewardsPendingFen: 300, // a's reward for b1; the one for b2 reversed by the refund
    rewardsSettledFen: 0,
  }
  expected.refusals[lost] += 1
  expect(await funnel(c)).toEqual(expected)
  // The list carries the same funnel, and the terms as set.
  const { items } = await stack.ok('admin', { action: 'dealCampaigns' }, admin)
  expect(items.find((i: any) => i.campaignId === c)).toMatchObject({
    dealPriceFen: 990,
    priceFen: 5900,
    status: 'active',
    inviteRewardFen: 300,
    funnel: expected,
  })
  // Past the refund window the reward settles: the funnel moves it from pending to settled.
  await jobs.runAt(daysFromNow(8))
  expect(await funnel(c)).toMatchObject({ rewardsPendingFen: 0, rewardsSettledFen: 300 })
}, 120_000)

test('paid mode: an invite waits as NOT_PAID_YET until the friend pays a deal order', async () => {
  const c = await campaign({ inviteCountsWhen: 'paid' })
  const [a, g] = await Promise.all([login('paid-a'), login('paid-g')])
  await enter(c, a.token)
  expect(await accept(c, a.user.id, g.token)).toEqual({ counted: false, reason: 'NOT_PAID_YET' })
  expect(await funnel(c)).toMatchObject({ invitesSent: 1, invitesCounted: 0, refusals: { ...zeroReasons, NOT_PAID_YET: 1 } })
  const r = await claim(c, g.token)
  await payOrder(stack, g.token, (r.body as any).data.orderId)
  expect(await funnel(c)).toMatchObject({
    invitesSent: 1,
    invitesCounted: 1,
    refusals: zeroReasons,
    claims: 1,
    paid: 1,
    rewardsPendingFen: 300,
  })
})

test('a paused campaign: the page says so, claims are DEAL_PAUSED, racing claims never pass the pause; resume opens it again', async () => {
  const c = await campaign()
  // A claim placed before the pause, retried after it with its key, answers its order (nothing new).
  const early = await login('pause-early')
  const earlyKey = key()
  const placed = (await claim(c, early.token, earlyKey)).body as any
  const users = await Promise.all(Array.from({ length: 12 }, (_, i) => login(`pause-${i}`)))
  await Promise.all(users.map((u) => addressOf(u.token)))
  const pause = stack.call('admin', { action: 'updateDealCampaign', campaignId: c, status: 'paused' }, admin)
  const racing = await Promise.all(users.map((u) => claim(c, u.token)))
  expect((await pause).status).toBe(200)
  for (const r of racing) {
    if (r.status !== 200) expect((r.body as any).error).toEqual({ code: 'DEAL_PAUSED', message: '活动已暂停，请稍后再来' })
  }
  const passed = racing
    .filter((r) => r.status === 200)
    .map((r) => (r.body as any).data.orderId)
    .sort()
  const orders = await sql(stack, 'SELECT id FROM orders WHERE deal_campaign_id = $1 AND id <> $2 ORDER BY id', [c, placed.data.orderId])
  expect(orders.map((o) => o.id)).toEqual(passed)
  const retried = (await claim(c, early.token, earlyKey)).body as any
  expect(retried.data.orderId).toBe(placed.data.orderId)
  // After the pause: every claim is refused, the page shows the status, and nothing was taken.
  const after = await Promise.all(users.map((u) => claim(c, u.token)))
  expect(after.map((r) => (r.body as any).error?.code)).toEqual(users.map(() => 'DEAL_PAUSED'))
  expect((await enter(c, users[0]!.token)).campaign.status).toBe('paused')
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM orders WHERE deal_campaign_id = $1', [c])).toEqual([{ n: passed.length + 1 }])
  expect(await funnel(c)).toMatchObject({ claims: passed.length + 1 })

  // A claim arriving while a pause is being committed waits for it, then is refused.
  const db = new pg.Client({ connectionString: stack.databaseUrl })
  await db.connect()
  try {
    await stack.ok('admin', { action: 'updateDealCampaign', campaignId: c, status: 'active' }, admin)
    const fresh = await login('pause-late')
    await addressOf(fresh.token)
    await db.query('BEGIN')
    await db.query(`UPDATE deal_campaigns SET status = 'paused' WHERE id = $1`, [c])
    let answered = false
    const late = claim(c, fresh.token).then((r) => ((answered = true), r))
    await untilBlockedBy(stack, db)
    expect(answered).toBe(false)
    await db.query('COMMIT')
    expect(((await late).body as any).error.code).toBe('DEAL_PAUSED')
  } finally {
    await db.end()
  }
  // Resumed: claims pass again.
  await stack.ok('admin', { action: 'updateDealCampaign', campaignId: c, status: 'active' }, admin)
  expect((await enter(c, users[11]!.token)).campaign.status).toBe('active')
  const unclaimed = users.find((_, i) => racing[i]!.status !== 200)
  if (unclaimed) expect((await claim(c, unclaimed.token)).status).toBe(200)
}, 120_000)

test('edits apply from now on; the invite mode only while nobody has entered; bad edits change nothing', async () => {
  const c = await campaign()
  // Nobody entered yet: the mode may change.
  expect(
    (await stack.ok('admin', { action: 'updateDealCampaign', campaignId: c, inviteCountsWhen: 'paid' }, admin)).campaign,
  ).toMatchObject({
    inviteCountsWhen: 'paid',
  })
  const buyer = await login('edit-buyer')
  const first = await claim(c, buyer.token)
  expect((first.body as any).data.payableFen).toBe(990)
  const before = await sql(stack, 'SELECT * FROM deal_campaigns WHERE id = $1', [c])
  const refused = await stack.call(
    'admin',
    { action: 'updateDealCampaign', campaignId: c, inviteCountsWhen: 'joined', baseClaims: 3 },
    admin,
  )
  expect(refused.status).toBe(400)
  expect(refused.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: [{ path: 'inviteCountsWhen' }] } })
  expect((refused.body as any).error.message).toContain('已有 1 人参加')
  const notBelow = await stack.call('admin', { action: 'updateDealCampaign', campaignId: c, dealPriceFen: 5900 }, admin)
  expect(notBelow.body).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION_FAILED', details: [{ path: 'dealPriceFen', message: '新人价须低于商品售价 ¥59.00' }] },
  })
  expect(await sql(stack, 'SELECT * FROM deal_campaigns WHERE id = $1', [c])).toEqual(before)
  // A new price applies to claims from now on; the order placed keeps its own.
  await stack.ok('admin', { action: 'updateDealCampaign', campaignId: c, dealPriceFen: 1990, baseClaims: 2 }, admin)
  const second = await claim(c, buyer.token)
  expect((second.body as any).data.payableFen).toBe(1990)
  const [{ payable_fen }] = await sql(stack, 'SELECT payable_fen FROM orders WHERE id = $1', [(first.body as any).data.orderId])
  expect(payable_fen).toBe(990)
  expect(await stack.call('admin', { action: 'updateDealCampaign', campaignId: 'dc_missing', status: 'paused' }, admin)).toMatchObject({
    status: 404,
  })
})

test('the invite mode raced with first entries and claims: no deadlock, and never changed after an entry committed', async () => {
  // The calls' transactions retry a deadlock's victim, so the answers alone would hide one: PostgreSQL's own count must not move.
  const deadlocks = async () => {
    await new Promise((r) => setTimeout(r, 1200))
    await sql(stack, 'SELECT pg_stat_clear_snapshot()')
    return (await sql(stack, 'SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()'))[0].n as number
  }
  const deadlocksBefore = await deadlocks()
  for (let round = 0; round < 4; round++) {
    const c = await campaign()
    const users = await Promise.all(Array.from({ length: 6 }, (_, i) => login(`mode-race-${round}-${i}`)))
    await Promise.all(users.map((u) => addressOf(u.token)))
    const [change, ...rest] = await Promise.all([
      stack.call('admin', { action: 'updateDealCampaign', campaignId: c, inviteCountsWhen: 'paid' }, admin),
      ...users.slice(0, 3).map((u) => stack.call('deal', { action: 'status', campaignId: c }, u.token)),
      ...users.slice(3).map((u) => claim(c, u.token)),
    ])
    // Every call answered: no deadlock (INTERNAL) anywhere.
    for (const r of rest) expect(r.status).toBe(200)
    const [{ mode }] = await sql(stack, 'SELECT invite_counts_when AS mode FROM deal_campaigns WHERE id = $1', [c])
    if (change.status === 200) expect(mode).toBe('paid')
    else {
      expect((change.body as any).error.details[0].path).toBe('inviteCountsWhen')
      expect(mode).toBe('joined')
    }
  }
  // An entry in flight (its transaction holding the campaign's row shared, as every entry does) holds
  // the mode change until it commits; the change then sees it and is refused.
  const c = await campaign()
  const someone = await login('mode-held-entry')
  const db = new pg.Client({ connectionString: stack.databaseUrl })
  await db.connect()
  try {
    // As a claim does: the row held shared, then (the change already waiting) its entry inserted.
    await db.query('BEGIN')
    await db.query('SELECT 1 FROM deal_campaigns WHERE id = $1 FOR SHARE', [c])
    let answered = false
    const change = stack
      .call('admin', { action: 'updateDealCampaign', campaignId: c, inviteCountsWhen: 'paid' }, admin)
      .then((r) => ((answered = true), r))
    await untilBlockedBy(stack, db)
    await db.query('INSERT INTO deal_entries (campaign_id, user_id, was_new) VALUES ($1, $2, true)', [c, someone.user.id])
    await new Promise((r) => setTimeout(r, 1500))
    expect(answered).toBe(false)
    await db.query('COMMIT')
    expect(((await change).body as any).error.details[0].path).toBe('inviteCountsWhen')
    // A mode change in flight (the campaign's row held for update) holds a first entry until it commits.
    const d = await campaign()
    const first = await login('mode-held-change')
    await db.query('BEGIN')
    await db.query('SELECT 1 FROM deal_campaigns WHERE id = $1 FOR UPDATE', [d])
    let entered = false
    const status = enter(d, first.token).then((r) => ((entered = true), r))
    // Entries of other campaigns are not held.
    await enter(c, first.token)
    await untilBlockedBy(stack, db)
    expect(entered).toBe(false)
    await db.query(`UPDATE deal_campaigns SET invite_counts_when = 'paid' WHERE id = $1`, [d])
    await db.query('COMMIT')
    await status
    expect(await sql(stack, 'SELECT count(*)::int AS n FROM deal_entries WHERE campaign_id = $1', [d])).toEqual([{ n: 1 }])
  } finally {
    await db.end()
  }
  expect(await deadlocks()).toBe(deadlocksBefore)
}, 120_000)

test('create: a price not below the SKU is refused, warnings need confirming, the same key raced creates one campaign', async () => {
  const count = async () => (await sql(stack, 'SELECT count(*)::int AS n FROM deal_campaigns'))[0].n
  const n0 = await count()
  const high = await stack.call('admin', terms({ dealPriceFen: 5900 }), admin)
  expect(high.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: [{ path: 'dealPriceFen' }] } })
  // A reward above the deal price, and extra claims capped at zero: both warned, nothing created.
  const risky = terms({ inviteRewardFen: 1000, maxExtraClaims: 0 })
  const warned = await stack.call('admin', risky, admin)
  expect(warned.status).toBe(409)
  expect((warned.body as any).error.code).toBe('CONFIRM_REQUIRED')
  expect((warned.body as any).error.details.warnings.map((w: any) => w.code).sort()).toEqual([
    'DEAL_EXTRA_CAPPED_AT_ZERO',
    'DEAL_REWARD_ABOVE_PRICE',
  ])
  const half = await stack.call('admin', { ...risky, confirm: ['DEAL_REWARD_ABOVE_PRICE'] }, admin)
  expect((half.body as any).error.details.warnings.map((w: any) => w.code)).toEqual(['DEAL_EXTRA_CAPPED_AT_ZERO'])
  expect(await count()).toBe(n0)
  // Confirmed, six racing copies with one key: one campaign, the same id to all; created paused as asked.
  const k = key()
  const confirmed = { ...risky, confirm: ['DEAL_REWARD_ABOVE_PRICE', 'DEAL_EXTRA_CAPPED_AT_ZERO'], idempotencyKey: k, status: 'paused' }
  const answers = await Promise.all(Array.from({ length: 6 }, () => stack.ok('admin', confirmed, admin)))
  expect(new Set(answers.map((a) => a.campaignId)).size).toBe(1)
  expect(await count()).toBe(n0 + 1)
  const { campaign: made } = await stack.ok('admin', { action: 'dealCampaign', campaignId: answers[0].campaignId }, admin)
  expect(made).toMatchObject({ status: 'paused', inviteRewardFen: 1000, maxExtraClaims: 0 })
  // The same key with other terms is a reuse, refused.
  const reuse = await stack.call('admin', { ...confirmed, dealPriceFen: 980 }, admin)
  expect((reuse.body as any).error.code).toBe('IDEMPOTENCY_KEY_REUSED')
  expect(await count()).toBe(n0 + 1)
})

test('create: an unknown product is NOT_FOUND; a product of several SKUs without one is refused on skuId', async () => {
  const count = async () => (await sql(stack, 'SELECT count(*)::int AS n FROM deal_campaigns'))[0].n
  const multi = await createProduct(stack, admin, {
    title: '两种规格',
    specGroups: [{ name: '规格', values: ['100g', '250g'] }],
    skus: [
      { specs: { 规格: '100g' }, priceFen: 5000, stock: 20 },
      { specs: { 规格: '250g' }, priceFen: 11000, stock: 8 },
    ],
  })
  const n0 = await count()
  const unknown = await stack.call('admin', terms({ productId: 'p_nowhere' }), admin)
  expect(unknown.body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: '商品不存在' } })
  const noSku = await stack.call('admin', terms({ productId: multi }), admin)
  expect(noSku.body).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION_FAILED', message: '请选择商品规格', details: [{ path: 'skuId', message: '请选择商品规格' }] },
  })
  expect(await count()).toBe(n0)
})

test('roles: an operator runs the deal desk, customer service only sees 403', async () => {
  await stack.ok('admin', { action: 'setStaff', openid: 'desk-op', role: 'operator' }, admin)
  await stack.ok('admin', { action: 'setStaff', openid: 'desk-svc', role: 'service' }, admin)
  const op = (await login('desk-op')).token
  const svc = (await login('desk-svc')).token
  const c = (await stack.ok('admin', terms({ idempotencyKey: key() }), op)).campaignId
  expect((await stack.ok('admin', { action: 'updateDealCampaign', campaignId: c, status: 'paused' }, op)).campaign.status).toBe('paused')
  for (const data of [
    { action: 'dealCampaigns' },
    { action: 'dealCampaign', campaignId: c },
    { action: 'updateDealCampaign', campaignId: c, status: 'active' },
  ])
    expect((await stack.call('admin', data, svc)).status).toBe(403)
  // Writes are audited, reads are not.
  const audit = await sql(stack, `SELECT action FROM audit_log WHERE target = $1 OR target LIKE $2`, [c, `%${c}%`])
  expect(audit.map((a) => a.action).sort()).toEqual(['admin.createDealCampaign', 'admin.updateDealCampaign'])
})
