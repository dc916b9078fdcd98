/** An SQL expression that renders a timestamptz column as the ISO 8601 UTC string the contract wants. */
export const isoUtc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/**
 * The status lock of a live room, a transaction-scoped advisory lock: live.setStatus takes it
 * exclusively, a claim of a room-only coupon shared, so a room never ends between such a claim's
 * check and its commit. It is not the room's row, which touches update while claims hold the lock.
 */
export const roomStatusLockKey = (roomIdParam: string) => `hashtextextended('live_room_status:' || ${roomIdParam}, 0)`

/**
 * The status lock of a coupon, a transaction-scoped advisory lock: 结束 (coupons.setStatus) takes it
 * exclusively, a grant (members.couponStatus) shared, so no grant commits after an end committed,
 * without holding the coupon's row (claims update its stock while a long grant runs).
 */
export const couponStatusLockKey = (couponIdParam: string) => `hashtextextended('coupon_status:' || ${couponIdParam}, 0)`
