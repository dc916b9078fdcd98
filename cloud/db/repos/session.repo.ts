import type { SessionRepo, UserRecord } from '../../core/auth/auth.ports'
import type { Queryable } from '../database'

export function sessionRepo(q: Queryable): SessionRepo {
  return {
    async create(tokenHash, userId, expiresAt) {
      await q.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [tokenHash, userId, expiresAt])
    },
    async userOf(tokenHash, now) {
      const { rows } = await q.query<UserRecord>(
        `SELECT u.id, u.openid, u.nickname, u.avatar_url AS "avatarUrl" FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at > $2`,
        [tokenHash, now],
      )
      return rows[0] ?? null
    },
    async pruneExpired(now) {
      const { rowCount } = await q.query('DELETE FROM sessions WHERE expires_at <= $1', [now])
      return rowCount ?? 0
    },
  }
}
