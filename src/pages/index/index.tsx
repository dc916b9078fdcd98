import Taro, { useLoad, usePullDownRefresh, useReachBottom, useShareAppMessage } from '@tarojs/taro'
import { Image, Swiper, SwiperItem, Text, View } from '@tarojs/components'
import { assetUrl } from '../../lib/asset-url'
import { SkeletonBlock, SkeletonGrid } from '../../components/skeleton'
import { StateView } from '../../components/state-view'
import { ALL, feedOf, useCatalogStore } from '../../features/catalog/catalog-store'
import { ProductGrid } from '../../features/catalog/components/product-grid'
import { homeSharer } from '../../features/catalog/home-entry'
import { PlayStrip } from '../../features/plays/play-strip'
import { usePlaysStore } from '../../features/plays/plays-store'
import { useSessionStore } from '../../features/session/session-store'
import { routes } from '../../lib/routes'
import './index.scss'
import { navigateTo, switchTab } from '../../lib/navigate'

export default function Home() {
  const banners = useCatalogStore((s) => s.banners)
  const categories = useCatalogStore((s) => s.categories)
  const dealCampaignId = useCatalogStore((s) => s.dealCampaignId)
  const homeStatus = useCatalogStore((s) => s.homeStatus)
  const homeError = useCatalogStore((s) => s.homeError)
  const feed = useCatalogStore((s) => feedOf(s, ALL))
  const { loadHome, refreshFeed, loadMore, selectCategory } = useCatalogStore.getState()

  const groupPlays = usePlaysStore((s) => s.groups)
  const priceCuts = usePlaysStore((s) => s.priceCuts)

  // The plays strip loads beside the rest and never holds it up: its own failure only leaves it out.
  const refresh = (sharerId?: string) => Promise.all([loadHome(sharerId), refreshFeed(ALL), usePlaysStore.getState().load()])

  // Opened from a guide's code (导购码) or a shared home: the sharer's touch is recorded with the home.
  useLoad((params: Record<string, string | undefined>) => {
    void refresh(homeSharer(params))
    // Who I am, for the share card below (loaded once per session).
    void useSessionStore.getState().load()
  })
  usePullDownRefresh(() => void refresh().finally(() => Taro.stopPullDownRefresh()))
  useReachBottom(() => void loadMore(ALL))
  const me = useSessionStore((x) => x.user)
  // A share from here names me as the sharer, as a product page's share does (docs/rules.md).
  useShareAppMessage(() => ({ title: '好茶小铺 · 当季好茶与零食', path: routes.homeFrom(me?.id) }))

  const openCategory = (id: string) => {
    selectCategory(id)
    void switchTab(routes.category)
  }

  // Until the first answers arrive (slow networks), the shape of the page instead of a blank screen.
  const homeLoading = banners.length === 0 && categories.length === 0 && (homeStatus === 'idle' || homeStatus === 'loading')
  const feedLoading = feed.items.length === 0 && (feed.status === 'idle' || feed.status === 'loading')

  return (
    <View className="home">
      <View className="home__search" onClick={() => void navigateTo(routes.search())}>
        <View className="home__search-icon" />
        <Text className="home__search-text">搜索茶叶、茶具、零食</Text>
      </View>
      {homeLoading ? (
        <View className="home__skeleton" aria-busy="true" aria-label="加载中">
          <SkeletonBlock className="home__skeleton-banner" />
          <View className="home__skeleton-cats">
            {[0, 1, 2, 3].map((i) => (
              <SkeletonBlock key={i} className="home__skeleton-cat" />
            ))}
          </View>
        </View>
      ) : null}
      {/* One 重试 is enough: when the feed failed too, its own error (which reloads both) is shown below. */}
      {homeStatus === 'error' && banners.length === 0 && categories.length === 0 && feed.status !== 'error' ? (
        <StateView kind="error" text={homeError ?? undefined} actionText="重试" onAction={() => void refresh()} />
      ) : null}
      {banners.length > 0 ? (
        <Swiper className="home__banner" indicatorDots autoplay circular interval={4000}>
          {banners.map((b) => (
            <SwiperItem key={b.id}>
              <Image
                className="home__banner-img"
                src={assetUrl(b.image)}
                mode="aspectFill"
                onClick={() => b.productId && void navigateTo(routes.product(b.productId))}
              />
            </SwiperItem>
          ))}
        </Swiper>
      ) : null}
      {categories.length > 0 ? (
        <View className="home__cats">
          {categories.map((c) => (
            <View key={c.id} className="home__cat" onClick={() => openCategory(c.id)}>
              <View className="home__cat-icon">{c.icon}</View>
              <Text className="home__cat-name">{c.name}</Text>
            </View>
          ))}
        </View>
      ) : null}
      <View className="home__entries">
        {dealCampaignId ? (
          <View className="home__coupon-entry" onClick={() => void navigateTo(routes.deal(dealCampaignId))}>
            <Text className="home__coupon-title">新人9.9</Text>
            <Text className="home__coupon-hint">新人专享 ›</Text>
          </View>
        ) : homeLoading ? (
          // The 新人9.9 tile comes with the home's data: hold its place so the other tiles don't move.
          <SkeletonBlock className="home__coupon-skeleton" />
        ) : null}
        <View className="home__coupon-entry" onClick={() => void navigateTo(routes.flashSales)}>
          <Text className="home__coupon-title">秒杀</Text>
          <Text className="home__coupon-hint">限时抢 ›</Text>
        </View>
        <View className="home__coupon-entry" onClick={() => void navigateTo(routes.lives)}>
          <Text className="home__coupon-title">直播</Text>
          <Text className="home__coupon-hint">边看边买 ›</Text>
        </View>
        <View className="home__coupon-entry" onClick={() => void navigateTo(routes.couponCenter)}>
          <Text className="home__coupon-title">领券中心</Text>
          <Text className="home__coupon-hint">好券天天领 ›</Text>
        </View>
      </View>
      <PlayStrip
        groups={groupPlays}
        priceCuts={priceCuts}
        onGroup={(id) => void navigateTo(routes.groupCampaign(id))}
        onPriceCut={(id) => void navigateTo(routes.assistCampaign(id))}
      />
      <View className="home__section-title">为你推荐</View>
      {feedLoading ? <SkeletonGrid /> : <ProductGrid feed={feed} onRetry={() => void refresh()} onLoadMore={() => void loadMore(ALL)} />}
    </View>
  )
}
