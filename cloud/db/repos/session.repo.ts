import type { SessionRecord, SessionRepo, UserRecord } from '../../core/auth/auth.ports'
import type { Queryable } from '../database'

// The session, its user and the user's staff role in one round trip: a role taken away counts at the next call.
const SESSION_USER = `SELECT u.id, u.openid, u.nickname, u.avatar_url AS "avatarUrl", st.role AS "staffRole",
    s.kind, s.expires_at AS "expiresAt"
  FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN staff st ON st.user_id = u.id
  WHERE s.token_hash = $1 AND s.expires_at > $2`

type Row = UserRecord & { kind: SessionRecord['kind']; expiresAt: Date }

export function sessionRepo(q: Queryable): SessionRepo {
  return {
    async create(tokenHash, userId, expiresAt, kind = 'app') {
      await q.query('INSERT INTO sessions (token_hash, user_id, expires_at, kind) VALUES ($1, $2, $3, $4)', [
        tokenHash,
        userId,
        expiresAt,
        kind,
      ])
    },
    async userOf(tokenHash, now) {
      const { rows } = await q.query<Row>(SESSION_USER, [tokenHash, now])
      const r = rows[0]
      if (!r) return null
      const { kind: _kind, expiresAt: _expiresAt, ...user } = r
      return user
    },
    async get(tokenHash, now) {
      const { rows } = await q.query<Row>(SESSION_USER, [tokenHash, now])
      const r = rows[0]
      if (!r) return null
      const { kind, expiresAt, ...user } = r
      return { user, kind, expiresAt }
    },
    async getMany(tokenHashes, now) {
      if (tokenHashes.length === 0) return []
      // Named: prepared once per connection (every miss of the session cache runs it).
      const { rows } = await q.query<Row & { tokenHash: string }>({
        name: 'sessions-many',
        text: `SELECT u.id, u.openid, u.nickname, u.avatar_url AS "avatarUrl", st.role AS "staffRole",
           s.kind, s.expires_at AS "expiresAt", s.token_hash AS "tokenHash"
         FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN staff st ON st.user_id = u.id
         WHERE s.token_hash = ANY($1::text[]) AND s.expires_at > $2`,
        values: [tokenHashes, now],
      })
      return rows.map(({ kind, expiresAt, tokenHash, ...user }) => ({ user, kind, expiresAt, tokenHash }))
    },
    async remove(tokenHash) {
      const { rowCount } = await q.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash])
      return rowCount === 1
    },
    async removeOf(userId, kind) {
      const { rowCount } = await q.query('DELETE FROM sessions WHERE user_id = $1 AND kind = $2', [userId, kind])
      return rowCount ?? 0
    },
    async pruneExpired(now) {
      const { rowCount } = await q.query('DELETE FROM sessions WHERE expires_at <= $1', [now])
      return rowCount ?? 0
    },
  }
}
