/** What live rooms need from storage: rooms, their viewers, comments, shares and lotteries, and the outbox of subscribe messages. */
import type { Comment, LotteryPool, LotteryStatus, LotteryView, ProductSummary, RoomStatus, StreamKind } from '../../contract'
import type { OfferedCoupon } from '../coupon/coupon.ports'
import type { Repos } from '../ports'

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

/**
 * What an unchanged poll needs of a room, the same for all its viewers, read in one query
 * (LiveRepo.roomState) and shared by every viewer of the room on a host through the LiveCache.
 */
export interface RoomState {
  room: RoomRecord
  viewerCount: number
  creditCount: number
  lastCommentId: number
  /**
   * The viewers whose own version moved past an entry's first, 1 (their claims, their 预约), by user
   * id; every other viewer's is 1 (one who never entered reads 1 too: nothing of theirs can move).
   */
  viewerVersions: Record<string, number>
  /** The room's latest comments (at most SYNC_COMMENTS, room.rules), oldest first, as stored. */
  comments: Comment[]
  /** The nicknames of the latest entrants (at most ARRIVALS, room.rules), the earliest of them first. */
  entrants: string[]
}

/** What the room view shows the same to every viewer: the room, its shelf's cards (catalog/card.rules productCard), its coupons (no one's claims), its lotteries. */
export interface SharedRoomView {
  room: RoomRecord
  goods: ProductSummary[]
  /** The dropped coupons, newest drop first, as offered to no one (`mine` 0). */
  coupons: OfferedCoupon[]
  lotteries: LotteryView[]
}

/** What the room view shows one viewer alone: whether they subscribed, and their claims of the room's coupons. */
export interface ViewerOwn {
  subscribed: boolean
  /** Claims per coupon id of the coupons dropped in the room (absent: none). */
  mine: Record<string, number>
}

/**
 * The host's cache of rooms for live.sync and live.enter (cloud/adapters/cache/live-cache.ts): each
 * room's state loaded by one query at most every few hundred ms however many viewers poll
 * (concurrent polls share one load), and the shared part of its view built once per room version.
 * Loads run outside the caller's transaction, on repos of their own (autocommitted reads). The
 * edge defers `changed` to after the call's commit.
 */
export interface LiveCache {
  /**
   * The room's state, no older than the cache's time; `load` reads it when it is not. `countsMayLag`
   * (a call that needs the room, not its counts: enter, comment, like): a state whose counts moved
   * since its read (an entry on this host) still serves; a poll reads it again.
   */
  state(roomId: string, load: (repos: Repos) => Promise<RoomState | null>, opts?: { countsMayLag?: boolean }): Promise<RoomState | null>
  /** The shared view of the room at `version` (or newer), no older than the cache's time; `build` makes it when missing. */
  shared(roomId: string, version: number, build: (repos: Repos) => Promise<SharedRoomView | null>): Promise<SharedRoomView | null>
  /**
   * What the view shows `userId` alone in the room, kept per viewer while their own version stays
   * `viewerVersion` and the room's dropped coupons stay among those it was read for (`couponIds`):
   * a room version moving for 10,000 viewers reads no viewer's own part again. `load` reads it when
   * it is not kept (outside the transaction).
   */
  own(
    roomId: string,
    userId: string,
    viewerVersion: number,
    couponIds: readonly string[],
    load: (repos: Repos) => Promise<ViewerOwn>,
  ): Promise<ViewerOwn>
  /**
   * What a committed call changed of these rooms (null: any room): read again at their next poll.
   * `counts` (an entry, a credit): only the state's counts, read again at the next poll; the shared
   * view stays, and calls that need the room alone keep using the state.
   */
  changed(roomIds: readonly string[] | null, what?: 'view' | 'counts'): void
  /**
   * A committed comment or like of the room, merged into its cached state at once (no read): the
   * comment by its id, the like count as the largest seen. Both merges give the same state whatever
   * the order, so a read that raced the write can neither lose nor count it twice.
   */
  counted(roomId: string, what: { comment?: Comment; likeCount?: number }): void
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
  /** Moves the version of every room the coupon was dropped in. */
  touchRoomsOfCoupon(couponId: string): Promise<void>
  /** Moves the version of every room whose shelf holds one of the products (the rooms locked in id order). */
  touchRoomsOfProducts(productIds: string[]): Promise<void>
  /** The room with the caller's version and the polled counts, in one query; null when there is no such room. */
  syncState(roomId: string, userId: string): Promise<SyncState | null>
  /** What every viewer's poll needs of the room, in one query; null when there is no such room. */
  roomState(roomId: string): Promise<RoomState | null>
  /** What the room view shows the user alone (their 预约, their claims of the room's coupons), in one query. */
  viewerOwn(roomId: string, userId: string): Promise<ViewerOwn>
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
  /**
   * A viewer's entry, in one statement: records their first entry (and whether they are staff); when
   * `sharerId` is given and that user exists, the first entry credits them (the share record and
   * the sharer's count in the leaderboard) and every entry refreshes the viewer's last touch of them
   * (share_touches). A viewer credits at most one sharer per room: first entry wins, by the entries'
   * key. Answers whether this was the first entry, whether it credited, and what the room view
   * shows the viewer alone. The caller (core) never passes the viewer as their own sharer.
   */
  enter(
    roomId: string,
    userId: string,
    sharerId: string | null,
    at: Date,
    staff: boolean,
    /** The transaction's last statement, sent with its COMMIT (database.ts lastStatement): nothing may follow it. */
    opts?: { last?: boolean },
  ): Promise<{ first: boolean; credited: boolean; own: ViewerOwn }>
  addComment(roomId: string, userId: string, nickname: string, text: string): Promise<Comment>
  commentsAfter(roomId: string, afterId: number, limit: number): Promise<Comment[]>
  like(roomId: string, n: number): Promise<number>
  /** Adds `n` likes only when the user entered the room, in one statement: the new count, or null when they never entered. */
  likeByViewer(roomId: string, userId: string, n: number): Promise<number | null>
  /** The nickname of the user when they entered the room, else null: one read for a comment. */
  viewerNickname(roomId: string, userId: string): Promise<string | null>
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
