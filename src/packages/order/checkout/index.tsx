import { useDidShow, useLoad, useRouter } from '@tarojs/taro'
import { Input, Text, View } from '@tarojs/components'
import { useMemo, useState } from 'react'
import { ActionButton } from '../../../components/action-button'
import { StateView } from '../../../components/state-view'
import { chosenAddress, useAddressStore } from '../../../features/address/address-store'
import { OrderItems } from '../../../features/order/components/order-items'
import { useCartStore } from '../../../features/cart/cart-store'
import { CouponPicker } from '../../../features/coupon/components/coupon-picker'
import { PaymentSheet } from '../../../features/order/components/payment-sheet'
import { usePayment } from '../../../features/order/use-payment'
import { useCheckout } from '../../../features/order/use-checkout'
import { formatFen } from '../../../lib/money'
import { decodeItems, routes } from '../../../lib/routes'
import { lineProblemText } from '../../../lib/stock-text'
import { toast } from '../../../lib/toast'
import './index.scss'
import { navigateTo, redirectTo } from '../../../lib/navigate'

export default function CheckoutPage() {
  const { params } = useRouter()
  const items = useMemo(() => decodeItems(params.items), [params.items])
  const fromCart = params.fromCart === '1'
  const checkout = useCheckout(items, params.flashSaleId || undefined)
  const address = useAddressStore(chosenAddress)
  const addressStatus = useAddressStore((s) => s.status)
  const [note, setNote] = useState('')
  const [picking, setPicking] = useState(false)
  // Paid or not, the shopper lands on the order: it is placed, and the order page can pay it again.
  const payment = usePayment((orderId) => void redirectTo(routes.order(orderId)))

  useLoad(() => {
    if (items.length > 0) void checkout.load()
  })
  // Back from the address page: show the address picked there.
  useDidShow(() => void useAddressStore.getState().load())

  if (items.length === 0) return <StateView kind="error" text="没有要结算的商品" />
  const preview = checkout.preview
  if (!preview) {
    if (checkout.status === 'error')
      return <StateView kind="error" text={checkout.error ?? undefined} actionText="重试" onAction={() => void checkout.load()} />
    return <StateView kind="loading" />
  }
  const blocked = preview.lines.some((l) => l.problem !== null)
  const usableCount = checkout.coupons.filter((c) => !c.unusable).length

  const submit = async () => {
    if (!address) return toast('请先选择收货地址')
    const created = await checkout.submit({
      addressId: address.id,
      note: note.trim() || undefined,
      sharerId: params.sharerId || undefined,
      roomId: params.roomId || undefined,
      fromCart,
    })
    if (!created) return
    if (!created.ok) {
      toast(created.message)
      return void checkout.load()
    }
    if (fromCart) void useCartStore.getState().load()
    const started = await payment.pay(created.value.orderId)
    if (started && !started.ok) {
      toast(started.message)
      void checkout.load()
    }
  }

  return (
    <View className="checkout">
      <View className="checkout__address" onClick={() => void navigateTo(routes.addresses(true))}>
        {address ? (
          <View className="checkout__address-body">
            <Text className="checkout__address-who">
              {address.name} {address.phone}
            </Text>
            <Text className="checkout__address-text">
              {address.province}
              {address.city}
              {address.district}
              {address.detail}
            </Text>
          </View>
        ) : (
          <Text className="checkout__address-empty">{addressStatus === 'loading' ? '加载地址中…' : '+ 添加收货地址'}</Text>
        )}
        <Text className="checkout__chevron">›</Text>
      </View>

      <View className="checkout__card">
        <OrderItems items={preview.lines.map((l) => ({ ...l, warning: lineProblemText(l.problem, l.stock) }))} />
        <View className="checkout__note">
          <Text>备注</Text>
          <Input
            className="checkout__note-input"
            value={note}
            maxlength={200}
            placeholder="选填，给商家留言"
            onInput={(e) => setNote(e.detail.value)}
          />
        </View>
      </View>

      <View className="checkout__card">
        <View className="checkout__sum-row">
          <Text>商品金额</Text>
          <Text>{formatFen(preview.goodsFen)}</Text>
        </View>
        <View className="checkout__sum-row" onClick={() => setPicking(true)}>
          <Text>优惠券</Text>
          <Text className={checkout.couponId ? 'checkout__discount' : 'checkout__muted'}>
            {checkout.couponId
              ? `-${formatFen(preview.discountFen)} ›`
              : usableCount > 0
                ? `${usableCount} 张可用 ›`
                : checkout.coupons.length > 0
                  ? '暂无可用 ›'
                  : '无 ›'}
          </Text>
        </View>
        <View className="checkout__sum-row">
          <Text>运费</Text>
          <Text>包邮</Text>
        </View>
      </View>

      <View className="checkout__bar">
        <Text className="checkout__payable">
          实付 <Text className="checkout__payable-fen">{formatFen(preview.payableFen)}</Text>
        </Text>
        <ActionButton
          className="checkout__submit"
          loading={checkout.submitting || payment.busy}
          disabled={blocked}
          onClick={() => void submit()}
        >
          {blocked ? '库存不足' : '提交订单'}
        </ActionButton>
      </View>
      {picking ? (
        <CouponPicker
          coupons={checkout.coupons}
          selectedId={checkout.couponId}
          onPick={(id) => {
            setPicking(false)
            void checkout.chooseCoupon(id)
          }}
          onClose={() => setPicking(false)}
        />
      ) : null}
      <PaymentSheet payment={payment} />
    </View>
  )
}
