/**
 * Checkout's price (cloud/core/order/checkout.rules.ts): member price, then coupon, then points. For
 * any lines (regular and special), member prices, coupons and points asked: never below the rules'
 * floor, each step only lowers the total, the parts add up, points within the cap in whole yuan.
 */
import fc from 'fast-check'
import type { CouponTerms } from '../../cloud/core/coupon/coupon.rules'
import { priceCheckout, pointsCapOf, type CheckoutLine, type CouponAtCheckout } from '../../cloud/core/order/checkout.rules'

const PRODUCTS = ['p1', 'p2', 'p3']
const CATEGORIES = ['c1', 'c2', null]

const line: fc.Arbitrary<CheckoutLine> = fc
  .record({
    productId: fc.constantFrom(...PRODUCTS),
    categoryId: fc.constantFrom(...CATEGORIES),
    unitPriceFen: fc.integer({ min: 1, max: 200_000 }),
    memberShare: fc.option(fc.double({ min: 0, max: 0.999, noNaN: true }), { nil: null }),
    qty: fc.integer({ min: 1, max: 99 }),
    special: fc.boolean(),
  })
  .map(({ memberShare, ...l }) => ({
    ...l,
    // A member price is at least 1 fen and below the price (the schema's CHECK); a 1-fen SKU has none.
    memberPriceFen: memberShare === null || l.unitPriceFen < 2 ? null : Math.max(1, Math.floor(l.unitPriceFen * memberShare)),
  }))

const scope = fc.oneof(
  fc.constant({ scope: 'all' as const, scopeIds: [] as string[] }),
  fc.subarray(PRODUCTS, { minLength: 1 }).map((ids) => ({ scope: 'products' as const, scopeIds: ids })),
  fc.subarray(['c1', 'c2'], { minLength: 1 }).map((ids) => ({ scope: 'categories' as const, scopeIds: ids })),
)

const coupon: fc.Arbitrary<CouponAtCheckout> = fc
  .record({
    kind: fc.constantFrom('fixed' as const, 'percent' as const),
    valueFen: fc.integer({ min: 1, max: 500_000 }),
    percentOff: fc.integer({ min: 1, max: 99 }),
    maxOffFen: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: null }),
    thresholdFen: fc.integer({ min: 0, max: 300_000 }),
    scope,
    allowOnSpecial: fc.boolean(),
  })
  .map(({ kind, valueFen, percentOff, maxOffFen, thresholdFen, scope: s, allowOnSpecial }) => {
    const terms: CouponTerms =
      kind === 'fixed'
        ? { kind, valueFen, percentOff: null, maxOffFen: null, thresholdFen, ...s }
        : { kind, valueFen: null, percentOff, maxOffFen, thresholdFen, ...s }
    return { ...terms, allowOnSpecial }
  })

const ask = fc.record({
  isMember: fc.boolean(),
  coupon: fc.option(coupon, { nil: null }),
  // Points asked: any multiple of 100, often more than the order can take.
  pointsUsed: fc.integer({ min: 0, max: 20_000 }).map((n) => n * 100),
  pointsMaxPercent: fc.integer({ min: 0, max: 100 }),
})

const lines = fc.array(line, { minLength: 1, maxLength: 8 })
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

describe('checkout pricing: member price → coupon → points', () => {
  it('never pays below the floor; the parts add up; line shares sum to the order', () => {
    fc.assert(
      fc.property(lines, ask, (ls, a) => {
        const p = priceCheckout(ls, a)
        // Parts add up.
        expect(p.goodsFen).toBe(sum(p.lines.map((l) => l.lineFen)))
        expect(p.discountFen).toBe(p.couponFen + p.pointsFen)
        expect(p.goodsFen - p.couponFen - p.pointsFen).toBe(p.payableFen)
        expect(sum(p.lines.map((l) => l.couponFen))).toBe(p.couponFen)
        expect(sum(p.lines.map((l) => l.pointsFen))).toBe(p.pointsFen)
        expect(sum(p.lines.map((l) => l.discountFen))).toBe(p.discountFen)
        expect(p.memberSavingFen).toBe(sum(p.lines.map((l, i) => (l.regularPriceFen - l.unitPriceFen) * ls[i]!.qty)))
        // No line pays below zero; special lines take no points and keep their price.
        p.lines.forEach((l, i) => {
          expect(l.discountFen).toBeLessThanOrEqual(l.lineFen)
          expect(l.couponFen).toBeGreaterThanOrEqual(0)
          expect(l.pointsFen).toBeGreaterThanOrEqual(0)
          if (ls[i]!.special) {
            expect(l.pointsFen).toBe(0)
            expect(l.unitPriceFen).toBe(ls[i]!.unitPriceFen)
          }
          // Member price only for members, only on regular lines that have one (and only when the
          // member way is the one charged: see the member-never-dearer test).
          const mp = ls[i]!.memberPriceFen
          const memberWay = a.isMember && p.memberSavingFen > 0
          expect(l.unitPriceFen).toBe(memberWay && !ls[i]!.special && mp !== null ? mp : ls[i]!.unitPriceFen)
        })
        // The floor: max(1 fen, special lines after coupon + regular lines after coupon − their cap).
        const special = sum(p.lines.filter((_, i) => ls[i]!.special).map((l) => l.lineFen - l.couponFen))
        const regular = sum(p.lines.filter((_, i) => !ls[i]!.special).map((l) => l.lineFen - l.couponFen))
        const cap = Math.floor((regular * a.pointsMaxPercent) / 100 / 100) * 100
        expect(p.payableFen).toBeGreaterThanOrEqual(Math.max(1, special + regular - cap))
        // Points: within the cap, whole yuan, never more than asked.
        expect(p.pointsUsed % 100).toBe(0)
        expect(p.pointsUsed).toBeLessThanOrEqual(p.pointsCap)
        expect(p.pointsCap).toBeLessThanOrEqual(cap)
        expect(p.pointsUsed).toBeLessThanOrEqual(a.pointsUsed)
        expect(p.pointsUsed).toBe(Math.min(a.pointsUsed, p.pointsCap))
      }),
      { numRuns: 3000 },
    )
  })

  it('each step only lowers the total: member price, then the coupon, then points', () => {
    fc.assert(
      fc.property(lines, ask, (ls, a) => {
        const regularGoods = sum(ls.map((l) => l.unitPriceFen * l.qty))
        const afterMember = priceCheckout(ls, { ...a, coupon: null, pointsUsed: 0 })
        const afterCoupon = priceCheckout(ls, { ...a, pointsUsed: 0 })
        const all = priceCheckout(ls, a)
        expect(afterMember.payableFen).toBeLessThanOrEqual(regularGoods)
        expect(afterMember.payableFen).toBe(regularGoods - afterMember.memberSavingFen)
        expect(afterCoupon.payableFen).toBeLessThanOrEqual(afterMember.payableFen)
        expect(all.payableFen).toBeLessThanOrEqual(afterCoupon.payableFen)
        // Priced the same way (a member's may switch to regular prices when points tip it), points
        // take exactly their amount off.
        if (all.memberSavingFen === afterCoupon.memberSavingFen) expect(all.payableFen).toBe(afterCoupon.payableFen - all.pointsFen)
        expect(all.payableFen).toBeGreaterThanOrEqual(1)
      }),
      { numRuns: 2000 },
    )
  })

  it('a member never pays more than a non-member for the same goods, coupon and points', () => {
    fc.assert(
      fc.property(lines, ask, (ls, a) => {
        const asMember = priceCheckout(ls, { ...a, isMember: true })
        const asNonMember = priceCheckout(ls, { ...a, isMember: false })
        expect(asMember.payableFen).toBeLessThanOrEqual(asNonMember.payableFen)
        // Priced the regular way, a member saves nothing by member price.
        if (asMember.memberSavingFen === 0) expect(asMember.goodsFen).toBe(asNonMember.goodsFen)
      }),
      { numRuns: 3000 },
    )
  })

  it('a coupon threshold met only at regular prices: the member is priced the regular way (¥100, 会员价 ¥90, 满95减30 → ¥70)', () => {
    const ls: CheckoutLine[] = [{ productId: 'p1', categoryId: null, unitPriceFen: 10_000, memberPriceFen: 9_000, qty: 1, special: false }]
    const c: CouponAtCheckout = {
      kind: 'fixed',
      valueFen: 3_000,
      percentOff: null,
      maxOffFen: null,
      thresholdFen: 9_500,
      scope: 'all',
      scopeIds: [],
      allowOnSpecial: false,
    }
    const base = { coupon: c, pointsUsed: 0, pointsMaxPercent: 50 }
    expect(priceCheckout(ls, { ...base, isMember: false })).toMatchObject({ payableFen: 7_000, couponFen: 3_000 })
    expect(priceCheckout(ls, { ...base, isMember: true })).toMatchObject({ payableFen: 7_000, couponFen: 3_000, memberSavingFen: 0 })
    // Without the coupon the member price wins, as before.
    expect(priceCheckout(ls, { ...base, coupon: null, isMember: true })).toMatchObject({ payableFen: 9_000, memberSavingFen: 1_000 })
  })

  it('a non-member pays the regular price; a member the member price on regular lines only', () => {
    const ls: CheckoutLine[] = [
      { productId: 'p1', categoryId: null, unitPriceFen: 10_000, memberPriceFen: 8_800, qty: 2, special: false },
      { productId: 'p2', categoryId: null, unitPriceFen: 990, memberPriceFen: 500, qty: 1, special: true },
    ]
    const base = { coupon: null, pointsUsed: 0, pointsMaxPercent: 50 }
    expect(priceCheckout(ls, { ...base, isMember: false })).toMatchObject({ goodsFen: 20_990, memberSavingFen: 0 })
    expect(priceCheckout(ls, { ...base, isMember: true })).toMatchObject({ goodsFen: 18_590, memberSavingFen: 2_400 })
  })

  it('a worked example: ¥176 member-priced, 满100减20, 50 % cap → at most ¥78 of points', () => {
    const ls: CheckoutLine[] = [{ productId: 'p1', categoryId: null, unitPriceFen: 10_000, memberPriceFen: 8_800, qty: 2, special: false }]
    const c: CouponAtCheckout = {
      kind: 'fixed',
      valueFen: 2_000,
      percentOff: null,
      maxOffFen: null,
      thresholdFen: 10_000,
      scope: 'all',
      scopeIds: [],
      allowOnSpecial: false,
    }
    const p = priceCheckout(ls, { isMember: true, coupon: c, pointsUsed: 100_000, pointsMaxPercent: 50 })
    expect(p).toMatchObject({ goodsFen: 17_600, couponFen: 2_000, pointsCap: 7_800, pointsUsed: 7_800, payableFen: 7_800 })
  })

  it('the cap leaves at least 1 fen and counts whole yuan', () => {
    expect(pointsCapOf(10_000, 10_000, 100)).toBe(9_900)
    expect(pointsCapOf(199, 199, 100)).toBe(100)
    expect(pointsCapOf(99, 99, 100)).toBe(0)
    expect(pointsCapOf(10_050, 20_000, 50)).toBe(5_000)
  })
})
