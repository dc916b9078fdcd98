import type { AdminCreateCouponInput, CenterCoupon, CheckoutCoupon, MyCoupon, OrderItemInput } from '../../contract'
import type { AuthedCtx, Ctx } from '../context'
import { checkCouponCreator } from '../auth/roles'
import { fail, requireConfirmed } from '../errors'
import { COUPON_CLAIM_TOUCHES, couponClaimed, ownRoom } from '../live/room'
import { atMemberPrices, resolveLines, type Line } from '../order/lines'
import { couponPart, type CouponAtCheckout } from '../order/checkout.rules'
import type { CouponRecord, OfferedCoupon, UserCouponRecord } from './coupon.ports'
import { onceByKey } from '../admin/request-keys'
import { claimSlots, couponStatus, createWarnings, lineApplies, offerState, orderDiscount, unusableReason } from './coupon.rules'

const DAY = 86_400_000

const termsView = (c: CouponRecord) => ({
  couponId: c.id,
  title: c.title,
  kind: c.kind,
  valueFen: c.valueFen,
  percentOff: c.percentOff,
  maxOffFen: c.maxOffFen,
  thresholdFen: c.thresholdFen,
  scope: c.scope,
  scopeIds: c.scope === 'all' ? [] : c.scopeIds,
})

/**
 * A coupon template. With `roomId` it is that room's room-only coupon (直播专享): the room must exist
 * and not have ended; it is claimable only in the room while live, after the anchor dropped it there.
 * An anchor creates room-only coupons only, within the anchor's limits (roles.ts). Likely mistakes
 * (coupon.rules createWarnings) answer CONFIRM_REQUIRED and create nothing until confirmed; with an
 * idempotency key a retry answers the first coupon and creates nothing.
 */
export async function createCoupon(ctx: AuthedCtx, input: AdminCreateCouponInput): Promise<{ couponId: string }> {
  checkCouponCreator(ctx.caller, input.roomId, input)
  // The request is the coupon, not the warnings accepted: a retry of a coupon already made answers it
  // whether or not it carries the confirmations again.
  const { confirm: _accepted, ...request } = input
  return onceByKey(ctx, 'admin.createCoupon', request, () => writeCoupon(ctx, input))
}

async function writeCoupon(ctx: AuthedCtx, input: AdminCreateCouponInput): Promise<{ couponId: string }> {
  const now = ctx.now()
  // Never right before probably wrong: a window that ends before it starts, a scope of nothing.
  const { validFrom, validTo } = claimWindow(input, now)
  await knownScope(ctx, input)
  requireConfirmed(createWarnings(input, now), input.confirm)
  if (input.roomId !== undefined) {
    const room = await ownRoom(ctx, input.roomId)
    if (room.status === 'ended') fail('VALIDATION_FAILED', '直播已结束，不能再创建专享券', [{ path: 'roomId', message: '直播已结束' }])
  }
  const couponId = await ctx.repos.coupons.create({
    title: input.title,
    kind: input.kind,
    valueFen: input.kind === 'fixed' ? input.valueFen! : null,
    percentOff: input.kind === 'percent' ? input.percentOff! : null,
    maxOffFen: input.kind === 'percent' ? (input.maxOffFen ?? null) : null,
    thresholdFen: input.thresholdFen,
    stock: input.stock,
    perUserLimit: input.perUserLimit,
    validFrom,
    validTo,
    validDays: input.validDays ?? null,
    scope: input.scope ?? 'all',
    scopeIds: input.scopeIds ?? [],
    allowOnSpecial: input.allowOnSpecial ?? false,
    roomId: input.roomId ?? null,
    slots: claimSlots(input.stock, ctx.config.couponSlots),
  })
  return { couponId }
}

const refuseField = (path: string, message: string): never => fail('VALIDATION_FAILED', message, [{ path, message }])

/**
 * The claim window: from its start (now when none) to its end (a year after the start when none).
 * An end not after the start is refused on validTo, also when the start is the default (now).
 */
export function claimWindow(input: { validFrom?: string; validTo?: string }, now: Date): { validFrom: Date; validTo: Date } {
  const validFrom = input.validFrom ? new Date(input.validFrom) : now
  const validTo = input.validTo ? new Date(input.validTo) : new Date(validFrom.getTime() + 365 * DAY)
  if (validTo.getTime() > MAX_INSTANT) refuseField(input.validTo ? 'validTo' : 'validFrom', '领取时间太远，请选择 9999 年以前的日期')
  if (validTo <= validFrom)
    refuseField('validTo', input.validFrom ? '结束时间须晚于开始时间' : '结束时间须晚于现在（未填开始时间时从现在开始）')
  return { validFrom, validTo }
}

/** The latest instant the contract's Instant can write (a 4-digit year). */
const MAX_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59)

/** A coupon for products or categories names ones that exist: a coupon that applies to nothing is refused. */
async function knownScope(ctx: AuthedCtx, input: { scope?: string; scopeIds?: string[] }): Promise<void> {
  if (input.scope !== 'products' && input.scope !== 'categories') return
  for (const id of new Set(input.scopeIds ?? [])) {
    const exists = input.scope === 'products' ? await ctx.repos.catalog.productExists(id) : await ctx.repos.catalog.categoryExists(id)
    if (!exists) refuseField('scopeIds', input.scope === 'products' ? '所选商品不存在，请重新选择' : '所选分类不存在，请重新选择')
  }
}

/** When a coupon claimed now is valid: N days from now, or the template's window. */
function validityOf(c: CouponRecord, now: Date) {
  return c.validDays
    ? { validFrom: now, validTo: new Date(now.getTime() + c.validDays * DAY) }
    : { validFrom: c.validFrom, validTo: c.validTo }
}

/**
 * Claims one coupon. Both limits are enforced by the database in this transaction: the user's
 * count rises only while under the per-user limit, the stock only while some is left. A shop coupon
 * is claimable inside its window wherever it is offered (the center, a product, any room it was
 * dropped in, live or not); a room-only coupon only while its room is live and after the anchor
 * dropped it there (the room's row is share-locked to the commit, so the end can't slip in between).
 */
export async function claim(ctx: AuthedCtx, input: { couponId: string }): Promise<{ userCouponId: string }> {
  const c = await ctx.repos.coupons.get(input.couponId)
  if (!c) return fail('NOT_FOUND', '优惠券不存在')
  const now = ctx.now()
  if (now < c.validFrom || now > c.validTo) fail('COUPON_NOT_ACTIVE', now < c.validFrom ? '优惠券还未开始领取' : '优惠券已结束领取')
  refuseStopped(c, now)
  if (c.roomId !== null) {
    const room = await ctx.repos.coupons.roomOfCoupon(c.id, c.roomId)
    if (room?.status === 'ended') fail('COUPON_NOT_ACTIVE', '直播已结束，直播专享券不能再领取')
    if (room?.status !== 'live' || !room.dropped) fail('COUPON_NOT_ACTIVE', '直播专享券仅在直播间发放后领取')
  }
  // One statement from here, the transaction's last, sent with its COMMIT: the count, the coupon, the
  // touches (room.ts decides which) and the unit of stock (coupon.repo claim). Nothing may follow it.
  const r = await ctx.repos.coupons.claim({
    couponId: c.id,
    userId: ctx.caller.userId,
    limit: c.perUserLimit,
    ...validityOf(c, now),
    now,
    touches: COUPON_CLAIM_TOUCHES,
  })
  if (r.outcome === 'limit') return fail('COUPON_LIMIT_REACHED')
  if (r.outcome === 'none') {
    // A pause or an end may have committed since the read above: the statement read it afresh.
    refuseStopped(r.fresh, now)
    return fail('COUPON_SOLD_OUT')
  }
  couponClaimed(ctx)
  return { userCouponId: r.userCouponId }
}

/** A coupon the shop paused or ended is claimed nowhere (the claim center, a product, a room). */
function refuseStopped(c: Pick<CouponRecord, 'status' | 'validTo'>, now: Date): void {
  const status = couponStatus(c, now)
  if (status === 'paused') fail('COUPON_PAUSED')
  if (status === 'ended') fail('COUPON_ENDED')
}

export async function center(ctx: AuthedCtx, input: { productId?: string }): Promise<{ items: CenterCoupon[] }> {
  const rows = await ctx.repos.coupons.listClaimable(ctx.caller.userId, ctx.now(), input.productId ?? null)
  return { items: centerViews(rows, ctx.now()) }
}

/**
 * Templates as the claim center shows them, with the caller's standing, in the repository's order
 * (started first, then newest). The order never depends on the caller's claims or the stock left,
 * so a card stays where it was after a claim and the next tap at the same spot acts on the same coupon.
 */
export function centerViews(rows: OfferedCoupon[], now: Date): CenterCoupon[] {
  return rows.map((c) => ({
    ...termsView(c),
    stock: c.stock,
    claimed: c.claimed,
    perUserLimit: c.perUserLimit,
    mine: c.mine,
    validFrom: c.validFrom.toISOString(),
    validTo: c.validTo.toISOString(),
    validDays: c.validDays,
    state: offerState(c, now),
    roomId: c.roomId,
  }))
}

function myView(h: UserCouponRecord, now: Date): MyCoupon {
  return {
    ...termsView(h.coupon),
    userCouponId: h.id,
    status: h.status === 'available' && h.validTo < now ? 'expired' : h.status,
    validFrom: h.validFrom.toISOString(),
    validTo: h.validTo.toISOString(),
  }
}

export async function mine(ctx: AuthedCtx, input: { status?: MyCoupon['status'] }): Promise<{ items: MyCoupon[] }> {
  const now = ctx.now()
  const items = (await ctx.repos.coupons.held(ctx.caller.userId)).map((h) => myView(h, now))
  return {
    items: input.status ? items.filter((i) => i.status === input.status) : items,
  }
}

/** The goods a coupon applies to among the order's lines. */
const applicable = (c: CouponRecord, lines: Line[]) =>
  lines.map((l) =>
    lineApplies(
      c,
      {
        productId: l.sku.productId,
        categoryId: l.sku.categoryId,
        lineFen: l.sku.priceFen * l.qty,
        special: l.special,
      },
      c.allowOnSpecial,
    )
      ? l.sku.priceFen * l.qty
      : 0,
  )

/** Every held coupon for these items: usable first, best saving first, then soonest expiry. */
export async function forCheckout(
  ctx: AuthedCtx,
  input: { items: OrderItemInput[] },
): Promise<{ items: CheckoutCoupon[]; bestId: string | null }> {
  const [lines, isMember] = await Promise.all([resolveLines(ctx, input.items), ctx.repos.membership.isMember(ctx.caller.userId)])
  // Coupons apply to member-priced goods (checkout's order: member price, then coupon).
  if (!isMember) return couponsForLines(ctx, lines)
  // A member's checkout is priced both ways and charges the lower (checkout.rules.ts priceCheckout):
  // a coupon whose threshold only regular prices meet is usable when that way comes out lower, and
  // each coupon's saving is what it takes off the member-priced order.
  const memberLines = atMemberPrices(lines, true)
  const [asMember, asRegular] = await Promise.all([couponsForLines(ctx, memberLines), couponsForLines(ctx, lines)])
  const goodsOf = (ls: Line[]) => ls.reduce((sum, l) => sum + l.sku.priceFen * l.qty, 0)
  const memberGoods = goodsOf(memberLines)
  const regularGoods = goodsOf(lines)
  const regularById = new Map(asRegular.items.map((c) => [c.userCouponId, c]))
  const items = asMember.items.map((m) => {
    const r = regularById.get(m.userCouponId)
    const memberPays = m.unusable ? memberGoods : memberGoods - m.savingFen
    const regularPays = r && !r.unusable ? regularGoods - r.savingFen : Infinity
    if (m.unusable && regularPays >= memberGoods) return m
    return { ...m, unusable: null, savingFen: memberGoods - Math.min(memberPays, regularPays) }
  })
  return bestFirst(items)
}

/** Usable first, best saving first, then soonest expiry; the best usable one with a saving is picked. */
function bestFirst(items: CheckoutCoupon[]): { items: CheckoutCoupon[]; bestId: string | null } {
  items.sort(
    (a, b) => Number(a.unusable !== null) - Number(b.unusable !== null) || b.savingFen - a.savingFen || a.validTo.localeCompare(b.validTo),
  )
  const best = items[0]
  return { items, bestId: best && !best.unusable && best.savingFen > 0 ? best.userCouponId : null }
}

/** Every held, unexpired coupon priced for these order lines (deal and sale lines marked special), as forCheckout answers. */
export async function couponsForLines(ctx: AuthedCtx, lines: Line[]): Promise<{ items: CheckoutCoupon[]; bestId: string | null }> {
  const now = ctx.now()
  const goods = lines.reduce((sum, l) => sum + l.sku.priceFen * l.qty, 0)
  const held = (await ctx.repos.coupons.held(ctx.caller.userId)).filter((h) => h.status === 'available' && h.validTo >= now)
  const items = held.map((h) => {
    const applicableFen = applicable(h.coupon, lines).reduce((a, b) => a + b, 0)
    const unusable = unusableReason(h.coupon, applicableFen, h, now)
    return {
      ...myView(h, now),
      savingFen: unusable ? 0 : orderDiscount(h.coupon, applicableFen, goods),
      unusable,
    }
  })
  return bestFirst(items)
}

/**
 * A held coupon's terms, checked usable on these lines (priced as charged: member prices where they
 * apply); refused with COUPON_NOT_APPLICABLE when it isn't the caller's, isn't available, or
 * doesn't apply. Checkout's pricing (order/checkout.rules.ts) applies it.
 */
export async function checkoutCoupon(
  ctx: Ctx & { caller: { userId: string } },
  userCouponId: string,
  lines: ReadonlyArray<{ productId: string; categoryId: string | null; lineFen: number; special: boolean }>,
): Promise<CouponAtCheckout> {
  const held = await ctx.repos.coupons.heldOne(userCouponId, ctx.caller.userId)
  if (!held || held.status !== 'available') return fail('COUPON_NOT_APPLICABLE', '优惠券不可用')
  const { applicableFen } = couponPart(held.coupon, lines)
  const reason = unusableReason(held.coupon, applicableFen, held, ctx.now())
  if (reason)
    return fail('COUPON_NOT_APPLICABLE', reason.code === 'BELOW_THRESHOLD' ? '未达到优惠券使用门槛' : '该优惠券不适用于此订单', reason)
  return held.coupon
}
