import type { RoomView } from '../../../cloud/contract'

/** 12月1日 20:00: a room's start as its share card and the upcoming card say it (the phone's time zone). */
export function startText(iso: string): string {
  const d = new Date(iso)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getMonth() + 1}月${d.getDate()}日 ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** What the room's share card says: what the room is, nothing exaggerated. */
export function shareTitle(room: Pick<RoomView, 'status' | 'title' | 'startsAt'> | null): string {
  if (!room) return '好茶小铺直播间'
  if (room.status === 'live') return `正在直播｜${room.title}`
  if (room.status === 'upcoming') return `直播预告｜${room.title} ${startText(room.startsAt)} 开播`
  return `直播回放｜${room.title}`
}
