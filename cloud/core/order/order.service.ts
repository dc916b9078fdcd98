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
import { decodeCursor, encodeCursor } from '../catalog/catalog.service'
import type { AuthedCtx, Ctx } from '../context'
import { fail } from '../errors'
import { couponDiscount } from '../coupon/coupon.service'
import { takeFlashSale } from '../flash/flash.service'
import type { DealCampaignRecord, OrderRecord } from '../ports'
import { resolveLines } from './lines'
import { refundPayment } from './payment.service'
import { ENTERED_FROM, lineProblem, priceOrder, TAB_STATUSES } from './order.rules'

export const toView = ({ userId: _userId, ...view }: OrderRecord): OrderView => view

/** The caller's own order; another user's is NOT_FOUND, never FORBIDDEN (it doesn't exist for them). */
async function ownOrder(ctx: AuthedCtx, orderId: string): Promise<OrderRecord> {
  const order = await ctx.repos.orders.get(orderId)
  if (!order || order.userId !== ctx.caller.userId) return fail('NOT_FOUND', '订单不存在')
  return order
}

export async function preview(ctx: AuthedCtx, input: OrderPreviewInput): Promise<OrderPreviewOutput> {
  let lines = await resolveLines(ctx, input.items)
  if (input.flashSaleId) {
    // The sale price as checkout will charge it; the sale's rules are applied when the order is placed.
    const sale = await ctx.repos.flash.get(input.flashSaleId)
    if (!sale || lines.length !== 1 || lines[0]!.sku.id !== sale.skuId) return fail('VALIDATION_FAILED', '秒杀订单只能包含活动商品')
    lines = [{ ...lines[0]!, sku: { ...lines[0]!.sku, priceFen: sale.salePriceFen }, special: true }]
  }
  const coupon = input.userCouponId ? await couponDiscount(ctx, input.userCouponId, lines) : null
  const priced = lines.map(({ sku, qty }, i) => ({
    productId: sku.productId,
    skuId: sku.id,
    title: sku.title,
    specText: sku.specText,
    cover: sku.cover,
    unitPriceFen: sku.priceFen,
    qty,
    lineFen: sku.priceFen * qty,
    discountFen: coupon?.perLine[i] ?? 0,
    stock: sku.stock,
    problem: lineProblem({ qty, stock: sku.stock, onSale: sku.onSale }),
  }))
  return { lines: priced, ...priceOrder(priced, coupon?.discountFen ?? 0) }
}

/** The sharer an order records: the buyer's last share touch within the attribution window. */
async function attributeSharer(ctx: AuthedCtx, sharerId: string | undefined, roomId: string | null): Promise<string | null> {
  const now = ctx.now()
  if (sharerId && sharerId !== ctx.caller.userId && (await ctx.repos.shares.userExists(sharerId))) {
    await ctx.repos.shares.recordTouch(ctx.caller.userId, sharerId, roomId, now)
  }
  const since = new Date(now.getTime() - ctx.config.shareAttributionDays * 86_400_000)
  return ctx.repos.shares.lastSharer(ctx.caller.userId, since)
}

/**
 * Places an order: server prices, stock reserved by conditional updates in this transaction, one
 * order per idempotency key. Any refusal rolls the whole order back.
 */
/** A new-user deal order: the campaign's SKU at the deal price, using one of the buyer's claims. */
export interface DealOrder {
  campaign: DealCampaignRecord
  claimsAllowed: number
}

export async function create(ctx: AuthedCtx, input: OrderCreateInput, deal?: DealOrder): Promise<OrderCreateOutput> {
  const userId = ctx.caller.userId
  const existing = await ctx.repos.orders.idOfKey(userId, input.idempotencyKey)
  if (existing) return summary(ctx, existing)

  let lines = await resolveLines(ctx, input.items)
  if (lines.some((l) => !l.sku.onSale)) fail('NOT_FOUND', '商品已下架')
  if (input.flashSaleId) {
    if (lines.length !== 1) fail('VALIDATION_FAILED', '秒杀订单只能包含活动商品', { field: 'items' })
    const salePriceFen = await takeFlashSale(ctx, input.flashSaleId, lines[0]!.sku.id, lines[0]!.qty)
    // The sale price, and a line coupons skip unless their template allows it.
    lines = [{ ...lines[0]!, sku: { ...lines[0]!.sku, priceFen: salePriceFen }, special: true }]
  }
  if (deal) lines = lines.map((l) => ({ ...l, sku: { ...l.sku, priceFen: deal.campaign.dealPriceFen }, special: true }))
  let address = null
  if (input.addressId) {
    const found = await ctx.repos.addresses.byId(userId, input.addressId)
    if (!found) return fail('NOT_FOUND', '收货地址不存在')
    const { id: _id, isDefault: _d, ...fields } = found
    address = fields
  }
  const roomId = input.roomId ?? null
  const sharerId = await attributeSharer(ctx, input.sharerId, roomId)
  const coupon = input.userCouponId ? await couponDiscount(ctx, input.userCouponId, lines) : null
  const price = priceOrder(
    lines.map((l) => ({ unitPriceFen: l.sku.priceFen, qty: l.qty })),
    coupon?.discountFen ?? 0,
  )
  const now = ctx.now()
  const orderId = await ctx.repos.orders.insert({
    userId,
    idempotencyKey: input.idempotencyKey,
    ...price,
    address,
    note: input.note ?? '',
    sharerId,
    roomId,
    payDeadline: new Date(now.getTime() + ctx.config.orderPayMinutes * 60_000),
    userCouponId: input.userCouponId ?? null,
    flashSaleId: input.flashSaleId ?? null,
    kind: deal ? 'deal' : 'normal',
    dealCampaignId: deal?.campaign.id ?? null,
  })
  // Null: the same key was committed by a racing call meanwhile; answer that order.
  if (!orderId) return summary(ctx, (await ctx.repos.orders.idOfKey(userId, input.idempotencyKey))!)
  // A deal order uses a claim only once its order exists: a repeated key never uses a second one.
  if (deal && !(await ctx.repos.deals.useClaim(deal.campaign.id, userId, deal.claimsAllowed))) fail('DEAL_NO_CLAIMS_LEFT')
  // The coupon pays for this order only if no other order took it meanwhile.
  if (input.userCouponId && !(await ctx.repos.coupons.lock(input.userCouponId, userId, orderId, now))) {
    fail('COUPON_NOT_APPLICABLE', '优惠券已被其他订单使用')
  }

  await ctx.repos.orders.insertItems(
    orderId,
    lines.map(({ sku, qty }, i) => ({
      discountFen: coupon?.perLine[i] ?? 0,
      skuId: sku.id,
      productId: sku.productId,
      title: sku.title,
      specText: sku.specText,
      cover: sku.cover,
      unitPriceFen: sku.priceFen,
      qty,
    })),
  )
  if (input.fromCart)
    await ctx.repos.cart.remove(
      userId,
      lines.map((l) => l.sku.id),
    )
  // Stock last: a hot SKU's row stays locked only from this update to the commit.
  for (const { sku, qty } of lines) {
    if (!(await ctx.repos.orders.reserveStock(sku.id, qty))) {
      fail('OUT_OF_STOCK', `${sku.title}${sku.specText ? `（${sku.specText}）` : ''}库存不足`, { skuId: sku.id })
    }
  }
  return { orderId, payableFen: price.payableFen, status: 'pending_payment' }
}

async function summary(ctx: AuthedCtx, orderId: string): Promise<OrderCreateOutput> {
  const order = await ownOrder(ctx, orderId)
  return { orderId: order.id, payableFen: order.payableFen, status: order.status }
}

export async function pay(ctx: AuthedCtx, input: { orderId: string }): Promise<{ payment: PaymentParams }> {
  const order = await ownOrder(ctx, input.orderId)
  if (order.status !== 'pending_payment') fail('ORDER_NOT_PAYABLE', '订单已支付或已关闭')
  if (new Date(order.payDeadline).getTime() <= ctx.now().getTime()) fail('ORDER_NOT_PAYABLE', '订单已超时关闭')
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

/** What an order gives back when it ends unpaid or refunded: its stock (coupons and deal claims join here). */
export async function releaseOrder(ctx: Ctx, orderId: string, why: 'cancelled' | 'refunded'): Promise<void> {
  await ctx.repos.orders.releaseStock(orderId)
  await ctx.repos.coupons.release(orderId)
  await ctx.repos.flash.release(orderId)
  // Claims used are deal orders not cancelled: a refunded one keeps its claim used.
  if (why === 'cancelled') await ctx.repos.deals.releaseClaim(orderId)
  // What a refunded order earned its sharer or inviter is reversed while still pending.
  if (why === 'refunded') await ctx.repos.earnings.reverse(orderId)
}

export async function cancel(ctx: AuthedCtx, input: { orderId: string }): Promise<{ order: OrderView }> {
  await ownOrder(ctx, input.orderId)
  const order = await ctx.repos.orders.transition(input.orderId, ENTERED_FROM.cancelled, 'cancelled', ctx.now(), {
    userId: ctx.caller.userId,
    reason: '买家取消',
  })
  if (!order) return fail('ORDER_NOT_CANCELLABLE')
  await releaseOrder(ctx, order.id, 'cancelled')
  return { order: toView(order) }
}

/** The timeout job: cancels unpaid orders past their deadline, giving back what they held. */
export async function expireUnpaid(ctx: Ctx, limit = 100): Promise<number> {
  const now = ctx.now()
  let cancelled = 0
  for (const id of await ctx.repos.orders.claimExpired(now, limit)) {
    const order = await ctx.repos.orders.transition(id, ENTERED_FROM.cancelled, 'cancelled', now, { reason: '超时未支付' })
    if (order) {
      await releaseOrder(ctx, id, 'cancelled')
      cancelled++
    }
  }
  return cancelled
}

export async function get(ctx: AuthedCtx, input: { orderId: string }): Promise<{ order: OrderView }> {
  return { order: toView(await ownOrder(ctx, input.orderId)) }
}

export async function list(
  ctx: AuthedCtx,
  input: { tab?: OrderTab; cursor?: string; limit?: number },
): Promise<{ items: OrderView[]; nextCursor: string | null }> {
  const limit = input.limit ?? 10
  const beforeSeq = input.cursor ? decodeCursor(input.cursor) : null
  const rows = await ctx.repos.orders.list(ctx.caller.userId, TAB_STATUSES[input.tab ?? 'all'], beforeSeq, limit + 1)
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return {
    items: page.map(({ seq: _seq, ...o }) => toView(o)),
    nextCursor: rows.length > limit && last ? encodeCursor(last.seq) : null,
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
  const order = await ctx.repos.orders.transition(orderId, ENTERED_FROM[to], to, ctx.now(), { userId: ctx.caller.userId, reason })
  if (!order) return fail(refusal)
  return { order: toView(order) }
}

export const requestRefund = (ctx: AuthedCtx, input: { orderId: string; reason: string }) =>
  ownTransition(ctx, input.orderId, 'refund_requested', 'ORDER_NOT_REFUNDABLE', input.reason)

export const confirmReceipt = (ctx: AuthedCtx, input: { orderId: string }) =>
  ownTransition(ctx, input.orderId, 'completed', 'ORDER_STATUS_CHANGED')

// ---- the merchant's side ----------------------------------------------------------------------

async function anyOrder(ctx: Ctx, orderId: string): Promise<OrderRecord> {
  const order = await ctx.repos.orders.get(orderId)
  if (!order) return fail('NOT_FOUND', '订单不存在')
  return order
}

export async function ship(ctx: AuthedCtx, input: { orderId: string }): Promise<{ order: OrderView }> {
  await anyOrder(ctx, input.orderId)
  const order = await ctx.repos.orders.transition(input.orderId, ENTERED_FROM.shipped, 'shipped', ctx.now())
  if (!order) return fail('ORDER_STATUS_CHANGED')
  return { order: toView(order) }
}

/** Approves a refund: the order becomes refunded, the provider gives the money back, the stock returns. */
export async function approveRefund(ctx: AuthedCtx, input: { orderId: string }): Promise<{ order: OrderView }> {
  await anyOrder(ctx, input.orderId)
  const order = await ctx.repos.orders.transition(input.orderId, ENTERED_FROM.refunded, 'refunded', ctx.now())
  if (!order) return fail('ORDER_STATUS_CHANGED')
  const payment = await ctx.repos.payments.byOrder(order.id)
  if (!payment) throw new Error(`paid order ${order.id} has no payment record`)
  await refundPayment(ctx, payment, order.payableFen)
  await releaseOrder(ctx, order.id, 'refunded')
  return { order: toView(order) }
}

export async function rejectRefund(ctx: AuthedCtx, input: { orderId: string }): Promise<{ order: OrderView }> {
  await anyOrder(ctx, input.orderId)
  const order = await ctx.repos.orders.restoreAfterRefundRequest(input.orderId)
  if (!order) return fail('ORDER_STATUS_CHANGED')
  return { order: toView(order) }
}
