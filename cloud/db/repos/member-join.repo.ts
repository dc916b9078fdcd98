import type { ContactRecord, MemberJoinRepo, MemberWayEventRecord } from '../../core/member/join.ports'
import type { Follows } from '../../core/member/join.rules'
import type { Queryable } from '../database'

const isPhoneTaken = (err: unknown) =>
  (err as { code?: unknown }).code === '23505' && (err as { constraint?: unknown }).constraint === 'memberships_phone_key'

export function memberJoinRepo(q: Queryable): MemberJoinRepo {
  return {
    async setPhone(userId, phone, at) {
      try {
        await q.query(
          `INSERT INTO memberships (user_id, phone, phone_at) VALUES ($1, $2, $3)
           ON CONFLICT (user_id) DO UPDATE SET phone = excluded.phone,
             phone_at = CASE WHEN memberships.phone IS NOT DISTINCT FROM excluded.phone THEN memberships.phone_at ELSE excluded.phone_at END`,
          [userId, phone, at],
        )
        return 'saved'
      } catch (err) {
        // The unique key on the phone decides between customers racing for one number.
        if (isPhoneTaken(err)) return 'taken'
        throw err
      }
    },
    async contactWay(userId) {
      const { rows } = await q.query<{ state: string; qrCode: string; added: boolean }>(
        `SELECT w.state, w.qr_code AS "qrCode",
                coalesce(m.wecom_external_id IS NOT NULL AND m.wecom_removed_at IS NULL, false) AS added
         FROM wecom_contact_ways w LEFT JOIN memberships m ON m.user_id = w.user_id
         WHERE w.user_id = $1 AND w.qr_code IS NOT NULL`,
        [userId],
      )
      return rows[0] ?? null
    },
    async claimContactWay(userId, state) {
      const { rowCount } = await q.query(
        'INSERT INTO wecom_contact_ways (user_id, state) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING',
        [userId, state],
      )
      return rowCount === 1
    },
    async setContactWayCode(userId, code) {
      await q.query('UPDATE wecom_contact_ways SET config_id = $2, qr_code = $3 WHERE user_id = $1', [userId, code.configId, code.qrCode])
    },
    async userOfState(state) {
      const { rows } = await q.query<{ user_id: string }>('SELECT user_id FROM wecom_contact_ways WHERE state = $1', [state])
      return rows[0]?.user_id ?? null
    },
    async lockContact(externalUserId) {
      // Made when unknown, else locked: the no-op update takes the row's lock and answers its latest version.
      const { rows } = await q.query<{ user_id: string | null; follows: Follows; added_at: string | null }>(
        `INSERT INTO wecom_contacts (external_user_id) VALUES ($1)
         ON CONFLICT (external_user_id) DO UPDATE SET external_user_id = excluded.external_user_id
         RETURNING user_id, follows, added_at`,
        [externalUserId],
      )
      const row = rows[0]!
      return {
        userId: row.user_id,
        follows: row.follows,
        addedAt: row.added_at === null ? null : Number(row.added_at),
      } satisfies ContactRecord
    },
    async saveContact(externalUserId, c) {
      await q.query('UPDATE wecom_contacts SET user_id = $2, follows = $3, added_at = $4, updated_at = now() WHERE external_user_id = $1', [
        externalUserId,
        c.userId,
        JSON.stringify(c.follows),
        c.addedAt,
      ])
    },
    async recordEvent(e, outcome, at) {
      const { rowCount } = await q.query(
        `INSERT INTO wecom_events (external_user_id, follow_user_id, change_type, create_time, state, outcome, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [e.externalUserId, e.followUserId, e.changeType, e.createTime, e.state, outcome, at],
      )
      return rowCount === 1
    },
    async setWecom(userId, way, relink) {
      await q.query(
        `INSERT INTO memberships (user_id, wecom_external_id, wecom_at, wecom_removed_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id) DO UPDATE SET wecom_external_id = excluded.wecom_external_id, wecom_at = excluded.wecom_at,
           wecom_removed_at = excluded.wecom_removed_at
         WHERE memberships.wecom_external_id IS NULL OR memberships.wecom_external_id = excluded.wecom_external_id OR $5`,
        [userId, way.externalUserId, way.addedAt, way.removedAt, relink],
      )
    },
    async figures(since, refusedSince) {
      const { rows } = await q.query<{
        members: number
        phone_members: number
        wecom_members: number
        wecom_ended: number
        phone_joins: number
        adds: number
        removes: number
      }>(
        `SELECT (SELECT count(*) FILTER (WHERE membership_active(m)) FROM memberships m)::int AS members,
                (SELECT count(*) FROM memberships WHERE phone IS NOT NULL)::int AS phone_members,
                (SELECT count(*) FROM memberships WHERE wecom_external_id IS NOT NULL AND wecom_removed_at IS NULL)::int AS wecom_members,
                (SELECT count(*) FROM memberships WHERE wecom_removed_at IS NOT NULL)::int AS wecom_ended,
                (SELECT count(*) FROM memberships WHERE phone_at >= $1)::int AS phone_joins,
                (SELECT count(*) FROM wecom_events WHERE received_at >= $1 AND outcome = 'applied' AND change_type = 'add_external_contact')::int AS adds,
                (SELECT count(*) FROM wecom_events WHERE received_at >= $1 AND outcome = 'applied' AND change_type <> 'add_external_contact')::int AS removes`,
        [since],
      )
      const refused = await q.query<{ reason: string; count: number }>(
        `SELECT reason, count(*)::int AS count FROM payment_notify_rejections
         WHERE provider = 'wecom' AND received_at >= $1 GROUP BY reason ORDER BY count DESC, reason`,
        [refusedSince],
      )
      const r = rows[0]!
      return {
        members: r.members,
        phoneMembers: r.phone_members,
        wecomMembers: r.wecom_members,
        wecomEnded: r.wecom_ended,
        phoneJoins: r.phone_joins,
        adds: r.adds,
        removes: r.removes,
        refused: refused.rows,
      }
    },
    async recentEvents(limit) {
      const { rows } = await q.query<MemberWayEventRecord>(
        `SELECT e.received_at AS "receivedAt", to_timestamp(e.create_time) AS "happenedAt",
                CASE WHEN e.change_type = 'add_external_contact' THEN 'add' ELSE 'remove' END AS change,
                e.change_type AS "changeType", e.outcome, u.nickname
         FROM wecom_events e
         LEFT JOIN wecom_contacts c ON c.external_user_id = e.external_user_id
         LEFT JOIN users u ON u.id = c.user_id
         ORDER BY e.id DESC LIMIT $1`,
        [limit],
      )
      return rows
    },
  }
}
