import type { PaymentRecord, PaymentRepo } from '../../core/order/order.ports'
import { prepared, type Queryable } from '../database'

export function paymentRepo(q: Queryable): PaymentRepo {
  return {
    async insert(p) {
      const { rowCount } = await q.query({
        ...prepared(`INSERT INTO payments (order_id, provider, transaction_id, amount_fen, status, paid_at, raw)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`),
        values: [p.orderId, p.provider, p.transactionId, p.amountFen, p.status, p.paidAt, JSON.stringify(p.raw ?? null)],
      })
      return rowCount === 1
    },
    async byOrder(orderId) {
      const { rows } = await q.query<PaymentRecord>(
        `SELECT order_id AS "orderId", provider, transaction_id AS "transactionId", amount_fen AS "amountFen", status
         FROM payments WHERE order_id = $1`,
        [orderId],
      )
      return rows[0] ?? null
    },
    async logRejection(provider, reason, body, bucket) {
      // Stored only when the bucket of this provider's and reason's rejections gives a token, in the same statement.
      const { rowCount } = await q.query(
        `INSERT INTO payment_notify_rejections (provider, reason, body)
         SELECT $1, left($2, 100), $3::jsonb WHERE take_tokens($4, 1, $5, $6, clock_timestamp()) = 1`,
        [provider, reason, body, bucket.key, bucket.rule.perSecond, bucket.rule.burst],
      )
      return rowCount === 1
    },
    async pruneRejections(before) {
      const { rowCount } = await q.query('DELETE FROM payment_notify_rejections WHERE received_at < $1', [before])
      return rowCount ?? 0
    },
    async claimRefund(r) {
      const { rowCount } = await q.query(
        'INSERT INTO refunds (order_id, transaction_id, amount_fen) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [r.orderId, r.transactionId, r.amountFen],
      )
      return rowCount === 1
    },
    async setProviderRefundId(transactionId, providerRefundId) {
      await q.query('UPDATE refunds SET provider_refund_id = $2 WHERE transaction_id = $1', [transactionId, providerRefundId])
    },
  }
}
