/** How coupons read on every card: one way to write a discount rate, and a progress that counts every claim. */
import { claimedPercent, couponValueText, discountRateText } from '../../src/lib/coupon-text'

test('a discount rate is the figure then 折, no space, one decimal only when needed', () => {
  expect(discountRateText(15)).toBe('8.5折')
  expect(discountRateText(20)).toBe('8折')
  expect(discountRateText(5)).toBe('9.5折')
  expect(discountRateText(1)).toBe('9.9折')
  expect(discountRateText(99)).toBe('0.1折')
  expect(couponValueText({ kind: 'percent', valueFen: null, percentOff: 15 })).toBe('8.5折')
  expect(couponValueText({ kind: 'fixed', valueFen: 1000, percentOff: null })).toBe('¥10')
  expect(couponValueText({ kind: 'fixed', valueFen: 550, percentOff: null })).toBe('¥5.50')
})

test('已抢 shows any claim (at least 1%) and 100% only when none is left', () => {
  expect(claimedPercent(0, 1000)).toBe(0)
  expect(claimedPercent(1, 1000)).toBe(1)
  expect(claimedPercent(12, 500)).toBe(2)
  expect(claimedPercent(999, 1000)).toBe(99)
  expect(claimedPercent(1000, 1000)).toBe(100)
  expect(claimedPercent(0, 0)).toBe(100)
})
