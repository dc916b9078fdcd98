import { allowedClaims, countedInvites, inviteCounts, inviteRow } from '../../cloud/core/deal/deal.rules'
import type { DealCampaignRecord } from '../../cloud/core/deal/deal.ports'

const campaign = { baseClaims: 1, extraClaimsPerInvite: 1, maxExtraClaims: 2 } as DealCampaignRecord
const at = '2026-01-01T00:00:00.000Z'

describe('deal rules', () => {
  test('an invite counts when joined, or in paid mode once the invitee paid', () => {
    expect(inviteCounts('joined', false)).toBe(true)
    expect(inviteCounts('paid', false)).toBe(false)
    expect(inviteCounts('paid', true)).toBe(true)
    expect(countedInvites('joined', { invites: 3, inviteePaid: 1 })).toBe(3)
    expect(countedInvites('paid', { invites: 3, inviteePaid: 1 })).toBe(1)
  })

  test('claims are the base ones plus one per counted invite, the extra ones capped', () => {
    expect(allowedClaims(campaign, 0)).toBe(1)
    expect(allowedClaims(campaign, 1)).toBe(2)
    expect(allowedClaims(campaign, 5)).toBe(3)
  })

  test("the inviter's list: counted, waiting for payment, or refused with its reason", () => {
    const invite = { nickname: '阿明', acceptedAt: at, refusal: null, inviteePaid: false }
    expect(inviteRow('joined', invite)).toEqual({ nickname: '阿明', counted: true, reason: null, acceptedAt: at })
    expect(inviteRow('paid', invite)).toEqual({ nickname: '阿明', counted: false, reason: 'NOT_PAID_YET', acceptedAt: at })
    expect(inviteRow('paid', { ...invite, inviteePaid: true })).toMatchObject({ counted: true, reason: null })
    expect(inviteRow('joined', { ...invite, refusal: 'RISK_BLOCKED' })).toMatchObject({ counted: false, reason: 'RISK_BLOCKED' })
  })
})
