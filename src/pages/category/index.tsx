import { useDidShow } from '@tarojs/taro'
import { useEffect } from 'react'
import { ScrollView, Text, View } from '@tarojs/components'
import { StateView } from '../../components/state-view'
import { feedOf, useCatalogStore } from '../../features/catalog/catalog-store'
import { ProductGrid } from '../../features/catalog/components/product-grid'
import './index.scss'

export default function CategoryPage() {
  const categories = useCatalogStore((s) => s.categories)
  const homeStatus = useCatalogStore((s) => s.homeStatus)
  const homeError = useCatalogStore((s) => s.homeError)
  const selected = useCatalogStore((s) => s.selectedCategoryId ?? s.categories[0]?.id ?? null)
  const feed = useCatalogStore((s) => feedOf(s, selected ?? ''))
  const { loadHome, refreshFeed, loadMore, selectCategory } = useCatalogStore.getState()

  useDidShow(() => {
    const { homeStatus: status } = useCatalogStore.getState()
    if (status === 'idle' || status === 'error') void loadHome()
  })

  // A category's feed loads the first time it is shown (the first one once the home data arrives).
  useEffect(() => {
    if (selected && feedOf(useCatalogStore.getState(), selected).status === 'idle') void refreshFeed(selected)
  }, [selected, refreshFeed])

  if (categories.length === 0) {
    if (homeStatus === 'error')
      return <StateView kind="error" text={homeError ?? undefined} actionText="重试" onAction={() => void loadHome()} />
    if (homeStatus === 'ready') return <StateView kind="empty" text="暂无分类" />
    return <StateView kind="loading" />
  }

  return (
    <View className="category">
      <ScrollView className="category__nav" scrollY>
        {categories.map((c) => (
          <View
            key={c.id}
            className={`category__nav-item ${c.id === selected ? 'category__nav-item--active' : ''}`}
            onClick={() => selectCategory(c.id)}
          >
            <Text>{c.name}</Text>
          </View>
        ))}
      </ScrollView>
      <ScrollView className="category__main" scrollY lowerThreshold={200} onScrollToLower={() => selected && void loadMore(selected)}>
        {selected ? (
          <ProductGrid
            feed={feed}
            emptyText="这个分类还没有商品"
            onRetry={() => void refreshFeed(selected)}
            onLoadMore={() => void loadMore(selected)}
          />
        ) : null}
      </ScrollView>
    </View>
  )
}
