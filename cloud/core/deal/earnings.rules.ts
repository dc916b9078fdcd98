/** What a paid order earns: the sharer's commission and, for a deal order, the inviter's reward. Pure. */
import type { AccrualFacts, NewAccrual } from './deal.ports'

/**
 * One level only: the order's own sharer earns floor(paid × rate) on each line, where a line's paid
 * amount is unit price × quantity less its share of the discount, and the rate is the product's in
 * thousandths (the column holds three decimals, so the sum is exact integer arithmetic).
 */
export function commissionFen(lines: AccrualFacts['lines']): number {
  return lines.reduce((sum, l) => sum + Math.floor(((l.unitPriceFen * l.qty - l.discountFen) * l.commissionPermille) / 1000), 0)
}

/**
 * The ledger accruals a paid order makes: the commission when the order has a sharer and it comes to
 * more than 0; the campaign's invite reward to whoever invited the buyer, when the campaign pays one
 * and the invite is rewardable. That the reward is paid once per invite is the database's unique key
 * (earnings_invite_reward_once), not this function's.
 */
export function accrualsOf(o: AccrualFacts): NewAccrual[] {
  const out: NewAccrual[] = []
  const commission = commissionFen(o.lines)
  if (o.sharerId && commission > 0) {
    out.push({ userId: o.sharerId, orderId: o.orderId, kind: 'commission', amountFen: commission, invite: null })
  }
  const deal = o.deal
  if (deal && deal.inviteRewardFen > 0 && deal.invite?.rewardable) {
    out.push({
      userId: deal.invite.inviterId,
      orderId: o.orderId,
      kind: 'invite_reward',
      amountFen: deal.inviteRewardFen,
      invite: { campaignId: deal.campaignId, inviteeId: o.buyerId },
    })
  }
  return out
}
