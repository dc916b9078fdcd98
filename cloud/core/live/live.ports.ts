/** What live rooms need from storage: rooms, their viewers, comments, shares and lotteries, and the outbox of subscribe messages. */
import type { Comment, LotteryPool, LotteryStatus, RoomStatus, StreamKind } from '../../contract'

export interface RoomRecord {
  id: string
  title: string
  status: RoomStatus
  startsAt: Date
  startedAt: Date | null
  endedAt: Date | null
  streamKind: StreamKind | null
  streamUrl: string | null
  replayUrl: string | null
  poster: string
  communityQr: string
  pinnedProductId: string | null
  anchorName: string
  anchorAvatar: string
  likeCount: number
  version: number
}

export interface NewRoom {
  title: string
  startsAt: Date
  streamKind: StreamKind | null
  streamUrl: string | null
  poster: string
  communityQr: string
  anchorName: string
  anchorAvatar: string
}

/** What one poll reads, in one round trip: the room with the caller's own version and the counts with cursors. */
export interface SyncState {
  room: RoomRecord
  /** The caller's own version in the room (their claims, their 预约); 0 when they never entered. */
  viewerVersion: number
  viewerCount: number
  creditCount: number
  lastCommentId: number
}

export interface LotteryRecord {
  id: string
  roomId: string
  pool: LotteryPool
  winners: number
  prize: string
  seed: string
  commitment: string
  status: LotteryStatus
  candidates: string[] | null
  winnerIds: string[] | null
  /** The winners' current nicknames, in draw order (unmasked: core masks them); null until drawn. */
  winnerNames: string[] | null
}

export interface LiveRepo {
  createRoom(r: NewRoom): Promise<string>
  room(roomId: string): Promise<RoomRecord | null>
  listRooms(userId: string): Promise<Array<RoomRecord & { viewerCount: number; subscribed: boolean }>>
  /**
   * Moves the room from `from` to `to` (stamping the time) only if it is still in `from`; a
   * `replayUrl` given is stored as the room's replay, null leaves the replay as it is.
   */
  setStatus(roomId: string, from: RoomStatus, to: RoomStatus, at: Date, replayUrl: string | null): Promise<RoomRecord | null>
  /** Moves the room's version on, so every viewer's next sync answers the room (room.ts touchRoom decides when); the new version. */
  touch(roomId: string): Promise<number>
  /** Moves one viewer's own version in the room (room.ts touchViewer decides when); nothing when they never entered. */
  touchViewer(roomId: string, userId: string): Promise<void>
  /** Moves the viewer's own version in every room they entered that the coupon was dropped in. */
  touchViewerOfCoupon(couponId: string, userId: string): Promise<void>
  /** Moves the version of every room the coupon was dropped in. */
  touchRoomsOfCoupon(couponId: string): Promise<void>
  /** Moves the version of every room whose shelf holds one of the products (the rooms locked in id order). */
  touchRoomsOfProducts(productIds: string[]): Promise<void>
  /** The room with the caller's version and the polled counts, in one query; null when there is no such room. */
  syncState(roomId: string, userId: string): Promise<SyncState | null>
  /** The nicknames of the room's latest `limit` entrants, the earliest of them first. */
  latestEntrants(roomId: string, limit: number): Promise<string[]>
  /** What the room view says of the caller: the viewer count and whether they subscribed. */
  viewerFacts(roomId: string, userId: string): Promise<{ viewerCount: number; subscribed: boolean }>
  pushGoods(roomId: string, productId: string): Promise<void>
  goodsIds(roomId: string): Promise<string[]>
  dropCoupon(roomId: string, couponId: string): Promise<void>
  couponIds(roomId: string): Promise<string[]>
  /** Whether the user has entered the room (an order may name only such a room). */
  entered(roomId: string, userId: string): Promise<boolean>
  /** Records the viewer's first entry (and whether they are staff); false when they had entered before. */
  enter(roomId: string, userId: string, sharerId: string | null, at: Date, staff: boolean): Promise<boolean>
  /** Keeps the share record and moves the sharer's count in the leaderboard, in this transaction. */
  credit(roomId: string, viewerId: string, sharerId: string, at: Date): Promise<void>
  addComment(roomId: string, userId: string, nickname: string, text: string): Promise<Comment>
  commentsAfter(roomId: string, afterId: number, limit: number): Promise<Comment[]>
  like(roomId: string, n: number): Promise<number>
  /**
   * Subscribes the user to the room's start reminder only while the room is upcoming, holding the
   * room's status lock shared (setStatus waits for it): false when the room is no longer upcoming.
   */
  subscribe(roomId: string, userId: string): Promise<boolean>
  subscribers(roomId: string): Promise<Array<{ userId: string; openid: string }>>
  /**
   * The room's whole share leaderboard in one statement: every sharer in order (invites desc, who
   * reached the count first), and the nicknames of the first `named`.
   */
  board(roomId: string, named: number): Promise<{ ids: string[]; invites: number[]; names: string[] }>
  /**
   * The lottery candidates of a pool of the room (sharers with a credited invite, or viewers who
   * entered), staff left out: anyone whose openid is in `staffOpenids` and anyone who entered the room
   * as staff. Sorted by id in code-point order. Once the room ended, only what happened before the
   * end counts: the viewers pool is who entered before it, the sharers pool who was credited before it.
   */
  poolCandidates(roomId: string, pool: LotteryPool, staffOpenids: string[]): Promise<string[]>
  /** The room's top `limit` sharers in leaderboard order, staff left out as poolCandidates leaves them out. */
  topSharers(roomId: string, limit: number, staffOpenids: string[]): Promise<string[]>
  /**
   * Records the room's top-3 award, once per room: answers `fresh` when this call's award got in, else
   * the award that did (whatever its coupon), so a second award gives nothing more.
   */
  recordAward(
    roomId: string,
    couponId: string,
    userIds: string[],
    at: Date,
  ): Promise<{ fresh: boolean; couponId: string; userIds: string[] }>
  viewerIds(roomId: string): Promise<string[]>
  createLottery(l: Omit<LotteryRecord, 'id' | 'status' | 'candidates' | 'winnerIds' | 'winnerNames'>): Promise<string>
  lottery(id: string): Promise<LotteryRecord | null>
  /** The room's newest `limit` lotteries, newest first. */
  lotteries(roomId: string, limit: number): Promise<LotteryRecord[]>
  /** committed → drawn with its candidates and winners, only once. */
  markDrawn(id: string, candidates: string[], winnerIds: string[], at: Date): Promise<boolean>
  /** The console's figures, in one query: viewers, comments, credits, paid orders and their GMV. */
  stats(roomId: string): Promise<{ viewers: number; comments: number; credits: number; orders: number; gmvFen: number }>
  shareRecords(
    roomId: string,
  ): Promise<Array<{ sharerId: string; sharerNickname: string; viewerId: string; viewerNickname: string; createdAt: string }>>
}

export interface OutboxMessage {
  id: number
  kind: 'live_start' | 'coupon_expiring'
  openid: string
  payload: { template: string; page: string; data: Record<string, string> }
}

export interface OutboxRepo {
  /** Queues a message once per dedupe key; false when it was queued before. */
  enqueue(kind: OutboxMessage['kind'], userId: string, dedupeKey: string, payload: OutboxMessage['payload']): Promise<boolean>
  /** Locks up to `limit` pending messages, skipping ones another worker holds. */
  claimPending(limit: number): Promise<OutboxMessage[]>
  markSent(id: number, at: Date): Promise<void>
  markFailed(id: number): Promise<void>
  /** Held coupons (available) that expire between `from` and `to`. */
  expiringCoupons(from: Date, to: Date): Promise<Array<{ userCouponId: string; userId: string; title: string; validTo: Date }>>
  /** The sandbox sender's record of a message it would have sent. */
  recordSandbox(msg: { openid: string; template: string; page: string; data: Record<string, string> }): Promise<void>
}
