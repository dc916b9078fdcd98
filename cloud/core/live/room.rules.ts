/** What a room shows, decided over its stored facts. Pure. */
import type { RoomRecord } from './live.ports'

/** The replay a room keeps when it ends: its stream when that is a video file; a live stream leaves none. */
export const replayUrlAtEnd = (room: Pick<RoomRecord, 'streamKind' | 'streamUrl'>): string | null =>
  room.streamKind === 'video' ? room.streamUrl : null
