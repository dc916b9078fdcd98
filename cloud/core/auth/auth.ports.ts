/** What the auth service needs from storage: users, their sessions, and the console's sign-in tickets. */
import type { GrantedRole, TicketStatus } from '../../contract'
import type { NewOrder } from '../order/order.ports'
import type { Caller } from '../context'

export type { Caller }

export interface UserRecord {
  id: string
  openid: string
  nickname: string
  avatarUrl: string | null
  /** The role the owner gave (the staff table), read with the user itself: never cached. */
  staffRole: GrantedRole | null
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

/** `app`: the mini-program's and H5's bearer sessions; `console`: the web console's (a cookie). */
export type SessionKind = 'app' | 'console'

export interface SessionRecord {
  user: UserRecord
  kind: SessionKind
  expiresAt: Date
}

export interface SessionRepo {
  create(tokenHash: string, userId: string, expiresAt: Date, kind?: SessionKind): Promise<void>
  /**
   * THE LAST STATEMENT of a shopper's sign-in, sent with its commit (cloud/db lastStatement): the
   * user of `user.openid` as users.upsertByOpenid makes it, a new app session of theirs
   * (`session`), and whether they hold a paid order of `customerKinds` (users.hasPaidOrder), in one
   * statement. Nothing may run in the call after it.
   */
  openLast(
    user: { openid: string; nickname: string | null; defaultNickname: string },
    session: { tokenHash: string; expiresAt: Date },
    customerKinds: readonly NewOrder['kind'][],
  ): Promise<{ user: UserRecord; hasPaidOrder: boolean }>
  /** The user of a live session (with their staff role, in the same query), or null when unknown or expired at `now`. */
  userOf(tokenHash: string, now: Date): Promise<UserRecord | null>
  /** A live session with its kind and expiry, or null. */
  get(tokenHash: string, now: Date): Promise<SessionRecord | null>
  /** The live sessions among `tokenHashes`, each with its hash, in one query (the session cache's batched reads). */
  getMany(tokenHashes: string[], now: Date): Promise<Array<SessionRecord & { tokenHash: string }>>
  /** Ends one session; whether it existed. */
  remove(tokenHash: string): Promise<boolean>
  /** Ends every session of `kind` of `userId` (a role changed or taken away ends their console sessions); how many. */
  removeOf(userId: string, kind: SessionKind): Promise<number>
  /** Deletes sessions expired before `now` (the retention job); how many. */
  pruneExpired(now: Date): Promise<number>
}

/**
 * Who a bearer token (or a CloudBase OPENID) stands for, kept in the process for a few seconds so a
 * poll needs no session query (cloud/adapters/cache/session-cache.ts). Only shoppers are kept: a
 * caller with a staff role is read from the database at every call (a role taken away counts at the
 * next call), and staff actions never read it. Keys are token hashes (or `openid:` + the OPENID).
 */
export interface SessionCache {
  /** The caller kept under `key`, while younger than the cache's time and before `expiresAt`; else null. */
  get(key: string, now: Date): Caller | null
  /** Keeps a shopper's caller (never one with a role) until the cache's time or `expiresAt`, whichever is first. */
  put(key: string, caller: Caller, expiresAt: Date | null, now: Date): void
  /** Drops `key` at once, and keeps it out for the cache's time (a read that raced the sign-out can't put it back). */
  forget(key: string): void
  /**
   * Reads the session of `tokenHash` from the database now, outside the call's transaction: the
   * reads of the calls arriving together are one query (`SessionRepo.getMany`), so the sessions of
   * 10,000 polling viewers, each read again once its time is up, cost a few queries a second.
   */
  read(tokenHash: string, now: Date): Promise<SessionRecord | null>
}

/** A console sign-in ticket as stored (its status as written: `expired` is read against the clock). */
export interface TicketRecord {
  id: string
  via: 'scan' | 'link'
  status: Exclude<TicketStatus, 'expired'>
  userId: string | null
  secretHash: string
  expiresAt: Date
  /** The browser that asked for it (describeDevice), '' for a once-link. */
  device: string
}

export interface ConsoleTicketRepo {
  create(t: {
    id: string
    secretHash: string
    via: 'scan' | 'link'
    status: 'waiting' | 'confirmed'
    userId: string | null
    device: string
    now: Date
    expiresAt: Date
  }): Promise<void>
  get(id: string): Promise<TicketRecord | null>
  /** waiting|scanned -> scanned by `userId`, while not expired at `now`; the ticket after, or null when it did not move. */
  markScanned(id: string, userId: string, now: Date): Promise<TicketRecord | null>
  /** waiting|scanned -> `to` by `userId`, while not expired at `now`: one statement, so only one decision lands. */
  decide(id: string, userId: string, to: 'confirmed' | 'rejected', now: Date): Promise<TicketRecord | null>
  /** confirmed -> used, when the secret matches and it has not expired at `now`: exactly one redeemer gets the ticket back. */
  redeem(id: string, secretHash: string, now: Date): Promise<TicketRecord | null>
  /**
   * Expires a ticket not yet used nor rejected, now, when the secret matches (the console asked a new
   * code in its place); whether it did.
   */
  withdraw(id: string, secretHash: string, now: Date): Promise<boolean>
  /** confirmed|used -> rejected: the confirmer lost their role before the ticket was redeemed. */
  reject(id: string): Promise<void>
  /** scanned|confirmed tickets of `userId` -> rejected (their role changed or was taken away); how many. */
  rejectOf(userId: string): Promise<number>
  /** Deletes tickets expired before `before` (the retention job); how many. */
  pruneExpired(before: Date): Promise<number>
}
