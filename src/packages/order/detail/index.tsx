import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { useState } from 'react'
import { ActionButton } from '../../../components/action-button'
import { StateView } from '../../../components/state-view'
import { OrderItems } from '../../../features/order/components/order-items'
import { STATUS_TEXT, useOrderStore } from '../../../features/order/order-store'
import { mmss, useCountdown } from '../../../features/order/use-countdown'
import { PaymentSheet } from '../../../features/order/components/payment-sheet'
import { usePayment } from '../../../features/order/use-payment'
import type { Outcome } from '../../../features/shared/outcome'
import { formatFen } from '../../../lib/money'
import { toast } from '../../../lib/toast'
import './index.scss'

const REFUND_REASONS = ['不想要了', '商品与描述不符', '质量问题', '其他原因']

export default function OrderDetailPage() {
  const { params } = useRouter()
  const id = params.id ?? ''
  const entry = useOrderStore((s) => s.orders[id])
  const { loadOrder, cancel, requestRefund, confirmReceipt } = useOrderStore.getState()
  const payment = usePayment()
  const [actionBusy, setBusy] = useState(false)
  const busy = actionBusy || payment.busy
  const order = entry?.order
  const seconds = useCountdown(order?.status === 'pending_payment' ? order.payDeadline : null, () => void loadOrder(id))

  useDidShow(() => {
    if (id) void loadOrder(id)
  })
  usePullDownRefresh(() => void loadOrder(id).finally(() => Taro.stopPullDownRefresh()))

  if (!id) return <StateView kind="error" text="订单链接无效" />
  if (!order) {
    if (entry?.status === 'error')
      return <StateView kind="error" text={entry.error ?? undefined} actionText="重试" onAction={() => void loadOrder(id)} />
    return <StateView kind="loading" />
  }

  const run = async (fn: () => Promise<Outcome | null>) => {
    if (busy) return
    setBusy(true)
    try {
      const r = await fn()
      if (r && !r.ok) toast(r.message)
    } finally {
      setBusy(false)
    }
  }
  const pay = async () => {
    const started = await payment.pay(id)
    if (started && !started.ok) {
      toast(started.message)
      void loadOrder(id)
    }
  }
  const askCancel = () =>
    run(async () => {
      const { confirm } = await Taro.showModal({ title: '取消订单', content: '确定取消这个订单吗？' })
      return confirm ? cancel(id) : null
    })
  const askRefund = () =>
    run(async () => {
      const picked = await Taro.showActionSheet({ itemList: REFUND_REASONS }).catch(() => null)
      return picked ? requestRefund(id, REFUND_REASONS[picked.tapIndex]!) : null
    })

  return (
    <View className="order">
      <View className={`order__status order__status--${order.status}`}>
        <Text className="order__status-text">{STATUS_TEXT[order.status]}</Text>
        {order.status === 'pending_payment' && seconds !== null ? (
          <Text className="order__status-hint">{seconds > 0 ? `剩余 ${mmss(seconds)}，超时订单将自动取消` : '订单已超时，正在关闭'}</Text>
        ) : null}
        {order.status === 'cancelled' && order.cancelReason ? <Text className="order__status-hint">{order.cancelReason}</Text> : null}
        {order.status === 'refund_requested' ? <Text className="order__status-hint">退款申请已提交，等待商家处理</Text> : null}
      </View>
      {order.address ? (
        <View className="order__card">
          <Text className="order__who">
            {order.address.name} {order.address.phone}
          </Text>
          <Text className="order__addr">
            {order.address.province}
            {order.address.city}
            {order.address.district}
            {order.address.detail}
          </Text>
        </View>
      ) : null}
      <View className="order__card">
        <OrderItems items={order.items} />
        <View className="order__row">
          <Text>商品金额</Text>
          <Text>{formatFen(order.goodsFen)}</Text>
        </View>
        <View className="order__row">
          <Text>优惠</Text>
          <Text>-{formatFen(order.discountFen)}</Text>
        </View>
        <View className="order__row order__row--strong">
          <Text>实付款</Text>
          <Text className="order__payable">{formatFen(order.payableFen)}</Text>
        </View>
      </View>
      <View className="order__card order__meta">
        <Text>订单编号：{order.id}</Text>
        <Text>下单时间：{new Date(order.createdAt).toLocaleString('zh-CN', { hour12: false })}</Text>
        {order.paidAt ? <Text>付款时间：{new Date(order.paidAt).toLocaleString('zh-CN', { hour12: false })}</Text> : null}
        {order.note ? <Text>备注：{order.note}</Text> : null}
        {order.refundReason ? <Text>退款原因：{order.refundReason}</Text> : null}
      </View>
      <View className="order__bar">
        {order.status === 'pending_payment' ? (
          <>
            <ActionButton className="order__btn" kind="plain" disabled={busy} onClick={() => void askCancel()}>
              取消订单
            </ActionButton>
            <ActionButton className="order__btn" disabled={busy || seconds === 0} onClick={() => void pay()}>
              去支付
            </ActionButton>
          </>
        ) : null}
        {order.status === 'paid' || order.status === 'shipped' || order.status === 'completed' ? (
          <ActionButton className="order__btn" kind="plain" disabled={busy} onClick={() => void askRefund()}>
            申请退款
          </ActionButton>
        ) : null}
        {order.status === 'shipped' ? (
          <ActionButton className="order__btn" disabled={busy} onClick={() => void run(() => confirmReceipt(id))}>
            确认收货
          </ActionButton>
        ) : null}
      </View>
      <PaymentSheet payment={payment} />
    </View>
  )
}
