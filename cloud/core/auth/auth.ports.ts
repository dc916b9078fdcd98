/** What the auth service needs from storage: users and their sessions. */
import type { NewOrder } from '../order/order.ports'

export interface UserRecord {
  id: string
  openid: string
  nickname: string
  avatarUrl: string | null
}

export interface UserRepo {
  /** Creates the user on first sight (named `nickname`, else `defaultNickname`); a nickname given later replaces the stored one. */
  upsertByOpenid(openid: string, nickname: string | null, defaultNickname: string): Promise<UserRecord>
  byId(id: string): Promise<UserRecord | null>
  /** Sets what is given of the user's nickname and avatar URL; the user as stored after. */
  updateProfile(id: string, p: { nickname?: string; avatarUrl?: string }): Promise<UserRecord | null>
  /** Whether the user has a paid order of one of `kinds` that is not refunded (customer.rules.ts decides which kinds). */
  hasPaidOrder(userId: string, kinds: readonly NewOrder['kind'][]): Promise<boolean>
}

export interface SessionRepo {
  create(tokenHash: string, userId: string, expiresAt: Date): Promise<void>
  /** The user of a live session, or null when unknown or expired at `now`. */
  userOf(tokenHash: string, now: Date): Promise<UserRecord | null>
  /** Deletes sessions expired before `now` (the retention job); how many. */
  pruneExpired(now: Date): Promise<number>
}
