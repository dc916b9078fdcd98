/**
 * What the host keeps in memory across calls (core/context HostCaches): the session cache, the live
 * cache and the presence marks, with their times from the environment, and the timer that flushes
 * the marks. Each is documented where it is built (cloud/adapters/cache) and in docs/rules.md.
 *
 *   SESSION_CACHE_MS   how long a shopper's session is kept (default 10000; 0: read at every call)
 *   LIVE_CACHE_MS      how long a room's poll state and shared view are kept (default 500; 0: none)
 *   PRESENCE_FLUSH_MS  how often presence marks are written (default 3000; 0: at every poll)
 */
import { liveCache } from '../adapters/cache/live-cache'
import { presenceMarks } from '../adapters/cache/presence'
import { sessionCache } from '../adapters/cache/session-cache'
import type { HostCaches } from '../core/context'
import { SYNC_COMMENTS } from '../core/live/room.rules'
import { flushPresence } from '../core/live/shows.service'
import { reposFor, type Database } from '../db/database'
import { runAsSystem, type Deps } from '../functions/define'

type Env = Record<string, string | undefined>

const msOf = (env: Env, name: string, fallback: number, max: number): number => {
  const v = env[name]?.trim()
  if (!v) return fallback
  const n = Number(v)
  return Number.isFinite(n) && n >= 0 ? Math.min(n, max) : fallback
}

export interface CacheTimes {
  sessionMs: number
  liveMs: number
  presenceFlushMs: number
}

/** The times, bounded: a session at most 30 s, a room's state at most 1 s (a change must reach every viewer within one 2 s poll), marks at most 15 s. */
export function cacheTimesOf(env: Env): CacheTimes {
  return {
    sessionMs: msOf(env, 'SESSION_CACHE_MS', 10_000, 30_000),
    liveMs: msOf(env, 'LIVE_CACHE_MS', 500, 1_000),
    presenceFlushMs: msOf(env, 'PRESENCE_FLUSH_MS', 3_000, 15_000),
  }
}

/**
 * The caches; what a time of 0 turns off is left out. `reads` is a database of their own (a small
 * pool, autocommitted reads): a call holding a connection of the main pool may wait for a cache
 * read, which must never wait for that pool in turn.
 */
export function hostCaches(reads: Database, times: CacheTimes, opts: { presence: boolean }): HostCaches {
  const caches: HostCaches = {}
  const repos = reposFor(reads.pool)
  if (times.sessionMs > 0) caches.sessionCache = sessionCache({ ttlMs: times.sessionMs, maxEntries: 100_000, sessions: repos.sessions })
  if (times.liveMs > 0) caches.liveCache = liveCache({ ttlMs: times.liveMs, maxRooms: 1_000, comments: SYNC_COMMENTS, repos })
  if (opts.presence && times.presenceFlushMs > 0) caches.presence = presenceMarks()
  return caches
}

/** Writes every room's pending presence marks, each room in a transaction of its own. */
export async function flushAllPresence(deps: Deps): Promise<void> {
  const presence = deps.presence
  if (!presence) return
  for (const roomId of presence.rooms()) {
    const marks = presence.take(roomId)
    try {
      await runAsSystem(deps, (ctx) => flushPresence(ctx, roomId, marks))
    } catch (err) {
      // Lost marks cost at most a few seconds of "watching now" (a 60 s window): logged, not retried.
      console.error(JSON.stringify({ level: 'warn', event: 'presence_flush_failed', roomId, error: String(err) }))
    }
  }
}

/** Flushes the marks every `everyMs` until stopped; stopping flushes once more. */
export function startPresenceFlush(deps: Deps, everyMs: number): { stop(): Promise<void> } {
  if (!deps.presence) return { stop: async () => undefined }
  let running: Promise<void> = Promise.resolve()
  const timer = setInterval(() => {
    running = running.then(() => flushAllPresence(deps))
  }, everyMs)
  timer.unref()
  return {
    async stop() {
      clearInterval(timer)
      await running
      await flushAllPresence(deps)
    },
  }
}
