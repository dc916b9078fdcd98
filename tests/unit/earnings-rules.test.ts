import { accrualsOf, commissionFen } from '../../cloud/core/deal/earnings.rules'
import type { AccrualFacts } from '../../cloud/core/deal/deal.ports'

const order = (over: Partial<AccrualFacts> = {}): AccrualFacts => ({
  orderId: 'o_1',
  buyerId: 'u_b',
  sharerId: 'u_s',
  lines: [{ unitPriceFen: 5900, qty: 2, discountFen: 300, commissionPermille: 100 }],
  deal: null,
  ...over,
})

describe('earnings rules', () => {
  test('commission is floor(paid × rate) per line, summed', () => {
    expect(commissionFen([{ unitPriceFen: 5900, qty: 2, discountFen: 300, commissionPermille: 100 }])).toBe(1150)
    // Floored per line, not on the sum: 0.5 + 0.5 would make 1.
    const half = { unitPriceFen: 5, qty: 1, discountFen: 0, commissionPermille: 100 }
    expect(commissionFen([half, half])).toBe(0)
    // Exact where floating point is not: 100 × 0.29 is 28.999… in binary, 29 in the ledger.
    expect(commissionFen([{ unitPriceFen: 100, qty: 1, discountFen: 0, commissionPermille: 290 }])).toBe(29)
    expect(commissionFen([{ unitPriceFen: 100_000_000, qty: 1, discountFen: 1, commissionPermille: 500 }])).toBe(49_999_999)
    expect(commissionFen([])).toBe(0)
  })

  test('the sharer earns the commission only when there is a sharer and it is more than 0', () => {
    expect(accrualsOf(order())).toEqual([{ userId: 'u_s', orderId: 'o_1', kind: 'commission', amountFen: 1150, invite: null }])
    expect(accrualsOf(order({ sharerId: null }))).toEqual([])
    expect(accrualsOf(order({ lines: [{ unitPriceFen: 5900, qty: 1, discountFen: 0, commissionPermille: 0 }] }))).toEqual([])
  })

  test('the inviter earns the campaign reward for a rewardable invite of the buyer', () => {
    const deal = { campaignId: 'dc_1', inviteRewardFen: 500, invite: { inviterId: 'u_a', rewardable: true } }
    expect(accrualsOf(order({ sharerId: null, deal }))).toEqual([
      { userId: 'u_a', orderId: 'o_1', kind: 'invite_reward', amountFen: 500, invite: { campaignId: 'dc_1', inviteeId: 'u_b' } },
    ])
    expect(accrualsOf(order({ deal })).map((a) => a.kind)).toEqual(['commission', 'invite_reward'])
    expect(accrualsOf(order({ sharerId: null, deal: { ...deal, inviteRewardFen: 0 } }))).toEqual([])
    expect(accrualsOf(order({ sharerId: null, deal: { ...deal, invite: { inviterId: 'u_a', rewardable: false } } }))).toEqual([])
    expect(accrualsOf(order({ sharerId: null, deal: { ...deal, invite: null } }))).toEqual([])
  })
})
