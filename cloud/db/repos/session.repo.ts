import type { SessionRecord, SessionRepo, UserRecord } from '../../core/auth/auth.ports'
import { lastStatement, prepared, type Queryable } from '../database'

// The session, its user and the user's staff role in one round trip: a role taken away counts at the next call.
const SESSION_USER = `SELECT u.id, u.openid, u.nickname, u.avatar_url AS "avatarUrl", st.role AS "staffRole",
    s.kind, s.expires_at AS "expiresAt"
  FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN staff st ON st.user_id = u.id
  WHERE s.token_hash = $1 AND s.expires_at > $2`

/**
 * A sign-in: the user of an openid (created, or their nickname replaced when one is given, as
 * users.upsertByOpenid), a new app session, and whether they hold a paid order of the given kinds.
 */
const SIGN_IN = `WITH u AS (
           INSERT INTO users (openid, nickname) VALUES ($1, COALESCE($2, $3))
           ON CONFLICT (openid) DO UPDATE SET nickname = COALESCE($2, users.nickname)
           RETURNING id, openid, nickname, avatar_url),
         s AS (INSERT INTO sessions (token_hash, user_id, expires_at, kind) SELECT $4, u.id, $5, 'app' FROM u)
         SELECT u.id, u.openid, u.nickname, u.avatar_url AS "avatarUrl",
           (SELECT st.role FROM staff st WHERE st.user_id = u.id) AS "staffRole",
           EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id AND o.paid_at IS NOT NULL AND o.status <> 'refunded'
             AND o.kind = ANY($6::text[])) AS "hasPaidOrder"
         FROM u`

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
    async openLast(user, session, customerKinds) {
      // The upsert of users.upsertByOpenid (one statement, so two first sign-ins make one user), the
      // session, and the paid-order check of users.hasPaidOrder, sent with the call's COMMIT.
      const { rows } = await lastStatement<UserRecord & { hasPaidOrder: boolean }>(q, {
        ...prepared(SIGN_IN),
        values: [user.openid, user.nickname, user.defaultNickname, session.tokenHash, session.expiresAt, customerKinds],
      })
      const { hasPaidOrder, ...found } = rows[0]!
      return { user: found, hasPaidOrder }
    },
    async userOf(tokenHash, now) {
      const { rows } = await q.query<Row>({ ...prepared(SESSION_USER), values: [tokenHash, now] })
      const r = rows[0]
      if (!r) return null
      const { kind: _kind, expiresAt: _expiresAt, ...user } = r
      return user
    },
    async get(tokenHash, now) {
      const { rows } = await q.query<Row>({ ...prepared(SESSION_USER), values: [tokenHash, now] })
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
