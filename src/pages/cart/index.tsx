import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Checkbox, Image, Text, View } from '@tarojs/components'
import { assetUrl } from '../../lib/asset-url'
import { ActionButton } from '../../components/action-button'
import { MemberPrice } from '../../components/member-price'
import { Price } from '../../components/price'
import { QtyStepper } from '../../components/qty-stepper'
import { StateView } from '../../components/state-view'
import { useCartStore } from '../../features/cart/cart-store'
import { useMemberStore } from '../../features/member/member-store'
import { formatFen } from '../../lib/money'
import { routes } from '../../lib/routes'
import { lineProblemText } from '../../lib/stock-text'
import { toast } from '../../lib/toast'
import type { Outcome } from '../../features/shared/outcome'
import './index.scss'
import { navigateTo, switchTab } from '../../lib/navigate'

/** How old the member store's status may be when the cart shows a member price. */
const MEMBER_FRESH_MS = 60_000

export default function CartPage() {
  const cart = useCartStore((s) => s.cart)
  const status = useCartStore((s) => s.status)
  const error = useCartStore((s) => s.error)
  const busySku = useCartStore((s) => s.busySku)
  const { load } = useCartStore.getState()
  // Whether the shopper is a member only words the 会员价 line under 合计: the member store's answer
  // (read again when older than a minute) is enough, and costs no call while it is fresh.
  const isMember = useMemberStore((s) => s.status?.isMember ?? null)
  const refresh = () =>
    load().then(() => {
      if (useCartStore.getState().cart?.lines.some((l) => l.memberPriceFen != null))
        void useMemberStore.getState().ensureStatus(MEMBER_FRESH_MS)
    })
  // A refused change (stock ran out meanwhile) is told; the cart shows what the server kept.
  const change = (run: () => Promise<Outcome>) => void run().then((r) => !r.ok && toast(r.message))
  const setQty = (skuId: string, qty: number) => change(() => useCartStore.getState().setQty(skuId, qty))
  const select = (skuIds: string[], selected: boolean) => change(() => useCartStore.getState().select(skuIds, selected))

  useDidShow(() => void refresh())
  usePullDownRefresh(() => void refresh().finally(() => Taro.stopPullDownRefresh()))

  if (!cart) {
    if (status === 'error') return <StateView kind="error" text={error ?? undefined} actionText="重试" onAction={() => void load()} />
    return <StateView kind="loading" />
  }
  if (cart.lines.length === 0) {
    return <StateView kind="empty" text="购物车还是空的" actionText="去逛逛" onAction={() => void switchTab(routes.home)} />
  }

  const buyable = cart.lines.filter((l) => l.problem === null)
  const allSelected = buyable.length > 0 && buyable.every((l) => l.selected)
  // 合计 is the regular prices: when a selected line has a member price, say what checkout does with it.
  const memberPriced = buyable.some((l) => l.selected && l.memberPriceFen != null)
  const checkout = () => {
    const items = buyable.filter((l) => l.selected).map((l) => ({ productId: l.productId, skuId: l.skuId, qty: l.qty }))
    if (items.length === 0) return toast('请选择要结算的商品')
    void navigateTo(routes.checkout(items, { fromCart: true }))
  }
  const confirmRemove = async (skuId: string) => {
    const { confirm } = await Taro.showModal({ title: '删除商品', content: '确定从购物车删除这件商品吗？' })
    if (confirm) change(() => useCartStore.getState().remove([skuId]))
  }

  return (
    <View className="cart">
      {cart.lines.map((l) => (
        <View key={l.skuId} className={`cart__line ${l.problem ? 'cart__line--problem' : ''}`}>
          <Checkbox
            className="cart__check"
            value={l.skuId}
            checked={l.selected && l.problem === null}
            disabled={l.problem !== null}
            onClick={() => l.problem === null && select([l.skuId], !l.selected)}
          />
          <Image
            className="cart__img"
            src={assetUrl(l.cover)}
            mode="aspectFill"
            onClick={() => void navigateTo(routes.product(l.productId))}
          />
          <View className="cart__info">
            <Text className="cart__title">{l.title}</Text>
            {l.specText ? <Text className="cart__spec">{l.specText}</Text> : null}
            {l.problem ? <Text className="cart__warn">{lineProblemText(l.problem, l.stock)}</Text> : null}
            <View className="cart__row">
              <View className="cart__prices">
                <Price fen={l.unitPriceFen} />
                {l.memberPriceFen != null ? <MemberPrice fen={l.memberPriceFen} className="cart__member" /> : null}
              </View>
              <QtyStepper
                value={l.qty}
                max={Math.max(1, Math.min(99, Math.max(l.stock, l.qty)))}
                disabled={busySku === l.skuId}
                onChange={(q) => setQty(l.skuId, q)}
              />
            </View>
            <Text className="cart__remove" onClick={() => void confirmRemove(l.skuId)}>
              删除
            </Text>
          </View>
        </View>
      ))}
      <View className="cart__bar">
        <View
          className="cart__all"
          onClick={() =>
            buyable.length > 0 &&
            select(
              buyable.map((l) => l.skuId),
              !allSelected,
            )
          }
        >
          <Checkbox value="all" checked={allSelected} />
          <Text>全选</Text>
        </View>
        <View className="cart__sum">
          <Text className="cart__total">
            合计 <Text className="cart__total-fen">{formatFen(cart.selectedFen)}</Text>
          </Text>
          {memberPriced && isMember === true ? <Text className="cart__member-note">结算时享会员价</Text> : null}
          {memberPriced && isMember === false ? (
            <Text className="cart__member-note" onClick={() => void navigateTo(routes.member)}>
              开通会员享会员价 ›
            </Text>
          ) : null}
        </View>
        <ActionButton className="cart__go" disabled={cart.selectedQty === 0} onClick={checkout}>
          去结算({cart.selectedQty})
        </ActionButton>
      </View>
    </View>
  )
}
