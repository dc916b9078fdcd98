/** The merchant's side of orders (admin actions): shipping, and refunds approved, rejected or made on their own. */
import type { Carrier, OrderStatus, OrderView } from '../../contract'
import type { AuthedCtx, Ctx } from '../context'
import { fail } from '../errors'
import type { OrderActor, OrderRecord } from './order.ports'
import { ENTERED_FROM, toView } from './order.rules'
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
 * back, the stock returns and what the order earned anyone is taken back.
 */
async function refundOrder(ctx: AuthedCtx, orderId: string, from: readonly OrderStatus[], reason?: string): Promise<{ order: OrderView }> {
  await anyOrder(ctx, orderId)
  const order = await ctx.repos.orders.transition(orderId, from, 'refunded', ctx.now(), { reason, actor: staffActor(ctx) })
  if (!order) return fail('ORDER_STATUS_CHANGED')
  const payment = await ctx.repos.payments.byOrder(order.id)
  if (!payment) throw new Error(`paid order ${order.id} has no payment record`)
  await refundPayment(ctx, payment, order.payableFen)
  await releaseOrder(ctx, order.id, 'refunded')
  return { order: toView(order, ctx) }
}

/** Approves the shopper's refund request. */
export const approveRefund = (ctx: AuthedCtx, input: { orderId: string }) => refundOrder(ctx, input.orderId, ['refund_requested'])

/** The merchant refunds on their own (售后), also after the shopper's refund window: settled earnings are clawed back. */
export const merchantRefund = (ctx: AuthedCtx, input: { orderId: string; reason: string }) =>
  refundOrder(ctx, input.orderId, ENTERED_FROM.refunded, input.reason)

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
