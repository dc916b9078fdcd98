/** What the viewers' side and the anchor's console both need of a room: finding it, showing it, and who must see a change. */
import type { LotteryView, RoomCard, RoomView } from '../../contract'
import type { AuthedCtx, Ctx } from '../context'
import type { Repos } from '../ports'
import { productCard } from '../catalog/card.rules'
import { centerViews } from '../coupon/coupon.service'
import { fail } from '../errors'
import type { LotteryRecord, RoomRecord, RoomState, SharedRoomView, ViewerOwn } from './live.ports'
import type { StockMove } from '../order/order.ports'
import { maskName } from './room.rules'

const iso = (d: Date | null) => (d ? d.toISOString() : null)

/** How many lotteries the room view carries, newest first. */
export const ROOM_LOTTERIES = 5

/** The room, or NOT_FOUND. */
export async function ownRoom(ctx: Ctx, roomId: string): Promise<RoomRecord> {
  const room = await ctx.repos.live.room(roomId)
  if (!room) return fail('NOT_FOUND', '直播间不存在')
  return room
}

/*
 * Who must see a change, decided here and only here. live.sync answers the whole room when the
 * room's version moved (a change for every viewer: touchRoom) or when the caller's own version in the
 * room moved (a change only they see: touchViewer), so everything a viewer sees reaches them within
 * one poll and no client reloads on its own. Every action that changes a view calls one of these in
 * its transaction:
 *
 *   For every viewer (touchRoom)                    For one viewer (touchViewer)
 *   - admin.setLiveStatus: status, stream, replay,  - coupon.claim: the claimer's chip (已领取) in
 *     pinned card gone at the end                     every room they entered that offers the coupon
 *                                                     (COUPON_CLAIM_TOUCHES)
 *   - admin.pushGoods: the shelf, the pinned card   - live.subscribe: their 预约 (已预约)
 *   - admin.dropCoupon: the coupon pops up
 *   - coupon.claim taking a coupon's last unit:
 *     已抢光 in every room it was dropped in
 *   - admin.commitLottery, admin.drawLottery: the
 *     lottery icon, then the masked winners
 *   - admin.updateProduct of a product on a room's
 *     shelf: its card (title, price, image, on sale)
 *   - an order or its cancel/refund moving a shelf
 *     product's stock while low (stockMoved)
 *
 * Counts with cursors of their own never touch a version: comments, likes, viewers (and the
 * arrivals with them), share credits (the leaderboard version).
 *
 * Each of these, and an entry moving the viewer count, also tells the host's live cache
 * (roomChanged) that the room's state must be read again: after the call commits, this host's next
 * poll reads it anew; other hosts within the cache's time (docs/rules.md, Every change within one
 * poll). A like is merged into this host's cached state instead (LiveCache.counted); a comment makes
 * the next poll read the state again.
 */

/** What this call changed of rooms (null: rooms the call can't name, read again all): the host's cache drops them once it commits. */
export function roomChanged(ctx: Ctx, roomIds: readonly string[] | null, what?: 'view' | 'counts'): void {
  ctx.liveCache?.changed(roomIds, what)
}

/** A change every viewer of the room sees: the room's version moves on. */
export async function touchRoom(ctx: Ctx, roomId: string): Promise<number> {
  roomChanged(ctx, [roomId])
  return ctx.repos.live.touch(roomId)
}

/** A change only this viewer sees in the room: their own version moves on (none when they never entered). */
export async function touchViewer(ctx: Ctx, roomId: string, userId: string): Promise<void> {
  roomChanged(ctx, [roomId])
  await ctx.repos.live.touchViewer(roomId, userId)
}

/**
 * A claim of a coupon: the claimer's chip turns 已领取 in every room they entered that offers it; the
 * claim that takes the last unit turns it 已抢光 for every viewer of those rooms (once per coupon,
 * not on every claim: a claim of a 10,000-viewer room's coupon reloads one view, not 10,000). The
 * claim's last statement runs both (coupon.repo claim), so they cost it no round trip of their own.
 */
export const COUPON_CLAIM_TOUCHES = { claimer: true, roomsAtLastUnit: true } as const

/**
 * A claim moved the claimer's own version in the rooms offering the coupon (and the rooms' versions at
 * its last unit): this host reads those rooms' states again at their next poll. Versions are in the
 * state, and the shared view and each viewer's own part are kept per version, so the claimer's next
 * answer has their chip (已领取) and 已抢光 comes with the last unit, while the views of the room stay
 * kept: a rush of claims costs a room one state read per poll, not a view rebuilt per claim. The
 * claimed count a view shows is as of its build, at most the cache's time ago (docs/rules.md).
 */
export function couponClaimed(ctx: Ctx): void {
  roomChanged(ctx, null, 'counts')
}

/** A product changed (its card, or taken off sale): every room whose shelf holds it shows the new card. */
export async function productChanged(ctx: Ctx, productId: string): Promise<void> {
  roomChanged(ctx, null)
  await ctx.repos.live.touchRoomsOfProducts([productId])
}

/** A coupon's terms or status changed: every room it was dropped in shows it anew. */
export async function couponChanged(ctx: Ctx, couponId: string): Promise<void> {
  roomChanged(ctx, null)
  await ctx.repos.live.touchRoomsOfCoupon(couponId)
}

/**
 * The next instant (epoch ms) after `at` at which the room view changes by the clock alone, 0 for
 * none: a dropped coupon turning claimable at its validFrom, or ended just after its validTo
 * (coupon.rules offerState). live.sync carries it in the cursor and answers the room once it passed.
 */
export function nextTimeEdge(view: Pick<RoomView, 'coupons'>, at: number): number {
  let edge = 0
  for (const c of view.coupons) {
    for (const t of [Date.parse(c.validFrom), Date.parse(c.validTo) + 1]) if (t > at && (edge === 0 || t < edge)) edge = t
  }
  return edge
}

/** Below this a room's goods show 仅剩 N 件 (src/features/live/components/goods-sheet stockText); 0 is 已售罄. */
export const LOW_STOCK = 10

/**
 * Products' stock moved (an order took units, a cancel or refund gave them back): the rooms whose
 * shelf holds them show the new stock when what they show changes — 已售罄, 仅剩 N 件, back in stock —
 * that is, when the stock is low (below LOW_STOCK) before or after. A sale of a well-stocked product
 * touches nothing: the rooms' versions are not moved (and 10,000 viewers not reloaded) on every sale,
 * at the cost of the card still saying 现货 while the stock falls from, say, 500 to 10.
 *
 * Exact under concurrency: the product's total is read by each statement without the other SKUs'
 * uncommitted sales, so two sales of different SKUs could each see the total stay at 10 while together
 * they take it to 8. A product whose total is below LOW_STOCK has every SKU below it, and the SKU a
 * change moves is read exactly (its row is locked): so a change also counts as low when its own SKU's
 * stock is, and whichever sale commits last moves the version with its own stock change.
 *
 * Called once, after every SKU of the order is taken (or given back), with all its moves: the rooms are
 * locked last, in id order, so an order holding SKU a never waits for SKU b while holding a room that
 * an order holding b waits for (a deadlock the reviewer found when the rooms were touched per line).
 *
 * Placing an order applies this same rule inside its last statement (orders.takeStockLast, given
 * LOW_STOCK), which takes the stock and moves the rooms together with the commit; cancels and refunds
 * (releaseOrder) call this function.
 */
export async function stockMoved(ctx: Ctx, moves: StockMove[]): Promise<void> {
  const shown = moves.filter((m) => m.before !== m.after && (m.before < LOW_STOCK || m.after < LOW_STOCK || m.lowestSku < LOW_STOCK))
  if (shown.length > 0) roomChanged(ctx, null)
  await ctx.repos.live.touchRoomsOfProducts([...new Set(shown.map((m) => m.productId))].sort())
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

/** A lottery as viewers and the console see it: winners by masked nickname, the candidates only as a count. */
export function lotteryView(l: LotteryRecord): LotteryView {
  const drawn = l.status === 'drawn'
  const ids = drawn ? (l.winnerIds ?? []) : null
  return {
    lotteryId: l.id,
    pool: l.pool,
    winners: l.winners,
    prize: l.prize,
    commitment: l.commitment,
    status: l.status,
    seed: drawn ? l.seed : null,
    candidateCount: drawn ? (l.candidates?.length ?? 0) : null,
    winnerList: ids ? ids.map((userId, i) => ({ userId, name: maskName(l.winnerNames?.[i] ?? '') })) : null,
  }
}

/** The user id no one has: coupons read as offered to no one (`mine` 0), for the shared part of the view. */
const NO_ONE = ''

/** What the room view shows every viewer alike, read from `repos` (the call's, or the cache's own). */
export async function sharedView(repos: Repos, room: RoomRecord): Promise<SharedRoomView> {
  const [goodsIds, couponIds, lotteries] = await Promise.all([
    repos.live.goodsIds(room.id),
    repos.live.couponIds(room.id),
    repos.live.lotteries(room.id, ROOM_LOTTERIES),
  ])
  const [summaries, coupons] = await Promise.all([repos.catalog.summaries(goodsIds), repos.coupons.byIds(NO_ONE, couponIds)])
  // The shelf and the 讲解中 card are product cards (an upload's thumbnail, 会员价 where set), made
  // here once per room version, not for each viewer: a member price costs no viewer a read.
  return { room, goods: summaries.map(productCard), coupons, lotteries: lotteries.map(lotteryView) }
}

/**
 * The room as a viewer sees it: the stream (or replay), the anchor, the shelf (still listing what was
 * shown once the room ended) with the pinned card only while live, dropped coupons with the caller's
 * state, the latest lotteries. Built from the shared part, the viewer count and the viewer's own facts.
 */
export function composeView(ctx: AuthedCtx, shared: SharedRoomView, viewerCount: number, own: ViewerOwn): RoomView {
  const { room, goods } = shared
  const url = room.status === 'ended' ? room.replayUrl : room.status === 'live' ? room.streamUrl : null
  // 讲解中 only while live: before the start nothing is explained yet, after the end nothing any more.
  const pinnedId = room.status === 'live' ? room.pinnedProductId : null
  const coupons = shared.coupons.map((c) => ({ ...c, mine: own.mine[c.id] ?? 0 }))
  return {
    ...card(room, viewerCount, own.subscribed),
    startedAt: iso(room.startedAt),
    endedAt: iso(room.endedAt),
    stream: url && room.streamKind ? { kind: room.status === 'ended' ? 'video' : room.streamKind, url } : null,
    communityQr: room.communityQr,
    anchor: { name: room.anchorName, avatar: room.anchorAvatar },
    pinned: goods.find((g) => g.id === pinnedId) ?? null,
    // The product being explained first, then the shelf, newest push first.
    goods: [...goods.filter((g) => g.id === pinnedId), ...goods.filter((g) => g.id !== pinnedId)],
    // Each with the caller's state as everywhere (coupon.rules offerState): a shop coupon stays
    // claimable after the end, a room-only one reads 已结束.
    coupons: centerViews(coupons, ctx.now()),
    lotteries: shared.lotteries,
    likeCount: room.likeCount,
    version: room.version,
  }
}

/** The room view read in the call's transaction (the console's answers, and every view where the host keeps no cache). */
export async function roomView(ctx: AuthedCtx, room: RoomRecord): Promise<RoomView> {
  const [shared, facts, own] = await Promise.all([
    sharedView(ctx.repos, room),
    ctx.repos.live.viewerFacts(room.id, ctx.caller.userId),
    ctx.repos.live.viewerOwn(room.id, ctx.caller.userId),
  ])
  return composeView(ctx, shared, facts.viewerCount, own)
}

/**
 * A viewer's room view from the host's live cache: the shared part built once per room version on
 * this host (the first poll that needs it builds it, the others wait for it), the count from the
 * room's state, and the viewer's own facts (`own`, else kept by the cache per viewer while their
 * own version stays: a room version moving reads no viewer's own part). Without a cache, roomView.
 */
export async function cachedRoomView(ctx: AuthedCtx, state: RoomState, own?: ViewerOwn): Promise<RoomView> {
  const cache = ctx.liveCache
  if (!cache) return roomView(ctx, state.room)
  const roomId = state.room.id
  const me = ctx.caller.userId
  const shared = await cache.shared(roomId, state.room.version, async (repos) => {
    const room = await repos.live.room(roomId)
    return room ? sharedView(repos, room) : null
  })
  if (!shared) return fail('NOT_FOUND', '直播间不存在')
  const mine =
    own ??
    (await cache.own(
      roomId,
      me,
      state.viewerVersions[me] ?? 1,
      shared.coupons.map((c) => c.id),
      (repos) => repos.live.viewerOwn(roomId, me),
    ))
  return composeView(ctx, shared, state.viewerCount, mine)
}
