/**
 * Rules of the console's live shows: presence (who is watching now), the peak's sampling, and the
 * coupon rule as the report writes it.
 */
import type { CouponKind } from '../../contract'

/** Watching = seen (a live.enter or live.sync) within the last 60 s. */
export const WATCHING_WINDOW_MS = 60_000
/** A viewer's last-seen is written at most once per 30 s (viewers poll every few seconds). */
export const SEEN_EVERY_MS = 30_000
/** A room's peak is sampled at most once per 15 s, by whichever poll comes first after that. */
export const PEAK_SAMPLE_EVERY_MS = 15_000

const yuanText = (fen: number) =>
  (fen / 100)
    .toFixed(2)
    .replace(/\.00$/, '')
    .replace(/(\.\d)0$/, '$1')

const rateText = (percentOff: number) => {
  const tenths = 100 - percentOff
  return `${tenths % 10 === 0 ? tenths / 10 : (tenths / 10).toFixed(1)}折`
}

/**
 * The rule as the shopper reads it in a room (src/lib/coupon-text couponShortText): 满99减10,
 * 无门槛减5, 8.5折, 满99享8.5折 最多减30. A local copy until the coupon desk's own ruleText lands.
 */
export function ruleText(c: {
  kind: CouponKind
  valueFen: number | null
  percentOff: number | null
  maxOffFen: number | null
  thresholdFen: number
}): string {
  if (c.kind === 'fixed') {
    const off = yuanText(c.valueFen ?? 0)
    return c.thresholdFen > 0 ? `满${yuanText(c.thresholdFen)}减${off}` : `无门槛减${off}`
  }
  const rate = rateText(c.percentOff ?? 0)
  const head = c.thresholdFen > 0 ? `满${yuanText(c.thresholdFen)}享${rate}` : rate
  return c.maxOffFen ? `${head} 最多减${yuanText(c.maxOffFen)}` : head
}
