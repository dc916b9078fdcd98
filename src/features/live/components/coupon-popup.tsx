// Placeholder until branch live-sheets is merged (its file replaces this one).
import { Text, View } from '@tarojs/components'
import type { CenterCoupon } from '../../../../cloud/contract'
import { couponValueText } from '../../../lib/coupon-text'

export function CouponPopup({
  coupons,
  live,
  onClaim,
}: {
  coupons: CenterCoupon[]
  live: boolean
  onClaim: (couponId: string) => Promise<void>
}) {
  const c = coupons[0]
  if (!c || !live) return null
  return (
    <View className="coupon-popup" onClick={() => c.state === 'claimable' && void onClaim(c.couponId)}>
      <Text>{couponValueText(c)}</Text>
      <Text>{c.state === 'claimable' ? '立即领取' : c.state === 'claimed' ? '已领取' : '不可领取'}</Text>
    </View>
  )
}
