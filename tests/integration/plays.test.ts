/**
 * catalog.plays (the home strip's 拼团 · 砍价) on real PostgreSQL: public, only plays open now (active,
 * inside their window, product on sale, a group price still below the SKU's), ending soonest first,
 * at most 6 of each; and read through the partial indexes of migration 049.
 */
import { OPEN_GROUPS_SQL, OPEN_PRICE_CUTS_SQL } from '../../cloud/db/repos/plays.repo'
import { createProduct, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'

const HOUR = 3_600_000
let stack: Stack
let admin: string

beforeAll(async () => {
  stack = await startStack()
  admin = (await stack.login('admin')).token
}, 90_000)
afterAll(() => stack?.stop())

const iso = (ms: number) => new Date(Date.now() + ms).toISOString()
const plays = async () => stack.ok('catalog', { action: 'plays' })

/** A ¥59 product's 2人团 at ¥29, open since an hour ago until `endsIn`. */
async function group(title: string, endsIn = 48 * HOUR, fields: Record<string, unknown> = {}) {
  const productId = await createProduct(stack, admin, { title, priceFen: 5900, stock: 50 })
  const { campaignId } = await stack.ok(
    'admin',
    {
      action: 'createGroupCampaign',
      productId,
      groupPriceFen: 2900,
      groupSize: 2,
      groupHours: 24,
      startsAt: iso(-HOUR),
      endsAt: iso(endsIn),
      onExpiry: 'refund',
      ...fields,
    },
    admin,
  )
  return { productId, campaignId: campaignId as string }
}

/** A ¥68 product's 砍价: 5 friends × ¥10, floor ¥18. */
async function priceCut(title: string, endsIn = 48 * HOUR, fields: Record<string, unknown> = {}) {
  const productId = await createProduct(stack, admin, { title, priceFen: 6800, stock: 50 })
  const { campaignId } = await stack.ok(
    'admin',
    {
      action: 'createAssistCampaign',
      title: `${title} 砍价`,
      face: 'price_cut',
      productId,
      cutPerHelpFen: 1000,
      helpsNeeded: 5,
      taskHours: 24,
      startsAt: iso(-HOUR),
      endsAt: iso(endsIn),
      ...fields,
    },
    admin,
  )
  return { productId, campaignId: campaignId as string }
}

test('nothing running: both lists are empty, and no sign-in is needed to ask', async () => {
  const r = await stack.call('catalog', { action: 'plays' })
  expect(r.status).toBe(200)
  expect(r.body).toMatchObject({ ok: true, data: { groups: [], priceCuts: [] } })
})

test('only plays open now are listed, ending soonest first, with what the strip shows', async () => {
  const later = await group('拼团 晚结束', 72 * HOUR)
  const sooner = await group('拼团 早结束', 24 * HOUR)
  await group('拼团 未开始', 72 * HOUR, { startsAt: iso(HOUR) })
  const paused = await group('拼团 已暂停')
  await stack.ok('admin', { action: 'updateGroupCampaign', campaignId: paused.campaignId, status: 'paused' }, admin)
  const offShelf = await group('拼团 已下架')
  await stack.ok('admin', { action: 'updateProduct', productId: offShelf.productId, status: 'off' }, admin)
  const cheaper = await group('拼团 已降价')
  // The SKU's price lowered to the group price (as group.test does): that campaign opens no group.
  await sql(stack, 'UPDATE skus SET price_fen = 2900 WHERE product_id = $1', [cheaper.productId])
  const cut = await priceCut('牛肉干', 48 * HOUR)
  const endedCut = await priceCut('已结束的砍价')
  await stack.ok('admin', { action: 'updateAssistCampaign', campaignId: endedCut.campaignId, status: 'ended' }, admin)
  await priceCut('未开始的砍价', 48 * HOUR, { startsAt: iso(HOUR) })
  // A coupon-face assist is not a price cut: the strip never lists it.
  const { couponId } = await stack.ok(
    'admin',
    {
      action: 'createCoupon',
      title: '助力奖励券',
      kind: 'fixed',
      valueFen: 500,
      thresholdFen: 0,
      stock: 10,
      perUserLimit: 1,
      validFrom: iso(-HOUR),
      validTo: iso(48 * HOUR),
    },
    admin,
  )
  await stack.ok(
    'admin',
    {
      action: 'createAssistCampaign',
      title: '好友助力领券',
      face: 'coupon',
      rewardCouponId: couponId,
      helpsNeeded: 3,
      taskHours: 24,
      startsAt: iso(-HOUR),
      endsAt: iso(48 * HOUR),
    },
    admin,
  )

  // Made last, ending in 8 s: listed now, gone once its end has passed.
  const ending = await group('拼团 即将结束', 8000)
  const first = await plays()
  expect(first.groups.map((g: { productTitle: string }) => g.productTitle)).toEqual(['拼团 即将结束', '拼团 早结束', '拼团 晚结束'])
  expect(first.groups[1]).toEqual({
    campaignId: sooner.campaignId,
    productId: sooner.productId,
    productTitle: '拼团 早结束',
    cover: expect.any(String),
    groupPriceFen: 2900,
    priceFen: 5900,
    groupSize: 2,
    endsAt: expect.any(String),
  })
  expect(first.groups[2].campaignId).toBe(later.campaignId)
  expect(first.priceCuts).toEqual([
    {
      campaignId: cut.campaignId,
      title: '牛肉干 砍价',
      productId: cut.productId,
      productTitle: '牛肉干',
      cover: expect.any(String),
      priceFen: 6800,
      cutPerHelpFen: 1000,
      helpsNeeded: 5,
      floorPriceFen: 1800,
      endsAt: expect.any(String),
    },
  ])

  // Past its end by the server's clock, a campaign leaves the list (nothing moved it: time passed).
  await until(async () => !(await plays()).groups.some((g: { campaignId: string }) => g.campaignId === ending.campaignId), 20_000)
  // Resumed, the paused one is back.
  await stack.ok('admin', { action: 'updateGroupCampaign', campaignId: paused.campaignId, status: 'active' }, admin)
  const after = await plays()
  expect(after.groups.map((g: { productTitle: string }) => g.productTitle)).toEqual(['拼团 早结束', '拼团 已暂停', '拼团 晚结束'])
}, 60_000)

test('at most 6 of each: the 6 ending soonest', async () => {
  const before = (await plays()).groups.length
  // Ending within the next hour: sooner than every campaign made before.
  const made: string[] = []
  for (let i = 0; i < 7; i++) made.push((await group(`限量 ${i}`, HOUR + (7 - i) * 60_000)).campaignId)
  for (let i = 0; i < 7; i++) await priceCut(`限量砍价 ${i}`, HOUR + (7 - i) * 60_000)
  const r = await plays()
  expect(before).toBeGreaterThan(0)
  expect(r.groups.map((g: { productTitle: string }) => g.productTitle)).toEqual([
    '限量 6',
    '限量 5',
    '限量 4',
    '限量 3',
    '限量 2',
    '限量 1',
  ])
  expect(r.priceCuts.map((c: { productTitle: string }) => c.productTitle)).toEqual([
    '限量砍价 6',
    '限量砍价 5',
    '限量砍价 4',
    '限量砍价 3',
    '限量砍价 2',
    '限量砍价 1',
  ])
}, 60_000)

test('both reads use their partial index, not a scan of the campaigns', async () => {
  const client = await import('pg').then((m) => new m.default.Client({ connectionString: stack.databaseUrl }))
  await client.connect()
  try {
    await client.query('SET enable_seqscan = off')
    for (const [name, text, index] of [
      ['groups', OPEN_GROUPS_SQL, 'group_campaigns_open'],
      ['price cuts', OPEN_PRICE_CUTS_SQL, 'assist_campaigns_open_cuts'],
    ] as const) {
      const plan = (await client.query(`EXPLAIN ${text.replaceAll('$1', "'2026-12-01T00:00:00Z'::timestamptz").replace('$2', '6')}`)).rows
        .map((r) => r['QUERY PLAN'])
        .join('\n')
      expect({ name, indexed: new RegExp(`Index Scan using ${index}`).test(plan) }).toEqual({ name, indexed: true })
    }
  } finally {
    await client.end()
  }
})

test('only plays a shopper can start: a sold-out or retired SKU takes its group and its price cut off the strip', async () => {
  const listed = async () => {
    const p = await plays()
    return [...p.groups, ...p.priceCuts].map((x: any) => x.campaignId as string)
  }
  // Only this test's plays run (the strip shows at most 6 of each).
  await sql(stack, `UPDATE group_campaigns SET status = 'paused' WHERE status = 'active'`)
  await sql(stack, `UPDATE assist_campaigns SET status = 'paused' WHERE status = 'active'`)
  const soldOut = await group('售罄团')
  const retired = await group('下架规格团')
  const cutSoldOut = await priceCut('售罄砍')
  const cutRetired = await priceCut('下架规格砍')
  const kept = await group('有货团')
  const all = [soldOut, retired, cutSoldOut, cutRetired, kept].map((x) => x.campaignId)
  expect((await listed()).filter((id) => all.includes(id)).sort()).toEqual([...all].sort())

  await sql(stack, `UPDATE skus SET stock = 0 WHERE product_id = ANY($1)`, [[soldOut.productId, cutSoldOut.productId]])
  await sql(stack, `UPDATE skus SET retired_at = now() WHERE product_id = ANY($1)`, [[retired.productId, cutRetired.productId]])
  expect((await listed()).filter((id) => all.includes(id))).toEqual([kept.campaignId])

  // Back in stock: listed again.
  await sql(stack, `UPDATE skus SET stock = 5 WHERE product_id = $1`, [soldOut.productId])
  expect((await listed()).filter((id) => all.includes(id)).sort()).toEqual([soldOut.campaignId, kept.campaignId].sort())
})
