/** The live room as viewers use it: the list, entering, polling, comments, likes, 预约, the leaderboard, lotteries. */
import type { Comment, Leaderboard, LiveSyncOutput, LotteryView, RoomCard, RoomView } from '../../contract'
import type { AuthedCtx } from '../context'
import { fail } from '../errors'
import { COMMENTS, LIKES, LIKES_PER_CALL, limitKeys, take } from '../limits'
import type { RoomRecord, RoomState } from './live.ports'
import { BOARD_NAMED, boards } from './board'
import { verifyDraw } from './lottery.rules'
import { cachedRoomView, card, lotteryView, nextTimeEdge, ownRoom, roomView, touchViewer } from './room'
import { ARRIVALS, peopleTextOut, roomSharePath, shareScene, SYNC_COMMENTS } from './room.rules'
import { markPresence } from './shows.service'

export { ARRIVALS }

export async function list(ctx: AuthedCtx): Promise<{ live: RoomCard[]; upcoming: RoomCard[]; ended: RoomCard[] }> {
  const rooms = await ctx.repos.live.listRooms(ctx.caller.userId)
  const cards = rooms.map((r) => card(r, r.viewerCount, r.subscribed))
  return {
    live: cards.filter((c) => c.status === 'live'),
    // The next start first.
    upcoming: cards.filter((c) => c.status === 'upcoming').reverse(),
    ended: cards.filter((c) => c.status === 'ended'),
  }
}

/**
 * A viewer enters. The first entry through sharer S's link credits S once — when S is not the
 * viewer and exists — keeping the share record and the leaderboard in this transaction; a viewer
 * credits at most one sharer per room (first entry wins, the database's keys enforce it). The
 * entry, the credit, the last touch and the viewer's own facts are one statement (LiveRepo.enter);
 * the rest of the room view comes from the host's live cache where it keeps one.
 */
export async function enter(
  ctx: AuthedCtx,
  input: { roomId: string; sharerId?: string },
): Promise<{ room: RoomView; credited: boolean; serverTime: string }> {
  const state = ctx.liveCache ? await roomStateOf(ctx, input.roomId, true) : null
  if (ctx.liveCache && !state) return fail('NOT_FOUND', '直播间不存在')
  const room = state?.room ?? (await ownRoom(ctx, input.roomId))
  const me = ctx.caller.userId
  // Never the viewer's own link; whether S exists is read in the same statement.
  const sharer = input.sharerId && input.sharerId !== me ? input.sharerId : null
  const now = ctx.now()
  // Staff are marked at their entry: never a lottery candidate of this room (console.service drawLottery).
  // With the host's caches (the room from the cache, presence marked in memory, the view built from
  // the cache) the entry is the call's only statement: sent as its last, it commits in one round trip.
  const last = state !== null && ctx.presence !== undefined
  const { first, credited, own } = await ctx.repos.live.enter(room.id, me, sharer, now, ctx.caller.isAdmin, { last })
  // The viewer count (and with a credit the leaderboard's) moved: the room's state is read again.
  if (first) ctx.liveCache?.changed([room.id], 'counts')
  await markPresence(ctx, room.id)
  return { room: state ? await cachedRoomView(ctx, state, own) : await roomView(ctx, room), credited, serverTime: now.toISOString() }
}

/**
 * The room's poll state: from the host's live cache (one read per room every few hundred ms), else
 * read now. `countsMayLag`: the caller needs the room, not its counts (an entry on this host since
 * the read does not make it read again).
 */
function roomStateOf(ctx: AuthedCtx, roomId: string, countsMayLag = false): Promise<RoomState | null> {
  const load = (repos: AuthedCtx['repos']) => repos.live.roomState(roomId)
  return ctx.liveCache ? ctx.liveCache.state(roomId, load, { countsMayLag }) : load(ctx.repos)
}

/**
 * Where a viewer's polling stands: the room's version and the viewer's own version in it, the last
 * comment seen, the credit, like and viewer counts, and the next instant (epoch ms, 0 for none) at
 * which the room view changes by time alone (room.ts nextTimeEdge). Written as seven base-36 numbers
 * joined by dots.
 */
export interface SyncCursor {
  version: number
  viewerVersion: number
  commentId: number
  credits: number
  likes: number
  viewers: number
  edge: number
}

export const encodeSync = (c: SyncCursor) =>
  [c.version, c.viewerVersion, c.commentId, c.credits, c.likes, c.viewers, c.edge].map((n) => n.toString(36)).join('.')

/**
 * The cursor a poll sent. Seven base-36 numbers, else VALIDATION_FAILED; the five- and six-part
 * cursors of earlier builds (no viewer version, no time edge) are taken as no cursor, so such a
 * client gets a fresh answer (the whole room, every count) and the new cursor, and goes on from there.
 */
export function decodeSync(text: string | undefined): SyncCursor | null {
  if (!text) return null
  const parts = text.split('.').map((p) => (/^[0-9a-z]{1,11}$/.test(p) ? Number.parseInt(p, 36) : Number.NaN))
  const bad = parts.some((n) => !Number.isSafeInteger(n) || n < 0)
  if (!bad && (parts.length === 5 || parts.length === 6)) return null
  if (bad || parts.length !== 7) return fail('VALIDATION_FAILED', '同步参数无效', [{ path: 'since', message: '同步参数无效' }])
  const [version, viewerVersion, commentId, credits, likes, viewers, edge] = parts as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  return { version, viewerVersion, commentId, credits, likes, viewers, edge }
}

/**
 * Cursor polling: only what changed since the cursor; an unchanged answer is the cursor alone, read
 * from the host's live cache (no query; without a cache, one query). The whole room comes when the room's version (a change for everyone) or the caller's
 * own version (their claim, their 预约) moved — room.ts decides which moves — or when the clock passed
 * the cursor's time edge (a coupon starting or ending: 未开始 → 立即领取 → 已结束), the edge being
 * computed when the room view was built and carried in the cursor, so it costs no query; with a moved viewer
 * count, the nicknames of the viewers who entered since (at most 3, the latest, earliest first).
 */
export async function sync(ctx: AuthedCtx, input: { roomId: string; since?: string }) {
  const since = decodeSync(input.since)
  const poll = await pollOf(ctx, input.roomId)
  if (!poll) return fail('NOT_FOUND', '直播间不存在')
  const { room } = poll
  // Presence for the peak (shows.service markPresence): nothing here that the viewer sees changes.
  await markPresence(ctx, room.id)
  // Versions and counts only ever grow. A state older than the cursor (this host's cache is behind the
  // host that answered the last poll) has nothing new for the viewer: never send them back in time.
  if (since && (room.version < since.version || poll.viewerVersion < since.viewerVersion)) return { cursor: input.since! }
  const comments = poll.lastCommentId > (since?.commentId ?? 0) ? await poll.commentsAfter(since?.commentId ?? 0) : []
  const last = comments[comments.length - 1]
  const at = ctx.now().getTime()
  const now: SyncCursor = {
    version: room.version,
    viewerVersion: poll.viewerVersion,
    commentId: last ? last.id : (since?.commentId ?? 0),
    credits: Math.max(poll.creditCount, since?.credits ?? 0),
    likes: Math.max(room.likeCount, since?.likes ?? 0),
    viewers: Math.max(poll.viewerCount, since?.viewers ?? 0),
    edge: since?.edge ?? 0,
  }
  const out: LiveSyncOutput = { cursor: '' }
  const timePassed = since !== null && since.edge > 0 && at >= since.edge
  if (!since || since.version !== now.version || since.viewerVersion !== now.viewerVersion || timePassed) {
    out.room = await poll.view()
    now.edge = nextTimeEdge(out.room, at)
  }
  out.cursor = encodeSync(now)
  if (comments.length > 0) out.comments = comments.map(cleanComment)
  if (!since || since.likes !== now.likes) out.likeCount = now.likes
  if (!since || since.viewers !== now.viewers) out.viewerCount = now.viewers
  const entered = since ? Math.min(ARRIVALS, now.viewers - since.viewers) : 0
  if (entered > 0) out.arrivals = (await poll.entrants(entered)).map(peopleTextOut).filter((n) => n !== '')
  if (!since || since.credits !== now.credits) out.leaderboardVersion = now.credits
  return out
}

/** What one poll reads: from the room's cached state where the host keeps one (no query when nothing changed), else from the database now. */
interface Poll {
  room: RoomRecord
  viewerVersion: number
  viewerCount: number
  creditCount: number
  lastCommentId: number
  /** The newest SYNC_COMMENTS comments after `afterId`, oldest first. */
  commentsAfter(afterId: number): Promise<Comment[]>
  /** The nicknames of the latest `n` entrants (n ≤ ARRIVALS), the earliest first. */
  entrants(n: number): Promise<string[]>
  view(): Promise<RoomView>
}

async function pollOf(ctx: AuthedCtx, roomId: string): Promise<Poll | null> {
  if (ctx.liveCache) {
    const state = await roomStateOf(ctx, roomId)
    if (!state) return null
    return {
      room: state.room,
      viewerVersion: state.viewerVersions[ctx.caller.userId] ?? 1,
      viewerCount: state.viewerCount,
      creditCount: state.creditCount,
      lastCommentId: state.lastCommentId,
      // The state holds the latest SYNC_COMMENTS: the newest SYNC_COMMENTS after any cursor are among them.
      commentsAfter: async (afterId) => state.comments.filter((c) => c.id > afterId),
      entrants: async (n) => state.entrants.slice(-n),
      view: () => cachedRoomView(ctx, state),
    }
  }
  const state = await ctx.repos.live.syncState(roomId, ctx.caller.userId)
  if (!state) return null
  return {
    ...state,
    commentsAfter: (afterId) => ctx.repos.live.commentsAfter(roomId, afterId, SYNC_COMMENTS),
    entrants: (n) => ctx.repos.live.latestEntrants(roomId, n),
    view: () => roomView(ctx, state.room),
  }
}

/**
 * A comment as others read it: its nickname and text cleaned as all people's text shown to others is
 * (peopleTextOut), for rows stored before the contract cleaned them. Remembered per comment object:
 * a room's cached state hands the same comments to every poll, cleaned once.
 */
const cleaned = new WeakMap<Comment, Comment>()
function cleanComment(c: Comment): Comment {
  let out = cleaned.get(c)
  if (!out) cleaned.set(c, (out = { ...c, nickname: peopleTextOut(c.nickname), text: peopleTextOut(c.text) }))
  return out
}

/** Only a viewer who entered the room (the room page always enters first) may comment or like. */
async function viewerOf(ctx: AuthedCtx, room: RoomRecord): Promise<void> {
  if (!(await ctx.repos.live.entered(room.id, ctx.caller.userId))) fail('FORBIDDEN', '请先进入直播间')
}

/** The room for a comment or a like: from the host's live cache where it keeps one (its status as of the cache's time at most), else read now. */
async function roomOf(ctx: AuthedCtx, roomId: string): Promise<RoomRecord> {
  if (!ctx.liveCache) return ownRoom(ctx, roomId)
  const state = await roomStateOf(ctx, roomId, true)
  if (!state) return fail('NOT_FOUND', '直播间不存在')
  return state.room
}

/**
 * A comment: limited per viewer and room (COMMENTS) before the content check, so a comment the check
 * refuses still costs its token — the limiter's take is not rolled back with the call. Whether the
 * caller entered and their nickname are one read.
 */
export async function comment(ctx: AuthedCtx, input: { roomId: string; text: string }): Promise<{ comment: Comment }> {
  const room = await roomOf(ctx, input.roomId)
  if (room.status !== 'live') fail('ROOM_NOT_LIVE', '直播开始后才能评论')
  const nickname = await ctx.repos.live.viewerNickname(room.id, ctx.caller.userId)
  if (nickname === null) return fail('FORBIDDEN', '请先进入直播间')
  if ((await take(ctx, limitKeys.comment(room.id, ctx.caller.userId), COMMENTS)) === 0) fail('RATE_LIMITED', '发言太快了，请稍后再试')
  if (!(await ctx.contentCheck.check(input.text, ctx.caller.openid))) fail('CONTENT_REJECTED')
  const added = await ctx.repos.live.addComment(room.id, ctx.caller.userId, nickname, input.text)
  // This host's next poll reads the room's state again: it carries this comment and every one
  // committed before it. (Merging it into the cached state instead let a poll's cursor pass the
  // comments another host committed just before, with lower ids, which it would then never send.)
  ctx.liveCache?.changed([room.id], 'counts')
  return { comment: cleanComment(added) }
}

/**
 * Likes: the room's count rises only by what the viewer's bucket (LIKES) grants; the excess is
 * ignored, not refused. The bucket is taken first; the count rises in one statement only for a
 * viewer who entered (else FORBIDDEN, their own bucket spent: the limiter's take is not rolled back).
 */
export async function like(ctx: AuthedCtx, input: { roomId: string; count: number }): Promise<{ likeCount: number; accepted: number }> {
  const room = await roomOf(ctx, input.roomId)
  if (room.status !== 'live') fail('ROOM_NOT_LIVE')
  const accepted = await take(ctx, limitKeys.like(room.id, ctx.caller.userId), LIKES, Math.min(input.count, LIKES_PER_CALL))
  if (accepted === 0) {
    await viewerOf(ctx, room)
    return { likeCount: room.likeCount, accepted }
  }
  const likeCount = await ctx.repos.live.likeByViewer(room.id, ctx.caller.userId, accepted)
  if (likeCount === null) return fail('FORBIDDEN', '请先进入直播间')
  ctx.liveCache?.counted(room.id, { likeCount })
  return { likeCount, accepted }
}

/**
 * 预约: one start reminder, sent once when the room goes live (the shopper tapped to allow it). A 预约
 * racing the start either gets its reminder or is refused (ROOM_STATUS_CHANGED), never accepted and lost.
 */
export async function subscribe(ctx: AuthedCtx, input: { roomId: string }): Promise<{ subscribed: boolean }> {
  const room = await ownRoom(ctx, input.roomId)
  if (room.status !== 'upcoming') fail('ROOM_STATUS_CHANGED', '直播已开始，无需预约')
  // Decided by the database under the room's status lock: every accepted subscription is read by the
  // start (setStatus) and gets exactly one reminder; one racing past the start is refused.
  if (!(await ctx.repos.live.subscribe(room.id, ctx.caller.userId))) fail('ROOM_STATUS_CHANGED', '直播已开始，无需预约')
  // Their room view now says 已预约, on their next poll.
  await touchViewer(ctx, room.id, ctx.caller.userId)
  return { subscribed: true }
}

/**
 * The share leaderboard: the top `limit` and the caller's own place, from the room's board kept in
 * this process (board.ts: at most FRESH_MS old, rebuilt by one statement; `version` is the credit
 * count it holds, and a caller naming a newer one from its poll gets a rebuilt board when the
 * room's rebuild budget allows). A read of a kept board makes no query at all.
 */
export async function leaderboard(ctx: AuthedCtx, input: { roomId: string; limit?: number; version?: number }): Promise<Leaderboard> {
  const board = await boards.read(input.roomId, input.version, async () => {
    const room = await ownRoom(ctx, input.roomId)
    const rows = await ctx.repos.live.board(room.id, BOARD_NAMED)
    return { ...rows, names: rows.names.map(peopleTextOut) }
  })
  const limit = Math.min(input.limit ?? 20, board.ids.length)
  const entries = new Array<Leaderboard['entries'][number]>(limit)
  for (let i = 0; i < limit; i++) {
    entries[i] = { rank: i + 1, userId: board.ids[i]!, nickname: board.names[i]!, invites: board.invites[i]! }
  }
  const mine = board.rankOf.get(ctx.caller.userId)
  return {
    entries,
    me: mine === undefined ? { rank: null, invites: 0 } : { rank: mine + 1, invites: board.invites[mine]! },
    version: board.version,
  }
}

export async function lotteries(ctx: AuthedCtx, input: { roomId: string }): Promise<{ items: LotteryView[] }> {
  await ownRoom(ctx, input.roomId)
  return { items: (await ctx.repos.live.lotteries(input.roomId, 20)).map(lotteryView) }
}

/**
 * The room's share poster for 朋友圈: a mini-program code opening the room with the caller as the
 * sharer (the scene packs both ids, room.rules shareScene), and the page path it opens.
 */
export async function sharePoster(ctx: AuthedCtx, input: { roomId: string }): Promise<{ code: string; path: string }> {
  const room = await ownRoom(ctx, input.roomId)
  const scene = shareScene(room.id, ctx.caller.userId)
  // Ids are made by new_id (a prefix and 16 hex): any other shape is a bug, logged as INTERNAL.
  if (!scene) throw new Error(`ids that do not fit a share scene: ${room.id}, ${ctx.caller.userId}`)
  return { code: await ctx.posters.codeFor('packages/live/room/index', scene), path: roomSharePath(room.id, ctx.caller.userId) }
}

export async function verifyLottery(ctx: AuthedCtx, input: { lotteryId: string }) {
  const l = await ctx.repos.live.lottery(input.lotteryId)
  if (!l) return fail('NOT_FOUND', '抽奖不存在')
  if (l.status !== 'drawn') return { commitment: l.commitment, seed: null, candidates: [], winners: [], valid: false }
  const published = { seed: l.seed, commitment: l.commitment, candidates: l.candidates ?? [], winners: l.winnerIds ?? [] }
  return { ...published, valid: verifyDraw(published) }
}
