/** The shopper's orders: preview, place, pay, cancel, read, and ask for a refund or confirm receipt. */
import type {
  OrderCreateInput,
  OrderCreateOutput,
  OrderPreviewInput,
  OrderPreviewOutput,
  OrderStatus,
  OrderTab,
  OrderView,
  PaymentParams,
} from '../../contract'
import { decodeCursor, encodeCursor } from '../paging'
import { thumbOf } from '../catalog/images.rules'
import type { AuthedCtx } from '../context'
import { BusinessError, fail } from '../errors'
import { checkoutCoupon } from '../coupon/coupon.service'
import type { CheckoutFacts } from '../member/member.ports'
import { couponUsable, priceCheckout, type CheckoutPrice } from './checkout.rules'
import { checkFlashSale, takeFlashUnits } from '../flash/flash.service'
import { limitKeys, MAX_PENDING_ORDERS, ORDERS } from '../limits'
import type { FlashSaleRecord } from '../flash/flash.ports'
import type { KeyedOrder, NewOrder, OrderRecord, PayableGroupRecord } from './order.ports'
import { checkoutLine, priceLines, resolveLines, type Line } from './lines'
import { LOW_STOCK, roomChanged } from '../live/room'
import { releaseOrder } from './release'
import { ENTERED_FROM, lineProblem, MAX_ORDER_FEN, refundWindowEnds, TAB_STATUSES, toView } from './order.rules'

/** The caller's own order; another user's is NOT_FOUND, never FORBIDDEN (it doesn't exist for them). */
async function ownOrder(ctx: AuthedCtx, orderId: string): Promise<OrderRecord> {
  const order = await ctx.repos.orders.get(orderId)
  if (!order || order.userId !== ctx.caller.userId) return fail('NOT_FOUND', '订单不存在')
  return order
}

/** An order's goods stay within what one payment may carry (and within the database's integers). */
function checkOrderTotal(lines: Line[]): void {
  const goodsFen = lines.reduce((sum, l) => sum + l.sku.priceFen * l.qty, 0)
  if (goodsFen > MAX_ORDER_FEN)
    fail('VALIDATION_FAILED', `单笔订单金额不能超过 ${MAX_ORDER_FEN / 1_000_000} 万元`, [
      { path: 'items', message: `单笔订单金额不能超过 ${MAX_ORDER_FEN / 1_000_000} 万元` },
    ])
}

/**
 * Checkout's price of these lines, in the rules' order (member price, coupon, points: checkout.rules.ts),
 * for the preview and for placing the order alike. Refuses points on a flash-sale or play order, and
 * more points than the order can take; the balance is the caller's to check (the preview reads it,
 * placing the order takes the points by a conditional update).
 */
async function priceFor(
  ctx: AuthedCtx,
  lines: Line[],
  ask: { userCouponId?: string; pointsUsed?: number },
  facts: CheckoutFacts,
  pointsBarred: boolean,
): Promise<CheckoutPrice> {
  const asked = ask.pointsUsed ?? 0
  if (asked > 0 && pointsBarred) {
    fail('VALIDATION_FAILED', '秒杀和活动订单不能使用积分', [{ path: 'pointsUsed', message: '秒杀和活动订单不能使用积分' }])
  }
  const checkout = lines.map(checkoutLine)
  // The coupon is checked on the goods at regular prices (the most it can apply to): a member whose
  // member prices fall below its threshold is priced the regular way (never dearer than a non-member).
  const unpriced = priceCheckout(checkout, { isMember: false, coupon: null, pointsUsed: 0, pointsMaxPercent: 0 })
  const coupon = ask.userCouponId
    ? await checkoutCoupon(
        ctx,
        ask.userCouponId,
        checkout.map((l, i) => ({ ...l, lineFen: unpriced.lines[i]!.lineFen })),
      )
    : null
  const price = priceCheckout(checkout, {
    isMember: facts.isMember,
    coupon,
    pointsUsed: asked,
    pointsMaxPercent: facts.rules.pointsMaxPercent,
  })
  // The lower way for a member may leave the coupon below its threshold (member prices cheaper than
  // regular prices with the coupon): refused as before, the shopper pays less without it.
  if (coupon && !couponUsable(coupon, price.couponApplicableFen)) fail('COUPON_NOT_APPLICABLE', '未达到优惠券使用门槛')
  if (asked > price.pointsCap) {
    const message = price.pointsCap === 0 ? '本单不能使用积分' : `本单最多可用 ${price.pointsCap} 积分`
    fail('VALIDATION_FAILED', message, [{ path: 'pointsUsed', message }])
  }
  return price
}

/** The most points this order can take from this balance: the cap, in whole yuan of the balance. */
const maxUsable = (price: CheckoutPrice, available: number, barred: boolean) =>
  barred ? 0 : Math.min(price.pointsCap, Math.floor(Math.max(0, available) / 100) * 100)

/** The server's price breakdown of an order before it is placed; `play` prices a play's order's line at the play's price. */
export async function preview(ctx: AuthedCtx, input: OrderPreviewInput, play?: { unitPriceFen: number }): Promise<OrderPreviewOutput> {
  const [resolved, facts] = await Promise.all([resolveLines(ctx, input.items), ctx.repos.membership.checkoutFacts(ctx.caller.userId)])
  let sale: FlashSaleRecord | null = null
  if (input.flashSaleId) {
    // The sale price as checkout will charge it; the sale's rules (window, audience) are applied only
    // when the order is placed, so a preview answers outside the window too.
    sale = await ctx.repos.flash.get(input.flashSaleId)
    if (!sale || resolved.length !== 1 || resolved[0]!.sku.id !== sale.skuId) return fail('VALIDATION_FAILED', '秒杀订单只能包含活动商品')
  }
  const lines = priceLines(resolved, { sale, play })
  checkOrderTotal(lines)
  const barred = Boolean(sale || play)
  const price = await priceFor(ctx, lines, input, facts, barred)
  if (price.pointsUsed > facts.available) fail('POINTS_INSUFFICIENT', `积分不足，当前可用 ${Math.max(0, facts.available)} 积分`)
  const priced = lines.map(({ sku, qty }, i) => ({
    productId: sku.productId,
    skuId: sku.id,
    title: sku.title,
    specText: sku.specText,
    cover: thumbOf(sku.cover),
    regularPriceFen: sku.priceFen,
    unitPriceFen: price.lines[i]!.unitPriceFen,
    qty,
    lineFen: price.lines[i]!.lineFen,
    discountFen: price.lines[i]!.discountFen,
    stock: sku.stock,
    problem: lineProblem({ qty, stock: sku.stock, onSale: sku.onSale }),
  }))
  return {
    lines: priced,
    goodsFen: price.goodsFen,
    discountFen: price.discountFen,
    memberSavingFen: price.memberSavingFen,
    couponFen: price.couponFen,
    pointsUsed: price.pointsUsed,
    pointsFen: price.pointsFen,
    payableFen: price.payableFen,
    isMember: facts.isMember,
    points: { available: facts.available, maxUsable: maxUsable(price, facts.available, barred) },
  }
}

/**
 * What an order records of where it came from: facts the server holds, never the client's word. The
 * sharer is the buyer's last share touch within the attribution window (touches are recorded when a
 * shared product page or live room is opened); the room only one the buyer has entered.
 */
async function attribution(ctx: AuthedCtx, roomId: string | undefined): Promise<{ sharerId: string | null; roomId: string | null }> {
  const since = new Date(ctx.now().getTime() - ctx.config.shareAttributionDays * 86_400_000)
  const [sharerId, entered] = await Promise.all([
    ctx.repos.shares.lastSharer(ctx.caller.userId, since),
    roomId ? ctx.repos.live.entered(roomId, ctx.caller.userId) : false,
  ])
  return { sharerId, roomId: entered ? roomId! : null }
}

/**
 * A play's order (新人9.9 deal, 拼团 group, 助力/砍价 assist): one line of the play's SKU at the
 * play's price, holding what the play gives for it (a deal claim, a group seat, the task's one
 * purchase). Each play's release of that hold is in release.ts.
 */
export interface PlayOrder {
  kind: 'deal' | 'group' | 'assist'
  /** What the order is for (the deal campaign, the group, the assist task): a repeat of the key must name the same. */
  ref: string
  /** The line's price. */
  unitPriceFen: number
  /**
   * Takes what the play holds for the order, by conditional updates, once the order row is inserted
   * (so a racing copy of the same key, which inserts nothing, takes nothing); refuses by failing,
   * which rolls the order back.
   */
  take(orderId: string): Promise<void>
  /** The latest the order may be paid (a group order joining a forming group: its group's expiresAt); the pay window's end if later. */
  payBy?: Date
}

interface OrderPlan {
  lines: Line[]
  sale: FlashSaleRecord | null
  address: NewOrder['address']
  from: { sharerId: string | null; roomId: string | null }
  price: CheckoutPrice
}

/** The value of a settled promise, or its error thrown. */
function settled<T>(r: PromiseSettledResult<T>): T {
  if (r.status === 'rejected') throw r.reason
  return r.value
}

/**
 * Everything an order needs decided before it is placed, by reads only (lines, prices, address,
 * attribution, coupon), after the unpaid orders the caller holds are counted under their lock.
 */
async function planOrder(ctx: AuthedCtx, input: OrderCreateInput, play?: PlayOrder): Promise<OrderPlan> {
  // The reads start together (the database layer sends them in one round trip, the count first,
  // each read after it has the lock) and are judged in this order: the unpaid orders, the goods,
  // the address, where the order came from, the buyer's member facts (member or not, points, rules).
  const [pending, resolving, addressed, attributed, member] = await Promise.allSettled([
    ctx.repos.orders.pendingCountLocked(ctx.caller.userId),
    resolveLines(ctx, input.items),
    input.addressId ? ctx.repos.addresses.byId(ctx.caller.userId, input.addressId) : Promise.resolve(null),
    attribution(ctx, input.roomId),
    ctx.repos.membership.checkoutFacts(ctx.caller.userId),
  ])
  if (settled(pending) >= MAX_PENDING_ORDERS) {
    fail('RATE_LIMITED', `待付款订单已有 ${MAX_PENDING_ORDERS} 笔，请先支付或取消后再下单`)
  }
  const resolved = settled(resolving)
  if (resolved.some((l) => !l.sku.onSale)) fail('NOT_FOUND', '商品已下架')
  let sale: FlashSaleRecord | null = null
  if (input.flashSaleId) {
    if (resolved.length !== 1)
      fail('VALIDATION_FAILED', '秒杀订单只能包含活动商品', [{ path: 'items', message: '秒杀订单只能包含活动商品' }])
    // Placing the order holds the sale to its rules: its SKU, its window, its audience.
    sale = await checkFlashSale(ctx, input.flashSaleId, resolved[0]!.sku.id)
  }
  const lines = priceLines(resolved, { sale, play })
  checkOrderTotal(lines)
  let address: NewOrder['address'] = null
  if (input.addressId) {
    const found = settled(addressed)
    if (!found) return fail('NOT_FOUND', '收货地址不存在')
    const { id: _id, isDefault: _d, ...fields } = found
    address = fields
  }
  const from = settled(attributed)
  const facts = settled(member)
  const price = await priceFor(ctx, lines, input, facts, Boolean(sale || play))
  // A quick answer when the balance read is short; the conditional update after the insert decides.
  if (price.pointsUsed > facts.available) fail('POINTS_INSUFFICIENT', `积分不足，当前可用 ${Math.max(0, facts.available)} 积分`)
  return { lines, sale, address, from, price }
}

/**
 * Places an order: server prices, one order per idempotency key, stock and everything else reserved
 * by conditional updates in this transaction. Any refusal rolls the whole order back.
 *
 * Everything before the order row is inserted only reads. The insert claims the key: a racing copy
 * of the same call waits on the key's unique index, finds the first order and answers it, having
 * taken nothing — no stock, flash unit, coupon or deal claim is taken twice for one key.
 */
export async function create(ctx: AuthedCtx, input: OrderCreateInput, play?: PlayOrder): Promise<OrderCreateOutput> {
  const userId = ctx.caller.userId
  // The order the key already made, if the request is the same; a different request is refused.
  const keyed = async () => {
    const first = await ctx.repos.orders.byKey(userId, input.idempotencyKey)
    if (!first) return null
    if (!(await sameRequest(ctx, first, input, play))) fail('IDEMPOTENCY_KEY_REUSED')
    return summary(ctx, first.id)
  }
  // The key is looked up only when something says it was used (the plan refused, or the insert found
  // it taken): a repeat of the call plans again, reading only, then finds its order there.
  let plan: OrderPlan
  try {
    plan = await planOrder(ctx, input, play)
  } catch (err) {
    // A copy of this call that committed earlier or meanwhile may be what refused this one (its coupon
    // is locked now, the unpaid orders are full): answer its order, or refuse a different request.
    const first = err instanceof BusinessError ? await keyed() : null
    if (first) return first
    throw err
  }
  const { lines, sale, price } = plan
  const now = ctx.now()
  // The order, its lines and its cost in the shopper's order rate, in one statement: the insert
  // claims the key, and only then is a token taken (a copy of the call that found the key taken
  // pays nothing), in this transaction: an order refused below costs none.
  const placed = await ctx.repos.orders.insert(
    {
      userId,
      idempotencyKey: input.idempotencyKey,
      goodsFen: price.goodsFen,
      discountFen: price.discountFen,
      couponFen: price.couponFen,
      pointsUsed: price.pointsUsed,
      pointsFen: price.pointsFen,
      memberSavingFen: price.memberSavingFen,
      payableFen: price.payableFen,
      address: plan.address,
      note: input.note ?? '',
      ...plan.from,
      payDeadline: new Date(Math.min(now.getTime() + ctx.config.orderPayMinutes * 60_000, play?.payBy?.getTime() ?? Infinity)),
      userCouponId: input.userCouponId ?? null,
      flashSaleId: input.flashSaleId ?? null,
      kind: play?.kind ?? 'normal',
      playRef: play?.ref ?? null,
      dealCampaignId: play?.kind === 'deal' ? play.ref : null,
    },
    lines.map(({ sku, qty }, i) => ({
      discountFen: price.lines[i]!.discountFen,
      skuId: sku.id,
      productId: sku.productId,
      title: sku.title,
      specText: sku.specText,
      cover: thumbOf(sku.cover),
      unitPriceFen: price.lines[i]!.unitPriceFen,
      qty,
    })),
    { key: limitKeys.order(userId), rule: ORDERS, at: now },
  )
  // Null: a racing copy of this call committed the key first. Answer its order; nothing was taken here.
  if (!placed) return (await keyed())!
  const orderId = placed.id
  if (!placed.charged) fail('RATE_LIMITED', '下单太频繁，请稍后再试')

  // Then it takes what it needs, each by a conditional update.
  if (play) await play.take(orderId)
  if (sale) await takeFlashUnits(ctx, sale, lines[0]!.qty)
  // The coupon pays for this order only if no other order took it meanwhile.
  if (input.userCouponId && !(await ctx.repos.coupons.lock(input.userCouponId, userId, orderId, now))) {
    fail('COUPON_NOT_APPLICABLE', '优惠券已被其他订单使用')
  }
  // The points by one conditional update on the balance (with the ledger's entry): two orders racing
  // for the same points queue on the row, and the second finds too little.
  if (price.pointsUsed > 0 && !(await ctx.repos.membership.spend(userId, orderId, price.pointsUsed, now))) {
    fail('POINTS_INSUFFICIENT', '积分不足，可能已在其他订单中使用')
  }
  // Only the units ordered leave the cart: a line holding more keeps the rest.
  if (input.fromCart)
    await ctx.repos.cart.takeUnits(
      userId,
      lines.map((l) => ({ skuId: l.sku.id, qty: l.qty })),
    )
  // Stock last, in the transaction's last statement, sent with its commit: a hot SKU's row stays
  // locked only while the server runs it and commits. 已售罄 / 仅剩 N 件 in the live rooms showing
  // them move in the same statement, by stockMoved's rule (room.ts: LOW_STOCK), rooms locked last.
  const refused = await ctx.repos.orders.takeStockLast(
    lines.map((l) => ({ skuId: l.sku.id, qty: l.qty })),
    LOW_STOCK,
  )
  if (refused) {
    // Nothing was committed. Retired or taken off the shelf since the order read it: as if it had been read so.
    if (refused.reason === 'off_sale') return fail('NOT_FOUND', '商品已下架')
    const sku = lines.find((l) => l.sku.id === refused.skuId)!.sku
    return fail('OUT_OF_STOCK', `${sku.title}${sku.specText ? `（${sku.specText}）` : ''}库存不足`, { skuId: sku.id })
  }
  // The statement moved the rooms' versions if a line went low: this host reads the rooms' states
  // again at their next poll (a line read well stocked that others drained meanwhile is seen within
  // the cache's time, as another host's change is).
  if (lines.some((l) => l.sku.stock - l.qty < LOW_STOCK)) roomChanged(ctx, null, 'counts')
  return { orderId, payableFen: price.payableFen, status: 'pending_payment' }
}

/**
 * Whether a repeated key asks for what its order was made with: the same kind (a play's, for the
 * same campaign, group or task, or a mall order), goods and quantities, flash sale, coupon, points,
 * note, and address (as the address reads now against the order's copy of it).
 */
async function sameRequest(ctx: AuthedCtx, first: KeyedOrder, input: OrderCreateInput, play?: PlayOrder): Promise<boolean> {
  if (first.kind !== (play?.kind ?? 'normal') || first.playRef !== (play?.ref ?? null)) return false
  if (first.flashSaleId !== (input.flashSaleId ?? null) || first.userCouponId !== (input.userCouponId ?? null)) return false
  if (first.note !== (input.note ?? '') || first.pointsUsed !== (input.pointsUsed ?? 0)) return false
  const single = await ctx.repos.orders.singleSkuOf(input.items.filter((i) => !i.skuId).map((i) => i.productId))
  const asked = new Map<string, number>()
  for (const item of input.items) {
    const skuId = item.skuId ?? single.get(item.productId)
    if (!skuId) return false
    const k = `${item.productId}/${skuId}`
    asked.set(k, (asked.get(k) ?? 0) + item.qty)
  }
  const made = new Map<string, number>()
  for (const item of first.items) made.set(`${item.productId}/${item.skuId}`, (made.get(`${item.productId}/${item.skuId}`) ?? 0) + item.qty)
  if (asked.size !== made.size || [...asked].some(([k, qty]) => made.get(k) !== qty)) return false
  if (!input.addressId) return first.address === null
  const found = await ctx.repos.addresses.byId(ctx.caller.userId, input.addressId)
  if (!found || !first.address) return false
  return ADDRESS_FIELDS.every((f) => found[f] === first.address![f])
}

const ADDRESS_FIELDS = ['name', 'phone', 'province', 'city', 'district', 'detail'] as const

async function summary(ctx: AuthedCtx, orderId: string): Promise<OrderCreateOutput> {
  const order = await ownOrder(ctx, orderId)
  return { orderId: order.id, payableFen: order.payableFen, status: order.status }
}

/** A group order's group still takes payments: pending (the leader's) or forming and not past its time. */
function payableGroup(ctx: AuthedCtx, g: PayableGroupRecord | null): void {
  const now = ctx.now().getTime()
  // A pending group (its leader has not paid) is formed by the leader's payment, so only while its
  // campaign opens groups: not once it ended (by the desk or by time), not while it is paused.
  if (g?.status === 'pending') {
    if (g.campaign.status === 'ended' || g.campaign.endsAt.getTime() <= now) fail('GROUP_CLOSED', '拼团活动已结束，该团不能再支付')
    if (g.campaign.status === 'paused') fail('GROUP_CLOSED', '拼团活动已暂停，该团暂不能支付')
    return
  }
  const running = g !== null && g.status === 'forming' && g.expiresAt !== null && g.expiresAt.getTime() > now
  if (!running) fail('GROUP_CLOSED', '拼团时间已到，该团已结束，不能再支付')
}

export async function pay(ctx: AuthedCtx, input: { orderId: string }): Promise<{ payment: PaymentParams }> {
  // The call's one read, sent with its commit (the provider is asked after, outside the database).
  const order = await ctx.repos.orders.toPay(input.orderId)
  if (!order || order.userId !== ctx.caller.userId) return fail('NOT_FOUND', '订单不存在')
  if (order.status !== 'pending_payment') fail('ORDER_NOT_PAYABLE', '订单已支付或已关闭')
  if (new Date(order.payDeadline).getTime() <= ctx.now().getTime()) fail('ORDER_NOT_PAYABLE', '订单已超时关闭')
  // A group order is paid only into a group still running (only these orders read their group).
  if (order.kind === 'group') payableGroup(ctx, order.group)
  const first = order.items[0]
  const description = first ? `${first.title}${order.items.length > 1 ? ` 等${order.items.length}件` : ''}` : '商城订单'
  const payment = await ctx.payments.prepare({
    orderId: order.id,
    amountFen: order.payableFen,
    description: description.slice(0, 40),
    openid: ctx.caller.openid,
  })
  return { payment }
}

export async function cancel(ctx: AuthedCtx, input: { orderId: string }): Promise<{ order: OrderView }> {
  await ownOrder(ctx, input.orderId)
  const order = await ctx.repos.orders.transition(input.orderId, ENTERED_FROM.cancelled, 'cancelled', ctx.now(), {
    userId: ctx.caller.userId,
    reason: '买家取消',
    actor: { kind: 'shopper', userId: ctx.caller.userId },
  })
  if (!order) return fail('ORDER_NOT_CANCELLABLE')
  await releaseOrder(ctx, order, 'cancelled')
  return { order: toView(order, ctx) }
}

export async function get(ctx: AuthedCtx, input: { orderId: string }): Promise<{ order: OrderView; serverTime: string }> {
  return { order: toView(await ownOrder(ctx, input.orderId), ctx), serverTime: ctx.now().toISOString() }
}

export async function list(
  ctx: AuthedCtx,
  input: { tab?: OrderTab; cursor?: string; limit?: number },
): Promise<{ items: OrderView[]; nextCursor: string | null; serverTime: string }> {
  const limit = input.limit ?? 10
  const beforeSeq = input.cursor ? decodeCursor(input.cursor) : null
  const rows = await ctx.repos.orders.list(ctx.caller.userId, TAB_STATUSES[input.tab ?? 'all'], beforeSeq, limit + 1)
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return {
    items: page.map(({ seq: _seq, ...o }) => toView(o, ctx)),
    nextCursor: rows.length > limit && last ? encodeCursor(last.seq) : null,
    serverTime: ctx.now().toISOString(),
  }
}

export async function counts(ctx: AuthedCtx): Promise<{ counts: Record<OrderTab, number> }> {
  const c = await ctx.repos.orders.counts(ctx.caller.userId)
  const sum = (statuses: readonly OrderStatus[]) => statuses.reduce((n, s) => n + c[s], 0)
  return {
    counts: {
      all: Object.values(c).reduce((a, b) => a + b, 0),
      pending_payment: c.pending_payment,
      paid: c.paid,
      shipped: c.shipped,
      completed: c.completed,
      refund: sum(TAB_STATUSES.refund!),
    },
  }
}

async function ownTransition(
  ctx: AuthedCtx,
  orderId: string,
  to: OrderStatus,
  refusal: 'ORDER_NOT_REFUNDABLE' | 'ORDER_STATUS_CHANGED',
  reason?: string,
) {
  await ownOrder(ctx, orderId)
  const order = await ctx.repos.orders.transition(orderId, ENTERED_FROM[to], to, ctx.now(), {
    userId: ctx.caller.userId,
    reason,
    actor: { kind: 'shopper', userId: ctx.caller.userId },
  })
  if (!order) return fail(refusal)
  return { order: toView(order, ctx) }
}

/** The shopper asks for a refund, within the refund window after payment; after it only the merchant refunds (售后). */
export async function requestRefund(ctx: AuthedCtx, input: { orderId: string; reason: string }) {
  const order = await ownOrder(ctx, input.orderId)
  if (order.paidAt && ctx.now() >= refundWindowEnds(order.paidAt, ctx.config.refundWindowDays)) {
    fail('ORDER_NOT_REFUNDABLE', `已超过退款期限（支付后 ${ctx.config.refundWindowDays} 天），如需售后请联系商家`)
  }
  return ownTransition(ctx, input.orderId, 'refund_requested', 'ORDER_NOT_REFUNDABLE', input.reason)
}

export const confirmReceipt = (ctx: AuthedCtx, input: { orderId: string }) =>
  ownTransition(ctx, input.orderId, 'completed', 'ORDER_STATUS_CHANGED')
