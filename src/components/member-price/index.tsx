import { Text } from '@tarojs/components'
import { formatFen } from '../../lib/money'
import './index.scss'

interface Props {
  fen: number
  /** lg beside the product page's large price; md in lists and cards. */
  size?: 'md' | 'lg'
  /** Where it sits (margins) in its parent. */
  className?: string
}

/**
 * 会员价 ¥… beside a price: the one tag the product page, product cards, the cart and the live room's
 * shelf show (to everyone, docs/rules.md 会员价).
 */
export function MemberPrice({ fen, size = 'md', className }: Props) {
  return <Text className={`member-price member-price--${size}${className ? ` ${className}` : ''}`}>会员价 {formatFen(fen)}</Text>
}
