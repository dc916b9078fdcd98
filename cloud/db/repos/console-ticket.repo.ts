import type { ConsoleTicketRepo, TicketRecord } from '../../core/auth/auth.ports'
import type { Queryable } from '../database'

const COLUMNS = `id, via, status, user_id AS "userId", secret_hash AS "secretHash", expires_at AS "expiresAt", device`

/** The console's sign-in tickets: every move one conditional UPDATE, so racing calls see one winner. */
export function consoleTicketRepo(q: Queryable): ConsoleTicketRepo {
  const one = async (sql: string, params: unknown[]) => (await q.query<TicketRecord>(sql, params)).rows[0] ?? null
  return {
    async create(t) {
      await q.query(
        `INSERT INTO console_tickets (id, secret_hash, via, status, user_id, created_at, expires_at, decided_at, device)
         VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $4 = 'confirmed' THEN $6::timestamptz END, $8)`,
        [t.id, t.secretHash, t.via, t.status, t.userId, t.now, t.expiresAt, t.device],
      )
    },
    get: (id) => one(`SELECT ${COLUMNS} FROM console_tickets WHERE id = $1`, [id]),
    markScanned: (id, userId, now) =>
      one(
        `UPDATE console_tickets SET status = 'scanned', user_id = $2
         WHERE id = $1 AND status IN ('waiting', 'scanned') AND expires_at > $3 RETURNING ${COLUMNS}`,
        [id, userId, now],
      ),
    decide: (id, userId, to, now) =>
      one(
        `UPDATE console_tickets SET status = $3, user_id = $2, decided_at = $4
         WHERE id = $1 AND status IN ('waiting', 'scanned') AND expires_at > $4 RETURNING ${COLUMNS}`,
        [id, userId, to, now],
      ),
    redeem: (id, secretHash, now) =>
      one(
        `UPDATE console_tickets SET status = 'used', used_at = $3
         WHERE id = $1 AND secret_hash = $2 AND status = 'confirmed' AND expires_at > $3 RETURNING ${COLUMNS}`,
        [id, secretHash, now],
      ),
    async withdraw(id, secretHash, now) {
      const { rowCount } = await q.query(
        `UPDATE console_tickets SET expires_at = $3
         WHERE id = $1 AND secret_hash = $2 AND status IN ('waiting', 'scanned', 'confirmed') AND expires_at > $3`,
        [id, secretHash, now],
      )
      return (rowCount ?? 0) > 0
    },
    async reject(id) {
      await q.query(`UPDATE console_tickets SET status = 'rejected' WHERE id = $1 AND status IN ('confirmed', 'used')`, [id])
    },
    async rejectOf(userId) {
      const { rowCount } = await q.query(
        `UPDATE console_tickets SET status = 'rejected' WHERE user_id = $1 AND status IN ('scanned', 'confirmed')`,
        [userId],
      )
      return rowCount ?? 0
    },
    async pruneExpired(before) {
      const { rowCount } = await q.query('DELETE FROM console_tickets WHERE expires_at <= $1', [before])
      return rowCount ?? 0
    },
  }
}
