/**
 * The console's assist campaigns (营销 › 助力砍价): creating one (idempotent), the list and one
 * campaign with its results, pause / resume / end, and the published terms locked once a task started.
 */
import type { ActionArgs, ActionResult, AdminAssistCampaign, AssistReason } from '../../contract'
import { onceByKey } from '../admin/request-keys'
import type { AuthedCtx, Ctx } from '../context'
import { fail } from '../errors'
import { yuan } from '../money'
import { resolveSku } from '../order/lines'
import type { AssistCampaignRecord, AssistFacts } from './assist.ports'
import { DEFAULT_DAILY_HELP_CAP, floorPrice, REASON_ORDER } from './assist.rules'
import { campaignView } from './assist.service'

const invalid = (path: string, message: string): never => fail('VALIDATION_FAILED', message, [{ path, message }])

/** The floor price of a price cut is at least 1 fen: the cuts never take the whole price. */
function checkFloor(priceFen: number, helpsNeeded: number, cutPerHelpFen: number): void {
  const floor = floorPrice(priceFen, helpsNeeded, cutPerHelpFen)
  if (floor < 1)
    invalid(
      'cutPerHelpFen',
      `${helpsNeeded} 位好友每位砍 ¥${yuan(cutPerHelpFen)} 后低于 ¥0.01（商品售价 ¥${yuan(priceFen)}），请减少每次砍价金额或助力人数`,
    )
}

async function couponExists(ctx: Ctx, path: string, couponId: string | undefined): Promise<string | null> {
  if (!couponId) return null
  if (!(await ctx.repos.coupons.get(couponId))) invalid(path, '优惠券不存在')
  return couponId
}

export async function createCampaign(
  ctx: AuthedCtx,
  input: ActionArgs<'admin', 'createAssistCampaign'>,
): Promise<ActionResult<'admin', 'createAssistCampaign'>> {
  return onceByKey(ctx, 'createAssistCampaign', input, async () => {
    const startsAt = new Date(input.startsAt)
    const endsAt = new Date(input.endsAt)
    if (endsAt <= startsAt) invalid('endsAt', '结束时间须晚于开始时间')
    if (endsAt <= ctx.now()) invalid('endsAt', '结束时间已经过去')
    const helperCouponId = await couponExists(ctx, 'helperCouponId', input.helperCouponId)
    let fields: Pick<AssistCampaignRecord, 'rewardCouponId' | 'productId' | 'skuId' | 'priceFen' | 'cutPerHelpFen'>
    if (input.face === 'coupon') {
      if (!input.rewardCouponId) invalid('rewardCouponId', '请选择奖励优惠券')
      fields = {
        rewardCouponId: await couponExists(ctx, 'rewardCouponId', input.rewardCouponId),
        productId: null,
        skuId: null,
        priceFen: null,
        cutPerHelpFen: null,
      }
    } else {
      if (!input.productId) return invalid('productId', '请选择砍价商品')
      if (!input.cutPerHelpFen) return invalid('cutPerHelpFen', '请填写每位好友砍掉的金额')
      const sku = await resolveSku(ctx, input.productId, input.skuId)
      checkFloor(sku.priceFen, input.helpsNeeded, input.cutPerHelpFen)
      fields = {
        rewardCouponId: null,
        productId: input.productId,
        skuId: sku.id,
        priceFen: sku.priceFen,
        cutPerHelpFen: input.cutPerHelpFen,
      }
    }
    const campaignId = await ctx.repos.assists.createCampaign({
      title: input.title,
      face: input.face,
      ...fields,
      helpsNeeded: input.helpsNeeded,
      taskHours: input.taskHours,
      helperCouponId,
      newCustomersOnly: input.newCustomersOnly ?? false,
      dailyHelpCap: input.dailyHelpCap ?? DEFAULT_DAILY_HELP_CAP,
      startsAt,
      endsAt,
      status: input.status ?? 'active',
    })
    return { campaignId }
  })
}

const NO_FACTS: AssistFacts = {
  tasksStarted: 0,
  tasksCompleted: 0,
  tasksExpired: 0,
  helpsCounted: 0,
  refusals: {},
  newCustomersHelped: 0,
  helperCouponsGranted: 0,
  rewardCouponsGranted: 0,
  ordersPlaced: 0,
  ordersPaid: 0,
  gmvFen: 0,
}

async function views(ctx: AuthedCtx, records: AssistCampaignRecord[]): Promise<AdminAssistCampaign[]> {
  const facts = await ctx.repos.assists.facts(
    records.map((r) => r.id),
    ctx.now(),
  )
  return Promise.all(
    records.map(async (r) => {
      const f = facts.get(r.id) ?? NO_FACTS
      const refusals = Object.fromEntries(REASON_ORDER.map((k) => [k, f.refusals[k] ?? 0])) as Record<AssistReason, number>
      return {
        ...(await campaignView(ctx, r)),
        createdAt: r.createdAt.toISOString(),
        results: { ...f, refusals, completionRate: f.tasksStarted === 0 ? 0 : f.tasksCompleted / f.tasksStarted },
      }
    }),
  )
}

export async function assistCampaigns(
  ctx: AuthedCtx,
  input: ActionArgs<'admin', 'assistCampaigns'>,
): Promise<ActionResult<'admin', 'assistCampaigns'>> {
  void input
  return { items: await views(ctx, await ctx.repos.assists.campaigns()) }
}

async function one(ctx: AuthedCtx, campaignId: string): Promise<AdminAssistCampaign> {
  const [r] = await ctx.repos.assists.campaigns([campaignId])
  if (!r) return fail('NOT_FOUND', '活动不存在')
  return (await views(ctx, [r]))[0]!
}

export async function assistCampaign(
  ctx: AuthedCtx,
  input: ActionArgs<'admin', 'assistCampaign'>,
): Promise<ActionResult<'admin', 'assistCampaign'>> {
  return { campaign: await one(ctx, input.campaignId) }
}

/**
 * Pause, resume, end (for good), the title and the window's end, any time until it ended; the published terms (helps needed,
 * cut per help) only while no task has started. The campaign's row is locked first: a start holds it
 * shared, so a start and a terms edit never cross.
 */
export async function updateCampaign(
  ctx: AuthedCtx,
  input: ActionArgs<'admin', 'updateAssistCampaign'>,
): Promise<ActionResult<'admin', 'updateAssistCampaign'>> {
  const c = await ctx.repos.assists.campaignLocked(input.campaignId)
  if (!c) return fail('NOT_FOUND', '活动不存在')
  // The time is read after the lock: a campaign whose window has passed is ended (its tasks
  // expired with it), never revived by a later end time or a resume.
  if (c.status === 'ended' || ctx.now().getTime() >= c.endsAt.getTime()) fail('ASSIST_ENDED')
  const termsChange =
    (input.helpsNeeded !== undefined && input.helpsNeeded !== c.helpsNeeded) ||
    (input.cutPerHelpFen !== undefined && input.cutPerHelpFen !== c.cutPerHelpFen)
  if (termsChange) {
    if (input.cutPerHelpFen !== undefined && c.face !== 'price_cut') invalid('cutPerHelpFen', '只有砍价活动有每次砍价金额')
    if (await ctx.repos.assists.hasTasks(c.id)) fail('ASSIST_TERMS_LOCKED')
    if (c.face === 'price_cut') checkFloor(c.priceFen!, input.helpsNeeded ?? c.helpsNeeded, input.cutPerHelpFen ?? c.cutPerHelpFen!)
  }
  if (input.endsAt !== undefined) {
    const endsAt = new Date(input.endsAt)
    if (endsAt <= c.startsAt) invalid('endsAt', '结束时间须晚于开始时间')
    if (endsAt <= ctx.now()) invalid('endsAt', '结束时间已经过去（立即结束请用「结束活动」）')
  }
  await ctx.repos.assists.updateCampaign(c.id, {
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.status !== undefined ? { status: input.status } : {}),
    ...(input.helpsNeeded !== undefined ? { helpsNeeded: input.helpsNeeded } : {}),
    ...(input.cutPerHelpFen !== undefined ? { cutPerHelpFen: input.cutPerHelpFen } : {}),
    ...(input.endsAt !== undefined ? { endsAt: new Date(input.endsAt) } : {}),
  })
  return { campaign: await one(ctx, c.id) }
}
