import type { SettingsRepo } from '../../core/order/order.ports'
import type { Queryable } from '../database'

export function settingsRepo(q: Queryable): SettingsRepo {
  return {
    async getOrCreate(key, make) {
      await q.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, make()])
      const { rows } = await q.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key])
      return rows[0]!.value
    },
  }
}
