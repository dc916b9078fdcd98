/**
 * Presence marks kept in memory between flushes (core/live/shows.ports PresenceMarks): per room, the
 * latest time each viewer was seen. Bounded by the rooms' viewers seen since the last flush; the
 * host flushes every few seconds (cloud/host/live-caches.ts).
 */
import type { PresenceMark, PresenceMarks } from '../../core/live/shows.ports'

export function presenceMarks(): PresenceMarks {
  const rooms = new Map<string, Map<string, Date>>()
  return {
    mark(roomId, userId, at) {
      let marks = rooms.get(roomId)
      if (!marks) rooms.set(roomId, (marks = new Map()))
      marks.set(userId, at)
    },
    take(roomId) {
      const marks = rooms.get(roomId)
      if (!marks) return []
      rooms.delete(roomId)
      const out: PresenceMark[] = []
      for (const [userId, at] of marks) out.push({ userId, at })
      return out
    },
    rooms: () => [...rooms.keys()],
  }
}
