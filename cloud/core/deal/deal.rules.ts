/** The new-user deal's rules over facts the repository answers: which invites count, and how many claims they allow. Pure. */
import type { InviteCountsWhen } from '../../contract'
import type { DealCampaignRecord, InviteFact } from './deal.ports'

/** An invite counts at once in `joined` mode; in `paid` mode once the invitee paid a deal order of the campaign that is not refunded. */
export const inviteCounts = (mode: InviteCountsWhen, inviteePaid: boolean): boolean => mode === 'joined' || inviteePaid

/** How many of an inviter's invites count, from the tally of their invites and of those whose invitee paid. */
export const countedInvites = (mode: InviteCountsWhen, tally: { invites: number; inviteePaid: number }): number =>
  mode === 'joined' ? tally.invites : tally.inviteePaid

/** The claims a user has: the base ones and one batch per counted invite, the extra ones capped. */
export const allowedClaims = (c: DealCampaignRecord, counted: number): number =>
  c.baseClaims + Math.min(c.extraClaimsPerInvite * counted, c.maxExtraClaims)

/** A friend in the inviter's list: counted, waiting for payment (NOT_PAID_YET), or refused with the refusal's reason. */
export function inviteRow(
  mode: InviteCountsWhen,
  f: InviteFact,
): { nickname: string; counted: boolean; reason: string | null; acceptedAt: string } {
  const counted = f.refusal === null && inviteCounts(mode, f.inviteePaid)
  return { nickname: f.nickname, counted, reason: counted ? null : (f.refusal ?? 'NOT_PAID_YET'), acceptedAt: f.acceptedAt }
}
