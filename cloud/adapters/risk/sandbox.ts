import type { RiskChecker } from '../../core/services.ports'
import type { Database } from '../../db/database'

/** The local stand-in for WeChat's user risk rank: level 0 unless `sandbox_risk_levels` says otherwise. */
export function sandboxRisk(db: Database): RiskChecker {
  return {
    async level(openid) {
      const { rows } = await db.pool.query<{ level: number }>('SELECT level FROM sandbox_risk_levels WHERE openid = $1', [openid])
      return rows[0]?.level ?? 0
    },
  }
}
