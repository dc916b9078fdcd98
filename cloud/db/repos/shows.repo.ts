import type { ReportSums, ShowEdit, ShowPosition, ShowRecord, ShowsRepo } from '../../core/live/shows.ports'
import type { Queryable } from '../database'
import { NOT_STAFF, ROOM_COLUMNS } from './live.repo'

/** An order that counts for a room: paid and not refunded (as admin.roomStats counts them). */
const COUNTS = (o: string) => `${o}.paid_at IS NOT NULL AND ${o}.status <> 'refunded'`

const SHOW_COLUMNS = `${ROOM_COLUMNS}, r.peak_viewers AS "peakViewers",
  (SELECT count(*)::int FROM room_entries e WHERE e.room_id = r.id) AS viewers,
  (SELECT count(*)::int FROM orders o WHERE o.room_id = r.id AND ${COUNTS('o')}) AS orders,
  (SELECT COALESCE(sum(o.payable_fen), 0)::bigint FROM orders o WHERE o.room_id = r.id AND ${COUNTS('o')}) AS "gmvFen"`

/** Live first (latest start first), then upcoming (soonest first), then ended (latest end first), then newest. */
const SHOW_RANK = `(CASE r.status WHEN 'live' THEN 0 WHEN 'upcoming' THEN 1 ELSE 2 END)`
const SHOW_KEY = `(CASE r.status WHEN 'live' THEN -extract(epoch FROM COALESCE(r.started_at, r.starts_at))
    WHEN 'upcoming' THEN extract(epoch FROM r.starts_at)
    ELSE -extract(epoch FROM COALESCE(r.ended_at, r.starts_at)) END)`

type Row = Omit<ShowRecord, 'gmvFen'> & { gmvFen: string | number }
const show = (r: Row): ShowRecord => ({ ...r, gmvFen: Number(r.gmvFen) })

const EDIT_COLUMNS: Record<keyof ShowEdit, string> = {
  title: 'title',
  startsAt: 'starts_at',
  streamKind: 'stream_kind',
  streamUrl: 'stream_url',
  replayUrl: 'replay_url',
  poster: 'poster',
  communityQr: 'community_qr',
  anchorName: 'anchor_name',
  anchorAvatar: 'anchor_avatar',
}

export function showsRepo(q: Queryable): ShowsRepo {
  return {
    async list(status, after, limit) {
      // Keyset paging over the list's own order: the page after the last row shown, wherever rows moved.
      const { rows } = await q.query<Row & { position: ShowPosition }>(
        `SELECT ${SHOW_COLUMNS},
           json_build_object('rank', ${SHOW_RANK}, 'key', ${SHOW_KEY}::text, 'seq', r.seq::text) AS position
         FROM live_rooms r WHERE ($1::text IS NULL OR r.status = $1)
           AND ($2::int IS NULL OR (${SHOW_RANK}, ${SHOW_KEY}, -r.seq) > ($2::int, $3::numeric, -($4::bigint)))
         ORDER BY ${SHOW_RANK}, ${SHOW_KEY}, r.seq DESC LIMIT $5`,
        [status, after?.rank ?? null, after?.key ?? null, after?.seq ?? null, limit],
      )
      return rows.map((r) => ({ ...show(r), position: r.position }))
    },
    async one(roomId) {
      const { rows } = await q.query<Row>(`SELECT ${SHOW_COLUMNS} FROM live_rooms r WHERE r.id = $1`, [roomId])
      return rows[0] ? show(rows[0]) : null
    },
    async update(roomId, edit) {
      const keys = (Object.keys(EDIT_COLUMNS) as Array<keyof ShowEdit>).filter((k) => edit[k] !== undefined)
      if (keys.length === 0) return true
      const sets = keys.map((k, i) => `${EDIT_COLUMNS[k]} = $${i + 2}`)
      const onlyUpcoming = edit.startsAt !== undefined ? ` AND status = 'upcoming'` : ''
      const { rowCount } = await q.query(`UPDATE live_rooms SET ${sets.join(', ')} WHERE id = $1${onlyUpcoming}`, [
        roomId,
        ...keys.map((k) => edit[k]),
      ])
      return (rowCount ?? 0) > 0
    },
    async seen(roomId, userId, at, everyMs) {
      await q.query(
        `UPDATE room_entries SET last_seen_at = $3
         WHERE room_id = $1 AND user_id = $2 AND (last_seen_at IS NULL OR last_seen_at <= $3::timestamptz - $4 * interval '1 millisecond')`,
        [roomId, userId, at, everyMs],
      )
    },
    async seenMany(roomId, marks, everyMs) {
      if (marks.length === 0) return
      // In user id order: two hosts flushing overlapping viewers lock their rows in the same order.
      const sorted = [...marks].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0))
      await q.query(
        `UPDATE room_entries e SET last_seen_at = m.at
         FROM unnest($2::text[], $3::timestamptz[]) AS m(user_id, at)
         WHERE e.room_id = $1 AND e.user_id = m.user_id
           AND (e.last_seen_at IS NULL OR e.last_seen_at <= m.at - $4 * interval '1 millisecond')`,
        [roomId, sorted.map((m) => m.userId), sorted.map((m) => m.at), everyMs],
      )
    },
    async samplePeak(roomId, at, everyMs, windowMs, closing = false) {
      await q.query(
        `UPDATE live_rooms r SET peak_sampled_at = $2,
           peak_viewers = GREATEST(r.peak_viewers, (SELECT count(*)::int FROM room_entries e
             WHERE e.room_id = r.id AND e.last_seen_at > $2::timestamptz - $4 * interval '1 millisecond'))
         WHERE r.id = $1 AND (r.status = 'live' OR $5::boolean)
           AND (r.peak_sampled_at IS NULL OR r.peak_sampled_at <= $2::timestamptz - $3 * interval '1 millisecond')`,
        [roomId, at, everyMs, windowMs, closing],
      )
    },
    async report(roomId, staffOpenids, topLimit) {
      const totals = await q.query<{ comments: number; credits: number; orders: number; buyers: number; gmvFen: string }>(
        `SELECT (SELECT count(*)::int FROM room_comments WHERE room_id = $1) AS comments,
           (SELECT count(*)::int FROM share_records WHERE room_id = $1) AS credits,
           count(*)::int AS orders, count(DISTINCT o.user_id)::int AS buyers, COALESCE(sum(o.payable_fen), 0)::bigint AS "gmvFen"
         FROM orders o WHERE o.room_id = $1 AND ${COUNTS('o')}`,
        [roomId],
      )
      const top = await q.query<ReportSums['topSharers'][number] & { gmvFen: string }>(
        `SELECT c.sharer_id AS "userId", u.nickname, c.invites,
           count(o.id)::int AS orders, COALESCE(sum(o.payable_fen), 0)::bigint AS "gmvFen"
         FROM sharer_counts c JOIN users u ON u.id = c.sharer_id
         LEFT JOIN orders o ON o.room_id = c.room_id AND o.sharer_id = c.sharer_id AND ${COUNTS('o')}
         WHERE c.room_id = $1 AND ${NOT_STAFF('c.sharer_id')}
         GROUP BY c.sharer_id, u.nickname, c.invites, c.reached_seq
         ORDER BY c.invites DESC, c.reached_seq ASC LIMIT $3`,
        [roomId, staffOpenids, topLimit],
      )
      // Claimed in this room: every claim of its room-only coupons; of a shop coupon dropped here, the
      // claims made by someone who had entered the room, after the drop and before the room ended.
      // Grants (admin.issueCoupon, room prizes) are not claims.
      // Grants from this room after the show are the coupon_grants of its keys (console.service
      // awardTopSharers, issueToViewers), found by key and their coupons by grant id (both indexed).
      const coupons = await q.query<ReportSums['coupons'][number] & { discountFen: string }>(
        `WITH grants AS (
           SELECT uc.coupon_id, uc.status, uc.order_id
           FROM coupon_grants cg JOIN user_coupons uc ON uc.grant_id = cg.id
           WHERE cg.grant_key IN ('room-top3:' || $1, 'room-end:' || $1)
         ), offered AS (
           SELECT c.id, rc.dropped_at, c.room_id = $1 AS room_only
           FROM coupons c LEFT JOIN room_coupons rc ON rc.coupon_id = c.id AND rc.room_id = $1
           WHERE c.room_id = $1 OR rc.room_id IS NOT NULL OR c.id IN (SELECT coupon_id FROM grants)
         ), claims AS (
           SELECT uc.coupon_id, uc.status, uc.order_id
           FROM user_coupons uc JOIN offered f ON f.id = uc.coupon_id JOIN live_rooms r ON r.id = $1
           WHERE uc.grant_key IS NULL AND (f.room_only OR (
             uc.claimed_at >= f.dropped_at AND (r.ended_at IS NULL OR uc.claimed_at <= r.ended_at)
             AND EXISTS (SELECT 1 FROM room_entries e WHERE e.room_id = $1 AND e.user_id = uc.user_id AND e.entered_at <= uc.claimed_at)))
         )
         SELECT c.id AS "couponId", c.title, c.kind, c.value_fen AS "valueFen", c.percent_off AS "percentOff",
           c.max_off_fen AS "maxOffFen", c.threshold_fen AS "thresholdFen",
           count(cl.coupon_id)::int AS claimed, count(o.id)::int AS used, COALESCE(sum(o.coupon_fen), 0)::bigint AS "discountFen",
           (SELECT count(*)::int FROM grants g WHERE g.coupon_id = c.id) AS granted,
           (SELECT count(*)::int FROM grants g JOIN orders go ON go.id = g.order_id AND ${COUNTS('go')}
             WHERE g.coupon_id = c.id AND g.status = 'used') AS "grantedUsed"
         FROM offered f JOIN coupons c ON c.id = f.id
         LEFT JOIN claims cl ON cl.coupon_id = c.id
         LEFT JOIN orders o ON o.id = cl.order_id AND cl.status = 'used' AND ${COUNTS('o')}
         GROUP BY c.id, f.dropped_at ORDER BY f.dropped_at NULLS LAST, c.seq`,
        [roomId],
      )
      // Every product pushed or sold here: the goods' sum then adds up to the room's sales.
      const goods = await q.query<ReportSums['goods'][number] & { gmvFen: string }>(
        `WITH sold AS (
           SELECT oi.product_id, sum(oi.qty)::int AS units, sum(oi.unit_price_fen * oi.qty - oi.discount_fen)::bigint AS gmv
           FROM order_items oi JOIN orders o ON o.id = oi.order_id AND o.room_id = $1 AND ${COUNTS('o')}
           GROUP BY oi.product_id
         ), shown AS (SELECT product_id, pushed_at FROM room_goods WHERE room_id = $1),
         ids AS (SELECT product_id FROM shown UNION SELECT product_id FROM sold)
         SELECT ids.product_id AS "productId", p.title, COALESCE(s.units, 0) AS units, COALESCE(s.gmv, 0)::bigint AS "gmvFen",
           g.product_id IS NOT NULL AS pushed
         FROM ids JOIN products p ON p.id = ids.product_id
         LEFT JOIN shown g ON g.product_id = ids.product_id LEFT JOIN sold s ON s.product_id = ids.product_id
         ORDER BY g.pushed_at NULLS LAST, p.title, ids.product_id`,
        [roomId],
      )
      const t = totals.rows[0]!
      return {
        comments: t.comments,
        credits: t.credits,
        orders: t.orders,
        buyers: t.buyers,
        gmvFen: Number(t.gmvFen),
        topSharers: top.rows.map((r) => ({ ...r, gmvFen: Number(r.gmvFen) })),
        coupons: coupons.rows.map((r) => ({ ...r, discountFen: Number(r.discountFen) })),
        goods: goods.rows.map((r) => ({ ...r, gmvFen: Number(r.gmvFen) })),
      }
    },
  }
}
