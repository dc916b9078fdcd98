/**
 * The console's live shows: the room list, a room's edit form, its edits, and the show's report.
 * Presence (watching now, the peak) is kept by live.enter / live.sync through `markPresence`.
 */
import type { ActionArgs, ActionResult, AdminRoom, AdminRoomRow } from '../../contract'
import type { AuthedCtx, Ctx } from '../context'
import { fail } from '../errors'
import { DEFAULT_ANCHOR, streamUrlProblem } from './room.rules'
import { touchRoom } from './room'
import type { PresenceMark, ShowEdit, ShowPosition, ShowRecord } from './shows.ports'
import { ruleText } from '../coupon/coupon.rules'
import { PEAK_SAMPLE_EVERY_MS, SEEN_EVERY_MS, WATCHING_WINDOW_MS } from './shows.rules'

const PAGE = 20
/** How many sharers the report lists. */
const TOP_SHARERS = 10
/** How far from the server's clock a start may be set, as at creation (console.service createRoom). */
const STARTS_WITHIN = { backMs: 86_400_000, aheadMs: 365 * 86_400_000 }

const iso = (d: Date | null) => (d ? d.toISOString() : null)

function rowOf(r: ShowRecord): AdminRoomRow {
  return {
    roomId: r.id,
    title: r.title,
    status: r.status,
    startsAt: r.startsAt.toISOString(),
    startedAt: iso(r.startedAt),
    endedAt: iso(r.endedAt),
    poster: r.poster,
    anchorName: r.anchorName,
    viewers: r.viewers,
    peakViewers: r.peakViewers,
    orders: r.orders,
    gmvFen: r.gmvFen,
  }
}

function roomOf(r: ShowRecord): AdminRoom {
  return {
    ...rowOf(r),
    streamKind: r.streamKind,
    streamUrl: r.streamUrl,
    replayUrl: r.replayUrl,
    communityQr: r.communityQr,
    anchorAvatar: r.anchorAvatar,
  }
}

async function show(ctx: AuthedCtx, roomId: string): Promise<ShowRecord> {
  const r = await ctx.repos.shows.one(roomId)
  if (!r) return fail('NOT_FOUND', '直播间不存在')
  return r
}

/**
 * A viewer was here now (live.enter, live.sync): their last-seen moves at most once per 30 s, and
 * the room's peak is sampled at most once per 15 s while live. Where the host keeps presence marks
 * (ctx.presence), the mark stays in its memory and writes nothing now: the host flushes each room's
 * marks every few seconds (flushPresence), and the console's reads of a room flush this host's
 * first. A host that dies loses at most those seconds of marks, inside the 60 s watching window.
 * Without marks, two conditional updates that write nothing on most polls. Staff previews never
 * entered, so they are never counted.
 */
export async function markPresence(ctx: AuthedCtx, roomId: string): Promise<void> {
  const now = ctx.now()
  if (ctx.presence) return ctx.presence.mark(roomId, ctx.caller.userId, now)
  await ctx.repos.shows.seen(roomId, ctx.caller.userId, now, SEEN_EVERY_MS)
  await ctx.repos.shows.samplePeak(roomId, now, PEAK_SAMPLE_EVERY_MS, WATCHING_WINDOW_MS)
}

/**
 * Writes the room's presence marks (one statement for all its viewers, each last-seen at most once
 * per 30 s as above), then samples the peak when due (at most once per 15 s while live).
 */
export async function flushPresence(ctx: Ctx, roomId: string, marks: ReadonlyArray<PresenceMark>): Promise<void> {
  if (marks.length === 0) return
  await ctx.repos.shows.seenMany(roomId, marks, SEEN_EVERY_MS)
  await ctx.repos.shows.samplePeak(roomId, ctx.now(), PEAK_SAMPLE_EVERY_MS, WATCHING_WINDOW_MS)
}

/** This host's pending marks of the room (null: of every room), written before the console reads its figures. */
async function flushPending(ctx: Ctx, roomId: string | null): Promise<void> {
  const presence = ctx.presence
  if (!presence) return
  for (const id of roomId === null ? presence.rooms() : [roomId]) await flushPresence(ctx, id, presence.take(id))
}

/**
 * The show's last sample, whenever the previous one was: taken by the call that ended it
 * (console.service setStatus, after the status moved, so no lock is taken before the room's status
 * lock), so who watched to the end counts (this host's pending marks written first).
 */
export async function lastPeakSample(ctx: AuthedCtx, roomId: string): Promise<void> {
  const presence = ctx.presence
  if (presence) await ctx.repos.shows.seenMany(roomId, presence.take(roomId), SEEN_EVERY_MS)
  await ctx.repos.shows.samplePeak(roomId, ctx.now(), 0, WATCHING_WINDOW_MS, true)
}

const POSITION = /^p:([0-2]):(-?\d{1,12}(?:\.\d{1,9})?):(\d{1,18})$/

function encodePosition(p: ShowPosition): string {
  return Buffer.from(`p:${p.rank}:${p.key}:${p.seq}`, 'utf8').toString('base64url')
}

function decodePosition(cursor: string): ShowPosition {
  const m = POSITION.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
  if (!m) return fail('VALIDATION_FAILED', '分页参数无效', [{ path: 'cursor', message: '分页参数无效，请从第一页重新加载' }])
  return { rank: Number(m[1]), key: m[2]!, seq: m[3]! }
}

export async function liveRooms(ctx: AuthedCtx, input: ActionArgs<'admin', 'liveRooms'>): Promise<ActionResult<'admin', 'liveRooms'>> {
  // The cursor is the last row's position in the list's own order (live, upcoming soonest, ended
  // latest): a keyset, so a room moving between statuses meanwhile makes no other row skip or repeat.
  const after = input.cursor == null ? null : decodePosition(input.cursor)
  await flushPending(ctx, null)
  const rows = await ctx.repos.shows.list(input.status ?? null, after, PAGE + 1)
  const page = rows.slice(0, PAGE)
  return { items: page.map(rowOf), nextCursor: rows.length > PAGE ? encodePosition(page[page.length - 1]!.position) : null }
}

export async function liveRoom(ctx: AuthedCtx, input: ActionArgs<'admin', 'liveRoom'>): Promise<ActionResult<'admin', 'liveRoom'>> {
  await flushPending(ctx, input.roomId)
  return { room: roomOf(await show(ctx, input.roomId)) }
}

/**
 * Edits a room. The start time only while upcoming (a conditional update: a start racing the edit
 * wins and the edit is refused, nothing changed); everything else also while live or after (a new
 * poster, the replay). The figures are never touched. Viewers see the change on their next poll.
 */
export async function updateLiveRoom(
  ctx: AuthedCtx,
  input: ActionArgs<'admin', 'updateLiveRoom'>,
): Promise<ActionResult<'admin', 'updateLiveRoom'>> {
  const before = await show(ctx, input.roomId)
  const edit: ShowEdit = {}
  if (input.startsAt !== undefined) {
    if (before.status !== 'upcoming') {
      const message = '直播已开始，不能再修改开播时间'
      fail('ROOM_STATUS_CHANGED', message, [{ path: 'startsAt', message }])
    }
    const at = new Date(input.startsAt).getTime()
    const now = ctx.now().getTime()
    if (at < now - STARTS_WITHIN.backMs || at > now + STARTS_WITHIN.aheadMs) {
      const message = '开播时间需在过去一天到未来一年之内'
      fail('VALIDATION_FAILED', message, [{ path: 'startsAt', message }])
    }
    if (at !== before.startsAt.getTime()) edit.startsAt = new Date(at)
  }
  if (input.title !== undefined) edit.title = input.title
  if (input.poster !== undefined) edit.poster = input.poster
  if (input.communityQr !== undefined) edit.communityQr = input.communityQr
  if (input.anchorName !== undefined) edit.anchorName = input.anchorName || DEFAULT_ANCHOR.name
  if (input.anchorAvatar !== undefined) edit.anchorAvatar = input.anchorAvatar || DEFAULT_ANCHOR.avatar
  if (input.replayUrl !== undefined) edit.replayUrl = input.replayUrl || null
  if (edit.replayUrl) {
    const message = streamUrlProblem('replay', edit.replayUrl)
    if (message) fail('VALIDATION_FAILED', message, [{ path: 'replayUrl', message }])
  }
  if (input.streamUrl !== undefined || input.streamKind !== undefined) {
    // A stream has a kind (video by default, as at creation); no stream, no kind.
    const url = input.streamUrl !== undefined ? input.streamUrl || null : before.streamUrl
    edit.streamUrl = url
    edit.streamKind = url ? (input.streamKind ?? before.streamKind ?? 'video') : null
    const message = url && edit.streamKind ? streamUrlProblem(edit.streamKind, url) : null
    if (message) fail('VALIDATION_FAILED', message, [{ path: 'streamUrl', message }])
  }
  if (!(await ctx.repos.shows.update(before.id, edit))) {
    const message = '直播已开始，不能再修改开播时间'
    fail('ROOM_STATUS_CHANGED', message, [{ path: 'startsAt', message }])
  }
  await touchRoom(ctx, before.id)
  return { room: roomOf(await show(ctx, before.id)) }
}

export async function roomReport(ctx: AuthedCtx, input: ActionArgs<'admin', 'roomReport'>): Promise<ActionResult<'admin', 'roomReport'>> {
  await flushPending(ctx, input.roomId)
  const r = await show(ctx, input.roomId)
  const sums = await ctx.repos.shows.report(r.id, [...ctx.config.adminOpenids], TOP_SHARERS)
  const end = r.endedAt ?? (r.status === 'live' ? ctx.now() : null)
  const durationSec = r.startedAt && end ? Math.max(0, Math.floor((end.getTime() - r.startedAt.getTime()) / 1000)) : null
  return {
    room: rowOf(r),
    durationSec,
    viewers: r.viewers,
    peakViewers: r.peakViewers,
    likes: r.likeCount,
    comments: sums.comments,
    credits: sums.credits,
    orders: sums.orders,
    buyers: sums.buyers,
    gmvFen: sums.gmvFen,
    conversion: r.viewers > 0 ? Math.min(1, sums.buyers / r.viewers) : 0,
    topSharers: sums.topSharers,
    coupons: sums.coupons.map((c) => ({
      couponId: c.couponId,
      title: c.title,
      ruleText: ruleText(c),
      claimed: c.claimed,
      used: c.used,
      discountFen: c.discountFen,
      granted: c.granted,
      grantedUsed: c.grantedUsed,
    })),
    goods: sums.goods,
  }
}
