/**
 * Coupon maths, in integer fen. The discount never makes the payable less than 1 fen, never exceeds
 * what the coupon applies to, and rounds in the shopper's favour; its split across lines sums to
 * the discount exactly, so a partial refund is exact.
 */

import type { CouponKind, CouponScope, CouponStatus, RoomStatus, Warning } from '../../contract'

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
  /** The merchant's status (admin.setCouponStatus); `active` when absent. */
  status?: CouponStatus
}

/** Which coupons keep their stock in slots, and how many: from COUPON_SLOT_MIN_STOCK and COUPON_SLOTS. */
export interface SlotSettings {
  /** A coupon created with at least this stock gets `count` slots; below it, its own row (one slot). */
  minStock: number
  /** Slots of such a coupon; 1 turns slots off. */
  count: number
}

/** 2,000 and more: a coupon thousands race for (a 10,000-viewer room's drop); smaller ones sell out in moments on one row. */
export const DEFAULT_SLOTS: SlotSettings = { minStock: 2000, count: 8 }

/**
 * How many rows (slots) a new coupon keeps its stock in, decided once at its creation: racing
 * claimants then spread over as many row locks. Never more slots than units, so no slot starts
 * empty. A stock edit later spreads the new stock over the same slots.
 */
export function claimSlots(stock: number, settings: SlotSettings = DEFAULT_SLOTS): number {
  if (settings.count <= 1 || stock < settings.minStock) return 1
  return Math.max(1, Math.min(settings.count, stock, 64))
}

/**
 * A coupon's status as the desk and the shoppers read it: the merchant's, except that a coupon past
 * its claim window reads 已结束 (`ended`) whatever was stored.
 */
export function couponStatus(c: { status?: CouponStatus; validTo: Date }, now: Date): CouponStatus {
  return c.status === 'ended' || now > c.validTo ? 'ended' : (c.status ?? 'active')
}

/**
 * What a coupon's button says to this caller, the same in the claim center, on a product and in a
 * room: 已领取 once they reached their limit (whatever happened since); 已结束 when the claim window
 * is over, the shop ended it or, for a room-only coupon, its room ended; 暂停发放 while the shop
 * paused it; 已抢光 when none is left; 未开始 before the window opens or while a room-only coupon's
 * room has not started; else 立即领取. A shop coupon dropped in rooms reads the same as anywhere: the
 * rooms' statuses don't change it.
 */
export function offerState(c: OfferFacts, now: Date): 'claimable' | 'claimed' | 'sold_out' | 'not_started' | 'ended' | 'paused' {
  if (c.mine >= c.perUserLimit) return 'claimed'
  const status = couponStatus(c, now)
  if (status === 'ended' || (c.roomId !== null && c.roomStatus === 'ended')) return 'ended'
  if (status === 'paused') return 'paused'
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

/** A yuan figure as a coupon's short line writes it: 99 for 9900, 9.9 for 990, 0.05 for 5. */
function shortYuan(fen: number): string {
  const cents = fen % 100
  const whole = String(Math.floor(fen / 100))
  if (cents === 0) return whole
  return cents % 10 === 0 ? `${whole}.${cents / 10}` : `${whole}.${String(cents).padStart(2, '0')}`
}

/** A discount rate as the shop writes it: 15% off is 8.5折, 20% off 8折 (never "85 折"). */
export function discountRate(percentOff: number): string {
  const tenths = 100 - percentOff
  return `${tenths % 10 === 0 ? tenths / 10 : (tenths / 10).toFixed(1)}折`
}

/**
 * A coupon's rule as the shopper reads it, in one short line: 满99减10, 无门槛减5, 8.5折,
 * 满99享8.5折 最多减30. The same words as the mini-program's couponShortText (src/lib/coupon-text.ts)
 * and the console's preview (admin/src/lib/coupon-text.ts); tests/unit/coupon-rule-text.test.ts holds
 * the three equal.
 */
export function ruleText(c: Pick<CouponTerms, 'kind' | 'valueFen' | 'percentOff' | 'thresholdFen' | 'maxOffFen'>): string {
  if (c.kind === 'fixed') {
    const off = shortYuan(c.valueFen ?? 0)
    return c.thresholdFen > 0 ? `满${shortYuan(c.thresholdFen)}减${off}` : `无门槛减${off}`
  }
  const rate = discountRate(c.percentOff ?? 0)
  const head = c.thresholdFen > 0 ? `满${shortYuan(c.thresholdFen)}享${rate}` : rate
  return c.maxOffFen ? `${head} 最多减${shortYuan(c.maxOffFen)}` : head
}

/** Beyond this a no-threshold coupon (无门槛) is worth asking about: ¥50. */
export const LARGE_NO_THRESHOLD_FEN = 5_000
/** A percent coupon taking off more than this, in percent (below 5折), is worth asking about. */
export const DEEP_PERCENT_OFF = 50
/** A claim window ending sooner than this after now is worth asking about: half an hour. */
export const SHORT_WINDOW_MS = 1_800_000
/** More than this many per customer is worth asking about. */
export const MANY_PER_USER = 5

/** The terms a new coupon's warnings read (AdminCreateCouponInput's fields). */
export interface NewCouponFacts {
  kind: CouponKind
  valueFen?: number
  percentOff?: number
  maxOffFen?: number
  thresholdFen: number
  stock: number
  perUserLimit: number
  validTo?: string
  validDays?: number
  roomId?: string
}

/**
 * What a merchant probably wants to be asked about before a new coupon goes out (CONFIRM_REQUIRED):
 * legal, but often a slip of the keyboard. Each has a stable code the console sends back in `confirm`.
 * Not asked: a stock of 0 (a coupon kept for grants and prizes only) and 满10减10 (a value up to the
 * threshold), both used on purpose.
 * A room-only coupon (直播专享) is asked nothing: it is made in the live console of the mini-program,
 * where the anchor's limits (auth/roles.ts) bound it instead.
 */
export function createWarnings(c: NewCouponFacts, now: Date): Warning[] {
  const w: Warning[] = []
  if (c.roomId !== undefined) return w
  if (c.kind === 'percent' && c.maxOffFen === undefined)
    w.push({ code: 'PERCENT_NO_CAP', message: '折扣券没有设置最多减多少：大额订单的优惠会没有上限' })
  if (c.kind === 'percent' && (c.percentOff ?? 0) > DEEP_PERCENT_OFF)
    w.push({ code: 'DEEP_DISCOUNT', message: `折扣低于5折（${discountRate(c.percentOff ?? 0)}），请确认不是输错` })
  if (c.kind === 'fixed' && c.thresholdFen === 0 && (c.valueFen ?? 0) > LARGE_NO_THRESHOLD_FEN)
    w.push({ code: 'LARGE_NO_THRESHOLD', message: `无门槛券减 ${shortYuan(c.valueFen ?? 0)} 元，任何订单都能用，请确认金额` })
  if (c.validTo !== undefined && new Date(c.validTo).getTime() - now.getTime() < SHORT_WINDOW_MS)
    w.push({
      code: 'ENDS_SOON',
      message: new Date(c.validTo) <= now ? '领取时间已经结束：顾客领不到这张券' : '领取时间不到半小时就结束，请确认结束时间',
    })
  if (c.perUserLimit > MANY_PER_USER) w.push({ code: 'MANY_PER_USER', message: `每人可领 ${c.perUserLimit} 张，请确认限领数量` })
  return w
}

/** What an edit of a coupon probably wants to be asked about (admin.updateCoupon). */
export function updateWarnings(
  before: { stock: number; perUserLimit: number; validTo: Date },
  edit: { stock?: number; perUserLimit?: number; validTo?: string },
  now: Date,
): Warning[] {
  const w: Warning[] = []
  if (edit.validTo !== undefined && new Date(edit.validTo).getTime() - now.getTime() < SHORT_WINDOW_MS)
    w.push({ code: 'ENDS_SOON', message: '领取时间不到半小时就结束，请确认结束时间' })
  if (edit.stock !== undefined && edit.stock > before.stock * 10 && edit.stock - before.stock >= 1000)
    w.push({ code: 'STOCK_JUMP', message: `库存从 ${before.stock} 改为 ${edit.stock}，请确认数量` })
  if (edit.perUserLimit !== undefined && edit.perUserLimit > MANY_PER_USER && edit.perUserLimit > before.perUserLimit)
    w.push({ code: 'MANY_PER_USER', message: `每人可领 ${edit.perUserLimit} 张，请确认限领数量` })
  return w
}
