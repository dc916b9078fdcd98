import { Image, Text, View } from '@tarojs/components'
import type { OrderItem } from '../../../../cloud/contract'
import { assetUrl } from '../../../lib/asset-url'
import { formatFen } from '../../../lib/money'
import './order-items.scss'

/** An order's lines; a line may carry a warning (checkout shows stock problems). */
export function OrderItems({ items }: { items: Array<OrderItem & { warning?: string | null }> }) {
  return (
    <View className="order-items">
      {items.map((i) => (
        <View key={i.skuId} className="order-items__line">
          <Image className="order-items__img" src={assetUrl(i.cover)} mode="aspectFill" />
          <View className="order-items__info">
            <Text className="order-items__title">{i.title}</Text>
            {i.specText ? <Text className="order-items__spec">{i.specText}</Text> : null}
            {i.warning ? <Text className="order-items__warn">{i.warning}</Text> : null}
          </View>
          <View className="order-items__right">
            <Text>{formatFen(i.unitPriceFen)}</Text>
            <Text className="order-items__qty">×{i.qty}</Text>
          </View>
        </View>
      ))}
    </View>
  )
}
