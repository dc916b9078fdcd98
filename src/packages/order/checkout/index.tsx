import Taro, { useDidShow, useLoad, useRouter } from '@tarojs/taro'
import { Input, Text, View } from '@tarojs/components'
import { useMemo, useState } from 'react'
import { errorMessage } from '../../../api/call'
import { ActionButton } from '../../../components/action-button'
import { CouponCard } from '../../../components/coupon-card'
import { PaySheet } from '../../../components/pay-sheet'
import { StateView } from '../../../components/state-view'
import { chosenAddress, useAddressStore } from '../../../features/address/address-store'
import { OrderItems } from '../../../features/order/components/order-items'
import { useCartStore } from '../../../features/cart/cart-store'
import { useOrderStore, type SandboxParams } from '../../../features/order/order-store'
import { useCheckout } from '../../../features/order/use-checkout'
import { dateText, unusableText } from '../../../lib/coupon-text'
import { formatFen } from '../../../lib/money'
import { decodeItems, routes } from '../../../lib/routes'
import { lineProblemText } from '../../../lib/stock-text'
import './index.scss'

export default function CheckoutPage() {
  const { params } = useRouter()
  const items = useMemo(() => decodeItems(params.items), [params.items])
  const fromCart = params.fromCart === '1'
  const checkout = useCheckout(items, params.flashSaleId || undefined)
  const address = useAddressStore(chosenAddress)
  const addressStatus = useAddressStore((s) => s.status)
  const [note, setNote] = useState('')
  const [paying, setPaying] = useState<{ orderId: string; params: SandboxParams } | null>(null)
  const [payBusy, setPayBusy] = useState(false)
  const [picking, setPicking] = useState(false)
  const { startPayment, confirmSandbox } = useOrderStore.getState()

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

  const openOrder = (orderId: string) => void Taro.redirectTo({ url: routes.order(orderId) })

  const submit = async () => {
    if (!address) return void Taro.showToast({ title: '请先选择收货地址', icon: 'none' })
    try {
      const created = await checkout.submit({
        addressId: address.id,
        note: note.trim() || undefined,
        sharerId: params.sharerId || undefined,
        roomId: params.roomId || undefined,
        fromCart,
      })
      if (!created) return
      if (fromCart) void useCartStore.getState().load()
      const start = await startPayment(created.orderId)
      if (start.kind === 'sandbox') setPaying({ orderId: created.orderId, params: start.params })
      else openOrder(created.orderId)
    } catch (err) {
      void Taro.showToast({ title: errorMessage(err), icon: 'none' })
      void checkout.load()
    }
  }

  const confirmPay = async () => {
    if (!paying) return
    setPayBusy(true)
    try {
      await confirmSandbox(paying.orderId, paying.params)
      void Taro.showToast({ title: '支付成功', icon: 'success' })
    } catch (err) {
      void Taro.showToast({ title: errorMessage(err), icon: 'none' })
    } finally {
      setPayBusy(false)
      openOrder(paying.orderId)
    }
  }

  return (
    <View className="checkout">
      <View className="checkout__address" onClick={() => void Taro.navigateTo({ url: routes.addresses(true) })}>
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
        <ActionButton className="checkout__submit" loading={checkout.submitting} disabled={blocked} onClick={() => void submit()}>
          {blocked ? '库存不足' : '提交订单'}
        </ActionButton>
      </View>
      {picking ? (
        <View className="checkout__sheet">
          <View className="checkout__sheet-mask" onClick={() => setPicking(false)} />
          <View className="checkout__sheet-panel">
            <Text className="checkout__sheet-title">选择优惠券</Text>
            <View className="checkout__sheet-list">
              {checkout.coupons.map((c) => (
                <CouponCard
                  key={c.userCouponId}
                  coupon={c}
                  dimmed={c.unusable !== null}
                  selected={c.userCouponId === checkout.couponId}
                  sub={<Text>有效期至 {dateText(c.validTo)}</Text>}
                  note={c.unusable ? unusableText(c.unusable) : `可省 ${formatFen(c.savingFen)}`}
                  onClick={() => {
                    if (c.unusable) return
                    setPicking(false)
                    void checkout.chooseCoupon(c.userCouponId)
                  }}
                />
              ))}
              {checkout.coupons.length === 0 ? <Text className="checkout__muted">还没有优惠券，可去领券中心领取</Text> : null}
            </View>
            <ActionButton
              kind="plain"
              onClick={() => {
                setPicking(false)
                void checkout.chooseCoupon(null)
              }}
            >
              不使用优惠券
            </ActionButton>
          </View>
        </View>
      ) : null}
      {paying ? (
        <PaySheet
          amountFen={paying.params.amountFen}
          busy={payBusy}
          onConfirm={() => void confirmPay()}
          onClose={() => openOrder(paying.orderId)}
        />
      ) : null}
    </View>
  )
}
