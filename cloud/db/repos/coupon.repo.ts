import type {
  CouponRecord,
  CouponRepo,
  DeskCouponRecord,
  DeskFilter,
  OfferedCoupon,
  UserCouponRecord,
} from '../../core/coupon/coupon.ports'
import { lastStatement, prepared, type Queryable } from '../database'
import { couponStatusLockKey, roomStatusLockKey } from '../sql'

/**
 * What coupon `c` has claimed: its own row's count, or with several slots (migration 040) the sum of
 * theirs. Every figure the shopper and the console read (the claim center, rooms' 已抢光, the desk)
 * comes from here.
 */
const CLAIMED = `(CASE WHEN c.slots = 1 THEN c.claimed ELSE (SELECT COALESCE(sum(s.claimed), 0)::int FROM coupon_slots s WHERE s.coupon_id = c.id) END)`

const COUPON_COLUMNS = `c.id, c.title, c.kind, c.value_fen AS "valueFen", c.percent_off AS "percentOff", c.max_off_fen AS "maxOffFen",
  c.threshold_fen AS "thresholdFen", c.scope, c.scope_ids AS "scopeIds", c.stock, ${CLAIMED} AS claimed, c.per_user_limit AS "perUserLimit",
  c.valid_from AS "validFrom", c.valid_to AS "validTo", c.valid_days AS "validDays", c.allow_on_special AS "allowOnSpecial",
  c.room_id AS "roomId", c.status`

/**
 * The desk's figures of each coupon `c`: claims (the template's counter, one per shopper's claim),
 * grants (held coupons with a grant key), and the orders paid with its held coupons that still count
 * as sold (paid, shipped, completed, refund requested: paid and not refunded), their payable and
 * discount. One lateral probe per coupon of the page (user_coupons by coupon, orders by held coupon).
 */
const DESK_SELECT = `SELECT ${COUPON_COLUMNS}, c.seq::int AS seq, c.created_at AS "createdAt", r.title AS "roomTitle",
    json_build_object('claimed', ${CLAIMED}, 'granted', g.granted, 'used', f.used, 'gmvFen', f.gmv, 'discountFen', f.discount) AS figures
  FROM coupons c
  LEFT JOIN live_rooms r ON r.id = c.room_id
  CROSS JOIN LATERAL (SELECT count(*)::int AS granted FROM user_coupons u WHERE u.coupon_id = c.id AND u.grant_key IS NOT NULL) g
  CROSS JOIN LATERAL (
    SELECT count(*)::int AS used, COALESCE(sum(o.payable_fen), 0)::bigint AS gmv, COALESCE(sum(o.coupon_fen), 0)::bigint AS discount
    FROM user_coupons u JOIN orders o ON o.user_coupon_id = u.id
    WHERE u.coupon_id = c.id AND order_counts_as_sold(o.status)) f`

/** json_build_object's bigints arrive as numbers already; the sums fit (a coupon's GMV stays far below 2^53 fen). */
function toDesk(r: DeskCouponRecord): DeskCouponRecord {
  return { ...r, figures: { ...r.figures, gmvFen: Number(r.figures.gmvFen), discountFen: Number(r.figures.discountFen) } }
}

/** The desk's status filter as read at $2: past its window a coupon is ended whatever its column says. */
function statusWhere(f: DeskFilter): string {
  if (f.status === 'ended') return `(c.status = 'ended' OR c.valid_to < $2)`
  if (f.status === 'active') return `(c.status = 'active' AND c.valid_to >= $2)`
  if (f.status === 'paused') return `(c.status = 'paused' AND c.valid_to >= $2)`
  return '$2::timestamptz IS NOT NULL'
}

/** A template as offered to user $1: their claims, and a room-only coupon's room status. */
const OFFERED_COLUMNS = `${COUPON_COLUMNS}, COALESCE(n.n, 0) AS mine, (SELECT r.status FROM live_rooms r WHERE r.id = c.room_id) AS "roomStatus"`
const OFFERED_FROM = 'coupons c LEFT JOIN coupon_claim_counts n ON n.coupon_id = c.id AND n.user_id = $1'

interface HeldRow extends CouponRecord {
  uc_id: string
  uc_status: UserCouponRecord['status']
  uc_valid_from: Date
  uc_valid_to: Date
  uc_order_id: string | null
}

const HELD_SELECT = `SELECT ${COUPON_COLUMNS}, u.id AS uc_id, u.status AS uc_status, u.valid_from AS uc_valid_from,
    u.valid_to AS uc_valid_to, u.order_id AS uc_order_id
  FROM user_coupons u JOIN coupons c ON c.id = u.coupon_id`

function toHeld(r: HeldRow): UserCouponRecord {
  const { uc_id, uc_status, uc_valid_from, uc_valid_to, uc_order_id, ...coupon } = r
  return { id: uc_id, status: uc_status, validFrom: uc_valid_from, validTo: uc_valid_to, orderId: uc_order_id, coupon }
}

/** The SQLSTATE coupon_claim raises when it claims nothing (migration 040). */
const CLAIM_REFUSED = 'WS409'

/** A coupon's slots locked in order (none for a one-slot coupon), before its row: edits and status changes. */
async function lockSlots(q: Queryable, couponId: string): Promise<void> {
  await q.query('SELECT 1 FROM coupon_slots WHERE coupon_id = $1 ORDER BY slot FOR UPDATE', [couponId])
}

export function couponRepo(q: Queryable): CouponRepo {
  return {
    async create(c) {
      // With several slots, the stock is spread evenly over them (the first ones take the remainder).
      const { rows } = await q.query<{ id: string }>(
        `WITH c AS (
           INSERT INTO coupons (title, kind, value_fen, percent_off, max_off_fen, threshold_fen, stock, per_user_limit,
             valid_from, valid_to, valid_days, scope, scope_ids, allow_on_special, room_id, slots)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id, stock, slots, valid_to),
         s AS (
           INSERT INTO coupon_slots (coupon_id, slot, stock, open, valid_to)
           SELECT c.id, g, c.stock / c.slots + (g < c.stock % c.slots)::int, true, c.valid_to
           FROM c CROSS JOIN generate_series(0, c.slots - 1) g WHERE c.slots > 1)
         SELECT id FROM c`,
        [
          c.title,
          c.kind,
          c.valueFen,
          c.percentOff,
          c.maxOffFen,
          c.thresholdFen,
          c.stock,
          c.perUserLimit,
          c.validFrom,
          c.validTo,
          c.validDays,
          c.scope,
          c.scopeIds,
          c.allowOnSpecial,
          c.roomId,
          c.slots ?? 1,
        ],
      )
      return rows[0]!.id
    },
    async get(couponId) {
      // Every claim's first read: prepared once per connection (a lookup by key, its plan the same for any id).
      const { rows } = await q.query<CouponRecord>({
        ...prepared(`SELECT ${COUPON_COLUMNS} FROM coupons c WHERE c.id = $1`),
        values: [couponId],
      })
      return rows[0] ?? null
    },
    async many(couponIds) {
      if (couponIds.length === 0) return []
      const { rows } = await q.query<CouponRecord>(`SELECT ${COUPON_COLUMNS} FROM coupons c WHERE c.id = ANY($1::text[])`, [couponIds])
      return rows
    },
    async byIds(userId, ids) {
      if (ids.length === 0) return []
      const { rows } = await q.query<OfferedCoupon>(`SELECT ${OFFERED_COLUMNS} FROM ${OFFERED_FROM} WHERE c.id = ANY($2)`, [userId, ids])
      const byId = new Map(rows.map((r) => [r.id, r]))
      return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []))
    },
    async listClaimable(userId, now, productId) {
      // Shop coupons dropped in rooms stay here; room-only ones never show.
      const { rows } = await q.query<OfferedCoupon>(
        `SELECT ${OFFERED_COLUMNS} FROM ${OFFERED_FROM}
         WHERE c.valid_to > $2 AND c.stock > 0 AND c.room_id IS NULL AND c.status = 'active'
           AND ($3::text IS NULL OR c.scope = 'all'
             OR (c.scope = 'products' AND $3 = ANY(c.scope_ids))
             OR (c.scope = 'categories' AND (SELECT category_id FROM products WHERE id = $3) = ANY(c.scope_ids)))
         ORDER BY c.valid_from <= $2 DESC, c.seq DESC LIMIT 100`,
        [userId, now, productId],
      )
      return rows
    },
    async listForRoom(userId, roomId, now, grantable = false) {
      const shop = grantable
        ? `c.valid_to > $3 AND c.status = 'active'`
        : `c.valid_to > $3 AND ${CLAIMED} < c.stock AND c.status <> 'ended'`
      const { rows } = await q.query<OfferedCoupon & { dropped: boolean }>(
        `SELECT ${OFFERED_COLUMNS},
           EXISTS (SELECT 1 FROM room_coupons rc WHERE rc.room_id = $2 AND rc.coupon_id = c.id) AS dropped
         FROM ${OFFERED_FROM}
         WHERE c.room_id = $2 OR (c.room_id IS NULL AND ${shop})
         ORDER BY c.room_id IS NULL, c.seq DESC LIMIT 100`,
        [userId, roomId, now],
      )
      return rows
    },
    async roomOfCoupon(couponId, roomId) {
      await q.query(`SELECT pg_advisory_xact_lock_shared(${roomStatusLockKey('$1::text')})`, [roomId])
      const { rows } = await q.query<{ status: OfferedCoupon['roomStatus'] & string; dropped: boolean }>(
        `SELECT r.status, EXISTS (SELECT 1 FROM room_coupons rc WHERE rc.room_id = r.id AND rc.coupon_id = $1) AS dropped
         FROM live_rooms r WHERE r.id = $2`,
        [couponId, roomId],
      )
      return rows[0] ?? null
    },
    async claim(c) {
      // The transaction's last statement, sent with its COMMIT in one round trip (database.ts
      // lastStatement), so the hot row is held for the rest of the function (migration 040) and the
      // commit, never for a round trip. Claiming nothing it raises WS409 with the facts: nothing commits.
      try {
        const { rows } = await lastStatement<{ user_coupon_id: string; left_after: number }>(q, {
          ...prepared('SELECT user_coupon_id, left_after FROM coupon_claim($1, $2, $3, $4, $5, $6, $7, $8)'),
          values: [c.couponId, c.userId, c.limit, c.validFrom, c.validTo, c.now, c.touches.claimer, c.touches.roomsAtLastUnit],
        })
        return { outcome: 'claimed', userCouponId: rows[0]!.user_coupon_id, left: rows[0]!.left_after }
      } catch (err) {
        const e = err as { code?: string; message?: string; detail?: string }
        if (e.code !== CLAIM_REFUSED) throw err
        if (e.message === 'coupon_claim:limit') return { outcome: 'limit' }
        const fresh = JSON.parse(e.detail ?? 'null') as { status: CouponRecord['status']; validTo: string } | null
        if (!fresh) throw err
        return { outcome: 'none', fresh: { status: fresh.status, validTo: new Date(fresh.validTo) } }
      }
    },
    async takeStock(couponId, now) {
      const { rows } = await q.query<{ left: number }>(
        `UPDATE coupons SET claimed = claimed + 1
         WHERE id = $1 AND slots = 1 AND claimed < stock AND valid_from <= $2 AND valid_to >= $2 AND status = 'active'
         RETURNING stock - claimed AS left`,
        [couponId, now],
      )
      return rows[0] ? rows[0].left : null
    },
    async insertUserCoupon(c) {
      const { rows } = await q.query<{ id: string }>(
        `INSERT INTO user_coupons (coupon_id, user_id, valid_from, valid_to, grant_key) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (coupon_id, grant_key) DO NOTHING RETURNING id`,
        [c.couponId, c.userId, c.validFrom, c.validTo, c.grantKey],
      )
      return rows[0]?.id ?? null
    },
    async held(userId) {
      const { rows } = await q.query<HeldRow>(`${HELD_SELECT} WHERE u.user_id = $1 ORDER BY u.seq DESC LIMIT 500`, [userId])
      return rows.map(toHeld)
    },
    async heldOne(userCouponId, userId) {
      const { rows } = await q.query<HeldRow>(`${HELD_SELECT} WHERE u.id = $1 AND u.user_id = $2`, [userCouponId, userId])
      return rows[0] ? toHeld(rows[0]) : null
    },
    async lock(userCouponId, userId, orderId, now) {
      const { rowCount } = await q.query(
        `UPDATE user_coupons SET status = 'locked', order_id = $3
         WHERE id = $1 AND user_id = $2 AND status = 'available' AND valid_from <= $4 AND valid_to >= $4`,
        [userCouponId, userId, orderId, now],
      )
      return rowCount === 1
    },
    async markUsed(orderId, at) {
      await q.query(`UPDATE user_coupons SET status = 'used', used_at = $2 WHERE order_id = $1 AND status = 'locked'`, [orderId, at])
    },
    async release(orderId) {
      await q.query(`UPDATE user_coupons SET status = 'available', order_id = NULL, used_at = NULL WHERE order_id = $1`, [orderId])
    },
    async deskList(filter, afterSeq, limit) {
      const { rows } = await q.query<DeskCouponRecord>(
        `${DESK_SELECT}
         WHERE ($1::bigint IS NULL OR c.seq < $1) AND ${statusWhere(filter)}
           AND ($3::boolean IS NULL OR (c.room_id IS NOT NULL) = $3)
         ORDER BY c.seq DESC LIMIT $4`,
        [afterSeq, filter.now, filter.roomOnly, limit],
      )
      return rows.map(toDesk)
    },
    async deskOne(couponId) {
      const { rows } = await q.query<DeskCouponRecord>(`${DESK_SELECT} WHERE c.id = $1`, [couponId])
      return rows[0] ? toDesk(rows[0]) : null
    },
    async lockForEdit(couponId) {
      // Slots first, in order, then the template: the order a claim emptying a slot takes them in
      // (migration 040); the template FOR NO KEY UPDATE, which the key-share locks a claim holds through its
      // foreign keys (its count and its coupon) do not block, so an edit never deadlocks with one. Claimed is read after both locks.
      await lockSlots(q, couponId)
      const { rows } = await q.query<CouponRecord>(`SELECT ${COUPON_COLUMNS} FROM coupons c WHERE c.id = $1 FOR NO KEY UPDATE`, [couponId])
      return rows[0] ?? null
    },
    async edit(couponId, e) {
      await q.query(
        `UPDATE coupons SET title = COALESCE($2, title), stock = COALESCE($3, stock),
           per_user_limit = COALESCE($4, per_user_limit), valid_to = COALESCE($5, valid_to)
         WHERE id = $1`,
        [couponId, e.title ?? null, e.stock ?? null, e.perUserLimit ?? null, e.validTo ?? null],
      )
      if (e.stock === undefined && e.validTo === undefined) return
      // The slots (locked by lockForEdit): each keeps what it claimed, what is left spread evenly.
      await q.query(
        `WITH c AS (SELECT id, stock, slots, valid_to FROM coupons WHERE id = $1 AND slots > 1),
           t AS (SELECT c.stock - sum(s.claimed)::int AS rest, c.slots FROM c JOIN coupon_slots s ON s.coupon_id = c.id GROUP BY c.stock, c.slots)
         UPDATE coupon_slots s SET stock = s.claimed + t.rest / t.slots + (s.slot < t.rest % t.slots)::int, valid_to = c.valid_to
         FROM c, t WHERE s.coupon_id = c.id`,
        [couponId],
      )
    },
    async setStatus(couponId, status, now) {
      // 结束 waits for the grants in flight (each holds this lock shared, members.repo couponStatus)
      // and holds new ones until it commits; they then read 'ended'. Claims never take it.
      if (status === 'ended') await q.query(`SELECT pg_advisory_xact_lock(${couponStatusLockKey('$1::text')})`, [couponId])
      // A coupon of several slots: each slot's copy of the status (the claim's update requires it
      // open), the slots locked first as lockForEdit does; a claim on a slot commits before or is refused after.
      await lockSlots(q, couponId)
      await q.query(
        `UPDATE coupon_slots s SET open = ($3::text = 'active') FROM coupons c
         WHERE s.coupon_id = $1 AND c.id = $1 AND (c.status <> 'ended' AND c.valid_to >= $2 OR $3::text = 'ended')`,
        [couponId, now, status],
      )
      const { rowCount } = await q.query(
        status === 'ended'
          ? `UPDATE coupons SET status = 'ended' WHERE id = $1 AND $2::timestamptz IS NOT NULL`
          : `UPDATE coupons SET status = $3 WHERE id = $1 AND status <> 'ended' AND valid_to >= $2`,
        status === 'ended' ? [couponId, now] : [couponId, now, status],
      )
      return rowCount === 1
    },
  }
}
