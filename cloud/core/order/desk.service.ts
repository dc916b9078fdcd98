/** The order desk: the merchant's order list, an order's whole story, batch shipping and export. */
import {
  addressLine,
  Carrier,
  ERRORS,
  ORDER_NO_PATTERN,
  TrackingNo,
  type ActionArgs,
  type ActionName,
  type ActionResult,
  type AdminOrderRow,
  type AdminOrderTab,
  type OrderStatus,
  type ShipLineResult,
} from '../../contract'
import { decodeCursor, encodeCursor } from '../paging'
import type { AuthedCtx } from '../context'
import { BusinessError, fail } from '../errors'
import { csvCell } from '../csv'
import type { DeskFilter, DeskOrder } from './desk.ports'
import { ship } from './merchant.service'
import { toView } from './order.rules'
import { yuan } from '../money'
import { shopClock } from '../shop-clock'

type In<K extends ActionName<'admin'>> = ActionArgs<'admin', K>
type Out<K extends ActionName<'admin'>> = ActionResult<'admin', K>

/** How the desk names a status (the console's tabs and the export's 状态 column). */
export const STATUS_TEXT: Record<OrderStatus, string> = {
  pending_payment: '待付款',
  paid: '待发货',
  shipped: '已发货',
  completed: '已完成',
  cancelled: '已取消',
  refund_requested: '退款审核',
  refunded: '已退款',
}

/** At most this many rows in one export; `truncated` says when the filter held more. */
export const EXPORT_MAX_ROWS = 10_000

/**
 * The filter of a desk request: the tab's status, the dates, and the search. A search of digits is
 * also an order number (exact or its first digits) and a receiver's phone (exact); any search is also
 * a buyer's nickname (contains, case-insensitive). Full-width characters are folded (NFKC) first.
 */
export function deskFilter(input: { status?: AdminOrderTab; q?: string; from?: string; to?: string }): DeskFilter {
  // Full-width digits and letters (１３８…, typed with a Chinese keyboard) are the same search.
  const q = input.q?.normalize('NFKC').trim() ?? ''
  const digits = /^[0-9]+$/.test(q)
  return {
    statuses: !input.status || input.status === 'all' ? null : [input.status],
    search: q ? { orderNoPrefix: digits ? q : null, phone: digits ? q : null, nickname: q } : null,
    from: input.from ? new Date(input.from) : null,
    to: input.to ? new Date(input.to) : null,
  }
}

/** An order as the desk lists it (also a customer's page, customer/members.service). */
export function row(ctx: AuthedCtx, { seq: _seq, buyerNickname, ...record }: DeskOrder): AdminOrderRow {
  return {
    ...toView(record, ctx),
    buyer: { userId: record.userId, nickname: buyerNickname },
    addressText: record.address ? addressLine(record.address) : '',
  }
}

/** Group orders' groups (拼团中 / 拼团成功 on the desk), read in one statement for the rows that have any. */
export async function withGroups(ctx: AuthedCtx, rows: AdminOrderRow[]): Promise<AdminOrderRow[]> {
  const ids = [...new Set(rows.filter((r) => r.kind === 'group' && r.playRef).map((r) => r.playRef!))]
  if (ids.length === 0) return rows
  const groups = await ctx.repos.groups.statuses(ids)
  return rows.map((r) => {
    const g = r.kind === 'group' && r.playRef ? groups.get(r.playRef) : undefined
    return g ? { ...r, group: { groupId: r.playRef!, ...g } } : r
  })
}

export async function orders(ctx: AuthedCtx, input: In<'orders'>): Promise<Out<'orders'>> {
  const limit = input.limit ?? 20
  const beforeSeq = input.cursor == null ? null : decodeCursor(input.cursor)
  const filter = deskFilter(input)
  const rows = await ctx.repos.desk.list(filter, beforeSeq, limit + 1)
  const c = await ctx.repos.desk.counts(filter)
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return {
    items: await withGroups(
      ctx,
      page.map((o) => row(ctx, o)),
    ),
    nextCursor: rows.length > limit && last ? encodeCursor(last.seq) : null,
    counts: { all: Object.values(c).reduce((a, b) => a + b, 0), ...c },
  }
}

export async function order(ctx: AuthedCtx, input: In<'order'>): Promise<Out<'order'>> {
  const o = await ctx.repos.desk.get(input.orderId)
  if (!o) return fail('NOT_FOUND', '订单不存在')
  const f = await ctx.repos.desk.facts(o.id)
  const merchantRefund = o.status === 'refunded' && f.merchantRefundReason !== null
  const refundAsked = o.refundReason !== null || o.refundRejectReason !== null || o.status === 'refunded'
  const [shown] = await withGroups(ctx, [row(ctx, o)])
  return {
    order: shown!,
    payment: f.payment,
    coupon: o.userCouponId ? { userCouponId: o.userCouponId, title: f.couponTitle ?? '', discountFen: o.discountFen } : null,
    sharer: o.sharerId ? { userId: o.sharerId, nickname: f.sharerNickname ?? '', commissionFen: f.sharerCommissionFen } : null,
    room: o.roomId ? { roomId: o.roomId, title: f.roomTitle ?? '' } : null,
    deal: f.dealCampaignId ? { campaignId: f.dealCampaignId } : null,
    refund: refundAsked
      ? {
          amountFen: f.refundedFen || o.payableFen,
          reason: merchantRefund ? f.merchantRefundReason : o.refundReason,
          rejectReason: o.refundRejectReason,
          refundedAt: f.refundedAt,
        }
      : null,
    timeline: f.timeline,
  }
}

const lineFailure = (line: number, orderNo: string, code: ShipLineResult['code'], message: string): ShipLineResult => ({
  line,
  orderNo,
  orderId: null,
  ok: false,
  code,
  message,
})

/**
 * What is wrong with an order number as a batch line carries it, or null: Excel shows a long
 * number as 2.02612E+15 and rounds it past 15 digits, so such a cell is named for what it is.
 */
export function orderNoProblem(orderNo: string): string | null {
  if (!orderNo) return '缺少订单编号'
  if (/^[0-9.]+E\+?[0-9]+$/i.test(orderNo)) return '订单编号被 Excel 改成了科学计数法，请把订单编号列设为文本后重新导出/填写'
  if (!ORDER_NO_PATTERN.test(orderNo)) return '订单编号应为 16-20 位数字'
  return null
}

/**
 * Ships a batch (a CSV the console parsed), line by line: each line is checked alone (folded NFKC
 * and trimmed; the order number's pattern — one Excel turned into 2.02612E+15 named as such —, known and not repeated
 * in the batch, the carrier and waybill by the contract's own rules) and shipped by the same `ship`
 * as admin.ship. A line's failure is its result, never a throw, so it undoes no other line; `ship`
 * refuses without writing anything, so the call's one transaction stays good. Repeating a line that
 * was shipped with the same waybill answers ok (as admin.ship does), so a batch posted twice ships
 * each order once. Lines are shipped in order-id order, so two batches over the same orders lock them
 * in one order. `line` is the 1-based position in `lines`; messages name a line by its file `row`
 * (sent by the console; the position when absent).
 */
export async function shipBatch(ctx: AuthedCtx, input: In<'shipBatch'>): Promise<Out<'shipBatch'>> {
  const results: ShipLineResult[] = []
  const firstRow = new Map<string, number>()
  const valid: Array<{ line: number; orderNo: string; carrier: Carrier; trackingNo: string }> = []
  input.lines.forEach((l, i) => {
    const line = i + 1
    const row = l.row ?? line
    // Full-width digits (２０２６…, typed with a Chinese keyboard) fold to ASCII, as search and waybills do.
    const orderNo = l.orderNo.normalize('NFKC').trim()
    const problem = orderNoProblem(orderNo)
    if (problem) return void results.push(lineFailure(line, orderNo, 'VALIDATION_FAILED', problem))
    const first = firstRow.get(orderNo)
    if (first !== undefined) return void results.push(lineFailure(line, orderNo, 'VALIDATION_FAILED', `与第 ${first} 行的订单重复`))
    firstRow.set(orderNo, row)
    const carrier = Carrier.safeParse(l.carrier.trim())
    if (!carrier.success) return void results.push(lineFailure(line, orderNo, 'VALIDATION_FAILED', carrier.error.issues[0]!.message))
    const trackingNo = TrackingNo.safeParse(l.trackingNo)
    if (!trackingNo.success) return void results.push(lineFailure(line, orderNo, 'VALIDATION_FAILED', trackingNo.error.issues[0]!.message))
    valid.push({ line, orderNo, carrier: carrier.data, trackingNo: trackingNo.data })
  })
  const ids = await ctx.repos.desk.idsByOrderNo(valid.map((v) => v.orderNo))
  const known: Array<(typeof valid)[number] & { orderId: string }> = []
  for (const v of valid) {
    const orderId = ids.get(v.orderNo)
    if (orderId) known.push({ ...v, orderId })
    else results.push(lineFailure(v.line, v.orderNo, 'NOT_FOUND', '订单编号不存在'))
  }
  known.sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0))
  for (const k of known) {
    try {
      await ship(ctx, { orderId: k.orderId, carrier: k.carrier, trackingNo: k.trackingNo })
      results.push({ line: k.line, orderNo: k.orderNo, orderId: k.orderId, ok: true, code: null, message: null })
    } catch (err) {
      if (!(err instanceof BusinessError)) throw err
      let message = err.message === err.code ? ERRORS[err.code].message : err.message
      if (err.code === 'ORDER_STATUS_CHANGED') {
        const now = await ctx.repos.desk.get(k.orderId)
        if (now) message = `订单状态为「${STATUS_TEXT[now.status]}」，不能发货`
      }
      results.push({ ...lineFailure(k.line, k.orderNo, err.code, message), orderId: k.orderId })
    }
  }
  results.sort((a, b) => a.line - b.line)
  const shipped = results.filter((r) => r.ok).length
  return { shipped, failed: results.length - shipped, results }
}

/** An instant on the shop's clock (Asia/Shanghai, UTC+8 all year), as 2026-12-01 20:05:09. */
export function shopTime(iso: string | null): string {
  if (!iso) return ''
  return shopClock(new Date(iso))
}

export const EXPORT_HEADER = [
  '订单编号',
  '状态',
  '下单时间',
  '支付时间',
  '买家',
  '收货人',
  '电话',
  '地址',
  '商品',
  '件数',
  '实付(元)',
  '优惠(元)',
  '快递公司',
  '运单号',
  '买家留言',
] as const

/**
 * A number we generate or a carrier's waybill as a CSV cell Excel keeps as text: a leading tab
 * inside the quotes (Excel would show 2.02612E+15 and round past 15 digits). Only for those
 * characters (digits and letters, never people's text), so it can't be a formula.
 */
export function idCell(v: string): string {
  return v && /^[0-9A-Za-z]+$/.test(v) ? `"\t${v}"` : csvCell(v)
}

/**
 * The filtered list (newest first) as CSV: a Chinese header row, a UTF-8 BOM so Excel reads the
 * Chinese, CRLF line ends, people's text through the share records' `csvCell` (a cell a spreadsheet
 * would run as a formula is kept as text), order and waybill numbers through `idCell` (kept as text,
 * not rounded). At most EXPORT_MAX_ROWS rows.
 */
export async function exportOrders(ctx: AuthedCtx, input: In<'exportOrders'>): Promise<Out<'exportOrders'>> {
  const rows = await ctx.repos.desk.list(deskFilter(input), null, EXPORT_MAX_ROWS + 1)
  const page = rows.slice(0, EXPORT_MAX_ROWS)
  const lines = page.map((o) => {
    const a = o.address
    const cells = [
      idCell(o.orderNo),
      ...[
        STATUS_TEXT[o.status],
        shopTime(o.createdAt),
        shopTime(o.paidAt),
        o.buyerNickname,
        a?.name ?? '',
        a?.phone ?? '',
        a ? addressLine(a) : '',
        o.items.map((i) => `${i.title}${i.specText ? `（${i.specText}）` : ''} ×${i.qty}`).join('；'),
        String(o.items.reduce((n, i) => n + i.qty, 0)),
        yuan(o.payableFen),
        yuan(o.discountFen),
      ].map(csvCell),
      csvCell(o.logistics?.carrier ?? ''),
      idCell(o.logistics?.trackingNo ?? ''),
      csvCell(o.note),
    ]
    return cells.join(',')
  })
  const csv = `\uFEFF${[EXPORT_HEADER.join(','), ...lines].join('\r\n')}\r\n`
  return { csv, rows: page.length, truncated: rows.length > EXPORT_MAX_ROWS }
}
