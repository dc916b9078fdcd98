/**
 * A coupon's rule as the shopper reads it, for the editor's live preview (the server sends `ruleText`
 * for saved coupons). The same words as cloud/core/coupon/coupon.rules ruleText and the mini-program's
 * couponShortText; tests/unit/coupon-rule-text.test.ts holds the three equal.
 */

export interface RuleTerms {
  kind: 'fixed' | 'percent'
  valueFen: number | null
  percentOff: number | null
  maxOffFen: number | null
  thresholdFen: number
}

/** 99 for 9900, 9.9 for 990, 0.05 for 5. */
function shortYuan(fen: number): string {
  const cents = fen % 100
  const whole = String(Math.floor(fen / 100))
  if (cents === 0) return whole
  return cents % 10 === 0 ? `${whole}.${cents / 10}` : `${whole}.${String(cents).padStart(2, '0')}`
}

/** 15% off is 8.5折, 20% off 8折. */
export function discountRate(percentOff: number): string {
  const tenths = 100 - percentOff
  return `${tenths % 10 === 0 ? tenths / 10 : (tenths / 10).toFixed(1)}折`
}

/** 满99减10, 无门槛减5, 8.5折, 满99享8.5折 最多减30. */
export function ruleText(c: RuleTerms): string {
  if (c.kind === 'fixed') {
    const off = shortYuan(c.valueFen ?? 0)
    return c.thresholdFen > 0 ? `满${shortYuan(c.thresholdFen)}减${off}` : `无门槛减${off}`
  }
  const rate = discountRate(c.percentOff ?? 0)
  const head = c.thresholdFen > 0 ? `满${shortYuan(c.thresholdFen)}享${rate}` : rate
  return c.maxOffFen ? `${head} 最多减${shortYuan(c.maxOffFen)}` : head
}

/** The big figure on the card: ¥10, ¥5.5, 8.5折. */
export function valueText(c: RuleTerms): string {
  return c.kind === 'fixed' ? `¥${shortYuan(c.valueFen ?? 0)}` : discountRate(c.percentOff ?? 0)
}
