/** 拼团 (group buys): the shopper's `group` function and the console's group desk (spread into admin). */
import { z } from 'zod'
import { AddressRef, Cursor, Fen, Id, IdempotencyKey, Instant, PriceFen, catalogText } from './common'
import { CheckoutCoupon } from './coupon'
import { OrderPreviewOutput, OrderStatus } from './order'

/** What a group that runs out of time becomes: its paid members refunded (failed), or 成团 as it is. */
export const GroupOnExpiry = z.enum(['refund', 'complete'])
export type GroupOnExpiry = z.infer<typeof GroupOnExpiry>

/**
 * A campaign opens groups and takes joiners only while `active` and inside its window; `ended` is for
 * good (admin.endGroupCampaign): no edit after it.
 */
export const GroupCampaignStatus = z.enum(['active', 'paused', 'ended'])
export type GroupCampaignStatus = z.infer<typeof GroupCampaignStatus>

/**
 * pending (the leader's order unpaid: nobody sees or joins it) → forming (the clock runs) →
 * succeeded (拼团成功) | failed (拼团失败: refunded); cancelled (the leader's order cancelled while pending).
 */
export const GroupStatus = z.enum(['pending', 'forming', 'succeeded', 'failed', 'cancelled'])
export type GroupStatus = z.infer<typeof GroupStatus>

export const GroupCampaignView = z.object({
  campaignId: Id,
  title: z.string(),
  productId: Id,
  skuId: Id,
  productTitle: z.string(),
  specText: z.string(),
  cover: z.string(),
  groupPriceFen: Fen,
  /** The SKU's regular price. */
  priceFen: Fen,
  groupSize: z.number().int(),
  groupHours: z.number().int(),
  startsAt: Instant,
  endsAt: Instant,
  onExpiry: GroupOnExpiry,
  status: GroupCampaignStatus,
  /** Active and inside its window now (the server's clock): groups can be opened and joined. */
  open: z.boolean(),
})
export type GroupCampaignView = z.infer<typeof GroupCampaignView>

/** A member as group pages show them: the nickname masked (团长阿花 → 团**花, 茶友 → 茶*: room.rules maskHead), the avatar. */
export const GroupMember = z.object({
  nickname: z.string(),
  avatar: z.string(),
  leader: z.boolean(),
  paid: z.boolean(),
  /** Paid, then refunded after the group ended (a failed group's members). */
  refunded: z.boolean(),
})
export type GroupMember = z.infer<typeof GroupMember>

/** An open group one can join (the campaign page): forming, seats left, not past its time. */
export const OpenGroup = z.object({
  groupId: Id,
  members: z.array(GroupMember),
  seatsLeft: z.number().int(),
  expiresAt: Instant,
  /** The caller holds a seat in it (the page marks it 我的团 → 查看). */
  mine: z.boolean(),
})
export type OpenGroup = z.infer<typeof OpenGroup>

export const GroupView = z.object({
  groupId: Id,
  campaign: GroupCampaignView,
  status: GroupStatus,
  size: z.number().int(),
  /** The group's own price (the campaign's when it opened). */
  groupPriceFen: Fen,
  /** Members holding seats (paid first, the leader first of all); once ended, those who paid (refunded ones marked). */
  members: z.array(GroupMember),
  /** Seats nobody holds (0 once the group ended). */
  seatsLeft: z.number().int(),
  /** Seats held by members who have not paid yet (0 once the group ended): 等待N人支付 when no seat is left. */
  awaitingPayment: z.number().int(),
  /** Forming, but past expiresAt by the server's clock: nothing can be paid or joined any more (the job ends it). */
  timeUp: z.boolean(),
  /** null while pending (the clock starts when the leader pays). */
  expiresAt: Instant.nullable(),
  endedAt: Instant.nullable(),
  /** The caller's own seat in this group (their newest), if any. */
  mine: z.object({ orderId: Id, orderStatus: OrderStatus, leader: z.boolean(), paid: z.boolean(), payableFen: Fen }).nullable(),
  /** Whether the caller could join now (forming, a seat left, the campaign open, no seat of theirs here or in another group of the campaign). */
  canJoin: z.boolean(),
  /** The caller holds an unfinished seat in another group of this campaign (one per person and campaign): 你已在该活动的另一个团中. */
  inAnotherGroup: z.boolean(),
  serverTime: Instant,
})
export type GroupView = z.infer<typeof GroupView>

const Checkout = {
  addressId: AddressRef,
  /** Made once per checkout page: repeated submits make one order and hold one seat. */
  idempotencyKey: IdempotencyKey,
  userCouponId: Id.optional(),
  note: z.string().trim().max(200).optional(),
}
export const GroupOrderOutput = z.object({ orderId: Id, payableFen: Fen, groupId: Id })

export const groupActions = {
  /** The campaigns open now; with `productId`, that product's (the product page asks). */
  campaigns: {
    input: z.object({ productId: Id.optional() }),
    output: z.object({ items: z.array(GroupCampaignView), serverTime: Instant }),
  },
  /** One campaign with the groups one can join, fullest first. */
  campaign: {
    input: z.object({ campaignId: Id }),
    output: z.object({
      campaign: GroupCampaignView,
      groups: z.array(OpenGroup),
      /** The group where the caller holds an unfinished seat in this campaign (one at most), else null: 查看我的团. */
      myGroupId: Id.nullable(),
      serverTime: Instant,
    }),
  },
  /** One group as its page shows it. A pending group is shown only to its leader. */
  get: { input: z.object({ groupId: Id }), output: GroupView },
  /**
   * The group order as checkout shows it: the SKU at the group price (a special line: only coupons
   * allowed on special lines apply), and the held coupons priced for it. `campaignId` to open a
   * group, `groupId` to join one.
   */
  preview: {
    input: z
      .object({ campaignId: Id.optional(), groupId: Id.optional(), userCouponId: Id.optional() })
      .refine((p) => (p.campaignId === undefined) !== (p.groupId === undefined), {
        message: '请指定活动或拼团',
        path: ['campaignId'],
      }),
    output: OrderPreviewOutput.extend({ coupons: z.array(CheckoutCoupon), bestId: Id.nullable() }),
  },
  /** Opens a group: the caller's group order (paid then as any order) and the group holding their seat. */
  open: { input: z.object({ campaignId: Id, ...Checkout }), output: GroupOrderOutput },
  /** Joins a forming group: a group order holding one seat, refused before paying when the group is full. */
  join: { input: z.object({ groupId: Id, ...Checkout }), output: GroupOrderOutput },
}

// ---------------------------------------------------------------------------------------------
// The console's group desk (营销 › 拼团)
// ---------------------------------------------------------------------------------------------

export const GroupCampaignTitle = catalogText({ empty: null, max: 40, tooLong: '活动名称最多 40 个字' })

/** A campaign with its results, exact from the stored facts. */
export const AdminGroupCampaign = GroupCampaignView.extend({
  stock: z.number().int(),
  createdAt: Instant,
  /** Groups whose leader paid (forming, succeeded or failed). */
  groupsOpened: z.number().int(),
  groupsSucceeded: z.number().int(),
  groupsFailed: z.number().int(),
  groupsForming: z.number().int(),
  /** Members who paid (refunded ones included: they paid). */
  membersPaid: z.number().int(),
  /** What paid group orders brought in, less what was refunded of them. */
  gmvFen: z.number().int(),
  refundedFen: z.number().int(),
  /** Succeeded over ended groups (succeeded + failed); null before any ended. */
  successRate: z.number().nullable(),
  /** Price and size change only before any group opened. */
  locked: z.boolean(),
  /** When the merchant ended it (status `ended`); null otherwise. */
  endedAt: Instant.nullable(),
})
export type AdminGroupCampaign = z.infer<typeof AdminGroupCampaign>

export const AdminGroupRow = z.object({
  groupId: Id,
  status: GroupStatus,
  size: z.number().int(),
  held: z.number().int(),
  paid: z.number().int(),
  leader: z.string(),
  members: z.array(
    z.object({
      userId: Id,
      nickname: z.string(),
      leader: z.boolean(),
      /** held (unpaid) / paid / left (seat freed) / refunded. */
      seat: z.enum(['held', 'paid', 'left', 'refunded']),
      orderId: Id,
    }),
  ),
  openedAt: Instant,
  expiresAt: Instant.nullable(),
  endedAt: Instant.nullable(),
})
export type AdminGroupRow = z.infer<typeof AdminGroupRow>

export const AdminCreateGroupCampaignInput = z
  .object({
    title: GroupCampaignTitle.optional(),
    productId: Id,
    /** Required when the product has more than one SKU. */
    skuId: Id.optional(),
    groupPriceFen: PriceFen.min(1),
    groupSize: z.number().int().min(2, '成团人数须为 2-10 人').max(10, '成团人数须为 2-10 人'),
    groupHours: z.number().int().min(1, '成团时限须为 1-72 小时').max(72, '成团时限须为 1-72 小时'),
    startsAt: Instant,
    endsAt: Instant,
    onExpiry: GroupOnExpiry,
    status: GroupCampaignStatus.exclude(['ended']).optional(),
    /** The same key from the same caller answers the first call's campaign and creates nothing. */
    idempotencyKey: IdempotencyKey.optional(),
  })
  .refine((f) => new Date(f.endsAt) > new Date(f.startsAt), { message: '结束时间须晚于开始时间', path: ['endsAt'] })
export type AdminCreateGroupCampaignInput = z.infer<typeof AdminCreateGroupCampaignInput>

export const AdminUpdateGroupCampaignInput = z.object({
  campaignId: Id,
  title: GroupCampaignTitle.optional(),
  /** 暂停 / 恢复 (ending is admin.endGroupCampaign). */
  status: GroupCampaignStatus.exclude(['ended']).optional(),
  endsAt: Instant.optional(),
  /** Only before any group opened. */
  groupPriceFen: PriceFen.min(1).optional(),
  groupSize: z.number().int().min(2, '成团人数须为 2-10 人').max(10, '成团人数须为 2-10 人').optional(),
})
export type AdminUpdateGroupCampaignInput = z.infer<typeof AdminUpdateGroupCampaignInput>

export const adminGroupActions = {
  groupCampaigns: { input: z.object({}), output: z.object({ items: z.array(AdminGroupCampaign), serverTime: Instant }) },
  groupCampaign: {
    input: z.object({ campaignId: Id, status: GroupStatus.optional(), cursor: Cursor.nullish() }),
    output: z.object({
      campaign: AdminGroupCampaign,
      groups: z.array(AdminGroupRow),
      nextCursor: Cursor.nullable(),
      serverTime: Instant,
    }),
  },
  createGroupCampaign: { input: AdminCreateGroupCampaignInput, output: z.object({ campaignId: Id }) },
  updateGroupCampaign: { input: AdminUpdateGroupCampaignInput, output: z.object({ campaign: AdminGroupCampaign }) },
  /**
   * 结束活动, for good: no group opens and no one joins from its commit on; groups already open run to
   * their end. Ending an ended campaign answers it as it is (nothing written).
   */
  endGroupCampaign: { input: z.object({ campaignId: Id }), output: z.object({ campaign: AdminGroupCampaign }) },
}
