import type { EarningsRepo } from '../../core/deal/deal.ports'
import type { Queryable } from '../database'
import { isoUtc } from '../sql'

export function earningsRepo(q: Queryable): EarningsRepo {
  return {
    async accrue(orderId) {
      // One level only: the order's own sharer, floor(paid × rate) per line.
      await q.query(
        `INSERT INTO earnings_ledger (user_id, order_id, kind, entry, bucket, amount_fen)
         SELECT o.sharer_id, o.id, 'commission', 'accrue', 'pending', x.fen
         FROM orders o CROSS JOIN LATERAL (
           SELECT sum(floor((i.unit_price_fen * i.qty - i.discount_fen) * p.commission_rate))::int AS fen
           FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id = o.id) x
         WHERE o.id = $1 AND o.sharer_id IS NOT NULL AND x.fen > 0
         ON CONFLICT DO NOTHING`,
        [orderId],
      )
      // The inviter's reward: once per counted invite. The accrual names the invite and a unique key
      // on it (earnings_invite_reward_once) keeps a second one out, however many of the friend's deal
      // orders are paid at once.
      await q.query(
        `INSERT INTO earnings_ledger (user_id, order_id, kind, entry, bucket, amount_fen, invite_campaign_id, invitee_id)
         SELECT i.inviter_id, o.id, 'invite_reward', 'accrue', 'pending', d.invite_reward_fen, i.campaign_id, i.invitee_id
         FROM orders o JOIN deal_campaigns d ON d.id = o.deal_campaign_id
           JOIN deal_invites i ON i.campaign_id = d.id AND i.invitee_id = o.user_id
         WHERE o.id = $1 AND d.invite_reward_fen > 0 AND i.rewardable
         ON CONFLICT DO NOTHING`,
        [orderId],
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
        `SELECT order_id AS "orderId", kind, entry, bucket, amount_fen AS "amountFen",
           ${isoUtc('created_at')} AS "createdAt"
         FROM earnings_ledger WHERE user_id = $1 ORDER BY id DESC LIMIT 200`,
        [userId],
      )
      return { pendingFen: sums[0]!.pending, settledFen: sums[0]!.settled, entries: rows }
    },
  }
}
