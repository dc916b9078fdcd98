import type { ShareRepo } from '../../core/order/order.ports'
import { prepared, type Queryable } from '../database'

export function shareRepo(q: Queryable): ShareRepo {
  return {
    async userExists(userId) {
      const { rowCount } = await q.query('SELECT 1 FROM users WHERE id = $1', [userId])
      return rowCount === 1
    },
    async recordTouch(userId, sharerId, roomId, at) {
      // One row per (user, sharer): a touch refreshes its time (and room), so re-entries add nothing.
      await q.query(
        `INSERT INTO share_touches AS t (user_id, sharer_id, room_id, touched_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, sharer_id) DO UPDATE
           SET touched_at = GREATEST(t.touched_at, EXCLUDED.touched_at),
               room_id = CASE WHEN EXCLUDED.touched_at >= t.touched_at THEN EXCLUDED.room_id ELSE t.room_id END`,
        [userId, sharerId, roomId, at],
      )
    },
    async lastSharer(userId, since) {
      const { rows } = await q.query<{ sharer_id: string }>({
        ...prepared('SELECT sharer_id FROM share_touches WHERE user_id = $1 AND touched_at >= $2 ORDER BY touched_at DESC LIMIT 1'),
        values: [userId, since],
      })
      return rows[0]?.sharer_id ?? null
    },
  }
}
