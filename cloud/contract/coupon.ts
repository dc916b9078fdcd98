import { z } from 'zod'
import { Confirm, Fen, PriceFen, Id, IdempotencyKey, Instant, peopleText } from './common'
import { OrderItemInput } from './order'

/** What a coupon takes off, as shown on its card. */
export const CouponKind = z.enum(['fixed', 'percent'])
export type CouponKind = z.infer<typeof CouponKind>
export const CouponScope = z.enum(['all', 'categories', 'products'])
export type CouponScope = z.infer<typeof CouponScope>

export const CouponTermsView = z.object({
  couponId: Id,
  title: z.string(),
  kind: CouponKind,
  valueFen: Fen.nullable(),
  percentOff: z.number().int().nullable(),
  maxOffFen: Fen.nullable(),
  /** 0 = 无门槛. */
  thresholdFen: Fen,
  scope: CouponScope,
  /** The categories or products the coupon applies to (empty for scope all): where 去使用 leads. */
  scopeIds: z.array(Id),
})
export type CouponTermsView = z.infer<typeof CouponTermsView>

/** A template in the claim center, with the caller's standing. */
export const CenterCoupon = CouponTermsView.extend({
  stock: z.number().int(),
  claimed: z.number().int(),
  perUserLimit: z.number().int(),
  mine: z.number().int(),
  validFrom: Instant,
  validTo: Instant,
  validDays: z.number().int().nullable(),
  /**
   * What its button says: 立即领取 / 已领取 / 已抢光 / 未开始 / 已结束 (a room-only coupon after its room
   * ended, or one the shop ended) / 暂停发放 (paused by the shop).
   */
  state: z.enum(['claimable', 'claimed', 'sold_out', 'not_started', 'ended', 'paused']),
  /**
   * The room a room-only coupon (直播专享) belongs to: claimable only there, while that room is live,
   * and never listed in the claim center. Null for the shop's other coupons, dropped in rooms or not.
   */
  roomId: Id.nullable(),
})
export type CenterCoupon = z.infer<typeof CenterCoupon>

export const UserCouponStatus = z.enum(['available', 'locked', 'used', 'expired'])
export const MyCoupon = CouponTermsView.extend({
  userCouponId: Id,
  status: UserCouponStatus,
  validFrom: Instant,
  validTo: Instant,
})
export type MyCoupon = z.infer<typeof MyCoupon>

export const UnusableReason = z.discriminatedUnion('code', [
  z.object({ code: z.literal('NOT_STARTED') }),
  z.object({ code: z.literal('EXPIRED') }),
  z.object({ code: z.literal('NOT_APPLICABLE') }),
  z.object({ code: z.literal('BELOW_THRESHOLD'), shortFen: Fen }),
])
export type UnusableReason = z.infer<typeof UnusableReason>

/** A held coupon at checkout: what it saves on these items, or why it can't be used. */
export const CheckoutCoupon = MyCoupon.extend({ savingFen: Fen, unusable: UnusableReason.nullable() })
export type CheckoutCoupon = z.infer<typeof CheckoutCoupon>

export const couponActions = {
  center: { input: z.object({ productId: Id.optional() }), output: z.object({ items: z.array(CenterCoupon) }) },
  claim: { input: z.object({ couponId: Id }), output: z.object({ userCouponId: Id }) },
  mine: {
    input: z.object({ status: UserCouponStatus.optional() }),
    output: z.object({ items: z.array(MyCoupon) }),
  },
  /** Every held coupon for these items: usable ones first, the best (largest saving, then soonest expiry) first of all. */
  forCheckout: {
    input: z.object({ items: z.array(OrderItemInput).min(1).max(50) }),
    output: z.object({ items: z.array(CheckoutCoupon), bestId: Id.nullable() }),
  },
}

export const AdminCreateCouponInput = z
  .object({
    title: peopleText({ empty: '请输入优惠券名称', max: 30, tooLong: '优惠券名称最多 30 个字' }),
    kind: CouponKind,
    valueFen: PriceFen.min(1).optional(),
    percentOff: z.number().int().min(1).max(99).optional(),
    maxOffFen: PriceFen.min(1).optional(),
    thresholdFen: PriceFen,
    stock: z.number().int().min(0).max(10_000_000),
    perUserLimit: z.number().int().min(1).max(100),
    validFrom: Instant.optional(),
    validTo: Instant.optional(),
    validDays: z.number().int().min(1).max(365).optional(),
    scope: CouponScope.optional(),
    scopeIds: z.array(Id).max(100).optional(),
    allowOnSpecial: z.boolean().optional(),
    /** Creates a room-only coupon (直播专享) of this room: claimable only in it while live, never in the claim center. */
    roomId: Id.optional(),
    /** The same key from the same caller answers the first call's coupon and creates nothing. */
    idempotencyKey: IdempotencyKey.optional(),
    /** Warnings the merchant accepted (CONFIRM_REQUIRED), e.g. a percent coupon without a cap. */
    confirm: Confirm,
  })
  .superRefine((c, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
    if (c.kind === 'fixed' && c.valueFen === undefined) issue('valueFen', '满减券须填写减免金额')
    if (c.kind === 'percent' && c.percentOff === undefined) issue('percentOff', '折扣券须填写折扣')
    if (c.validFrom && c.validTo && new Date(c.validTo) <= new Date(c.validFrom)) issue('validTo', '结束时间须晚于开始时间')
    if (c.scope && c.scope !== 'all' && !c.scopeIds?.length) issue('scopeIds', '指定范围的券须选择商品或分类')
    // 满10减50 makes no sense: a fixed coupon with a threshold takes off at most the threshold.
    if (c.kind === 'fixed' && c.thresholdFen > 0 && c.valueFen !== undefined && c.valueFen > c.thresholdFen)
      issue('valueFen', '减免金额不能超过使用门槛')
  })
export type AdminCreateCouponInput = z.infer<typeof AdminCreateCouponInput>
