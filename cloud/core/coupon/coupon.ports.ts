/** What coupons need from storage: templates and the coupons users hold. */
import type { CouponTerms } from './coupon.rules'

/** A coupon template's terms and limits. */
export interface CouponRecord extends CouponTerms {
  id: string
  title: string
  stock: number
  claimed: number
  perUserLimit: number
  validFrom: Date
  validTo: Date
  validDays: number | null
  allowOnSpecial: boolean
}

/** A coupon a user holds, with its template's terms. */
export interface UserCouponRecord {
  id: string
  status: 'available' | 'locked' | 'used'
  validFrom: Date
  validTo: Date
  orderId: string | null
  coupon: CouponRecord
}

export interface CouponRepo {
  create(c: Omit<CouponRecord, 'id' | 'claimed'>): Promise<string>
  get(couponId: string): Promise<CouponRecord | null>
  /** Templates by id with how many the user has claimed, in the order of `ids`. */
  byIds(userId: string, ids: string[]): Promise<Array<CouponRecord & { mine: number }>>
  /**
   * Templates not yet ended at `now`, each with how many the user has claimed; only those applying to
   * `productId` when given, and templates dropped in a live room only when `withRoomCoupons`.
   */
  listClaimable(
    userId: string,
    now: Date,
    productId: string | null,
    withRoomCoupons: boolean,
  ): Promise<Array<CouponRecord & { mine: number }>>
  /**
   * Counts one more claim for the user only while under `limit` and, in the same statement, gives
   * them the coupon; null when they are at the limit.
   */
  claimForUser(c: { couponId: string; userId: string; limit: number; validFrom: Date; validTo: Date }): Promise<string | null>
  /** Takes one from the template's stock only while some is left and the window is open. */
  /** Takes one of the template's stock while some is left and the window is open: how many are left after, null when none was taken. */
  takeStock(couponId: string, now: Date): Promise<number | null>
  insertUserCoupon(c: { couponId: string; userId: string; validFrom: Date; validTo: Date; grantKey: string | null }): Promise<string | null>
  held(userId: string): Promise<UserCouponRecord[]>
  heldOne(userCouponId: string, userId: string): Promise<UserCouponRecord | null>
  /** available → locked by the order, only if still available and valid at `now`. */
  lock(userCouponId: string, userId: string, orderId: string, now: Date): Promise<boolean>
  /** The order's coupon: locked → used. */
  markUsed(orderId: string, at: Date): Promise<void>
  /** The order's coupon back to available (cancel, timeout, refund). */
  release(orderId: string): Promise<void>
}
