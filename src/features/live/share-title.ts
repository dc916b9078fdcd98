import type { RoomView } from '../../../cloud/contract'
import { chinaTimeText } from './poster-draw'

/**
 * 12月1日 20:00: a room's start as its share card and the upcoming card say it — in China's time
 * (UTC+8) whatever the phone's zone, as the poster says it (poster-draw chinaTimeText): the card, the
 * poster and the room agree for everyone the card is shared with.
 */
export const startText = (iso: string): string => chinaTimeText(iso)

/** What the room's share card says: what the room is, nothing exaggerated. */
export function shareTitle(room: Pick<RoomView, 'status' | 'title' | 'startsAt'> | null): string {
  if (!room) return '好茶小铺直播间'
  if (room.status === 'live') return `正在直播｜${room.title}`
  if (room.status === 'upcoming') return `直播预告｜${room.title} ${startText(room.startsAt)} 开播`
  return `直播回放｜${room.title}`
}
