import { Image, Text, View } from '@tarojs/components'
import type { ProductSummary } from '../../../cloud/contract'
import { assetUrl } from '../../lib/asset-url'
import { MemberPrice } from '../member-price'
import { Price } from '../price'
import './index.scss'

interface Props {
  product: ProductSummary
  onOpen: (id: string) => void
}

export function ProductCard({ product, onOpen }: Props) {
  const soldOut = product.stock === 0
  return (
    <View className="product-card" data-product-id={product.id} onClick={() => onOpen(product.id)}>
      <View className="product-card__cover">
        <Image className="product-card__img" src={assetUrl(product.cover)} mode="aspectFill" lazyLoad />
        {soldOut ? <View className="product-card__soldout">已售罄</View> : null}
      </View>
      <View className="product-card__body">
        <Text className="product-card__title">{product.title}</Text>
        <Price fen={product.priceFen} listFen={product.listPriceFen} />
        {product.memberPriceFen != null ? <MemberPrice fen={product.memberPriceFen} className="product-card__member" /> : null}
      </View>
    </View>
  )
}
