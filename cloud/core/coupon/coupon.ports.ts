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
  /** A new template; its stock in `slots` rows (1, the default: the template's own row; coupon.rules claimSlots decides). */
  create(c: Omit<CouponRecord, 'id' | 'claimed' | 'status'> & { slots?: number }): Promise<string>
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
   * The last step of a claim, one statement (core decided everything before it): one more claim
   * counted for the user only while under `limit`, their coupon of this validity, their chip in the
   * rooms offering it when `touches.claimer`, and one unit of stock while some is left, the window is
   * open at `now` and the status is `active` — from the coupon's own row, or from one of its slots
   * picked at random, falling over to the others — and, when that unit was the coupon's last and
   * `touches.roomsAtLastUnit`, every room it was dropped in.
   * `limit`: the user is at the limit. `none`: no unit taken; the coupon's status and window read
   * afresh (a pause or an end may have committed meanwhile). Either way the statement failed and
   * wrote nothing, and the transaction can only roll back: the caller refuses. `claimed`: `left` is 0
   * when this claim took the last unit, else above 0.
   */
  claim(c: {
    couponId: string
    userId: string
    limit: number
    validFrom: Date
    validTo: Date
    now: Date
    touches: { claimer: boolean; roomsAtLastUnit: boolean }
  }): Promise<
    | { outcome: 'limit' }
    | { outcome: 'none'; fresh: Pick<CouponRecord, 'status' | 'validTo'> }
    | { outcome: 'claimed'; userCouponId: string; left: number }
  >
  /** Takes one unit of a one-slot coupon's stock without a holder (the demo seed's 已抢光 coupon): how many are left, null when none. */
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
  /**
   * The template locked to the commit, its slots first (claims, edits and status changes of it wait),
   * with `claimed` exact under the locks; or null.
   */
  lockForEdit(couponId: string): Promise<CouponRecord | null>
  /**
   * Writes the safe edits of a locked template; the stock never below what was claimed (a CHECK backs
   * it). A new stock is spread over the slots: each keeps what it has claimed and gets an even share
   * of what is left.
   */
  edit(couponId: string, e: CouponEdit): Promise<void>
  /**
   * Sets the merchant's status. `ended` always sets; `active`/`paused` only while the stored status is
   * not `ended` and the window is open at `now`: false when refused.
   */
  setStatus(couponId: string, status: CouponStatus, now: Date): Promise<boolean>
}
