/** The merchant's side of orders (admin actions): shipping, and refunds approved, rejected or made on their own. */
import type { Carrier, OrderStatus, OrderView } from '../../contract'
import type { AuthedCtx, Ctx } from '../context'
import { fail } from '../errors'
import type { OrderActor, OrderRecord } from './order.ports'
import { ENTERED_FROM, RESTOCK_NOTE, SYSTEM, toView } from './order.rules'
import { refundPayment } from './payment.service'
import { releaseOrder } from './release'

/** The staff member making a merchant change, as the timeline records them. */
export const staffActor = (ctx: AuthedCtx): OrderActor => ({ kind: 'staff', userId: ctx.caller.userId })

async function anyOrder(ctx: Ctx, orderId: string): Promise<OrderRecord> {
  const order = await ctx.repos.orders.get(orderId)
  if (!order) return fail('NOT_FOUND', '订单不存在')
  return order
}

/**
 * Ships a paid order with its carrier and waybill number, by one conditional update (paid →
 * shipped): of racing ships exactly one applies. Repeating the shipment that was made (a retry)
 * answers the order as it is; shipping it again with other logistics is ORDER_ALREADY_SHIPPED.
 */
export async function ship(
  ctx: AuthedCtx,
  input: { orderId: string; carrier: Carrier; trackingNo: string },
): Promise<{ order: OrderView }> {
  const logistics = { carrier: input.carrier, trackingNo: input.trackingNo }
  const before = await anyOrder(ctx, input.orderId)
  // A group order ships only once its group succeeded (a succeeded group stays so, so reading it
  // unlocked is safe). Whatever the status read here: the order may become paid before the update
  // below runs (a rejected refund request, a notify), and the update asks only for paid.
  if (before.kind === 'group' && before.playRef) {
    const group = (await ctx.repos.groups.statuses([before.playRef])).get(before.playRef)
    if (group?.status !== 'succeeded') fail('GROUP_NOT_SUCCEEDED')
  }
  // An order may be placed without an address (order.create's addressId is optional), but goods
  // need one to travel: such an order is refused before anything moves (its address never changes).
  if (!before.address && before.status === 'paid')
    return fail('VALIDATION_FAILED', '该订单没有收货地址，不能发货（请联系买家补充地址后主动退款或取消）')
  const shipped = await ctx.repos.orders.transition(input.orderId, ENTERED_FROM.shipped, 'shipped', ctx.now(), {
    logistics,
    actor: staffActor(ctx),
  })
  if (shipped) return { order: toView(shipped, ctx) }
  // Not moved: the order is unknown (NOT_FOUND), not paid, or shipped already — by this shipment or another.
  const order = await anyOrder(ctx, input.orderId)
  if (!order.logistics) return fail('ORDER_STATUS_CHANGED', '订单当前不可发货')
  if (order.logistics.carrier !== input.carrier || order.logistics.trackingNo !== input.trackingNo) {
    return fail('ORDER_ALREADY_SHIPPED', `订单已由${order.logistics.carrier}发货（运单号 ${order.logistics.trackingNo}），物流信息不能更改`)
  }
  return { order: toView(order, ctx) }
}

/**
 * Refunds a paid order from one of `from`: the order becomes refunded, the provider gives the money
 * back, the stock returns unless `restock` is false (仅退款: the goods stay with the buyer, only for
 * an order that was shipped) and what the order earned anyone is taken back. The timeline's entry
 * notes the reason (a merchant refund's) and which of the two it was.
 */
async function refundOrder(
  ctx: AuthedCtx,
  orderId: string,
  from: readonly OrderStatus[],
  opts: { reason?: string; restock?: boolean },
): Promise<{ order: OrderView }> {
  const before = await anyOrder(ctx, orderId)
  const restock = opts.restock ?? true
  // Never shipped, the goods are still in the shop: their units go back whatever was asked.
  if (!restock && !before.logistics) return fail('VALIDATION_FAILED', '订单尚未发货，退款时库存须退回（不能选仅退款）')
  const stockNote = restock ? RESTOCK_NOTE.restocked : RESTOCK_NOTE.kept
  const note = opts.reason ? `${opts.reason} · ${stockNote}` : stockNote
  const order = await ctx.repos.orders.transition(orderId, from, 'refunded', ctx.now(), {
    reason: opts.reason,
    actor: staffActor(ctx),
    note,
    goodsKept: !restock,
  })
  if (!order) return fail('ORDER_STATUS_CHANGED')
  const payment = await ctx.repos.payments.byOrder(order.id)
  if (!payment) throw new Error(`paid order ${order.id} has no payment record`)
  await refundPayment(ctx, payment, order.payableFen)
  await releaseOrder(ctx, order, 'refunded', { restock })
  return { order: toView(order, ctx) }
}

/**
 * The system refunds a paid order on its own (a group that ended without it, 拼团): as a merchant
 * refund, from paid or refund requested (never shipped), the stock back, by SYSTEM with `reason` on the timeline. False
 * when the order was no longer refundable (refunded meanwhile).
 */
export async function systemRefund(ctx: Ctx, orderId: string, reason: string): Promise<boolean> {
  // Only an order whose goods never left: a group order ships only once its group succeeded, and a
  // succeeded group refunds nobody by itself (a shipped order's refund is the merchant's, 售后).
  const order = await ctx.repos.orders.transition(orderId, ['paid', 'refund_requested'], 'refunded', ctx.now(), {
    reason,
    actor: SYSTEM,
    note: `${reason} · ${RESTOCK_NOTE.restocked}`,
  })
  if (!order) return false
  const payment = await ctx.repos.payments.byOrder(order.id)
  if (!payment) throw new Error(`paid order ${order.id} has no payment record`)
  await refundPayment(ctx, payment, order.payableFen)
  await releaseOrder(ctx, order, 'refunded')
  return true
}

/** Approves the shopper's refund request. */
export const approveRefund = (ctx: AuthedCtx, input: { orderId: string; restock?: boolean }) =>
  refundOrder(ctx, input.orderId, ['refund_requested'], { restock: input.restock })

/** The merchant refunds on their own (售后), also after the shopper's refund window: settled earnings are clawed back. */
export const merchantRefund = (ctx: AuthedCtx, input: { orderId: string; reason: string; restock?: boolean }) =>
  refundOrder(ctx, input.orderId, ENTERED_FROM.refunded, { reason: input.reason, restock: input.restock })

/**
 * Rejects the shopper's refund request: the order goes back to the status it was requested from,
 * and the merchant's reason (the console always sends one) is kept for the shopper to read until
 * they ask again.
 */
export async function rejectRefund(ctx: AuthedCtx, input: { orderId: string; reason?: string }): Promise<{ order: OrderView }> {
  await anyOrder(ctx, input.orderId)
  const order = await ctx.repos.orders.restoreAfterRefundRequest(input.orderId, ctx.now(), staffActor(ctx), input.reason ?? null)
  if (!order) return fail('ORDER_STATUS_CHANGED')
  return { order: toView(order, ctx) }
}
