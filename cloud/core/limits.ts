/**
 * The abuse limits (business rules, live rooms): what each limit counts, how fast and how big a
 * burst. The database holds the counts (a token bucket per key, `take_tokens`, shared by every
 * running copy of the backend); the rules are decided here, once.
 */
import type { Ctx } from './context'
import type { RateRule } from './limits.ports'

export type { RateRule } from './limits.ports'

/** Comments: at most one per 2 s per viewer and room, with a burst of 3; beyond that RATE_LIMITED. */
export const COMMENTS: RateRule = { perSecond: 1 / 2, burst: 3 }

/** The most likes one call may carry (the contract refuses more). */
export const LIKES_PER_CALL = 50

/**
 * Likes: at most 300 in any minute per viewer and room, the excess ignored. A bucket of 60 refilling
 * 4 a second holds that in every 60-second window, not only on average: 60 + 4 × 60 = 300. (A bucket
 * of 300 refilling 5 a second would let 600 through in the first minute.)
 */
export const LIKES: RateRule = { perSecond: 4, burst: 60 }

/** Rejected payment notifies stored per provider and reason: a burst of 20, then 10 a minute; the rest only logged. */
export const NOTIFY_REJECTIONS: RateRule = { perSecond: 10 / 60, burst: 20 }

/** The most of a rejected notify's body that is kept (bytes of its JSON text). */
export const REJECTION_BODY_BYTES = 2048

/** How long rejected notifies are kept. */
export const REJECTION_RETENTION_DAYS = 30

/**
 * Orders placed per user: a burst of 10, then one every 6 s (a create-and-cancel loop can't grow the
 * table fast). Taken in the order's own transaction, by the statement that inserts it
 * (orders.insert): an order refused after it costs no token.
 */
export const ORDERS: RateRule = { perSecond: 1 / 6, burst: 10 }

/** Unpaid orders one user may hold at once: stock can't be hoarded by orders nobody pays. */
export const MAX_PENDING_ORDERS = 10

/** Saved addresses per user. */
export const MAX_ADDRESSES = 20

/** Profile edits that pass the checks and are saved, per user: a burst of 5, then one a minute. */
export const PROFILE_EDITS: RateRule = { perSecond: 1 / 60, burst: 5 }
/**
 * Profile edit attempts per user, refused ones included (each costs WeChat content checks): 20 a
 * minute, so a shopper trying a few names the check refuses isn't locked out of saving one, while
 * a loop still can't flood the check API.
 */
export const PROFILE_ATTEMPTS: RateRule = { perSecond: 20 / 60, burst: 20 }

/**
 * Phone sign-up attempts per user (member.joinByPhone), refused ones included: each asks WeChat to
 * exchange a code. A burst of 5, then one a minute: a shopper retrying a failed button is never in
 * the way, a loop can't spend the shop's API quota.
 */
export const PHONE_JOINS: RateRule = { perSecond: 1 / 60, burst: 5 }

export const limitKeys = {
  comment: (roomId: string, userId: string) => `comment:${roomId}:${userId}`,
  like: (roomId: string, userId: string) => `like:${roomId}:${userId}`,
  order: (userId: string) => `order:${userId}`,
  profile: (userId: string) => `profile:${userId}`,
  profileAttempt: (userId: string) => `profile-attempt:${userId}`,
  phoneJoin: (userId: string) => `phone-join:${userId}`,
  consoleTicket: (address: string) => `console-ticket:${address.slice(0, 64)}`,
  // Per reason too: a flood of forged notifies (BAD_SIGNATURE) can't crowd out the record of a real
  // anomaly (a second payment refunded). The reasons are the server's own few codes.
  notifyRejection: (provider: string, reason: string) => `notify-rejection:${provider}:${reason.slice(0, 40)}`,
}

/** The most a rule lets through in any window of `seconds`: the full bucket and what refills meanwhile. */
export const mostInWindow = (rule: RateRule, seconds: number): number => Math.floor(rule.burst + rule.perSecond * seconds)

/** Takes up to `want` tokens of the bucket `key` under `rule`; how many were granted (0..want). */
export function take(ctx: Ctx, key: string, rule: RateRule, want = 1): Promise<number> {
  return ctx.repos.limits.take(key, want, rule, ctx.now())
}

/**
 * A JSON text of `body` that PostgreSQL's jsonb accepts and that is at most `maxBytes` long: the
 * body itself when it fits, else `{"truncated":true,"bytes":n,"head":"<the start of its JSON>"}`.
 * Strings lose NUL and lone surrogates (jsonb refuses both), so a forged body can't make the insert fail.
 */
export function boundedJson(body: unknown, maxBytes = REJECTION_BODY_BYTES): string {
  let text: string
  try {
    text = JSON.stringify(body ?? null, (_k, v: unknown) => (typeof v === 'string' ? wellFormed(v) : v)) ?? 'null'
  } catch {
    text = JSON.stringify(String(body))
  }
  // A NUL or lone surrogate in a key survives the replacer as an escape: keep such a body as text.
  if (Buffer.byteLength(text) <= maxBytes && !/\\u(0000|d[89a-f])/i.test(text)) return text
  const bytes = Buffer.byteLength(text)
  let head = wellFormed(text.slice(0, maxBytes))
  for (;;) {
    const out = JSON.stringify({ truncated: true, bytes, head })
    if (Buffer.byteLength(out) <= maxBytes) return out
    head = wellFormed(head.slice(0, Math.floor(head.length * 0.8)))
  }
}

/** NUL and unpaired surrogates become U+FFFD. */
const wellFormed = (s: string) =>
  s.replaceAll('\u0000', '\ufffd').replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')

/** The retention job: rejected notifies past their retention, limit buckets full again, expired sessions, console tickets a day past expiry. */
export async function pruneAbuseStorage(ctx: Ctx): Promise<{ rejections: number; buckets: number; sessions: number; tickets: number }> {
  const now = ctx.now()
  const rejections = await ctx.repos.payments.pruneRejections(new Date(now.getTime() - REJECTION_RETENTION_DAYS * 86_400_000))
  const buckets = await ctx.repos.limits.prune(now)
  const sessions = await ctx.repos.sessions.pruneExpired(now)
  // A day's grace: a console still polling an old ticket hears `expired`, not 404.
  const tickets = await ctx.repos.consoleTickets.pruneExpired(new Date(now.getTime() - 86_400_000))
  return { rejections, buckets, sessions, tickets }
}
