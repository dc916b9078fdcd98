/**
 * A coupon's rule is worded once for the shopper: the server's ruleText (the desk, room reports, the
 * customer page), the mini-program's couponShortText (the live room's pop-up) and the console's
 * preview say the same line for every coupon.
 */
import { ruleText } from '../../cloud/core/coupon/coupon.rules'
import { ruleText as previewText } from '../../admin/src/lib/coupon-text'
import { couponShortText } from '../../src/lib/coupon-text'

test('the examples the shop writes', () => {
  const t = { valueFen: null, percentOff: null, maxOffFen: null, thresholdFen: 0 }
  expect(ruleText({ ...t, kind: 'fixed', valueFen: 1000, thresholdFen: 9900 })).toBe('满99减10')
  expect(ruleText({ ...t, kind: 'fixed', valueFen: 500 })).toBe('无门槛减5')
  expect(ruleText({ ...t, kind: 'fixed', valueFen: 550, thresholdFen: 990 })).toBe('满9.9减5.5')
  expect(ruleText({ ...t, kind: 'fixed', valueFen: 5 })).toBe('无门槛减0.05')
  expect(ruleText({ ...t, kind: 'percent', percentOff: 15, maxOffFen: 3000 })).toBe('8.5折 最多减30')
  expect(ruleText({ ...t, kind: 'percent', percentOff: 15 })).toBe('8.5折')
  expect(ruleText({ ...t, kind: 'percent', percentOff: 20, thresholdFen: 9900, maxOffFen: 2050 })).toBe('满99享8折 最多减20.5')
})

test('server, mini-program and console agree over many coupons', () => {
  const fens = [1, 5, 10, 50, 99, 100, 101, 150, 500, 550, 990, 999, 1000, 1234, 5000, 9900, 10_000, 123_456, 99_999_999]
  const percents = [1, 5, 10, 12, 15, 20, 25, 33, 50, 75, 88, 99]
  let n = 0
  for (const thresholdFen of [0, ...fens]) {
    for (const valueFen of fens) {
      const c = { kind: 'fixed' as const, valueFen, percentOff: null, maxOffFen: null, thresholdFen }
      expect([ruleText(c), previewText(c)]).toEqual([couponShortText(c), couponShortText(c)])
      n++
    }
    for (const percentOff of percents) {
      for (const maxOffFen of [null, ...fens]) {
        const c = { kind: 'percent' as const, valueFen: null, percentOff, maxOffFen, thresholdFen }
        expect([ruleText(c), previewText(c)]).toEqual([couponShortText(c), couponShortText(c)])
        n++
      }
    }
  }
  expect(n).toBeGreaterThan(4000)
})
