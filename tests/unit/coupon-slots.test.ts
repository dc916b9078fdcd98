/** Which coupons keep their stock in slots (coupon.rules claimSlots), and the host's settings for it. */
import { configFromEnv } from '../../cloud/functions/config'
import { claimSlots, DEFAULT_SLOTS } from '../../cloud/core/coupon/coupon.rules'

test('a coupon of 2,000 and more gets 8 slots by default; below it, or with slots off, its own row', () => {
  expect(claimSlots(1999)).toBe(1)
  expect(claimSlots(2000)).toBe(8)
  expect(claimSlots(1_000_000)).toBe(8)
  expect(claimSlots(0)).toBe(1)
  expect(claimSlots(5000, { minStock: 2000, count: 1 })).toBe(1)
})

test('never more slots than units, so no slot starts empty; never more than 64', () => {
  expect(claimSlots(3, { minStock: 1, count: 8 })).toBe(3)
  expect(claimSlots(1, { minStock: 0, count: 8 })).toBe(1)
  expect(claimSlots(0, { minStock: 0, count: 8 })).toBe(1)
  expect(claimSlots(10_000, { minStock: 1, count: 100 })).toBe(64)
})

test('COUPON_SLOT_MIN_STOCK and COUPON_SLOTS from the environment; a typo stops the start', () => {
  expect(configFromEnv({}, { cloud: false }).couponSlots).toEqual(DEFAULT_SLOTS)
  expect(configFromEnv({ COUPON_SLOT_MIN_STOCK: '500', COUPON_SLOTS: '16' }, { cloud: true }).couponSlots).toEqual({
    minStock: 500,
    count: 16,
  })
  expect(() => configFromEnv({ COUPON_SLOTS: '0' }, { cloud: false })).toThrow(/COUPON_SLOTS/)
  expect(() => configFromEnv({ COUPON_SLOT_MIN_STOCK: 'lots' }, { cloud: false })).toThrow(/COUPON_SLOT_MIN_STOCK/)
})
