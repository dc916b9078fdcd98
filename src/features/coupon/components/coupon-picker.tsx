import { Text, View } from '@tarojs/components'
import type { CheckoutCoupon } from '../../../../cloud/contract'
import { ActionButton } from '../../../components/action-button'
import { CouponCard } from '../../../components/coupon-card'
import { dateText, unusableText } from '../../../lib/coupon-text'
import { formatFen } from '../../../lib/money'
import './coupon-picker.scss'

interface Props {
  /** Every coupon the shopper holds, usable ones first, each with its saving or the reason it can't be used. */
  coupons: CheckoutCoupon[]
  selectedId: string | null
  /** A usable coupon, or null for 不使用优惠券; the sheet closes either way. */
  onPick: (userCouponId: string | null) => void
  onClose: () => void
}

/** Checkout's 选择优惠券 sheet. */
export function CouponPicker({ coupons, selectedId, onPick, onClose }: Props) {
  return (
    <View className="coupon-picker">
      <View className="coupon-picker__mask" onClick={onClose} />
      <View className="coupon-picker__panel">
        <Text className="coupon-picker__title">选择优惠券</Text>
        <View className="coupon-picker__list">
          {coupons.map((c) => (
            <CouponCard
              key={c.userCouponId}
              coupon={c}
              dimmed={c.unusable !== null}
              selected={c.userCouponId === selectedId}
              sub={<Text>有效期至 {dateText(c.validTo)}</Text>}
              note={c.unusable ? unusableText(c.unusable) : `可省 ${formatFen(c.savingFen)}`}
              onClick={() => !c.unusable && onPick(c.userCouponId)}
            />
          ))}
          {coupons.length === 0 ? <Text className="coupon-picker__empty">还没有优惠券，可去领券中心领取</Text> : null}
        </View>
        <ActionButton kind="plain" onClick={() => onPick(null)}>
          不使用优惠券
        </ActionButton>
      </View>
    </View>
  )
}
