import type { WithdrawalRepo } from '../../core/deal/deal.ports'
import type { AdminWithdrawal, Withdrawal } from '../../contract'
import type { Queryable } from '../database'
import { isoUtc } from '../sql'

const cols = (w: string) => `${w}.id, ${w}.amount_fen AS "amountFen", ${w}.status, ${w}.reason,
  ${isoUtc(`${w}.created_at`)} AS "createdAt", CASE WHEN ${w}.decided_at IS NULL THEN NULL ELSE ${isoUtc(`${w}.decided_at`)} END AS "decidedAt",
  CASE WHEN ${w}.finished_at IS NULL THEN NULL ELSE ${isoUtc(`${w}.finished_at`)} END AS "finishedAt"`

export function withdrawalRepo(q: Queryable): WithdrawalRepo {
  return {
    async lockUser(userId) {
      await q.query(`SELECT pg_advisory_xact_lock(hashtextextended('withdrawal_user:' || $1, 0))`, [userId])
    },
    async byKey(userId, key) {
      const { rows } = await q.query<Withdrawal>(`SELECT ${cols('w')} FROM withdrawals w WHERE w.user_id = $1 AND w.idempotency_key = $2`, [
        userId,
        key,
      ])
      return rows[0] ?? null
    },
    async hasPending(userId) {
      const { rows } = await q.query(`SELECT 1 FROM withdrawals WHERE user_id = $1 AND status IN ('pending', 'transferring')`, [userId])
      return rows.length > 0
    },
    async settledFen(userId) {
      const { rows } = await q.query<{ settled: string }>(
        `SELECT COALESCE(sum(amount_fen), 0)::bigint AS settled FROM earnings_ledger WHERE user_id = $1 AND bucket = 'settled'`,
        [userId],
      )
      return Number(rows[0]!.settled)
    },
    async create(userId, amountFen, key) {
      // The withdrawal and its hold commit together: the balance never shows one without the other.
      const { rows } = await q.query<Withdrawal>(
        `WITH w AS (
           INSERT INTO withdrawals (user_id, amount_fen, idempotency_key) VALUES ($1, $2, $3) RETURNING *
         ), hold AS (
           INSERT INTO earnings_ledger (user_id, withdrawal_id, kind, entry, bucket, amount_fen)
           SELECT w.user_id, w.id, 'withdrawal', 'withdraw_hold', 'settled', -w.amount_fen FROM w
         )
         SELECT ${cols('w')} FROM w`,
        [userId, amountFen, key],
      )
      return rows[0]!
    },
    async get(id) {
      const { rows } = await q.query<Withdrawal & { userId: string }>(
        `SELECT ${cols('w')}, w.user_id AS "userId" FROM withdrawals w WHERE w.id = $1`,
        [id],
      )
      return rows[0] ?? null
    },
    async decide(id, to, reason) {
      // Only one decision finds the row pending: a racing second one waits for the first's row lock,
      // then re-reads the row, sees it decided and updates nothing.
      const { rows } = await q.query<Withdrawal & { userId: string }>(
        `WITH w AS (
           UPDATE withdrawals SET status = $2, reason = $3, decided_at = now()
           WHERE id = $1 AND status = 'pending' RETURNING *
         ), back AS (
           INSERT INTO earnings_ledger (user_id, withdrawal_id, kind, entry, bucket, amount_fen)
           SELECT w.user_id, w.id, 'withdrawal', 'withdraw_return', 'settled', w.amount_fen FROM w WHERE w.status = 'rejected'
         )
         SELECT ${cols('w')}, w.user_id AS "userId" FROM w`,
        [id, to, reason],
      )
      return rows[0] ?? null
    },
    async startTransfer(id, transferId, confirm) {
      await q.query(`UPDATE withdrawals SET transfer_id = $2, confirm = $3 WHERE id = $1 AND status = 'transferring'`, [
        id,
        transferId,
        confirm === null ? null : JSON.stringify(confirm),
      ])
    },
    async finish(id, to, reason, transferId) {
      // Only one end finds the row transferring: a replayed or racing notify waits for the first's row
      // lock, re-reads the row, sees it ended and updates nothing; the return is written once.
      const { rows } = await q.query<Withdrawal & { userId: string }>(
        `WITH w AS (
           UPDATE withdrawals SET status = $2, reason = COALESCE($3, reason), finished_at = now(), confirm = NULL,
             transfer_id = COALESCE($4, transfer_id)
           WHERE id = $1 AND status = 'transferring' RETURNING *
         ), back AS (
           INSERT INTO earnings_ledger (user_id, withdrawal_id, kind, entry, bucket, amount_fen)
           SELECT w.user_id, w.id, 'withdrawal', 'withdraw_return', 'settled', w.amount_fen FROM w WHERE w.status = 'failed'
         )
         SELECT ${cols('w')}, w.user_id AS "userId" FROM w`,
        [id, to, reason, transferId],
      )
      return rows[0] ?? null
    },
    async mine(userId) {
      const { rows } = await q.query<Withdrawal>(
        `SELECT ${cols('w')}, CASE WHEN w.status = 'transferring' THEN w.confirm END AS confirm
         FROM withdrawals w WHERE w.user_id = $1 ORDER BY w.created_at DESC, w.id DESC LIMIT 100`,
        [userId],
      )
      return rows
    },
    async list(status, after, limit) {
      const { rows } = await q.query<AdminWithdrawal>(
        `SELECT ${cols('w')}, w.user_id AS "userId", u.nickname
         FROM withdrawals w JOIN users u ON u.id = w.user_id
         WHERE ($1::text IS NULL OR w.status = $1)
           AND ($2::text IS NULL OR (w.created_at, w.id) < (SELECT c.created_at, c.id FROM withdrawals c WHERE c.id = $2))
         ORDER BY w.created_at DESC, w.id DESC LIMIT $3`,
        [status ?? null, after, limit],
      )
      return rows
    },
  }
}
