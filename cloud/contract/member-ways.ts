import { z } from 'zod'
import { Instant } from './common'

/** Where 朋友会员 comes from on this host: the merchant's 企业微信, the sandbox, or none (phone sign-up only). */
export const WecomMode = z.enum(['wecom', 'sandbox', 'off'])
export type WecomMode = z.infer<typeof WecomMode>

/** One verified WeCom event as the shop applied it (会员渠道's recent list). */
export const MemberWayEvent = z.object({
  receivedAt: Instant,
  /** The event's own time (WeCom's CreateTime). */
  happenedAt: Instant,
  change: z.enum(['add', 'remove']),
  /** add_external_contact, del_follow_user (the customer deleted the staff member) or del_external_contact. */
  changeType: z.string(),
  /** applied, stale (older than what was known: changed nothing), linked_elsewhere (the contact is another customer's). */
  outcome: z.string(),
  /** The customer the contact is linked to; null when none (an add through no customer's code). */
  nickname: z.string().nullable(),
})
export type MemberWayEvent = z.infer<typeof MemberWayEvent>

export const MemberWays = z.object({
  wecom: WecomMode,
  /** Members now, by either way. */
  members: z.number().int(),
  /** With a verified phone. */
  phoneMembers: z.number().int(),
  /** Whose 企业微信 contact holds now (朋友会员). */
  wecomMembers: z.number().int(),
  /** Whose contact was deleted (the way ended; still members if they have a phone). */
  wecomEnded: z.number().int(),
  /** The last 7 days: phone sign-ups (first verifications), contacts added and deleted (events applied). */
  week: z.object({ phoneJoins: z.number().int(), adds: z.number().int(), removes: z.number().int() }),
  /** Callbacks refused in the last 24 hours (not from WeCom, another corp, undecryptable), by reason, as kept (bounded). */
  refused: z.array(z.object({ reason: z.string(), count: z.number().int() })),
  /** The newest 20 events. */
  recent: z.array(MemberWayEvent),
})
export type MemberWays = z.infer<typeof MemberWays>

export const adminMemberWayActions = {
  /** 会员渠道: how customers became members, and whether WeCom's callback is reaching the shop. */
  memberWays: { input: z.object({}), output: MemberWays },
}
