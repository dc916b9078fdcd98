import type { InviteReason } from '../../contract'
import { isNewCustomer } from '../auth/auth.service'
import type { AuthedCtx, Ctx } from '../context'
import { fail } from '../errors'
import { couponsForLines } from '../coupon/coupon.service'
import { priceLines, resolveLines } from '../order/lines'
import { create as createOrder, preview as previewOrder } from '../order/order.service'
import type { DealCampaignRecord } from './deal.ports'
import { allowedClaims, countedInvites, inviteCounts, inviteRow } from './deal.rules'

/** WeChat risk levels: 4 blocks; 3 counts an invite but pays no reward. */
const BLOCKED = 4
const NO_REWARD = 3

async function campaignOf(ctx: Ctx, id: string): Promise<DealCampaignRecord> {
  const c = await ctx.repos.deals.get(id)
  if (!c) return fail('NOT_FOUND', '活动不存在')
  return c
}

/** The first touch: whether the user was a new customer when they first entered decides eligibility, for good. */
async function enterOnce(ctx: AuthedCtx, c: DealCampaignRecord): Promise<boolean> {
  const known = await ctx.repos.deals.entry(c.id, ctx.caller.userId)
  if (known) return known.wasNew
  const wasNew = await isNewCustomer(ctx, ctx.caller.userId)
  await ctx.repos.deals.enter(c.id, ctx.caller.userId, wasNew)
  return (await ctx.repos.deals.entry(c.id, ctx.caller.userId))!.wasNew
}

/**
 * A mini-program code's scene holds 32 characters: the campaign's and the inviter's 16 hex digits,
 * without their prefixes.
 */
export const inviteScene = (campaignId: string, inviterId: string) => `${campaignId.replace(/^dc_/, '')}${inviterId.replace(/^u_/, '')}`

/** How many of the inviter's invites count (deal.rules.ts decides, over the repository's tally). */
async function countedBy(ctx: Ctx, c: DealCampaignRecord, inviterId: string): Promise<number> {
  return countedInvites(c.inviteCountsWhen, await ctx.repos.deals.inviteTally(c.id, inviterId))
}

export async function status(ctx: AuthedCtx, input: { campaignId: string }) {
  const c = await campaignOf(ctx, input.campaignId)
  const eligible = await enterOnce(ctx, c)
  const [counted, used, invites, pendingOrder] = await Promise.all([
    countedBy(ctx, c, ctx.caller.userId),
    ctx.repos.deals.claimsUsed(c.id, ctx.caller.userId),
    ctx.repos.deals.invitesBy(c.id, ctx.caller.userId),
    ctx.repos.deals.pendingOrder(c.id, ctx.caller.userId, ctx.now()),
  ])
  const { id, ...campaign } = c
  return {
    campaign: { campaignId: id, ...campaign },
    posterCode: await ctx.posters.codeFor('packages/deal/index', inviteScene(c.id, ctx.caller.userId)),
    eligible,
    claimsAllowed: eligible ? allowedClaims(c, counted) : 0,
    claimsUsed: used,
    invitesCounted: counted,
    invites: invites.map((f) => {
      const row = inviteRow(c.inviteCountsWhen, f)
      return { ...row, reason: row.reason as InviteReason | null }
    }),
    pendingOrder,
    serverTime: ctx.now().toISOString(),
  }
}

/**
 * Friend B opens A's invite, before anything else the campaign shows (first touch, recorded either
 * way). Counted when B is not A; A entered the campaign before B's first touch (so an id copied from
 * a leaderboard is no inviter, and two users can't invite each other in either order); neither is
 * rated at the highest risk; B is a new customer; B had not entered the campaign; and B was not
 * invited by anyone else — the last two by the database's keys, so two inviters racing for B count
 * once. In paid mode the invite counts once B pays a deal order.
 *
 * Why a cycle can't count twice, even raced: each side's check reads only committed entries, and
 * each side's own entry commits after its check, so at most one of two crossed checks can see the
 * other's entry.
 */
export async function acceptInvite(
  ctx: AuthedCtx,
  input: { campaignId: string; inviterId: string },
): Promise<{ counted: boolean; reason?: InviteReason }> {
  const c = await campaignOf(ctx, input.campaignId)
  const me = ctx.caller.userId
  if (input.inviterId === me) {
    // Kept for the funnel's SELF_INVITE row, once per user and campaign (the attempts' key): repeats add nothing.
    await ctx.repos.deals.recordRefusal(c.id, me, me, 'SELF_INVITE')
    return { counted: false, reason: 'SELF_INVITE' }
  }
  const [inviterEntered, isNew] = await Promise.all([ctx.repos.deals.entry(c.id, input.inviterId), isNewCustomer(ctx, me)])
  // B's first touch: from now on B can't be invited into this campaign.
  const firstTouch = await ctx.repos.deals.enter(c.id, me, isNew)
  if (!inviterEntered) {
    // Kept for the funnel once per friend (at their first touch), so made-up ids can't grow storage.
    if (firstTouch) await ctx.repos.deals.recordRefusal(c.id, me, input.inviterId, 'INVITER_NOT_FOUND')
    return { counted: false, reason: 'INVITER_NOT_FOUND' }
  }
  const inviter = (await ctx.repos.users.byId(input.inviterId))!
  // A refusal is kept for the inviter's list of friends, with its reason.
  const no = async (reason: InviteReason) => {
    if (reason !== 'NOT_PAID_YET') await ctx.repos.deals.recordRefusal(c.id, me, inviter.id, reason)
    return { counted: false, reason }
  }
  if (!firstTouch) return no('ALREADY_ENTERED')
  const [mine, theirs] = await Promise.all([ctx.risk.level(ctx.caller.openid), ctx.risk.level(inviter.openid)])
  if (mine >= BLOCKED || theirs >= BLOCKED) return no('RISK_BLOCKED')
  if (!isNew) return no('NOT_NEW_CUSTOMER')
  if (!(await ctx.repos.deals.addInvite(c.id, me, inviter.id, mine < NO_REWARD && theirs < NO_REWARD))) return no('ALREADY_INVITED')
  // Invited just now, at B's first touch: B has paid no deal order of the campaign yet.
  return inviteCounts(c.inviteCountsWhen, false) ? { counted: true } : no('NOT_PAID_YET')
}

/** The one line a deal order holds: one unit of the campaign's SKU. */
const dealItems = (c: DealCampaignRecord) => [{ productId: c.productId, skuId: c.skuId, qty: 1 }]

/**
 * What checkout shows before a claim: the deal order priced as `claim` would place it (the deal
 * price, the coupon only when its template allows special lines), and the held coupons priced for
 * it. Only reads: eligibility and claims left are checked when the order is placed.
 */
export async function preview(ctx: AuthedCtx, input: { campaignId: string; userCouponId?: string }) {
  const c = await campaignOf(ctx, input.campaignId)
  const items = dealItems(c)
  const [priced, coupons] = await Promise.all([
    previewOrder(ctx, { items, ...(input.userCouponId ? { userCouponId: input.userCouponId } : {}) }, { unitPriceFen: c.dealPriceFen }),
    resolveLines(ctx, items).then((lines) => couponsForLines(ctx, priceLines(lines, { play: { unitPriceFen: c.dealPriceFen } }))),
  ])
  return { ...priced, coupons: coupons.items, bestId: coupons.bestId }
}

/**
 * A claim is a deal order (then paid as any order), shipped to one of the caller's addresses; one
 * per allowed claim, whatever the concurrency.
 */
export async function claim(
  ctx: AuthedCtx,
  input: { campaignId: string; idempotencyKey: string; addressId: string; userCouponId?: string; note?: string },
) {
  // Held FOR SHARE to the end of the claim: a pause commits before this read or waits for this claim.
  const c = await ctx.repos.deals.getForClaim(input.campaignId)
  if (!c) return fail('NOT_FOUND', '活动不存在')
  // A retry of a claim placed before the pause still answers its order (the key's rule); nothing new passes.
  if (c.status === 'paused' && !(await ctx.repos.orders.byKey(ctx.caller.userId, input.idempotencyKey))) fail('DEAL_PAUSED')
  if (!(await enterOnce(ctx, c))) fail('DEAL_NOT_NEW_CUSTOMER')
  if ((await ctx.risk.level(ctx.caller.openid)) >= BLOCKED) fail('RISK_BLOCKED')
  const claimsAllowed = allowedClaims(c, await countedBy(ctx, c, ctx.caller.userId))
  const order = await createOrder(
    ctx,
    {
      items: dealItems(c),
      idempotencyKey: input.idempotencyKey,
      addressId: input.addressId,
      ...(input.userCouponId ? { userCouponId: input.userCouponId } : {}),
      ...(input.note ? { note: input.note } : {}),
    },
    {
      kind: 'deal',
      ref: c.id,
      unitPriceFen: c.dealPriceFen,
      take: async () => {
        if (!(await ctx.repos.deals.useClaim(c.id, ctx.caller.userId, claimsAllowed))) fail('DEAL_NO_CLAIMS_LEFT')
      },
    },
  )
  return { orderId: order.orderId, payableFen: order.payableFen }
}

export async function earnings(ctx: AuthedCtx) {
  return ctx.repos.earnings.mine(ctx.caller.userId)
}

/** The settle job: earnings of orders past their refund window move from pending to settled. */
export async function settleEarnings(ctx: Ctx): Promise<number> {
  return ctx.repos.earnings.settle(new Date(ctx.now().getTime() - ctx.config.refundWindowDays * 86_400_000))
}
