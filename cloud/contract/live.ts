import { z } from 'zod'
import { ImageRefOrEmpty, ProductSummary } from './catalog'
import { Cursor, Id, IdempotencyKey, Instant, peopleText } from './common'
import { CenterCoupon } from './coupon'

export const RoomStatus = z.enum(['upcoming', 'live', 'ended'])
export type RoomStatus = z.infer<typeof RoomStatus>
export const StreamKind = z.enum(['live-player', 'channels', 'video'])
export const LotteryPool = z.enum(['sharers', 'viewers'])
export type LotteryPool = z.infer<typeof LotteryPool>
export const LotteryStatus = z.enum(['committed', 'drawn'])
export type LotteryStatus = z.infer<typeof LotteryStatus>
export type StreamKind = z.infer<typeof StreamKind>

export const RoomCard = z.object({
  id: Id,
  title: z.string(),
  status: RoomStatus,
  startsAt: Instant,
  poster: z.string(),
  viewerCount: z.number().int(),
  subscribed: z.boolean(),
})
export type RoomCard = z.infer<typeof RoomCard>

/** A lottery as viewers and the console see it; the candidates' ids come only from live.verifyLottery. */
export const LotteryView = z.object({
  lotteryId: Id,
  pool: LotteryPool,
  winners: z.number().int(),
  prize: z.string(),
  commitment: z.string(),
  status: LotteryStatus,
  /** Revealed at the draw. */
  seed: z.string().nullable(),
  /** How many candidates the draw fixed; null until drawn. */
  candidateCount: z.number().int().nullable(),
  /**
   * The winners in draw order, each by masked nickname (茶*友), never shown by id; `userId` lets a
   * viewer's page tell them they won. Null until drawn.
   */
  winnerList: z.array(z.object({ userId: Id, name: z.string() })).nullable(),
})
export type LotteryView = z.infer<typeof LotteryView>

export const RoomView = RoomCard.extend({
  startedAt: Instant.nullable(),
  endedAt: Instant.nullable(),
  /** What the page plays: the live stream while live, the replay after; null shows the poster. */
  stream: z.object({ kind: StreamKind, url: z.string() }).nullable(),
  communityQr: z.string(),
  /** Who presents the show (the room's anchor, by default the shop): name and avatar on top of the room. */
  anchor: z.object({ name: z.string(), avatar: z.string() }),
  /** The product being explained (讲解中): only while the room is live, null before and after. */
  pinned: ProductSummary.nullable(),
  goods: z.array(ProductSummary),
  /**
   * Coupons dropped in the room, newest first, with the caller's state: a shop coupon dropped here
   * stays claimable wherever it is offered; a room-only coupon is claimable only while this room is
   * live (state `ended` after).
   */
  coupons: z.array(CenterCoupon),
  /** The room's lotteries, newest first (at most 5): committed ones show the commitment, drawn ones the masked winners. */
  lotteries: z.array(LotteryView),
  likeCount: z.number().int(),
  version: z.number().int(),
})
export type RoomView = z.infer<typeof RoomView>

export const Comment = z.object({ id: z.number().int(), userId: Id, nickname: z.string(), text: z.string(), createdAt: Instant })
export type Comment = z.infer<typeof Comment>

export const LeaderboardEntry = z.object({ rank: z.number().int(), userId: Id, nickname: z.string(), invites: z.number().int() })
export const Leaderboard = z.object({
  entries: z.array(LeaderboardEntry),
  /** The caller's place; rank null when they have no credited invite yet. */
  me: z.object({ rank: z.number().int().nullable(), invites: z.number().int() }),
  /**
   * The credits this board holds: live.sync's `leaderboardVersion` for the same share records. A
   * board may be up to a second old; one older than the version a poll named is asked for again.
   */
  version: z.number().int(),
})
export type Leaderboard = z.infer<typeof Leaderboard>

const RoomRef = z.object({ roomId: Id })

/**
 * A poll's answer: the new cursor, and only what changed since the one sent. `room` comes whole when
 * anything in it changed for this viewer: for everyone (status, goods, pinned card, coupons dropped or
 * sold out, lotteries committed or drawn) or for this viewer alone (their claim, their 预约).
 */
export const LiveSyncOutput = z.object({
  cursor: z.string(),
  room: RoomView.optional(),
  /** Nicknames of the latest viewers who entered since the cursor (at most 3), for 欢迎 X 进入直播间. */
  arrivals: z.array(z.string()).optional(),
  comments: z.array(Comment).optional(),
  likeCount: z.number().int().optional(),
  viewerCount: z.number().int().optional(),
  leaderboardVersion: z.number().int().optional(),
})
export type LiveSyncOutput = z.infer<typeof LiveSyncOutput>

export const liveActions = {
  list: { input: z.object({}), output: z.object({ live: z.array(RoomCard), upcoming: z.array(RoomCard), ended: z.array(RoomCard) }) },
  /** `serverTime`: the server's clock, which an upcoming room counts down by. */
  enter: {
    input: RoomRef.extend({ sharerId: Id.optional() }),
    output: z.object({ room: RoomView, credited: z.boolean(), serverTime: Instant }),
  },
  /**
   * What changed since the cursor: the room (when its version moved), new comments, the like and
   * viewer counts and the leaderboard version (when they moved). An unchanged answer is only the cursor.
   */
  sync: {
    input: RoomRef.extend({ since: Cursor.optional() }),
    output: LiveSyncOutput,
  },
  /** The text is people's text (peopleText): hidden and bidi characters dropped; empty after that is refused. */
  comment: {
    input: RoomRef.extend({ text: peopleText({ empty: '请输入评论内容', max: 100, tooLong: '评论最多 100 个字' }) }),
    output: z.object({ comment: Comment }),
  },
  /** At most 50 likes a call; `accepted` is how many counted (the rest went over the viewer's 300 a minute). */
  like: {
    input: RoomRef.extend({ count: z.number().int().min(1).max(50) }),
    output: z.object({ likeCount: z.number().int(), accepted: z.number().int() }),
  },
  subscribe: { input: RoomRef, output: z.object({ subscribed: z.boolean() }) },
  /**
   * `version`: the `leaderboardVersion` of the caller's last live.sync, so a board older than what the
   * poll saw is rebuilt for it (as the room's rebuild budget allows; the answer's `version` says).
   */
  leaderboard: {
    input: RoomRef.extend({ limit: z.number().int().min(1).max(100).optional(), version: z.number().int().min(0).optional() }),
    output: Leaderboard,
  },
  lotteries: { input: RoomRef, output: z.object({ items: z.array(LotteryView) }) },
  /**
   * The room's share poster for 朋友圈: the mini-program code (an image URL) that opens this room
   * with the caller as the sharer, and the page path it opens.
   */
  sharePoster: { input: RoomRef, output: z.object({ code: z.string(), path: z.string() }) },
  verifyLottery: {
    input: z.object({ lotteryId: Id }),
    output: z.object({
      commitment: z.string(),
      seed: z.string().nullable(),
      candidates: z.array(Id),
      winners: z.array(Id),
      valid: z.boolean(),
    }),
  },
}

export const AdminCreateLiveRoomInput = z.object({
  title: peopleText({ empty: '请输入直播标题', max: 40, tooLong: '直播标题最多 40 个字' }),
  /** Within a day back and a year ahead of the server's clock (console.service createRoom). */
  startsAt: Instant,
  /** The stream keeps its own rule; the room's images (poster, community QR, avatar) the products' image rule. */
  streamUrl: z.string().trim().min(1).max(500).optional(),
  streamKind: StreamKind.optional(),
  poster: ImageRefOrEmpty.optional(),
  communityQr: ImageRefOrEmpty.optional(),
  anchorName: peopleText({ empty: '请输入主播名称', max: 20, tooLong: '主播名称最多 20 个字' }).optional(),
  anchorAvatar: ImageRefOrEmpty.optional(),
  /** The same key from the same caller answers the first call's room and creates nothing. */
  idempotencyKey: IdempotencyKey.optional(),
})
export type AdminCreateLiveRoomInput = z.infer<typeof AdminCreateLiveRoomInput>

export const ShareRecord = z.object({
  sharerId: Id,
  sharerNickname: z.string(),
  viewerId: Id,
  viewerNickname: z.string(),
  createdAt: Instant,
})

export const adminLiveActions = {
  createLiveRoom: { input: AdminCreateLiveRoomInput, output: z.object({ roomId: Id }) },
  setLiveStatus: { input: RoomRef.extend({ status: z.enum(['live', 'ended']) }), output: z.object({ room: RoomView }) },
  pushGoods: { input: RoomRef.extend({ productId: Id }), output: z.object({ room: RoomView }) },
  /** A shop coupon, or a room-only coupon of this room (another room's is refused), pops up for the viewers. */
  dropCoupon: { input: RoomRef.extend({ couponId: Id }), output: z.object({ room: RoomView }) },
  /** The coupons the anchor can drop here: the shop's claimable coupons and this room's room-only ones, with whether each is dropped. */
  /**
   * With `grantable`, the coupons the after-show grants can give instead (奖励分享前三名, 给本场观众发券):
   * active ones not over, stock 0 included (a grant is outside the claim stock; a prize coupon has none).
   */
  roomCoupons: {
    input: RoomRef.extend({ grantable: z.boolean().optional() }),
    output: z.object({ items: z.array(CenterCoupon.extend({ dropped: z.boolean() })) }),
  },
  commitLottery: {
    input: RoomRef.extend({
      winners: z.number().int().min(1).max(100),
      pool: LotteryPool.default('viewers'),
      prize: peopleText({ empty: '请输入奖品名称', max: 60, tooLong: '奖品名称最多 60 个字' }).optional(),
      /** The same key from the same caller answers the first call's lottery and commits nothing more. */
      idempotencyKey: IdempotencyKey.optional(),
    }),
    output: z.object({ lotteryId: Id, commitment: z.string() }),
  },
  drawLottery: {
    input: z.object({ lotteryId: Id }),
    output: z.object({ winners: z.array(Id), seed: z.string(), candidates: z.array(Id) }),
  },
  roomStats: {
    input: RoomRef,
    output: z.object({
      status: RoomStatus,
      viewers: z.number().int(),
      comments: z.number().int(),
      likes: z.number().int(),
      credits: z.number().int(),
      orders: z.number().int(),
      gmvFen: z.number().int(),
    }),
  },
  shareRecords: { input: RoomRef, output: z.object({ items: z.array(ShareRecord), csv: z.string() }) },
  awardTopSharers: { input: RoomRef.extend({ couponId: Id }), output: z.object({ awarded: z.array(Id) }) },
  issueRoomCoupon: { input: RoomRef.extend({ couponId: Id }), output: z.object({ issued: z.number().int(), already: z.number().int() }) },
}
