import { couponShortText, couponStateText, couponValidityText } from '../../src/lib/coupon-text'

const terms = { valueFen: null, percentOff: null, thresholdFen: 0, maxOffFen: null }

describe('a live room coupon in one short line', () => {
  it('writes 满减 with whole yuan and keeps the fen that matter', () => {
    expect(couponShortText({ ...terms, kind: 'fixed', valueFen: 1000, thresholdFen: 9900 })).toBe('满99减10')
    expect(couponShortText({ ...terms, kind: 'fixed', valueFen: 990, thresholdFen: 0 })).toBe('无门槛减9.9')
    expect(couponShortText({ ...terms, kind: 'fixed', valueFen: 5, thresholdFen: 1050 })).toBe('满10.5减0.05')
  })
  it('writes a rate as 折 with its cap and threshold', () => {
    expect(couponShortText({ ...terms, kind: 'percent', percentOff: 15, maxOffFen: 3000 })).toBe('8.5折 最多减30')
    expect(couponShortText({ ...terms, kind: 'percent', percentOff: 20 })).toBe('8折')
    expect(couponShortText({ ...terms, kind: 'percent', percentOff: 20, thresholdFen: 9900 })).toBe('满99享8折')
  })
  it('says 已结束 for a room-only coupon after its room ended, and the validity as the center does', () => {
    expect(couponStateText('ended', 'room')).toBe('已结束')
    expect(couponValidityText({ validDays: 7, validFrom: '2026-12-01T00:00:00Z', validTo: '2026-12-31T00:00:00Z' })).toBe(
      '领取后 7 天内有效',
    )
    expect(couponValidityText({ validDays: null, validFrom: '2026-12-01T04:00:00Z', validTo: '2026-12-31T04:00:00Z' })).toBe(
      '2026.12.01 - 2026.12.31',
    )
  })
})
