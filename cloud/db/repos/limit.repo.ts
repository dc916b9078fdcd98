import type { LimitRepo } from '../../core/limits.ports'
import type { Queryable } from '../database'

/**
 * The token buckets (`rate_limits`, `take_tokens` in migration 009). `q` must run each statement on
 * its own (autocommit), not in the call's transaction: see `LimitRepo` for why.
 */
export function limitRepo(q: Queryable): LimitRepo {
  return {
    async take(key, want, rule, at) {
      const { rows } = await q.query<{ got: number }>('SELECT take_tokens($1, $2, $3, $4, $5) AS got', [
        key,
        want,
        rule.perSecond,
        rule.burst,
        at,
      ])
      return rows[0]!.got
    },
    async prune(at) {
      const { rowCount } = await q.query('DELETE FROM rate_limits WHERE full_at <= $1', [at])
      return rowCount ?? 0
    },
  }
}
