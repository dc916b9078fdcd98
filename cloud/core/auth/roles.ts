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

/**
 * What an anchor may create from the console: room-only coupons (直播专享券) of a room, never a
 * shop-wide coupon. Owners and operators create either kind.
 */
export function checkCouponCreator(caller: Caller, roomId: string | undefined): void {
  if (caller.role === 'anchor' && roomId === undefined) fail('FORBIDDEN', '主播只能创建直播专享券，请选择直播间')
}
