/**
 * The back office, part 2: marketing (coupons, the 9.9 deal, flash sales), live shows with their
 * reports, customers by RFM with grants to a segment, sharers and guides (分销 / 导购). Every action
 * here is an `admin.*` action; which staff roles may run each is in cloud/functions/admin.ts.
 */
import { z } from 'zod'
import { ImageRefOrEmpty } from './catalog'
import { CouponKind, CouponScope } from './coupon'
import { Confirm, Cursor, Fen, Id, Instant, peopleText, PriceFen } from './common'
import { DealStatus, InviteCountsWhen, InviteReason } from './deal'
import { FlashAudience } from './flash'
import { RoomStatus, StreamKind } from './live'
import { AdminOrderRow } from './backoffice'

/** The eight RFM segments: see docs/rules.md (Customers). */
export const Segment = z.enum([
  'important_value',
  'important_develop',
  'important_keep',
  'important_retain',
  'general_value',
  'general_develop',
  'general_keep',
  'general_retain',
])
export type Segment = z.infer<typeof Segment>

// ---------------------------------------------------------------------------------------------
// Coupons
// ---------------------------------------------------------------------------------------------

/**
 * `active`: claimable inside its window; `paused` (暂停发放): not claimable until resumed; `ended`
 * (已结束): not claimable again, by the merchant's 结束 or its window's end. Coupons already held stay
 * usable until their own validity ends in every state.
 */
export const CouponStatus = z.enum(['active', 'paused', 'ended'])
export type CouponStatus = z.infer<typeof CouponStatus>

/** What a coupon did: claims and grants, orders paid with it, their GMV and the discount given. */
export const CouponFigures = z.object({
  /** Coupons handed out: claimed by shoppers plus granted by the shop (admin.issueCoupon, room prizes). */
  claimed: z.number().int(),
  granted: z.number().int(),
  /** Held coupons that paid for an order that is paid and not refunded. */
  used: z.number().int(),
  /** Payable of those orders, net of refunds. */
  gmvFen: Fen,
  /** Their discount from this coupon. */
  discountFen: Fen,
})
export type CouponFigures = z.infer<typeof CouponFigures>

export const AdminCoupon = z.object({
  couponId: Id,
  title: z.string(),
  kind: CouponKind,
  valueFen: Fen.nullable(),
  percentOff: z.number().int().nullable(),
  maxOffFen: Fen.nullable(),
  thresholdFen: Fen,
  /** The rule as the shopper reads it: 满99减10, 无门槛减5, 8.5折 最多减30. */
  ruleText: z.string(),
  scope: CouponScope,
  scopeIds: z.array(Id),
  allowOnSpecial: z.boolean(),
  stock: z.number().int(),
  perUserLimit: z.number().int(),
  validFrom: Instant,
  validTo: Instant,
  validDays: z.number().int().nullable(),
  /** A room-only coupon's room (直播专享), with its title. */
  room: z.object({ roomId: Id, title: z.string() }).nullable(),
  status: CouponStatus,
  figures: CouponFigures,
  createdAt: Instant,
})
export type AdminCoupon = z.infer<typeof AdminCoupon>

/** One admin.issueCoupon grant of a coupon: to whom, how many got it, how many used it. */
export const CouponGrant = z.object({
  grantKey: z.string(),
  /** A segment's name, or null for a chosen list of customers. */
  segment: Segment.nullable(),
  issued: z.number().int(),
  /** Of those issued, how many paid an order with it (paid, not refunded). */
  used: z.number().int(),
  /** Subscribe messages sent (to those who allowed 到券提醒). */
  notified: z.number().int(),
  createdAt: Instant,
  actorName: z.string(),
})
export type CouponGrant = z.infer<typeof CouponGrant>

/**
 * The safe edits of a coupon: its name, stock (never below what was claimed), per-user limit, claim
 * window's end (later than its start) and status. What it takes off (kind, value, percent, cap,
 * threshold, scope) never changes once created: a new coupon is the way to change terms.
 */
export const AdminUpdateCouponInput = z.strictObject(
  {
    couponId: Id,
    title: peopleText({ empty: '请输入优惠券名称', max: 30, tooLong: '优惠券名称最多 30 个字' }).optional(),
    stock: z.number().int().min(0).max(10_000_000).optional(),
    perUserLimit: z.number().int().min(1).max(100).optional(),
    validTo: Instant.optional(),
    confirm: Confirm,
  },
  // Strict: a field that can't change (valueFen, kind, scope…) is refused, never taken silently as an edit.
  { error: (issue) => (issue.code === 'unrecognized_keys' ? '优惠内容创建后不能修改，请新建优惠券' : undefined) },
)
export type AdminUpdateCouponInput = z.infer<typeof AdminUpdateCouponInput>

// ---------------------------------------------------------------------------------------------
// The 9.9 deal
// ---------------------------------------------------------------------------------------------

export const DealFunnel = z.object({
  /** Users who opened the campaign (deal_entries), and of them those new then (who may claim). */
  entered: z.number().int(),
  enteredNew: z.number().int(),
  /** Invite links opened by someone else (every deal.acceptInvite), counted ones, and why the others don't count. */
  invitesSent: z.number().int(),
  invitesCounted: z.number().int(),
  refusals: z.record(InviteReason, z.number().int()),
  /** Deal orders placed and not cancelled; of them paid (not refunded). */
  claims: z.number().int(),
  paid: z.number().int(),
  /** Invite rewards accrued and not reversed: pending (in the refund window) and settled. */
  rewardsPendingFen: Fen,
  rewardsSettledFen: Fen,
})
export type DealFunnel = z.infer<typeof DealFunnel>

export const AdminDealCampaign = z.object({
  campaignId: Id,
  productId: Id,
  skuId: Id,
  title: z.string(),
  cover: z.string(),
  specText: z.string(),
  dealPriceFen: Fen,
  /** The SKU's own price. */
  priceFen: Fen,
  /** The SKU's stock left. */
  stock: z.number().int(),
  baseClaims: z.number().int(),
  extraClaimsPerInvite: z.number().int(),
  maxExtraClaims: z.number().int(),
  inviteCountsWhen: InviteCountsWhen,
  inviteRewardFen: Fen,
  status: DealStatus,
  funnel: DealFunnel,
  createdAt: Instant,
})
export type AdminDealCampaign = z.infer<typeof AdminDealCampaign>

/** Edits apply from now on (orders already placed keep their price; rewards already accrued stay). */
export const AdminUpdateDealInput = z.object({
  campaignId: Id,
  dealPriceFen: PriceFen.min(1).optional(),
  baseClaims: z.number().int().min(0).max(10).optional(),
  extraClaimsPerInvite: z.number().int().min(0).max(10).optional(),
  maxExtraClaims: z.number().int().min(0).max(100).optional(),
  /** Only while nobody has entered the campaign yet. */
  inviteCountsWhen: InviteCountsWhen.optional(),
  inviteRewardFen: PriceFen.optional(),
  status: DealStatus.optional(),
  confirm: Confirm,
})
export type AdminUpdateDealInput = z.infer<typeof AdminUpdateDealInput>

// ---------------------------------------------------------------------------------------------
// Flash sales
// ---------------------------------------------------------------------------------------------

export const FlashState = z.enum(['upcoming', 'active', 'sold_out', 'ended'])
export type FlashState = z.infer<typeof FlashState>

export const AdminFlashSale = z.object({
  flashSaleId: Id,
  productId: Id,
  skuId: Id,
  title: z.string(),
  specText: z.string(),
  cover: z.string(),
  salePriceFen: Fen,
  /** The SKU's own price now. */
  priceFen: Fen,
  stock: z.number().int(),
  /** Units held by orders not cancelled; remaining = stock - sold. */
  sold: z.number().int(),
  /** Units of paid orders (not refunded), and their GMV. */
  paidUnits: z.number().int(),
  gmvFen: Fen,
  perUserLimit: z.number().int(),
  audience: FlashAudience,
  startsAt: Instant,
  endsAt: Instant,
  state: FlashState,
  createdAt: Instant,
})
export type AdminFlashSale = z.infer<typeof AdminFlashSale>

/**
 * Edits of a sale: its price and start only before it starts; stock never below sold; the end later
 * than the start (and not in the past: 结束 is admin.endFlashSale). Refused with the reason: a price not
 * below the SKU's, a window overlapping another sale of the same SKU.
 */
export const AdminUpdateFlashSaleInput = z.object({
  flashSaleId: Id,
  salePriceFen: PriceFen.min(1).optional(),
  stock: z.number().int().min(0).max(1_000_000).optional(),
  perUserLimit: z.number().int().min(1).max(99).optional(),
  audience: FlashAudience.optional(),
  startsAt: Instant.optional(),
  endsAt: Instant.optional(),
  confirm: Confirm,
})
export type AdminUpdateFlashSaleInput = z.infer<typeof AdminUpdateFlashSaleInput>

// ---------------------------------------------------------------------------------------------
// Live shows
// ---------------------------------------------------------------------------------------------

export const AdminRoomRow = z.object({
  roomId: Id,
  title: z.string(),
  status: RoomStatus,
  startsAt: Instant,
  startedAt: Instant.nullable(),
  endedAt: Instant.nullable(),
  poster: z.string(),
  anchorName: z.string(),
  viewers: z.number().int(),
  peakViewers: z.number().int(),
  orders: z.number().int(),
  gmvFen: Fen,
})
export type AdminRoomRow = z.infer<typeof AdminRoomRow>

/** A room as its edit form holds it. */
export const AdminRoom = AdminRoomRow.extend({
  streamKind: StreamKind.nullable(),
  streamUrl: z.string().nullable(),
  replayUrl: z.string().nullable(),
  communityQr: z.string(),
  anchorAvatar: z.string(),
})
export type AdminRoom = z.infer<typeof AdminRoom>

/** Edits of a room: any field while upcoming; the start time only then; the rest also live or after (a replay, a poster). */
export const AdminUpdateLiveRoomInput = z.object({
  roomId: Id,
  title: peopleText({ empty: '请输入直播标题', max: 40, tooLong: '直播标题最多 40 个字' }).optional(),
  startsAt: Instant.optional(),
  streamUrl: z.string().trim().max(500).nullable().optional(),
  streamKind: StreamKind.nullable().optional(),
  replayUrl: z.string().trim().max(500).nullable().optional(),
  poster: ImageRefOrEmpty.optional(),
  communityQr: ImageRefOrEmpty.optional(),
  /** null or '' puts the default back: the shop's own name (好茶小铺), as at creation without one. */
  anchorName: z
    .union([z.null(), z.literal(''), peopleText({ empty: '请输入主播名称', max: 20, tooLong: '主播名称最多 20 个字' })])
    .optional(),
  anchorAvatar: ImageRefOrEmpty.optional(),
})
export type AdminUpdateLiveRoomInput = z.infer<typeof AdminUpdateLiveRoomInput>

/** After (or during) a show: what it did. */
export const RoomReport = z.object({
  room: AdminRoomRow,
  /** Seconds between going live and ending (or now while live); null before it started. */
  durationSec: z.number().int().nullable(),
  viewers: z.number().int(),
  peakViewers: z.number().int(),
  likes: z.number().int(),
  comments: z.number().int(),
  /** Credited invites (share records). */
  credits: z.number().int(),
  /** Orders attributed to the room, paid and not refunded; their buyers and GMV. */
  orders: z.number().int(),
  buyers: z.number().int(),
  gmvFen: Fen,
  /** buyers / viewers, 0..1 (0 without viewers). */
  conversion: z.number().min(0).max(1),
  topSharers: z.array(z.object({ userId: Id, nickname: z.string(), invites: z.number().int(), orders: z.number().int(), gmvFen: Fen })),
  /** Coupons dropped in the room (or room-only): how many were claimed there and used. */
  coupons: z.array(
    z.object({
      couponId: Id,
      title: z.string(),
      ruleText: z.string(),
      claimed: z.number().int(),
      used: z.number().int(),
      discountFen: Fen,
      /** Granted from this room after the show (奖励分享前三名, 给本场观众发券), and how many of those were used. */
      granted: z.number().int(),
      grantedUsed: z.number().int(),
    }),
  ),
  /**
   * Every product sold in a room order or pushed here, with its paid units and GMV from this room;
   * `pushed` false for one sold without being pushed (bought through a card or link of the room).
   * Pushed ones first in push order, then the others by title.
   */
  goods: z.array(z.object({ productId: Id, title: z.string(), units: z.number().int(), gmvFen: Fen, pushed: z.boolean() })),
})
export type RoomReport = z.infer<typeof RoomReport>

// ---------------------------------------------------------------------------------------------
// Customers by RFM
// ---------------------------------------------------------------------------------------------

export const MemberRow = z.object({
  userId: Id,
  nickname: z.string(),
  avatar: z.string().nullable(),
  /** The phone of the customer's default (else newest) address, masked 138****0000; null without one. */
  phone: z.string().nullable(),
  /** Whole days since the last paid order (not refunded); null without one. */
  recencyDays: z.number().int().nullable(),
  /** Paid orders not refunded. */
  orders: z.number().int(),
  /** What they paid, net of refunds. */
  spentFen: Fen,
  lastPaidAt: Instant.nullable(),
  /** Null for customers with no paid order. */
  segment: Segment.nullable(),
  joinedAt: Instant,
})
export type MemberRow = z.infer<typeof MemberRow>

export const MembersInput = z.object({
  segment: Segment.optional(),
  /** A nickname's part, or a phone's digits (at least 4). */
  q: z.string().trim().max(30).optional(),
  /** 'recent' (last paid first, the default), 'spent', 'orders', 'joined'. */
  sort: z.enum(['recent', 'spent', 'orders', 'joined']).optional(),
  cursor: Cursor.nullish(),
})
export type MembersInput = z.infer<typeof MembersInput>

export const SegmentsOutput = z.object({
  /** Customers in each segment. */
  counts: z.record(Segment, z.number().int()),
  /** Customers with at least one paid order, and users with none. */
  customers: z.number().int(),
  withoutOrders: z.number().int(),
  /** The shop's averages the segments compare against. */
  averages: z.object({ recencyDays: z.number(), orders: z.number(), spentFen: z.number() }),
  /** When the figures were computed (they may be a few minutes old in a large shop). */
  computedAt: Instant,
})
export type SegmentsOutput = z.infer<typeof SegmentsOutput>

export const MemberDetail = z.object({
  member: MemberRow,
  /** Where they came from: the room of their first entry, and the sharer who brought them. */
  source: z.object({
    room: z.object({ roomId: Id, title: z.string() }).nullable(),
    sharer: z.object({ userId: Id, nickname: z.string() }).nullable(),
  }),
  orders: z.array(AdminOrderRow),
  coupons: z.array(
    z.object({
      title: z.string(),
      ruleText: z.string(),
      status: z.enum(['available', 'locked', 'used', 'expired']),
      claimedAt: Instant,
      validTo: Instant,
    }),
  ),
  /** Friends they brought: credited room invites and deal invites counted. */
  invites: z.object({ room: z.number().int(), deal: z.number().int() }),
  earnings: z.object({ pendingFen: z.number().int(), settledFen: z.number().int(), withdrawnFen: Fen }),
  /** Whether a 到券提醒 subscribe message can be sent to them now. */
  notifiable: z.boolean(),
})
export type MemberDetail = z.infer<typeof MemberDetail>

/**
 * Grants a coupon to a segment or to chosen customers: one coupon per customer and grant key (the
 * same key again gives nothing more, however often and concurrently sent), outside the coupon's claim
 * stock and per-user limit. Customers who allowed 到券提醒 get a subscribe message.
 */
export const AdminIssueCouponInput = z
  .object({
    couponId: Id,
    userIds: z.array(Id).min(1).max(1000).optional(),
    segment: Segment.optional(),
    /** One grant per customer and key (the console makes one per 发放). */
    grantKey: z.string().trim().min(1).max(64),
  })
  .refine((i) => (i.userIds === undefined) !== (i.segment === undefined), {
    message: '请选择客户分群或指定客户（二选一）',
    path: ['segment'],
  })
export type AdminIssueCouponInput = z.infer<typeof AdminIssueCouponInput>

// ---------------------------------------------------------------------------------------------
// Sharers and guides (分销 / 导购)
// ---------------------------------------------------------------------------------------------

export const SharerRange = z.enum(['7d', '30d', '90d', 'all'])
export type SharerRange = z.infer<typeof SharerRange>

export const SharerRow = z.object({
  userId: Id,
  nickname: z.string(),
  /** A staff member acting as 导购 (their role), or null for a shopper. */
  staffRole: z.string().nullable(),
  /** Orders attributed to them, paid in the range and not refunded; their GMV; the commission on them. */
  orders: z.number().int(),
  gmvFen: Fen,
  commissionFen: Fen,
  /** Distinct buyers of those orders. */
  customers: z.number().int(),
})
export type SharerRow = z.infer<typeof SharerRow>

export const SharersInput = z.object({
  range: SharerRange,
  sort: z.enum(['orders', 'gmv', 'commission']).optional(),
  /** Only staff acting as guides. */
  guidesOnly: z.boolean().optional(),
  cursor: Cursor.nullish(),
})
export type SharersInput = z.infer<typeof SharersInput>

/** A staff member's guide (导购) code: a mini-program code that opens the mall with them as the sharer. */
export const GuideCode = z.object({
  userId: Id,
  nickname: z.string(),
  /** An image URL (a mini-program code in production, a QR code locally). */
  code: z.string(),
  /** The page path it opens. */
  path: z.string(),
  /** Their figures over the last 30 days, as admin.sharers counts them. */
  figures: SharerRow,
})
export type GuideCode = z.infer<typeof GuideCode>

// ---------------------------------------------------------------------------------------------
// The actions
// ---------------------------------------------------------------------------------------------

export const operationsActions = {
  // coupons
  coupons: {
    input: z.object({ status: CouponStatus.optional(), roomOnly: z.boolean().optional(), cursor: Cursor.nullish() }),
    output: z.object({ items: z.array(AdminCoupon), nextCursor: Cursor.nullable() }),
  },
  coupon: { input: z.object({ couponId: Id }), output: z.object({ coupon: AdminCoupon, grants: z.array(CouponGrant) }) },
  updateCoupon: { input: AdminUpdateCouponInput, output: z.object({ coupon: AdminCoupon }) },
  /** 暂停 / 恢复 / 结束; an ended coupon is never resumed (COUPON_ENDED). */
  setCouponStatus: { input: z.object({ couponId: Id, status: CouponStatus }), output: z.object({ coupon: AdminCoupon }) },
  // the 9.9 deal
  dealCampaigns: { input: z.object({}), output: z.object({ items: z.array(AdminDealCampaign) }) },
  dealCampaign: { input: z.object({ campaignId: Id }), output: z.object({ campaign: AdminDealCampaign }) },
  updateDealCampaign: { input: AdminUpdateDealInput, output: z.object({ campaign: AdminDealCampaign }) },
  // flash sales
  flashSales: {
    input: z.object({ state: FlashState.optional(), cursor: Cursor.nullish() }),
    output: z.object({ items: z.array(AdminFlashSale), nextCursor: Cursor.nullable(), serverTime: Instant }),
  },
  updateFlashSale: { input: AdminUpdateFlashSaleInput, output: z.object({ flashSale: AdminFlashSale }) },
  /** Ends a sale now (upcoming or active); its unsold units simply stop selling. */
  endFlashSale: { input: z.object({ flashSaleId: Id }), output: z.object({ flashSale: AdminFlashSale }) },
  // live shows
  liveRooms: {
    input: z.object({ status: RoomStatus.optional(), cursor: Cursor.nullish() }),
    output: z.object({ items: z.array(AdminRoomRow), nextCursor: Cursor.nullable() }),
  },
  liveRoom: { input: z.object({ roomId: Id }), output: z.object({ room: AdminRoom }) },
  updateLiveRoom: { input: AdminUpdateLiveRoomInput, output: z.object({ room: AdminRoom }) },
  roomReport: { input: z.object({ roomId: Id }), output: RoomReport },
  // customers
  members: { input: MembersInput, output: z.object({ items: z.array(MemberRow), nextCursor: Cursor.nullable(), computedAt: Instant }) },
  segments: { input: z.object({}), output: SegmentsOutput },
  member: { input: z.object({ userId: Id }), output: MemberDetail },
  // sharers and guides
  sharers: { input: SharersInput, output: z.object({ items: z.array(SharerRow), nextCursor: Cursor.nullable() }) },
  /** The caller's own guide code (any staff member), or, for the owner, a staff member's by userId. */
  guideCode: { input: z.object({ userId: Id.optional() }), output: GuideCode },
}
