/**
 * The console's group desk (营销 › 拼团): creating a campaign (idempotent), the list with each one's
 * results, one campaign with its groups, edits (pause/resume, end time, title; price and size
 * only before any group opened) and ending it for good.
 */
import type { ActionArgs, ActionName, ActionResult, AdminGroupCampaign } from '../../contract'
import { onceByKey } from '../admin/request-keys'
import type { AuthedCtx } from '../context'
import { fail } from '../errors'
import { yuan } from '../money'
import { resolveSku } from '../order/lines'
import { decodeCursor, encodeCursor } from '../paging'
import type { AdminGroupCampaignRecord } from './group.ports'
import { campaignView, successRate } from './group.rules'

type In<K extends ActionName<'admin'>> = ActionArgs<'admin', K>
type Out<K extends ActionName<'admin'>> = ActionResult<'admin', K>

/** A campaign runs at most a year. */
const MAX_CAMPAIGN_MS = 366 * 86_400_000
const GROUPS_PAGE = 20

function priceBelowSku(groupPriceFen: number, skuPriceFen: number): void {
  if (groupPriceFen >= skuPriceFen)
    fail('VALIDATION_FAILED', '拼团价须低于商品售价', [{ path: 'groupPriceFen', message: `拼团价须低于商品售价 ¥${yuan(skuPriceFen)}` }])
}

function checkWindow(startsAt: Date, endsAt: Date, now: Date): void {
  if (endsAt.getTime() <= now.getTime())
    fail('VALIDATION_FAILED', '结束时间已经过去', [{ path: 'endsAt', message: '结束时间已经过去，活动不会开团' }])
  if (endsAt.getTime() <= startsAt.getTime())
    fail('VALIDATION_FAILED', '结束时间须晚于开始时间', [{ path: 'endsAt', message: '结束时间须晚于开始时间' }])
  if (endsAt.getTime() - startsAt.getTime() > MAX_CAMPAIGN_MS)
    fail('VALIDATION_FAILED', '活动时长不能超过一年', [{ path: 'endsAt', message: '活动时长不能超过一年' }])
}

function view(ctx: AuthedCtx, r: AdminGroupCampaignRecord): AdminGroupCampaign {
  return {
    ...campaignView(r, ctx.now()),
    stock: r.stock,
    createdAt: r.createdAt.toISOString(),
    groupsOpened: r.groupsOpened,
    groupsSucceeded: r.groupsSucceeded,
    groupsFailed: r.groupsFailed,
    groupsForming: r.groupsForming,
    membersPaid: r.membersPaid,
    gmvFen: r.paidFen - r.refundedFen,
    refundedFen: r.refundedFen,
    successRate: successRate(r.groupsSucceeded, r.groupsFailed),
    locked: r.anyGroup,
    endedAt: r.endedAt?.toISOString() ?? null,
  }
}

async function one(ctx: AuthedCtx, campaignId: string): Promise<AdminGroupCampaign> {
  const [r] = await ctx.repos.groups.adminCampaigns([campaignId])
  if (!r) return fail('NOT_FOUND', '拼团活动不存在')
  return view(ctx, r)
}

export async function createGroupCampaign(ctx: AuthedCtx, input: In<'createGroupCampaign'>): Promise<Out<'createGroupCampaign'>> {
  return onceByKey(ctx, 'createGroupCampaign', input, async () => {
    const sku = await resolveSku(ctx, input.productId, input.skuId)
    priceBelowSku(input.groupPriceFen, sku.priceFen)
    const startsAt = new Date(input.startsAt)
    const endsAt = new Date(input.endsAt)
    checkWindow(startsAt, endsAt, ctx.now())
    const campaignId = await ctx.repos.groups.createCampaign({
      title: input.title ?? '',
      productId: input.productId,
      skuId: sku.id,
      groupPriceFen: input.groupPriceFen,
      groupSize: input.groupSize,
      groupHours: input.groupHours,
      startsAt,
      endsAt,
      onExpiry: input.onExpiry,
      status: input.status ?? 'active',
    })
    return { campaignId }
  })
}

export async function groupCampaigns(ctx: AuthedCtx, input: In<'groupCampaigns'>): Promise<Out<'groupCampaigns'>> {
  void input
  const rows = await ctx.repos.groups.adminCampaigns(null)
  return { items: rows.map((r) => view(ctx, r)), serverTime: ctx.now().toISOString() }
}

export async function groupCampaign(ctx: AuthedCtx, input: In<'groupCampaign'>): Promise<Out<'groupCampaign'>> {
  const campaign = await one(ctx, input.campaignId)
  const offset = input.cursor ? decodeCursor(input.cursor) : 0
  const groups = await ctx.repos.groups.adminGroups(input.campaignId, input.status ?? null, offset, GROUPS_PAGE + 1)
  const page = groups.slice(0, GROUPS_PAGE)
  const seats = await ctx.repos.groups.seats(
    page.map((g) => g.id),
    true,
  )
  return {
    campaign,
    groups: page.map((g) => {
      const mine = seats.filter((s) => s.groupId === g.id)
      return {
        groupId: g.id,
        status: g.status,
        size: g.size,
        held: g.held,
        paid: g.paid,
        leader: mine.find((s) => s.leader)?.nickname ?? '',
        members: mine.map((s) => ({ userId: s.userId, nickname: s.nickname, leader: s.leader, seat: s.seat, orderId: s.orderId })),
        openedAt: g.openedAt.toISOString(),
        expiresAt: g.expiresAt?.toISOString() ?? null,
        endedAt: g.endedAt?.toISOString() ?? null,
      }
    }),
    nextCursor: groups.length > GROUPS_PAGE ? encodeCursor(offset + GROUPS_PAGE) : null,
    serverTime: ctx.now().toISOString(),
  }
}

/**
 * Edits from now on: pause/resume, title, the end time (not in the past, after the start); price and
 * size only while no group was opened (groups keep the terms they opened with either way).
 */
export async function updateGroupCampaign(ctx: AuthedCtx, input: In<'updateGroupCampaign'>): Promise<Out<'updateGroupCampaign'>> {
  // The row lock first: an end racing this edit either committed before (refused here) or waits for it.
  const c = await ctx.repos.groups.campaignLocked(input.campaignId)
  if (!c) return fail('NOT_FOUND', '拼团活动不存在')
  // The time is read after the lock: a campaign whose window has passed is ended, never revived.
  if (c.status === 'ended' || ctx.now().getTime() >= c.endsAt.getTime()) fail('GROUP_CAMPAIGN_ENDED')
  if (input.groupPriceFen !== undefined) priceBelowSku(input.groupPriceFen, c.priceFen)
  const endsAt = input.endsAt ? new Date(input.endsAt) : undefined
  if (endsAt) checkWindow(c.startsAt, endsAt, ctx.now())
  const done = await ctx.repos.groups.updateCampaign(c.id, {
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.status ? { status: input.status } : {}),
    ...(endsAt ? { endsAt } : {}),
    ...(input.groupPriceFen !== undefined ? { groupPriceFen: input.groupPriceFen } : {}),
    ...(input.groupSize !== undefined ? { groupSize: input.groupSize } : {}),
  })
  if (done === null) return fail('NOT_FOUND', '拼团活动不存在')
  if (done === 'ended') fail('GROUP_CAMPAIGN_ENDED')
  if (done === 'locked') {
    const path = input.groupPriceFen !== undefined ? 'groupPriceFen' : 'groupSize'
    fail('VALIDATION_FAILED', '已有团开出，拼团价和成团人数不能再改', [{ path, message: '已有团开出，拼团价和成团人数不能再改' }])
  }
  return { campaign: await one(ctx, c.id) }
}

/**
 * 结束活动, for good: status `ended` at now (a running campaign's endsAt too) under the campaign's row
 * lock, which `group.open` holds shared, so an open in flight finishes first and one reading after
 * this commit is refused. The time is read after the lock is held. Ending an ended campaign answers it
 * as it is: two ends racing give one answer and one endedAt.
 */
export async function endGroupCampaign(ctx: AuthedCtx, input: In<'endGroupCampaign'>): Promise<Out<'endGroupCampaign'>> {
  const c = await ctx.repos.groups.campaignLocked(input.campaignId)
  if (!c) return fail('NOT_FOUND', '拼团活动不存在')
  if (c.status !== 'ended') await ctx.repos.groups.endCampaign(c.id, ctx.now())
  return { campaign: await one(ctx, c.id) }
}
