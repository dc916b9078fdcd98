import { Image, Text, View } from '@tarojs/components'
import type { ProductSummary } from '../../../../cloud/contract'
import { BottomSheet } from '../../../components/bottom-sheet'
import { MemberPrice } from '../../../components/member-price'
import { Price } from '../../../components/price'
import { assetUrl } from '../../../lib/asset-url'
import './goods-sheet.scss'

interface Props {
  open: boolean
  onClose: () => void
  goods: ProductSummary[]
  /** The product being explained: 讲解中, first on the list. Null unless the room is live. */
  explaining: ProductSummary | null
  onOpen: (productId: string) => void
}

const stockText = (stock: number) => (stock === 0 ? '已售罄' : stock < 10 ? `仅剩 ${stock} 件` : '现货')

/** The room's goods (购物袋) as a bottom sheet: each product, its price (会员价 beside it where set) and stock, 去抢购 to its page. */
export function GoodsSheet({ open, onClose, goods, explaining, onOpen }: Props) {
  const list = explaining ? [explaining, ...goods.filter((g) => g.id !== explaining.id)] : goods
  return (
    <BottomSheet open={open} onClose={onClose} title={`直播商品 ${goods.length}`} scroll>
      {list.length === 0 ? <Text className="goods-sheet__empty">主播还没有上架商品</Text> : null}
      {list.map((g, i) => (
        <View key={g.id} className="goods-sheet__item" onClick={() => onOpen(g.id)}>
          <View className="goods-sheet__cover">
            <Image className="goods-sheet__img" src={assetUrl(g.cover)} mode="aspectFill" />
            <Text className="goods-sheet__no">{i + 1}</Text>
          </View>
          <View className="goods-sheet__info">
            {explaining?.id === g.id ? <Text className="goods-sheet__tag">讲解中</Text> : null}
            <Text className="goods-sheet__title">{g.title}</Text>
            <View className="goods-sheet__row">
              <Price fen={g.priceFen} listFen={g.listPriceFen} />
              <Text className={`goods-sheet__stock ${g.stock === 0 ? 'goods-sheet__stock--out' : ''}`}>{stockText(g.stock)}</Text>
            </View>
            {g.memberPriceFen != null ? <MemberPrice fen={g.memberPriceFen} className="goods-sheet__member" /> : null}
          </View>
          <Text className={`goods-sheet__buy ${g.stock === 0 ? 'goods-sheet__buy--off' : ''}`}>{g.stock > 0 ? '去抢购' : '已售罄'}</Text>
        </View>
      ))}
    </BottomSheet>
  )
}
