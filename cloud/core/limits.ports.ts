/** What the rate limiter (cloud/core/limits.ts) needs from storage. */

/** How fast a bucket refills and how much it holds: the rule of one rate limit (cloud/core/limits.ts). */
export interface RateRule {
  perSecond: number
  burst: number
}

/**
 * Token buckets held by the database, so a limit holds across every running copy of the backend.
 * Its statements run on connections of their own, outside the call's transaction: a token taken
 * stays taken when the call is then refused and rolled back (a comment the content check refuses
 * still costs one, or the check itself could be hammered), and no call holds a bucket's row lock
 * while it does the rest of its work.
 */
export interface LimitRepo {
  /** Takes up to `want` tokens from the bucket `key` (created full); how many it got, 0..want. */
  take(key: string, want: number, rule: RateRule, at: Date): Promise<number>
  /** Deletes buckets that are full again at `at` (no different from no bucket); how many. */
  prune(at: Date): Promise<number>
}
