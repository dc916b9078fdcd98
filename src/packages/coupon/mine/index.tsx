import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { useState } from 'react'
import type { MyCoupon } from '../../../../cloud/contract'
import { ActionButton } from '../../../components/action-button'
import { CouponCard } from '../../../components/coupon-card'
import { StateView } from '../../../components/state-view'
import { useCatalogStore } from '../../../features/catalog/catalog-store'
import { couponUse, mineTab, useCouponStore } from '../../../features/coupon/coupon-store'
import { dateText } from '../../../lib/coupon-text'
import { routes } from '../../../lib/routes'
import './index.scss'
import { navigateTo, switchTab } from '../../../lib/navigate'
import { toast } from '../../../lib/toast'

const ARRIVAL_TEMPLATE = process.env.TARO_APP_COUPON_TEMPLATE_ID || ''

const TABS = [
  { tab: 'available', title: '可用' },
  { tab: 'used', title: '已使用' },
  { tab: 'expired', title: '已过期' },
] as const

/** 去使用: to the goods the coupon applies to, or the mall. */
function goUse(c: MyCoupon) {
  const use = couponUse(c)
  if (use.kind === 'page') return void navigateTo(use.url)
  if (use.kind === 'category') useCatalogStore.getState().selectCategory(use.categoryId)
  void switchTab(use.kind === 'category' ? routes.category : routes.home)
}

export default function MyCouponsPage() {
  const [tab, setTab] = useState<(typeof TABS)[number]['tab']>('available')
  const mine = useCouponStore((s) => s.mine)
  const status = useCouponStore((s) => s.mineStatus)
  const error = useCouponStore((s) => s.mineError)
  const loadMine = useCouponStore((s) => s.loadMine)

  const allowArrival = useCouponStore((s) => s.allowArrivalMessages)
  const [asking, setAsking] = useState(false)

  useDidShow(() => void loadMine())

  /** 开启到券提醒: WeChat asks the shopper (one message per accept), then the shop counts the accept. */
  const askArrival = async () => {
    if (asking) return
    setAsking(true)
    try {
      if (ARRIVAL_TEMPLATE) {
        const res = await Taro.requestSubscribeMessage({ tmplIds: [ARRIVAL_TEMPLATE], entityIds: [] }).catch(() => null)
        if (!res || (res as Record<string, string>)[ARRIVAL_TEMPLATE] !== 'accept') return toast('未开启提醒')
      }
      const allowed = await allowArrival()
      toast(allowed.ok ? `已开启，商家发券时通知你（可提醒 ${allowed.value} 次）` : allowed.message)
    } finally {
      setAsking(false)
    }
  }
  usePullDownRefresh(() => void loadMine().finally(() => Taro.stopPullDownRefresh()))

  const items = mine.filter((c) => mineTab(c) === tab)
  let body
  if (items.length === 0) {
    if (status === 'error') body = <StateView kind="error" text={error ?? undefined} actionText="重试" onAction={() => void loadMine()} />
    else if (status === 'ready')
      body = (
        <StateView kind="empty" text="这里还没有优惠券" actionText="去领券中心" onAction={() => void navigateTo(routes.couponCenter)} />
      )
    else body = <StateView kind="loading" />
  } else {
    body = items.map((c) => (
      <CouponCard
        key={c.userCouponId}
        coupon={c}
        dimmed={tab !== 'available'}
        sub={<Text>有效期至 {dateText(c.validTo)}</Text>}
        note={c.status === 'locked' ? '已用于待支付订单，取消后退回' : undefined}
        action={
          tab !== 'available' ? (
            <Text className="my-coupons__stamp">{tab === 'used' ? '已使用' : '已过期'}</Text>
          ) : c.status === 'available' ? (
            <ActionButton className="my-coupons__use" kind="secondary" onClick={() => goUse(c)}>
              去使用
            </ActionButton>
          ) : undefined
        }
      />
    ))
  }

  return (
    <View className="my-coupons">
      <View className="my-coupons__tabs">
        {TABS.map((t) => (
          <Text key={t.tab} className={`my-coupons__tab ${t.tab === tab ? 'my-coupons__tab--on' : ''}`} onClick={() => setTab(t.tab)}>
            {t.title}
          </Text>
        ))}
      </View>
      {process.env.TARO_ENV === 'weapp' ? (
        <View className="my-coupons__arrival" onClick={() => void askArrival()}>
          <Text className="my-coupons__arrival-text">商家给你发券时，用微信通知你（每开启一次，提醒一次）</Text>
          <Text className="my-coupons__arrival-button">{asking ? '开启中…' : '开启到券提醒'}</Text>
        </View>
      ) : null}
      <View className="my-coupons__list">{body}</View>
    </View>
  )
}
