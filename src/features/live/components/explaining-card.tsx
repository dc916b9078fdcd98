import { Image, Text, View } from '@tarojs/components'
import type { ProductSummary } from '../../../../cloud/contract'
import { MemberPrice } from '../../../components/member-price'
import { assetUrl } from '../../../lib/asset-url'
import { formatFen } from '../../../lib/money'
import './explaining-card.scss'

/**
 * The product being explained, floating above the 购物袋 while live: its price with the 会员价 under it
 * (where set) beside 去抢购, or × to hide it. No taller than the room's raised comments leave room for.
 */
export function ExplainingCard({ product, onOpen, onHide }: { product: ProductSummary; onOpen: () => void; onHide: () => void }) {
  return (
    <View className="explaining" onClick={onOpen}>
      <View className="explaining__cover">
        <Image className="explaining__img" src={assetUrl(product.cover)} mode="aspectFill" />
        <Text className="explaining__tag">讲解中</Text>
      </View>
      <Text className="explaining__title">{product.title}</Text>
      <View className="explaining__row">
        <View className="explaining__prices">
          <Text className="explaining__price">{formatFen(product.priceFen)}</Text>
          {product.memberPriceFen != null ? <MemberPrice fen={product.memberPriceFen} className="explaining__member" /> : null}
        </View>
        <Text className="explaining__buy">{product.stock > 0 ? '去抢购' : '已售罄'}</Text>
      </View>
      <Text
        className="explaining__hide"
        onClick={(e) => {
          e.stopPropagation()
          onHide()
        }}
      >
        ×
      </Text>
    </View>
  )
}
