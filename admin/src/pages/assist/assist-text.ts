/** The assist desk's words: statuses, faces, refusal reasons, and the terms as the shopper reads them. */
import type { AssistFace, AssistReason, AssistStatus } from '../../../../cloud/contract'
import { formatFen } from '../../lib/money'

export const ASSIST_STATUS_LABEL: Record<AssistStatus, string> = { active: '进行中', paused: '已暂停', ended: '已结束' }
export const ASSIST_STATUS_COLOR: Record<AssistStatus, string> = { active: 'green', paused: 'orange', ended: 'default' }
export const FACE_LABEL: Record<AssistFace, string> = { coupon: '助力领券', price_cut: '砍价' }

/** Why a friend's help did not count, as the starter reads it in the mini-program. */
export const ASSIST_REASON_LABEL: Record<AssistReason, string> = {
  SELF: '自己不能为自己助力',
  TASK_ENDED: '活动已结束',
  TASK_COMPLETED: '已助力成功（人数已满）',
  RISK_BLOCKED: '账号存在风险',
  NOT_NEW_CUSTOMER: '仅限新顾客助力',
  ALREADY_HELPED: '已助力过',
  DAILY_LIMIT: '今日助力次数已用完',
}

/** The published terms in the mini-program's words (the create form previews them). */
export function termsPreview(t: {
  face: AssistFace
  helpsNeeded: number
  rewardTitle?: string | null
  priceFen?: number | null
  cutPerHelpFen?: number | null
}): string {
  if (t.face === 'price_cut') {
    if (!t.priceFen || !t.cutPerHelpFen) return '选择商品并填写每位好友砍掉的金额后显示'
    const floor = t.priceFen - t.helpsNeeded * t.cutPerHelpFen
    return floor < 1
      ? `底价低于 ¥0.01：${t.helpsNeeded} 位好友每位砍 ${formatFen(t.cutPerHelpFen)} 超过了售价 ${formatFen(t.priceFen)}`
      : `每位好友砍 ${formatFen(t.cutPerHelpFen)}，${t.helpsNeeded}位好友砍到 ${formatFen(floor)}`
  }
  return `${t.helpsNeeded}位好友助力，即得「${t.rewardTitle ?? '奖励券'}」`
}
