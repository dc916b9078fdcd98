/**
 * Coupon maths, in integer fen. The discount never makes the payable less than 1 fen, never exceeds
 * what the coupon applies to, and rounds in the shopper's favour; its split across lines sums to
 * the discount exactly, so a partial refund is exact.
 */

import type { CouponKind, CouponScope, RoomStatus } from '../../contract'

export interface CouponTerms {
  kind: CouponKind
  valueFen: number | null
  percentOff: number | null
  maxOffFen: number | null
  thresholdFen: number
  scope: CouponScope
  scopeIds: string[]
}

export interface PricedLineForCoupon {
  productId: string
  categoryId: string | null
  lineFen: number
  /** Flash-sale or deal lines take no coupon unless the coupon allows it. */
  special?: boolean
}

/** What an offered coupon needs to say its state: the template, the caller's claims, a room-only coupon's room. */
export interface OfferFacts {
  mine: number
  perUserLimit: number
  claimed: number
  stock: number
  validFrom: Date
  validTo: Date
  roomId: string | null
  roomStatus: RoomStatus | null
}

/**
 * What a coupon's button says to this caller, the same in the claim center, on a product and in a
 * room: 已领取 once they reached their limit (whatever happened since); 已结束 when the claim window
 * is over or, for a room-only coupon, its room ended; 已抢光 when none is left; 未开始 before the
 * window opens or while a room-only coupon's room has not started; else 立即领取. A shop coupon dropped
 * in rooms reads the same as anywhere: the rooms' statuses don't change it.
 */
export function offerState(c: OfferFacts, now: Date): 'claimable' | 'claimed' | 'sold_out' | 'not_started' | 'ended' {
  if (c.mine >= c.perUserLimit) return 'claimed'
  if (now > c.validTo || (c.roomId !== null && c.roomStatus === 'ended')) return 'ended'
  if (c.claimed >= c.stock) return 'sold_out'
  if (now < c.validFrom || (c.roomId !== null && c.roomStatus !== 'live')) return 'not_started'
  return 'claimable'
}

export function lineApplies(terms: Pick<CouponTerms, 'scope' | 'scopeIds'>, line: PricedLineForCoupon, allowOnSpecial = false): boolean {
  if (line.special && !allowOnSpecial) return false
  if (terms.scope === 'all') return true
  if (terms.scope === 'products') return terms.scopeIds.includes(line.productId)
  return line.categoryId !== null && terms.scopeIds.includes(line.categoryId)
}

/** The discount on `applicableFen` of goods (orderFen in all), before the 1-fen floor of the order. */
export function rawDiscount(terms: CouponTerms, applicableFen: number): number {
  if (applicableFen <= 0 || applicableFen < terms.thresholdFen) return 0
  let off: number
  if (terms.kind === 'fixed') off = terms.valueFen ?? 0
  else {
    // Percent of the goods, rounded up: a fraction of a fen goes to the shopper.
    off = Math.ceil((applicableFen * (terms.percentOff ?? 0)) / 100)
    if (terms.maxOffFen !== null) off = Math.min(off, terms.maxOffFen)
  }
  return Math.max(0, Math.min(off, applicableFen))
}

/** The discount the order gets: at most the goods it applies to, leaving at least 1 fen to pay. */
export function orderDiscount(terms: CouponTerms, applicableFen: number, orderFen: number): number {
  return Math.max(0, Math.min(rawDiscount(terms, applicableFen), orderFen - 1))
}

/**
 * Splits `discount` over the lines in proportion to their amounts (largest remainder), so the
 * parts sum to the discount exactly and no line's part exceeds its amount.
 */
export function splitDiscount(lineFens: number[], discount: number): number[] {
  const total = lineFens.reduce((a, b) => a + b, 0)
  if (discount <= 0 || total <= 0) return lineFens.map(() => 0)
  const exact = lineFens.map((f) => (f * discount) / total)
  const parts = exact.map(Math.floor)
  let left = discount - parts.reduce((a, b) => a + b, 0)
  const order = exact.map((x, i) => ({ i, rem: x - Math.floor(x) })).sort((a, b) => b.rem - a.rem || a.i - b.i)
  for (const { i } of order) {
    if (left === 0) break
    if (parts[i]! < lineFens[i]!) {
      parts[i]!++
      left--
    }
  }
  return parts
}

export type UnusableReason =
  { code: 'NOT_STARTED' } | { code: 'EXPIRED' } | { code: 'NOT_APPLICABLE' } | { code: 'BELOW_THRESHOLD'; shortFen: number }

/** Why a held coupon can't pay for this order (the client words it: 差¥12.00可用 …); null when it can. */
export function unusableReason(
  terms: CouponTerms,
  applicableFen: number,
  window: { validFrom: Date; validTo: Date },
  now: Date,
): UnusableReason | null {
  if (now < window.validFrom) return { code: 'NOT_STARTED' }
  if (now > window.validTo) return { code: 'EXPIRED' }
  if (applicableFen === 0) return { code: 'NOT_APPLICABLE' }
  if (applicableFen < terms.thresholdFen) return { code: 'BELOW_THRESHOLD', shortFen: terms.thresholdFen - applicableFen }
  return null
}
