import { Text, View } from '@tarojs/components'
import { formatFen, yuan } from '../../lib/money'
import './index.scss'

interface Props {
  fen: number
  /** The crossed-out price, shown only when above the price. */
  listFen?: number | null
  size?: 'md' | 'lg'
}

/** ¥ price with the crossed-out list price beside it. */
export function Price({ fen, listFen, size = 'md' }: Props) {
  const [int, dec] = yuan(fen).split('.')
  return (
    <View className={`price price--${size}`}>
      <Text className="price__now">
        <Text className="price__sign">¥</Text>
        {int}
        <Text className="price__dec">.{dec}</Text>
      </Text>
      {listFen != null && listFen > fen ? <Text className="price__list">{formatFen(listFen)}</Text> : null}
    </View>
  )
}
