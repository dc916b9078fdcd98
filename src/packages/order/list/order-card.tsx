import { Text, View } from '@tarojs/components'
import type { OrderView } from '../../../../cloud/contract'
import { ActionButton } from '../../../components/action-button'
import { OrderItems } from '../../../features/order/components/order-items'
import { canBuyAgain, canRequestRefund, maskPhone, STATUS_TEXT, useOrderStore } from '../../../features/order/order-store'
import { payCountdownText, useCountdown } from '../../../features/order/use-countdown'
import type { useOrderActions } from '../../../features/order/use-order-actions'
import { copyText } from '../../../lib/clipboard'
import { useServerNow } from '../../../features/shared/server-clock'
import { formatFen } from '../../../lib/money'
import { routes } from '../../../lib/routes'
import { shopTime } from '../../../lib/shop-time'
import { navigateTo } from '../../../lib/navigate'

/** When it left, as the card says it: 12月1日 20:05 发货 (the shop's clock, as the order page's times). */
const shippedText = (iso: string) => `${shopTime(iso, 'M月D日 HH:mm')} 发货`

/** The play an order came from, tagged on its card (拼团 group orders, 砍价 price-cut orders). */
const KIND_TAG: Partial<Record<OrderView['kind'], string>> = { group: '拼团', assist: '砍价' }

interface Props {
  order: OrderView
  actions: ReturnType<typeof useOrderActions>
}

/** One order in the list: its number, lines and total open the order; below, what can be done with it now. */
export function OrderCard({ order: o, actions }: Props) {
  const pending = o.status === 'pending_payment'
  const seconds = useCountdown(pending ? o.payDeadline : null, () => void useOrderStore.getState().loadOrder(o.id))
  const now = useServerNow(false)
  const running = actions.runningOn(o.id)
  const button = (action: NonNullable<typeof running>, text: string, onClick: () => void, kind: 'primary' | 'plain' = 'plain') => (
    <ActionButton
      key={action}
      className="orders__btn"
      kind={kind}
      loading={running === action}
      disabled={actions.busy && running !== action}
      onClick={onClick}
    >
      {text}
    </ActionButton>
  )
  const buttons = [
    pending ? button('cancel', '取消订单', () => void actions.cancel(o.id)) : null,
    pending && seconds !== 0 ? button('pay', '去支付', () => void actions.pay(o.id), 'primary') : null,
    canRequestRefund(o, now) ? button('refund', '申请退款', () => void actions.refund(o.id)) : null,
    o.status === 'shipped' ? button('receive', '确认收货', () => void actions.receive(o.id), 'primary') : null,
    canBuyAgain(o)
      ? button('buyAgain', '再次购买', () => void actions.buyAgain(o.id), o.status === 'completed' ? 'primary' : 'plain')
      : null,
  ].filter(Boolean)

  return (
    <View className="orders__card">
      <View className="orders__link" onClick={() => void navigateTo(routes.order(o.id))}>
        <View className="orders__head">
          <Text className="orders__no">
            {KIND_TAG[o.kind] ? <Text className="orders__tag">{KIND_TAG[o.kind]}</Text> : null}订单号 {o.orderNo}
          </Text>
          <Text className="orders__status">{STATUS_TEXT[o.status]}</Text>
        </View>
        {o.address ? (
          <Text className="orders__who">
            收货人 {o.address.name} {maskPhone(o.address.phone)}
          </Text>
        ) : null}
        <OrderItems items={o.items} />
        <Text className="orders__sum">
          共 {o.items.reduce((n, i) => n + i.qty, 0)} 件，实付 {formatFen(o.payableFen)}
        </Text>
        {pending && seconds !== null ? <Text className="orders__hint">{payCountdownText(seconds, '超时订单将自动取消')}</Text> : null}
      </View>
      {o.logistics ? (
        <View className="orders__logistics">
          <View className="orders__logistics-text">
            <Text>
              {o.logistics.carrier} {o.logistics.trackingNo}
            </Text>
            <Text className="orders__shipped">{shippedText(o.logistics.shippedAt)}</Text>
          </View>
          <Text className="orders__copy" onClick={() => copyText(o.logistics!.trackingNo)}>
            复制
          </Text>
        </View>
      ) : null}
      {buttons.length > 0 ? <View className="orders__actions">{buttons}</View> : null}
    </View>
  )
}
