/**
 * The session cache (core/auth/auth.ports SessionCache): who a token stands for, kept in this process
 * for `ttlMs` (10 s by default) so a shopper's poll needs no session query. Bounded: at most
 * `maxEntries` callers, the least recently used dropped first. What it may serve, and for how long:
 *
 * - only shoppers: core puts no caller with a staff role, and staff actions never read the cache;
 * - never past the session's own expiry, nor `ttlMs` after it was read from the database;
 * - a sign-out on this host drops the token at once and keeps it out for `ttlMs` (a read that raced
 *   the sign-out can't put it back); on another host the session is served at most `ttlMs` after
 *   the sign-out committed (docs/rules.md, Sessions kept for a few seconds).
 */
import type { Caller, SessionCache, SessionRecord, SessionRepo } from '../../core/auth/auth.ports'

interface Entry {
  caller: Caller
  /** Epoch ms after which the entry is never served: the cache's time or the session's expiry, the earlier. */
  until: number
}

/** The most token hashes one batched read names. */
const BATCH = 500

export function sessionCache(opts: { ttlMs: number; maxEntries: number; sessions: SessionRepo }): SessionCache {
  const entries = new Map<string, Entry>()
  /** Reads waiting for the next batch: token hash → the calls waiting for it. */
  let waiting = new Map<string, Array<{ resolve: (s: SessionRecord | null) => void; reject: (e: unknown) => void }>>()
  let scheduled = false
  const flush = () => {
    scheduled = false
    const batch = waiting
    waiting = new Map()
    const hashes = [...batch.keys()]
    for (let i = 0; i < hashes.length; i += BATCH) {
      const part = hashes.slice(i, i + BATCH)
      opts.sessions.getMany(part, new Date()).then(
        (found) => {
          const byHash = new Map(found.map(({ tokenHash, ...s }) => [tokenHash, s]))
          for (const h of part) for (const w of batch.get(h)!) w.resolve(byHash.get(h) ?? null)
        },
        (err: unknown) => {
          for (const h of part) for (const w of batch.get(h)!) w.reject(err)
        },
      )
    }
  }
  /** Tokens signed out here: epoch ms until which no read may put them back. */
  const gone = new Map<string, number>()
  return {
    get(key, now) {
      const e = entries.get(key)
      if (!e) return null
      if (now.getTime() >= e.until) {
        entries.delete(key)
        return null
      }
      // Least recently used last out: a hit moves to the end of the map's order.
      entries.delete(key)
      entries.set(key, e)
      return e.caller
    },
    put(key, caller, expiresAt, now) {
      if (caller.role !== null || opts.ttlMs <= 0) return
      const at = now.getTime()
      const out = gone.get(key)
      if (out !== undefined) {
        if (at < out) return
        gone.delete(key)
      }
      const until = Math.min(at + opts.ttlMs, expiresAt ? expiresAt.getTime() : Number.POSITIVE_INFINITY)
      entries.delete(key)
      entries.set(key, { caller, until })
      while (entries.size > opts.maxEntries) entries.delete(entries.keys().next().value!)
    },
    read(tokenHash) {
      return new Promise((resolve, reject) => {
        const list = waiting.get(tokenHash)
        if (list) list.push({ resolve, reject })
        else waiting.set(tokenHash, [{ resolve, reject }])
        // Every read of this turn of the event loop (the calls parsed together) goes in one query.
        if (!scheduled) {
          scheduled = true
          setImmediate(flush)
        }
      })
    },
    forget(key) {
      entries.delete(key)
      gone.set(key, Date.now() + opts.ttlMs)
      // Bounded too: the oldest sign-outs go first (they are past their time by then).
      while (gone.size > opts.maxEntries) gone.delete(gone.keys().next().value!)
    },
  }
}
