import { z } from 'zod'
import { ProductSummary } from './catalog'
import { Cursor, Id, Instant } from './common'
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

export const RoomView = RoomCard.extend({
  startedAt: Instant.nullable(),
  endedAt: Instant.nullable(),
  /** What the page plays: the live stream while live, the replay after; null shows the poster. */
  stream: z.object({ kind: StreamKind, url: z.string() }).nullable(),
  communityQr: z.string(),
  pinned: ProductSummary.nullable(),
  goods: z.array(ProductSummary),
  /** Coupons the anchor dropped: claimable only while the room is live. */
  coupons: z.array(CenterCoupon),
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
})
export type Leaderboard = z.infer<typeof Leaderboard>

export const LotteryView = z.object({
  lotteryId: Id,
  pool: LotteryPool,
  winners: z.number().int(),
  prize: z.string(),
  commitment: z.string(),
  status: LotteryStatus,
  /** Revealed at the draw. */
  seed: z.string().nullable(),
  candidates: z.array(Id).nullable(),
  winnerIds: z.array(Id).nullable(),
})
export type LotteryView = z.infer<typeof LotteryView>

const RoomRef = z.object({ roomId: Id })

/** A poll's answer: the new cursor, and only what changed since the one sent. */
export const LiveSyncOutput = z.object({
  cursor: z.string(),
  room: RoomView.optional(),
  comments: z.array(Comment).optional(),
  likeCount: z.number().int().optional(),
  viewerCount: z.number().int().optional(),
  leaderboardVersion: z.number().int().optional(),
})
export type LiveSyncOutput = z.infer<typeof LiveSyncOutput>

export const liveActions = {
  list: { input: z.object({}), output: z.object({ live: z.array(RoomCard), upcoming: z.array(RoomCard), ended: z.array(RoomCard) }) },
  enter: { input: RoomRef.extend({ sharerId: Id.optional() }), output: z.object({ room: RoomView, credited: z.boolean() }) },
  /**
   * What changed since the cursor: the room (when its version moved), new comments, the like and
   * viewer counts and the leaderboard version (when they moved). An unchanged answer is only the cursor.
   */
  sync: {
    input: RoomRef.extend({ since: Cursor.optional() }),
    output: LiveSyncOutput,
  },
  comment: { input: RoomRef.extend({ text: z.string().trim().min(1).max(100) }), output: z.object({ comment: Comment }) },
  /** At most 50 likes a call; `accepted` is how many counted (the rest went over the viewer's 300 a minute). */
  like: {
    input: RoomRef.extend({ count: z.number().int().min(1).max(50) }),
    output: z.object({ likeCount: z.number().int(), accepted: z.number().int() }),
  },
  subscribe: { input: RoomRef, output: z.object({ subscribed: z.boolean() }) },
  leaderboard: { input: RoomRef.extend({ limit: z.number().int().min(1).max(100).optional() }), output: Leaderboard },
  lotteries: { input: RoomRef, output: z.object({ items: z.array(LotteryView) }) },
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
  title: z.string().trim().min(1).max(40),
  startsAt: Instant,
  streamUrl: z.string().trim().min(1).max(500).optional(),
  streamKind: StreamKind.optional(),
  poster: z.string().max(500).optional(),
  communityQr: z.string().max(500).optional(),
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
  dropCoupon: { input: RoomRef.extend({ couponId: Id }), output: z.object({ room: RoomView }) },
  commitLottery: {
    input: RoomRef.extend({
      winners: z.number().int().min(1).max(100),
      pool: LotteryPool.default('viewers'),
      prize: z.string().trim().max(60).optional(),
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
      viewers: z.number().int(),
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
