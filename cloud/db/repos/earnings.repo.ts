import type { EarningsRepo } from '../../core/deal/deal.ports'
import { prepared, type Queryable } from '../database'
import { isoUtc } from '../sql'

export function earningsRepo(q: Queryable): EarningsRepo {
  return {
    async accrualFacts(orderId) {
      // The order's facts and its lines (as a JSON array) in one statement.
      const { rows } = await q.query<{
        buyerId: string
        sharerId: string | null
        campaignId: string | null
        inviteRewardFen: number | null
        inviterId: string | null
        rewardable: boolean | null
        lines: Array<{ unitPriceFen: number; qty: number; discountFen: number; commissionPermille: number }>
      }>({
        ...prepared(`SELECT o.user_id AS "buyerId", o.sharer_id AS "sharerId", d.id AS "campaignId", d.invite_reward_fen AS "inviteRewardFen",
           i.inviter_id AS "inviterId", i.rewardable,
           COALESCE((SELECT json_agg(json_build_object('unitPriceFen', l.unit_price_fen, 'qty', l.qty, 'discountFen', l.discount_fen,
               'commissionPermille', round(p.commission_rate * 1000)::int) ORDER BY l.line)
             FROM order_items l JOIN products p ON p.id = l.product_id WHERE l.order_id = o.id), '[]') AS lines
         FROM orders o LEFT JOIN deal_campaigns d ON d.id = o.deal_campaign_id
           LEFT JOIN deal_invites i ON i.campaign_id = d.id AND i.invitee_id = o.user_id
         WHERE o.id = $1`),
        values: [orderId],
      })
      const o = rows[0]
      if (!o) return null
      return {
        orderId,
        buyerId: o.buyerId,
        sharerId: o.sharerId,
        lines: o.lines,
        deal:
          o.campaignId === null
            ? null
            : {
                campaignId: o.campaignId,
                inviteRewardFen: o.inviteRewardFen!,
                invite: o.inviterId === null ? null : { inviterId: o.inviterId, rewardable: o.rewardable! },
              },
      }
    },
    async accrue(accruals) {
      if (accruals.length === 0) return
      // A repeat (a second notify, racing deal orders of one invitee) meets a unique key and is dropped.
      await q.query(
        `INSERT INTO earnings_ledger (user_id, order_id, kind, entry, bucket, amount_fen, invite_campaign_id, invitee_id)
         SELECT t.user_id, t.order_id, t.kind, 'accrue', 'pending', t.amount_fen, t.invite_campaign_id, t.invitee_id
         FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[])
           AS t(user_id, order_id, kind, amount_fen, invite_campaign_id, invitee_id)
         ON CONFLICT DO NOTHING`,
        [
          accruals.map((a) => a.userId),
          accruals.map((a) => a.orderId),
          accruals.map((a) => a.kind),
          accruals.map((a) => a.amountFen),
          accruals.map((a) => a.invite?.campaignId ?? null),
          accruals.map((a) => a.invite?.inviteeId ?? null),
        ],
      )
    },
    async settle(paidBefore) {
      // Locks the accruals it settles (skipping ones a refund holds): a refund and the settling of the
      // same order are serialised, so money is either reversed while pending or clawed back after.
      const { rows } = await q.query<{ order_id: string; kind: string }>(
        `SELECT l.order_id, l.kind FROM earnings_ledger l JOIN orders o ON o.id = l.order_id
         WHERE l.entry = 'accrue' AND o.paid_at < $1 AND o.status IN ('paid', 'shipped', 'completed')
           AND NOT EXISTS (SELECT 1 FROM earnings_ledger x WHERE x.order_id = l.order_id AND x.kind = l.kind
             AND x.entry IN ('settle_out', 'reverse', 'clawback'))
         FOR UPDATE OF l SKIP LOCKED LIMIT 500`,
        [paidBefore],
      )
      if (rows.length === 0) return 0
      const { rowCount } = await q.query(
        `INSERT INTO earnings_ledger (user_id, order_id, kind, entry, bucket, amount_fen, invite_campaign_id, invitee_id)
         SELECT l.user_id, l.order_id, l.kind, e.entry, e.bucket, e.sign * l.amount_fen, l.invite_campaign_id, l.invitee_id
         FROM earnings_ledger l JOIN unnest($1::text[], $2::text[]) AS t(order_id, kind) ON t.order_id = l.order_id AND t.kind = l.kind
           JOIN orders o ON o.id = l.order_id
           CROSS JOIN (VALUES ('settle_out', 'pending', -1), ('settle_in', 'settled', 1)) e(entry, bucket, sign)
         WHERE l.entry = 'accrue' AND o.status IN ('paid', 'shipped', 'completed')
           -- Checked again now the rows are locked: a refund that committed between the first
           -- statement's snapshot and its lock has taken the money back already.
           AND NOT EXISTS (SELECT 1 FROM earnings_ledger x WHERE x.order_id = l.order_id AND x.kind = l.kind AND x.entry IN ('reverse', 'clawback'))
         ON CONFLICT DO NOTHING`,
        [rows.map((r) => r.order_id), rows.map((r) => r.kind)],
      )
      return (rowCount ?? 0) / 2
    },
    async takeBack(orderId) {
      // Waits for a settle run holding these accruals, then sees what it wrote (a fresh statement).
      await q.query(`SELECT 1 FROM earnings_ledger WHERE order_id = $1 AND entry = 'accrue' FOR UPDATE`, [orderId])
      await q.query(
        `INSERT INTO earnings_ledger (user_id, order_id, kind, entry, bucket, amount_fen, invite_campaign_id, invitee_id)
         SELECT l.user_id, l.order_id, l.kind,
           CASE WHEN s.settled THEN 'clawback' ELSE 'reverse' END, CASE WHEN s.settled THEN 'settled' ELSE 'pending' END,
           -l.amount_fen, l.invite_campaign_id, l.invitee_id
         FROM earnings_ledger l CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM earnings_ledger x
           WHERE x.order_id = l.order_id AND x.kind = l.kind AND x.entry = 'settle_out') AS settled) s
         WHERE l.order_id = $1 AND l.entry = 'accrue'
           AND NOT EXISTS (SELECT 1 FROM earnings_ledger x WHERE x.order_id = l.order_id AND x.kind = l.kind
             AND x.entry IN ('reverse', 'clawback'))
         ON CONFLICT DO NOTHING`,
        [orderId],
      )
    },
    async mine(userId) {
      const { rows: sums } = await q.query<{ pending: number; settled: number }>(
        `SELECT COALESCE(sum(amount_fen) FILTER (WHERE bucket = 'pending'), 0)::bigint AS pending,
                COALESCE(sum(amount_fen) FILTER (WHERE bucket = 'settled'), 0)::bigint AS settled
         FROM earnings_ledger WHERE user_id = $1`,
        [userId],
      )
      const { rows } = await q.query(
        `SELECT l.order_id AS "orderId", o.order_no AS "orderNo", l.withdrawal_id AS "withdrawalId", l.kind, l.entry, l.bucket,
           l.amount_fen AS "amountFen", ${isoUtc('l.created_at')} AS "createdAt"
         FROM earnings_ledger l LEFT JOIN orders o ON o.id = l.order_id
         WHERE l.user_id = $1 ORDER BY l.id DESC LIMIT 200`,
        [userId],
      )
      return { pendingFen: sums[0]!.pending, settledFen: sums[0]!.settled, entries: rows }
    },
  }
}
