/**
 * 好友助力 / 砍价 for shoppers: a campaign's page, starting a task, a task as starter or friend see
 * it, a friend's help, and the price-cut order. The rules are in assist.rules.ts; the limits (one
 * task per starter, one help per friend, the task's count, the daily cap, one purchase) are held by
 * the database in the call's transaction.
 */
import type { AssistCampaignView, AssistReason, AssistTaskView, WelcomeCoupon } from '../../contract'
import { isNewCustomer } from '../auth/auth.service'
import type { AuthedCtx, Ctx } from '../context'
import { fail } from '../errors'
import { ruleText } from '../coupon/coupon.rules'
import { couponsForLines } from '../coupon/coupon.service'
import { priceLines, resolveLines } from '../order/lines'
import { create as createOrder, preview as previewOrder } from '../order/order.service'
import type { AssistCampaignRecord, AssistTaskRecord } from './assist.ports'
import {
  buyDeadline,
  campaignOpen,
  campaignState,
  canBuy,
  effectiveTask,
  expiresAtFor,
  floorPrice,
  helpRefusal,
  priceReached,
  RISK_BLOCKED_LEVEL,
  shopDay,
  taskEnded,
  taskStatus,
} from './assist.rules'
import { maskHead } from '../live/room.rules'

const DAY = 86_400_000

/**
 * Grant keys of assists' coupons: one reward per task, one welcome coupon per helper and campaign (a
 * welcome, not a reward per help). ':' is reserved for the system's grants.
 */
export const rewardGrantKey = (taskId: string) => `:assist-reward:${taskId}`
export const helperGrantKey = (campaignId: string, helperId: string) => `:assist-help:${campaignId}:${helperId}`

async function campaignOf(ctx: Ctx, id: string): Promise<AssistCampaignRecord> {
  const c = await ctx.repos.assists.campaign(id)
  if (!c) return fail('NOT_FOUND', '活动不存在')
  return c
}

async function couponFace(ctx: Ctx, couponId: string | null) {
  if (!couponId) return null
  const c = await ctx.repos.coupons.get(couponId)
  return c ? { couponId: c.id, title: c.title, ruleText: ruleText(c) } : null
}

/** A campaign's published terms as the shopper reads them. */
export async function campaignView(ctx: Ctx, c: AssistCampaignRecord): Promise<AssistCampaignView> {
  const [reward, helperCoupon] = await Promise.all([couponFace(ctx, c.rewardCouponId), couponFace(ctx, c.helperCouponId)])
  return {
    campaignId: c.id,
    title: c.title,
    face: c.face,
    helpsNeeded: c.helpsNeeded,
    taskHours: c.taskHours,
    dailyHelpCap: c.dailyHelpCap,
    newCustomersOnly: c.newCustomersOnly,
    reward,
    product:
      c.face === 'price_cut'
        ? {
            productId: c.productId!,
            skuId: c.skuId!,
            title: c.productTitle ?? '',
            cover: c.cover ?? '',
            priceFen: c.priceFen!,
            cutPerHelpFen: c.cutPerHelpFen!,
            floorPriceFen: floorPrice(c.priceFen!, c.helpsNeeded, c.cutPerHelpFen!),
          }
        : null,
    helperCoupon,
    startsAt: c.startsAt.toISOString(),
    endsAt: c.endsAt.toISOString(),
    status: c.status,
  }
}

export async function list(ctx: AuthedCtx) {
  const now = ctx.now()
  const [open, mine] = await Promise.all([ctx.repos.assists.openCampaigns(now), ctx.repos.assists.tasksOf(ctx.caller.userId)])
  return {
    campaigns: await Promise.all(open.map((c) => campaignView(ctx, c))),
    myTasks: mine.map((t) => ({
      taskId: t.id,
      campaignId: t.campaignId,
      title: t.title,
      face: t.face,
      helps: t.helps,
      helpsNeeded: t.helpsNeeded,
      status: taskStatus(t, campaignState({ status: t.campaignStatus, endsAt: t.campaignEndsAt }, now), now),
      expiresAt: effectiveTask(t, t.campaignEndsAt).expiresAt.toISOString(),
    })),
    serverTime: now.toISOString(),
  }
}

export async function campaign(ctx: AuthedCtx, input: { campaignId: string }) {
  const c = await campaignOf(ctx, input.campaignId)
  const [view, myTaskId] = await Promise.all([campaignView(ctx, c), ctx.repos.assists.taskIdOf(c.id, ctx.caller.userId)])
  return { campaign: view, myTaskId, serverTime: ctx.now().toISOString() }
}

/**
 * Opens the caller's task: one per person and campaign, ever (a unique key: a repeat or a race
 * answers the same task). The campaign's row is held shared meanwhile, so a pause or a terms edit
 * waits for it, and a start that commits after a pause is refused.
 */
export async function start(ctx: AuthedCtx, input: { campaignId: string }): Promise<{ taskId: string }> {
  const c = await ctx.repos.assists.campaignShared(input.campaignId)
  if (!c) return fail('NOT_FOUND', '活动不存在')
  const me = ctx.caller.userId
  const now = ctx.now()
  if (!campaignOpen(c, now)) {
    // A started task is the caller's for good: asking again answers it whatever the campaign's state.
    const mine = await ctx.repos.assists.taskIdOf(c.id, me)
    if (mine) return { taskId: mine }
    fail('ASSIST_NOT_ACTIVE', c.status === 'paused' ? '活动已暂停，请稍后再来' : undefined)
  }
  const taskId = await ctx.repos.assists.startTask({
    campaignId: c.id,
    starterId: me,
    helpsNeeded: c.helpsNeeded,
    cutPerHelpFen: c.cutPerHelpFen,
    priceFen: c.priceFen,
    startedAt: now,
    expiresAt: expiresAtFor(now, c.taskHours, c.endsAt),
  })
  return { taskId }
}

async function taskOf(ctx: Ctx, taskId: string): Promise<AssistTaskRecord> {
  const t = await ctx.repos.assists.task(taskId)
  if (!t) return fail('NOT_FOUND', '助力不存在')
  return t
}

/**
 * Whether a friend refused before may help again now: the task runs and its campaign is active, and
 * the refusal was not final (TASK_ENDED while paused; DAILY_LIMIT of an earlier shop day).
 */
function mayRetry(
  h: { counted: boolean; reason: AssistReason | null; at: Date },
  t: AssistTaskRecord,
  c: AssistCampaignRecord,
  now: Date,
): boolean {
  if (h.counted || taskEnded(t, campaignState(c, now), now) || t.completedAt !== null) return false
  return h.reason === 'TASK_ENDED' || (h.reason === 'DAILY_LIMIT' && shopDay(h.at) !== shopDay(now))
}

export async function task(ctx: AuthedCtx, input: { taskId: string }): Promise<AssistTaskView> {
  const stored = await taskOf(ctx, input.taskId)
  const me = ctx.caller.userId
  const [c, helpers, starter] = await Promise.all([
    campaignOf(ctx, stored.campaignId),
    ctx.repos.assists.helpers(stored.id),
    ctx.repos.users.byId(stored.starterId),
  ])
  const welcomeCouponHeld = c.helperCouponId
    ? await ctx.repos.assists.granted(c.helperCouponId, helperGrantKey(c.id, ctx.caller.userId))
    : false
  const now = ctx.now()
  const isStarter = stored.starterId === me
  const mine = helpers.find((h) => h.helperId === me) ?? null
  // The times as they hold now: an end time moved earlier shortens the task (and its buying deadline).
  const t = effectiveTask(stored, c.endsAt)
  const shown = helpers
    // The starter's own tries are theirs to see; a friend sees who helped and who tried, without why.
    .filter((h) => isStarter || h.helperId !== t.starterId)
    .sort((a, b) => Number(b.counted) - Number(a.counted) || a.at.getTime() - b.at.getTime())
    .map((h) => ({
      nickname: isStarter ? h.nickname : maskHead(h.nickname),
      avatarUrl: h.avatarUrl,
      counted: h.counted,
      reason: isStarter ? h.reason : null,
      at: h.at.toISOString(),
    }))
  const priceCut = c.face === 'price_cut' && t.priceFen !== null && t.cutPerHelpFen !== null
  return {
    taskId: t.id,
    campaign: await campaignView(ctx, c),
    starter: { nickname: maskHead(starter?.nickname ?? ''), avatarUrl: starter?.avatarUrl ?? null },
    isStarter,
    helps: t.helps,
    helpsNeeded: t.helpsNeeded,
    status: taskStatus(t, campaignState(c, now), now),
    startedAt: t.startedAt.toISOString(),
    expiresAt: t.expiresAt.toISOString(),
    completedAt: t.completedAt?.toISOString() ?? null,
    serverTime: now.toISOString(),
    priceNowFen: priceCut ? priceReached({ ...t, priceFen: t.priceFen!, cutPerHelpFen: t.cutPerHelpFen! }) : null,
    helpers: shown,
    welcomeCouponHeld,
    myHelp: mine
      ? {
          counted: mine.counted,
          reason: mine.reason,
          retry: mayRetry(mine, t, c, now),
          welcomeCoupon: mine.counted && c.helperCouponId ? (mine.welcomeCouponId ? 'granted' : 'already') : null,
        }
      : null,
    purchase:
      isStarter && priceCut
        ? {
            canBuy: t.orderId === null && canBuy(t, campaignState(c, now), now),
            buyUntil: buyDeadline(t).toISOString(),
            orderId: t.orderId,
            orderStatus: t.orderStatus,
          }
        : null,
  }
}

/** A coupon's validity when granted now: as a claim now would be (validDays from now, else the coupon's window). */
async function validityOf(ctx: Ctx, couponId: string): Promise<{ validFrom: Date; validTo: Date } | null> {
  const c = await ctx.repos.coupons.get(couponId)
  if (!c) return null
  const now = ctx.now()
  return c.validDays
    ? { validFrom: now, validTo: new Date(now.getTime() + c.validDays * DAY) }
    : { validFrom: c.validFrom, validTo: c.validTo }
}

/** A coupon granted with a key (once however often asked). */
async function grantCoupon(ctx: Ctx, couponId: string, userId: string, grantKey: string): Promise<void> {
  const validity = await validityOf(ctx, couponId)
  if (validity) await ctx.repos.coupons.insertUserCoupon({ couponId, userId, grantKey, ...validity })
}

/**
 * The helper's welcome coupon for a counted help: once per helper and campaign (its grant key), named
 * on the help that got it. `already`: they had it from another task of the campaign (or a racing help
 * got it first); the help counts all the same.
 */
async function grantWelcome(ctx: Ctx, t: AssistTaskRecord, couponId: string, helperId: string): Promise<WelcomeCoupon> {
  const validity = await validityOf(ctx, couponId)
  if (!validity) return 'already'
  const id = await ctx.repos.assists.grantWelcome({
    taskId: t.id,
    couponId,
    userId: helperId,
    grantKey: helperGrantKey(t.campaignId, helperId),
    ...validity,
  })
  return id ? 'granted' : 'already'
}

/**
 * A friend's help, in one transaction that locks the task's row first: the reasons in the rules'
 * order (assist.rules REASON_ORDER), then the helper's day counter and the task's count by
 * conditional updates. A counted help grants the helper's welcome coupon (once per helper and
 * campaign: a later help on another task counts but brings no second one); the help that completes the task grants the coupon face's reward (once per task). A
 * refusal is kept, with its reason, for the starter's list.
 */
export async function help(
  ctx: AuthedCtx,
  input: { taskId: string },
): Promise<{ counted: boolean; reason?: AssistReason; welcomeCoupon?: WelcomeCoupon }> {
  const me = ctx.caller.userId
  // The caller's own facts (WeChat's risk rank, their orders) before the task's lock is taken.
  const [risk, isNew] = await Promise.all([ctx.risk.level(ctx.caller.openid), isNewCustomer(ctx, me)])
  const t = await ctx.repos.assists.lockTask(input.taskId)
  if (!t) return fail('NOT_FOUND', '助力不存在')
  const c = (await ctx.repos.assists.campaign(t.campaignId))!
  const now = ctx.now()
  const prior = await ctx.repos.assists.helpOf(t.id, me)
  const refuse = async (reason: AssistReason) => {
    await ctx.repos.assists.recordRefusal({ taskId: t.id, helperId: me, reason, wasNew: isNew, now })
    return { counted: false, reason }
  }
  const reason = helpRefusal({
    self: t.starterId === me,
    ended: taskEnded(t, campaignState(c, now), now),
    completed: t.completedAt !== null,
    riskBlocked: risk >= RISK_BLOCKED_LEVEL,
    notNew: c.newCustomersOnly && !isNew,
    alreadyHelped: prior?.counted ?? false,
  })
  if (reason) return refuse(reason)
  const outcome = await ctx.repos.assists.takeHelp({
    taskId: t.id,
    helperId: me,
    day: shopDay(now),
    cap: c.dailyHelpCap,
    now,
    wasNew: isNew,
  })
  if (outcome === 'DAILY_LIMIT') return refuse('DAILY_LIMIT')
  const welcomeCoupon = c.helperCouponId ? await grantWelcome(ctx, t, c.helperCouponId, me) : undefined
  if (outcome === 'completed' && c.face === 'coupon' && c.rewardCouponId)
    await grantCoupon(ctx, c.rewardCouponId, t.starterId, rewardGrantKey(t.id))
  return welcomeCoupon ? { counted: true, welcomeCoupon } : { counted: true }
}

/** The starter's price-cut task, or NOT_FOUND (another's task does not exist for them). */
function ownPriceCut(ctx: AuthedCtx, t: AssistTaskRecord | null): AssistTaskRecord & { priceFen: number; cutPerHelpFen: number } {
  if (!t || t.starterId !== ctx.caller.userId) return fail('NOT_FOUND', '助力不存在')
  if (t.priceFen === null || t.cutPerHelpFen === null) return fail('VALIDATION_FAILED', '该助力活动没有砍价商品')
  return t as AssistTaskRecord & { priceFen: number; cutPerHelpFen: number }
}

const itemsOf = (c: AssistCampaignRecord) => [{ productId: c.productId!, skuId: c.skuId!, qty: 1 }]

export async function preview(ctx: AuthedCtx, input: { taskId: string; userCouponId?: string }) {
  const t = ownPriceCut(ctx, await ctx.repos.assists.task(input.taskId))
  const c = await campaignOf(ctx, t.campaignId)
  const items = itemsOf(c)
  const unitPriceFen = priceReached(t)
  const [priced, coupons] = await Promise.all([
    previewOrder(ctx, { items, ...(input.userCouponId ? { userCouponId: input.userCouponId } : {}) }, { unitPriceFen }),
    resolveLines(ctx, items).then((lines) => couponsForLines(ctx, priceLines(lines, { play: { unitPriceFen } }))),
  ])
  return { ...priced, coupons: coupons.items, bestId: coupons.bestId }
}

/**
 * The starter's one order of a price-cut task, at the price reached when it is placed: the task's
 * row is locked first (a help waits, so the price read is the price charged), and the order takes
 * the task's purchase by a conditional update (one order not cancelled per task).
 */
export async function buy(
  ctx: AuthedCtx,
  input: { taskId: string; idempotencyKey: string; addressId: string; userCouponId?: string; note?: string },
) {
  const own = ownPriceCut(ctx, await ctx.repos.assists.lockTask(input.taskId))
  const c = await campaignOf(ctx, own.campaignId)
  const t = effectiveTask(own, c.endsAt)
  // A retry of an order already placed answers it (the key's rule), whatever the deadline says now.
  if (!canBuy(t, campaignState(c, ctx.now()), ctx.now()) && !(await ctx.repos.orders.byKey(ctx.caller.userId, input.idempotencyKey)))
    fail('ASSIST_TASK_ENDED', t.completedAt ? '已超过购买时间' : '助力已结束，未能砍到底价')
  const order = await createOrder(
    ctx,
    {
      items: itemsOf(c),
      idempotencyKey: input.idempotencyKey,
      addressId: input.addressId,
      ...(input.userCouponId ? { userCouponId: input.userCouponId } : {}),
      ...(input.note ? { note: input.note } : {}),
    },
    {
      kind: 'assist',
      ref: t.id,
      unitPriceFen: priceReached(t),
      take: async (orderId) => {
        if (!(await ctx.repos.assists.takePurchase(t.id, orderId))) fail('ASSIST_ALREADY_BOUGHT')
      },
    },
  )
  return { orderId: order.orderId, payableFen: order.payableFen }
}
