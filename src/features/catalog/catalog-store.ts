import { create } from 'zustand'
import type { Banner, Category, ProductDetail, ProductSummary } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'
import type { ShareRef } from '../../lib/routes'
import type { LoadStatus } from '../session/session-store'

/** One paged product list: the home feed ('all') or a category's. */
export interface Feed {
  items: ProductSummary[]
  nextCursor: string | null
  status: LoadStatus
  loadingMore: boolean
  /** Set when the last load failed; a failed load-more keeps the items already shown. */
  error: string | null
  /** Bumps on every refresh so a slow answer to an older request is dropped. */
  generation: number
}

export const ALL = 'all'
export const PAGE_SIZE = 10

const emptyFeed: Feed = { items: [], nextCursor: null, status: 'idle', loadingMore: false, error: null, generation: 0 }

interface CatalogState {
  banners: Banner[]
  categories: Category[]
  dealCampaignId: string | null
  homeStatus: LoadStatus
  homeError: string | null
  feeds: Record<string, Feed>
  products: Record<string, { status: LoadStatus; product: ProductDetail | null; error: string | null }>
  /** The category the 分类 tab shows (switchTab can't carry a query). */
  selectedCategoryId: string | null

  loadHome: () => Promise<void>
  refreshFeed: (key: string) => Promise<void>
  loadMore: (key: string) => Promise<void>
  /** Loads a product; opened from a share link, `ref` tells the backend who shared it. */
  loadProduct: (id: string, ref?: ShareRef) => Promise<void>
  selectCategory: (id: string) => void
}

export const feedOf = (state: Pick<CatalogState, 'feeds'>, key: string): Feed => state.feeds[key] ?? emptyFeed

export const useCatalogStore = create<CatalogState>()((set, get) => {
  const patchFeed = (key: string, patch: Partial<Feed>) => set((s) => ({ feeds: { ...s.feeds, [key]: { ...feedOf(s, key), ...patch } } }))

  const fetchPage = (key: string, cursor: string | undefined) =>
    call('catalog', 'list', { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}), ...(key === ALL ? {} : { categoryId: key }) })

  return {
    banners: [],
    categories: [],
    dealCampaignId: null,
    homeStatus: 'idle',
    homeError: null,
    feeds: {},
    products: {},
    selectedCategoryId: null,

    async loadHome() {
      set({ homeStatus: 'loading', homeError: null })
      try {
        const { banners, categories, dealCampaignId } = await call('catalog', 'home', {})
        set({ banners, categories, dealCampaignId, homeStatus: 'ready' })
      } catch (err) {
        set({ homeStatus: 'error', homeError: errorMessage(err) })
      }
    },

    async refreshFeed(key) {
      const generation = feedOf(get(), key).generation + 1
      patchFeed(key, { status: 'loading', error: null, loadingMore: false, generation })
      try {
        const page = await fetchPage(key, undefined)
        if (feedOf(get(), key).generation !== generation) return
        patchFeed(key, { items: page.items, nextCursor: page.nextCursor, status: 'ready' })
      } catch (err) {
        if (feedOf(get(), key).generation !== generation) return
        patchFeed(key, { status: 'error', error: errorMessage(err) })
      }
    },

    async loadMore(key) {
      const feed = feedOf(get(), key)
      if (feed.status !== 'ready' || feed.loadingMore || !feed.nextCursor) return
      const { generation, nextCursor } = feed
      patchFeed(key, { loadingMore: true, error: null })
      try {
        const page = await fetchPage(key, nextCursor)
        const now = feedOf(get(), key)
        if (now.generation !== generation) return
        // A product already shown (the feed moved while paging) is not shown twice.
        const seen = new Set(now.items.map((p) => p.id))
        patchFeed(key, {
          items: [...now.items, ...page.items.filter((p) => !seen.has(p.id))],
          nextCursor: page.nextCursor,
          loadingMore: false,
        })
      } catch (err) {
        if (feedOf(get(), key).generation !== generation) return
        patchFeed(key, { loadingMore: false, error: errorMessage(err) })
      }
    },

    async loadProduct(id, ref = {}) {
      set((s) => ({ products: { ...s.products, [id]: { status: 'loading', product: s.products[id]?.product ?? null, error: null } } }))
      try {
        const { product } = await call('catalog', 'get', { productId: id, ...ref })
        set((s) => ({ products: { ...s.products, [id]: { status: 'ready', product, error: null } } }))
      } catch (err) {
        set((s) => ({ products: { ...s.products, [id]: { status: 'error', product: null, error: errorMessage(err) } } }))
      }
    },

    selectCategory(id) {
      set({ selectedCategoryId: id })
    },
  }
})
