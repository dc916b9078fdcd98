import { View } from '@tarojs/components'
import type { ProductSummary } from '../../../../cloud/contract'
import { FeedFooter } from '../../../components/feed-footer'
import { ProductCard } from '../../../components/product-card'
import { StateView } from '../../../components/state-view'
import { routes } from '../../../lib/routes'
import type { PagedList } from '../../shared/paged-list'
import './product-grid.scss'
import { navigateTo } from '../../../lib/navigate'

interface Props {
  feed: PagedList<ProductSummary>
  onRetry: () => void
  onLoadMore: () => void
  emptyText?: string
}

const openProduct = (id: string) => void navigateTo(routes.product(id))

/** A paged product feed in two columns, with its loading, empty, error and footer states. */
export function ProductGrid({ feed, onRetry, onLoadMore, emptyText = '暂无商品' }: Props) {
  if (feed.items.length === 0) {
    if (feed.status === 'error') return <StateView kind="error" text={feed.error ?? undefined} actionText="重试" onAction={onRetry} />
    if (feed.status === 'ready') return <StateView kind="empty" text={emptyText} />
    return <StateView kind="loading" />
  }
  return (
    <View className="product-grid">
      <View className="product-grid__items">
        {feed.items.map((p) => (
          <ProductCard key={p.id} product={p} onOpen={openProduct} />
        ))}
      </View>
      <FeedFooter loadingMore={feed.loadingMore} hasMore={feed.nextCursor !== null} error={feed.error} onRetry={onLoadMore} />
    </View>
  )
}
