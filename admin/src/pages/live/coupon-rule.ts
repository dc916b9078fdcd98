/**
 * A coupon's rule in one short line as the shopper reads it in a room: 满99减10, 无门槛减5, 8.5折,
 * 满99享8.5折 最多减30 (src/lib/coupon-text couponShortText; the console may not import src/).
 */
import type { CouponTermsView } from '../../../../cloud/contract'

const short = (fen: number) =>
  (fen / 100)
    .toFixed(2)
    .replace(/\.00$/, '')
    .replace(/(\.\d)0$/, '$1')

export function couponRule(c: Pick<CouponTermsView, 'kind' | 'valueFen' | 'percentOff' | 'thresholdFen' | 'maxOffFen'>): string {
  if (c.kind === 'fixed') {
    const off = short(c.valueFen ?? 0)
    return c.thresholdFen > 0 ? `满${short(c.thresholdFen)}减${off}` : `无门槛减${off}`
  }
  const tenths = 100 - (c.percentOff ?? 0)
  const rate = `${tenths % 10 === 0 ? tenths / 10 : (tenths / 10).toFixed(1)}折`
  const head = c.thresholdFen > 0 ? `满${short(c.thresholdFen)}享${rate}` : rate
  return c.maxOffFen ? `${head} 最多减${short(c.maxOffFen)}` : head
}
