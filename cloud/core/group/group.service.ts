/** 拼团 for the shopper: the campaigns, a campaign's open groups, a group's page, and opening or joining one. */
import type { ActionArgs, ActionResult, GroupMember, GroupView } from '../../contract'
import type { AuthedCtx, Ctx } from '../context'
import { fail } from '../errors'
import { couponsForLines } from '../coupon/coupon.service'
import { priceLines, resolveLines } from '../order/lines'
import { create as createOrder, preview as previewOrder } from '../order/order.service'
import type { GroupCampaignRecord, GroupRecord } from './group.ports'
import { campaignOpen, campaignView, memberView, openGroupId } from './group.rules'

/** How many open groups a campaign page lists. */
const OPEN_GROUPS_SHOWN = 20

async function campaignOf(ctx: Ctx, id: string): Promise<GroupCampaignRecord> {
  const c = await ctx.repos.groups.campaign(id)
  if (!c) return fail('NOT_FOUND', '拼团活动不存在')
  return c
}

/** The one line a group order holds: one unit of the campaign's SKU. */
const groupItems = (c: GroupCampaignRecord) => [{ productId: c.productId, skuId: c.skuId, qty: 1 }]

export async function campaigns(ctx: Ctx, input: ActionArgs<'group', 'campaigns'>): Promise<ActionResult<'group', 'campaigns'>> {
  const now = ctx.now()
  const items = await ctx.repos.groups.openCampaigns(now, input.productId ?? null)
  return { items: items.map((c) => campaignView(c, now)), serverTime: now.toISOString() }
}

export async function campaign(ctx: Ctx, input: ActionArgs<'group', 'campaign'>): Promise<ActionResult<'group', 'campaign'>> {
  const now = ctx.now()
  const c = await campaignOf(ctx, input.campaignId)
  const userId = ctx.caller?.userId ?? null
  const [groups, myGroupId] = await Promise.all([
    campaignOpen(c, now) ? ctx.repos.groups.openGroups(c.id, now, OPEN_GROUPS_SHOWN) : Promise.resolve([]),
    userId ? ctx.repos.groups.myOpenGroup(c.id, userId) : Promise.resolve(null),
  ])
  const seats = await ctx.repos.groups.seats(groups.map((g) => g.id))
  return {
    campaign: campaignView(c, now),
    groups: groups.map((g) => ({
      groupId: g.id,
      members: withLeader(seats.filter((s) => s.groupId === g.id).map(memberView)),
      seatsLeft: g.size - g.held,
      expiresAt: g.expiresAt!.toISOString(),
      mine: userId !== null && seats.some((s) => s.groupId === g.id && s.userId === userId),
    })),
    myGroupId,
    serverTime: now.toISOString(),
  }
}

/** Members listed leader first; when the leader's seat was freed the first paid member is marked 团长. */
function withLeader(members: GroupMember[]): GroupMember[] {
  if (members.some((m) => m.leader)) return members
  const first = members.findIndex((m) => m.paid)
  return members.map((m, i) => (i === first ? { ...m, leader: true } : m))
}

/** A group is shown to anyone once its leader paid; while pending only to its leader. */
async function visibleGroup(ctx: AuthedCtx, groupId: string): Promise<GroupRecord> {
  const g = await ctx.repos.groups.group(groupId)
  if (!g || (!g.formedAt && g.leaderId !== ctx.caller.userId)) return fail('NOT_FOUND', '拼团不存在')
  return g
}

export async function get(ctx: AuthedCtx, input: { groupId: string }): Promise<GroupView> {
  const now = ctx.now()
  const g = await visibleGroup(ctx, input.groupId)
  const ended = g.status !== 'pending' && g.status !== 'forming'
  const [c, seats, mine, elsewhere] = await Promise.all([
    campaignOf(ctx, g.campaignId),
    // Once ended: those who paid (a failed group's are refunded by then), not the seats freed.
    ctx.repos.groups.seats([g.id], ended).then((all) => (ended ? all.filter((s) => s.seat === 'paid' || s.seat === 'refunded') : all)),
    ctx.repos.groups.mySeat(g.id, ctx.caller.userId),
    ctx.repos.groups.openSeatElsewhere(g.campaignId, ctx.caller.userId, g.id),
  ])
  const timeUp = g.status === 'forming' && g.expiresAt !== null && g.expiresAt.getTime() <= now.getTime()
  const running = g.status === 'forming' && !timeUp
  const holding = mine !== null && (mine.seat === 'held' || mine.seat === 'paid')
  return {
    groupId: g.id,
    campaign: campaignView(c, now),
    status: g.status,
    size: g.size,
    groupPriceFen: g.priceFen,
    // Who holds seats: paid members, and unpaid ones (their seat is held until they pay or it is freed).
    // A leader refunded while the group went on has left it: the earliest paid member carries the 团长 mark.
    members: withLeader(seats.map(memberView)),
    seatsLeft: ended ? 0 : g.size - g.held,
    awaitingPayment: ended ? 0 : g.held - g.paid,
    timeUp,
    expiresAt: g.expiresAt?.toISOString() ?? null,
    endedAt: g.endedAt?.toISOString() ?? null,
    mine: mine
      ? {
          orderId: mine.orderId,
          orderStatus: mine.orderStatus,
          leader: mine.leader,
          paid: mine.seat === 'paid' || mine.seat === 'refunded',
          payableFen: mine.payableFen,
        }
      : null,
    // The leader never joins their own group again (after a refund while it was forming they left it).
    canJoin: running && g.held < g.size && !holding && !elsewhere && g.leaderId !== ctx.caller.userId && campaignOpen(c, now),
    inAnotherGroup: elsewhere && !holding,
    serverTime: now.toISOString(),
  }
}

/**
 * What checkout shows before opening or joining: the group order priced as it would be placed (the
 * group price; the coupon only when its template allows special lines), and the held coupons priced
 * for it. Only reads: seats and the campaign's window are checked when the order is placed.
 */
export async function preview(ctx: AuthedCtx, input: ActionArgs<'group', 'preview'>): Promise<ActionResult<'group', 'preview'>> {
  let c: GroupCampaignRecord
  let priceFen: number
  if (input.groupId) {
    const g = await visibleGroup(ctx, input.groupId)
    c = await campaignOf(ctx, g.campaignId)
    priceFen = g.priceFen
  } else {
    c = await campaignOf(ctx, input.campaignId!)
    priceFen = c.groupPriceFen
  }
  const items = groupItems(c)
  const play = { unitPriceFen: priceFen }
  const [priced, coupons] = await Promise.all([
    previewOrder(ctx, { items, ...(input.userCouponId ? { userCouponId: input.userCouponId } : {}) }, play),
    resolveLines(ctx, items).then((lines) => couponsForLines(ctx, priceLines(lines, { play }))),
  ])
  return { ...priced, coupons: coupons.items, bestId: coupons.bestId }
}

type Checkout = { idempotencyKey: string; addressId: string; userCouponId?: string; note?: string }

const orderInput = (c: GroupCampaignRecord, input: Checkout) => ({
  items: groupItems(c),
  idempotencyKey: input.idempotencyKey,
  addressId: input.addressId,
  ...(input.userCouponId ? { userCouponId: input.userCouponId } : {}),
  ...(input.note ? { note: input.note } : {}),
})

/** GROUP_NOT_ACTIVE, saying whether the campaign is paused or outside its window (or ended). */
const notActive = (c: Pick<GroupCampaignRecord, 'status'>): never =>
  fail('GROUP_NOT_ACTIVE', c.status === 'paused' ? '拼团活动已暂停，请稍后再来' : '拼团活动未开始或已结束')

/** A paused or closed campaign refuses, except a retry of a key that already placed its order (it answers that order). */
async function requireOpen(ctx: AuthedCtx, c: GroupCampaignRecord, idempotencyKey: string): Promise<void> {
  if (!campaignOpen(c, ctx.now()) && !(await ctx.repos.orders.byKey(ctx.caller.userId, idempotencyKey))) notActive(c)
}

/**
 * Opens a group: the caller's group order (one unit at the group price, to one of their addresses)
 * and a pending group holding their seat, in the order's transaction. The group's id comes from the
 * key, so a repeat of the key answers the same order and group.
 */
export async function open(ctx: AuthedCtx, input: ActionArgs<'group', 'open'>): Promise<ActionResult<'group', 'open'>> {
  // The terms read under the campaign's row held shared: an edit of price or size waits for this open
  // and then finds its group (the terms are then fixed), so the group opens on the terms the campaign has.
  const c = await ctx.repos.groups.campaignShared(input.campaignId)
  if (!c) return fail('NOT_FOUND', '拼团活动不存在')
  await requireOpen(ctx, c, input.idempotencyKey)
  // The SKU's price lowered to the group price or below it: the group price is no saving any more.
  if (c.groupPriceFen >= c.priceFen && !(await ctx.repos.orders.byKey(ctx.caller.userId, input.idempotencyKey)))
    fail('GROUP_NOT_ACTIVE', '商品已降价，拼团价不再优惠，暂不能开团')
  const groupId = openGroupId(ctx.caller.userId, input.idempotencyKey)
  const order = await createOrder(ctx, orderInput(c, input), {
    kind: 'group',
    ref: groupId,
    unitPriceFen: c.groupPriceFen,
    take: async (orderId) => {
      const opened = await ctx.repos.groups.open({
        id: groupId,
        campaignId: c.id,
        leaderId: ctx.caller.userId,
        orderId,
        size: c.groupSize,
        hours: c.groupHours,
        priceFen: c.groupPriceFen,
        onExpiry: c.onExpiry,
        at: ctx.now(),
      })
      if (!opened) fail('GROUP_ALREADY_JOINED', '你已有一个进行中的拼团，请等它结束后再开团')
    },
  })
  return { orderId: order.orderId, payableFen: order.payableFen, groupId }
}

/**
 * Joins a forming group: a group order holding one seat, taken by one conditional update on the
 * group's row, so of friends racing for the last seat exactly one gets an order and the others are
 * told before they pay (GROUP_FULL). The seat also needs the campaign open, in that statement and
 * again after it (group.repo join): a pause or end that has committed lets no further join take a seat.
 */
export async function join(ctx: AuthedCtx, input: ActionArgs<'group', 'join'>): Promise<ActionResult<'group', 'join'>> {
  const g = await visibleGroup(ctx, input.groupId)
  if (g.leaderId === ctx.caller.userId) fail('GROUP_ALREADY_JOINED', '这是你开的团，不能再参团')
  const c = await campaignOf(ctx, g.campaignId)
  await requireOpen(ctx, c, input.idempotencyKey)
  const order = await createOrder(ctx, orderInput(c, input), {
    kind: 'group',
    ref: g.id,
    unitPriceFen: g.priceFen,
    // A joiner pays before the group's time is up, or not at all (a forming group's expiresAt is fixed).
    ...(g.expiresAt ? { payBy: g.expiresAt } : {}),
    take: async (orderId) => {
      const at = ctx.now()
      const { outcome, campaign } = await ctx.repos.groups.join(g.id, ctx.caller.userId, orderId, at)
      if (outcome === 'closed') fail('GROUP_CLOSED')
      if (outcome === 'refused') return campaignOpen(campaign, at) ? fail('GROUP_FULL') : notActive(campaign)
      if (outcome === 'joined') fail('GROUP_ALREADY_JOINED')
      // The campaign as read after the seat, on the clock now: a pause or end that committed while the
      // seat was taken refuses it (rolled back with the order), so none is taken after it committed.
      if (!campaignOpen(campaign, ctx.now())) notActive(campaign)
    },
  })
  return { orderId: order.orderId, payableFen: order.payableFen, groupId: g.id }
}
