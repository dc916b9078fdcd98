/** The order desk's words: statuses, tabs, carriers, actors. */
import type { AdminOrderTab, Carrier, OrderStatus } from '../../../../cloud/contract'

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

export const TABS: Array<{ key: AdminOrderTab; label: string }> = [
  { key: 'all', label: '全部' },
  { key: 'pending_payment', label: '待付款' },
  { key: 'paid', label: '待发货' },
  { key: 'shipped', label: '已发货' },
  { key: 'completed', label: '已完成' },
  { key: 'refund_requested', label: '退款审核' },
  { key: 'refunded', label: '已退款' },
  { key: 'cancelled', label: '已取消' },
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
