import type { Address } from '../../contract'
import type { AddressRepo } from '../../core/address/address.ports'
import type { Queryable } from '../database'

const ADDRESS_COLUMNS = `id, name, phone, province, city, district, detail, is_default AS "isDefault"`

export function addressRepo(q: Queryable): AddressRepo {
  return {
    async list(userId) {
      const { rows } = await q.query<Address>(
        `SELECT ${ADDRESS_COLUMNS} FROM addresses WHERE user_id = $1 ORDER BY is_default DESC, created_at DESC`,
        [userId],
      )
      return rows
    },
    async byId(userId, id) {
      const { rows } = await q.query<Address>(`SELECT ${ADDRESS_COLUMNS} FROM addresses WHERE user_id = $1 AND id = $2`, [userId, id])
      return rows[0] ?? null
    },
    async save(userId, a, max) {
      // Serialise one user's address edits so exactly one address stays the default (and the cap holds).
      await q.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`addresses:${userId}`])
      const { rows: count } = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM addresses WHERE user_id = $1', [userId])
      if (!a.id && count[0]!.n >= max) return null
      const makeDefault = a.isDefault === true || count[0]!.n === 0
      if (makeDefault) await q.query('UPDATE addresses SET is_default = false WHERE user_id = $1', [userId])
      const values = [userId, a.name, a.phone, a.province, a.city, a.district, a.detail, makeDefault]
      const { rows } = a.id
        ? await q.query<Address>(
            `UPDATE addresses SET name = $2, phone = $3, province = $4, city = $5, district = $6, detail = $7,
               is_default = is_default OR $8
             WHERE user_id = $1 AND id = $9 RETURNING ${ADDRESS_COLUMNS}`,
            [...values, a.id],
          )
        : await q.query<Address>(
            `INSERT INTO addresses (user_id, name, phone, province, city, district, detail, is_default)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${ADDRESS_COLUMNS}`,
            values,
          )
      return rows[0] ?? null
    },
    async remove(userId, id) {
      await q.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`addresses:${userId}`])
      const deleted = await q.query('DELETE FROM addresses WHERE user_id = $1 AND id = $2', [userId, id])
      if (deleted.rowCount === 0) return false
      // Removing the default makes the newest remaining address the default.
      await q.query(
        `UPDATE addresses SET is_default = true
         WHERE id = (SELECT id FROM addresses WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1)
           AND NOT EXISTS (SELECT 1 FROM addresses WHERE user_id = $1 AND is_default)`,
        [userId],
      )
      return true
    },
  }
}
