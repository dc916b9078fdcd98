/**
 * What the core needs from storage, as interfaces. cloud/db implements them on PostgreSQL, bound
 * to the transaction of one call.
 */
import type { CouponTerms } from './coupon/coupon.rules'
import type {
  Address,
  AddressSaveInput,
  Banner,
  Category,
  Comment,
  EarningsBucket,
  EarningsEntryKind,
  EarningsKind,
  FlashAudience,
  InviteCountsWhen,
  LotteryPool,
  LotteryStatus,
  RoomStatus,
  StreamKind,
  NewSku,
  OrderStatus,
  OrderView,
  PaymentParams,
  ProductDetail,
  ProductSummary,
  SpecGroup,
} from '../contract'

export interface UserRecord {
  id: string
  openid: string
  nickname: string
}

export interface UserRepo {
  /** Creates the user on first sight; a nickname given later replaces the stored one. */
  upsertByOpenid(openid: string, nickname: string | null): Promise<UserRecord>
  byId(id: string): Promise<UserRecord | null>
  /** A new customer has no paid order other than new-user deal orders (business rules). */
  isNewCustomer(userId: string): Promise<boolean>
}

export interface SessionRepo {
  create(tokenHash: string, userId: string, expiresAt: Date): Promise<void>
  /** The user of a live session, or null when unknown or expired at `now`. */
  userOf(tokenHash: string, now: Date): Promise<UserRecord | null>
  /** Deletes sessions expired before `now` (the retention job); how many. */
  pruneExpired(now: Date): Promise<number>
}

export interface NewProduct {
  title: string
  subtitle: string
  description: string
  commissionRate: number
  categoryId: string | null
  images: string[]
  specGroups: SpecGroup[]
  /** At least one; a product without specs has one SKU with specs {}. */
  skus: NewSku[]
}

export interface CatalogRepo {
  /** On-sale products, newest first, strictly older than `beforeSeq` when given. */
  page(opts: { beforeSeq: number | null; categoryId: string | null; limit: number }): Promise<Array<ProductSummary & { seq: number }>>
  product(id: string): Promise<ProductDetail | null>
  /** On-sale products by id, in the order of `ids`. */
  summaries(ids: string[]): Promise<ProductSummary[]>
  categories(): Promise<Category[]>
  categoryExists(id: string): Promise<boolean>
  banners(): Promise<Banner[]>
  latestDealCampaign(): Promise<string | null>
  createProduct(p: NewProduct): Promise<string>
}

/** A SKU as pricing and stock checks see it. */
export interface SkuRecord {
  id: string
  productId: string
  title: string
  specText: string
  cover: string
  priceFen: number
  stock: number
  onSale: boolean
  categoryId: string | null
}

export interface CartLineRecord extends SkuRecord {
  qty: number
  selected: boolean
}

export interface CartRepo {
  lines(userId: string): Promise<CartLineRecord[]>
  /** Adds `qty` to the line (creating it), capped at 999. */
  add(userId: string, skuId: string, qty: number): Promise<void>
  setQty(userId: string, skuId: string, qty: number): Promise<boolean>
  setSelected(userId: string, skuIds: string[], selected: boolean): Promise<void>
  remove(userId: string, skuIds: string[]): Promise<void>
}

export interface AddressRepo {
  list(userId: string): Promise<Address[]>
  byId(userId: string, id: string): Promise<Address | null>
  /**
   * Updates the user's address `input.id`, or adds one only while the user has fewer than `max`
   * (counted under the user's lock, so racing saves can't pass it); null when neither applied.
   */
  save(userId: string, input: AddressSaveInput, max: number): Promise<Address | null>
  remove(userId: string, id: string): Promise<void>
}

export interface NewOrder {
  userId: string
  idempotencyKey: string
  goodsFen: number
  discountFen: number
  payableFen: number
  address: Omit<Address, 'id' | 'isDefault'> | null
  note: string
  sharerId: string | null
  roomId: string | null
  payDeadline: Date
  userCouponId: string | null
  flashSaleId: string | null
  kind: 'normal' | 'deal'
  dealCampaignId: string | null
}

export interface NewOrderItem {
  /** This line's share of the order discount. */
  discountFen: number
  skuId: string
  productId: string
  title: string
  specText: string
  cover: string
  unitPriceFen: number
  qty: number
}

/** An order with its owner, for rules that need more than the view. */
export interface OrderRecord extends OrderView {
  userId: string
}

export interface OrderRepo {
  /** SKUs by id, and the only SKU of each given product that has exactly one. */
  skus(skuIds: string[]): Promise<SkuRecord[]>
  singleSkuOf(productIds: string[]): Promise<Map<string, string>>
  /** Inserts the order unless the user already used the key; null then. */
  insert(order: NewOrder): Promise<string | null>
  idOfKey(userId: string, idempotencyKey: string): Promise<string | null>
  insertItems(orderId: string, items: NewOrderItem[]): Promise<void>
  /** Takes `qty` off the SKU's stock only if that much is there. */
  reserveStock(skuId: string, qty: number): Promise<boolean>
  /** Gives every line's quantity back to its SKU. */
  releaseStock(orderId: string): Promise<void>
  get(orderId: string): Promise<OrderRecord | null>
  /**
   * Moves the order to `to` only from one of `from` (and only the owner's, when `userId` is given):
   * the one conditional update every status change goes through. Null when it did not apply.
   */
  transition(
    orderId: string,
    from: readonly OrderStatus[],
    to: OrderStatus,
    at: Date,
    opts?: { userId?: string; reason?: string },
  ): Promise<OrderRecord | null>
  /** A rejected refund request: back to the status it was requested from. */
  restoreAfterRefundRequest(orderId: string): Promise<OrderRecord | null>
  list(
    userId: string,
    statuses: readonly OrderStatus[] | null,
    beforeSeq: number | null,
    limit: number,
  ): Promise<Array<OrderRecord & { seq: number }>>
  counts(userId: string): Promise<Record<OrderStatus, number>>
  /**
   * The user's unpaid orders, counted under a lock on the user's row: one user's orders are placed
   * one at a time, so racing orders can't pass a limit on this count.
   */
  pendingCountLocked(userId: string): Promise<number>
  /** Up to `limit` unpaid orders past their deadline, the oldest first. */
  expiredIds(now: Date, limit: number): Promise<string[]>
}

export interface ShareRepo {
  userExists(userId: string): Promise<boolean>
  recordTouch(userId: string, sharerId: string, roomId: string | null, at: Date): Promise<void>
  /** The sharer of the user's most recent touch at or after `since`. */
  lastSharer(userId: string, since: Date): Promise<string | null>
}

export interface PaymentRecord {
  orderId: string
  provider: string
  transactionId: string
  amountFen: number
  status: 'paid' | 'refunded'
}

export interface PaymentRepo {
  /** Records the order's one payment; false when it already has one. */
  insert(p: PaymentRecord & { paidAt: Date; raw: unknown }): Promise<boolean>
  byOrder(orderId: string): Promise<PaymentRecord | null>
  /**
   * Keeps a refused notify for inspection, bounded: its body cut to a few KB, and only while the
   * bucket of the provider's rejections for that reason (`NOTIFY_REJECTIONS`, cloud/core/limits.ts)
   * has a token, so a flood of forged notifies stores at most the burst and the rate. False when it
   * was not stored.
   */
  logRejection(provider: string, reason: string, body: unknown): Promise<boolean>
  /** Deletes rejections received before `before` (the retention job); how many. */
  pruneRejections(before: Date): Promise<number>
  /**
   * Records the refund of one payment (the order's own, a second payment, money after a cancel)
   * before the provider is asked; false when that payment was refunded already.
   */
  claimRefund(r: { orderId: string; transactionId: string; amountFen: number }): Promise<boolean>
  setProviderRefundId(transactionId: string, providerRefundId: string): Promise<void>
}

/** A coupon template's terms and limits. */
export interface CouponRecord extends CouponTerms {
  id: string
  title: string
  stock: number
  claimed: number
  perUserLimit: number
  validFrom: Date
  validTo: Date
  validDays: number | null
  allowOnSpecial: boolean
}

/** A coupon a user holds, with its template's terms. */
export interface UserCouponRecord {
  id: string
  status: 'available' | 'locked' | 'used'
  validFrom: Date
  validTo: Date
  orderId: string | null
  coupon: CouponRecord
}

export interface CouponRepo {
  create(c: Omit<CouponRecord, 'id' | 'claimed'>): Promise<string>
  get(couponId: string): Promise<CouponRecord | null>
  /** Templates by id with how many the user has claimed, in the order of `ids`. */
  byIds(userId: string, ids: string[]): Promise<Array<CouponRecord & { mine: number }>>
  /** Templates not yet ended at `now`, each with how many the user has claimed; only those applying to `productId` when given. */
  listClaimable(userId: string, now: Date, productId: string | null): Promise<Array<CouponRecord & { mine: number }>>
  /**
   * Counts one more claim for the user only while under `limit` and, in the same statement, gives
   * them the coupon; null when they are at the limit.
   */
  claimForUser(c: { couponId: string; userId: string; limit: number; validFrom: Date; validTo: Date }): Promise<string | null>
  /** Takes one from the template's stock only while some is left and the window is open. */
  takeStock(couponId: string, now: Date): Promise<boolean>
  insertUserCoupon(c: { couponId: string; userId: string; validFrom: Date; validTo: Date; grantKey: string | null }): Promise<string | null>
  held(userId: string): Promise<UserCouponRecord[]>
  heldOne(userCouponId: string, userId: string): Promise<UserCouponRecord | null>
  /** available → locked by the order, only if still available and valid at `now`. */
  lock(userCouponId: string, userId: string, orderId: string, now: Date): Promise<boolean>
  /** The order's coupon: locked → used. */
  markUsed(orderId: string, at: Date): Promise<void>
  /** The order's coupon back to available (cancel, timeout, refund). */
  release(orderId: string): Promise<void>
}

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
}

export interface LiveRepo {
  createRoom(r: NewRoom): Promise<string>
  room(roomId: string): Promise<RoomRecord | null>
  listRooms(userId: string): Promise<Array<RoomRecord & { viewerCount: number; subscribed: boolean }>>
  /** Moves the room from `from` to `to` (stamping the time) only if it is still in `from`. */
  setStatus(roomId: string, from: RoomStatus, to: RoomStatus, at: Date): Promise<RoomRecord | null>
  pushGoods(roomId: string, productId: string): Promise<void>
  goodsIds(roomId: string): Promise<string[]>
  dropCoupon(roomId: string, couponId: string): Promise<void>
  couponIds(roomId: string): Promise<string[]>
  /** The statuses of the rooms a coupon was dropped in (empty when it is not a room coupon). */
  roomStatusesOfCoupon(couponId: string): Promise<RoomStatus[]>
  /** Whether the user has entered the room (an order may name only such a room). */
  entered(roomId: string, userId: string): Promise<boolean>
  /** Records the viewer's first entry; false when they had entered before. */
  enter(roomId: string, userId: string, sharerId: string | null, at: Date): Promise<boolean>
  /** Keeps the share record and moves the sharer's count in the leaderboard, in this transaction. */
  credit(roomId: string, viewerId: string, sharerId: string, at: Date): Promise<void>
  viewerCount(roomId: string): Promise<number>
  creditCount(roomId: string): Promise<number>
  addComment(roomId: string, userId: string, nickname: string, text: string): Promise<Comment>
  commentsAfter(roomId: string, afterId: number, limit: number): Promise<Comment[]>
  lastCommentId(roomId: string): Promise<number>
  like(roomId: string, n: number): Promise<number>
  subscribe(roomId: string, userId: string): Promise<void>
  subscribers(roomId: string): Promise<Array<{ userId: string; openid: string }>>
  leaderboard(roomId: string, limit: number): Promise<Array<{ userId: string; nickname: string; invites: number }>>
  rankOf(roomId: string, userId: string): Promise<{ rank: number | null; invites: number }>
  /** Everyone in a lottery pool of the room (sharers with a credited invite, or viewers who entered), with their openids. */
  poolMembers(roomId: string, pool: LotteryPool): Promise<Array<{ id: string; openid: string }>>
  viewerIds(roomId: string): Promise<string[]>
  createLottery(l: Omit<LotteryRecord, 'id' | 'status' | 'candidates' | 'winnerIds'>): Promise<string>
  lottery(id: string): Promise<LotteryRecord | null>
  lotteries(roomId: string): Promise<LotteryRecord[]>
  /** committed → drawn with its candidates and winners, only once. */
  markDrawn(id: string, candidates: string[], winnerIds: string[], at: Date): Promise<boolean>
  orderStats(roomId: string): Promise<{ orders: number; gmvFen: number }>
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

export interface FlashSaleRecord {
  id: string
  productId: string
  skuId: string
  title: string
  specText: string
  cover: string
  salePriceFen: number
  priceFen: number
  stock: number
  sold: number
  perUserLimit: number
  audience: FlashAudience
  startsAt: Date
  endsAt: Date
}

export interface FlashSaleRepo {
  create(f: {
    productId: string
    skuId: string
    salePriceFen: number
    stock: number
    perUserLimit: number
    audience: FlashAudience
    startsAt: Date
    endsAt: Date
  }): Promise<string>
  get(id: string): Promise<FlashSaleRecord | null>
  /** Sales not ended at `now`, the soonest first. */
  open(now: Date): Promise<FlashSaleRecord[]>
  /** Counts `qty` more units for the user only while within `limit`. */
  countBuyer(id: string, userId: string, qty: number, limit: number): Promise<boolean>
  /** Sells `qty` units only while they are left and the sale is on at `now`. */
  sell(id: string, qty: number, now: Date): Promise<boolean>
  /** Gives an order's units back to its sale and its buyer (cancel, timeout, refund). */
  release(orderId: string): Promise<void>
}

export interface DealCampaignRecord {
  id: string
  productId: string
  skuId: string
  title: string
  cover: string
  dealPriceFen: number
  listPriceFen: number
  stock: number
  baseClaims: number
  extraClaimsPerInvite: number
  maxExtraClaims: number
  inviteCountsWhen: InviteCountsWhen
  inviteRewardFen: number
}

export interface DealRepo {
  create(c: Omit<DealCampaignRecord, 'id' | 'title' | 'cover' | 'listPriceFen' | 'stock'>): Promise<string>
  get(id: string): Promise<DealCampaignRecord | null>
  entry(campaignId: string, userId: string): Promise<{ wasNew: boolean } | null>
  /** The user's first touch of the campaign; false when they had entered before. */
  enter(campaignId: string, userId: string, wasNew: boolean): Promise<boolean>
  /** The invite of `inviteeId`; false when someone's invite of them exists already. */
  addInvite(campaignId: string, inviteeId: string, inviterId: string, rewardable: boolean): Promise<boolean>
  /** Invites by `inviterId` that count: all of them, or (paid mode) those whose invitee paid a deal order. */
  countedInvites(campaign: DealCampaignRecord, inviterId: string): Promise<number>
  /** Everyone who opened the inviter's link: counted invites, ones waiting for payment, and refused ones with their reason. */
  invitesBy(
    campaign: DealCampaignRecord,
    inviterId: string,
  ): Promise<Array<{ nickname: string; counted: boolean; reason: string | null; acceptedAt: string }>>
  recordRefusal(campaignId: string, inviteeId: string, inviterId: string, reason: string): Promise<void>
  /** Uses one more claim only while under `allowed`. */
  useClaim(campaignId: string, userId: string, allowed: number): Promise<boolean>
  claimsUsed(campaignId: string, userId: string): Promise<number>
  /** A cancelled deal order gives its claim back. */
  releaseClaim(orderId: string): Promise<void>
}

export interface EarningsRepo {
  /** Accrues the order's sharer commission and, for a deal order, its inviter's reward (once per invite). */
  accrue(orderId: string): Promise<void>
  /** Settles what orders paid before `paidBefore` (not refunded or being refunded) still hold pending. */
  settle(paidBefore: Date): Promise<number>
  /**
   * Takes back what a refunded order earned anyone, once: what is still pending is reversed, what
   * already settled is clawed back from the settled balance. Serialised with \`settle\` on the accruals.
   */
  takeBack(orderId: string): Promise<void>
  mine(userId: string): Promise<{
    pendingFen: number
    settledFen: number
    entries: Array<{
      orderId: string
      kind: EarningsKind
      entry: EarningsEntryKind
      bucket: EarningsBucket
      amountFen: number
      createdAt: string
    }>
  }>
}

/** The invite poster's code: a mini-program code (wxacode.getUnlimited) or, locally, a QR code. */
export interface PosterCodes {
  /** An image for `page` opened with `scene` (at most 32 characters). */
  codeFor(page: string, scene: string): Promise<string>
}

/** WeChat's user risk rank for marketing fraud (0-4), or a sandbox told the level by tests. */
export interface RiskChecker {
  level(openid: string): Promise<number>
}

export interface SettingsRepo {
  /** The stored value, or `make()` stored once (racing first calls agree on one value). */
  getOrCreate(key: string, make: () => string): Promise<string>
}

/** How fast a bucket refills and how much it holds: the rule of one rate limit (cloud/core/limits.ts). */
export interface RateRule {
  perSecond: number
  burst: number
}

/**
 * Token buckets held by the database, so a limit holds across every running copy of the backend.
 * Its statements run on connections of their own, outside the call's transaction: a token taken
 * stays taken when the call is then refused and rolled back (a comment the content check refuses
 * still costs one, or the check itself could be hammered), and no call holds a bucket's row lock
 * while it does the rest of its work.
 */
export interface LimitRepo {
  /** Takes up to `want` tokens from the bucket `key` (created full); how many it got, 0..want. */
  take(key: string, want: number, rule: RateRule, at: Date): Promise<number>
  /** Deletes buckets that are full again at `at` (no different from no bucket); how many. */
  prune(at: Date): Promise<number>
}

export interface Repos {
  users: UserRepo
  sessions: SessionRepo
  catalog: CatalogRepo
  cart: CartRepo
  addresses: AddressRepo
  orders: OrderRepo
  shares: ShareRepo
  payments: PaymentRepo
  settings: SettingsRepo
  coupons: CouponRepo
  live: LiveRepo
  outbox: OutboxRepo
  flash: FlashSaleRepo
  deals: DealRepo
  earnings: EarningsRepo
  limits: LimitRepo
}

/** WeChat subscribe messages through CloudBase, or the local sandbox that records them. */
export interface NotificationSender {
  send(msg: { openid: string; template: string; page: string; data: Record<string, string> }): Promise<void>
}

/** WeChat's msgSecCheck through CloudBase, or a local keyword filter. */
export interface ContentChecker {
  /** True when the text may be shown. */
  check(text: string, openid: string): Promise<boolean>
}

/** WeChat Pay through CloudBase, or the local sandbox: both behave like a payment provider. */
export interface PaymentProvider {
  readonly name: 'sandbox' | 'wechat'
  /** What the client needs to pay this order. */
  prepare(p: { orderId: string; amountFen: number; description: string; openid: string }): Promise<PaymentParams>
  /** Gives the money of a paid order back. */
  refund(p: { orderId: string; transactionId: string; amountFen: number; refundFen: number }): Promise<{ refundId: string }>
}

/** Why WeChat refused a wx.login code (code2Session errcodes 40029, 40163, 45011, 40226). */
export type LoginRefusal = 'INVALID_CODE' | 'CODE_USED' | 'RATE_LIMITED' | 'BLOCKED'

/**
 * WeChat's code2Session: the OPENID a wx.login code stands for (self-hosted), or the local sandbox
 * that mints such codes. Throws when WeChat cannot answer (network, busy, unexpected errcode).
 */
export interface LoginProvider {
  code2Session(code: string): Promise<{ ok: true; openid: string } | { ok: false; reason: LoginRefusal }>
}
