import type { AssistCampaignView } from '../../../cloud/contract'
import { formatFen } from '../../lib/money'
import { shopTime } from '../../lib/shop-time'
import { serverNow } from '../shared/server-clock'

/** The published terms, as the shopper reads them before starting and on every task page. */
export function termsText(c: AssistCampaignView): string {
  if (c.product) return `每位好友砍 ${formatFen(c.product.cutPerHelpFen)}，${c.helpsNeeded}位好友砍到 ${formatFen(c.product.floorPriceFen)}`
  // The coupon's name once; its rule only when it says something the name does not (满99减10 named 满99减10).
  const rule = c.reward && c.reward.ruleText !== c.reward.title ? `（${c.reward.ruleText}）` : ''
  return `${c.helpsNeeded}位好友助力，即得「${c.reward?.title ?? '奖励券'}」${rule}`
}

/**
 * Who may help and how often, said plainly; and how long a task runs: taskHours from its start, or
 * the campaign's end when that comes sooner (a task never outlives its campaign).
 */
export function helpRulesText(c: AssistCampaignView, now = serverNow()): string {
  const who = c.newCustomersOnly ? '仅限新顾客助力' : '新老顾客均可助力'
  const endsAt = new Date(c.endsAt).getTime()
  const limit =
    now + c.taskHours * 3_600_000 > endsAt
      ? `活动 ${shopTime(c.endsAt, 'M月D日 HH:mm')} 结束，助力须在此前完成`
      : `发起后 ${c.taskHours} 小时内有效`
  return `${who}；每位好友限助力 1 次，每天最多助力 ${c.dailyHelpCap} 次；${limit}`
}

/** hh:mm:ss of a countdown (a task runs up to 72 hours). */
export function hms(seconds: number): string {
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  return [h, m, s].map((n) => String(n).padStart(2, '0')).join(':')
}
