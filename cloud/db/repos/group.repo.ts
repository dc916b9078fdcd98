import type { GroupCampaignStatus, GroupStatus } from '../../contract'
import type {
  AdminGroupCampaignRecord,
  GroupCampaignRecord,
  GroupRecord,
  GroupRepo,
  SeatRecord,
  SeatStatus,
} from '../../core/group/group.ports'
import { batch, prepared, type Queryable } from '../database'

const CAMPAIGN_COLUMNS = `c.id, c.title, c.product_id AS "productId", c.sku_id AS "skuId", p.title AS "productTitle",
    s.spec_text AS "specText", COALESCE(p.images[1], '') AS cover, c.group_price_fen AS "groupPriceFen", s.price_fen AS "priceFen",
    s.stock, c.group_size AS "groupSize", c.group_hours AS "groupHours", c.starts_at AS "startsAt", c.ends_at AS "endsAt",
    c.on_expiry AS "onExpiry", c.status, c.ended_at AS "endedAt", c.created_at AS "createdAt"`
const CAMPAIGN_FROM = 'group_campaigns c JOIN products p ON p.id = c.product_id JOIN skus s ON s.id = c.sku_id'

/**
 * A campaign's results from the stored facts: its groups by status (opened = the leader paid), its
 * members who paid, what their orders brought in and what was refunded of those payments (a refunded
 * second payment of an order is not counted: it was never part of what the order brought in).
 */
const ADMIN_SELECT = `SELECT ${CAMPAIGN_COLUMNS},
    COALESCE(g.opened, 0) AS "groupsOpened", COALESCE(g.succeeded, 0) AS "groupsSucceeded",
    COALESCE(g.failed, 0) AS "groupsFailed", COALESCE(g.forming, 0) AS "groupsForming", COALESCE(g.any_group, false) AS "anyGroup",
    COALESCE(m.paid_members, 0) AS "membersPaid", COALESCE(m.paid_fen, 0) AS "paidFen", COALESCE(m.refunded_fen, 0) AS "refundedFen"
  FROM ${CAMPAIGN_FROM}
  LEFT JOIN LATERAL (
    SELECT count(*) FILTER (WHERE formed_at IS NOT NULL)::int AS opened, count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded,
      count(*) FILTER (WHERE status = 'failed')::int AS failed, count(*) FILTER (WHERE status = 'forming')::int AS forming,
      count(*) > 0 AS any_group
    FROM groups WHERE campaign_id = c.id
  ) g ON true
  LEFT JOIN LATERAL (
    SELECT count(*)::int AS paid_members, COALESCE(sum(o.payable_fen), 0)::bigint AS paid_fen,
      -- Only refunds of the order's recorded payment: a second payment refunded was never GMV.
      COALESCE(sum((SELECT COALESCE(sum(r.amount_fen), 0) FROM payments p JOIN refunds r ON r.transaction_id = p.transaction_id
        WHERE p.order_id = o.id)), 0)::bigint AS refunded_fen
    FROM group_members gm JOIN orders o ON o.id = gm.order_id
    WHERE gm.campaign_id = c.id AND o.paid_at IS NOT NULL
  ) m ON true`

const GROUP_COLUMNS = `g.id, g.campaign_id AS "campaignId", g.leader_id AS "leaderId", g.size, g.hours, g.price_fen AS "priceFen",
  g.on_expiry AS "onExpiry", g.held, g.paid, g.status, g.opened_at AS "openedAt", g.formed_at AS "formedAt",
  g.expires_at AS "expiresAt", g.ended_at AS "endedAt"`

const SEAT_SELECT = `SELECT m.group_id AS "groupId", m.user_id AS "userId", m.order_id AS "orderId", m.leader, m.status AS seat,
    u.nickname, COALESCE(u.avatar_url, '') AS avatar, o.status AS "orderStatus", o.payable_fen AS "payableFen", m.joined_at AS "joinedAt"
  FROM group_members m JOIN users u ON u.id = m.user_id JOIN orders o ON o.id = m.order_id`

/**
 * A group never outlives its campaign: after the campaign's end or end time changed (in that change's
 * transaction, whose update of the campaign already locked its unfinished groups in id order by the
 * trigger of migration 047), its forming groups' expiresAt is capped at the campaign's endsAt, so the
 * jobs' expiry ends them (refund or complete) as their own time running out would.
 */
async function capGroups(q: Queryable, campaignId: string): Promise<void> {
  await q.query(
    `UPDATE groups g SET expires_at = c.ends_at FROM group_campaigns c
     WHERE c.id = $1 AND g.campaign_id = c.id AND g.status = 'forming' AND g.expires_at > c.ends_at`,
    [campaignId],
  )
}

export function groupRepo(q: Queryable): GroupRepo {
  return {
    async createCampaign(c) {
      const { rows } = await q.query<{ id: string }>(
        `INSERT INTO group_campaigns (title, product_id, sku_id, group_price_fen, group_size, group_hours, starts_at, ends_at, on_expiry, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [c.title, c.productId, c.skuId, c.groupPriceFen, c.groupSize, c.groupHours, c.startsAt, c.endsAt, c.onExpiry, c.status],
      )
      return rows[0]!.id
    },
    async campaign(id) {
      const { rows } = await q.query<GroupCampaignRecord>(`SELECT ${CAMPAIGN_COLUMNS} FROM ${CAMPAIGN_FROM} WHERE c.id = $1`, [id])
      return rows[0] ?? null
    },
    async campaignShared(id) {
      const { rows } = await q.query<GroupCampaignRecord>(
        `SELECT ${CAMPAIGN_COLUMNS} FROM ${CAMPAIGN_FROM} WHERE c.id = $1 FOR SHARE OF c`,
        [id],
      )
      return rows[0] ?? null
    },
    async campaignLocked(id) {
      const { rows } = await q.query<GroupCampaignRecord>(
        `SELECT ${CAMPAIGN_COLUMNS} FROM ${CAMPAIGN_FROM} WHERE c.id = $1 FOR NO KEY UPDATE OF c`,
        [id],
      )
      return rows[0] ?? null
    },
    async endCampaign(id, at) {
      await q.query(
        `UPDATE group_campaigns SET status = 'ended', ended_at = LEAST($2, ends_at),
           ends_at = CASE WHEN starts_at < $2 AND ends_at > $2 THEN $2 ELSE ends_at END
         WHERE id = $1 AND status <> 'ended'`,
        [id, at],
      )
      await capGroups(q, id)
    },
    async openCampaigns(at, productId) {
      const { rows } = await q.query<GroupCampaignRecord>(
        `SELECT ${CAMPAIGN_COLUMNS} FROM ${CAMPAIGN_FROM}
         WHERE c.status = 'active' AND c.starts_at <= $1 AND c.ends_at > $1 AND ($2::text IS NULL OR c.product_id = $2)
           AND p.on_sale
         ORDER BY c.seq DESC LIMIT 50`,
        [at, productId],
      )
      return rows
    },
    async updateCampaign(id, e) {
      const { rows: locked } = await q.query<{ any: boolean; status: string }>(
        'SELECT EXISTS (SELECT 1 FROM groups WHERE campaign_id = c.id) AS any, c.status FROM group_campaigns c WHERE c.id = $1 FOR NO KEY UPDATE',
        [id],
      )
      if (!locked[0]) return null
      if (locked[0].status === 'ended') return 'ended'
      // The lock is held: a group opening now (its insert checks nothing of the campaign's row) is
      // seen by this second look, in a fresh snapshot of READ COMMITTED.
      if (e.groupPriceFen !== undefined || e.groupSize !== undefined) {
        const { rows } = await q.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM groups WHERE campaign_id = $1) AS any', [id])
        if (rows[0]!.any) return 'locked'
      }
      await q.query(
        `UPDATE group_campaigns SET title = COALESCE($2, title), status = COALESCE($3, status), ends_at = COALESCE($4, ends_at),
           group_price_fen = COALESCE($5, group_price_fen), group_size = COALESCE($6, group_size)
         WHERE id = $1`,
        [id, e.title ?? null, e.status ?? null, e.endsAt ?? null, e.groupPriceFen ?? null, e.groupSize ?? null],
      )
      if (e.endsAt) await capGroups(q, id)
      return 'ok'
    },
    async adminCampaigns(ids) {
      const { rows } = await q.query<AdminGroupCampaignRecord>(
        `${ADMIN_SELECT} WHERE ($1::text[] IS NULL OR c.id = ANY($1)) ORDER BY c.seq DESC LIMIT 200`,
        [ids],
      )
      return rows
    },
    async adminGroups(campaignId, status, offset, limit) {
      const { rows } = await q.query<GroupRecord>(
        `SELECT ${GROUP_COLUMNS} FROM groups g WHERE g.campaign_id = $1 AND ($2::text IS NULL OR g.status = $2)
         ORDER BY g.opened_at DESC, g.id DESC OFFSET $3 LIMIT $4`,
        [campaignId, status, offset, limit],
      )
      return rows
    },
    async group(id) {
      const { rows } = await q.query<GroupRecord>(`SELECT ${GROUP_COLUMNS} FROM groups g WHERE g.id = $1`, [id])
      return rows[0] ?? null
    },
    async seats(groupIds, all = false) {
      if (groupIds.length === 0) return []
      const { rows } = await q.query<SeatRecord>(
        `${SEAT_SELECT} WHERE m.group_id = ANY($1) AND ($2 OR m.status IN ('held', 'paid'))
         ORDER BY m.leader DESC, m.status = 'paid' DESC, m.joined_at, m.order_id`,
        [groupIds, all],
      )
      return rows
    },
    async openGroups(campaignId, at, limit) {
      const { rows } = await q.query<GroupRecord>(
        `SELECT ${GROUP_COLUMNS} FROM groups g
         WHERE g.campaign_id = $1 AND g.status = 'forming' AND g.expires_at > $2 AND g.held < g.size
         ORDER BY g.paid DESC, g.held DESC, g.expires_at LIMIT $3`,
        [campaignId, at, limit],
      )
      return rows
    },
    async myOpenGroup(campaignId, userId) {
      const { rows } = await q.query<{ id: string }>(
        'SELECT group_id AS id FROM group_members WHERE campaign_id = $1 AND user_id = $2 AND open LIMIT 1',
        [campaignId, userId],
      )
      return rows[0]?.id ?? null
    },
    async openSeatElsewhere(campaignId, userId, groupId) {
      const { rows } = await q.query<{ any: boolean }>(
        'SELECT EXISTS (SELECT 1 FROM group_members WHERE campaign_id = $1 AND user_id = $2 AND open AND group_id <> $3) AS any',
        [campaignId, userId, groupId],
      )
      return rows[0]!.any
    },
    async mySeat(groupId, userId) {
      const { rows } = await q.query<SeatRecord>(
        `${SEAT_SELECT} WHERE m.group_id = $1 AND m.user_id = $2 ORDER BY m.joined_at DESC LIMIT 1`,
        [groupId, userId],
      )
      return rows[0] ?? null
    },
    async open(g) {
      // The group and its leader's seat in one statement; the seat's unique keys decide (a racing
      // open or join of the same person waits on the index, then finds it taken). The group's id is
      // the order key's (group.service openGroupId), and a key makes one order: it is never taken.
      const { rows } = await q.query<{ ok: boolean }>(
        `WITH g AS (
           INSERT INTO groups (id, campaign_id, leader_id, size, hours, price_fen, on_expiry, opened_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, campaign_id)
         INSERT INTO group_members (group_id, campaign_id, user_id, order_id, leader, joined_at)
         SELECT g.id, g.campaign_id, $3, $9, true, $8 FROM g
         ON CONFLICT DO NOTHING RETURNING true AS ok`,
        [g.id, g.campaignId, g.leaderId, g.size, g.hours, g.priceFen, g.onExpiry, g.at, g.orderId],
      )
      return rows.length === 1
    },
    async join(groupId, userId, orderId, at) {
      // Two statements in one round trip. The seat: one conditional update on the group's row that also
      // requires its campaign open at `at` in the statement's snapshot (read, never locked: joins stay
      // off the campaign's row). Then the campaign read again with a snapshot of its own, taken after
      // the seat (and after any wait for the group's row): a pause or end that committed meanwhile is
      // seen there (migration 047: such a change locks the campaign's unfinished groups first), and
      // core refuses the join on it.
      const [seat, now] = await batch(q, [
        {
          ...prepared(`WITH g AS (
               UPDATE groups g SET held = held + 1
               WHERE g.id = $1 AND g.status = 'forming' AND g.expires_at > $4 AND g.held < g.size
                 AND EXISTS (SELECT 1 FROM group_campaigns c WHERE c.id = g.campaign_id AND c.status = 'active'
                   AND c.starts_at <= $4 AND c.ends_at > $4)
               RETURNING g.id, g.campaign_id),
             m AS (
               INSERT INTO group_members (group_id, campaign_id, user_id, order_id, joined_at)
               SELECT g.id, g.campaign_id, $2, $3, $4 FROM g
               ON CONFLICT DO NOTHING RETURNING 1)
             SELECT EXISTS (SELECT 1 FROM g) AS took, EXISTS (SELECT 1 FROM m) AS seated`),
          values: [groupId, userId, orderId, at],
        },
        {
          ...prepared(`SELECT c.status, c.starts_at AS "startsAt", c.ends_at AS "endsAt", g.status AS "groupStatus",
               g.expires_at <= $2 AS expired
             FROM groups g JOIN group_campaigns c ON c.id = g.campaign_id WHERE g.id = $1`),
          values: [groupId, at],
        },
      ])
      const r = seat!.rows[0] as { took: boolean; seated: boolean }
      const found = now!.rows[0] as {
        status: GroupCampaignStatus
        startsAt: Date
        endsAt: Date
        groupStatus: GroupStatus
        expired: boolean
      }
      const campaign = { status: found.status, startsAt: found.startsAt, endsAt: found.endsAt }
      if (r.took) return { outcome: r.seated ? 'ok' : 'joined', campaign }
      if (found.groupStatus !== 'forming' || found.expired) return { outcome: 'closed', campaign }
      // The group runs: the seats were full, or the campaign closed (core tells which from `campaign`).
      return { outcome: 'refused', campaign }
    },
    async countPaid(orderId, at) {
      const { rows } = await q.query<{ groupId: string; status: GroupStatus }>(
        `WITH m AS (SELECT group_id FROM group_members WHERE order_id = $1 AND status = 'held'),
         -- A pending group is formed by its leader's payment only while its campaign is open, read
         -- under a share lock taken before the group's row (a pause or end in flight is waited for
         -- and seen; nobody holding a group's row waits for this, so no circle).
         open AS (
           SELECT 1 FROM group_campaigns c JOIN groups g0 ON g0.campaign_id = c.id JOIN m ON m.group_id = g0.id
           WHERE g0.status = 'pending' AND c.status = 'active' AND c.starts_at <= $2 AND c.ends_at > $2
           FOR SHARE OF c),
         g AS (
           UPDATE groups g SET paid = g.paid + 1,
             status = CASE WHEN g.paid + 1 >= g.size THEN 'succeeded' ELSE 'forming' END,
             formed_at = COALESCE(g.formed_at, $2),
             -- A group never outlives its campaign: its clock is capped at the campaign's end.
             expires_at = COALESCE(g.expires_at, LEAST($2::timestamptz + make_interval(hours => g.hours),
               (SELECT c.ends_at FROM group_campaigns c WHERE c.id = g.campaign_id))),
             ended_at = CASE WHEN g.paid + 1 >= g.size THEN $2::timestamptz END
           FROM m
           WHERE g.id = m.group_id AND (g.status = 'forming' OR (g.status = 'pending' AND EXISTS (SELECT 1 FROM open)))
             AND (g.expires_at IS NULL OR g.expires_at > $2)
           RETURNING g.id, g.status),
         s AS (
           UPDATE group_members gm SET status = 'paid', paid_at = $2, open = (g.status <> 'succeeded')
           FROM g WHERE gm.order_id = $1 RETURNING 1),
         done AS (
           UPDATE group_members gm SET open = false
           FROM g WHERE g.status = 'succeeded' AND gm.group_id = g.id AND gm.open AND gm.order_id <> $1 RETURNING 1)
         SELECT g.id AS "groupId", g.status, (SELECT count(*) FROM s) + (SELECT count(*) FROM done) AS n FROM g`,
        [orderId, at],
      )
      return rows[0] ? { groupId: rows[0].groupId, status: rows[0].status } : null
    },
    async seatOfOrder(orderId) {
      const { rows } = await q.query<{ groupId: string; seat: SeatStatus; leader: boolean; groupStatus: GroupStatus }>(
        `SELECT m.group_id AS "groupId", m.status AS seat, m.leader, g.status AS "groupStatus"
         FROM group_members m JOIN groups g ON g.id = m.group_id WHERE m.order_id = $1 FOR UPDATE OF g`,
        [orderId],
      )
      return rows[0] ?? null
    },
    async freeSeat(orderId, { wasPaid, cancelGroup, at }) {
      const { rows } = await q.query<{ paid: number; status: GroupStatus }>(
        `WITH m AS (UPDATE group_members SET status = 'left', open = false WHERE order_id = $1 AND status IN ('held', 'paid') RETURNING group_id)
         UPDATE groups g SET held = g.held - 1, paid = g.paid - CASE WHEN $2 THEN 1 ELSE 0 END,
           status = CASE WHEN $3 THEN 'cancelled' ELSE g.status END,
           ended_at = CASE WHEN $3 THEN $4::timestamptz ELSE g.ended_at END
         FROM m WHERE g.id = m.group_id RETURNING g.paid, g.status`,
        [orderId, wasPaid, cancelGroup, at],
      )
      return rows[0] ?? null
    },
    async failEmpty(groupId, at) {
      const { rows } = await q.query(
        `UPDATE groups SET status = 'failed', ended_at = $2 WHERE id = $1 AND status = 'forming' AND paid = 0 RETURNING 1`,
        [groupId, at],
      )
      if (!rows[0]) return null
      const { rows: seats } = await q.query<{ id: string }>(
        `UPDATE group_members SET open = false WHERE group_id = $1 AND status = 'held' RETURNING order_id AS id`,
        [groupId],
      )
      if (seats.length === 0) return []
      const { rows: free } = await q.query<{ id: string }>('SELECT id FROM orders WHERE id = ANY($1) ORDER BY id FOR UPDATE SKIP LOCKED', [
        seats.map((r) => r.id),
      ])
      return free.map((r) => r.id)
    },
    async markRefunded(orderId) {
      await q.query(`UPDATE group_members SET status = 'refunded', open = false WHERE order_id = $1 AND status IN ('held', 'paid')`, [
        orderId,
      ])
    },
    async expiredIds(at, limit) {
      const { rows } = await q.query<{ id: string }>(
        `SELECT id FROM groups WHERE status = 'forming' AND expires_at <= $1 ORDER BY expires_at LIMIT $2`,
        [at, limit],
      )
      return rows.map((r) => r.id)
    },
    async endExpired(groupId, at) {
      // Orders first (every other writer locks an order before its group), in id order.
      const { rows: first } = await q.query<{ id: string }>(
        `SELECT id FROM orders WHERE id IN (SELECT order_id FROM group_members WHERE group_id = $1 AND status IN ('held', 'paid'))
         ORDER BY id FOR UPDATE`,
        [groupId],
      )
      // Then the group's row: a join that took a seat before this point has committed once the lock is
      // ours, and no seat is taken or counted after it (they need this row).
      const { rows: due } = await q.query(`SELECT 1 FROM groups WHERE id = $1 AND status = 'forming' AND expires_at <= $2 FOR UPDATE`, [
        groupId,
        at,
      ])
      if (!due[0]) return null
      // A seat taken between the two looks has an order not locked yet. Its notify or cancel may hold
      // that order and wait for this group's row: waiting for the order here would close a circle, so
      // it is taken only if free (SKIP LOCKED), else the group is left to the next run (nothing changed).
      const { rows: late } = await q.query<{ id: string }>(
        `SELECT order_id AS id FROM group_members WHERE group_id = $1 AND status IN ('held', 'paid') AND NOT (order_id = ANY($2))`,
        [groupId, first.map((r) => r.id)],
      )
      if (late.length > 0) {
        const { rows: got } = await q.query('SELECT id FROM orders WHERE id = ANY($1) ORDER BY id FOR UPDATE SKIP LOCKED', [
          late.map((r) => r.id),
        ])
        if (got.length < late.length) return null
      }
      const { rows } = await q.query<GroupRecord>(
        `UPDATE groups g SET status = CASE WHEN g.on_expiry = 'complete' AND g.paid > 0 THEN 'succeeded' ELSE 'failed' END, ended_at = $2
         WHERE g.id = $1 AND g.status = 'forming' AND g.expires_at <= $2
         RETURNING ${GROUP_COLUMNS}`,
        [groupId, at],
      )
      const group = rows[0]
      if (!group) return null
      const { rows: seats } = await q.query<{ orderId: string; seat: SeatStatus }>(
        `UPDATE group_members SET open = false WHERE group_id = $1 AND status IN ('held', 'paid')
         RETURNING order_id AS "orderId", status AS seat`,
        [groupId],
      )
      return { group, seats }
    },
    async statuses(groupIds) {
      const out = new Map<string, { status: GroupStatus; seatsLeft: number }>()
      if (groupIds.length === 0) return out
      const { rows } = await q.query<{ id: string; status: GroupStatus; left: number }>(
        'SELECT id, status, size - paid AS left FROM groups WHERE id = ANY($1)',
        [groupIds],
      )
      for (const r of rows) out.set(r.id, { status: r.status, seatsLeft: r.left })
      return out
    },
  }
}
