/**
 * The ways into membership (docs/rules.md "Membership (会员)"): phone sign-up with WeChat's
 * getPhoneNumber, and 朋友会员 by adding the merchant's 企业微信, whose events the callback hands here
 * once verified. Tiers, points and member.status are the member service's.
 */
import type { ActionOutput } from '../../contract'
import type { AuthedCtx, Ctx } from '../context'
import { fail } from '../errors'
import { limitKeys, PHONE_JOINS, take } from '../limits'
import type { VerifiedWecomEvent } from '../services.ports'
import { applyEvent, contactHolds, endedAt, maskPhone, newContactState } from './join.rules'

type Out<A extends 'joinByPhone' | 'wecomContact'> = ActionOutput<'member', A>

/**
 * member.joinByPhone: the code exchanged for the number (an adapter call, so attempts are limited per
 * user, refused ones included), kept as the caller's verified phone. Asking again with the same
 * number changes nothing; a number another customer holds is refused (one number, one member).
 */
export async function joinByPhone(ctx: AuthedCtx, input: { code: string }): Promise<Out<'joinByPhone'>> {
  const { userId } = ctx.caller
  if ((await take(ctx, limitKeys.phoneJoin(userId), PHONE_JOINS)) === 0) fail('RATE_LIMITED', '操作太频繁，请稍后再试')
  const got = await ctx.phones.phoneOf(input.code)
  if (!got.ok) return got.reason === 'INVALID_CODE' ? fail('PHONE_CODE_INVALID') : fail('PHONE_NOT_MAINLAND')
  if ((await ctx.repos.memberJoins.setPhone(userId, got.phone, ctx.now())) === 'taken') return fail('PHONE_TAKEN')
  return { phone: maskPhone(got.phone) }
}

/**
 * member.wecomContact: the caller's 联系我 code, made once (WeCom is asked once per customer, racing
 * calls included: the first to claim the row makes it, the others read it once that commits), and
 * whether the contact holds now.
 */
export async function wecomContact(ctx: AuthedCtx): Promise<Out<'wecomContact'>> {
  const wecom = ctx.wecom
  if (!wecom) return fail('WECOM_UNAVAILABLE')
  const { userId } = ctx.caller
  const repo = ctx.repos.memberJoins
  let way = await repo.contactWay(userId)
  if (!way) {
    const state = newContactState()
    if (await repo.claimContactWay(userId, state)) {
      const code = await wecom.createContactWay(state)
      await repo.setContactWayCode(userId, code)
      way = { state, qrCode: code.qrCode, added: false }
    } else {
      way = await repo.contactWay(userId)
      if (!way) throw new Error('the 联系我 code claimed by a racing call is not there')
    }
  }
  return { qrCodeUrl: way.qrCode, added: way.added, sandboxAddUrl: wecom.sandboxAddUrl(way.state) }
}

/** What became of a verified WeCom event. */
export type WecomOutcome =
  /** Applied to the contact (and its customer's membership, when it is linked to one). */
  | 'applied'
  /**
   * Earlier than what is known of the contact (by CreateTime; an add of the same second as a known
   * delete): recorded, nothing changed (its add still links the customer).
   */
  | 'stale'
  /** A replay of an event already recorded: nothing changed. */
  | 'duplicate'
  /** The contact was linked to another customer by an earlier add: it stays theirs (one contact, one member). */
  | 'linked_elsewhere'

/**
 * A WeCom external-contact event, applied once however often and however concurrently it arrives:
 * the contact's row is locked first (every event for it waits there), the event is recorded under its
 * unique key (a replay stops there), then the contact and its customer's WeCom way are brought to the
 * standing the events say, by CreateTime and a delete after an add within one second (out of order
 * safe). An add through a customer's 联系我 code links the contact to them; the way holds while the
 * contact holds with any staff member.
 */
export async function onWecomEvent(ctx: Ctx, event: VerifiedWecomEvent): Promise<WecomOutcome> {
  const repo = ctx.repos.memberJoins
  const contact = await repo.lockContact(event.externalUserId)
  const stateUser = event.change === 'add' && event.state ? await repo.userOfState(event.state) : null
  const userId = contact.userId ?? stateUser
  const next = applyEvent(contact.follows, event)
  const outcome: WecomOutcome =
    stateUser && contact.userId && stateUser !== contact.userId ? 'linked_elsewhere' : next.stale ? 'stale' : 'applied'
  if (!(await repo.recordEvent(event, outcome, ctx.now()))) return 'duplicate'
  const addedAt = event.change === 'add' ? Math.max(contact.addedAt ?? 0, event.createTime) : contact.addedAt
  await repo.saveContact(event.externalUserId, { userId, follows: next.follows, addedAt })
  if (userId && addedAt !== null) {
    const ended = endedAt(next.follows)
    await repo.setWecom(
      userId,
      {
        externalUserId: event.externalUserId,
        addedAt: new Date(addedAt * 1000),
        removedAt: contactHolds(next.follows) || ended === null ? null : new Date(ended * 1000),
      },
      stateUser === userId,
    )
  }
  return outcome
}
