import { Text, View } from '@tarojs/components'
import type { ReactNode } from 'react'
import type { CouponTermsView } from '../../../cloud/contract'
import { couponRuleText, couponValueText } from '../../lib/coupon-text'
import './index.scss'

interface Props {
  coupon: CouponTermsView
  /** A line under the title: validity, progress. */
  sub?: ReactNode
  /** The right side: a button or a stamp. */
  action?: ReactNode
  /** Greyed, with the reason shown. */
  dimmed?: boolean
  note?: string
  selected?: boolean
  onClick?: () => void
}

export function CouponCard({ coupon, sub, action, dimmed, note, selected, onClick }: Props) {
  return (
    <View className={`coupon-card ${dimmed ? 'coupon-card--dim' : ''} ${selected ? 'coupon-card--on' : ''}`} onClick={onClick}>
      <View className="coupon-card__value">
        <Text className="coupon-card__amount">{couponValueText(coupon)}</Text>
        <Text className="coupon-card__rule">{couponRuleText(coupon)}</Text>
      </View>
      <View className="coupon-card__body">
        <Text className="coupon-card__title">{coupon.title}</Text>
        {sub ? <View className="coupon-card__sub">{sub}</View> : null}
        {note ? <Text className="coupon-card__note">{note}</Text> : null}
      </View>
      {action ? <View className="coupon-card__action">{action}</View> : null}
    </View>
  )
}
