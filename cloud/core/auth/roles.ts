/**
 * Who is staff and with which role: decided here, once, for the caller of every call (callerOf) and
 * for the user's own view (userView). The owner is whoever ADMIN_OPENIDS names; other roles are
 * the staff table's, read with the user in the same query (never cached: a role taken away counts
 * at the next call).
 */
import type { StaffRole } from '../../contract'
import type { Caller, CoreConfig } from '../context'
import { fail } from '../errors'
import type { UserRecord } from './auth.ports'

export function roleOf(user: Pick<UserRecord, 'openid' | 'staffRole'>, config: Pick<CoreConfig, 'adminOpenids'>): StaffRole | null {
  if (config.adminOpenids.has(user.openid)) return 'owner'
  return user.staffRole ?? null
}

/** The limits of a room-only coupon an anchor creates (owners and operators have none of these). */
export const ANCHOR_COUPON_LIMITS = {
  /** A fixed coupon takes off at most this share of its threshold, in percent. */
  maxShareOfThresholdPct: 50,
  /** The most a coupon of an anchor takes off: ¥200 (a fixed value, or a percent coupon's cap). */
  maxOffFen: 20_000,
  /** A percent coupon takes off at most 50 % (5折). */
  maxPercentOff: 50,
  maxStock: 1000,
} as const

/** What of a new coupon the anchor's limits read (AdminCreateCouponInput's fields). */
export interface CouponTerms {
  kind: 'fixed' | 'percent'
  valueFen?: number
  percentOff?: number
  maxOffFen?: number
  thresholdFen: number
  stock: number
}

/**
 * What an anchor may create from the console: room-only coupons (直播专享券) of a room, never a
 * shop-wide coupon, and within ANCHOR_COUPON_LIMITS: a fixed coupon needs a threshold and takes off
 * at most 50 % of it and at most ¥200; a percent coupon takes off at most 50 % with a cap of at most
 * ¥200; at most 1000 of them. Owners and operators create either kind, without these limits.
 */
export function checkCouponCreator(caller: Caller, roomId: string | undefined, terms?: CouponTerms): void {
  if (caller.role !== 'anchor') return
  if (roomId === undefined) fail('FORBIDDEN', '主播只能创建直播专享券，请选择直播间')
  if (!terms) return
  const L = ANCHOR_COUPON_LIMITS
  const refuse = (path: string, message: string) => fail('FORBIDDEN', `主播创建的直播专享券：${message}`, [{ path, message }])
  if (terms.kind === 'fixed') {
    const value = terms.valueFen ?? 0
    if (terms.thresholdFen <= 0) refuse('thresholdFen', '满减券须设置使用门槛')
    if (value * 100 > terms.thresholdFen * L.maxShareOfThresholdPct) refuse('valueFen', '减免金额不能超过使用门槛的 50%')
    if (value > L.maxOffFen) refuse('valueFen', '减免金额不能超过 200 元')
  } else {
    if ((terms.percentOff ?? 0) > L.maxPercentOff) refuse('percentOff', '折扣券最多减 50%（5折）')
    if (terms.maxOffFen === undefined) refuse('maxOffFen', '折扣券须设置最高优惠金额（不超过 200 元）')
    if (terms.maxOffFen! > L.maxOffFen) refuse('maxOffFen', '折扣券最高优惠不能超过 200 元')
  }
  if (terms.stock > L.maxStock) refuse('stock', '发放数量不能超过 1000 张')
}
