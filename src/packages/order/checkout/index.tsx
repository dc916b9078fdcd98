import Taro, { useDidShow, useLoad, useRouter, useUnload } from '@tarojs/taro'
import { Input, Switch, Text, View } from '@tarojs/components'
import { useMemo, useRef, useState } from 'react'
import { ActionButton } from '../../../components/action-button'
import { StateView } from '../../../components/state-view'
import { chosenAddress, useAddressStore } from '../../../features/address/address-store'
import { OrderItems } from '../../../features/order/components/order-items'
import { useCartStore } from '../../../features/cart/cart-store'
import { CouponPicker } from '../../../features/coupon/components/coupon-picker'
import { PaymentSheet } from '../../../features/order/components/payment-sheet'
import { mmss, payCountdownText, useCountdown } from '../../../features/order/use-countdown'
import { usePayment } from '../../../features/order/use-payment'
import { useCheckout, type CheckoutSource } from '../../../features/order/use-checkout'
import { useGroupStore } from '../../../features/group/group-store'
import { serverNow } from '../../../features/shared/server-clock'
import { addressLine } from '../../../lib/address-text'
import { formatFen } from '../../../lib/money'
import { decodeItems, routes } from '../../../lib/routes'
import { lineProblemText } from '../../../lib/stock-text'
import { toast } from '../../../lib/toast'
import './index.scss'
import { navigateTo, redirectTo } from '../../../lib/navigate'

/** Tells the shopper who leaves an order unpaid that it waits, and for how long (longer than a plain toast: it is read on the next page). */
const sayUnpaid = (payDeadline: string | null) => {
  const seconds = payDeadline ? Math.ceil((new Date(payDeadline).getTime() - serverNow()) / 1000) : 0
  const title = seconds > 0 ? `订单待付款，请在 ${mmss(seconds)} 内完成支付` : '订单待付款，可在「我的订单」中继续支付'
  void Taro.showToast({ title, icon: 'none', duration: 3000 })
}

/**
 * 确认订单: the address, the server's price breakdown, the coupon and the note, then pay. The same
 * page for items (cart, product page, flash sale), a new-user deal claim (`dealId`) and an assist task's
 * price-cut order (`assistTaskId`). A draft
 * submitted before (this load or an earlier one) keeps its idempotency key, and its unpaid order is
 * offered for payment instead of a second order.
 */
export default function CheckoutPage() {
  const { params } = useRouter()
  const dealId = params.dealId || undefined
  const assistTaskId = params.assistTaskId || undefined
  // 拼团: `groupCampaignId` opens a group of the campaign, `groupId` joins that group.
  const groupCampaignId = params.groupCampaignId || undefined
  const groupId = params.groupId || undefined
  const source = useMemo<CheckoutSource>(
    () =>
      dealId
        ? { kind: 'deal', campaignId: dealId }
        : assistTaskId
          ? { kind: 'assist', taskId: assistTaskId }
          : groupId || groupCampaignId
            ? { kind: 'group', ...(groupId ? { groupId } : { campaignId: groupCampaignId }) }
            : { kind: 'items', items: decodeItems(params.items), flashSaleId: params.flashSaleId || undefined },
    [dealId, assistTaskId, groupId, groupCampaignId, params.items, params.flashSaleId],
  )
  // The group a group order was placed for (known once submitted): a paid group order lands on its page.
  const groupRef = useRef<string | null>(groupId ?? null)
  const empty = source.kind === 'items' && source.items.length === 0
  const fromCart = params.fromCart === '1'
  const checkout = useCheckout(source)
  const address = useAddressStore(chosenAddress)
  const addressStatus = useAddressStore((s) => s.status)
  const [note, setNote] = useState('')
  const [picking, setPicking] = useState(false)
  // The group to join filled up or ended under this checkout: 提交订单 stays off.
  const [gone, setGone] = useState(false)
  // The order this checkout placed and is still unpaid; `current` is it only while the draft on the
  // page (address, coupon, note) is the one that made it: then 去支付 pays it. A changed draft is a new order.
  const pending = checkout.pending
  // Until the addresses are loaded the page shows none yet: that is not a changed draft.
  const addressLoading = !address && (addressStatus === 'idle' || addressStatus === 'loading')
  const current = checkout.pendingFor({ addressId: addressLoading ? (pending?.draft.addressId ?? null) : (address?.id ?? null), note })
  // Read when the page unloads: an order of this draft left unpaid, and whether we are leaving for it.
  const pendingRef = useRef(pending)
  pendingRef.current = pending
  const leavingRef = useRef(false)
  // An order this page placed: leaving before it is paid must say so, even before its countdown is known.
  const placedRef = useRef(false)
  const shownRef = useRef(false)
  const seconds = useCountdown(pending?.payDeadline ?? null, () => void checkout.refreshPending())
  // The attempt is over: paid, the draft is done; not paid, the shopper sees the order waiting with its countdown.
  const payment = usePayment((orderId, paid) => {
    placedRef.current = false
    if (paid) checkout.forget()
    else sayUnpaid(pendingRef.current?.payDeadline ?? null)
    leavingRef.current = true
    void redirectTo(paid && groupRef.current ? routes.group(groupRef.current) : routes.order(orderId))
  })

  useLoad(() => {
    // A saved draft's note comes back with it, as its address and coupon do.
    setNote(checkout.restoredNote())
    if (!empty) void checkout.load()
  })
  useDidShow(() => {
    const first = !shownRef.current
    shownRef.current = true
    // Back from the address page: show the address picked there. First show: the address a saved draft was submitted with.
    void useAddressStore
      .getState()
      .load()
      .then(() => {
        const saved = first ? checkout.restoredAddressId() : null
        const store = useAddressStore.getState()
        if (saved && store.items.some((a) => a.id === saved)) store.choose(saved)
      })
    // Back from the order page, where the waiting order may have been paid or cancelled.
    if (!first && !empty) void checkout.refreshPending()
  })
  // Leaving (back, or the pay sheet left open) with the order unpaid: say so, never a silent pending order.
  useUnload(() => {
    if ((pendingRef.current || placedRef.current) && !leavingRef.current) sayUnpaid(pendingRef.current?.payDeadline ?? null)
  })

  if (empty) return <StateView kind="error" text="没有要结算的商品" />
  const preview = checkout.preview
  if (!preview) {
    if (checkout.status === 'error')
      return <StateView kind="error" text={checkout.error ?? undefined} actionText="重试" onAction={() => void checkout.load()} />
    return <StateView kind="loading" />
  }
  const blocked = gone || preview.lines.some((l) => l.problem !== null)
  const usableCount = checkout.coupons.filter((c) => !c.unusable).length
  // The breakdown of what 去支付 or 提交订单 would pay: the waiting order's own, or the new preview's.
  const sums = current ?? preview
  const couponApplied = current ? current.draft.couponId !== null : checkout.pricedCouponId !== null
  // 积分抵扣: offered on item orders when the order can take points (or the waiting order spent some).
  const pointsShown = source.kind === 'items' && !source.flashSaleId && (preview.points.maxUsable > 0 || sums.pointsUsed > 0)

  const payPending = async () => {
    if (!pending) return
    // The banner's 去支付 pays the waiting order as it was placed (its own address and amount).
    const started = await payment.pay(pending.orderId)
    if (started && !started.ok) {
      toast(started.message)
      void checkout.refreshPending()
    }
  }

  /** The group to join is full or over: offer a group of one's own (the campaign page) or going back. */
  const groupGone = async (id: string, title: string, message: string) => {
    setGone(true)
    const { confirm } = await Taro.showModal({ title, content: message, confirmText: '自己开一个团', cancelText: '返回' })
    if (!confirm) return void Taro.navigateBack().catch(() => undefined)
    const store = useGroupStore.getState()
    if (!store.groups[id]?.data) await store.loadGroup(id)
    const campaignId = useGroupStore.getState().groups[id]?.data?.campaign.campaignId
    if (campaignId) void redirectTo(routes.groupCampaign(campaignId))
    else void Taro.navigateBack().catch(() => undefined)
  }

  /** The caller already holds an unfinished seat in this campaign: a dialog leading to their group (one per person and campaign). */
  const alreadyInGroup = async (message: string) => {
    setGone(true)
    const { confirm } = await Taro.showModal({
      title: '你已有进行中的拼团',
      content: message,
      confirmText: '查看我的团',
      cancelText: '返回',
    })
    if (!confirm || source.kind !== 'group') return void Taro.navigateBack().catch(() => undefined)
    const store = useGroupStore.getState()
    let campaignId = source.campaignId
    if (!campaignId && source.groupId) {
      if (!store.groups[source.groupId]?.data) await store.loadGroup(source.groupId)
      campaignId = useGroupStore.getState().groups[source.groupId]?.data?.campaign.campaignId
    }
    if (campaignId) await store.loadCampaign(campaignId)
    const mine = campaignId ? useGroupStore.getState().campaigns[campaignId]?.data?.myGroupId : null
    if (mine) void redirectTo(routes.group(mine))
    else if (campaignId) void redirectTo(routes.groupCampaign(campaignId))
    else void Taro.navigateBack().catch(() => undefined)
  }

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
      // The seat went to someone else (or the group ended) before this submit: no dead 提交订单 left.
      if (source.kind === 'group' && source.groupId && (created.code === 'GROUP_FULL' || created.code === 'GROUP_CLOSED'))
        return void groupGone(source.groupId, created.code === 'GROUP_FULL' ? '该团已满员' : '该团已结束', created.message)
      if (source.kind === 'group' && created.code === 'GROUP_ALREADY_JOINED') return void alreadyInGroup(created.message)
      toast(created.message)
      return void checkout.load()
    }
    placedRef.current = true
    if (created.value.groupId) groupRef.current = created.value.groupId
    if (fromCart) void useCartStore.getState().load()
    // The order is placed: from now on this draft offers it (its countdown too) until it is paid or closed.
    void checkout.refreshPending()
    const started = await payment.pay(created.value.orderId)
    if (started && !started.ok) {
      toast(started.message)
      void checkout.load()
    }
  }

  return (
    <View className="checkout">
      {pending ? (
        <View className="checkout__pending">
          <View className="checkout__pending-body">
            <Text className="checkout__pending-title">你有一笔待付款订单</Text>
            <Text className="checkout__pending-hint">
              {formatFen(pending.payableFen)} · {payCountdownText(seconds, '超时将自动取消')}
            </Text>
            {current ? null : (
              <Text className="checkout__pending-hint">
                {pending.address ? `寄往 ${pending.address.name} ${addressLine(pending.address)}` : '未填收货地址'}
              </Text>
            )}
          </View>
          <View className="checkout__pending-actions">
            {current ? null : (
              <Text className="checkout__pending-link" onClick={() => void payPending()}>
                去支付
              </Text>
            )}
            <Text className="checkout__pending-link" onClick={() => void navigateTo(routes.order(pending.orderId))}>
              查看订单
            </Text>
          </View>
        </View>
      ) : null}
      <View className="checkout__address" onClick={() => void navigateTo(routes.addresses(true))}>
        {address ? (
          <View className="checkout__address-body">
            <Text className="checkout__address-who">
              {address.name} {address.phone}
            </Text>
            <Text className="checkout__address-text">{addressLine(address)}</Text>
          </View>
        ) : (
          <Text className="checkout__address-empty">
            {addressStatus === 'loading' ? '加载地址中…' : addressStatus === 'error' ? '地址加载失败，点此重试' : '+ 添加收货地址'}
          </Text>
        )}
        <Text className="checkout__chevron">›</Text>
      </View>

      <View className="checkout__card">
        {source.kind === 'deal' ? <Text className="checkout__deal-tag">新人专享价 · 每次领取 1 件</Text> : null}
        {source.kind === 'assist' ? <Text className="checkout__deal-tag">好友助力砍后价 · 限购 1 件</Text> : null}
        {source.kind === 'group' ? (
          <Text className="checkout__deal-tag">{source.groupId ? '拼团价 · 参与好友的团' : '拼团价 · 支付后开团，邀请好友参团'}</Text>
        ) : null}
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
          <Text>{formatFen(sums.goodsFen + sums.memberSavingFen)}</Text>
        </View>
        {sums.memberSavingFen > 0 ? (
          <View className="checkout__sum-row">
            <Text>会员价已省</Text>
            <Text className="checkout__discount">-{formatFen(sums.memberSavingFen)}</Text>
          </View>
        ) : null}
        {!preview.isMember && source.kind === 'items' ? (
          <View className="checkout__sum-row checkout__member-hint" onClick={() => void navigateTo(routes.member)}>
            <Text>开通会员享会员价</Text>
            <Text className="checkout__muted">去开通 ›</Text>
          </View>
        ) : null}
        <View className="checkout__sum-row" onClick={() => setPicking(true)}>
          <Text>优惠券</Text>
          <Text className={couponApplied ? 'checkout__discount' : 'checkout__muted'}>
            {couponApplied
              ? `-${formatFen(sums.couponFen)} ›`
              : usableCount > 0
                ? `${usableCount} 张可用 ›`
                : checkout.coupons.length > 0
                  ? '暂无可用 ›'
                  : '无 ›'}
          </Text>
        </View>
        {pointsShown ? (
          <View className="checkout__sum-row checkout__points">
            <Text>
              积分抵扣
              <Text className="checkout__muted">
                {' '}
                {current
                  ? `使用${sums.pointsUsed}积分抵${formatFen(sums.pointsFen)}`
                  : `使用${checkout.usePoints ? sums.pointsUsed : preview.points.maxUsable}积分抵${formatFen(
                      checkout.usePoints ? sums.pointsFen : preview.points.maxUsable,
                    )}（可用 ${preview.points.available}）`}
              </Text>
            </Text>
            {current ? (
              <Text className="checkout__discount">-{formatFen(sums.pointsFen)}</Text>
            ) : (
              <View className="checkout__points-side">
                {checkout.usePoints && sums.pointsFen > 0 ? (
                  <Text className="checkout__discount checkout__points-fen">-{formatFen(sums.pointsFen)}</Text>
                ) : null}
                <Switch
                  className="checkout__points-switch"
                  checked={checkout.usePoints}
                  color="#e4393c"
                  onChange={(e) => void checkout.choosePoints(Boolean(e.detail.value))}
                />
              </View>
            )}
          </View>
        ) : null}
        <View className="checkout__sum-row">
          <Text>运费</Text>
          <Text>包邮</Text>
        </View>
      </View>

      <View className="checkout__bar">
        <Text className="checkout__payable">
          实付 <Text className="checkout__payable-fen">{formatFen(sums.payableFen)}</Text>
        </Text>
        {current ? (
          <ActionButton className="checkout__submit" loading={payment.busy} onClick={() => void payPending()}>
            去支付
          </ActionButton>
        ) : (
          <ActionButton
            className="checkout__submit"
            loading={checkout.submitting || payment.busy}
            disabled={blocked}
            onClick={() => void submit()}
          >
            {gone ? '该团已不可参与' : blocked ? '库存不足' : '提交订单'}
          </ActionButton>
        )}
      </View>
      {picking ? (
        <CouponPicker
          coupons={checkout.coupons}
          selectedId={current ? checkout.couponId : checkout.pricedCouponId}
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
