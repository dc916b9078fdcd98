/** What a room shows, decided over its stored facts. Pure. */
import { cleanPeopleText } from '../../contract'
import type { RoomRecord } from './live.ports'

/** The replay a room keeps when it ends: its stream when that is a video file; a live stream leaves none. */
/**
 * Why a room's stream (or replay) address can't be played, or null. A `video` (and a replay) is an
 * http(s) address or a path on our own site (/media/…); a `live-player` stream http(s) or rtmp; a
 * 视频号 (`channels`) live is `finderUserName|feedId`, as StreamView passes them to openChannelsLive.
 * Anything else — javascript:, data:, file:, a bare word — is refused with the field named.
 */
export function streamUrlProblem(kind: 'live-player' | 'channels' | 'video' | 'replay', url: string): string | null {
  const web = /^https?:\/\/[^\s/?#]+[^\s]*$/i.test(url) || /^\/(?!\/)\S*$/.test(url)
  if (kind === 'channels') return /^[^|\s]+\|[^|\s]+$/.test(url) ? null : '视频号直播请填写「视频号ID|直播 feedId」，用竖线 | 隔开'
  if (kind === 'live-player') return web || /^rtmp:\/\/[^\s/?#]+\S*$/i.test(url) ? null : '直播流地址需以 http://、https:// 或 rtmp:// 开头'
  if (kind === 'replay') return web ? null : '回放地址需以 http:// 或 https:// 开头'
  return web ? null : '视频地址需以 http:// 或 https:// 开头'
}

export const replayUrlAtEnd = (room: Pick<RoomRecord, 'streamKind' | 'streamUrl'>): string | null =>
  room.streamKind === 'video' ? room.streamUrl : null

/**
 * People's text as others read it (a nickname in a welcome line or a winner list): the contract's
 * cleaning (cleanPeopleText, which peopleText applies when a name is saved) applied again on the way
 * out, for names stored before it.
 */
export const peopleTextOut = (text: string): string => cleanPeopleText(text)

/**
 * A winner's nickname as a room shows it: the first character, `*`, the last (茶友小王 → 茶*王,
 * 茶友 → 茶*, 茶 → *). Characters are code points, so an emoji or a rare CJK character counts as one
 * and is never cut in half. The name is cleaned (peopleTextOut) first; an empty one is `*`.
 */
export function maskName(nickname: string): string {
  const chars = Array.from(peopleTextOut(nickname))
  if (chars.length <= 1) return '*'
  if (chars.length === 2) return `${chars[0]}*`
  return `${chars[0]}*${chars[chars.length - 1]}`
}

/**
 * A nickname as group and assist pages show other people, cleaned (peopleTextOut) first: people can be
 * told apart without the name shown — the first character, ** and the last character for 3 or more
 * (团长阿花 → 团**花, 微信用户3008 → 微**8), the first and * for 2 (茶友 → 茶*), the one character and
 * ** for 1; an empty one is `***`. Characters are code points.
 */
export function maskHead(nickname: string): string {
  const chars = Array.from(peopleTextOut(nickname).trim())
  if (chars.length === 0) return '***'
  if (chars.length === 1) return `${chars[0]}**`
  if (chars.length === 2) return `${chars[0]}*`
  return `${chars[0]}**${chars[chars.length - 1]}`
}

/** Who presents a room unless the merchant names someone: the shop, with the avatar shipped with the host. */
export const DEFAULT_ANCHOR = { name: '好茶小铺', avatar: '/media/files/anchor-avatar.svg' } as const

/**
 * The scene of a room's share poster (a mini-program code carries at most 32 characters): the room
 * id's 16 hex characters after `r_`, then the sharer's 16 after `u_` — 32 in all. Ids of another
 * shape can't be packed: null.
 */
export function shareScene(roomId: string, sharerId: string): string | null {
  const room = /^r_([0-9a-f]{16})$/.exec(roomId)
  const user = /^u_([0-9a-f]{16})$/.exec(sharerId)
  return room && user ? `${room[1]}${user[1]}` : null
}

/** The room and the sharer a poster's scene names (shareScene's inverse); null for any other text. */
export function parseShareScene(scene: string): { roomId: string; sharerId: string } | null {
  const m = /^([0-9a-f]{16})([0-9a-f]{16})$/.exec(scene)
  return m ? { roomId: `r_${m[1]}`, sharerId: `u_${m[2]}` } : null
}

/** The page a room's share opens, with the sharer: the path of its card and its poster. */
export const roomSharePath = (roomId: string, sharerId: string) => `packages/live/room/index?id=${roomId}&sharerId=${sharerId}`

/** The most arrivals one sync answer names (欢迎 X 进入直播间). */
export const ARRIVALS = 3

/** The most comments one sync answer carries (the newest after the cursor); a room's cached state keeps as many. */
export const SYNC_COMMENTS = 50
