import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro'
import { useEffect } from 'react'
import { Text, View } from '@tarojs/components'
import { ActionButton } from '../../../components/action-button'
import { PrivacyPopup } from '../../../components/privacy-popup'
import { StateView } from '../../../components/state-view'
import { OrderItems } from '../../../features/order/components/order-items'
import { PaymentSheet } from '../../../features/order/components/payment-sheet'
import { canBuyAgain, canRequestRefund, maskPhone, STATUS_TEXT, useOrderStore } from '../../../features/order/order-store'
import { payCountdownText, useCountdown } from '../../../features/order/use-countdown'
import { useOrderActions, type OrderAction } from '../../../features/order/use-order-actions'
import { copyText } from '../../../lib/clipboard'
import { stoppedGroupText, useGroupStore } from '../../../features/group/group-store'
import { navigateTo } from '../../../lib/navigate'
import { routes } from '../../../lib/routes'
import { serverNow, useServerNow } from '../../../features/shared/server-clock'
import { addressLine } from '../../../lib/address-text'
import { formatFen } from '../../../lib/money'
import { shopTime } from '../../../lib/shop-time'
import './index.scss'

/** 下单/付款/发货/退款 times, in the shop's clock (Asia/Shanghai) whatever the phone's time zone. */
const timeText = (iso: string) => shopTime(iso, 'YYYY-MM-DD HH:mm:ss')

export default function OrderDetailPage() {
  const { params } = useRouter()
  const id = params.id ?? ''
  const entry = useOrderStore((s) => s.orders[id])
  const { loadOrder } = useOrderStore.getState()
  const actions = useOrderActions()
  const order = entry?.order
  const seconds = useCountdown(order?.status === 'pending_payment' ? order.payDeadline : null, () => void loadOrder(id))
  const now = useServerNow(false)
  // A group order's group (拼团中，还差N人 / 拼团成功), read when the order says it is one.
  const groupId = order?.kind === 'group' ? order.playRef : null
  const group = useGroupStore((s) => (groupId ? s.groups[groupId]?.data : null))

  useDidShow(() => {
    if (!id) return
    void loadOrder(id).then(() => {
      const o = useOrderStore.getState().orders[id]?.order
      if (o?.kind === 'group' && o.playRef) void useGroupStore.getState().loadGroup(o.playRef)
    })
  })
  // The group's state follows the order's: paid here (去支付), cancelled or refunded, the group is read again.
  const orderStatus = order?.status
  useEffect(() => {
    if (groupId && orderStatus) void useGroupStore.getState().loadGroup(groupId)
  }, [groupId, orderStatus])
  usePullDownRefresh(() => void loadOrder(id).finally(() => Taro.stopPullDownRefresh()))

  if (!id) return <StateView kind="error" text="订单链接无效" />
  if (!order) {
    if (entry?.status === 'error')
      return <StateView kind="error" text={entry.error ?? undefined} actionText="重试" onAction={() => void loadOrder(id)} />
    return <StateView kind="loading" />
  }

  const running = actions.runningOn(id)
  const button = (action: OrderAction, text: string, onClick: () => void, kind: 'primary' | 'plain' = 'plain', disabled = false) => (
    <ActionButton
      key={action}
      className="order__btn"
      kind={kind}
      loading={running === action}
      disabled={disabled || (actions.busy && running !== action)}
      onClick={onClick}
    >
      {text}
    </ActionButton>
  )
  const pending = order.status === 'pending_payment'
  const buttons = [
    pending ? button('cancel', '取消订单', () => void actions.cancel(id)) : null,
    pending ? button('pay', '去支付', () => void actions.pay(id), 'primary', seconds === 0) : null,
    canRequestRefund(order, now) ? button('refund', '申请退款', () => void actions.refund(id)) : null,
    order.status === 'shipped' ? button('receive', '确认收货', () => void actions.receive(id), 'primary') : null,
    canBuyAgain(order) ? button('buyAgain', '再次购买', () => void actions.buyAgain(id), 'primary') : null,
  ].filter(Boolean)

  return (
    <View className="order">
      <View className={`order__status order__status--${order.status}`}>
        <Text className="order__status-text">{STATUS_TEXT[order.status]}</Text>
        {pending && seconds !== null ? <Text className="order__status-hint">{payCountdownText(seconds, '超时订单将自动取消')}</Text> : null}
        {order.status === 'cancelled' && order.cancelReason ? <Text className="order__status-hint">{order.cancelReason}</Text> : null}
        {order.status === 'refund_requested' ? <Text className="order__status-hint">退款申请已提交，等待商家处理</Text> : null}
        {order.status !== 'refund_requested' && order.refundRejectReason ? (
          <Text className="order__status-hint">商家拒绝退款：{order.refundRejectReason}</Text>
        ) : null}
      </View>
      {groupId ? (
        <View className="order__card order__copy-row" onClick={() => void navigateTo(routes.group(groupId))}>
          <Text className="order__label">
            {order.status === 'cancelled'
              ? '订单已取消，未参团'
              : !group
                ? '拼团订单'
                : order.status === 'refunded' && (group.status === 'forming' || group.status === 'pending')
                  ? '已退款，已退出该团'
                  : group.status === 'pending'
                    ? group.campaign.open
                      ? '支付后开团'
                      : group.campaign.status === 'paused' && new Date(group.campaign.endsAt).getTime() > serverNow()
                        ? '拼团活动已暂停，恢复后可支付开团'
                        : '拼团活动已结束'
                    : group.status === 'forming'
                      ? (stoppedGroupText(group.campaign) ??
                        (group.timeUp
                          ? '拼团时间已到'
                          : group.seatsLeft === 0 && group.awaitingPayment > 0
                            ? `拼团中，等待${group.awaitingPayment}人支付`
                            : `拼团中，还差${group.seatsLeft}人`))
                      : group.status === 'succeeded'
                        ? '拼团成功'
                        : group.status === 'failed'
                          ? order.status === 'refunded'
                            ? '拼团失败，款项已原路退回'
                            : '拼团失败'
                          : '拼团已取消'}
          </Text>
          <Text className="order__copy">查看拼团 ›</Text>
        </View>
      ) : null}
      {order.logistics ? (
        <View className="order__card">
          <Text className="order__label">物流信息</Text>
          <View className="order__copy-row">
            <Text className="order__logistics">
              {order.logistics.carrier} 运单号 {order.logistics.trackingNo}
            </Text>
            <Text className="order__copy" onClick={() => copyText(order.logistics!.trackingNo)}>
              复制
            </Text>
          </View>
          <Text className="order__sub">发货时间：{timeText(order.logistics.shippedAt)}</Text>
        </View>
      ) : null}
      {order.refund ? (
        <View className="order__card order__refund">
          <Text className="order__label">退款信息</Text>
          <View className="order__row">
            <Text>退款金额</Text>
            <Text className="order__refund-amount">{formatFen(order.refund.amountFen)}（已原路退回）</Text>
          </View>
          <View className="order__row">
            <Text>退款时间</Text>
            <Text>{timeText(order.refund.refundedAt)}</Text>
          </View>
          {order.refund.reason ? (
            <Text className="order__sub">
              退款原因：{order.refund.byMerchant ? `商家主动退款：${order.refund.reason}` : order.refund.reason}
            </Text>
          ) : order.refund.byMerchant ? (
            <Text className="order__sub">退款原因：商家主动退款</Text>
          ) : null}
          {order.refund.restocked ? null : <Text className="order__sub">无需退回商品</Text>}
        </View>
      ) : null}
      {order.address ? (
        <View className="order__card">
          <Text className="order__who">
            {order.address.name} {maskPhone(order.address.phone)}
          </Text>
          <Text className="order__addr">{addressLine(order.address)}</Text>
        </View>
      ) : null}
      <View className="order__card">
        <OrderItems items={order.items} />
        <View className="order__row">
          <Text>商品金额</Text>
          <Text>{formatFen(order.goodsFen + order.memberSavingFen)}</Text>
        </View>
        {order.memberSavingFen > 0 ? (
          <View className="order__row">
            <Text>会员价已省</Text>
            <Text>-{formatFen(order.memberSavingFen)}</Text>
          </View>
        ) : null}
        {order.couponFen > 0 ? (
          <View className="order__row">
            <Text>优惠券</Text>
            <Text>-{formatFen(order.couponFen)}</Text>
          </View>
        ) : null}
        {order.pointsFen > 0 ? (
          <View className="order__row">
            <Text>积分抵扣（{order.pointsUsed}积分）</Text>
            <Text>-{formatFen(order.pointsFen)}</Text>
          </View>
        ) : null}
        <View className="order__row order__row--strong">
          <Text>实付款</Text>
          <Text className="order__payable">{formatFen(order.payableFen)}</Text>
        </View>
      </View>
      <View className="order__card order__meta">
        <View className="order__copy-row">
          <Text>订单编号：{order.orderNo}</Text>
          <Text className="order__copy" onClick={() => copyText(order.orderNo)}>
            复制
          </Text>
        </View>
        <Text>下单时间：{timeText(order.createdAt)}</Text>
        {order.paidAt ? <Text>付款时间：{timeText(order.paidAt)}</Text> : null}
        {order.note ? <Text>备注：{order.note}</Text> : null}
        {order.refund === null && order.refundReason ? <Text>退款原因：{order.refundReason}</Text> : null}
      </View>
      {buttons.length > 0 ? <View className="order__bar">{buttons}</View> : null}
      <PaymentSheet payment={actions.payment} />
      <PrivacyPopup />
    </View>
  )
}
