/** The order desk's words: statuses, tabs, carriers, actors. */
import type { AdminOrderDetail, AdminOrderRow, AdminOrderTab, Carrier, OrderEvent, OrderStatus } from '../../../../cloud/contract'

export const STATUS_LABEL: Record<OrderStatus, string> = {
  pending_payment: '待付款',
  paid: '待发货',
  shipped: '已发货',
  completed: '已完成',
  cancelled: '已取消',
  refund_requested: '退款审核',
  refunded: '已退款',
}
export const STATUS_COLOR: Record<OrderStatus, string> = {
  pending_payment: 'gold',
  paid: 'blue',
  shipped: 'cyan',
  completed: 'green',
  cancelled: 'default',
  refund_requested: 'red',
  refunded: 'purple',
}

/**
 * A group order's group as the desk tags it (拼团): 拼团中 until it succeeded (it does not ship before),
 * 拼团成功, 拼团失败; null for other orders.
 */
export function groupTag(group: AdminOrderRow['group']): { text: string; color: string } | null {
  if (!group) return null
  if (group.status === 'succeeded') return { text: '拼团成功', color: 'green' }
  if (group.status === 'failed' || group.status === 'cancelled') return { text: '拼团失败', color: 'default' }
  return { text: group.status === 'pending' ? '拼团中 · 待开团' : `拼团中 · 差${group.seatsLeft}人`, color: 'orange' }
}

/** Why 发货 is off on a group order whose group has not succeeded (null when it may ship). */
export function shipBlocked(order: Pick<AdminOrderRow, 'kind' | 'group'>): string | null {
  if (order.kind !== 'group' || order.group?.status === 'succeeded') return null
  return '拼团尚未成功，暂不能发货'
}

/** The play an order came from, tagged in the list like 拼团's state: 砍价 for price-cut orders. */
export const KIND_TAG: Partial<Record<AdminOrderRow['kind'], string>> = { assist: '砍价' }

/** 全部, then one tab per status, named as the status is. */
const TAB_STATUSES: OrderStatus[] = ['pending_payment', 'paid', 'shipped', 'completed', 'refund_requested', 'refunded', 'cancelled']
export const TABS: Array<{ key: AdminOrderTab; label: string }> = [
  { key: 'all', label: '全部' },
  ...TAB_STATUSES.map((key) => ({ key, label: STATUS_LABEL[key] })),
]

/**
 * The carriers the contract's `Carrier` takes (cloud/contract/order.ts CARRIERS). A value copy, as the
 * console imports no runtime code from cloud/; `satisfies` refuses a name the contract doesn't know,
 * and `_everyCarrier` fails to compile if the contract gains one this list lacks.
 */
export const CARRIERS = [
  '顺丰速运',
  '中通快递',
  '圆通速递',
  '韵达快递',
  '申通快递',
  '京东物流',
  '邮政EMS',
  '极兔速递',
] as const satisfies readonly Carrier[]
type MissingCarrier = Exclude<Carrier, (typeof CARRIERS)[number]>
export const _everyCarrier: [MissingCarrier] extends [never] ? true : MissingCarrier = true

export const ACTOR_LABEL = { shopper: '买家', staff: '商家', system: '系统' } as const

export const PROVIDER_LABEL: Record<string, string> = { wechat: '微信支付', sandbox: '模拟支付' }

/**
 * A timeline entry's title: what happened, not only the status it led to. A rejected refund request
 * goes back to 待发货/已发货 (商家拒绝退款); a refund is 同意退款 when it answered the shopper's request,
 * 商家主动退款 when staff made it on their own.
 */
export function eventLabel(e: Pick<OrderEvent, 'from' | 'to' | 'actor'>): string {
  if (e.to === 'refunded' && e.from === 'refund_requested') return e.actor === 'staff' ? '同意退款' : STATUS_LABEL.refunded
  if (e.to === 'refunded' && e.actor === 'staff') return '商家主动退款'
  // Only staff end a request otherwise (admin.rejectRefund): the shopper has no way to withdraw one.
  if (e.from === 'refund_requested') return '商家拒绝退款'
  if (e.to === 'refund_requested') return '买家申请退款'
  return STATUS_LABEL[e.to]
}

/**
 * What the drawer's 退款 block shows: the amount and time only once the money went back; a request
 * under review or rejected is named as such (a rejected request was not refunded).
 */
export function refundState(d: Pick<AdminOrderDetail, 'refund'> & { order: { status: OrderStatus } }): {
  state: '已退款' | '退款审核中' | '已拒绝退款'
  amountFen: number | null
} | null {
  if (!d.refund) return null
  if (d.order.status === 'refunded' || d.refund.refundedAt) return { state: '已退款', amountFen: d.refund.amountFen }
  if (d.order.status === 'refund_requested') return { state: '退款审核中', amountFen: null }
  return { state: '已拒绝退款', amountFen: null }
}
