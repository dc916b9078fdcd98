import type { AssistCampaignView } from '../../../cloud/contract'
import { formatFen } from '../../lib/money'

/** The published terms, as the shopper reads them before starting and on every task page. */
export function termsText(c: AssistCampaignView): string {
  if (c.product) return `每位好友砍 ${formatFen(c.product.cutPerHelpFen)}，${c.helpsNeeded}位好友砍到 ${formatFen(c.product.floorPriceFen)}`
  return `${c.helpsNeeded}位好友助力，即得「${c.reward?.title ?? '奖励券'}」${c.reward ? `（${c.reward.ruleText}）` : ''}`
}

/** Who may help and how often, said plainly. */
export function helpRulesText(c: AssistCampaignView): string {
  const who = c.newCustomersOnly ? '仅限新顾客助力' : '新老顾客均可助力'
  return `${who}；每人每个助力限 1 次，每天最多助力 ${c.dailyHelpCap} 次；发起后 ${c.taskHours} 小时内有效`
}

/** hh:mm:ss of a countdown (a task runs up to 72 hours). */
export function hms(seconds: number): string {
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  return [h, m, s].map((n) => String(n).padStart(2, '0')).join(':')
}
