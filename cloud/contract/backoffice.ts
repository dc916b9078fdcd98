/**
 * The merchant's back office (admin/, served under /admin): staff and roles, the audit log, the
 * console's sign-in, the 概览 figures, the catalog's list and editor, and the order desk.
 * Every action here is an `admin.*` action except the sign-in ones, which are `auth.*`.
 */
import { z } from 'zod'
import { ProductDetail, SpecGroup } from './catalog'
import { catalogText, Cursor, Fen, Id, IdempotencyKey, Instant, PriceFen } from './common'
import { GroupStatus } from './group'
import { OrderStatus, OrderView } from './order'

// ---------------------------------------------------------------------------------------------
// Staff, roles and the audit log
// ---------------------------------------------------------------------------------------------

/**
 * A staff member's role: `owner` (the ADMIN_OPENIDS: everything), `operator` (catalog, marketing,
 * live, customers, sharers, 概览), `service` (orders, refunds, shipping, customers), `anchor` (live
 * rooms only), `guide` (导购: their own guide code and figures only). Every staff member can act as a
 * guide with their own code.
 */
export const StaffRole = z.enum(['owner', 'operator', 'service', 'anchor', 'guide'])
export type StaffRole = z.infer<typeof StaffRole>
/** The roles the owner hands out; `owner` comes from ADMIN_OPENIDS only. */
export const GrantedRole = z.enum(['operator', 'service', 'anchor', 'guide'])
export type GrantedRole = z.infer<typeof GrantedRole>

export const StaffMember = z.object({
  userId: Id,
  openid: z.string(),
  nickname: z.string(),
  role: StaffRole,
  /** When the role was given; null for owners, who are owners by configuration. */
  since: Instant.nullable(),
})
export type StaffMember = z.infer<typeof StaffMember>

export const AuditEntry = z.object({
  id: Id,
  at: Instant,
  actorId: Id,
  actorName: z.string(),
  actorRole: StaffRole,
  /** `fn.action`, e.g. `admin.ship`. */
  action: z.string(),
  /** The record the write was about (`order:…`, `product:…`), or '' when it names none. */
  target: z.string(),
  /** What was asked, trimmed of long text; never a token or an image's bytes. */
  detail: z.record(z.string(), z.unknown()),
})
export type AuditEntry = z.infer<typeof AuditEntry>

// ---------------------------------------------------------------------------------------------
// The console's sign-in (scan a mini-program code, confirm on the phone)
// ---------------------------------------------------------------------------------------------

/** A sign-in ticket as the console holds it: `ticket` goes into the code, `secret` never leaves the browser. */
export const ConsoleTicket = z.object({
  ticket: z.string(),
  secret: z.string(),
  /** The mini-program page the code opens, with the ticket as its scene. */
  page: z.string(),
  scene: z.string(),
  /** The code to scan: an image URL or data URL (a mini-program code in WeChat, a QR code of the H5 page in the sandbox). */
  codeImage: z.string(),
  expiresAt: Instant,
})
export type ConsoleTicket = z.infer<typeof ConsoleTicket>

/** Where a ticket stands: waiting for a scan, scanned (the phone shows 登录商家后台？), confirmed, rejected, expired or used. */
export const TicketStatus = z.enum(['waiting', 'scanned', 'confirmed', 'rejected', 'expired', 'used'])
export type TicketStatus = z.infer<typeof TicketStatus>

/** The console's session as `GET /admin/api/session` and a confirmed poll answer it. */
export const ConsoleSession = z.object({
  user: z.object({ id: Id, nickname: z.string(), role: StaffRole }),
  /** Sent back as the `x-csrf-token` header on every console call. */
  csrfToken: z.string(),
  expiresAt: Instant,
})
export type ConsoleSession = z.infer<typeof ConsoleSession>

/** `POST /admin/api/login/poll` {ticket, secret}: the status; once confirmed, the session (and its cookie). */
export const ConsolePollInput = z.object({ ticket: z.string().min(1).max(64), secret: z.string().min(1).max(128) })
export const ConsolePollOutput = z.object({ status: TicketStatus, session: ConsoleSession.nullable() })
export type ConsolePollOutput = z.infer<typeof ConsolePollOutput>

/** `POST /admin/api/upload` (the image's bytes as the body, `content-type: image/jpeg|png|webp`). */
export const UploadedImage = z.object({
  /** What a product's images hold: the 750-px-wide version shown in the gallery and the detail. */
  url: z.string(),
  /** The 360-px square-fitted thumbnail lists show. */
  thumbUrl: z.string(),
  width: z.number().int(),
  height: z.number().int(),
})
export type UploadedImage = z.infer<typeof UploadedImage>

export const authConsoleActions = {
  /** The console asks for a ticket to show as a code (public; rate limited per address). */
  consoleTicket: {
    /**
     * `replaces`: the console's pending ticket it asks a new code in place of (刷新二维码): that one
     * is expired at once, so a phone still showing it is told the code is no longer valid.
     */
    input: z.object({ replaces: ConsolePollInput.optional() }),
    output: ConsoleTicket,
  },
  /**
   * The phone opened the code: what it asks (marks the ticket scanned). Staff only (403 otherwise);
   * an expired or used ticket answers its status.
   */
  consoleScan: {
    input: z.object({ ticket: z.string().min(1).max(64) }),
    output: z.object({
      status: TicketStatus,
      role: StaffRole,
      expiresAt: Instant,
      /** The browser that asked for the code, for the phone to show before 确认登录: "Chrome 浏览器 · Windows · 203.0.113.7". */
      device: z.string(),
    }),
  },
  /** 确认登录 (approve) or 取消 on the phone. Single use: a second confirm answers the ticket's status. */
  consoleConfirm: {
    input: z.object({ ticket: z.string().min(1).max(64), approve: z.boolean() }),
    output: z.object({ status: TicketStatus }),
  },
}

// ---------------------------------------------------------------------------------------------
// 概览
// ---------------------------------------------------------------------------------------------

/** today, or the last 7 / 30 days including today, by the shop's clock (Asia/Shanghai). */
export const DashboardRange = z.enum(['today', '7d', '30d'])
export type DashboardRange = z.infer<typeof DashboardRange>
/** Where an order's money came from, first match wins: the 9.9 deal, a live room, a sharer, else the plain mall. */
export const OrderSource = z.enum(['deal', 'live', 'sharer', 'mall'])
export type OrderSource = z.infer<typeof OrderSource>

export const DashboardOutput = z.object({
  range: DashboardRange,
  from: Instant,
  to: Instant,
  /**
   * Over orders paid in the range, net of refunds: GMV and paid orders leave out orders refunded
   * since; `refundRate` is refunded / paid (0..1) of the range's paid orders.
   */
  metrics: z.object({
    gmvFen: Fen,
    paidOrders: z.number().int(),
    payingCustomers: z.number().int(),
    /** Customers whose first paid order falls in the range. */
    newCustomers: z.number().int(),
    avgOrderFen: Fen,
    refundRate: z.number().min(0).max(1),
    refundedFen: Fen,
  }),
  /** One point per day (Asia/Shanghai date YYYY-MM-DD), or per hour (HH:00) for `today`. */
  trend: z.array(z.object({ label: z.string(), gmvFen: Fen, paidOrders: z.number().int() })),
  sources: z.array(z.object({ source: OrderSource, gmvFen: Fen, paidOrders: z.number().int() })),
  topProducts: z.array(z.object({ productId: Id, title: z.string(), cover: z.string(), units: z.number().int(), gmvFen: Fen })),
  topSharers: z.array(z.object({ userId: Id, nickname: z.string(), orders: z.number().int(), gmvFen: Fen, commissionFen: Fen })),
})
export type DashboardOutput = z.infer<typeof DashboardOutput>

// ---------------------------------------------------------------------------------------------
// 商品
// ---------------------------------------------------------------------------------------------

export const ProductStatus = z.enum(['on', 'off'])
export type ProductStatus = z.infer<typeof ProductStatus>

export const AdminProductsInput = z.object({
  /** Title words (as catalog.search matches them) or a product id. */
  q: z.string().trim().max(30).optional(),
  categoryId: Id.optional(),
  status: ProductStatus.optional(),
  /** Only products with a SKU at or below the low-stock line (10). */
  lowStock: z.boolean().optional(),
  cursor: Cursor.nullish(),
  limit: z.number().int().min(1).max(100).optional(),
})
export type AdminProductsInput = z.infer<typeof AdminProductsInput>
export const AdminProductRow = z.object({
  id: Id,
  title: z.string(),
  cover: z.string(),
  status: ProductStatus,
  categoryId: Id.nullable(),
  categoryName: z.string().nullable(),
  /** The lowest SKU price. */
  priceFen: Fen,
  /** All SKUs' stock together. */
  stock: z.number().int(),
  skuCount: z.number().int(),
  soldCount: z.number().int(),
  lowStock: z.boolean(),
  commissionRate: z.number(),
  updatedAt: Instant,
})
export type AdminProductRow = z.infer<typeof AdminProductRow>

/** The editor's view: everything the shopper sees plus shelf status, commission and each SKU's state. */
export const AdminProductDetail = ProductDetail.extend({
  status: ProductStatus,
  commissionRate: z.number(),
  /** SKUs no longer offered (taken out of the matrix) stay for old orders and are listed here off sale. */
  retiredSkuIds: z.array(Id),
})
export type AdminProductDetail = z.infer<typeof AdminProductDetail>

/**
 * One SKU of the matrix as the editor saves it: matched to an existing SKU by its specs (its price
 * changes, its stock does not: stock moves through admin.adjustStock), else added with `stock`.
 */
export const MatrixSku = z.object({
  specs: z.record(z.string(), z.string()),
  priceFen: PriceFen.min(1),
  listPriceFen: PriceFen.min(1).optional(),
  /** 会员价: below the price; null or absent clears it (the matrix is saved whole). */
  memberPriceFen: PriceFen.min(1).nullish(),
  /** The opening stock of a SKU the save adds; ignored for a SKU that exists. */
  stock: z.number().int().min(0).max(1_000_000).optional(),
})
export type MatrixSku = z.infer<typeof MatrixSku>

/** The spec matrix as admin.saveSkus (and admin.updateProduct's `matrix`) take it. */
export const MatrixInput = z.object({ specGroups: z.array(SpecGroup).max(3), skus: z.array(MatrixSku).min(1).max(100) })
export type MatrixInput = z.infer<typeof MatrixInput>

/** A staff write's idempotency key (as order.create's): made once by the console, kept across retries. */
export { IdempotencyKey }

export const StockChange = z.object({
  id: Id,
  at: Instant,
  skuId: Id,
  specText: z.string(),
  delta: z.number().int(),
  stockAfter: z.number().int(),
  reason: z.string(),
  actorName: z.string(),
})
export type StockChange = z.infer<typeof StockChange>

export const AdminCategory = z.object({ id: Id, name: z.string(), icon: z.string(), productCount: z.number().int() })

// ---------------------------------------------------------------------------------------------
// 订单
// ---------------------------------------------------------------------------------------------

/** The order desk's tabs: 全部 / 待付款 / 待发货 / 已发货 / 已完成 / 退款审核 / 已退款 / 已取消. */
export const AdminOrderTab = z.enum(['all', 'pending_payment', 'paid', 'shipped', 'completed', 'refund_requested', 'refunded', 'cancelled'])
export type AdminOrderTab = z.infer<typeof AdminOrderTab>

export const AdminOrdersInput = z.object({
  /** The contract's name for the tab filter. */
  status: AdminOrderTab.optional(),
  /** An order number, a phone number (the receiver's), or a nickname. */
  q: z.string().trim().max(40).optional(),
  /** Placed on or after `from` and before `to`. */
  from: Instant.optional(),
  to: Instant.optional(),
  cursor: Cursor.nullish(),
  limit: z.number().int().min(1).max(100).optional(),
})
export type AdminOrdersInput = z.infer<typeof AdminOrdersInput>

export const OrderBuyer = z.object({ userId: Id, nickname: z.string() })
export const AdminOrderRow = OrderView.extend({
  buyer: OrderBuyer,
  /** The address as one line (addressLine: a municipality's city written once), '' without an address. */
  addressText: z.string(),
  /** A group order's group (拼团): the desk tags 拼团中 until it succeeded; null for other orders. */
  group: z.object({ groupId: Id, status: GroupStatus, seatsLeft: z.number().int() }).nullable().optional(),
})
export type AdminOrderRow = z.infer<typeof AdminOrderRow>

/** One status change of an order, in the order they happened. */
export const OrderEvent = z.object({
  at: Instant,
  from: OrderStatus.nullable(),
  to: OrderStatus,
  /** Who made it: the shopper, staff (by name), or the system (payment notify, timeout, auto-complete). */
  actor: z.enum(['shopper', 'staff', 'system']),
  actorName: z.string().nullable(),
  note: z.string().nullable(),
})
export type OrderEvent = z.infer<typeof OrderEvent>

export const AdminOrderDetail = z.object({
  order: AdminOrderRow,
  payment: z.object({ provider: z.string(), transactionId: z.string().nullable(), amountFen: Fen, paidAt: Instant.nullable() }).nullable(),
  coupon: z.object({ userCouponId: Id, title: z.string(), discountFen: Fen }).nullable(),
  sharer: z.object({ userId: Id, nickname: z.string(), commissionFen: Fen }).nullable(),
  room: z.object({ roomId: Id, title: z.string() }).nullable(),
  deal: z.object({ campaignId: Id }).nullable(),
  refund: z
    .object({ amountFen: Fen, reason: z.string().nullable(), rejectReason: z.string().nullable(), refundedAt: Instant.nullable() })
    .nullable(),
  timeline: z.array(OrderEvent),
})
export type AdminOrderDetail = z.infer<typeof AdminOrderDetail>

/** One line of a batch shipment (a CSV row as the console parsed it): checked line by line, never all-or-nothing. */
export const ShipLine = z.object({
  orderNo: z.string().max(40),
  carrier: z.string().max(20),
  trackingNo: z.string().max(60),
  /** The line's row in the merchant's file (the header is row 1): messages name it; by default its position in `lines`. */
  row: z.number().int().min(1).max(1_000_000).optional(),
})
export const ShipLineResult = z.object({
  line: z.number().int(),
  orderNo: z.string(),
  /** The order the line named, when its number is known. */
  orderId: Id.nullable(),
  ok: z.boolean(),
  /** Why the line failed: an error code and its message in Chinese. */
  code: z.string().nullable(),
  message: z.string().nullable(),
})
export type ShipLineResult = z.infer<typeof ShipLineResult>

export const backofficeActions = {
  // staff and audit (owner only)
  staff: { input: z.object({}), output: z.object({ items: z.array(StaffMember) }) },
  setStaff: {
    input: z.object({ openid: z.string().min(1).max(64), role: GrantedRole.nullable() }),
    output: z.object({ staff: z.object({ openid: z.string(), role: GrantedRole.nullable() }) }),
  },
  /** The owner's lookup of users who have signed in (to pick one for setStaff): by nickname (contains), openid or user id (exact). */
  users: {
    input: z.object({ q: z.string().trim().min(1, '请输入昵称、openid 或用户 ID').max(64) }),
    output: z.object({ items: z.array(z.object({ userId: Id, openid: z.string(), nickname: z.string() })) }),
  },
  auditLog: {
    input: z.object({
      cursor: Cursor.nullish(),
      actorId: Id.optional(),
      /**
       * Only entries of this action (`admin.ship`). Named `actionName` on the wire: `action` is the
       * call's own field (the action being called), so a filter under that name never arrives.
       */
      actionName: z.string().max(60).optional(),
      /** @deprecated unreachable (see `actionName`); kept so the contract stays compatible. */
      action: z.string().max(60).optional(),
    }),
    output: z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() }),
  },
  // 概览
  dashboard: { input: z.object({ range: DashboardRange }), output: DashboardOutput },
  // 商品
  products: {
    input: AdminProductsInput,
    output: z.object({ items: z.array(AdminProductRow), nextCursor: z.string().nullable(), total: z.number().int() }),
  },
  product: { input: z.object({ productId: Id }), output: z.object({ product: AdminProductDetail }) },
  /**
   * Saves the spec matrix: `specGroups` and the SKUs offered. SKUs matched by specs keep their id and
   * stock; new combinations are added; SKUs left out are retired (off sale, kept for old orders).
   */
  saveSkus: {
    input: MatrixInput.extend({ productId: Id }),
    output: z.object({ product: AdminProductDetail }),
  },
  /** Moves one SKU's stock by `delta` with a reason; never below 0 (OUT_OF_STOCK). Recorded with who and why. */
  adjustStock: {
    input: z.object({
      skuId: Id,
      delta: z
        .number()
        .int()
        .min(-1_000_000)
        .max(1_000_000)
        .refine((d) => d !== 0, '调整数量不能为 0'),
      reason: catalogText({ empty: '请填写调整原因', max: 60, tooLong: '调整原因最多 60 个字' }),
      /** The same key from the same caller answers the first move's result and moves nothing again. */
      idempotencyKey: IdempotencyKey.optional(),
    }),
    output: z.object({ skuId: Id, stock: z.number().int() }),
  },
  stockChanges: {
    input: z.object({ productId: Id, cursor: Cursor.nullish() }),
    output: z.object({ items: z.array(StockChange), nextCursor: z.string().nullable() }),
  },
  categories: { input: z.object({}), output: z.object({ items: z.array(AdminCategory) }) },
  saveCategory: {
    input: z.object({
      categoryId: Id.optional(),
      name: catalogText({ empty: '请输入分类名称', max: 10, tooLong: '分类名称最多 10 个字' }),
    }),
    output: z.object({ category: AdminCategory }),
  },
  // 订单
  orders: {
    input: AdminOrdersInput,
    output: z.object({
      items: z.array(AdminOrderRow),
      nextCursor: z.string().nullable(),
      /** How many orders each tab holds under the same search and dates. */
      counts: z.record(AdminOrderTab, z.number().int()),
    }),
  },
  order: { input: z.object({ orderId: Id }), output: AdminOrderDetail },
  shipBatch: {
    input: z.object({ lines: z.array(ShipLine).min(1).max(300) }),
    output: z.object({ shipped: z.number().int(), failed: z.number().int(), results: z.array(ShipLineResult) }),
  },
  /** The filtered list as CSV (cells that a spreadsheet would run as a formula are neutralised), at most 10,000 rows. */
  exportOrders: {
    input: AdminOrdersInput.omit({ cursor: true, limit: true }),
    output: z.object({ csv: z.string(), rows: z.number().int(), truncated: z.boolean() }),
  },
}
