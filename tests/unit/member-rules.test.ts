/** Membership's pure rules (cloud/core/member/member.rules.ts): tiers, points earned, the yearly expiry, the shop's year. */
import fc from 'fast-check'
import {
  DEFAULT_MEMBER_RULES as R,
  expiryAmount,
  nextTierOf,
  pointsEarned,
  rulesProblem,
  shopYear,
  shopYearStart,
  tierOf,
} from '../../cloud/core/member/member.rules'

describe('member rules', () => {
  it('tiers by spend: 普通 below ¥500, 银卡 from it, 金卡 from ¥2,000; the next tier says what is still needed', () => {
    expect(tierOf(0, R)).toBe('normal')
    expect(tierOf(49_999, R)).toBe('normal')
    expect(tierOf(50_000, R)).toBe('silver')
    expect(tierOf(199_999, R)).toBe('silver')
    expect(tierOf(200_000, R)).toBe('gold')
    expect(nextTierOf(30_000, R)).toEqual({ tier: 'silver', needFen: 20_000 })
    expect(nextTierOf(50_000, R)).toEqual({ tier: 'gold', needFen: 150_000 })
    expect(nextTierOf(200_000, R)).toBeNull()
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), (a, b) => {
        const order = ['normal', 'silver', 'gold']
        // More spend never means a lower tier; the next tier's need is what reaches it exactly.
        if (a <= b) expect(order.indexOf(tierOf(a, R))).toBeLessThanOrEqual(order.indexOf(tierOf(b, R)))
        const next = nextTierOf(a, R)
        if (next) {
          expect(tierOf(a + next.needFen, R)).toBe(next.tier)
          expect(tierOf(a + next.needFen - 1, R)).toBe(tierOf(a, R))
        }
      }),
    )
  })

  it('points earned: whole yuan of the payable × the rate, rounded down', () => {
    expect(pointsEarned(8_800, 1000)).toBe(88)
    expect(pointsEarned(8_899, 1000)).toBe(88)
    expect(pointsEarned(17_600, 1500)).toBe(264)
    expect(pointsEarned(8_500, 1500)).toBe(127)
    expect(pointsEarned(99, 2000)).toBe(0)
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000_000 }), fc.integer({ min: 0, max: 100_000 }), (fen, permille) => {
        const p = pointsEarned(fen, permille)
        expect(Number.isInteger(p)).toBe(true)
        expect(p).toBeLessThanOrEqual((fen / 100) * (permille / 1000))
        expect(p).toBeGreaterThan((Math.floor(fen / 100) * permille) / 1000 - 1)
      }),
    )
  })

  it('the expiry takes what is left of the old points, never below nothing', () => {
    expect(expiryAmount(500, 200)).toBe(300)
    expect(expiryAmount(500, 700)).toBe(0)
    expect(expiryAmount(0, 0)).toBe(0)
  })

  it('the shop year turns at midnight in Shanghai', () => {
    expect(shopYear(new Date('2026-12-31T15:59:59Z'))).toBe(2026)
    expect(shopYear(new Date('2026-12-31T16:00:00Z'))).toBe(2027)
    expect(shopYearStart(2027).toISOString()).toBe('2026-12-31T16:00:00.000Z')
  })

  it('settings: 金卡 above 银卡, and rates that never fall with the tier', () => {
    expect(rulesProblem(R)).toBeNull()
    expect(rulesProblem({ ...R, goldFen: R.silverFen })).toMatchObject({ path: 'goldFen' })
    const rates = (normal: number, silver: number, gold: number) => ({ ...R, pointsPermille: { normal, silver, gold } })
    expect(rulesProblem(rates(5000, 10, 0))).toEqual({ path: 'pointsPermille.silver', message: '银卡积分倍率不能低于普通会员' })
    expect(rulesProblem(rates(1000, 2000, 1500))).toEqual({ path: 'pointsPermille.gold', message: '金卡积分倍率不能低于银卡' })
    expect(rulesProblem(rates(1000, 1000, 1000))).toBeNull()
  })
})
