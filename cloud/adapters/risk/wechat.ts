import type { RiskChecker } from '../../core/services.ports'

/** cloud.openapi.riskControl.getUserRiskRank. */
export interface RiskRankApi {
  getUserRiskRank(p: { appid: string; openid: string; scene: number }): Promise<{ riskRank?: number; errCode?: number }>
}

/** WeChat's user risk rank in the marketing-fraud scene (1); an error is treated as no risk known (0). */
export function wechatRisk(api: RiskRankApi, appid: string): RiskChecker {
  return {
    async level(openid) {
      const res = await api.getUserRiskRank({ appid, openid, scene: 1 }).catch(() => ({ riskRank: 0 }))
      return res.riskRank ?? 0
    },
  }
}
