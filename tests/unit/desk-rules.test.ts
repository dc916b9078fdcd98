/** The order desk's and 概览's rules that need no database: money and times in the export, ranges, sources, the search. */
import { rangeOf, sourceOf, shopDayStart } from '../../cloud/core/admin/dashboard.service'
import { yuan } from '../../cloud/core/money'
import { deskFilter, shopTime } from '../../cloud/core/order/desk.service'
import { configFromEnv } from '../../cloud/functions/config'

test.each([
  [0, '0.00'],
  [5, '0.05'],
  [99, '0.99'],
  [100, '1.00'],
  [3998, '39.98'],
  [100_000_000, '1000000.00'],
  [-250, '-2.50'],
])('%i fen exports as %s yuan, with no floating point', (fen, text) => expect(yuan(fen)).toBe(text))

test("export times are the shop's (UTC+8)", () => {
  expect(shopTime('2026-12-01T16:30:05.000Z')).toBe('2026-12-02 00:30:05')
  expect(shopTime(null)).toBe('')
})

describe('概览 ranges are whole days by the shop clock', () => {
  // 2026-12-01 01:30 in Shanghai is still 11-30 in UTC.
  const now = new Date('2026-11-30T17:30:00Z')
  test('today: from the shop midnight, one point per hour so far', () => {
    const r = rangeOf('today', now)
    expect(r.from.toISOString()).toBe('2026-11-30T16:00:00.000Z')
    expect(r.to.toISOString()).toBe('2026-12-01T16:00:00.000Z')
    expect(r.labels).toEqual(['00:00', '01:00'])
    expect(r.bucketMs).toBe(3_600_000)
  })
  test('7d and 30d end with today', () => {
    const week = rangeOf('7d', now)
    expect(week.from.toISOString()).toBe('2026-11-24T16:00:00.000Z')
    expect(week.labels).toEqual(['2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01'])
    const month = rangeOf('30d', now)
    expect(month.labels).toHaveLength(30)
    expect(month.labels.at(-1)).toBe('2026-12-01')
    expect(month.labels[0]).toBe('2026-11-02')
  })
  test('a shop midnight is its own day start', () => {
    expect(shopDayStart(new Date('2026-11-30T16:00:00Z')).toISOString()).toBe('2026-11-30T16:00:00.000Z')
    expect(shopDayStart(new Date('2026-11-30T15:59:59.999Z')).toISOString()).toBe('2026-11-29T16:00:00.000Z')
  })
})

test('sources: the deal first, then a live room, then a sharer, else the mall', () => {
  expect(sourceOf({ deal: true, live: true, sharer: true })).toBe('deal')
  expect(sourceOf({ deal: false, live: true, sharer: true })).toBe('live')
  expect(sourceOf({ deal: false, live: false, sharer: true })).toBe('sharer')
  expect(sourceOf({ deal: false, live: false, sharer: false })).toBe('mall')
})

test('the desk search: digits are also an order number prefix and a phone; any text a nickname', () => {
  expect(deskFilter({ q: ' 13811112222 ' }).search).toEqual({ orderNoPrefix: '13811112222', phone: '13811112222', nickname: '13811112222' })
  expect(deskFilter({ q: '老王' }).search).toEqual({ orderNoPrefix: null, phone: null, nickname: '老王' })
  expect(deskFilter({ q: '' }).search).toBeNull()
  expect(deskFilter({ status: 'all' }).statuses).toBeNull()
  expect(deskFilter({ status: 'refund_requested' }).statuses).toEqual(['refund_requested'])
})

test('AUTO_COMPLETE_DAYS: 10 by default, above 0, a typo stops the start', () => {
  expect(configFromEnv({}, { cloud: false }).autoCompleteDays).toBe(10)
  expect(configFromEnv({ AUTO_COMPLETE_DAYS: '7' }, { cloud: true }).autoCompleteDays).toBe(7)
  for (const v of ['0', '-1', 'ten']) {
    expect(() => configFromEnv({ AUTO_COMPLETE_DAYS: v }, { cloud: false })).toThrow(/^AUTO_COMPLETE_DAYS must be a number above 0/)
  }
})
