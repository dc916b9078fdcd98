/** What the viewers' side and the anchor's console both need of a room: finding it and showing it. */
import type { RoomCard, RoomView } from '../../contract'
import type { AuthedCtx, Ctx } from '../context'
import { centerViews } from '../coupon/coupon.service'
import { fail } from '../errors'
import type { RoomRecord } from './live.ports'

const iso = (d: Date | null) => (d ? d.toISOString() : null)

/** The room, or NOT_FOUND. */
export async function ownRoom(ctx: Ctx, roomId: string): Promise<RoomRecord> {
  const room = await ctx.repos.live.room(roomId)
  if (!room) return fail('NOT_FOUND', '直播间不存在')
  return room
}

/**
 * What viewers must see, decided here and only here: every action that changes the room as all its
 * viewers see it calls this once, in its transaction, and the room's version moves on so every
 * viewer's next live.sync answers the whole room. Those are the status with the stream and the replay
 * (setStatus), the shelf and the pinned card (pushGoods), the dropped coupons (dropCoupon) and the
 * claim that takes a dropped coupon's last unit (its chip turns 已抢光 for everyone), and the
 * lotteries, committed and drawn: the room page reloads its lotteries whenever a sync answers the room.
 *
 * Not called for what one viewer alone sees. The version is the room's, so a touch makes every viewer
 * reload the whole room (about six queries each): touching on each claim of a room coupon, to turn
 * the claimer's chip to 已领取, would cost a 10,000-viewer room 10,000 room reads per claim while a
 * coupon is being grabbed; a 预约 likewise. The claimer's or subscriber's own client reloads its own
 * view instead (the room store's subscribe and resync reload from scratch). Counts that have their own cursor
 * (comments, likes, viewers, share credits) don't touch either.
 */
export async function touchRoom(ctx: Ctx, roomId: string): Promise<number> {
  return ctx.repos.live.touch(roomId)
}

/** A room as the 直播 list shows it. */
export function card(room: RoomRecord, viewerCount: number, subscribed: boolean): RoomCard {
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
export async function roomView(ctx: AuthedCtx, room: RoomRecord): Promise<RoomView> {
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
