import type { MemberRules, MemberTier, PointsEntryKind } from '../../contract'
import type { MembershipRepo } from '../../core/member/member.ports'
import { prepared, type Queryable } from '../database'

interface RulesRow {
  silver_fen: string | number
  gold_fen: string | number
  permille_normal: number
  permille_silver: number
  permille_gold: number
  points_max_percent: number
}

const RULES_COLUMNS = 's.silver_fen, s.gold_fen, s.permille_normal, s.permille_silver, s.permille_gold, s.points_max_percent'

function toRules(r: RulesRow): MemberRules {
  return {
    silverFen: Number(r.silver_fen),
    goldFen: Number(r.gold_fen),
    pointsPermille: { normal: r.permille_normal, silver: r.permille_silver, gold: r.permille_gold },
    pointsMaxPercent: r.points_max_percent,
  }
}

/** The tier's earn rate (permille) of the settings row `s`, as SQL. */
const permilleOf = (tier: string) =>
  `CASE ${tier} WHEN 'gold' THEN s.permille_gold WHEN 'silver' THEN s.permille_silver ELSE s.permille_normal END`

/**
 * A member's expiry sums at `$1` (the cutoff: points settled before it are old). Credits: the old
 * settles, less what clawbacks took back of those same orders (a clawback takes the refunded order's
 * own points, so they leave the year they were settled in). Debits (positive): spent net of returns,
 * and expired before; spending uses the oldest points first.
 */
const EXPIRY_SUMS = `SELECT l.user_id AS "userId",
    COALESCE(sum(l.points) FILTER (WHERE l.kind = 'settle' AND l.at < $1), 0)::bigint
      + COALESCE(sum(CASE WHEN l.kind = 'clawback' AND EXISTS (SELECT 1 FROM points_ledger c
          WHERE c.order_id = l.order_id AND c.kind = 'settle' AND c.at < $1) THEN l.points ELSE 0 END), 0)::bigint AS credits,
    COALESCE(-sum(l.points) FILTER (WHERE l.kind IN ('spend', 'return', 'expire')), 0)::bigint AS debits
  FROM points_ledger l`

/**
 * Lock order, everywhere: an order's earn entry (settle run, refund), then the member's row
 * (memberships: payment, refund, the daily recompute and a settings save, several in user id order),
 * then the balance rows (member_points, several in user id order). A spend takes only its balance
 * row; so nothing waits in a circle.
 */
export function membershipRepo(q: Queryable): MembershipRepo {
  return {
    async isMember(userId) {
      const { rows } = await q.query<{ active: boolean }>(`SELECT membership_active(m) AS active FROM memberships m WHERE m.user_id = $1`, [
        userId,
      ])
      return rows[0]?.active ?? false
    },
    async checkoutFacts(userId) {
      const { rows } = await q.query<RulesRow & { is_member: boolean; available: number }>({
        ...prepared(`SELECT COALESCE(membership_active(m), false) AS is_member, COALESCE(p.available, 0) AS available, ${RULES_COLUMNS}
         FROM member_settings s LEFT JOIN memberships m ON m.user_id = $1 LEFT JOIN member_points p ON p.user_id = $1`),
        values: [userId],
      })
      const r = rows[0]!
      return { isMember: r.is_member, available: r.available, rules: toRules(r) }
    },
    async rules() {
      const { rows } = await q.query<RulesRow>(`SELECT ${RULES_COLUMNS} FROM member_settings s`)
      return toRules(rows[0]!)
    },
    async saveRules(r, at) {
      // One row: no member's row is touched (a save at 60,000 members would lock them all and hold up
      // payments). Readers take the tier from the stored spend under the thresholds
      // (member_tier_of); the stored tier column follows in the daily recompute's batches, which the
      // save makes due again today.
      await q.query(
        `UPDATE member_settings SET silver_fen = $1, gold_fen = $2, permille_normal = $3, permille_silver = $4,
           permille_gold = $5, points_max_percent = $6, updated_at = $7, tiers_run_on = NULL`,
        [r.silverFen, r.goldFen, r.pointsPermille.normal, r.pointsPermille.silver, r.pointsPermille.gold, r.pointsMaxPercent, at],
      )
    },
    async status(userId) {
      const { rows } = await q.query<
        RulesRow & {
          is_member: boolean
          phone: string | null
          wecom: boolean | null
          tier: MemberTier | null
          spend_fen: string | null
          available: number
          pending: number
        }
      >(
        `SELECT COALESCE(membership_active(m), false) AS is_member, m.phone,
           (m.wecom_external_id IS NOT NULL AND m.wecom_removed_at IS NULL) AS wecom,
           member_tier_of(m.spend_fen, s.silver_fen, s.gold_fen) AS tier, m.spend_fen,
           COALESCE(p.available, 0) AS available, COALESCE(p.pending, 0) AS pending, ${RULES_COLUMNS}
         FROM member_settings s LEFT JOIN memberships m ON m.user_id = $1 LEFT JOIN member_points p ON p.user_id = $1`,
        [userId],
      )
      const r = rows[0]!
      return {
        isMember: r.is_member,
        phone: r.phone,
        wecom: r.wecom ?? false,
        tier: r.tier,
        spendFen: Number(r.spend_fen ?? 0),
        available: r.available,
        pending: r.pending,
        rules: toRules(r),
      }
    },
    async ledger(userId, beforeId, limit) {
      const { rows } = await q.query<{
        id: string
        kind: PointsEntryKind
        points: number
        orderId: string | null
        orderNo: string | null
        at: Date
      }>(
        `SELECT l.id::text AS id, l.kind, l.points, l.order_id AS "orderId", o.order_no AS "orderNo", l.at
         FROM points_ledger l LEFT JOIN orders o ON o.id = l.order_id
         WHERE l.user_id = $1 AND ($2::bigint IS NULL OR l.id < $2::bigint) ORDER BY l.id DESC LIMIT $3`,
        [userId, beforeId, limit],
      )
      return rows
    },
    async spend(userId, orderId, points, at) {
      // The balance row's conditional update and the ledger's entry, in one statement: two orders
      // racing for the same points queue on the row, and the second finds too little.
      const { rowCount } = await q.query({
        ...prepared(`WITH b AS (UPDATE member_points SET available = available - $3 WHERE user_id = $1 AND available >= $3 RETURNING user_id)
         INSERT INTO points_ledger (user_id, kind, points, order_id, at) SELECT user_id, 'spend', -$3::bigint, $2, $4 FROM b`),
        values: [userId, orderId, points, at],
      })
      return rowCount === 1
    },
    async giveBack(orderId, at) {
      // Once per order (a unique key): a second release inserts nothing and moves nothing.
      await q.query(
        `WITH r AS (INSERT INTO points_ledger (user_id, kind, points, order_id, at)
           SELECT user_id, 'return', -points, order_id, $2 FROM points_ledger WHERE order_id = $1 AND kind = 'spend'
           ON CONFLICT DO NOTHING RETURNING user_id, points)
         UPDATE member_points p SET available = p.available + r.points FROM r WHERE p.user_id = r.user_id`,
        [orderId, at],
      )
    },
    async paid(orderId, at) {
      // One statement, in the notify's transaction. The spend moves by the order's payable (an
      // increment, exact however the buyer's payments race: each waits for the row and adds to what
      // it finds); the tier follows; a member earns at that tier's rate, pending. Not a member: the
      // joins find no row and nothing is written.
      await q.query({
        ...prepared(`WITH o AS (SELECT id, user_id, payable_fen FROM orders WHERE id = $1),
           t AS (UPDATE memberships m SET spend_fen = m.spend_fen + o.payable_fen,
               tier = member_tier_of(m.spend_fen + o.payable_fen, s.silver_fen, s.gold_fen), tier_at = $2
             FROM o, member_settings s WHERE m.user_id = o.user_id
             RETURNING m.user_id, m.tier, membership_active(m) AS active),
           e AS (INSERT INTO points_ledger (user_id, kind, points, order_id, at)
             SELECT t.user_id, 'earn', (o.payable_fen / 100)::bigint * ${permilleOf('t.tier')} / 1000, o.id, $2
             FROM t, o, member_settings s WHERE t.active AND (o.payable_fen / 100)::bigint * ${permilleOf('t.tier')} / 1000 > 0
             ON CONFLICT DO NOTHING RETURNING user_id, points)
         INSERT INTO member_points (user_id, pending) SELECT user_id, points FROM e
         ON CONFLICT (user_id) DO UPDATE SET pending = member_points.pending + EXCLUDED.pending`),
        values: [orderId, at],
      })
    },
    async refunded(orderId, at) {
      // Waits for a settle run holding this order's earn, then sees what it wrote (a fresh statement).
      await q.query(`SELECT 1 FROM points_ledger WHERE order_id = $1 AND kind = 'earn' FOR UPDATE`, [orderId])
      // The spend and the tier first (the member's row), then the balance: the order a payment takes them in.
      await q.query(
        `UPDATE memberships m SET spend_fen = GREATEST(0, m.spend_fen - o.payable_fen),
           tier = member_tier_of(GREATEST(0, m.spend_fen - o.payable_fen), s.silver_fen, s.gold_fen), tier_at = $2
         FROM orders o, member_settings s
         -- An order already out of the 365 days left the spend at the daily recompute.
         WHERE o.id = $1 AND m.user_id = o.user_id AND o.paid_at > $2::timestamptz - interval '365 days'`,
        [orderId, at],
      )
      await q.query(
        `WITH e AS (SELECT l.user_id, l.points, EXISTS (SELECT 1 FROM points_ledger x WHERE x.order_id = l.order_id AND x.kind = 'settle') AS settled
             FROM points_ledger l WHERE l.order_id = $1 AND l.kind = 'earn'),
           tb AS (INSERT INTO points_ledger (user_id, kind, points, order_id, at)
             SELECT user_id, CASE WHEN settled THEN 'clawback' ELSE 'reverse' END, -points, $1, $2 FROM e
             ON CONFLICT DO NOTHING RETURNING user_id, kind, points)
         UPDATE member_points p
           SET pending = p.pending + CASE WHEN tb.kind = 'reverse' THEN tb.points ELSE 0 END,
               available = p.available + CASE WHEN tb.kind = 'clawback' THEN tb.points ELSE 0 END
         FROM tb WHERE p.user_id = tb.user_id`,
        [orderId, at],
      )
    },
    async settle(paidBefore, at) {
      // Locks the earns it settles (skipping ones a refund holds): a refund and the settling of the
      // same order are serialised, so points are either reversed while pending or clawed back after.
      const { rows } = await q.query<{ order_id: string; user_id: string }>(
        `SELECT l.order_id, l.user_id FROM points_ledger l JOIN orders o ON o.id = l.order_id
         WHERE l.kind = 'earn' AND o.paid_at < $1 AND o.status IN ('paid', 'shipped', 'completed')
           AND NOT EXISTS (SELECT 1 FROM points_ledger x WHERE x.order_id = l.order_id AND x.kind IN ('settle', 'reverse', 'clawback'))
         FOR UPDATE OF l SKIP LOCKED LIMIT 500`,
        [paidBefore],
      )
      if (rows.length === 0) return 0
      await q.query(`SELECT 1 FROM member_points WHERE user_id = ANY($1) ORDER BY user_id FOR UPDATE`, [
        [...new Set(rows.map((r) => r.user_id))],
      ])
      const settleOrders = async (orderIds: string[]): Promise<number> => {
        const { rows: done } = await q.query<{ n: number }>(
          `WITH s AS (INSERT INTO points_ledger (user_id, kind, points, order_id, at)
               SELECT l.user_id, 'settle', l.points, l.order_id, $2 FROM points_ledger l JOIN orders o ON o.id = l.order_id
               WHERE l.order_id = ANY($1) AND l.kind = 'earn' AND o.status IN ('paid', 'shipped', 'completed')
                 -- Checked again now the rows are locked: a refund that committed meanwhile took them back.
                 AND NOT EXISTS (SELECT 1 FROM points_ledger x WHERE x.order_id = l.order_id AND x.kind IN ('reverse', 'clawback'))
               ORDER BY l.id
               ON CONFLICT DO NOTHING RETURNING user_id, points),
             agg AS (SELECT user_id, sum(points)::bigint AS pts FROM s GROUP BY user_id),
             b AS (UPDATE member_points p SET pending = p.pending - agg.pts, available = p.available + agg.pts
               FROM agg WHERE p.user_id = agg.user_id RETURNING 1)
           SELECT count(*)::int AS n FROM s`,
          [orderIds, at],
        )
        return done[0]!.n
      }
      // The batch in one statement; should it fail (a member's balance row it can't write), each
      // member's orders on their own, so one member's trouble never holds up the others' settling
      // (nor the jobs' later steps): the failing member's points stay pending, and are logged.
      const attempt = async (orderIds: string[]): Promise<number | Error> => {
        await q.query('SAVEPOINT points_settle')
        try {
          const n = await settleOrders(orderIds)
          await q.query('RELEASE SAVEPOINT points_settle')
          return n
        } catch (err) {
          await q.query('ROLLBACK TO SAVEPOINT points_settle')
          return err instanceof Error ? err : new Error(String(err))
        }
      }
      const whole = await attempt(rows.map((r) => r.order_id))
      if (typeof whole === 'number') return whole
      const byUser = new Map<string, string[]>()
      for (const r of rows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r.order_id])
      let settled = 0
      for (const [userId, orderIds] of byUser) {
        const one = await attempt(orderIds)
        if (typeof one === 'number') settled += one
        else console.error(JSON.stringify({ level: 'error', job: 'settlePoints', userId, error: one.message }))
      }
      return settled
    },
    async expiryFacts(cutoff) {
      // The members with something left to expire, found without locks; then only their balance rows
      // locked in id order (a spend or a give-back racing the expiry waits, or is seen), and their sums
      // read again by a fresh statement.
      const { rows: due } = await q.query<{ userId: string }>(
        `SELECT "userId" FROM (${EXPIRY_SUMS} WHERE l.user_id IN (SELECT user_id FROM points_ledger WHERE kind = 'settle' AND at < $1)
         GROUP BY l.user_id) f WHERE credits > debits`,
        [cutoff],
      )
      if (due.length === 0) return []
      const ids = due.map((u) => u.userId)
      await q.query(`SELECT 1 FROM member_points WHERE user_id = ANY($1) ORDER BY user_id FOR UPDATE`, [ids])
      const { rows } = await q.query<{ userId: string; credits: number; debits: number }>(
        `${EXPIRY_SUMS} WHERE l.user_id = ANY($2) GROUP BY l.user_id ORDER BY l.user_id`,
        [cutoff, ids],
      )
      return rows
    },
    async expire(period, day, amounts, at) {
      if (amounts.length === 0) return 0
      const { rows } = await q.query<{ n: number }>(
        `WITH x AS (INSERT INTO points_ledger (user_id, kind, points, period, run_on, at)
             SELECT t.user_id, 'expire', -t.points, $3, $4::date, $5 FROM unnest($1::text[], $2::bigint[]) AS t(user_id, points)
             ON CONFLICT DO NOTHING RETURNING user_id, points),
           b AS (UPDATE member_points p SET available = p.available + x.points FROM x WHERE p.user_id = x.user_id RETURNING 1)
         SELECT count(*)::int AS n FROM x`,
        [amounts.map((a) => a.userId), amounts.map((a) => a.points), period, day, at],
      )
      return rows[0]!.n
    },
    async recomputeTiers(at) {
      // The members whose stored spend is no longer their last 365 days' (orders aged out), found
      // without locks; then only those rows locked in id order (a payment racing the recompute either
      // committed before, and is counted, or waits and adds to the recomputed spend) and their spend
      // read again from their orders by a fresh statement. At most 1,000 a run; the next run goes on.
      const spendOf = `COALESCE((SELECT sum(o.payable_fen) FROM orders o
        WHERE o.user_id = m.user_id AND o.paid_at > $1::timestamptz - interval '365 days' AND order_counts_as_sold(o.status)), 0)::bigint`
      const { rows: moved } = await q.query<{ user_id: string }>(
        `SELECT m.user_id FROM memberships m, member_settings s
         WHERE m.tier <> member_tier_of(m.spend_fen, s.silver_fen, s.gold_fen) OR (m.spend_fen > 0 AND m.spend_fen <> ${spendOf})
         ORDER BY m.user_id LIMIT 1000`,
        [at],
      )
      if (moved.length === 0) return 0
      const ids = moved.map((r) => r.user_id)
      await q.query(`SELECT 1 FROM memberships WHERE user_id = ANY($1) ORDER BY user_id FOR UPDATE`, [ids])
      const { rowCount } = await q.query(
        `WITH sp AS (SELECT m.user_id, ${spendOf.replaceAll('$1', '$2')} AS spend FROM memberships m WHERE m.user_id = ANY($1))
         UPDATE memberships m SET spend_fen = sp.spend, tier = member_tier_of(sp.spend, s.silver_fen, s.gold_fen), tier_at = $2
         FROM sp, member_settings s
         WHERE m.user_id = sp.user_id AND (m.spend_fen <> sp.spend OR m.tier <> member_tier_of(sp.spend, s.silver_fen, s.gold_fen))`,
        [ids, at],
      )
      return rowCount ?? 0
    },
    async claimDailyRun(job, day) {
      const column = job === 'tiers' ? 'tiers_run_on' : 'expiry_run_on'
      const { rowCount } = await q.query(`UPDATE member_settings SET ${column} = $1::date WHERE ${column} IS DISTINCT FROM $1::date`, [day])
      return rowCount === 1
    },
    async stats() {
      const { rows } = await q.query<Record<string, string | number>>(
        `SELECT
           (SELECT count(*) FROM memberships m WHERE membership_active(m))::int AS members,
           (SELECT count(*) FROM memberships m, member_settings s WHERE membership_active(m) AND member_tier_of(m.spend_fen, s.silver_fen, s.gold_fen) = 'normal')::int AS normal,
           (SELECT count(*) FROM memberships m, member_settings s WHERE membership_active(m) AND member_tier_of(m.spend_fen, s.silver_fen, s.gold_fen) = 'silver')::int AS silver,
           (SELECT count(*) FROM memberships m, member_settings s WHERE membership_active(m) AND member_tier_of(m.spend_fen, s.silver_fen, s.gold_fen) = 'gold')::int AS gold,
           (SELECT count(*) FROM memberships m WHERE m.phone IS NOT NULL AND NOT (m.wecom_external_id IS NOT NULL AND m.wecom_removed_at IS NULL))::int AS phone,
           (SELECT count(*) FROM memberships m WHERE m.phone IS NULL AND m.wecom_external_id IS NOT NULL AND m.wecom_removed_at IS NULL)::int AS wecom,
           (SELECT count(*) FROM memberships m WHERE m.phone IS NOT NULL AND m.wecom_external_id IS NOT NULL AND m.wecom_removed_at IS NULL)::int AS both,
           l.earned, l.reversed, l.spent, l.returned, l.expired, b.pending, b.available,
           (SELECT count(*) FROM orders o WHERE o.member_saving_fen > 0 AND order_counts_as_sold(o.status))::int AS mp_orders,
           (SELECT COALESCE(sum(o.member_saving_fen), 0) FROM orders o WHERE o.member_saving_fen > 0 AND order_counts_as_sold(o.status))::bigint AS mp_saving
         FROM (SELECT COALESCE(sum(points) FILTER (WHERE kind = 'earn'), 0)::bigint AS earned,
                 COALESCE(-sum(points) FILTER (WHERE kind IN ('reverse', 'clawback')), 0)::bigint AS reversed,
                 COALESCE(-sum(points) FILTER (WHERE kind = 'spend'), 0)::bigint AS spent,
                 COALESCE(sum(points) FILTER (WHERE kind = 'return'), 0)::bigint AS returned,
                 COALESCE(-sum(points) FILTER (WHERE kind = 'expire'), 0)::bigint AS expired FROM points_ledger) l,
           (SELECT COALESCE(sum(pending), 0)::bigint AS pending, COALESCE(sum(available), 0)::bigint AS available FROM member_points) b`,
      )
      const r = rows[0]!
      const n = (k: string) => Number(r[k])
      return {
        members: n('members'),
        byTier: { normal: n('normal'), silver: n('silver'), gold: n('gold') },
        byWay: { phone: n('phone'), wecom: n('wecom'), both: n('both') },
        points: {
          earned: n('earned'),
          pending: n('pending'),
          available: n('available'),
          spent: n('spent'),
          returned: n('returned'),
          expired: n('expired'),
          reversed: n('reversed'),
        },
        memberPriceOrders: n('mp_orders'),
        memberSavingFen: n('mp_saving'),
      }
    },
    async list(filter, offset, limit) {
      const { rows } = await q.query<{
        userId: string
        nickname: string
        phone: string | null
        wecom: boolean
        active: boolean
        tier: MemberTier
        spendFen: string
        available: number
        pending: number
        joinedAt: Date
        total: number
      }>(
        `SELECT m.user_id AS "userId", u.nickname, m.phone, (m.wecom_external_id IS NOT NULL AND m.wecom_removed_at IS NULL) AS wecom,
           membership_active(m) AS active, member_tier_of(m.spend_fen, s.silver_fen, s.gold_fen) AS tier, m.spend_fen AS "spendFen", COALESCE(p.available, 0) AS available,
           COALESCE(p.pending, 0) AS pending, m.created_at AS "joinedAt", count(*) OVER ()::int AS total
         FROM memberships m CROSS JOIN member_settings s JOIN users u ON u.id = m.user_id LEFT JOIN member_points p ON p.user_id = m.user_id
         WHERE ($1::text IS NULL OR member_tier_of(m.spend_fen, s.silver_fen, s.gold_fen) = $1)
         ORDER BY m.spend_fen DESC, m.user_id LIMIT $2 OFFSET $3`,
        [filter.tier, limit, offset],
      )
      return {
        rows: rows.map(({ total: _t, spendFen, ...r }) => ({ ...r, spendFen: Number(spendFen) })),
        total: rows[0]?.total ?? (offset > 0 ? await countMembers(q, filter.tier) : 0),
      }
    },
  }
}

async function countMembers(q: Queryable, tier: MemberTier | null): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM memberships m, member_settings s WHERE ($1::text IS NULL OR member_tier_of(m.spend_fen, s.silver_fen, s.gold_fen) = $1)`,
    [tier],
  )
  return rows[0]!.n
}
