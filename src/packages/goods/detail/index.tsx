import Taro, { useLoad, useRouter, useShareAppMessage } from '@tarojs/taro'
import { Button, Image, Swiper, SwiperItem, Text, View } from '@tarojs/components'
import { assetUrl } from '../../../api/config'
import { Price } from '../../../components/price'
import { StateView } from '../../../components/state-view'
import { useCatalogStore } from '../../../features/catalog/catalog-store'
import { routes } from '../../../lib/routes'
import './index.scss'

export default function ProductPage() {
  const { params } = useRouter()
  const id = params.id ?? ''
  const entry = useCatalogStore((s) => s.products[id])
  const loadProduct = useCatalogStore((s) => s.loadProduct)

  useLoad(() => {
    if (id) void loadProduct(id)
  })
  useShareAppMessage(() => ({
    title: entry?.product?.title ?? '好茶小铺',
    path: routes.product(id),
  }))

  if (!id) return <StateView kind="error" text="商品链接无效" />
  const product = entry?.product
  if (!product) {
    if (entry?.status === 'error') return <StateView kind="error" text={entry.error ?? undefined} actionText="重试" onAction={() => void loadProduct(id)} />
    return <StateView kind="loading" />
  }

  const soldOut = product.stock === 0
  return (
    <View className="goods">
      <Swiper className="goods__gallery" indicatorDots={product.images.length > 1} circular>
        {(product.images.length > 0 ? product.images : [product.cover]).map((src, i) => (
          <SwiperItem key={`${i}-${src}`}>
            <Image className="goods__img" src={assetUrl(src)} mode="aspectFill" />
          </SwiperItem>
        ))}
      </Swiper>
      <View className="goods__card">
        <Price fen={product.priceFen} listFen={product.listPriceFen} size="lg" />
        <Text className="goods__title">{product.title}</Text>
        {product.subtitle ? <Text className="goods__subtitle">{product.subtitle}</Text> : null}
        <Text className={`goods__stock ${soldOut ? 'goods__stock--out' : ''}`}>{soldOut ? '已售罄' : `库存 ${product.stock} 件`}</Text>
      </View>
      <View className="goods__card">
        <Text className="goods__section">商品详情</Text>
        <Text className="goods__desc">{product.description || '暂无详情'}</Text>
      </View>
      <View className="goods__bar">
        <Button className="goods__buy" disabled={soldOut} onClick={() => void Taro.showToast({ title: '下单功能即将开放', icon: 'none' })}>
          {soldOut ? '已售罄' : '立即购买'}
        </Button>
      </View>
    </View>
  )
}
