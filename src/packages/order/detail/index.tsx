import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { useState } from 'react'
import { errorMessage } from '../../../api/call'
import { ActionButton } from '../../../components/action-button'
import { PaySheet } from '../../../components/pay-sheet'
import { StateView } from '../../../components/state-view'
import { OrderItems } from '../../../features/order/components/order-items'
import { STATUS_TEXT, useOrderStore, type SandboxParams } from '../../../features/order/order-store'
import { mmss, useCountdown } from '../../../features/order/use-countdown'
import { formatFen } from '../../../lib/money'
import './index.scss'

const REFUND_REASONS = ['不想要了', '商品与描述不符', '质量问题', '其他原因']

export default function OrderDetailPage() {
  const { params } = useRouter()
  const id = params.id ?? ''
  const entry = useOrderStore((s) => s.orders[id])
  const { loadOrder, startPayment, confirmSandbox, cancel, requestRefund, confirmReceipt } = useOrderStore.getState()
  const [paying, setPaying] = useState<SandboxParams | null>(null)
  const [busy, setBusy] = useState(false)
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

  const run = async (fn: () => Promise<unknown>) => {
    if (busy) return
    setBusy(true)
    try {
      await fn()
    } catch {
      // the store showed the reason
    } finally {
      setBusy(false)
    }
  }
  const pay = () =>
    run(async () => {
      try {
        const start = await startPayment(id)
        if (start.kind === 'sandbox') setPaying(start.params)
      } catch (err) {
        void Taro.showToast({ title: errorMessage(err), icon: 'none' })
        void loadOrder(id)
      }
    })
  const confirmPay = async () => {
    if (!paying) return
    setBusy(true)
    try {
      await confirmSandbox(id, paying)
      void Taro.showToast({ title: '支付成功', icon: 'success' })
    } catch (err) {
      void Taro.showToast({ title: errorMessage(err), icon: 'none' })
    } finally {
      setBusy(false)
      setPaying(null)
    }
  }
  const askCancel = () =>
    run(async () => {
      const { confirm } = await Taro.showModal({ title: '取消订单', content: '确定取消这个订单吗？' })
      if (confirm) await cancel(id)
    })
  const askRefund = () =>
    run(async () => {
      const picked = await Taro.showActionSheet({ itemList: REFUND_REASONS }).catch(() => null)
      if (picked) await requestRefund(id, REFUND_REASONS[picked.tapIndex]!)
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
      {paying ? (
        <PaySheet amountFen={paying.amountFen} busy={busy} onConfirm={() => void confirmPay()} onClose={() => setPaying(null)} />
      ) : null}
    </View>
  )
}
