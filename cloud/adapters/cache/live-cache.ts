/**
 * The live cache (core/live/live.ports LiveCache): per room, the state every poll needs and the shared
 * part of its view, kept in this process for `ttlMs` (500 ms by default).
 *
 * - One load at a time per room: polls arriving while the state is being read wait for that read
 *   (single-flight), so 10,000 viewers polling every 2 s cost one query per room every `ttlMs`.
 * - `changed` (run by the edge after a call commits) of a view drops the rooms at once; a read under
 *   way when they changed is not kept (it may predate the commit), so this host's next poll sees
 *   the change. Another host's change is seen once the entry is `ttlMs` old: the state is stamped
 *   with the time its read started, never served later than `ttlMs` after that.
 * - `changed` of counts (a comment, a like, an entry, a credit on this host) keeps the room's state
 *   until `countGapMs` (100 ms) after its last read at most: a busy room is read again at most
 *   every 100 ms for its counts, not once per write; a count reaches this host's polls within 100 ms.
 * - The shared view is built once per room version (and at most every `ttlMs`) however many viewers'
 *   versions moved at once.
 * - Bounded: at most `maxRooms` rooms, the least recently used dropped first.
 *
 * Reads run on `repos` of the cache's own (autocommitted, outside any call's transaction).
 */
import type { LiveCache, RoomState, SharedRoomView } from '../../core/live/live.ports'
import type { Repos } from '../../core/ports'

interface Slot<T> {
  /** The value, once read. */
  value?: T
  /** When its read started (epoch ms). */
  readAt: number
  /** Served until then (epoch ms): the read's start plus the cache's time, or sooner after a count moved. */
  until: number
  /** The read under way, shared by every caller meanwhile. */
  reading?: Promise<T>
  /** For the shared view: the room version it was built for. */
  version: number
}

export interface LiveCacheOptions {
  ttlMs: number
  /** How soon after a room's last read a count change on this host is read again (default 100 ms). */
  countGapMs?: number
  maxRooms: number
  /** Repos outside any transaction, for the cache's own reads. */
  repos: Repos
  clock?: () => number
}

export function liveCache(opts: LiveCacheOptions): LiveCache & { clear(): void } {
  const clock = opts.clock ?? Date.now
  const gap = Math.min(opts.countGapMs ?? 100, opts.ttlMs)
  const states = new Map<string, Slot<RoomState | null>>()
  const views = new Map<string, Slot<SharedRoomView | null>>()
  /** Moves on at every change of a view: a read started before one is not kept. */
  let generation = 0

  const bounded = <T>(map: Map<string, T>) => {
    while (map.size > opts.maxRooms) map.delete(map.keys().next().value!)
  }

  function read<T>(map: Map<string, Slot<T>>, key: string, version: number, load: () => Promise<T>): Promise<T> {
    const startedAt = clock()
    const gen = generation
    const slot: Slot<T> = { readAt: startedAt, until: startedAt + opts.ttlMs, version }
    slot.reading = load().then(
      (value) => {
        // Kept only when no view changed meanwhile and no newer read replaced this one.
        if (gen === generation && map.get(key) === slot) {
          slot.value = value
          slot.reading = undefined
        } else if (map.get(key) === slot) map.delete(key)
        return value
      },
      (err: unknown) => {
        if (map.get(key) === slot) map.delete(key)
        throw err
      },
    )
    map.delete(key)
    map.set(key, slot)
    bounded(map)
    return slot.reading
  }

  /** The slot's value (or its read under way) while it may be served. */
  const served = <T>(slot: Slot<T> | undefined, now: number): Promise<T> | undefined => {
    if (!slot || now >= slot.until) return undefined
    return slot.reading ?? Promise.resolve(slot.value as T)
  }

  return {
    state(roomId, load) {
      if (opts.ttlMs <= 0) return load(opts.repos)
      return served(states.get(roomId), clock()) ?? read(states, roomId, 0, () => load(opts.repos))
    },
    shared(roomId, version, build) {
      if (opts.ttlMs <= 0) return build(opts.repos)
      const slot = views.get(roomId)
      // Built for this version or a newer one (a view newer than the poll's state is still right).
      return (slot && slot.version >= version ? served(slot, clock()) : undefined) ?? read(views, roomId, version, () => build(opts.repos))
    },
    changed(roomIds, what = 'view') {
      if (what === 'counts') {
        // Served at most until the gap after the last read, and never past now for a read older than that.
        const now = clock()
        for (const id of roomIds ?? [...states.keys()]) {
          const slot = states.get(id)
          if (slot) slot.until = Math.min(slot.until, Math.max(now, slot.readAt + gap))
        }
        return
      }
      generation++
      if (roomIds === null) {
        states.clear()
        views.clear()
        return
      }
      for (const id of roomIds) {
        states.delete(id)
        views.delete(id)
      }
    },
    clear() {
      generation++
      states.clear()
      views.clear()
    },
  }
}
