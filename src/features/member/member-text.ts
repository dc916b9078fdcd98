/** Membership in the shopper's words: tier names, earn rates, ledger lines. */
import type { MemberRules, MemberTier, PointsEntryKind } from '../../../cloud/contract'

export const TIER_NAME: Record<MemberTier, string> = { normal: '普通会员', silver: '银卡会员', gold: '金卡会员' }

/** Points per ¥1 of a rate in thousandths: 1000 → 1, 1500 → 1.5. */
export const pointsPerYuan = (permille: number): string => String(permille / 1000)

/** The rules as the member page lists them. */
export function rulesText(r: MemberRules): string[] {
  return [
    `普通会员每消费¥1得${pointsPerYuan(r.pointsPermille.normal)}积分，银卡${pointsPerYuan(r.pointsPermille.silver)}积分，金卡${pointsPerYuan(r.pointsPermille.gold)}积分`,
    `近365天消费满¥${r.silverFen / 100}为银卡，满¥${r.goldFen / 100}为金卡`,
    '积分在订单过了退款期后到账，订单退款时收回',
    `100积分抵¥1，每单最多抵扣商品金额的${r.pointsMaxPercent}%`,
    '每年获得的积分在次年年底过期',
  ]
}

/**
 * Ledger lines. Earns and their reversals move 待入账 (shown grey, marked 待入账); a settle is the
 * move from 待入账 to 可用, so the red (可用) numbers alone add up to the available balance.
 */
export const ENTRY_TEXT: Record<PointsEntryKind, string> = {
  earn: '下单获得',
  settle: '积分到账（待入账转为可用）',
  reverse: '订单退款，收回待入账积分',
  clawback: '订单退款，扣回积分',
  spend: '下单抵扣',
  return: '订单取消或退款，退回积分',
  expire: '积分过期',
}

/** Entries that move 待入账 rather than 可用. */
export const isPendingEntry = (kind: PointsEntryKind): boolean => kind === 'earn' || kind === 'reverse'

/** An entry's amount as the ledger shows it: signed, and 待入账 on those that move the pending points. */
export const entryAmountText = (kind: PointsEntryKind, points: number): string =>
  `${points > 0 ? `+${points}` : points}${isPendingEntry(kind) ? ' 待入账' : ''}`
