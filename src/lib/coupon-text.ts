import type { CenterCoupon, CouponTermsView, UnusableReason } from '../../cloud/contract'
import { formatFen, yuan } from './money'

/**
 * A discount rate as the shop writes it everywhere: 15% off is 8.5折, 20% off 8折, 5% off 9.5折
 * (the figure, then 折, no space; never "85 折").
 */
export function discountRateText(percentOff: number): string {
  const tenths = 100 - percentOff
  return `${tenths % 10 === 0 ? tenths / 10 : (tenths / 10).toFixed(1)}折`
}

/** The big figure on a coupon: ¥10 off, or 8.5折 for 15% off. */
export function couponValueText(c: Pick<CouponTermsView, 'kind' | 'valueFen' | 'percentOff'>): string {
  if (c.kind === 'fixed') return `¥${yuan(c.valueFen ?? 0).replace(/\.00$/, '')}`
  return discountRateText(c.percentOff ?? 0)
}

/**
 * 已抢 x%: any claim shows (at least 1%, so the shopper's own first claim of a large stock moves
 * it), and 100% only when none is left.
 */
export function claimedPercent(claimed: number, stock: number): number {
  if (stock <= 0 || claimed >= stock) return 100
  if (claimed <= 0) return 0
  return Math.min(99, Math.max(1, Math.floor((claimed / stock) * 100)))
}

/** 满¥99.00可用, or 无门槛; a percent coupon's cap too. */
export function couponRuleText(c: Pick<CouponTermsView, 'kind' | 'thresholdFen' | 'maxOffFen' | 'scope'>): string {
  const parts = [c.thresholdFen > 0 ? `满${formatFen(c.thresholdFen)}可用` : '无门槛']
  if (c.kind === 'percent' && c.maxOffFen) parts.push(`最多减${formatFen(c.maxOffFen)}`)
  if (c.scope !== 'all') parts.push('限指定商品')
  return parts.join('，')
}

/** Why a held coupon can't be used on this order, as checkout shows it. */
export function unusableText(r: UnusableReason): string {
  switch (r.code) {
    case 'BELOW_THRESHOLD':
      return `差${formatFen(r.shortFen)}可用`
    case 'NOT_APPLICABLE':
      return '不适用于此商品'
    case 'NOT_STARTED':
      return '未到使用时间'
    case 'EXPIRED':
      return '已过期'
  }
}

export function dateText(iso: string): string {
  const d = new Date(iso)
  return `${d.getFullYear()}.${String(d.getMonth() + 1).padStart(2, '0')}.${String(d.getDate()).padStart(2, '0')}`
}

type ClaimState = CenterCoupon['state']

const STATE_TEXT: Record<ClaimState, string> = {
  claimable: '立即领取',
  claimed: '已领取',
  sold_out: '已抢光',
  not_started: '未开始',
  ended: '已结束',
  paused: '暂停发放',
}

/**
 * What a claimable coupon's button says for its state, for every place that offers one: the product
 * page's chip has room for 领取 only. A live room says what the server's state says (立即领取, 已领取,
 * 已抢光, 未开始, and 已结束 for a room-only coupon after its room ended), never a promise of its own.
 */
export function couponStateText(state: ClaimState, place: 'center' | 'product' | 'room' = 'center'): string {
  if (place === 'product' && state === 'claimable') return '领取'
  return STATE_TEXT[state]
}

/** A yuan figure as a coupon's short line writes it: 99 for 9900, 9.9 for 990, 0.05 for 5. */
function shortYuan(fen: number): string {
  return yuan(fen)
    .replace(/\.00$/, '')
    .replace(/(\.\d)0$/, '$1')
}

/**
 * A coupon in one short line, as a live room's pop-up shows it: 满99减10, 无门槛减5, 8.5折,
 * 满99享8.5折 最多减30.
 */
export function couponShortText(c: Pick<CouponTermsView, 'kind' | 'valueFen' | 'percentOff' | 'thresholdFen' | 'maxOffFen'>): string {
  if (c.kind === 'fixed') {
    const off = shortYuan(c.valueFen ?? 0)
    return c.thresholdFen > 0 ? `满${shortYuan(c.thresholdFen)}减${off}` : `无门槛减${off}`
  }
  const rate = discountRateText(c.percentOff ?? 0)
  const head = c.thresholdFen > 0 ? `满${shortYuan(c.thresholdFen)}享${rate}` : rate
  return c.maxOffFen ? `${head} 最多减${shortYuan(c.maxOffFen)}` : head
}

/** How long a claimable coupon lasts, as the claim center writes it. */
export function couponValidityText(c: Pick<CenterCoupon, 'validDays' | 'validFrom' | 'validTo'>): string {
  return c.validDays ? `领取后 ${c.validDays} 天内有效` : `${dateText(c.validFrom)} - ${dateText(c.validTo)}`
}
