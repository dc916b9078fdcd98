/** The new-user 9.9 deal, invites for extra claims, and the sharers' earnings ledger, on real PostgreSQL. */
import { daysFromNow, jobsFor, type Jobs } from '../helpers/jobs'
import { createProduct, key, payOrder, saveAddress, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'

// Earnings settle 7 days after payment; the test runs the jobs itself with a clock past that (the
// host's own timer runs at start and then only hourly).
const env = { REFUND_WINDOW_DAYS: '7', JOB_INTERVAL_MS: '3600000' }
let stack: Stack
let jobs: Jobs
let admin: string
let product: string

beforeAll(async () => {
  stack = await startStack({ env })
  jobs = await jobsFor(stack, env)
  admin = (await stack.login('admin')).token
  product = await createProduct(stack, admin, { priceFen: 5900, stock: 500, commissionRate: 0.1 })
}, 90_000)
afterAll(async () => {
  await jobs?.close()
  await stack?.stop()
})

const campaign = async (fields: Record<string, unknown> = {}) =>
  (
    await stack.ok(
      'admin',
      {
        action: 'createDealCampaign',
        productId: product,
        dealPriceFen: 990,
        baseClaims: 1,
        extraClaimsPerInvite: 1,
        maxExtraClaims: 2,
        inviteCountsWhen: 'joined',
        inviteRewardFen: 300,
        ...fields,
      },
      admin,
    )
  ).campaignId as string
const login = (openid: string) => stack.login(openid)
const accept = (c: string, inviterId: string, token: string) =>
  stack.ok('deal', { action: 'acceptInvite', campaignId: c, inviterId }, token)
/** The shopper's address, saved at first use: a deal order ships like any order. */
const addresses = new Map<string, Promise<string>>()
const addressOf = (token: string) => {
  if (!addresses.has(token))
    addresses.set(
      token,
      saveAddress(stack, token).then((r) => r.address.id as string),
    )
  return addresses.get(token)!
}
/** deal.claim's input for the shopper: the campaign, a key (fresh unless given) and their address. */
const claimOf = async (c: string, token: string, k = key()) => ({
  action: 'claim',
  campaignId: c,
  idempotencyKey: k,
  addressId: await addressOf(token),
})
/** Opens the campaign's page (its first touch): only then can the user invite anyone. */
const enter = (c: string, token: string) => stack.ok('deal', { action: 'status', campaignId: c }, token)

/** Makes the user an existing customer: a paid normal order. */
async function existing(token: string) {
  const cheap = await createProduct(stack, admin, { priceFen: 100, stock: 10 })
  const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId: cheap, qty: 1 }], idempotencyKey: key() }, token)
  await payOrder(stack, token, orderId)
}

test('every refusal reason of an invite', async () => {
  const c = await campaign()
  const a = await login('inv-a')
  expect(await accept(c, a.user.id, a.token)).toEqual({ counted: false, reason: 'SELF_INVITE' })
  await enter(c, a.token)
  const b0 = await login('inv-b0')
  expect(await accept(c, 'u_missing', b0.token)).toEqual({ counted: false, reason: 'INVITER_NOT_FOUND' })
  // b0 has now seen the campaign: no invite can be accepted for them any more.
  expect(await accept(c, a.user.id, b0.token)).toEqual({ counted: false, reason: 'ALREADY_ENTERED' })
  const b = await login('inv-b')
  // A real user who never opened the campaign (an id copied from a leaderboard) is no inviter either.
  const lurker = await login('inv-lurker')
  const b2 = await login('inv-b2')
  expect(await accept(c, lurker.user.id, b2.token)).toEqual({ counted: false, reason: 'INVITER_NOT_FOUND' })
  await enter(c, lurker.token)
  expect(await accept(c, lurker.user.id, b2.token)).toEqual({ counted: false, reason: 'ALREADY_ENTERED' }) // b2 saw it first
  const old = await login('inv-old')
  await existing(old.token)
  expect(await accept(c, a.user.id, old.token)).toEqual({ counted: false, reason: 'NOT_NEW_CUSTOMER' })
  const seen = await login('inv-seen')
  await stack.ok('deal', { action: 'status', campaignId: c }, seen.token)
  expect(await accept(c, a.user.id, seen.token)).toEqual({ counted: false, reason: 'ALREADY_ENTERED' })
  const risky = await login('inv-risky')
  await sql(stack, `INSERT INTO sandbox_risk_levels (openid, level) VALUES ('inv-risky', 4)`)
  expect(await accept(c, a.user.id, risky.token)).toEqual({ counted: false, reason: 'RISK_BLOCKED' })
  expect(await accept(c, a.user.id, b.token)).toEqual({ counted: true })
  const other = await login('inv-other')
  expect(await accept(c, other.user.id, b.token)).toMatchObject({ counted: false }) // B was counted already
  // The inviter sees every friend who opened the link, with the reason when it did not count.
  const { invites } = await stack.ok('deal', { action: 'status', campaignId: c }, a.token)
  expect(invites.map((i: any) => [i.nickname, i.counted, i.reason]).sort()).toEqual(
    [
      ['微信用户-old', false, 'NOT_NEW_CUSTOMER'],
      ['微信用户seen', false, 'ALREADY_ENTERED'],
      ['微信用户v-b0', false, 'ALREADY_ENTERED'],
      ['微信用户isky', false, 'RISK_BLOCKED'],
      ['微信用户nv-b', true, null],
    ].sort(),
  )
})

test('two users cannot invite each other, in either order or at once', async () => {
  const c = await campaign()
  const [x, y] = await Promise.all([login('pair-x'), login('pair-y')])
  // Neither had opened the campaign: x is no inviter yet, and y's first touch is recorded; then y can invite x.
  expect(await accept(c, x.user.id, y.token)).toEqual({ counted: false, reason: 'INVITER_NOT_FOUND' })
  expect(await accept(c, y.user.id, x.token)).toEqual({ counted: true }) // y entered before x's first touch
  expect((await enter(c, x.token)).invitesCounted).toBe(0)
  // Crossed at once, twenty pairs: never both counted.
  for (let i = 0; i < 20; i++) {
    const [u, v] = await Promise.all([login(`cross-u-${i}`), login(`cross-v-${i}`)])
    const answers = await Promise.all([accept(c, u.user.id, v.token), accept(c, v.user.id, u.token)])
    expect(answers.filter((r) => r.counted).length).toBeLessThanOrEqual(1)
  }
  const [{ cycles }] = await sql(
    stack,
    `SELECT count(*)::int AS cycles FROM deal_invites a JOIN deal_invites b
       ON a.campaign_id = b.campaign_id AND a.inviter_id = b.invitee_id AND a.invitee_id = b.inviter_id WHERE a.campaign_id = $1`,
    [c],
  )
  expect(cycles).toBe(0)
  const [p, q] = await Promise.all([login('pair-p'), login('pair-q')])
  await stack.ok('deal', { action: 'status', campaignId: c }, p.token) // p entered first
  expect(await accept(c, p.user.id, q.token)).toEqual({ counted: true })
  expect(await accept(c, q.user.id, p.token)).toEqual({ counted: false, reason: 'ALREADY_ENTERED' })
})

test('a friend accepting two inviters at once counts for one', async () => {
  const c = await campaign()
  const [a, b, friend] = await Promise.all([login('two-a'), login('two-b'), login('two-friend')])
  await Promise.all([enter(c, a.token), enter(c, b.token)])
  const answers = await Promise.all([accept(c, a.user.id, friend.token), accept(c, b.user.id, friend.token)])
  expect(answers.filter((r) => r.counted)).toHaveLength(1)
  const [{ n }] = await sql(stack, 'SELECT count(*)::int AS n FROM deal_invites WHERE campaign_id = $1', [c])
  expect(n).toBe(1)
})

test('20 racing claims with one allowed give one deal order; extra claims follow counted invites up to the cap', async () => {
  const c = await campaign({ maxExtraClaims: 2 })
  const me = await login('claimer')
  const results = await Promise.all(Array.from({ length: 20 }, async () => stack.call('deal', await claimOf(c, me.token), me.token)))
  expect(results.filter((r) => r.status === 200)).toHaveLength(1)
  // The rest are refused: no claims left, or (past the burst of 10) the shopper's own order rate.
  for (const r of results.filter((x) => x.status !== 200))
    expect(['DEAL_NO_CLAIMS_LEFT', 'RATE_LIMITED']).toContain((r.body as any).error.code)
  expect(results.filter((r) => (r.body as any).error?.code === 'DEAL_NO_CLAIMS_LEFT').length).toBeGreaterThanOrEqual(9)
  expect((results.find((r) => r.status === 200)!.body as any).data.payableFen).toBe(990)
  for (let i = 0; i < 3; i++) await accept(c, me.user.id, (await login(`claimer-friend-${i}`)).token)
  const status = await stack.ok('deal', { action: 'status', campaignId: c }, me.token)
  expect(status).toMatchObject({ eligible: true, invitesCounted: 3, claimsAllowed: 3, claimsUsed: 1 }) // 1 + min(3, cap 2)
  // Later (the shopper's order-rate bucket full again), six more racing claims: the two earned ones pass.
  await sql(stack, `DELETE FROM rate_limits WHERE key = $1`, [`order:${me.user.id}`])
  const more = await Promise.all(Array.from({ length: 6 }, async () => stack.call('deal', await claimOf(c, me.token), me.token)))
  expect(more.filter((r) => r.status === 200)).toHaveLength(2)
})

test('the same claim key twice is one order; a cancelled deal order gives its claim back; existing customers are refused', async () => {
  const c = await campaign()
  const me = await login('deal-key')
  const k = key()
  const [a, b] = await Promise.all([1, 2].map(async () => stack.ok('deal', await claimOf(c, me.token, k), me.token)))
  expect(a.orderId).toBe(b.orderId)
  await stack.ok('order', { action: 'cancel', orderId: a.orderId }, me.token)
  expect((await stack.ok('deal', { action: 'status', campaignId: c }, me.token)).claimsUsed).toBe(0)
  await stack.ok('deal', await claimOf(c, me.token), me.token)
  const old = await login('deal-old')
  await existing(old.token)
  expect((await stack.call('deal', await claimOf(c, old.token), old.token)).body).toMatchObject({
    ok: false,
    error: { code: 'DEAL_NOT_NEW_CUSTOMER' },
  })
  // A deal order does not make its buyer an existing customer.
  const stillNew = (await login('deal-still-new')).token
  const d = await stack.ok('deal', await claimOf(await campaign(), stillNew), stillNew)
  expect(d.payableFen).toBe(990)
})

test('paid mode: the invite counts when the friend pays; the inviter earns the reward pending, settled after the window, reversed on refund', async () => {
  const c = await campaign({ inviteCountsWhen: 'paid', inviteRewardFen: 300 })
  const inviter = await login('earner')
  await enter(c, inviter.token)
  const friend = await login('earner-friend')
  expect(await accept(c, inviter.user.id, friend.token)).toEqual({ counted: false, reason: 'NOT_PAID_YET' })
  expect((await stack.ok('deal', { action: 'status', campaignId: c }, inviter.token)).invitesCounted).toBe(0)
  const { orderId } = await stack.ok('deal', await claimOf(c, friend.token), friend.token)
  await payOrder(stack, friend.token, orderId)
  const status = await stack.ok('deal', { action: 'status', campaignId: c }, inviter.token)
  expect(status).toMatchObject({ invitesCounted: 1, claimsAllowed: 2 })
  expect(status.invites).toEqual([expect.objectContaining({ nickname: '微信用户iend', counted: true, reason: null })])
  expect(await stack.ok('earnings', { action: 'mine' }, inviter.token)).toMatchObject({ pendingFen: 300, settledFen: 0 })

  // Within the refund window the job leaves it pending; past it the job settles it.
  await jobs.runAt(daysFromNow(6))
  expect(await stack.ok('earnings', { action: 'mine' }, inviter.token)).toMatchObject({ pendingFen: 300, settledFen: 0 })
  await jobs.runAt(daysFromNow(8))
  expect(await stack.ok('earnings', { action: 'mine' }, inviter.token)).toMatchObject({ pendingFen: 0, settledFen: 300 })

  // Another friend's reward, refunded before settling, is reversed.
  const friend2 = await login('earner-friend-2')
  await accept(c, inviter.user.id, friend2.token)
  const second = await stack.ok('deal', await claimOf(c, friend2.token), friend2.token)
  await payOrder(stack, friend2.token, second.orderId)
  expect((await stack.ok('earnings', { action: 'mine' }, inviter.token)).pendingFen).toBe(300)
  await stack.ok('order', { action: 'requestRefund', orderId: second.orderId, reason: '不想要了' }, friend2.token)
  await stack.ok('admin', { action: 'approveRefund', orderId: second.orderId }, admin)
  const after = await stack.ok('earnings', { action: 'mine' }, inviter.token)
  expect(after).toMatchObject({ pendingFen: 0, settledFen: 300 })
  expect(after.entries.map((e: any) => [e.kind, e.entry, e.amountFen])).toContainEqual(['invite_reward', 'reverse', -300])
}, 60_000)

test('a sharer earns floor(paid × rate) on the orders they bring, one level only', async () => {
  const sharer = await login('commission-sharer')
  const buyer = await login('commission-buyer')
  await stack.ok('catalog', { action: 'get', productId: product, sharerId: sharer.user.id }, buyer.token)
  const { orderId } = await stack.ok(
    'order',
    { action: 'create', items: [{ productId: product, qty: 1 }], idempotencyKey: key() },
    buyer.token,
  )
  await payOrder(stack, buyer.token, orderId)
  expect((await stack.ok('earnings', { action: 'mine' }, sharer.token)).pendingFen).toBe(590)
  // The buyer then shares to a friend who buys: the buyer earns, the first sharer does not.
  const friend = await login('commission-friend')
  await stack.ok('catalog', { action: 'get', productId: product, sharerId: buyer.user.id }, friend.token)
  const second = await stack.ok('order', { action: 'create', items: [{ productId: product, qty: 1 }], idempotencyKey: key() }, friend.token)
  await payOrder(stack, friend.token, second.orderId)
  expect((await stack.ok('earnings', { action: 'mine' }, sharer.token)).pendingFen).toBe(590)
  expect((await stack.ok('earnings', { action: 'mine' }, buyer.token)).pendingFen).toBe(590)
})

test('risk level 3 counts the invite but pays no reward', async () => {
  const c = await campaign({ inviteRewardFen: 300 })
  const inviter = await login('risk3-inviter')
  await enter(c, inviter.token)
  const friend = await login('risk3-friend')
  await sql(stack, `INSERT INTO sandbox_risk_levels (openid, level) VALUES ('risk3-friend', 3)`)
  expect(await accept(c, inviter.user.id, friend.token)).toEqual({ counted: true })
  const { orderId } = await stack.ok('deal', await claimOf(c, friend.token), friend.token)
  await payOrder(stack, friend.token, orderId)
  expect((await stack.ok('earnings', { action: 'mine' }, inviter.token)).pendingFen).toBe(0)
})

test('the invite poster carries a code for the deal page with the campaign and the inviter in its scene', async () => {
  const c = await campaign()
  const me = await login('poster-owner')
  const { posterCode } = await stack.ok('deal', { action: 'status', campaignId: c }, me.token)
  const scene = `${c.replace(/^dc_/, '')}${me.user.id.replace(/^u_/, '')}`
  expect(scene).toHaveLength(32)
  expect(posterCode.startsWith('/media/qr.svg?text=')).toBe(true)
  expect(decodeURIComponent(posterCode.split('text=')[1]!)).toContain(`/#/packages/deal/index?scene=${scene}`)
  const svg = await fetch(`${stack.url}${posterCode}`)
  expect(svg.headers.get('content-type')).toContain('image/svg+xml')
})

describe('a deal order ships like any order', () => {
  test('deal.claim needs the caller’s own address: none is VALIDATION_FAILED, another’s is the order flow’s NOT_FOUND; neither uses a claim', async () => {
    const c = await campaign()
    const me = await login('deal-no-address')
    const other = await login('deal-other-address')
    const foreign = await addressOf(other.token)
    const bare = await stack.call('deal', { action: 'claim', campaignId: c, idempotencyKey: key() }, me.token)
    expect(bare.status).toBe(400)
    expect(bare.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: '请选择收货地址' } })
    // order.create's addressId says the same in Chinese when it is there but empty.
    const empty = await stack.call(
      'order',
      { action: 'create', items: [{ productId: product, qty: 1 }], idempotencyKey: key(), addressId: '' },
      me.token,
    )
    expect(empty.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: '请选择收货地址' } })
    const theirs = await stack.call('deal', { action: 'claim', campaignId: c, idempotencyKey: key(), addressId: foreign }, me.token)
    // The same answer order.create gives for an address that is not the caller's.
    const normal = await stack.call(
      'order',
      { action: 'create', items: [{ productId: product, qty: 1 }], idempotencyKey: key(), addressId: foreign },
      me.token,
    )
    expect((normal.body as any).error.code).toBe('NOT_FOUND')
    expect(theirs.status).toBe(normal.status)
    expect(theirs.body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: (normal.body as any).error.message } })
    expect(await sql(stack, 'SELECT count(*)::int AS n FROM orders WHERE user_id = $1', [me.user.id])).toEqual([{ n: 0 }])
    expect((await enter(c, me.token)).claimsUsed).toBe(0)
  })

  test('the claimed order carries the address snapshot, which later edits of the address do not change', async () => {
    const c = await campaign()
    const me = await login('deal-with-address')
    const { orderId } = await stack.ok('deal', await claimOf(c, me.token), me.token)
    // The unpaid order holds the claim, and the deal page's status names it for payment.
    expect(await enter(c, me.token)).toMatchObject({
      claimsUsed: 1,
      pendingOrder: { orderId, payableFen: 990, payDeadline: expect.any(String) },
      serverTime: expect.any(String),
    })
    const shipTo = {
      name: '李雷',
      phone: '13900000000',
      province: '上海市',
      city: '上海市',
      district: '浦东新区',
      detail: '世纪大道 100 号',
    }
    expect((await stack.ok('order', { action: 'get', orderId }, me.token)).order).toMatchObject({
      status: 'pending_payment',
      payableFen: 990,
      address: shipTo,
    })
    await sql(stack, `UPDATE addresses SET detail = '改过的地址' WHERE user_id = $1`, [me.user.id])
    await payOrder(stack, me.token, orderId)
    expect((await stack.ok('order', { action: 'get', orderId }, me.token)).order).toMatchObject({ status: 'paid', address: shipTo })
    expect((await enter(c, me.token)).pendingOrder).toBeNull()
  })

  test('deal.preview prices the deal order as the claim places it: the deal price, only coupons allowed on special lines', async () => {
    const c = await campaign()
    const me = await login('deal-preview')
    const coupon = async (fields: Record<string, unknown>) => {
      const { couponId } = await stack.ok(
        'admin',
        { action: 'createCoupon', kind: 'fixed', thresholdFen: 0, stock: 10, perUserLimit: 1, ...fields },
        admin,
      )
      return (await stack.ok('coupon', { action: 'claim', couponId }, me.token)).userCouponId as string
    }
    const plain = await coupon({ title: '全场立减 5 元', valueFen: 500 })
    const special = await coupon({ title: '活动价也能用 2 元', valueFen: 200, allowOnSpecial: true })
    const p = await stack.ok('deal', { action: 'preview', campaignId: c }, me.token)
    expect(p).toMatchObject({ goodsFen: 990, discountFen: 0, payableFen: 990, bestId: special })
    expect(p.lines).toEqual([expect.objectContaining({ productId: product, unitPriceFen: 990, qty: 1, problem: null })])
    const byId = new Map(p.coupons.map((x: any) => [x.userCouponId, x]))
    expect(byId.get(special)).toMatchObject({ unusable: null, savingFen: 200 })
    expect(byId.get(plain)).toMatchObject({ unusable: { code: 'NOT_APPLICABLE' }, savingFen: 0 })
    expect(await stack.ok('deal', { action: 'preview', campaignId: c, userCouponId: special }, me.token)).toMatchObject({
      discountFen: 200,
      payableFen: 790,
    })
    expect((await stack.call('deal', { action: 'preview', campaignId: c, userCouponId: plain }, me.token)).body).toMatchObject({
      error: { code: 'COUPON_NOT_APPLICABLE' },
    })
    // The claim charges what the preview showed, and locks the coupon to the order.
    const { orderId, payableFen } = await stack.ok('deal', { ...(await claimOf(c, me.token)), userCouponId: special }, me.token)
    expect(payableFen).toBe(790)
    expect(await sql(stack, 'SELECT status, order_id FROM user_coupons WHERE id = $1', [special])).toEqual([
      { status: 'locked', order_id: orderId },
    ])
    // A preview reads only: it entered nobody into the campaign and used no claim.
    const stranger = await login('deal-preview-only')
    await stack.ok('deal', { action: 'preview', campaignId: c }, stranger.token)
    expect(await sql(stack, 'SELECT count(*)::int AS n FROM deal_entries WHERE user_id = $1', [stranger.user.id])).toEqual([{ n: 0 }])
  })
})

test('a checkout reloaded mid-payment sends its draft’s key again: one pending order, however often it is submitted', async () => {
  const me = await login('reload-buyer')
  const addressId = await addressOf(me.token)
  const draft = { action: 'create', items: [{ productId: product, qty: 2 }], addressId, idempotencyKey: key() }
  const first = await stack.ok('order', draft, me.token)
  // The page reloads: the persisted key comes back with the same draft, and the submit repeats.
  const again = await Promise.all([1, 2, 3].map(() => stack.ok('order', draft, me.token)))
  expect(again.map((o) => o.orderId)).toEqual([first.orderId, first.orderId, first.orderId])
  expect(await sql(stack, `SELECT count(*)::int AS n FROM orders WHERE user_id = $1 AND status = 'pending_payment'`, [me.user.id])).toEqual(
    [{ n: 1 }],
  )
})

test('a deal price not below the SKU regular price is refused, in Chinese, naming the field', async () => {
  for (const dealPriceFen of [5900, 6000]) {
    const r = await stack.call(
      'admin',
      {
        action: 'createDealCampaign',
        productId: product,
        dealPriceFen,
        baseClaims: 1,
        extraClaimsPerInvite: 0,
        maxExtraClaims: 0,
        inviteCountsWhen: 'joined',
      },
      admin,
    )
    expect(r.status).toBe(400)
    expect(r.body).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', details: [{ path: 'dealPriceFen', message: '新人价须低于商品售价 ¥59.00' }] },
    })
  }
  expect(await campaign({ dealPriceFen: 5899 })).toMatch(/^dc_/)
})

test('a key repeated with a different request is IDEMPOTENCY_KEY_REUSED and takes nothing; the same request answers the first order', async () => {
  const c = await campaign()
  const me = await login('key-reuse')
  const addressId = await addressOf(me.token)
  const { address: other } = await stack.ok(
    'address',
    {
      action: 'save',
      name: '韩梅梅',
      phone: '13700137000',
      province: '上海市',
      city: '上海市',
      district: '浦东新区',
      detail: '世纪大道 1 号',
    },
    me.token,
  )
  const { couponId } = await stack.ok(
    'admin',
    { action: 'createCoupon', title: '满1减1', kind: 'fixed', valueFen: 100, thresholdFen: 0, stock: 10, perUserLimit: 1 },
    admin,
  )
  const { userCouponId } = await stack.ok('coupon', { action: 'claim', couponId }, me.token)
  const k = key()
  const claim = { action: 'claim', campaignId: c, idempotencyKey: k, addressId }
  const stockBefore = (await sql(stack, 'SELECT sum(stock)::int AS n FROM skus WHERE product_id = $1', [product]))[0].n
  // Requests that differ from the claim: an order, other quantities, another address, a coupon.
  const differing: Array<[string, Record<string, unknown>]> = [
    ['order', { action: 'create', items: [{ productId: product, qty: 1 }], idempotencyKey: k, addressId }],
    ['order', { action: 'create', items: [{ productId: product, qty: 3 }], idempotencyKey: k, addressId }],
    ['deal', { ...claim, addressId: other.id }],
    ['deal', { ...claim, userCouponId }],
  ]
  // 8 copies of the claim at once: one order.
  const firsts = await Promise.all(Array.from({ length: 8 }, () => stack.call('deal', claim, me.token)))
  const orders = await sql(stack, 'SELECT id, kind, address FROM orders WHERE user_id = $1', [me.user.id])
  expect(orders).toHaveLength(1)
  const [order] = orders
  for (const r of firsts) expect(r.body).toMatchObject({ ok: true, data: { orderId: order.id } })
  expect(order.kind).toBe('deal')
  expect(order.address.name).not.toBe('韩梅梅')
  // Copies of it again, racing requests that differ under the same key: the copies answer the order, the others are refused.
  const answers = await Promise.all([
    ...Array.from({ length: 8 }, () => stack.call('deal', claim, me.token)),
    ...differing.map(([fn, body]) => stack.call(fn, body, me.token)),
  ])
  for (const r of answers.slice(0, 8)) expect(r.body).toMatchObject({ ok: true, data: { orderId: order.id } })
  for (const r of answers.slice(8)) {
    expect(r.status).toBe(409)
    expect(r.body).toMatchObject({ ok: false, error: { code: 'IDEMPOTENCY_KEY_REUSED', message: '请求已处理，请刷新后重试' } })
  }
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM orders WHERE user_id = $1', [me.user.id])).toEqual([{ n: 1 }])
  // Nothing was taken twice or by a refused request: one unit, one claim, the coupon unused.
  const stockAfter = (await sql(stack, 'SELECT sum(stock)::int AS n FROM skus WHERE product_id = $1', [product]))[0].n
  expect(stockBefore - stockAfter).toBe(1)
  expect((await enter(c, me.token)).claimsUsed).toBe(1)
  expect(await sql(stack, 'SELECT status, order_id FROM user_coupons WHERE id = $1', [userCouponId])).toEqual([
    { status: 'available', order_id: null },
  ])
  // After the race: the same claim still answers the order; a different one is still refused.
  expect(await stack.ok('deal', claim, me.token)).toMatchObject({ orderId: order.id })
  const late = await stack.call('order', differing[0]![1], me.token)
  expect(late.status).toBe(409)
  expect(late.body).toMatchObject({ ok: false, error: { code: 'IDEMPOTENCY_KEY_REUSED' } })
})
