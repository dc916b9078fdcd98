/**
 * The demo seed's plays: a 拼团, a 砍价 and a 好友助力, made once however many hosts start on the
 * database, at once or later, and made as the console makes them (the desk reads them as its own).
 */
import { sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'

let first: Stack
let second: Stack | undefined

afterAll(async () => {
  await second?.stop()
  await first?.stop()
})

const counts = async (stack: Stack) =>
  (
    await sql(
      stack,
      `SELECT (SELECT count(*)::int FROM products) AS products, (SELECT count(*)::int FROM group_campaigns) AS groups,
         (SELECT count(*)::int FROM assist_campaigns WHERE face = 'price_cut') AS cuts,
         (SELECT count(*)::int FROM assist_campaigns WHERE face = 'coupon') AS assists,
         (SELECT count(*)::int FROM coupons) AS coupons`,
    )
  )[0]

test('later starts, two at once, on the seeded database add no play (nor anything else)', async () => {
  first = await startStack({ seed: true })
  // The first host has migrated and seeded by the time it answers; the race is the next two.
  const [a, b] = await Promise.all([
    startStack({ seed: true, databaseUrl: first.databaseUrl }),
    startStack({ seed: true, databaseUrl: first.databaseUrl }),
  ])
  const seededBy = [first, a, b].filter((s) => s.output().includes('demo data seeded')).length
  await Promise.all([a.stop(), b.stop()])
  expect(seededBy).toBe(1)
  expect(await counts(first)).toEqual({ products: 16, groups: 1, cuts: 1, assists: 1, coupons: 7 })
}, 120_000)

test('racing first starts on a fresh database: one set of plays', async () => {
  const fresh = await startStack({ seed: false })
  // Migrated but empty: now two seeding hosts start on it at the same moment.
  await fresh.stop()
  const [a, b] = await Promise.all([
    startStack({ seed: true, databaseUrl: fresh.databaseUrl }),
    startStack({ seed: true, databaseUrl: fresh.databaseUrl }),
  ])
  second = a
  const seededBy = [a, b].filter((s) => s.output().includes('demo data seeded')).length
  await b.stop()
  expect(seededBy).toBe(1)
  expect(await counts(a)).toEqual({ products: 16, groups: 1, cuts: 1, assists: 1, coupons: 7 })
}, 120_000)

test('the seeded plays are open for about 30 days, with the terms the rules publish, and the desk reads them', async () => {
  const admin = (await first.login('admin')).token
  const plays = await first.ok('catalog', { action: 'plays' })
  expect(plays.groups).toEqual([
    expect.objectContaining({ productTitle: '竹制茶盘 储水式', groupPriceFen: 9900, priceFen: 12900, groupSize: 2 }),
  ])
  expect(plays.priceCuts).toEqual([
    expect.objectContaining({ productTitle: '麻辣牛肉干 250g', priceFen: 6800, cutPerHelpFen: 1000, helpsNeeded: 5, floorPriceFen: 1800 }),
  ])
  const days = (iso: string) => (Date.parse(iso) - Date.now()) / 86_400_000
  expect(days(plays.groups[0].endsAt)).toBeGreaterThan(29)
  expect(days(plays.groups[0].endsAt)).toBeLessThan(31)
  const { items: groups } = await first.ok('admin', { action: 'groupCampaigns' }, admin)
  expect(groups).toEqual([expect.objectContaining({ groupHours: 24, onExpiry: 'refund', status: 'active', open: true, groupsOpened: 0 })])
  const { items: assists } = await first.ok('admin', { action: 'assistCampaigns' }, admin)
  const coupon = assists.find((c: { face: string }) => c.face === 'coupon')
  expect(coupon).toMatchObject({
    helpsNeeded: 3,
    status: 'active',
    reward: { title: '满99减10' },
    helperCoupon: { title: '新人无门槛券' },
  })
  // A shopper can start the 砍价 at once: the seed made a campaign the rules accept.
  const shopper = await first.login('seed-shopper')
  const { taskId } = await first.ok('assist', { action: 'start', campaignId: plays.priceCuts[0].campaignId }, shopper.token)
  const task = await first.ok('assist', { action: 'task', taskId }, shopper.token)
  expect(task).toMatchObject({ helps: 0, helpsNeeded: 5, priceNowFen: 6800, status: 'open' })
}, 60_000)
