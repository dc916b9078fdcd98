import fc from 'fast-check'
import {
  lineApplies,
  orderDiscount,
  rawDiscount,
  splitDiscount,
  unusableReason,
  type CouponTerms,
} from '../../cloud/core/coupon/coupon.rules'

const fixed = (valueFen: number, thresholdFen = 0): CouponTerms => ({
  kind: 'fixed',
  valueFen,
  percentOff: null,
  maxOffFen: null,
  thresholdFen,
  scope: 'all',
  scopeIds: [],
})
const percent = (percentOff: number, maxOffFen: number | null = null, thresholdFen = 0): CouponTerms => ({
  kind: 'percent',
  valueFen: null,
  percentOff,
  maxOffFen,
  thresholdFen,
  scope: 'all',
  scopeIds: [],
})

const terms = fc.oneof(
  fc.record({ v: fc.integer({ min: 1, max: 100_000 }), t: fc.integer({ min: 0, max: 100_000 }) }).map(({ v, t }) => fixed(v, t)),
  fc
    .record({
      p: fc.integer({ min: 1, max: 99 }),
      cap: fc.option(fc.integer({ min: 1, max: 50_000 }), { nil: null }),
      t: fc.integer({ min: 0, max: 100_000 }),
    })
    .map(({ p, cap, t }) => percent(p, cap, t)),
)
const lines = fc.array(fc.integer({ min: 1, max: 500_000 }), { minLength: 1, maxLength: 12 })

describe('discount maths (properties)', () => {
  test('never negative, never above the goods it applies to, and the order always pays at least 1 fen', () => {
    fc.assert(
      fc.property(terms, lines, (t, ls) => {
        const goods = ls.reduce((a, b) => a + b, 0)
        const d = orderDiscount(t, goods, goods)
        return d >= 0 && d <= goods && goods - d >= 1 && Number.isInteger(d)
      }),
    )
  })

  test('the split across lines sums to the discount, each part within its line', () => {
    fc.assert(
      fc.property(lines, fc.integer({ min: 0, max: 1_000_000 }), (ls, want) => {
        const goods = ls.reduce((a, b) => a + b, 0)
        const discount = Math.min(want, goods)
        const parts = splitDiscount(ls, discount)
        return parts.reduce((a, b) => a + b, 0) === discount && parts.every((p, i) => p >= 0 && p <= ls[i]! && Number.isInteger(p))
      }),
    )
  })

  test('percent off never rounds against the shopper: at least the exact share, capped', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 1_000_000 }), (p, goods) => {
        const d = rawDiscount(percent(p), goods)
        return d >= (goods * p) / 100 && d - (goods * p) / 100 < 1
      }),
    )
  })
})

describe('discount maths (examples)', () => {
  test('满减 needs the threshold; 无门槛 does not', () => {
    expect(rawDiscount(fixed(1000, 9900), 9899)).toBe(0)
    expect(rawDiscount(fixed(1000, 9900), 9900)).toBe(1000)
    expect(rawDiscount(fixed(500), 100)).toBe(100)
    expect(orderDiscount(fixed(500), 100, 100)).toBe(99)
  })

  test('percent off rounds up and respects its cap', () => {
    expect(rawDiscount(percent(15), 999)).toBe(150) // 149.85 → 150
    expect(rawDiscount(percent(50, 2000), 10000)).toBe(2000)
  })

  test('scope: all goods, some categories, some products; special lines only when allowed', () => {
    const cats: CouponTerms = { ...fixed(100), scope: 'categories', scopeIds: ['c_tea'] }
    expect(lineApplies(cats, { productId: 'p1', categoryId: 'c_tea', lineFen: 1 })).toBe(true)
    expect(lineApplies(cats, { productId: 'p1', categoryId: 'c_snack', lineFen: 1 })).toBe(false)
    expect(lineApplies({ scope: 'products', scopeIds: ['p1'] }, { productId: 'p1', categoryId: null, lineFen: 1 })).toBe(true)
    expect(lineApplies({ scope: 'all', scopeIds: [] }, { productId: 'p1', categoryId: null, lineFen: 1, special: true })).toBe(false)
    expect(lineApplies({ scope: 'all', scopeIds: [] }, { productId: 'p1', categoryId: null, lineFen: 1, special: true }, true)).toBe(true)
  })

  test('the reason an unusable coupon shows', () => {
    const w = { validFrom: new Date('2026-01-01'), validTo: new Date('2026-12-31') }
    const now = new Date('2026-06-01')
    expect(unusableReason(fixed(1000, 9900), 8700, w, now)).toEqual({ code: 'BELOW_THRESHOLD', shortFen: 1200 })
    expect(unusableReason(fixed(1000), 0, w, now)).toEqual({ code: 'NOT_APPLICABLE' })
    expect(unusableReason(fixed(1000), 100, w, new Date('2025-12-01'))).toEqual({ code: 'NOT_STARTED' })
    expect(unusableReason(fixed(1000), 100, w, new Date('2027-01-02'))).toEqual({ code: 'EXPIRED' })
    expect(unusableReason(fixed(1000, 9900), 9900, w, now)).toBeNull()
  })

  test('an exact split', () => {
    expect(splitDiscount([100, 200, 300], 60)).toEqual([10, 20, 30])
    expect(splitDiscount([1, 1, 1], 2)).toEqual([1, 1, 0])
  })
})
