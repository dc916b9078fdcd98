import Taro, { useDidShow, useLoad, useRouter, useShareAppMessage } from '@tarojs/taro'
import { Button, Image, Swiper, SwiperItem, Text, View } from '@tarojs/components'
import { useState } from 'react'
import { assetUrl } from '../../../lib/asset-url'
import { ActionButton } from '../../../components/action-button'
import { MemberPrice } from '../../../components/member-price'
import { Price } from '../../../components/price'
import { QtyStepper } from '../../../components/qty-stepper'
import { SpecPicker } from '../../../components/spec-picker'
import { StateView } from '../../../components/state-view'
import { useCartStore } from '../../../features/cart/cart-store'
import { useCatalogStore } from '../../../features/catalog/catalog-store'
import { useCouponStore } from '../../../features/coupon/coupon-store'
import { useGroupStore } from '../../../features/group/group-store'
import { couponRuleText, couponStateText, couponValueText } from '../../../lib/coupon-text'
import { initialSelection, selectedSku, shareTitle, soldText, valueAvailable, type Selection } from '../../../features/catalog/sku'
import { useSessionStore } from '../../../features/session/session-store'
import { yuan } from '../../../lib/money'
import { navigateTo, switchTab } from '../../../lib/navigate'
import { routes, type ShareRef } from '../../../lib/routes'
import { copyShareLink } from '../../../lib/clipboard'
import { toast } from '../../../lib/toast'
import './index.scss'

export default function ProductPage() {
  const { params } = useRouter()
  const id = params.id ?? ''
  const ref: ShareRef = { sharerId: params.sharerId || undefined, roomId: params.roomId || undefined }
  const entry = useCatalogStore((s) => s.products[id])
  const loadProduct = useCatalogStore((s) => s.loadProduct)
  const addToCart = useCartStore((s) => s.add)
  const cartQty = useCartStore((s) => s.cart?.totalQty ?? 0)
  const servicePhone = useCatalogStore((s) => s.servicePhone)
  const me = useSessionStore((s) => s.user)
  const [picked, setPicked] = useState<Selection | null>(null)
  const [qty, setQty] = useState(1)
  const coupons = useCouponStore((s) => s.forProduct[id])
  // 拼团: the product's open campaign, if any (its own small call beside the product's, so the page never waits for it).
  const groupBuy = useGroupStore((s) => s.forProduct[id])
  const claimCoupon = async (couponId: string) => {
    const claimed = await useCouponStore.getState().claim(couponId, id)
    if (claimed) toast(claimed.ok ? '领取成功' : claimed.message, claimed.ok ? 'success' : 'none')
  }

  useLoad(() => {
    if (!id) return
    void loadProduct(id, ref)
    void useCouponStore.getState().loadForProduct(id)
    void useGroupStore.getState().loadForProduct(id)
  })
  useDidShow(() => {
    void useSessionStore.getState().load()
    // The 购物车 shortcut's badge: what the cart holds now, also after coming back from it.
    void useCartStore.getState().load()
  })
  // A share from here names me as the sharer (the friend's orders within 7 days credit me, as
  // docs/rules.md says), and keeps the live room the page came from. The card says what the
  // product is and costs, nothing more.
  const sharePath = routes.product(id, { sharerId: me?.id, roomId: ref.roomId })
  useShareAppMessage(() => ({
    title: entry?.product ? shareTitle(entry.product, yuan) : '好茶小铺',
    path: sharePath,
    ...(entry?.product?.images[0] || entry?.product?.cover ? { imageUrl: assetUrl(entry.product.images[0] || entry.product.cover) } : {}),
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
    void navigateTo(routes.checkout([{ productId: product.id, skuId: sku.id, qty }], ref))
  }
  // H5 has no WeChat share sheet: copy the same link (with me as the sharer) for the shopper to send.
  const copyLink = () => copyShareLink(shareTitle(product, yuan), sharePath, '链接已复制，发给好友即可')
  // H5 has no WeChat 客服 session: the shop's phone, when it has one.
  const contact = () => {
    if (!servicePhone) {
      void Taro.showModal({
        title: '联系客服',
        content: '本店暂未开通电话客服。在线客服请在微信中打开本店小程序，点商品页的「客服」。',
        showCancel: false,
        confirmText: '知道了',
      })
      return
    }
    void Taro.showModal({ title: '联系客服', content: `客服电话 ${servicePhone}`, confirmText: '拨打', cancelText: '取消' }).then(
      ({ confirm }) => confirm && void Taro.makePhoneCall({ phoneNumber: servicePhone }).catch(() => undefined),
    )
  }
  const sold = soldText(product.soldCount)
  // 会员价 beside the price: the chosen SKU's, else the lowest.
  const memberFen = sku ? sku.memberPriceFen : product.memberPriceFen
  const weapp = process.env.TARO_ENV === 'weapp'

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
        <View className="goods__price-row">
          <View className="goods__prices">
            <Price fen={sku?.priceFen ?? product.priceFen} listFen={sku ? sku.listPriceFen : product.listPriceFen} size="lg" />
            {memberFen != null ? <MemberPrice fen={memberFen} size="lg" className="goods__member" /> : null}
          </View>
          {sold ? <Text className="goods__sold">{sold}</Text> : null}
        </View>
        <View className="goods__title-row">
          <Text className="goods__title">{product.title}</Text>
          {weapp ? (
            <Button className="goods__share" openType="share">
              分享
            </Button>
          ) : (
            <View className="goods__share" onClick={copyLink}>
              <Text>分享</Text>
            </View>
          )}
        </View>
        {product.subtitle ? <Text className="goods__subtitle">{product.subtitle}</Text> : null}
      </View>
      {groupBuy ? (
        <View className="goods__card goods__group" onClick={() => void navigateTo(routes.groupCampaign(groupBuy.campaignId))}>
          <Text className="goods__group-price">
            拼团价 ¥{yuan(groupBuy.groupPriceFen)} · {groupBuy.groupSize}人团
          </Text>
          <Text className="goods__group-go">发起拼团 ›</Text>
        </View>
      ) : null}
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
      {product.specs.length > 0 ? (
        <View className="goods__card">
          <Text className="goods__section">商品参数</Text>
          <View className="goods__specs">
            {product.specs.map((row) => (
              <View key={row.name} className="goods__spec">
                <Text className="goods__spec-name">{row.name}</Text>
                <Text className="goods__spec-value">{row.value}</Text>
              </View>
            ))}
          </View>
        </View>
      ) : null}
      <View className="goods__card">
        <Text className="goods__section">商品详情</Text>
        <Text className="goods__desc">{product.description || '暂无详情'}</Text>
        {product.detailImages.map((src, i) => (
          <Image key={`${i}-${src}`} className="goods__detail-img" src={assetUrl(src)} mode="widthFix" lazyLoad />
        ))}
      </View>
      <View className="goods__bar">
        {weapp ? (
          <Button className="goods__icon" openType="contact">
            <View className="goods__icon-glyph">客</View>
            <Text className="goods__icon-label">客服</Text>
          </Button>
        ) : (
          <View className="goods__icon" onClick={contact}>
            <View className="goods__icon-glyph">客</View>
            <Text className="goods__icon-label">客服</Text>
          </View>
        )}
        <View className="goods__icon" onClick={() => void switchTab(routes.cart)}>
          <View className="goods__icon-glyph">车</View>
          {cartQty > 0 ? <Text className="goods__badge">{cartQty > 99 ? '99+' : cartQty}</Text> : null}
          <Text className="goods__icon-label">购物车</Text>
        </View>
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
