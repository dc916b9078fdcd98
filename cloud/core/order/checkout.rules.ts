/**
 * Checkout's price, in the rules' stated order (docs/rules.md "Checkout: member price, then coupon,
 * then points"), pure and in integer fen: the one function `order.preview` and `order.create`
 * price an order with.
 *   1. Member price on regular lines (buyer a member, SKU with one); special lines keep their price.
 *      A member is also priced at regular prices, and pays the lower of the two (see priceCheckout).
 *   2. The coupon on the result, by its own rules (scope and threshold on member-priced goods).
 *   3. Points on what is left of the regular lines: whole yuan, at most `pointsMaxPercent` of it,
 *      and never the last fen of the order.
 * Each line carries its shares of the coupon and the points (largest remainder: they sum exactly).
 */
import { lineApplies, orderDiscount, splitDiscount, type CouponTerms } from '../coupon/coupon.rules'
import { POINTS_STEP } from '../member/member.rules'

export interface CheckoutLine {
  productId: string
  categoryId: string | null
  /** The line's price before member price: the SKU's, or the sale's / play's price on a special line. */
  unitPriceFen: number
  /** The SKU's member price (null: none). Ignored on special lines. */
  memberPriceFen: number | null
  qty: number
  /** A flash-sale or play line: keeps its price; coupons only when allowed; no points. */
  special: boolean
}

export interface CouponAtCheckout extends CouponTerms {
  allowOnSpecial: boolean
}

export interface CheckoutAsk {
  isMember: boolean
  /** The coupon's terms, already checked usable on these lines (its window, its holder). */
  coupon: CouponAtCheckout | null
  /** Points asked (a multiple of 100; the caller refuses more than `pointsMaxUsable`). */
  pointsUsed: number
  pointsMaxPercent: number
}

export interface CheckoutLinePrice {
  regularPriceFen: number
  /** Charged per unit: the member price where it applied. */
  unitPriceFen: number
  lineFen: number
  couponFen: number
  pointsFen: number
  /** couponFen + pointsFen. */
  discountFen: number
}

export interface CheckoutPrice {
  lines: CheckoutLinePrice[]
  /** Lines at the prices charged (member prices where they applied). */
  goodsFen: number
  /** What member prices saved against the regular prices. */
  memberSavingFen: number
  /** The goods the coupon applies to (member-priced), for its threshold. */
  couponApplicableFen: number
  couponFen: number
  /** The most points this order can take (a multiple of 100), before the balance. */
  pointsCap: number
  /** Points used (what was asked, capped) and what they took off (1 point = 1 fen). */
  pointsUsed: number
  pointsFen: number
  discountFen: number
  payableFen: number
}

/** The unit a line is charged: the member price on a member's regular line, else its own. */
export function chargedUnit(line: CheckoutLine, isMember: boolean): number {
  return isMember && !line.special && line.memberPriceFen !== null && line.memberPriceFen < line.unitPriceFen
    ? line.memberPriceFen
    : line.unitPriceFen
}

/** The coupon's part of lines at `lineFen` each: what it applies to, its discount (never the order's last fen), split per line. */
export function couponPart(
  coupon: CouponAtCheckout,
  lines: ReadonlyArray<{ productId: string; categoryId: string | null; lineFen: number; special: boolean }>,
): { applicableFen: number; discountFen: number; perLine: number[] } {
  const applicable = lines.map((l) => (lineApplies(coupon, l, coupon.allowOnSpecial) ? l.lineFen : 0))
  const applicableFen = applicable.reduce((a, b) => a + b, 0)
  const goods = lines.reduce((a, l) => a + l.lineFen, 0)
  const discountFen = orderDiscount(coupon, applicableFen, goods)
  return { applicableFen, discountFen, perLine: splitDiscount(applicable, discountFen) }
}

/**
 * The points cap: `maxPercent` of the regular lines after the coupon, in whole yuan, and never so
 * much that less than 1 fen is left to pay.
 */
export function pointsCapOf(regularAfterCouponFen: number, payableBeforePointsFen: number, maxPercent: number): number {
  const byShare = Math.floor((regularAfterCouponFen * maxPercent) / 100 / POINTS_STEP) * POINTS_STEP
  const byFloor = Math.floor(Math.max(0, payableBeforePointsFen - 1) / POINTS_STEP) * POINTS_STEP
  return Math.max(0, Math.min(byShare, byFloor))
}

/**
 * The order's price. A member never pays more than a non-member for the same goods, coupon and
 * points: a member's order is priced both ways (member prices, then regular prices with no member
 * saving) and the lower payable is charged (a tie keeps member prices; points asked capped by each
 * way's cap: more than the chosen way's cap, or a coupon the chosen way can't use, is the caller's to
 * refuse).
 */
export function priceCheckout(lines: readonly CheckoutLine[], ask: CheckoutAsk): CheckoutPrice {
  const regular = priceOneWay(lines, { ...ask, isMember: false })
  if (!ask.isMember) return regular
  const member = priceOneWay(lines, ask)
  return regular.payableFen < member.payableFen ? regular : member
}

/** Whether a coupon applies at all to goods of `applicableFen` (its threshold met). */
export function couponUsable(coupon: CouponTerms, applicableFen: number): boolean {
  return applicableFen > 0 && applicableFen >= coupon.thresholdFen
}

function priceOneWay(lines: readonly CheckoutLine[], ask: CheckoutAsk): CheckoutPrice {
  const charged = lines.map((l) => {
    const unit = chargedUnit(l, ask.isMember)
    return { ...l, regularPriceFen: l.unitPriceFen, unit, lineFen: unit * l.qty }
  })
  const goodsFen = charged.reduce((a, l) => a + l.lineFen, 0)
  const memberSavingFen = charged.reduce((a, l) => a + (l.regularPriceFen - l.unit) * l.qty, 0)
  const coupon = ask.coupon ? couponPart(ask.coupon, charged) : { applicableFen: 0, discountFen: 0, perLine: charged.map(() => 0) }
  const afterCoupon = charged.map((l, i) => l.lineFen - coupon.perLine[i]!)
  const regularLeft = charged.map((l, i) => (l.special ? 0 : afterCoupon[i]!))
  const regularAfterCouponFen = regularLeft.reduce((a, b) => a + b, 0)
  const pointsCap = pointsCapOf(regularAfterCouponFen, goodsFen - coupon.discountFen, ask.pointsMaxPercent)
  const pointsUsed = Math.max(0, Math.min(Math.floor(ask.pointsUsed / POINTS_STEP) * POINTS_STEP, pointsCap))
  const pointsPerLine = splitDiscount(regularLeft, pointsUsed)
  const discountFen = coupon.discountFen + pointsUsed
  return {
    lines: charged.map((l, i) => ({
      regularPriceFen: l.regularPriceFen,
      unitPriceFen: l.unit,
      lineFen: l.lineFen,
      couponFen: coupon.perLine[i]!,
      pointsFen: pointsPerLine[i]!,
      discountFen: coupon.perLine[i]! + pointsPerLine[i]!,
    })),
    goodsFen,
    memberSavingFen,
    couponApplicableFen: coupon.applicableFen,
    couponFen: coupon.discountFen,
    pointsCap,
    pointsUsed,
    pointsFen: pointsUsed,
    discountFen,
    payableFen: goodsFen - discountFen,
  }
}
