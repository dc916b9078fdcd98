import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { ActionButton } from '../../../components/action-button'
import { CouponCard } from '../../../components/coupon-card'
import { StateView } from '../../../components/state-view'
import { useCouponStore } from '../../../features/coupon/coupon-store'
import { claimedPercent, couponStateText, couponValidityText } from '../../../lib/coupon-text'
import { routes } from '../../../lib/routes'
import { toast } from '../../../lib/toast'
import './index.scss'
import { navigateTo, switchTab } from '../../../lib/navigate'

export default function CouponCenterPage() {
  const items = useCouponStore((s) => s.center)
  const status = useCouponStore((s) => s.centerStatus)
  const error = useCouponStore((s) => s.centerError)
  const claiming = useCouponStore((s) => s.claiming)
  const { loadCenter } = useCouponStore.getState()
  const claim = async (couponId: string) => {
    const claimed = await useCouponStore.getState().claim(couponId)
    if (claimed) toast(claimed.ok ? '领取成功' : claimed.message, claimed.ok ? 'success' : 'none')
  }

  useDidShow(() => void loadCenter())
  usePullDownRefresh(() => void loadCenter().finally(() => Taro.stopPullDownRefresh()))

  if (items.length === 0) {
    if (status === 'error') return <StateView kind="error" text={error ?? undefined} actionText="重试" onAction={() => void loadCenter()} />
    if (status === 'ready')
      return <StateView kind="empty" text="暂时没有可领的优惠券" actionText="去逛逛" onAction={() => void switchTab(routes.home)} />
    return <StateView kind="loading" />
  }

  return (
    <View className="coupon-center">
      {items.map((c) => {
        const percent = claimedPercent(c.claimed, c.stock)
        return (
          <CouponCard
            key={c.couponId}
            coupon={c}
            dimmed={c.state === 'sold_out'}
            sub={
              <View className="coupon-center__sub">
                <Text>{couponValidityText(c)}</Text>
                <View className="coupon-center__bar">
                  <View className="coupon-center__bar-fill" style={{ width: `${percent}%` }} />
                </View>
                <Text className="coupon-center__progress">已抢 {percent}%</Text>
              </View>
            }
            action={
              <ActionButton
                className="coupon-center__btn"
                kind={c.state === 'claimable' ? 'primary' : 'plain'}
                disabled={c.state !== 'claimable'}
                loading={claiming === c.couponId}
                onClick={() => void claim(c.couponId)}
              >
                {couponStateText(c.state)}
              </ActionButton>
            }
          />
        )
      })}
      <Text className="coupon-center__mine" onClick={() => void navigateTo(routes.myCoupons)}>
        查看我的优惠券 ›
      </Text>
    </View>
  )
}
