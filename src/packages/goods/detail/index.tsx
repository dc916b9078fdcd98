import Taro, { useDidShow, useLoad, useRouter, useShareAppMessage } from '@tarojs/taro'
import { Image, Swiper, SwiperItem, Text, View } from '@tarojs/components'
import { useState } from 'react'
import { assetUrl } from '../../../lib/asset-url'
import { ActionButton } from '../../../components/action-button'
import { Price } from '../../../components/price'
import { QtyStepper } from '../../../components/qty-stepper'
import { SpecPicker } from '../../../components/spec-picker'
import { StateView } from '../../../components/state-view'
import { useCartStore } from '../../../features/cart/cart-store'
import { useCatalogStore } from '../../../features/catalog/catalog-store'
import { useCouponStore } from '../../../features/coupon/coupon-store'
import { couponRuleText, couponStateText, couponValueText } from '../../../lib/coupon-text'
import { initialSelection, selectedSku, valueAvailable, type Selection } from '../../../features/catalog/sku'
import { useSessionStore } from '../../../features/session/session-store'
import { routes, type ShareRef } from '../../../lib/routes'
import { toast } from '../../../lib/toast'
import './index.scss'

export default function ProductPage() {
  const { params } = useRouter()
  const id = params.id ?? ''
  const ref: ShareRef = { sharerId: params.sharerId || undefined, roomId: params.roomId || undefined }
  const entry = useCatalogStore((s) => s.products[id])
  const loadProduct = useCatalogStore((s) => s.loadProduct)
  const addToCart = useCartStore((s) => s.add)
  const me = useSessionStore((s) => s.user)
  const [picked, setPicked] = useState<Selection | null>(null)
  const [qty, setQty] = useState(1)
  const coupons = useCouponStore((s) => s.forProduct[id])
  const claimCoupon = async (couponId: string) => {
    const claimed = await useCouponStore.getState().claim(couponId, id)
    if (claimed) toast(claimed.ok ? '领取成功' : claimed.message, claimed.ok ? 'success' : 'none')
  }

  useLoad(() => {
    if (!id) return
    void loadProduct(id, ref)
    void useCouponStore.getState().loadForProduct(id)
  })
  useDidShow(() => void useSessionStore.getState().load())
  // A share from here credits the sharer (me), and keeps the live room the page came from.
  useShareAppMessage(() => ({
    title: entry?.product?.title ?? '好茶小铺',
    path: routes.product(id, { sharerId: me?.id, roomId: ref.roomId }),
  }))

  if (!id) return <StateView kind="error" text="商品链接无效" />
  const product = entry?.product
  if (!product) {
    if (entry?.status === 'error')
      return <StateView kind="error" text={entry.error ?? undefined} actionText="重试" onAction={() => void loadProduct(id, ref)} />
    return <StateView kind="loading" />
  }

  const groups = product.specGroups
  const selection = picked ?? initialSelection(product.skus, groups)
  const sku = selectedSku(product.skus, groups, selection)
  const stock = sku ? sku.stock : product.stock
  const soldOut = product.stock === 0 || (sku !== null && sku.stock === 0)
  const maxQty = Math.max(1, Math.min(stock, 99))
  const canBuy = sku !== null && !soldOut

  const pick = (group: string, value: string) => {
    setPicked({ ...selection, [group]: value })
    setQty(1)
  }
  const addCart = async () => {
    if (!sku) return toast('请选择规格')
    const added = await addToCart(sku.id, qty)
    toast(added.ok ? '已加入购物车' : added.message, added.ok ? 'success' : 'none')
  }
  const buyNow = () => {
    if (!sku) return toast('请选择规格')
    void Taro.navigateTo({ url: routes.checkout([{ productId: product.id, skuId: sku.id, qty }], ref) })
  }

  return (
    <View className="goods">
      <Swiper className="goods__gallery" indicatorDots={product.images.length > 1} circular>
        {(product.images.length > 0 ? product.images : [product.cover]).map((src, i) => (
          <SwiperItem key={`${i}-${src}`}>
            <Image className="goods__img" src={assetUrl(src)} mode="aspectFill" />
          </SwiperItem>
        ))}
      </Swiper>
      <View className="goods__card">
        <Price fen={sku?.priceFen ?? product.priceFen} listFen={sku ? sku.listPriceFen : product.listPriceFen} size="lg" />
        <Text className="goods__title">{product.title}</Text>
        {product.subtitle ? <Text className="goods__subtitle">{product.subtitle}</Text> : null}
      </View>
      {coupons && coupons.length > 0 ? (
        <View className="goods__card goods__coupons">
          <Text className="goods__coupons-label">领券</Text>
          <View className="goods__coupons-list">
            {coupons.map((c) => (
              <View
                key={c.couponId}
                className={`goods__coupon ${c.state === 'claimable' ? '' : 'goods__coupon--off'}`}
                onClick={() => c.state === 'claimable' && void claimCoupon(c.couponId)}
              >
                <Text>
                  {couponValueText(c)} · {couponRuleText(c)}
                </Text>
                <Text className="goods__coupon-state">{couponStateText(c.state, 'product')}</Text>
              </View>
            ))}
          </View>
          <Text className="goods__coupons-hint">领取后下单自动使用最优惠的一张</Text>
        </View>
      ) : null}
      <View className="goods__card">
        {groups.length > 0 ? (
          <SpecPicker
            groups={groups}
            selection={selection}
            available={(g, v) => valueAvailable(product.skus, groups, selection, g, v)}
            onPick={pick}
          />
        ) : null}
        <View className="goods__qty-row">
          <Text className="goods__qty-label">数量</Text>
          <Text className={`goods__stock ${soldOut ? 'goods__stock--out' : ''}`}>{soldOut ? '已售罄' : `库存 ${stock} 件`}</Text>
          <QtyStepper value={qty} max={maxQty} disabled={!canBuy} onChange={setQty} />
        </View>
      </View>
      <View className="goods__card">
        <Text className="goods__section">商品详情</Text>
        <Text className="goods__desc">{product.description || '暂无详情'}</Text>
      </View>
      <View className="goods__bar">
        <ActionButton className="goods__cart" kind="secondary" disabled={!canBuy} onClick={() => void addCart()}>
          加入购物车
        </ActionButton>
        <ActionButton className="goods__buy" disabled={!canBuy} onClick={buyNow}>
          {soldOut ? '已售罄' : '立即购买'}
        </ActionButton>
      </View>
    </View>
  )
}
