import type { MessageKind, Segment } from '../../contract'
import type { GrantRow, MemberRecord, MemberSort, MembersRepo, ShopAverages } from '../../core/customer/members.ports'
import type { Queryable } from '../database'
import { couponStatusLockKey, isoUtc } from '../sql'

/** Whole days since the last paid order on the shop's calendar, for row `s` at `now` ($1). */
const DAYS = `((($1::timestamptz) AT TIME ZONE 'Asia/Shanghai')::date - (s.last_paid_at AT TIME ZONE 'Asia/Shanghai')::date)`

/**
 * The shop's averages over customers with a counted order (CTE `a`), and a row's segment against
 * them: better than the average strictly (fewer days, more orders, more spent), equal counts as worse.
 */
const AVERAGES = `a AS (
  SELECT count(*)::int AS customers, avg(${DAYS}) AS r, avg(s.orders) AS f, avg(s.spent_fen) AS m
  FROM customer_stats s WHERE s.orders > 0)`
const SEGMENT = `CASE WHEN s.orders = 0 THEN NULL ELSE
  (CASE WHEN s.spent_fen > a.m THEN 'important_' ELSE 'general_' END) ||
  (CASE WHEN ${DAYS} < a.r THEN (CASE WHEN s.orders > a.f THEN 'value' ELSE 'develop' END)
        ELSE (CASE WHEN s.orders > a.f THEN 'keep' ELSE 'retain' END) END) END`

const SORT_KEY: Record<MemberSort, { expr: string; type: string }> = {
  recent: { expr: `COALESCE(s.last_paid_at, '-infinity'::timestamptz)`, type: 'timestamptz' },
  spent: { expr: 's.spent_fen', type: 'bigint' },
  orders: { expr: 's.orders', type: 'integer' },
  joined: { expr: 's.joined_at', type: 'timestamptz' },
}

const PHONE = `(SELECT ad.phone FROM addresses ad WHERE ad.user_id = s.user_id ORDER BY ad.is_default DESC, ad.created_at DESC LIMIT 1)`

interface Row {
  userId: string
  nickname: string
  avatar: string | null
  phone: string | null
  orders: number
  spentFen: string
  lastPaidAt: Date | null
  recencyDays: number | null
  segment: Segment | null
  joinedAt: Date
  sortKey: string
}

const toRecord = (r: Row): MemberRecord => ({ ...r, spentFen: Number(r.spentFen) })

const memberSelect = (sortExpr: string) => `SELECT s.user_id AS "userId", u.nickname, u.avatar_url AS avatar, ${PHONE} AS phone,
  s.orders, s.spent_fen::text AS "spentFen", s.last_paid_at AS "lastPaidAt",
  CASE WHEN s.orders > 0 THEN ${DAYS} END AS "recencyDays", ${SEGMENT} AS segment, s.joined_at AS "joinedAt",
  (${sortExpr})::text AS "sortKey"`

export function membersRepo(q: Queryable): MembersRepo {
  return {
    async averages(now) {
      const { rows } = await q.query<{ customers: number; users: number; r: string | null; f: string | null; m: string | null }>(
        `WITH ${AVERAGES} SELECT a.customers, (SELECT count(*)::int FROM customer_stats) AS users, a.r, a.f, a.m FROM a`,
        [now],
      )
      const { rows: segs } = await q.query<{ segment: Segment; n: number }>(
        `WITH ${AVERAGES} SELECT ${SEGMENT} AS segment, count(*)::int AS n FROM customer_stats s CROSS JOIN a
         WHERE s.orders > 0 GROUP BY 1`,
        [now],
      )
      const a = rows[0]!
      const counts = {
        important_value: 0,
        important_develop: 0,
        important_keep: 0,
        important_retain: 0,
        general_value: 0,
        general_develop: 0,
        general_keep: 0,
        general_retain: 0,
      } satisfies ShopAverages['counts']
      for (const s of segs) counts[s.segment] = s.n
      return {
        customers: a.customers,
        withoutOrders: a.users - a.customers,
        recencyDays: Number(a.r ?? 0),
        orders: Number(a.f ?? 0),
        spentFen: Number(a.m ?? 0),
        counts,
      }
    },
    async list(filter, sort, after, limit, now) {
      const k = SORT_KEY[sort]
      const { rows } = await q.query<Row>(
        `WITH ${AVERAGES}
         ${memberSelect(k.expr)}
         FROM customer_stats s CROSS JOIN a JOIN users u ON u.id = s.user_id
         WHERE ($2::text IS NULL OR (s.orders > 0 AND ${SEGMENT} = $2::text))
           AND ($3::text IS NULL OR strpos(u.nickname_fold, lower(normalize($3::text, NFKC))) > 0
                OR ($4::text IS NOT NULL AND s.user_id = ANY(ARRAY(SELECT ad.user_id FROM addresses ad
                  WHERE ad.phone LIKE $4::text || '%' OR reverse(ad.phone) LIKE reverse($4::text) || '%'))))
           AND ($5::text IS NULL OR (${k.expr}, s.user_id) < ($5::${k.type}, $6::text))
         ORDER BY ${k.expr} DESC, s.user_id DESC LIMIT $7`,
        [now, filter.segment, filter.nickname, filter.phoneDigits, after?.key ?? null, after?.userId ?? null, limit],
      )
      return rows.map(toRecord)
    },
    async get(userId, now) {
      const { rows } = await q.query<Row>(
        `WITH ${AVERAGES} ${memberSelect('s.user_id')} FROM customer_stats s CROSS JOIN a JOIN users u ON u.id = s.user_id
         WHERE s.user_id = $2`,
        [now, userId],
      )
      return rows[0] ? toRecord(rows[0]) : null
    },
    async orderIds(userId, limit) {
      const { rows } = await q.query<{ id: string }>('SELECT id FROM orders WHERE user_id = $1 ORDER BY seq DESC LIMIT $2', [userId, limit])
      return rows.map((r) => r.id)
    },
    async coupons(userId) {
      const { rows } = await q.query(
        `SELECT coupon_id AS "couponId", status, ${isoUtc('claimed_at')} AS "claimedAt", ${isoUtc('valid_to')} AS "validTo"
         FROM user_coupons WHERE user_id = $1 ORDER BY seq DESC LIMIT 100`,
        [userId],
      )
      return rows
    },
    async source(userId) {
      const { rows } = await q.query<{
        roomId: string | null
        roomTitle: string | null
        sharerId: string | null
        sharerNickname: string | null
      }>(
        `SELECT e.room_id AS "roomId", r.title AS "roomTitle", sh.id AS "sharerId", sh.nickname AS "sharerNickname"
         FROM users u
         LEFT JOIN LATERAL (SELECT room_id, sharer_id, entered_at FROM room_entries WHERE user_id = u.id ORDER BY entered_at LIMIT 1) e ON true
         LEFT JOIN live_rooms r ON r.id = e.room_id
         LEFT JOIN LATERAL (SELECT sharer_id, touched_at FROM share_touches WHERE user_id = u.id ORDER BY touched_at LIMIT 1) t ON true
         LEFT JOIN users sh ON sh.id = CASE WHEN e.sharer_id IS NULL THEN t.sharer_id
           WHEN t.sharer_id IS NULL THEN e.sharer_id WHEN t.touched_at < e.entered_at THEN t.sharer_id ELSE e.sharer_id END
         WHERE u.id = $1`,
        [userId],
      )
      const r = rows[0]
      return {
        room: r?.roomId ? { roomId: r.roomId, title: r.roomTitle ?? '' } : null,
        sharer: r?.sharerId ? { userId: r.sharerId, nickname: r.sharerNickname ?? '' } : null,
      }
    },
    async invites(userId) {
      const { rows } = await q.query<{ room: number; deal: number }>(
        `SELECT (SELECT count(*)::int FROM share_records WHERE sharer_id = $1) AS room,
                (SELECT count(*)::int FROM deal_invites WHERE inviter_id = $1) AS deal`,
        [userId],
      )
      return rows[0]!
    },
    async earnings(userId) {
      const { rows } = await q.query<{ pendingFen: string; settledFen: string; withdrawnFen: string }>(
        `SELECT COALESCE((SELECT sum(amount_fen) FROM earnings_ledger WHERE user_id = $1 AND bucket = 'pending'), 0)::text AS "pendingFen",
                COALESCE((SELECT sum(amount_fen) FROM earnings_ledger WHERE user_id = $1 AND bucket = 'settled'), 0)::text AS "settledFen",
                COALESCE((SELECT sum(amount_fen) FROM withdrawals WHERE user_id = $1 AND status = 'paid'), 0)::text AS "withdrawnFen"`,
        [userId],
      )
      const r = rows[0]!
      return { pendingFen: Number(r.pendingFen), settledFen: Number(r.settledFen), withdrawnFen: Number(r.withdrawnFen) }
    },
    async allowance(userId, kind: MessageKind) {
      const { rows } = await q.query<{ remaining: number }>('SELECT remaining FROM message_allowances WHERE user_id = $1 AND kind = $2', [
        userId,
        kind,
      ])
      return rows[0]?.remaining ?? 0
    },
    async allow(userId, kind, cap) {
      const { rows } = await q.query<{ remaining: number }>(
        `INSERT INTO message_allowances AS m (user_id, kind, remaining) VALUES ($1, $2, 1)
         ON CONFLICT (user_id, kind) DO UPDATE SET remaining = LEAST(m.remaining + 1, $3), updated_at = now()
         RETURNING remaining`,
        [userId, kind, cap],
      )
      return rows[0]!.remaining
    },
    async existing(userIds) {
      const { rows } = await q.query<{ id: string }>('SELECT id FROM users WHERE id = ANY($1::text[])', [userIds])
      return rows.map((r) => r.id)
    },
    async couponStatus(couponId) {
      // Shared with other grants, exclusive with 结束 (coupon.repo setStatus): an end in flight is
      // waited for, and this grant holds new ends until it commits. The status is read after the lock.
      await q.query(`SELECT pg_advisory_xact_lock_shared(${couponStatusLockKey('$1::text')})`, [couponId])
      const { rows } = await q.query<{ status: string | null }>(`SELECT status FROM coupons WHERE id = $1`, [couponId])
      return rows[0]?.status ?? null
    },
    async grant(t) {
      // The grant's row first: calls with the same coupon and key queue on it to the commit.
      const { rows: g } = await q.query<{ id: string }>(
        `INSERT INTO coupon_grants AS g (coupon_id, grant_key, segment, actor_id, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (coupon_id, grant_key) DO UPDATE SET issued = g.issued RETURNING id`,
        [t.couponId, t.grantKey, t.segment, t.actorId, t.now],
      )
      const grantId = g[0]!.id
      // A segment (its customers now) or a list (the ids given, each once); the other parameter is null.
      const targets = `SELECT s.user_id FROM customer_stats s CROSS JOIN a WHERE $7::text IS NOT NULL AND s.orders > 0 AND ${SEGMENT} = $7::text
        UNION ALL SELECT DISTINCT x FROM unnest($8::text[]) x WHERE $7::text IS NULL`
      const { rows } = await q.query<{ targeted: number; issued: number; notified: number }>(
        `WITH ${AVERAGES},
         targets AS (${targets}),
         ins AS (
           INSERT INTO user_coupons (coupon_id, user_id, valid_from, valid_to, grant_key, grant_id, claimed_at)
           SELECT $2, t.user_id, $3, $4, $5 || ':' || t.user_id, $6, $1 FROM targets t
           ON CONFLICT (coupon_id, grant_key) DO NOTHING RETURNING user_id),
         took AS (
           UPDATE message_allowances m SET remaining = m.remaining - 1, updated_at = $1
           FROM ins WHERE m.user_id = ins.user_id AND m.kind = 'coupon_arrival' AND m.remaining > 0 RETURNING m.user_id),
         queued AS (
           INSERT INTO notification_outbox (kind, user_id, dedupe_key, payload)
           SELECT 'coupon_arrival', took.user_id, 'coupon_arrival:' || $6 || ':' || took.user_id, $9::jsonb FROM took
           ON CONFLICT (dedupe_key) DO NOTHING RETURNING 1)
         SELECT (SELECT count(*)::int FROM targets) AS targeted, (SELECT count(*)::int FROM ins) AS issued,
                (SELECT count(*)::int FROM queued) AS notified`,
        [
          t.now,
          t.couponId,
          t.validFrom,
          t.validTo,
          t.grantKey,
          grantId,
          t.segment,
          t.userIds,
          JSON.stringify({ template: 'coupon_arrival', ...t.message }),
        ],
      )
      const r = rows[0]!
      await q.query('UPDATE coupon_grants SET issued = issued + $2, notified = notified + $3 WHERE id = $1', [
        grantId,
        r.issued,
        r.notified,
      ])
      return r
    },
    async grants(couponId) {
      const { rows } = await q.query<GrantRow>(
        `SELECT g.grant_key AS "grantKey", g.segment, g.issued, g.notified, ${isoUtc('g.created_at')} AS "createdAt",
           COALESCE(u.nickname, '') AS "actorName",
           (SELECT count(*)::int FROM user_coupons uc JOIN orders o ON o.id = uc.order_id
             WHERE uc.grant_id = g.id AND uc.status = 'used' AND o.paid_at IS NOT NULL AND o.status <> 'refunded') AS used
         FROM coupon_grants g LEFT JOIN users u ON u.id = g.actor_id
         WHERE g.coupon_id = $1 ORDER BY g.id DESC`,
        [couponId],
      )
      return rows
    },
  }
}
