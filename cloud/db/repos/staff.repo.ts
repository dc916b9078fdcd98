import type { AuditRepo, AuditRow, StaffRepo, StaffRow } from '../../core/admin/staff.ports'
import type { Queryable } from '../database'
import { isoUtc } from '../sql'

export function staffRepo(q: Queryable): StaffRepo {
  return {
    async set(userId, role, grantedBy, at) {
      await q.query(
        `INSERT INTO staff (user_id, role, granted_by, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id) DO UPDATE SET role = EXCLUDED.role, granted_by = EXCLUDED.granted_by,
           created_at = CASE WHEN staff.role = EXCLUDED.role THEN staff.created_at ELSE EXCLUDED.created_at END`,
        [userId, role, grantedBy, at],
      )
    },
    async remove(userId) {
      const { rowCount } = await q.query('DELETE FROM staff WHERE user_id = $1', [userId])
      return rowCount === 1
    },
    async list() {
      const { rows } = await q.query<StaffRow>(
        `SELECT st.user_id AS "userId", u.openid, u.nickname, st.role, st.created_at AS since
         FROM staff st JOIN users u ON u.id = st.user_id ORDER BY st.created_at, st.user_id`,
      )
      return rows
    },
    async usersByOpenid(openids) {
      const { rows } = await q.query<{ userId: string; openid: string; nickname: string }>(
        `SELECT id AS "userId", openid, nickname FROM users WHERE openid = ANY($1::text[]) ORDER BY openid`,
        [openids],
      )
      return rows
    },
  }
}

/** The audit log: INSERT and SELECT only (the table's triggers refuse the rest). */
export function auditRepo(q: Queryable): AuditRepo {
  return {
    async append(e) {
      await q.query(`INSERT INTO audit_log (at, actor_id, actor_role, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6::jsonb)`, [
        e.at,
        e.actorId,
        e.actorRole,
        e.action,
        e.target,
        e.detail,
      ])
    },
    async page({ beforeSeq, actorId, action, limit }) {
      const { rows } = await q.query<AuditRow>(
        `SELECT a.id, a.seq, ${isoUtc('a.at')} AS at, a.actor_id AS "actorId", u.nickname AS "actorName",
           a.actor_role AS "actorRole", a.action, a.target, a.detail
         FROM audit_log a JOIN users u ON u.id = a.actor_id
         WHERE ($1::bigint IS NULL OR a.seq < $1) AND ($2::text IS NULL OR a.actor_id = $2) AND ($3::text IS NULL OR a.action = $3)
         ORDER BY a.seq DESC LIMIT $4`,
        [beforeSeq, actorId ?? null, action ?? null, limit],
      )
      return rows
    },
  }
}
