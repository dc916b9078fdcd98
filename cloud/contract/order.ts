import { z } from 'zod'
import { AddressFields } from './address'
import { CartView, LineProblem } from './cart'
import { AddressRef, Cursor, Fen, Id, IdempotencyKey, Instant, LineQty } from './common'

export const OrderStatus = z.enum(['pending_payment', 'paid', 'shipped', 'completed', 'cancelled', 'refund_requested', 'refunded'])
export type OrderStatus = z.infer<typeof OrderStatus>

/** The order list's tabs: 全部 / 待付款 / 待发货 / 已发货 / 已完成 / 退款. */
export const OrderTab = z.enum(['all', 'pending_payment', 'paid', 'shipped', 'completed', 'refund'])
export type OrderTab = z.infer<typeof OrderTab>

export const OrderItemInput = z.object({
  productId: Id,
  /** Required when the product has more than one SKU. */
  skuId: Id.optional(),
  qty: LineQty,
})
export type OrderItemInput = z.infer<typeof OrderItemInput>

export const OrderItem = z.object({
  productId: Id,
  skuId: Id,
  title: z.string(),
  specText: z.string(),
  cover: z.string(),
  unitPriceFen: Fen,
  qty: z.number().int(),
  lineFen: Fen,
  /** This line's share of the order's discount. */
  discountFen: Fen,
})
export type OrderItem = z.infer<typeof OrderItem>

export const OrderAddress = AddressFields

/** The carriers the merchant ships with (快递公司). */
export const CARRIERS = ['顺丰速运', '中通快递', '圆通速递', '韵达快递', '申通快递', '京东物流', '邮政EMS', '极兔速递'] as const
export const Carrier = z.enum(CARRIERS, { error: `请选择快递公司（${CARRIERS.join('、')}）` })
export type Carrier = z.infer<typeof Carrier>
/**
 * A waybill number (运单号): 6–40 letters and digits, letters upper-cased; full-width characters
 * (１２３４, ＳＦ, typed with a Chinese keyboard) folded to ASCII (NFKC) and spaces and dashes typed
 * inside it (SF-1234 5678 90) dropped, so it is stored as the bare number.
 */
export const TRACKING_NO_PATTERN = /^[A-Z0-9]{6,40}$/
export const TrackingNo = z
  .string()
  .transform((s) =>
    s
      .normalize('NFKC')
      .replace(/[\s\-‐-―－]/g, '')
      .toUpperCase(),
  )
  .pipe(z.string().regex(TRACKING_NO_PATTERN, '运单号为 6-40 位字母或数字'))
export const Logistics = z.object({ carrier: Carrier, trackingNo: TrackingNo, shippedAt: Instant })
export type Logistics = z.infer<typeof Logistics>

/** An order number (订单编号): 16–20 digits. */
export const ORDER_NO_PATTERN = /^[0-9]{16,20}$/

export const OrderRefund = z.object({
  amountFen: Fen,
  refundedAt: Instant,
  byMerchant: z.boolean(),
  reason: z.string().nullable(),
  restocked: z.boolean(),
})
export type OrderRefund = z.infer<typeof OrderRefund>

/** What an order is: a mall order, or the order of a play (新人9.9 deal, 拼团 group, 助力/砍价 assist). */
export const OrderKind = z.enum(['normal', 'deal', 'group', 'assist'])
export type OrderKind = z.infer<typeof OrderKind>

export const OrderView = z.object({
  id: Id,
  kind: OrderKind,
  /** What a play's order is for: the deal campaign, the group (拼团), the assist task; null for a mall order. */
  playRef: z.string().nullable(),
  /** The readable order number (订单编号): the day it was placed (YYYYMMDD) and a sequence, 16+ digits. */
  orderNo: z.string().regex(ORDER_NO_PATTERN),
  status: OrderStatus,
  /** The lines at the prices charged (member prices where they applied). */
  goodsFen: Fen,
  /** All taken off the goods: the coupon's part and the points' part. */
  discountFen: Fen,
  couponFen: Fen,
  /** Points spent (1 point = 1 fen) and what they took off. */
  pointsUsed: z.number().int().min(0),
  pointsFen: Fen,
  /** What member prices saved against the SKUs' prices (shown, not part of the discount). */
  memberSavingFen: Fen,
  payableFen: Fen,
  sharerId: Id.nullable(),
  roomId: Id.nullable(),
  items: z.array(OrderItem),
  address: OrderAddress.nullable(),
  note: z.string(),
  createdAt: Instant,
  payDeadline: Instant,
  paidAt: Instant.nullable(),
  cancelReason: z.string().nullable(),
  refundReason: z.string().nullable(),
  /** Why the merchant rejected the shopper's last refund request (shown to the shopper); cleared by a new request. */
  refundRejectReason: z.string().nullable(),
  userCouponId: Id.nullable(),
  /** Set once the merchant has shipped the order. */
  logistics: Logistics.nullable(),
  /**
   * Until when the shopper may ask for a refund (申请退款): set while the order is paid, shipped or
   * completed and the refund window is open at the time of the answer, null otherwise.
   */
  refundableUntil: Instant.nullable(),
  /**
   * How a refunded order was refunded (null unless refunded): the amount given back (to where it was
   * paid from), when, whether the merchant refunded on their own (主动退款) and the reason (the
   * merchant's then, the shopper's request's otherwise), and whether the units went back to the shop
   * (false: 仅退款, the shopper keeps the goods).
   */
  refund: OrderRefund.nullable(),
})
export type OrderView = z.infer<typeof OrderView>

/** A line as checkout prices it: unitPriceFen is what it is charged (the member price where it applied), regularPriceFen its price before. */
export const PricedLine = OrderItem.extend({ regularPriceFen: Fen, stock: z.number().int(), problem: LineProblem })
export type PricedLine = z.infer<typeof PricedLine>

/** Points to spend at checkout: whole yuan (multiples of 100 points; 100 points = ¥1). */
export const PointsAsked = z
  .number()
  .int({ error: '积分须为整数' })
  .min(0, { error: '积分不能为负' })
  .max(100_000_000, { error: '积分超出上限' })
  .multipleOf(100, { error: '积分须为 100 的整数倍' })

export const OrderPreviewInput = z.object({
  items: z.array(OrderItemInput).min(1).max(50),
  userCouponId: Id.optional(),
  flashSaleId: Id.optional(),
  /** Points to spend (refused above what the order can take or the balance holds). */
  pointsUsed: PointsAsked.optional(),
})
export type OrderPreviewInput = z.infer<typeof OrderPreviewInput>
export const OrderPreviewOutput = z.object({
  lines: z.array(PricedLine),
  /** 商品金额: the lines at the prices charged (member prices where they applied). */
  goodsFen: Fen,
  /** couponFen + pointsFen. */
  discountFen: Fen,
  /** 会员价已省: what member prices saved against the regular prices (already out of goodsFen). */
  memberSavingFen: Fen,
  /** 优惠券: the coupon's part. */
  couponFen: Fen,
  /** 积分抵扣: points spent and what they take off (1 point = 1 fen). */
  pointsUsed: z.number().int().min(0),
  pointsFen: Fen,
  /** 实付. */
  payableFen: Fen,
  /** Whether the buyer pays member prices. */
  isMember: z.boolean(),
  /** The buyer's spendable points, and the most this order can take (a multiple of 100, within the balance). */
  points: z.object({ available: z.number().int(), maxUsable: z.number().int().min(0) }),
})
export type OrderPreviewOutput = z.infer<typeof OrderPreviewOutput>

export const OrderCreateInput = z.object({
  items: z.array(OrderItemInput).min(1).max(50),
  /** Generated once per checkout page: repeated submits make one order. */
  idempotencyKey: IdempotencyKey,
  addressId: AddressRef.optional(),
  note: z.string().trim().max(200).optional(),
  userCouponId: Id.optional(),
  flashSaleId: Id.optional(),
  /** Points to spend, as previewed; taken with the order, given back if it is cancelled or refunded. */
  pointsUsed: PointsAsked.optional(),
  sharerId: Id.optional(),
  roomId: Id.optional(),
  /** The items came from the cart: they leave it with the order. */
  fromCart: z.boolean().optional(),
})
export type OrderCreateInput = z.infer<typeof OrderCreateInput>
export const OrderCreateOutput = z.object({ orderId: Id, payableFen: Fen, status: OrderStatus })
export type OrderCreateOutput = z.infer<typeof OrderCreateOutput>

/** What the client needs to pay: WeChat Pay's wx.requestPayment parameters, or the sandbox's notify. */
export const PaymentParams = z.discriminatedUnion('provider', [
  z.object({
    provider: z.literal('sandbox'),
    /** Where the provider posts its notify, and the signed body it posts. */
    notifyUrl: z.string(),
    body: z.record(z.string(), z.union([z.string(), z.number()])),
    /** The sandbox's cashier: posting the body here makes the provider send the notify. */
    cashierUrl: z.string(),
    amountFen: Fen,
  }),
  z.object({
    provider: z.literal('wechat'),
    timeStamp: z.string(),
    nonceStr: z.string(),
    package: z.string(),
    signType: z.string(),
    paySign: z.string(),
  }),
])
export type PaymentParams = z.infer<typeof PaymentParams>

export const OrderRef = z.object({ orderId: Id })
export const OrderOut = z.object({ order: OrderView })

export const orderActions = {
  preview: { input: OrderPreviewInput, output: OrderPreviewOutput },
  create: { input: OrderCreateInput, output: OrderCreateOutput },
  pay: { input: OrderRef, output: z.object({ payment: PaymentParams }) },
  cancel: { input: OrderRef, output: OrderOut },
  /** With the server's time, so the pay countdown runs on the server's clock, not the phone's. */
  get: { input: OrderRef, output: OrderOut.extend({ serverTime: Instant }) },
  list: {
    input: z.object({ tab: OrderTab.optional(), cursor: Cursor.optional(), limit: z.number().int().min(1).max(50).optional() }),
    output: z.object({ items: z.array(OrderView), nextCursor: z.string().nullable(), serverTime: Instant }),
  },
  counts: { input: z.object({}), output: z.object({ counts: z.record(OrderTab, z.number().int()) }) },
  requestRefund: { input: OrderRef.extend({ reason: z.string().trim().min(1).max(200) }), output: OrderOut },
  confirmReceipt: { input: OrderRef, output: OrderOut },
  /**
   * 再次购买: puts the order's lines back into the cart (each line then holds at least the ordered
   * quantity: max(cart, ordered), at most 99; repeating the call changes nothing), all but those no
   * longer on sale or sold out, which are answered in `unavailable`.
   */
  buyAgain: {
    input: OrderRef,
    output: z.object({
      cart: CartView,
      added: z.number().int(),
      unavailable: z.array(z.object({ title: z.string(), specText: z.string(), reason: z.enum(['OFF_SALE', 'SOLD_OUT']) })),
    }),
  },
}
