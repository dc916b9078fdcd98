import type { OutboxMessage, OutboxRepo } from '../../core/live/live.ports'
import type { Queryable } from '../database'

export function outboxRepo(q: Queryable): OutboxRepo {
  return {
    async enqueue(kind, userId, dedupeKey, payload) {
      const { rowCount } = await q.query(
        'INSERT INTO notification_outbox (kind, user_id, dedupe_key, payload) VALUES ($1, $2, $3, $4) ON CONFLICT (dedupe_key) DO NOTHING',
        [kind, userId, dedupeKey, JSON.stringify(payload)],
      )
      return rowCount === 1
    },
    async claimPending(limit) {
      const { rows } = await q.query<OutboxMessage>(
        `SELECT o.id, o.kind, u.openid, o.payload FROM notification_outbox o JOIN users u ON u.id = o.user_id
         WHERE o.status = 'pending' ORDER BY o.id LIMIT $1 FOR UPDATE OF o SKIP LOCKED`,
        [limit],
      )
      return rows
    },
    async markSent(id, at) {
      await q.query(`UPDATE notification_outbox SET status = 'sent', sent_at = $2, attempts = attempts + 1 WHERE id = $1`, [id, at])
    },
    async markFailed(id) {
      await q.query(
        `UPDATE notification_outbox SET attempts = attempts + 1, status = CASE WHEN attempts + 1 >= 5 THEN 'failed' ELSE 'pending' END WHERE id = $1`,
        [id],
      )
    },
    async recordSandbox(msg) {
      await q.query('INSERT INTO sandbox_messages (openid, template, page, data) VALUES ($1, $2, $3, $4)', [
        msg.openid,
        msg.template,
        msg.page,
        JSON.stringify(msg.data),
      ])
    },
    async expiringCoupons(from, to) {
      const { rows } = await q.query<{ userCouponId: string; userId: string; title: string; validTo: Date }>(
        `SELECT u.id AS "userCouponId", u.user_id AS "userId", c.title, u.valid_to AS "validTo"
         FROM user_coupons u JOIN coupons c ON c.id = u.coupon_id
         WHERE u.status = 'available' AND u.valid_to > $1 AND u.valid_to <= $2 LIMIT 500`,
        [from, to],
      )
      return rows
    },
  }
}
