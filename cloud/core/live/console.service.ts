/**
 * The anchor's console (merchant staff, admin actions): rooms created and started or ended, goods
 * pushed, coupons dropped and issued, lotteries committed and drawn, stats and share records.
 */
import { onceByKey } from '../admin/request-keys'
import { csvCell } from '../csv'
import { randomBytes } from 'node:crypto'
import type { AdminCreateLiveRoomInput, CenterCoupon, LotteryPool, RoomView } from '../../contract'
import type { AuthedCtx } from '../context'
import { centerViews } from '../coupon/coupon.service'
import { couponStatus } from '../coupon/coupon.rules'
import { grant } from '../customer/members.service'
import { fail } from '../errors'
import { commitmentOf, drawWinners, sortCandidates } from './lottery.rules'
import { ownRoom, roomView, touchRoom } from './room'
import { DEFAULT_ANCHOR, replayUrlAtEnd, streamUrlProblem } from './room.rules'
import { lastPeakSample } from './shows.service'

/** How far from the server's clock a room's start may be set: a day back (a show that started already), a year ahead. */
const STARTS_WITHIN = { backMs: 86_400_000, aheadMs: 365 * 86_400_000 }

export async function createRoom(ctx: AuthedCtx, input: AdminCreateLiveRoomInput): Promise<{ roomId: string }> {
  // A retry with the same key (a lost answer, a double click) answers the first room.
  // The same key with an edited form (a retry after a cut answer) names the room made the first time.
  return onceByKey(
    ctx,
    'admin.createLiveRoom',
    input,
    () => createOnce(ctx, input),
    (first) => ({ roomId: first.roomId }),
  )
}

async function createOnce(ctx: AuthedCtx, input: AdminCreateLiveRoomInput): Promise<{ roomId: string }> {
  const startsAt = new Date(input.startsAt).getTime()
  const now = ctx.now().getTime()
  if (startsAt < now - STARTS_WITHIN.backMs || startsAt > now + STARTS_WITHIN.aheadMs) {
    const message = '开播时间需在过去一天到未来一年之内'
    fail('VALIDATION_FAILED', message, [{ path: 'startsAt', message }])
  }
  if (input.streamUrl) {
    const message = streamUrlProblem(input.streamKind ?? 'video', input.streamUrl)
    if (message) fail('VALIDATION_FAILED', message, [{ path: 'streamUrl', message }])
  }
  const roomId = await ctx.repos.live.createRoom({
    title: input.title,
    startsAt: new Date(input.startsAt),
    streamKind: input.streamUrl ? (input.streamKind ?? 'video') : null,
    streamUrl: input.streamUrl ?? null,
    poster: input.poster ?? '',
    communityQr: input.communityQr ?? '',
    anchorName: input.anchorName ?? DEFAULT_ANCHOR.name,
    anchorAvatar: input.anchorAvatar || DEFAULT_ANCHOR.avatar,
  })
  return { roomId }
}

/** Starts or ends the live. Starting queues one reminder per subscriber; starting twice queues nothing more. */
export async function setStatus(ctx: AuthedCtx, input: { roomId: string; status: 'live' | 'ended' }): Promise<{ room: RoomView }> {
  const before = await ownRoom(ctx, input.roomId)
  const from = input.status === 'live' ? 'upcoming' : 'live'
  const replayUrl = input.status === 'ended' ? replayUrlAtEnd(before) : null
  const room = await ctx.repos.live.setStatus(before.id, from, input.status, ctx.now(), replayUrl)
  if (!room) return fail('ROOM_STATUS_CHANGED')
  // The peak's last sample, now that it ended (the room's row is this call's already).
  if (input.status === 'ended') await lastPeakSample(ctx, room.id)
  const version = await touchRoom(ctx, room.id)
  if (input.status === 'live') {
    for (const s of await ctx.repos.live.subscribers(room.id)) {
      await ctx.repos.outbox.enqueue('live_start', s.userId, `live_start:${room.id}:${s.userId}`, {
        template: 'live_start',
        page: `packages/live/room/index?id=${room.id}`,
        data: { title: room.title.slice(0, 20), status: '直播已开始，快来看看吧' },
      })
    }
  }
  return { room: await roomView(ctx, { ...room, version }) }
}

/** Puts a product on the shelf and pins it (讲解中), before or during the show; an ended room's shelf is what was shown, closed. */
export async function pushGoods(ctx: AuthedCtx, input: { roomId: string; productId: string }): Promise<{ room: RoomView }> {
  const room = await ownRoom(ctx, input.roomId)
  if (room.status === 'ended') fail('ROOM_STATUS_CHANGED', '直播已结束')
  if ((await ctx.repos.catalog.summaries([input.productId])).length === 0) fail('NOT_FOUND', '商品不存在或已下架')
  await ctx.repos.live.pushGoods(room.id, input.productId)
  await touchRoom(ctx, room.id)
  return { room: await roomView(ctx, (await ctx.repos.live.room(room.id))!) }
}

/**
 * Pops a coupon up for the room's viewers, while live: a shop coupon (the room becomes one more place
 * to claim it; it stays in the claim center) or this room's own room-only coupon. Another room's
 * room-only coupon is refused.
 */
export async function dropCoupon(ctx: AuthedCtx, input: { roomId: string; couponId: string }): Promise<{ room: RoomView }> {
  const room = await ownRoom(ctx, input.roomId)
  if (room.status !== 'live') fail('ROOM_NOT_LIVE', '直播中才能发券')
  const coupon = await ctx.repos.coupons.get(input.couponId)
  if (!coupon) return fail('NOT_FOUND', '优惠券不存在')
  if (coupon.roomId !== null && coupon.roomId !== room.id)
    fail('VALIDATION_FAILED', '这张券是其他直播间的专享券', [{ path: 'couponId', message: '这张券是其他直播间的专享券' }])
  // A coupon the shop paused or ended pops up nowhere (it would only say 暂停发放 / 已结束).
  const status = couponStatus(coupon, ctx.now())
  if (status === 'paused') fail('COUPON_PAUSED', '优惠券已暂停发放，恢复后才能发券')
  if (status === 'ended') fail('COUPON_ENDED')
  await ctx.repos.live.dropCoupon(room.id, input.couponId)
  await touchRoom(ctx, room.id)
  return { room: await roomView(ctx, (await ctx.repos.live.room(room.id))!) }
}

/**
 * The coupons the anchor can drop here: the shop's coupons still claimable somewhere (not ended, some
 * stock left) and this room's room-only coupons, each with whether it is dropped here already. With
 * `grantable`, the after-show pickers' list: the shop's active coupons not over, stock 0 included.
 */
export async function roomCoupons(
  ctx: AuthedCtx,
  input: { roomId: string; grantable?: boolean },
): Promise<{ items: Array<CenterCoupon & { dropped: boolean }> }> {
  const room = await ownRoom(ctx, input.roomId)
  const rows = await ctx.repos.coupons.listForRoom(ctx.caller.userId, room.id, ctx.now(), input.grantable === true)
  const views = centerViews(rows, ctx.now())
  return { items: views.map((v, i) => ({ ...v, dropped: rows[i]!.dropped })) }
}

/**
 * Draws a random seed and publishes only its commitment; the seed stays secret until the draw. Before
 * or during the show only: an ended room takes no new lottery.
 */
export async function commitLottery(
  ctx: AuthedCtx,
  input: { roomId: string; winners: number; pool: LotteryPool; prize?: string; idempotencyKey?: string },
): Promise<{ lotteryId: string; commitment: string }> {
  // A retry with the same key (a cut answer, a double click) answers the first lottery.
  return onceByKey(ctx, 'admin.commitLottery', input, () => commitOnce(ctx, input))
}

async function commitOnce(ctx: AuthedCtx, input: { roomId: string; winners: number; pool: LotteryPool; prize?: string }) {
  const room = await ownRoom(ctx, input.roomId)
  if (room.status === 'ended') fail('ROOM_STATUS_CHANGED', '直播已结束')
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
  await touchRoom(ctx, room.id)
  return { lotteryId, commitment }
}

/**
 * Fixes the candidates, draws by the published rule and reveals the seed; a second draw is refused,
 * and so is a draw before the show starts (ROOM_NOT_LIVE) or with no candidate in the pool
 * (VALIDATION_FAILED; the lottery stays committed and can be drawn once someone qualifies).
 * A draw after the room ended counts only what happened before the end: in the viewers pool who
 * entered before it (a replay watcher is no candidate), in the sharers pool who was credited before it
 * (a credit by a replay entry makes no candidate).
 */
export async function drawLottery(ctx: AuthedCtx, input: { lotteryId: string }) {
  const l = await ctx.repos.live.lottery(input.lotteryId)
  if (!l) return fail('NOT_FOUND', '抽奖不存在')
  if (l.status === 'drawn') return fail('LOTTERY_ALREADY_DRAWN')
  // The merchant's staff are never candidates, the shop does not win its own prizes: anyone whose
  // openid is in ADMIN_OPENIDS now, and anyone who entered the room as staff (marked at live.enter).
  // Before the show nobody is a candidate yet (a draw then is 已开奖 with no winners): refused.
  const room = await ctx.repos.live.room(l.roomId)
  if (room?.status === 'upcoming') return fail('ROOM_NOT_LIVE', '直播开始后才能开奖')
  const candidates = sortCandidates(await ctx.repos.live.poolCandidates(l.roomId, l.pool, [...ctx.config.adminOpenids]))
  // A draw with no candidate would close the lottery with no winner: refused, the lottery stays open.
  if (candidates.length === 0) {
    const message = l.pool === 'sharers' ? '还没有分享者，暂不能开奖' : '还没有观众进入直播间，暂不能开奖'
    return fail('VALIDATION_FAILED', message, [{ path: 'lotteryId', message }])
  }
  const winners = drawWinners(l.seed, candidates, l.winners)
  if (!(await ctx.repos.live.markDrawn(l.id, candidates, winners, ctx.now()))) return fail('LOTTERY_ALREADY_DRAWN')
  await touchRoom(ctx, l.roomId)
  return { winners, seed: l.seed, candidates }
}

/** The console's live figures, polled every few seconds while live: two queries (the room, then one of counts). */
export async function roomStats(ctx: AuthedCtx, input: { roomId: string }) {
  const room = await ownRoom(ctx, input.roomId)
  const s = await ctx.repos.live.stats(room.id)
  return {
    status: room.status,
    viewers: s.viewers,
    comments: s.comments,
    likes: room.likeCount,
    credits: s.credits,
    orders: s.orders,
    gmvFen: s.gmvFen,
  }
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

/**
 * Awards the room's top 3 sharers who are not staff a coupon, once per room whatever the coupon: a
 * retry with the same coupon answers who it went to, another coupon is refused (ROOM_ALREADY_AWARDED).
 * The coupon is checked first, sharers or not: it must exist and have stock left. With no sharer yet
 * nothing is awarded and nothing recorded. Staff are never prized (as in the draws: ADMIN_OPENIDS and
 * whoever entered as staff); the leaderboard itself stays exact, staff ranked as their share records say.
 */
export async function awardTopSharers(ctx: AuthedCtx, input: { roomId: string; couponId: string }) {
  const room = await ownRoom(ctx, input.roomId)
  const coupon = await ctx.repos.coupons.get(input.couponId)
  if (!coupon) return fail('NOT_FOUND', '优惠券不存在')
  const top = await ctx.repos.live.topSharers(room.id, 3, [...ctx.config.adminOpenids])
  const award = top.length > 0 ? await ctx.repos.live.recordAward(room.id, coupon.id, top, ctx.now()) : null
  if (award && !award.fresh) {
    if (award.couponId !== coupon.id) fail('ROOM_ALREADY_AWARDED')
    return { awarded: award.userIds }
  }
  // A prize is a grant, outside the claim stock (customer/members.service): a coupon kept only for prizes has stock 0.
  if (top.length > 0) await grant(ctx, coupon, { segment: null, userIds: top, grantKey: `room-top3:${room.id}` })
  return { awarded: top }
}

/** The post-live coupon: to everyone who entered the room, once each. */
export async function issueRoomCoupon(ctx: AuthedCtx, input: { roomId: string; couponId: string }) {
  const room = await ownRoom(ctx, input.roomId)
  // The coupon first: a made-up one is refused even when nobody watched.
  const coupon = await ctx.repos.coupons.get(input.couponId)
  if (!coupon) return fail('NOT_FOUND', '优惠券不存在')
  const viewers = await ctx.repos.live.viewerIds(room.id)
  if (viewers.length === 0) return { issued: 0, already: 0 }
  // One set-based grant for every viewer (a coupon grant like the 客户 page's, shown on the coupon desk).
  return grant(ctx, coupon, { segment: null, userIds: viewers, grantKey: `room-end:${room.id}` })
}
