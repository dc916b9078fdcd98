/** What coupons need from storage: templates and the coupons users hold. */
import type { CouponFigures, CouponStatus, RoomStatus } from '../../contract'
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
  /** The room of a room-only coupon (直播专享); null for the shop's other coupons. */
  roomId: string | null
  /** The merchant's status as stored; past its window it reads `ended` (coupon.rules couponStatus). */
  status: CouponStatus
}

/** A coupon as the desk lists it: the template, its room's title, and its figures. */
export interface DeskCouponRecord extends CouponRecord {
  seq: number
  createdAt: Date
  roomTitle: string | null
  figures: CouponFigures
}

/** The desk's list filters; `status` as read at `now` (a coupon past its window is `ended`). */
export interface DeskFilter {
  status: CouponStatus | null
  roomOnly: boolean | null
  now: Date
}

/** The safe edits of a coupon (admin.updateCoupon), each left as it is when absent. */
export interface CouponEdit {
  title?: string
  stock?: number
  perUserLimit?: number
  validTo?: Date
}

/** A template as offered to one user: how many they claimed and, for a room-only coupon, its room's status. */
export interface OfferedCoupon extends CouponRecord {
  mine: number
  roomStatus: RoomStatus | null
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
  create(c: Omit<CouponRecord, 'id' | 'claimed' | 'status'>): Promise<string>
  get(couponId: string): Promise<CouponRecord | null>
  /** The templates of these ids that exist (one query), in no particular order. */
  many(couponIds: string[]): Promise<CouponRecord[]>
  /** Templates by id as offered to the user, in the order of `ids`. */
  byIds(userId: string, ids: string[]): Promise<OfferedCoupon[]>
  /**
   * The claim center: templates not yet ended at `now`, as offered to the user; only those applying to
   * `productId` when given; never a room-only coupon (those are claimed in their room).
   */
  listClaimable(userId: string, now: Date, productId: string | null): Promise<OfferedCoupon[]>
  /**
   * What an anchor can drop in a room: the shop's coupons not ended at `now` with some stock left, and
   * the room's own room-only coupons, as offered to the user, each with whether it is dropped there.
   */
  /** `grantable`: the shop's active coupons not over, stock or not (after-show grants); else those claimable (drops). */
  listForRoom(userId: string, roomId: string, now: Date, grantable?: boolean): Promise<Array<OfferedCoupon & { dropped: boolean }>>
  /**
   * Whether a room-only coupon can be claimed now: its room's status and whether it was dropped there.
   * Holds the room's status lock shared to the commit (live.setStatus takes it exclusively), so the
   * room can't end between this check and the claim's commit.
   */
  roomOfCoupon(couponId: string, roomId: string): Promise<{ status: RoomStatus; dropped: boolean } | null>
  /**
   * Counts one more claim for the user only while under `limit` and, in the same statement, gives
   * them the coupon; null when they are at the limit.
   */
  claimForUser(c: { couponId: string; userId: string; limit: number; validFrom: Date; validTo: Date }): Promise<string | null>
  /**
   * Takes one of the template's stock while some is left, the window is open and the merchant's status
   * is `active` (one conditional update of the template's row, which a pause or an edit also updates):
   * how many are left after, null when none was taken.
   */
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
  /** The desk's page: coupons newest first after `afterSeq`, with their figures, computed for the page at once. */
  deskList(filter: DeskFilter, afterSeq: number | null, limit: number): Promise<DeskCouponRecord[]>
  deskOne(couponId: string): Promise<DeskCouponRecord | null>
  /** The template's row locked to the commit (claims, edits and status changes of it wait), or null. */
  lockForEdit(couponId: string): Promise<CouponRecord | null>
  /** Writes the safe edits of a locked template; the stock never below what was claimed (a CHECK backs it). */
  edit(couponId: string, e: CouponEdit): Promise<void>
  /**
   * Sets the merchant's status. `ended` always sets; `active`/`paused` only while the stored status is
   * not `ended` and the window is open at `now`: false when refused.
   */
  setStatus(couponId: string, status: CouponStatus, now: Date): Promise<boolean>
}
