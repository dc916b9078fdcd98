import type { Comment } from '../../contract'
import type { LiveRepo, LotteryRecord, RoomRecord, RoomState, SyncState, ViewerOwn } from '../../core/live/live.ports'
import { ARRIVALS, SYNC_COMMENTS } from '../../core/live/room.rules'
import { lastStatement, type Queryable } from '../database'
import { isoUtc, roomStatusLockKey } from '../sql'

export const ROOM_COLUMNS = `r.id, r.title, r.status, r.starts_at AS "startsAt", r.started_at AS "startedAt", r.ended_at AS "endedAt",
  r.stream_kind AS "streamKind", r.stream_url AS "streamUrl", r.replay_url AS "replayUrl", r.poster, r.community_qr AS "communityQr",
  r.pinned_product_id AS "pinnedProductId", r.anchor_name AS "anchorName", r.anchor_avatar AS "anchorAvatar",
  r.like_count AS "likeCount", r.version`

const COMMENT_COLUMNS = `id, user_id AS "userId", nickname, text, ${isoUtc('created_at')} AS "createdAt"`

const LOTTERY_COLUMNS = `l.id, l.room_id AS "roomId", l.pool, l.winners, l.prize, l.seed, l.commitment, l.status, l.candidates,
  l.winner_ids AS "winnerIds",
  CASE WHEN l.winner_ids IS NULL THEN NULL ELSE ARRAY(
    SELECT u.nickname FROM unnest(l.winner_ids) WITH ORDINALITY AS w(id, n) JOIN users u ON u.id = w.id ORDER BY w.n) END AS "winnerNames"`

/**
 * Not staff (user `u` joined, room $1, staff openids $2): not in ADMIN_OPENIDS, not given a staff
 * role now, not entered the room as staff.
 */
export const NOT_STAFF = (id: string) => `u.openid <> ALL($2::text[])
  AND NOT EXISTS (SELECT 1 FROM staff st WHERE st.user_id = ${id})
  AND NOT EXISTS (SELECT 1 FROM room_entries s WHERE s.room_id = $1 AND s.user_id = ${id} AND s.staff)`

/** What the room view shows user $2 alone in room $1: their 预约 and their claims of the room's dropped coupons. */
const VIEWER_OWN = `EXISTS (SELECT 1 FROM room_subscriptions WHERE room_id = $1 AND user_id = $2) AS subscribed,
  COALESCE((SELECT json_object_agg(n.coupon_id, n.n) FROM coupon_claim_counts n
    WHERE n.user_id = $2 AND n.coupon_id IN (SELECT rc.coupon_id FROM room_coupons rc WHERE rc.room_id = $1)), '{}'::json) AS mine`

export function liveRepo(q: Queryable): LiveRepo {
  const room = async (roomId: string) => {
    const { rows } = await q.query<RoomRecord>(`SELECT ${ROOM_COLUMNS} FROM live_rooms r WHERE r.id = $1`, [roomId])
    return rows[0] ?? null
  }
  return {
    async createRoom(r) {
      const { rows } = await q.query<{ id: string }>(
        `INSERT INTO live_rooms (title, starts_at, stream_kind, stream_url, poster, community_qr, anchor_name, anchor_avatar)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [r.title, r.startsAt, r.streamKind, r.streamUrl, r.poster, r.communityQr, r.anchorName, r.anchorAvatar],
      )
      return rows[0]!.id
    },
    room,
    async listRooms(userId) {
      const { rows } = await q.query<RoomRecord & { viewerCount: number; subscribed: boolean }>(
        `SELECT ${ROOM_COLUMNS},
           (SELECT count(*)::int FROM room_entries e WHERE e.room_id = r.id) AS "viewerCount",
           EXISTS (SELECT 1 FROM room_subscriptions s WHERE s.room_id = r.id AND s.user_id = $1) AS subscribed
         FROM live_rooms r ORDER BY r.starts_at DESC LIMIT 100`,
        [userId],
      )
      return rows
    },
    async setStatus(roomId, from, to, at, replayUrl) {
      // Waits for claims of the room's room-only coupons in flight (they hold this lock shared).
      await q.query(`SELECT pg_advisory_xact_lock(${roomStatusLockKey('$1::text')})`, [roomId])
      const { rowCount } = await q.query(
        `UPDATE live_rooms SET status = $3::text,
           started_at = CASE WHEN $3 = 'live' THEN $4::timestamptz ELSE started_at END,
           ended_at = CASE WHEN $3 = 'ended' THEN $4 ELSE ended_at END,
           replay_url = COALESCE($5::text, replay_url)
         WHERE id = $1 AND status = $2`,
        [roomId, from, to, at, replayUrl],
      )
      return rowCount === 1 ? room(roomId) : null
    },
    async touch(roomId) {
      const { rows } = await q.query<{ version: number }>('UPDATE live_rooms SET version = version + 1 WHERE id = $1 RETURNING version', [
        roomId,
      ])
      return rows[0]!.version
    },
    async touchViewer(roomId, userId) {
      await q.query('UPDATE room_entries SET version = version + 1 WHERE room_id = $1 AND user_id = $2', [roomId, userId])
    },
    async touchRoomsOfCoupon(couponId) {
      // In id order, as every multi-row lock is taken.
      await q.query(
        `UPDATE live_rooms r SET version = r.version + 1 FROM (
           SELECT l.id FROM live_rooms l JOIN room_coupons rc ON rc.room_id = l.id WHERE rc.coupon_id = $1 ORDER BY l.id FOR NO KEY UPDATE OF l
         ) t WHERE r.id = t.id`,
        [couponId],
      )
    },
    async touchRoomsOfProducts(productIds) {
      if (productIds.length === 0) return
      await q.query(
        `UPDATE live_rooms r SET version = r.version + 1 FROM (
           SELECT l.id FROM live_rooms l WHERE EXISTS (SELECT 1 FROM room_goods g WHERE g.room_id = l.id AND g.product_id = ANY($1::text[]))
           ORDER BY l.id FOR NO KEY UPDATE
         ) t WHERE r.id = t.id`,
        [productIds],
      )
    },
    async syncState(roomId, userId) {
      const { rows } = await q.query<RoomRecord & Omit<SyncState, 'room'>>(
        `SELECT ${ROOM_COLUMNS}, COALESCE(e.version, 0)::int AS "viewerVersion",
           (SELECT count(*)::int FROM room_entries a WHERE a.room_id = r.id) AS "viewerCount",
           -- The credits as the leaderboard holds them (one row per sharer, equal to the share records).
           (SELECT COALESCE(sum(s.invites), 0)::int FROM sharer_counts s WHERE s.room_id = r.id) AS "creditCount",
           COALESCE((SELECT max(c.id) FROM room_comments c WHERE c.room_id = r.id), 0)::int AS "lastCommentId"
         FROM live_rooms r LEFT JOIN room_entries e ON e.room_id = r.id AND e.user_id = $2
         WHERE r.id = $1`,
        [roomId, userId],
      )
      const row = rows[0]
      if (!row) return null
      const { viewerVersion, viewerCount, creditCount, lastCommentId, ...room } = row
      return { room, viewerVersion, viewerCount, creditCount, lastCommentId }
    },
    async roomState(roomId) {
      // One query for everything an unchanged poll needs, shared by all the room's viewers on a host.
      const { rows } = await q.query<RoomRecord & Omit<RoomState, 'room'>>(
        `SELECT ${ROOM_COLUMNS},
           (SELECT count(*)::int FROM room_entries a WHERE a.room_id = r.id) AS "viewerCount",
           (SELECT COALESCE(sum(s.invites), 0)::int FROM sharer_counts s WHERE s.room_id = r.id) AS "creditCount",
           COALESCE((SELECT max(c.id) FROM room_comments c WHERE c.room_id = r.id), 0)::int AS "lastCommentId",
           -- Only the versions past an entry's first (1): a room's few claimers and subscribers (index room_entries_moved_idx).
           COALESCE((SELECT json_object_agg(v.user_id, v.version) FROM room_entries v WHERE v.room_id = r.id AND v.version <> 1), '{}'::json)
             AS "viewerVersions",
           COALESCE((SELECT json_agg(json_build_object('id', c.id, 'userId', c.user_id, 'nickname', c.nickname, 'text', c.text,
               'createdAt', ${isoUtc('c.created_at')}) ORDER BY c.id)
             FROM (SELECT * FROM room_comments WHERE room_id = r.id ORDER BY id DESC LIMIT ${SYNC_COMMENTS}) c), '[]'::json) AS comments,
           COALESCE((SELECT json_agg(t.nickname ORDER BY t.entered_at, t.user_id) FROM (
               SELECT u.nickname, e.entered_at, e.user_id FROM room_entries e JOIN users u ON u.id = e.user_id
               WHERE e.room_id = r.id ORDER BY e.entered_at DESC, e.user_id DESC LIMIT ${ARRIVALS}) t), '[]'::json) AS entrants
         FROM live_rooms r WHERE r.id = $1`,
        [roomId],
      )
      const row = rows[0]
      if (!row) return null
      const { viewerCount, creditCount, lastCommentId, viewerVersions, comments, entrants, ...room } = row
      return { room, viewerCount, creditCount, lastCommentId, viewerVersions, comments, entrants }
    },
    async viewerOwn(roomId, userId) {
      const { rows } = await q.query<ViewerOwn>(`SELECT ${VIEWER_OWN}`, [roomId, userId])
      return rows[0]!
    },
    async latestEntrants(roomId, limit) {
      const { rows } = await q.query<{ nickname: string }>(
        `SELECT nickname FROM (
           SELECT u.nickname, e.entered_at, e.user_id FROM room_entries e JOIN users u ON u.id = e.user_id
           WHERE e.room_id = $1 ORDER BY e.entered_at DESC, e.user_id DESC LIMIT $2
         ) t ORDER BY entered_at, user_id`,
        [roomId, limit],
      )
      return rows.map((r) => r.nickname)
    },
    async viewerFacts(roomId, userId) {
      const { rows } = await q.query<{ viewerCount: number; subscribed: boolean }>(
        `SELECT (SELECT count(*)::int FROM room_entries WHERE room_id = $1) AS "viewerCount",
           EXISTS (SELECT 1 FROM room_subscriptions WHERE room_id = $1 AND user_id = $2) AS subscribed`,
        [roomId, userId],
      )
      return rows[0]!
    },
    async pushGoods(roomId, productId) {
      await q.query(
        `INSERT INTO room_goods (room_id, product_id) VALUES ($1, $2) ON CONFLICT (room_id, product_id) DO UPDATE SET pushed_at = now()`,
        [roomId, productId],
      )
      await q.query('UPDATE live_rooms SET pinned_product_id = $2 WHERE id = $1', [roomId, productId])
    },
    async goodsIds(roomId) {
      const { rows } = await q.query<{ product_id: string }>(
        'SELECT product_id FROM room_goods WHERE room_id = $1 ORDER BY pushed_at DESC',
        [roomId],
      )
      return rows.map((r) => r.product_id)
    },
    async dropCoupon(roomId, couponId) {
      await q.query('INSERT INTO room_coupons (room_id, coupon_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [roomId, couponId])
    },
    async couponIds(roomId) {
      const { rows } = await q.query<{ coupon_id: string }>(
        'SELECT coupon_id FROM room_coupons WHERE room_id = $1 ORDER BY dropped_at DESC',
        [roomId],
      )
      return rows.map((r) => r.coupon_id)
    },
    async entered(roomId, userId) {
      const { rowCount } = await q.query('SELECT 1 FROM room_entries WHERE room_id = $1 AND user_id = $2', [roomId, userId])
      return rowCount === 1
    },
    async enter(roomId, userId, sharerId, at, staff, opts) {
      // One statement: the entry; through an existing sharer's link, the first entry's share record and
      // the sharer's count (first entry wins: the entries' key lets one in), and the last touch on
      // every entry; and what the viewer's own room view needs. Data-modifying CTEs all see the same
      // snapshot, so each reads only the rows the previous one returned.
      // Staff: as the caller was identified, or holding a role now (one given since a shopper's session
      // was cached by the host): never a lottery candidate either way.
      // Named: prepared once per connection, so the hot entry is planned once, not at every call.
      const statement = {
        name: 'live-enter',
        text: `WITH s AS (SELECT id FROM users WHERE id = $3 AND id <> $2),
           -- A first entry is a sighting too (presence): the host's flush of marks then has nothing to write for it.
           ins AS (INSERT INTO room_entries (room_id, user_id, sharer_id, entered_at, staff, last_seen_at)
             VALUES ($1, $2, (SELECT id FROM s), $4, $5 OR EXISTS (SELECT 1 FROM staff WHERE user_id = $2), $4) ON CONFLICT DO NOTHING RETURNING sharer_id),
           rec AS (INSERT INTO share_records (room_id, viewer_id, sharer_id, created_at)
             SELECT $1, $2, ins.sharer_id, $4 FROM ins WHERE ins.sharer_id IS NOT NULL RETURNING sharer_id),
           cnt AS (INSERT INTO sharer_counts (room_id, sharer_id, invites, reached_at, reached_seq)
             SELECT $1, rec.sharer_id, 1, $4, nextval('sharer_reach_seq') FROM rec
             ON CONFLICT (room_id, sharer_id) DO UPDATE
               SET invites = sharer_counts.invites + 1, reached_at = EXCLUDED.reached_at, reached_seq = EXCLUDED.reached_seq
             RETURNING 1),
           -- Runs though nothing reads it, as every data-modifying CTE does.
           touch AS (INSERT INTO share_touches AS t (user_id, sharer_id, room_id, touched_at) SELECT $2, s.id, $1, $4 FROM s
             ON CONFLICT (user_id, sharer_id) DO UPDATE
               SET touched_at = GREATEST(t.touched_at, EXCLUDED.touched_at),
                   room_id = CASE WHEN EXCLUDED.touched_at >= t.touched_at THEN EXCLUDED.room_id ELSE t.room_id END)
         SELECT EXISTS (SELECT 1 FROM ins) AS first, EXISTS (SELECT 1 FROM cnt) AS credited, ${VIEWER_OWN}`,
        values: [roomId, userId, sharerId, at, staff],
      }
      // As the transaction's last statement (the call's only one, with the host's caches) it commits
      // in its own round trip: no BEGIN, no COMMIT.
      const { rows } = opts?.last
        ? await lastStatement<{ first: boolean; credited: boolean } & ViewerOwn>(q, statement)
        : await q.query<{ first: boolean; credited: boolean } & ViewerOwn>(statement)
      const { first, credited, subscribed, mine } = rows[0]!
      return { first, credited, own: { subscribed, mine } }
    },
    async addComment(roomId, userId, nickname, text) {
      const { rows } = await q.query<Comment>(
        `INSERT INTO room_comments (room_id, user_id, nickname, text) VALUES ($1, $2, $3, $4) RETURNING ${COMMENT_COLUMNS}`,
        [roomId, userId, nickname, text],
      )
      return rows[0]!
    },
    async commentsAfter(roomId, afterId, limit) {
      // The newest `limit` after the cursor, returned oldest first.
      const { rows } = await q.query<Comment>(
        `SELECT * FROM (SELECT ${COMMENT_COLUMNS} FROM room_comments WHERE room_id = $1 AND id > $2 ORDER BY id DESC LIMIT $3) c ORDER BY id`,
        [roomId, afterId, limit],
      )
      return rows
    },
    async like(roomId, n) {
      const { rows } = await q.query<{ like_count: number }>(
        'UPDATE live_rooms SET like_count = like_count + $2 WHERE id = $1 RETURNING like_count',
        [roomId, n],
      )
      return rows[0]!.like_count
    },
    async likeByViewer(roomId, userId, n) {
      const { rows } = await q.query<{ like_count: number }>(
        `UPDATE live_rooms SET like_count = like_count + $3
         WHERE id = $1 AND EXISTS (SELECT 1 FROM room_entries WHERE room_id = $1 AND user_id = $2) RETURNING like_count`,
        [roomId, userId, n],
      )
      return rows[0]?.like_count ?? null
    },
    async viewerNickname(roomId, userId) {
      const { rows } = await q.query<{ nickname: string }>(
        'SELECT u.nickname FROM room_entries e JOIN users u ON u.id = e.user_id WHERE e.room_id = $1 AND e.user_id = $2',
        [roomId, userId],
      )
      return rows[0]?.nickname ?? null
    },
    async subscribe(roomId, userId) {
      // The room's status lock shared, as a claim of a room-only coupon takes it: setStatus (which
      // takes it exclusively) waits for this subscription's commit before it reads the subscribers,
      // and a subscription after the start reads the room live and is refused.
      await q.query(`SELECT pg_advisory_xact_lock_shared(${roomStatusLockKey('$1::text')})`, [roomId])
      const { rows } = await q.query<{ upcoming: boolean }>(
        `WITH r AS (SELECT id FROM live_rooms WHERE id = $1 AND status = 'upcoming'),
           ins AS (INSERT INTO room_subscriptions (room_id, user_id) SELECT r.id, $2 FROM r ON CONFLICT DO NOTHING)
         SELECT EXISTS (SELECT 1 FROM r) AS upcoming`,
        [roomId, userId],
      )
      return rows[0]!.upcoming
    },
    async subscribers(roomId) {
      const { rows } = await q.query<{ userId: string; openid: string }>(
        'SELECT s.user_id AS "userId", u.openid FROM room_subscriptions s JOIN users u ON u.id = s.user_id WHERE s.room_id = $1',
        [roomId],
      )
      return rows
    },
    async board(roomId, named) {
      // One row whatever the room's size: the ids and the counts as two JSON arrays aggregated in the
      // rank index's order (no sort), and the first `named` nicknames. A named statement, planned once
      // per connection. (A row per sharer cost the host several times the parsing, and a join to users
      // for every sharer turned into a scan of all users.)
      const { rows } = await q.query<{ board: [string[] | null, number[] | null, string[] | null] }>({
        name: 'live-board',
        text: `SELECT json_build_array(
             json_agg(c.sharer_id ORDER BY c.invites DESC, c.reached_seq ASC),
             json_agg(c.invites ORDER BY c.invites DESC, c.reached_seq ASC),
             (SELECT json_agg(u.nickname ORDER BY t.invites DESC, t.reached_seq ASC)
                FROM (SELECT sharer_id, invites, reached_seq FROM sharer_counts WHERE room_id = $1
                      ORDER BY invites DESC, reached_seq ASC LIMIT $2) t
                JOIN users u ON u.id = t.sharer_id)) AS board
           FROM sharer_counts c WHERE c.room_id = $1`,
        values: [roomId, named],
      })
      const [ids, invites, names] = rows[0]!.board
      return { ids: ids ?? [], invites: invites ?? [], names: names ?? [] }
    },
    async poolCandidates(roomId, pool, staffOpenids) {
      const members =
        pool === 'sharers'
          ? `SELECT DISTINCT s.sharer_id AS id FROM share_records s JOIN live_rooms r ON r.id = s.room_id
             WHERE s.room_id = $1 AND (r.ended_at IS NULL OR s.created_at <= r.ended_at)`
          : `SELECT e.user_id AS id FROM room_entries e JOIN live_rooms r ON r.id = e.room_id
             WHERE e.room_id = $1 AND (r.ended_at IS NULL OR e.entered_at <= r.ended_at)`
      const { rows } = await q.query<{ id: string }>(
        `SELECT m.id FROM (${members}) m JOIN users u ON u.id = m.id
         WHERE ${NOT_STAFF('m.id')}
         ORDER BY m.id COLLATE "C"`,
        [roomId, staffOpenids],
      )
      return rows.map((r) => r.id)
    },
    async topSharers(roomId, limit, staffOpenids) {
      const { rows } = await q.query<{ id: string }>(
        `SELECT c.sharer_id AS id FROM sharer_counts c JOIN users u ON u.id = c.sharer_id
         WHERE c.room_id = $1 AND ${NOT_STAFF('c.sharer_id')}
         ORDER BY c.invites DESC, c.reached_seq ASC LIMIT $3`,
        [roomId, staffOpenids, limit],
      )
      return rows.map((r) => r.id)
    },
    async recordAward(roomId, couponId, userIds, at) {
      // The primary key lets one award per room in; a racing second one waits for the first and then
      // reads it back.
      const { rowCount } = await q.query(
        'INSERT INTO room_awards (room_id, coupon_id, user_ids, awarded_at) VALUES ($1, $2, $3, $4) ON CONFLICT (room_id) DO NOTHING',
        [roomId, couponId, userIds, at],
      )
      if (rowCount === 1) return { fresh: true, couponId, userIds }
      const { rows } = await q.query<{ couponId: string; userIds: string[] }>(
        'SELECT coupon_id AS "couponId", user_ids AS "userIds" FROM room_awards WHERE room_id = $1',
        [roomId],
      )
      return { fresh: false, ...rows[0]! }
    },
    async viewerIds(roomId) {
      const { rows } = await q.query<{ id: string }>(
        `SELECT user_id AS id FROM room_entries WHERE room_id = $1 ORDER BY user_id COLLATE "C"`,
        [roomId],
      )
      return rows.map((r) => r.id)
    },
    async createLottery(l) {
      const { rows } = await q.query<{ id: string }>(
        'INSERT INTO lotteries (room_id, pool, winners, prize, seed, commitment) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
        [l.roomId, l.pool, l.winners, l.prize, l.seed, l.commitment],
      )
      return rows[0]!.id
    },
    async lottery(id) {
      const { rows } = await q.query<LotteryRecord>(`SELECT ${LOTTERY_COLUMNS} FROM lotteries l WHERE l.id = $1`, [id])
      return rows[0] ?? null
    },
    async lotteries(roomId, limit) {
      const { rows } = await q.query<LotteryRecord>(
        `SELECT ${LOTTERY_COLUMNS} FROM lotteries l WHERE l.room_id = $1 ORDER BY l.committed_at DESC, l.id DESC LIMIT $2`,
        [roomId, limit],
      )
      return rows
    },
    async markDrawn(id, candidates, winnerIds, at) {
      const { rowCount } = await q.query(
        `UPDATE lotteries SET status = 'drawn', candidates = $2, winner_ids = $3, drawn_at = $4 WHERE id = $1 AND status = 'committed'`,
        [id, candidates, winnerIds, at],
      )
      return rowCount === 1
    },
    async stats(roomId) {
      const { rows } = await q.query<{ viewers: number; comments: number; credits: number; orders: number; gmvFen: string }>(
        `SELECT (SELECT count(*)::int FROM room_entries WHERE room_id = $1) AS viewers,
           (SELECT count(*)::int FROM room_comments WHERE room_id = $1) AS comments,
           (SELECT count(*)::int FROM share_records WHERE room_id = $1) AS credits,
           o.orders, o.gmv AS "gmvFen"
         FROM (SELECT count(*)::int AS orders, COALESCE(sum(payable_fen), 0)::bigint AS gmv FROM orders
               WHERE room_id = $1 AND paid_at IS NOT NULL AND status <> 'refunded') o`,
        [roomId],
      )
      const r = rows[0]!
      return { viewers: r.viewers, comments: r.comments, credits: r.credits, orders: r.orders, gmvFen: Number(r.gmvFen) }
    },
    async shareRecords(roomId) {
      const { rows } = await q.query<{
        sharerId: string
        sharerNickname: string
        viewerId: string
        viewerNickname: string
        createdAt: string
      }>(
        `SELECT r.sharer_id AS "sharerId", s.nickname AS "sharerNickname", r.viewer_id AS "viewerId", v.nickname AS "viewerNickname",
           ${isoUtc('r.created_at')} AS "createdAt"
         FROM share_records r JOIN users s ON s.id = r.sharer_id JOIN users v ON v.id = r.viewer_id
         WHERE r.room_id = $1 ORDER BY r.id`,
        [roomId],
      )
      return rows
    },
  }
}
