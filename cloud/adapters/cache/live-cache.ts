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
 * - `counted` merges a comment or a like committed on this host into the room's state (and into a
 *   read under way when it lands): by the comment's id, the like count as the largest seen, so the
 *   merge is right whether or not the read already saw the write, and a busy room's comments and
 *   likes cost no read at all. Entries and credits move counts the cache can't merge: `changed` of
 *   counts makes the next poll read the state again, while enter, comment and like (which need the
 *   room, not its counts) keep using it, and the shared view stays.
 * - The shared view is built once per room version (and at most every `ttlMs`) however many viewers'
 *   versions moved at once.
 * - Each viewer's own part (their 预约, their claims of the room's coupons) is kept while their own
 *   version stays what it was read at and the room's coupons stay among those it covers: a moved
 *   room version makes 10,000 viewers wait for one shared build and read no own part again.
 * - Bounded: at most `maxRooms` rooms and `maxViewers` own parts, the least recently used dropped first.
 *
 * Reads run on `repos` of the cache's own (autocommitted, outside any call's transaction).
 */
import type { Comment } from '../../contract'
import type { LiveCache, RoomState, SharedRoomView, ViewerOwn } from '../../core/live/live.ports'
import type { Repos } from '../../core/ports'

interface Slot<T> {
  /** The value, once read. */
  value?: T
  /** When its read started (epoch ms); served until the cache's time after it. */
  readAt: number
  /** Merges to apply when the read under way lands. */
  merges?: Array<Merge>
  /** Counts moved since the read started (an entry here): a poll reads it again, a call needing the room alone still uses it. */
  countsMoved?: boolean
  /** The read under way, shared by every caller meanwhile. */
  reading?: Promise<T>
  /** For the shared view: the room version it was built for. */
  version: number
}

type Merge = { comment?: Comment; likeCount?: number }

/** The state with a comment or a like merged in (a new object: states already handed out stay as they were). */
function merged(state: RoomState, m: Merge, keep: number): RoomState {
  const next = { ...state, room: { ...state.room } }
  if (m.likeCount !== undefined) next.room.likeCount = Math.max(next.room.likeCount, m.likeCount)
  const c = m.comment
  if (c && !state.comments.some((x) => x.id === c.id)) {
    next.comments = [...state.comments, c].sort((a, b) => a.id - b.id).slice(-keep)
    next.lastCommentId = Math.max(state.lastCommentId, c.id)
  }
  return next
}

export interface LiveCacheOptions {
  ttlMs: number
  /** How many of the latest comments a state keeps (core's SYNC_COMMENTS): a merge keeps as many. */
  comments: number
  maxRooms: number
  /** Repos outside any transaction, for the cache's own reads. */
  repos: Repos
  /** How many viewers' own parts are kept (default 200,000), the least recently used dropped first. */
  maxViewers?: number
  clock?: () => number
}

export function liveCache(opts: LiveCacheOptions): LiveCache & { clear(): void } {
  const clock = opts.clock ?? Date.now
  const states = new Map<string, Slot<RoomState | null>>()
  const views = new Map<string, Slot<SharedRoomView | null>>()
  /** Each viewer's own part, by room and user: the version and coupons it was read for. */
  const owns = new Map<string, { viewerVersion: number; couponIds: Set<string>; own: ViewerOwn; at: number }>()
  const maxViewers = opts.maxViewers ?? 200_000
  /** Move on at every change: a read started before one is not kept (states: any change; views: a view's). */
  const generations = { states: 0, views: 0, owns: 0 }

  const bounded = <T>(map: Map<string, T>) => {
    while (map.size > opts.maxRooms) map.delete(map.keys().next().value!)
  }

  function read<T>(
    map: Map<string, Slot<T>>,
    kind: keyof typeof generations,
    key: string,
    version: number,
    load: () => Promise<T>,
  ): Promise<T> {
    const startedAt = clock()
    const gen = generations[kind]
    const slot: Slot<T> = { readAt: startedAt, version }
    slot.reading = load().then(
      (read) => {
        // Comments and likes committed here while the read was under way (merging twice changes nothing).
        let value = read
        for (const m of slot.merges ?? []) value = (value ? merged(value as unknown as RoomState, m, opts.comments) : value) as T
        slot.merges = undefined
        // Kept only when no view changed meanwhile and no newer read replaced this one.
        if (gen === generations[kind] && map.get(key) === slot) {
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
  const served = <T>(slot: Slot<T> | undefined, now: number, countsMayLag = true): Promise<T> | undefined => {
    if (!slot || now - slot.readAt >= opts.ttlMs || (slot.countsMoved && !countsMayLag)) return undefined
    return slot.reading ?? Promise.resolve(slot.value as T)
  }

  return {
    state(roomId, load, o) {
      if (opts.ttlMs <= 0) return load(opts.repos)
      return served(states.get(roomId), clock(), o?.countsMayLag ?? false) ?? read(states, 'states', roomId, 0, () => load(opts.repos))
    },
    shared(roomId, version, build) {
      if (opts.ttlMs <= 0) return build(opts.repos)
      const slot = views.get(roomId)
      // Built for this version or a newer one (a view newer than the poll's state is still right).
      return (
        (slot && slot.version >= version ? served(slot, clock()) : undefined) ??
        read(views, 'views', roomId, version, () => build(opts.repos))
      )
    },
    async own(roomId, userId, viewerVersion, couponIds, load) {
      if (opts.ttlMs <= 0) return load(opts.repos)
      const key = `${roomId} ${userId}`
      const kept = owns.get(key)
      // Kept for the cache's time too: a change that moved no version (a 预约 before any entry) is seen once it passed.
      if (kept && kept.viewerVersion === viewerVersion && clock() - kept.at < opts.ttlMs && couponIds.every((id) => kept.couponIds.has(id)))
        return kept.own
      const at = clock()
      const gen = generations.owns
      const own = await load(opts.repos)
      // Not kept when the viewer's part may have changed meanwhile (a change on this host).
      if (gen === generations.owns) {
        owns.delete(key)
        owns.set(key, { viewerVersion, couponIds: new Set(couponIds), own, at })
        while (owns.size > maxViewers) owns.delete(owns.keys().next().value!)
      }
      return own
    },
    counted(roomId, what) {
      const slot = states.get(roomId)
      if (!slot) return
      if (slot.reading) (slot.merges ??= []).push(what)
      else if (slot.value) slot.value = merged(slot.value, what, opts.comments)
    },
    changed(roomIds, what = 'view') {
      if (what === 'counts') {
        // The state (or its read under way, which may predate the commit) is read again at the next poll.
        for (const id of roomIds ?? [...states.keys()]) {
          const slot = states.get(id)
          if (slot) slot.countsMoved = true
        }
        return
      }
      generations.states++
      generations.views++
      generations.owns++
      for (const map of [states, views] as Array<Map<string, unknown>>) {
        if (roomIds === null) map.clear()
        else for (const id of roomIds) map.delete(id)
      }
    },
    clear() {
      generations.states++
      generations.views++
      states.clear()
      views.clear()
    },
  }
}
