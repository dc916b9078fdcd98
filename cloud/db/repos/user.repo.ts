import type { UserRecord, UserRepo } from '../../core/auth/auth.ports'
import type { Queryable } from '../database'

/** The user's columns, the staff role read in the same statement (a role is never cached). */
const userColumns = (t: string) => `${t}.id, ${t}.openid, ${t}.nickname, ${t}.avatar_url AS "avatarUrl",
  (SELECT st.role FROM staff st WHERE st.user_id = ${t}.id) AS "staffRole"`

export function userRepo(q: Queryable): UserRepo {
  return {
    async upsertByOpenid(openid, nickname, defaultNickname) {
      // One statement, so two first calls of the same openid at once still make one user.
      const { rows } = await q.query<UserRecord>(
        `INSERT INTO users (openid, nickname) VALUES ($1, COALESCE($2, $3))
         ON CONFLICT (openid) DO UPDATE SET nickname = COALESCE($2, users.nickname)
         RETURNING ${userColumns('users')}`,
        [openid, nickname, defaultNickname],
      )
      return rows[0]!
    },
    async byId(id) {
      const { rows } = await q.query<UserRecord>(`SELECT ${userColumns('u')} FROM users u WHERE u.id = $1`, [id])
      return rows[0] ?? null
    },
    async updateProfile(id, p) {
      const { rows } = await q.query<UserRecord>(
        `UPDATE users SET nickname = COALESCE($2, nickname), avatar_url = COALESCE($3, avatar_url) WHERE id = $1
         RETURNING ${userColumns('users')}`,
        [id, p.nickname ?? null, p.avatarUrl ?? null],
      )
      return rows[0] ?? null
    },
    async hasPaidOrder(userId, kinds) {
      const { rowCount } = await q.query(
        `SELECT 1 FROM orders WHERE user_id = $1 AND paid_at IS NOT NULL AND status <> 'refunded' AND kind = ANY($2::text[]) LIMIT 1`,
        [userId, kinds],
      )
      return rowCount === 1
    },
  }
}
