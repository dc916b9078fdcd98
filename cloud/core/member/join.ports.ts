/** What the ways into membership (phone sign-up, 企业微信) need from storage: memberships' ways, 联系我 codes, WeCom contacts and events. */
import type { VerifiedWecomEvent } from '../services.ports'
import type { MemberWayEvent } from '../../contract'

/** A WeCom event as stored, for 会员渠道 (times as dates; the service shapes them). */
export type MemberWayEventRecord = Omit<MemberWayEvent, 'receivedAt' | 'happenedAt'> & { receivedAt: Date; happenedAt: Date }
import type { Follows } from './join.rules'

/** A WeCom external contact as kept: the customer it was linked to by its first add, and each staff member's standing. */
export interface ContactRecord {
  userId: string | null
  follows: Follows
  /** The latest add_external_contact's CreateTime seen (seconds); null before any. */
  addedAt: number | null
}

export interface MemberJoinRepo {
  /**
   * Keeps `phone` as the user's verified phone (a membership row made when absent; `phone_at` kept
   * when the number is the one already there). 'taken' when another user holds the number (the
   * unique key decides, under concurrency too).
   */
  setPhone(userId: string, phone: string, at: Date): Promise<'saved' | 'taken'>
  /** The user's 联系我 code, and whether their WeCom contact holds now; null before one was made. */
  contactWay(userId: string): Promise<{ state: string; qrCode: string; added: boolean } | null>
  /** Claims the user's 联系我 code under `state` (the row made, its code still to be set); false when one exists (a racing call's, once it committed). */
  claimContactWay(userId: string, state: string): Promise<boolean>
  setContactWayCode(userId: string, code: { configId: string; qrCode: string }): Promise<void>
  /** The customer a 联系我 state was made for. */
  userOfState(state: string): Promise<string | null>
  /** The contact `externalUserId`, created when unknown, its row locked for the transaction (every event for it waits here). */
  lockContact(externalUserId: string): Promise<ContactRecord>
  saveContact(externalUserId: string, contact: ContactRecord): Promise<void>
  /** Records the event once (its key: external user, staff member, change, CreateTime); false for a replay. */
  recordEvent(event: VerifiedWecomEvent, outcome: string, at: Date): Promise<boolean>
  /**
   * The user's WeCom way: the contact, when it was added and when it ended (null while it holds).
   * A membership row is made when absent. A user already linked to another contact keeps that link
   * unless `relink` (an add through the user's own code).
   */
  setWecom(userId: string, way: { externalUserId: string; addedAt: Date; removedAt: Date | null }, relink: boolean): Promise<void>
  /** 会员渠道's figures: members by way now; phone sign-ups and applied contact events since `since`; refused callbacks since `refusedSince` by reason. */
  figures(
    since: Date,
    refusedSince: Date,
  ): Promise<{
    members: number
    phoneMembers: number
    wecomMembers: number
    wecomEnded: number
    phoneJoins: number
    adds: number
    removes: number
    refused: Array<{ reason: string; count: number }>
  }>
  /** The newest `limit` events, nicknames as stored. */
  recentEvents(limit: number): Promise<MemberWayEventRecord[]>
}
