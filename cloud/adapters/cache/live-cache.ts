/**
 * The live cache (core/live/live.ports LiveCache): per room, the state every poll needs and the shared
 * part of its view, kept in this process for `ttlMs` (500 ms by default).
 *
 * - One load at a time per room: polls arriving while the state is being read wait for that read
 *   (single-flight), so 10,000 viewers polling every 2 s cost one query per room every `ttlMs`.
 * - `changed` (run by the edge after a call commits) drops the rooms at once; a read already under
 *   way when they changed is not kept (it may predate the commit), so this host's next poll sees
 *   the change. Another host's change is seen once the entry is `ttlMs` old: the state is stamped
 *   with the time its read started, never served later than `ttlMs` after that.
 * - The shared view is built once per room version (and at most every `ttlMs`) however many viewers'
 *   versions moved at once.
 * - Bounded: at most `maxRooms` rooms, the least recently used dropped first.
 *
 * Reads run on `repos` of the cache's own (autocommitted, outside any call's transaction).
 */
import type { LiveCache, RoomState, SharedRoomView } from '../../core/live/live.ports'
import type { Repos } from '../../core/ports'

interface Slot<T> {
  /** The value and when its read started (epoch ms), once read. */
  value?: T
  readAt: number
  /** The read under way, shared by every caller meanwhile. */
  reading?: Promise<T>
  /** For the shared view: the room version it was built for. */
  version: number
}

export interface LiveCacheOptions {
  ttlMs: number
  maxRooms: number
  /** Repos outside any transaction, for the cache's own reads. */
  repos: Repos
  clock?: () => number
}

export function liveCache(opts: LiveCacheOptions): LiveCache & { clear(): void } {
  const clock = opts.clock ?? Date.now
  const states = new Map<string, Slot<RoomState | null>>()
  const views = new Map<string, Slot<SharedRoomView | null>>()
  /** Moves on at every change: a read started before a change is not kept. */
  let generation = 0

  const bounded = <T>(map: Map<string, T>) => {
    while (map.size > opts.maxRooms) map.delete(map.keys().next().value!)
  }

  function read<T>(map: Map<string, Slot<T>>, key: string, version: number, load: () => Promise<T>): Promise<T> {
    const startedAt = clock()
    const gen = generation
    const slot: Slot<T> = { readAt: startedAt, version }
    slot.reading = load().then(
      (value) => {
        // Kept only when nothing changed meanwhile and no newer read replaced this one.
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

  const fresh = <T>(slot: Slot<T> | undefined, now: number): slot is Slot<T> =>
    slot !== undefined && (slot.reading !== undefined || now - slot.readAt < opts.ttlMs)

  return {
    state(roomId, load) {
      if (opts.ttlMs <= 0) return load(opts.repos)
      const slot = states.get(roomId)
      if (fresh(slot, clock())) return slot.reading ?? Promise.resolve(slot.value as RoomState | null)
      return read(states, roomId, 0, () => load(opts.repos))
    },
    shared(roomId, version, build) {
      if (opts.ttlMs <= 0) return build(opts.repos)
      const slot = views.get(roomId)
      // Built for this version or a newer one (a view newer than the poll's state is still right).
      if (fresh(slot, clock()) && slot.version >= version) return slot.reading ?? Promise.resolve(slot.value as SharedRoomView | null)
      return read(views, roomId, version, () => build(opts.repos))
    },
    changed(roomIds) {
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
