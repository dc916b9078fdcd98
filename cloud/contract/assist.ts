/**
 * 好友助力 / 砍价 (assists): a starter asks friends to help within a time limit for a reward — a
 * coupon (face `coupon`) or a fixed, published price cut on one product (face `price_cut`).
 */
import { z } from 'zod'
import { AddressRef, Fen, Id, IdempotencyKey, Instant, PriceFen, peopleText } from './common'
import { CheckoutCoupon } from './coupon'
import { OrderPreviewOutput } from './order'

export const AssistFace = z.enum(['coupon', 'price_cut'])
export type AssistFace = z.infer<typeof AssistFace>

/** Why a help did not count, in the order they are checked. */
export const AssistReason = z.enum([
  'SELF',
  'TASK_ENDED',
  'TASK_COMPLETED',
  'RISK_BLOCKED',
  'NOT_NEW_CUSTOMER',
  'ALREADY_HELPED',
  'DAILY_LIMIT',
])
export type AssistReason = z.infer<typeof AssistReason>

/** `paused`: no task starts and no help counts until resumed; `ended`: for good. */
export const AssistStatus = z.enum(['active', 'paused', 'ended'])
export type AssistStatus = z.infer<typeof AssistStatus>

export const AssistTaskStatus = z.enum(['open', 'completed', 'expired'])
export type AssistTaskStatus = z.infer<typeof AssistTaskStatus>

const CouponFace = z.object({ couponId: Id, title: z.string(), ruleText: z.string() })

/** A campaign as the shopper reads its published terms. */
export const AssistCampaignView = z.object({
  campaignId: Id,
  title: z.string(),
  face: AssistFace,
  helpsNeeded: z.number().int(),
  taskHours: z.number().int(),
  dailyHelpCap: z.number().int(),
  newCustomersOnly: z.boolean(),
  /** Face `coupon`: what the starter is granted on completion. */
  reward: CouponFace.nullable(),
  /** Face `price_cut`: the product, its price, the cut per counted help and the floor price. */
  product: z
    .object({ productId: Id, skuId: Id, title: z.string(), cover: z.string(), priceFen: Fen, cutPerHelpFen: Fen, floorPriceFen: Fen })
    .nullable(),
  /** The helper's own welcome coupon (claiming it is the help); null: a tap of 帮TA助力 is. */
  helperCoupon: CouponFace.nullable(),
  startsAt: Instant,
  endsAt: Instant,
  status: AssistStatus,
})
export type AssistCampaignView = z.infer<typeof AssistCampaignView>

/**
 * A counted help's welcome coupon (the campaign has one): `granted` by this help, or `already` — the
 * helper got it on another task of the campaign (once per helper per campaign); the help still counts.
 */
export const WelcomeCoupon = z.enum(['granted', 'already'])
export type WelcomeCoupon = z.infer<typeof WelcomeCoupon>

export const AssistHelper = z.object({
  nickname: z.string(),
  avatarUrl: z.string().nullable(),
  counted: z.boolean(),
  /** Only in the starter's view; null for counted helps and in a friend's view. */
  reason: AssistReason.nullable(),
  at: Instant,
})

export const AssistTaskView = z.object({
  taskId: Id,
  campaign: AssistCampaignView,
  starter: z.object({ nickname: z.string(), avatarUrl: z.string().nullable() }),
  isStarter: z.boolean(),
  helps: z.number().int(),
  helpsNeeded: z.number().int(),
  status: AssistTaskStatus,
  startedAt: Instant,
  expiresAt: Instant,
  completedAt: Instant.nullable(),
  serverTime: Instant,
  /** Face `price_cut`: the price the task has reached (price − helps × cut). */
  priceNowFen: Fen.nullable(),
  /** Counted helps first, then the refusals (their reasons only in the starter's view). */
  helpers: z.array(AssistHelper),
  /**
   * The caller's own help on this task, if they tried (a friend's outcome). `retry`: a refusal that no
   * longer holds (TASK_ENDED while the campaign was paused and the task is open again, DAILY_LIMIT of an
   * earlier shop day): they may help again now. `welcomeCoupon`: a counted help's, null otherwise.
   */
  myHelp: z
    .object({ counted: z.boolean(), reason: AssistReason.nullable(), retry: z.boolean(), welcomeCoupon: WelcomeCoupon.nullable() })
    .nullable(),
  /**
   * The caller holds this campaign's welcome coupon already (got on another task of it): a help still
   * counts but brings no second one (once per helper per campaign). False when the campaign has none.
   */
  welcomeCouponHeld: z.boolean(),
  /** The starter's purchase (price_cut): whether they may buy now, until when, and the order holding it. */
  purchase: z.object({ canBuy: z.boolean(), buyUntil: Instant, orderId: Id.nullable(), orderStatus: z.string().nullable() }).nullable(),
})
export type AssistTaskView = z.infer<typeof AssistTaskView>

const TaskRef = z.object({ taskId: Id })

/** A task of the caller's, as their list shows it. */
export const AssistMyTask = z.object({
  taskId: Id,
  campaignId: Id,
  title: z.string(),
  face: AssistFace,
  helps: z.number().int(),
  helpsNeeded: z.number().int(),
  status: AssistTaskStatus,
  expiresAt: Instant,
})

export const assistActions = {
  /** The campaigns open now (active, within their window) and the caller's tasks, newest first: the entry page. */
  list: {
    input: z.object({}),
    output: z.object({ campaigns: z.array(AssistCampaignView), myTasks: z.array(AssistMyTask), serverTime: Instant }),
  },
  /** One campaign as its page shows it, and the caller's task in it if any. */
  campaign: {
    input: z.object({ campaignId: Id }),
    output: z.object({ campaign: AssistCampaignView, myTaskId: Id.nullable(), serverTime: Instant }),
  },
  /** Starts the caller's task (one per person and campaign, ever): a repeat or a race answers the same task. */
  start: { input: z.object({ campaignId: Id }), output: z.object({ taskId: Id }) },
  task: { input: TaskRef, output: AssistTaskView },
  /** A friend's help: counted (with its welcome coupon's fate, when the campaign has one), or why not. */
  help: {
    input: TaskRef,
    output: z.object({ counted: z.boolean(), reason: AssistReason.optional(), welcomeCoupon: WelcomeCoupon.optional() }),
  },
  /** The price_cut order as checkout shows it: the task's SKU at the price reached, with the coupon given. */
  preview: {
    input: TaskRef.extend({ userCouponId: Id.optional() }),
    output: OrderPreviewOutput.extend({ coupons: z.array(CheckoutCoupon), bestId: Id.nullable() }),
  },
  /** The starter buys one unit at the price reached (an order of kind `assist`), paid then as any order. */
  buy: {
    input: TaskRef.extend({
      idempotencyKey: IdempotencyKey,
      addressId: AddressRef,
      userCouponId: Id.optional(),
      note: z.string().trim().max(200).optional(),
    }),
    output: z.object({ orderId: Id, payableFen: Fen }),
  },
}

/** What a campaign did, from the stored facts. */
export const AssistResults = z.object({
  tasksStarted: z.number().int(),
  tasksCompleted: z.number().int(),
  tasksExpired: z.number().int(),
  /** tasksCompleted / tasksStarted, 0..1 (0 when none started). */
  completionRate: z.number(),
  helpsCounted: z.number().int(),
  /** Every reason, 0 when none: friends per task whose latest try did not count, and as ALREADY_HELPED the counted friends who tried again. */
  refusals: z.record(AssistReason, z.number().int()),
  newCustomersHelped: z.number().int(),
  helperCouponsGranted: z.number().int(),
  rewardCouponsGranted: z.number().int(),
  ordersPlaced: z.number().int(),
  ordersPaid: z.number().int(),
  gmvFen: z.number().int(),
})
export type AssistResults = z.infer<typeof AssistResults>

export const AdminAssistCampaign = AssistCampaignView.extend({ createdAt: Instant, results: AssistResults })
export type AdminAssistCampaign = z.infer<typeof AdminAssistCampaign>

export const AssistCampaignTitle = peopleText({ empty: '请填写活动名称', max: 30, tooLong: '活动名称最多 30 个字' })

export const AdminCreateAssistCampaignInput = z.object({
  title: AssistCampaignTitle,
  face: AssistFace,
  rewardCouponId: Id.optional(),
  productId: Id.optional(),
  skuId: Id.optional(),
  cutPerHelpFen: PriceFen.min(1).optional(),
  helpsNeeded: z.number().int().min(1).max(20),
  taskHours: z.number().int().min(1).max(72),
  helperCouponId: Id.optional(),
  newCustomersOnly: z.boolean().optional(),
  dailyHelpCap: z.number().int().min(1).max(20).optional(),
  startsAt: Instant,
  endsAt: Instant,
  status: AssistStatus.exclude(['ended']).optional(),
  /** The same key from the same caller answers the first call's campaign and creates nothing. */
  idempotencyKey: IdempotencyKey.optional(),
})
export type AdminCreateAssistCampaignInput = z.infer<typeof AdminCreateAssistCampaignInput>

export const adminAssistActions = {
  assistCampaigns: { input: z.object({}), output: z.object({ items: z.array(AdminAssistCampaign) }) },
  assistCampaign: { input: z.object({ campaignId: Id }), output: z.object({ campaign: AdminAssistCampaign }) },
  createAssistCampaign: { input: AdminCreateAssistCampaignInput, output: z.object({ campaignId: Id }) },
  /**
   * Pause, resume or end (end is for good), and the terms: helpsNeeded and cutPerHelpFen change only
   * while no task has started (the published terms never change under a starter); the title and the
   * end of the window any time until it ended.
   */
  updateAssistCampaign: {
    input: z.object({
      campaignId: Id,
      title: AssistCampaignTitle.optional(),
      status: AssistStatus.optional(),
      helpsNeeded: z.number().int().min(1).max(20).optional(),
      cutPerHelpFen: PriceFen.min(1).optional(),
      endsAt: Instant.optional(),
    }),
    output: z.object({ campaign: AdminAssistCampaign }),
  },
}
