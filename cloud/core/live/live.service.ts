import { randomBytes } from 'node:crypto'
import type {
  AdminCreateLiveRoomInput,
  Comment,
  LiveSyncOutput,
  LotteryPool,
  Leaderboard,
  LotteryView,
  RoomCard,
  RoomView,
} from '../../contract'
import type { AuthedCtx, Ctx } from '../context'
import { centerViews, issue } from '../coupon/coupon.service'
import { fail } from '../errors'
import { COMMENTS, LIKES, LIKES_PER_CALL, limitKeys, take } from '../limits'
import type { LotteryRecord, RoomRecord } from './live.ports'
import { commitmentOf, drawWinners, sortCandidates, verifyDraw } from './lottery.rules'

const iso = (d: Date | null) => (d ? d.toISOString() : null)

async function ownRoom(ctx: Ctx, roomId: string): Promise<RoomRecord> {
  const room = await ctx.repos.live.room(roomId)
  if (!room) return fail('NOT_FOUND', '直播间不存在')
  return room
}

function card(room: RoomRecord, viewerCount: number, subscribed: boolean): RoomCard {
  return {
    id: room.id,
    title: room.title,
    status: room.status,
    startsAt: room.startsAt.toISOString(),
    poster: room.poster,
    viewerCount,
    subscribed,
  }
}

/** The room as a viewer sees it: the stream (or replay), the shelf with the pinned card, dropped coupons. */
async function roomView(ctx: AuthedCtx, room: RoomRecord): Promise<RoomView> {
  const [viewerCount, goodsIds, couponIds, subscribers] = await Promise.all([
    ctx.repos.live.viewerCount(room.id),
    ctx.repos.live.goodsIds(room.id),
    ctx.repos.live.couponIds(room.id),
    ctx.repos.live.subscribers(room.id),
  ])
  const [goods, coupons] = await Promise.all([ctx.repos.catalog.summaries(goodsIds), ctx.repos.coupons.byIds(ctx.caller.userId, couponIds)])
  const url = room.status === 'ended' ? room.replayUrl : room.status === 'live' ? room.streamUrl : null
  return {
    ...card(
      room,
      viewerCount,
      subscribers.some((s) => s.userId === ctx.caller.userId),
    ),
    startedAt: iso(room.startedAt),
    endedAt: iso(room.endedAt),
    stream: url && room.streamKind ? { kind: room.status === 'ended' ? 'video' : room.streamKind, url } : null,
    communityQr: room.communityQr,
    pinned: goods.find((g) => g.id === room.pinnedProductId) ?? null,
    // The product being explained first, then the shelf, newest push first.
    goods: [...goods.filter((g) => g.id === room.pinnedProductId), ...goods.filter((g) => g.id !== room.pinnedProductId)],
    // After the end a dropped coupon can't be claimed: show it as not claimable any more.
    coupons: centerViews(coupons, ctx.now()).map((c) =>
      room.status === 'live' || c.state !== 'claimable' ? c : { ...c, state: 'not_started' as const },
    ),
    likeCount: room.likeCount,
    version: room.version,
  }
}

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
 * credits at most one sharer per room (first entry wins, the database's keys enforce it).
 */
export async function enter(ctx: AuthedCtx, input: { roomId: string; sharerId?: string }): Promise<{ room: RoomView; credited: boolean }> {
  const room = await ownRoom(ctx, input.roomId)
  const me = ctx.caller.userId
  const sharer = input.sharerId && input.sharerId !== me && (await ctx.repos.shares.userExists(input.sharerId)) ? input.sharerId : null
  const now = ctx.now()
  const first = await ctx.repos.live.enter(room.id, me, sharer, now)
  if (first && sharer) await ctx.repos.live.credit(room.id, me, sharer, now)
  // The goods bought from here carry the sharer too (last touch).
  if (sharer) await ctx.repos.shares.recordTouch(me, sharer, room.id, now)
  return { room: await roomView(ctx, room), credited: first && sharer !== null }
}

interface SyncCursor {
  version: number
  commentId: number
  credits: number
  likes: number
  viewers: number
}

const encodeSync = (c: SyncCursor) => [c.version, c.commentId, c.credits, c.likes, c.viewers].map((n) => n.toString(36)).join('.')
function decodeSync(text: string | undefined): SyncCursor | null {
  if (!text) return null
  const parts = text.split('.').map((p) => Number.parseInt(p, 36))
  if (parts.length !== 5 || parts.some((n) => !Number.isSafeInteger(n) || n < 0))
    return fail('VALIDATION_FAILED', '同步参数无效', { field: 'since' })
  const [version, commentId, credits, likes, viewers] = parts as [number, number, number, number, number]
  return { version, commentId, credits, likes, viewers }
}

/** Cursor polling: only what changed since the cursor; an unchanged answer is the cursor alone. */
export async function sync(ctx: AuthedCtx, input: { roomId: string; since?: string }) {
  const room = await ownRoom(ctx, input.roomId)
  const since = decodeSync(input.since)
  const [comments, credits, viewers] = await Promise.all([
    ctx.repos.live.commentsAfter(room.id, since?.commentId ?? 0, 50),
    ctx.repos.live.creditCount(room.id),
    ctx.repos.live.viewerCount(room.id),
  ])
  const last = comments[comments.length - 1]
  const now: SyncCursor = {
    version: room.version,
    commentId: last ? last.id : (since?.commentId ?? 0),
    credits,
    likes: room.likeCount,
    viewers,
  }
  const out: LiveSyncOutput = { cursor: encodeSync(now) }
  if (!since || since.version !== now.version) out.room = await roomView(ctx, room)
  if (comments.length > 0) out.comments = comments
  if (!since || since.likes !== now.likes) out.likeCount = now.likes
  if (!since || since.viewers !== now.viewers) out.viewerCount = now.viewers
  if (!since || since.credits !== now.credits) out.leaderboardVersion = now.credits
  return out
}

/** Only a viewer who entered the room (the room page always enters first) may comment or like. */
async function viewerOf(ctx: AuthedCtx, room: RoomRecord): Promise<void> {
  if (!(await ctx.repos.live.entered(room.id, ctx.caller.userId))) fail('FORBIDDEN', '请先进入直播间')
}

/**
 * A comment: limited per viewer and room (COMMENTS) before the content check, so a comment the check
 * refuses still costs its token — the limiter's take is not rolled back with the call.
 */
export async function comment(ctx: AuthedCtx, input: { roomId: string; text: string }): Promise<{ comment: Comment }> {
  const room = await ownRoom(ctx, input.roomId)
  if (room.status !== 'live') fail('ROOM_NOT_LIVE', '直播开始后才能评论')
  await viewerOf(ctx, room)
  if ((await take(ctx, limitKeys.comment(room.id, ctx.caller.userId), COMMENTS)) === 0) fail('RATE_LIMITED', '发言太快了，请稍后再试')
  if (!(await ctx.contentCheck.check(input.text, ctx.caller.openid))) fail('CONTENT_REJECTED')
  const user = await ctx.repos.users.byId(ctx.caller.userId)
  return { comment: await ctx.repos.live.addComment(room.id, ctx.caller.userId, user!.nickname, input.text) }
}

/** Likes: the room's count rises only by what the viewer's bucket (LIKES) grants; the excess is ignored, not refused. */
export async function like(ctx: AuthedCtx, input: { roomId: string; count: number }): Promise<{ likeCount: number; accepted: number }> {
  const room = await ownRoom(ctx, input.roomId)
  if (room.status !== 'live') fail('ROOM_NOT_LIVE')
  await viewerOf(ctx, room)
  const accepted = await take(ctx, limitKeys.like(room.id, ctx.caller.userId), LIKES, Math.min(input.count, LIKES_PER_CALL))
  if (accepted === 0) return { likeCount: room.likeCount, accepted }
  return { likeCount: await ctx.repos.live.like(room.id, accepted), accepted }
}

/** 预约: one start reminder, sent once when the room goes live (the shopper tapped to allow it). */
export async function subscribe(ctx: AuthedCtx, input: { roomId: string }): Promise<{ subscribed: boolean }> {
  const room = await ownRoom(ctx, input.roomId)
  if (room.status !== 'upcoming') fail('ROOM_STATUS_CHANGED', '直播已开始，无需预约')
  await ctx.repos.live.subscribe(room.id, ctx.caller.userId)
  return { subscribed: true }
}

export async function leaderboard(ctx: AuthedCtx, input: { roomId: string; limit?: number }): Promise<Leaderboard> {
  const room = await ownRoom(ctx, input.roomId)
  const [rows, me] = await Promise.all([
    ctx.repos.live.leaderboard(room.id, input.limit ?? 20),
    ctx.repos.live.rankOf(room.id, ctx.caller.userId),
  ])
  return { entries: rows.map((r, i) => ({ rank: i + 1, ...r })), me }
}

function lotteryView(l: LotteryRecord): LotteryView {
  const drawn = l.status === 'drawn'
  return {
    lotteryId: l.id,
    pool: l.pool,
    winners: l.winners,
    prize: l.prize,
    commitment: l.commitment,
    status: l.status,
    seed: drawn ? l.seed : null,
    candidates: drawn ? l.candidates : null,
    winnerIds: drawn ? l.winnerIds : null,
  }
}

export async function lotteries(ctx: AuthedCtx, input: { roomId: string }): Promise<{ items: LotteryView[] }> {
  await ownRoom(ctx, input.roomId)
  return { items: (await ctx.repos.live.lotteries(input.roomId)).map(lotteryView) }
}

export async function verifyLottery(ctx: AuthedCtx, input: { lotteryId: string }) {
  const l = await ctx.repos.live.lottery(input.lotteryId)
  if (!l) return fail('NOT_FOUND', '抽奖不存在')
  if (l.status !== 'drawn') return { commitment: l.commitment, seed: null, candidates: [], winners: [], valid: false }
  const published = { seed: l.seed, commitment: l.commitment, candidates: l.candidates ?? [], winners: l.winnerIds ?? [] }
  return { ...published, valid: verifyDraw(published) }
}

// ---- the anchor's console ------------------------------------------------------------------

export async function createRoom(ctx: AuthedCtx, input: AdminCreateLiveRoomInput): Promise<{ roomId: string }> {
  const roomId = await ctx.repos.live.createRoom({
    title: input.title,
    startsAt: new Date(input.startsAt),
    streamKind: input.streamUrl ? (input.streamKind ?? 'video') : null,
    streamUrl: input.streamUrl ?? null,
    poster: input.poster ?? '',
    communityQr: input.communityQr ?? '',
  })
  return { roomId }
}

/** Starts or ends the live. Starting queues one reminder per subscriber; starting twice queues nothing more. */
export async function setStatus(ctx: AuthedCtx, input: { roomId: string; status: 'live' | 'ended' }): Promise<{ room: RoomView }> {
  const before = await ownRoom(ctx, input.roomId)
  const room = await ctx.repos.live.setStatus(before.id, input.status === 'live' ? 'upcoming' : 'live', input.status, ctx.now())
  if (!room) return fail('ROOM_STATUS_CHANGED')
  if (input.status === 'live') {
    for (const s of await ctx.repos.live.subscribers(room.id)) {
      await ctx.repos.outbox.enqueue('live_start', s.userId, `live_start:${room.id}:${s.userId}`, {
        template: 'live_start',
        page: `packages/live/room/index?id=${room.id}`,
        data: { title: room.title.slice(0, 20), status: '直播已开始，快来看看吧' },
      })
    }
  }
  return { room: await roomView(ctx, room) }
}

export async function pushGoods(ctx: AuthedCtx, input: { roomId: string; productId: string }): Promise<{ room: RoomView }> {
  const room = await ownRoom(ctx, input.roomId)
  if ((await ctx.repos.catalog.summaries([input.productId])).length === 0) fail('NOT_FOUND', '商品不存在或已下架')
  await ctx.repos.live.pushGoods(room.id, input.productId)
  return { room: await roomView(ctx, (await ctx.repos.live.room(room.id))!) }
}

export async function dropCoupon(ctx: AuthedCtx, input: { roomId: string; couponId: string }): Promise<{ room: RoomView }> {
  const room = await ownRoom(ctx, input.roomId)
  if (room.status !== 'live') fail('ROOM_NOT_LIVE', '直播中才能发券')
  if (!(await ctx.repos.coupons.get(input.couponId))) fail('NOT_FOUND', '优惠券不存在')
  await ctx.repos.live.dropCoupon(room.id, input.couponId)
  return { room: await roomView(ctx, (await ctx.repos.live.room(room.id))!) }
}

/** Draws a random seed and publishes only its commitment; the seed stays secret until the draw. */
export async function commitLottery(ctx: AuthedCtx, input: { roomId: string; winners: number; pool: LotteryPool; prize?: string }) {
  const room = await ownRoom(ctx, input.roomId)
  const seed = randomBytes(32).toString('hex')
  const commitment = commitmentOf(seed)
  const lotteryId = await ctx.repos.live.createLottery({
    roomId: room.id,
    pool: input.pool,
    winners: input.winners,
    prize: input.prize ?? '',
    seed,
    commitment,
  })
  return { lotteryId, commitment }
}

/** Fixes the candidates, draws by the published rule and reveals the seed; a second draw is refused. */
export async function drawLottery(ctx: AuthedCtx, input: { lotteryId: string }) {
  const l = await ctx.repos.live.lottery(input.lotteryId)
  if (!l) return fail('NOT_FOUND', '抽奖不存在')
  if (l.status === 'drawn') return fail('LOTTERY_ALREADY_DRAWN')
  // The merchant's staff are never candidates: the shop does not win its own prizes.
  const members = await ctx.repos.live.poolMembers(l.roomId, l.pool)
  const candidates = sortCandidates(members.filter((m) => !ctx.config.adminOpenids.has(m.openid)).map((m) => m.id))
  const winners = drawWinners(l.seed, candidates, l.winners)
  if (!(await ctx.repos.live.markDrawn(l.id, candidates, winners, ctx.now()))) return fail('LOTTERY_ALREADY_DRAWN')
  return { winners, seed: l.seed, candidates }
}

export async function roomStats(ctx: AuthedCtx, input: { roomId: string }) {
  const room = await ownRoom(ctx, input.roomId)
  const [viewers, credits, orders] = await Promise.all([
    ctx.repos.live.viewerCount(room.id),
    ctx.repos.live.creditCount(room.id),
    ctx.repos.live.orderStats(room.id),
  ])
  return { viewers, likes: room.likeCount, credits, ...orders }
}

/**
 * One CSV cell. A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return,
 * OWASP's list; a line feed and the full-width forms too) as a formula, and nicknames are the users'
 * own: such a cell gets a leading ' so it stays text. Then the usual quoting of commas, quotes and
 * line breaks.
 */
export function csvCell(v: string): string {
  const text = /^[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20]/.test(v) ? `'${v}` : v
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export async function shareRecords(ctx: AuthedCtx, input: { roomId: string }) {
  const room = await ownRoom(ctx, input.roomId)
  const items = await ctx.repos.live.shareRecords(room.id)
  const csv = [
    'sharer_id,sharer_nickname,viewer_id,viewer_nickname,created_at',
    ...items.map((r) => [r.sharerId, r.sharerNickname, r.viewerId, r.viewerNickname, r.createdAt].map(csvCell).join(',')),
  ].join('\n')
  return { items, csv }
}

/** Awards the room's top 3 sharers a coupon, once per room. */
export async function awardTopSharers(ctx: AuthedCtx, input: { roomId: string; couponId: string }) {
  const room = await ownRoom(ctx, input.roomId)
  const top = (await ctx.repos.live.leaderboard(room.id, 3)).map((r) => r.userId)
  if (top.length > 0) await issue(ctx, { couponId: input.couponId, userIds: top, grantKey: `room-top3:${room.id}` })
  return { awarded: top }
}

/** The post-live coupon: to everyone who entered the room, once each. */
export async function issueRoomCoupon(ctx: AuthedCtx, input: { roomId: string; couponId: string }) {
  const room = await ownRoom(ctx, input.roomId)
  const viewers = await ctx.repos.live.viewerIds(room.id)
  if (viewers.length === 0) return { issued: 0, already: 0 }
  let issued = 0
  let already = 0
  for (let i = 0; i < viewers.length; i += 1000) {
    const r = await issue(ctx, { couponId: input.couponId, userIds: viewers.slice(i, i + 1000), grantKey: `room-end:${room.id}` })
    issued += r.issued
    already += r.already
  }
  return { issued, already }
}

// ---- jobs ----------------------------------------------------------------------------------

/** Sends what the outbox holds, each message once; a failed send is retried on the next run. */
export async function processOutbox(ctx: Ctx, limit = 50): Promise<number> {
  let sent = 0
  for (const m of await ctx.repos.outbox.claimPending(limit)) {
    try {
      await ctx.notifier.send({ openid: m.openid, ...m.payload })
      await ctx.repos.outbox.markSent(m.id, ctx.now())
      sent++
    } catch {
      await ctx.repos.outbox.markFailed(m.id)
    }
  }
  return sent
}

/** Queues one reminder per held coupon that expires within 24 hours. */
export async function queueCouponExpiryReminders(ctx: Ctx): Promise<number> {
  const now = ctx.now()
  let queued = 0
  for (const c of await ctx.repos.outbox.expiringCoupons(now, new Date(now.getTime() + 86_400_000))) {
    const ok = await ctx.repos.outbox.enqueue('coupon_expiring', c.userId, `coupon_expiring:${c.userCouponId}`, {
      template: 'coupon_expiring',
      page: 'packages/coupon/mine/index',
      data: {
        title: c.title.slice(0, 20),
        expires: c.validTo.toISOString().slice(0, 16).replace('T', ' '),
        tip: '优惠券即将过期，记得使用',
      },
    })
    if (ok) queued++
  }
  return queued
}
