import { create } from 'zustand'
import type { Banner, Category, ProductDetail, ProductSummary } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'
import type { ShareRef } from '../../lib/routes'
import type { LoadStatus } from '../shared/load-status'
import { emptyPagedList, pagedLists, type PagedList } from '../shared/paged-list'

/** One paged product list: the home feed ('all') or a category's. */
export type Feed = PagedList<ProductSummary>

export const ALL = 'all'
export const PAGE_SIZE = 10

const emptyFeed: Feed = emptyPagedList()

interface CatalogState {
  banners: Banner[]
  categories: Category[]
  dealCampaignId: string | null
  homeStatus: LoadStatus
  homeError: string | null
  feeds: Record<string, Feed>
  products: Record<string, { status: LoadStatus; product: ProductDetail | null; error: string | null }>
  /** The shop's 客服 phone (from its settings), known once a product has loaded; null when it has none. */
  servicePhone: string | null
  /** The category the 分类 tab shows (switchTab can't carry a query). */
  selectedCategoryId: string | null
  /** Search results by query (trimmed), each paged like a feed. */
  searches: Record<string, Feed>

  /** The home's banners and categories; opened from a guide's code or a shared home, `sharerId` records the touch. */
  loadHome: (sharerId?: string) => Promise<void>
  refreshFeed: (key: string) => Promise<void>
  loadMore: (key: string) => Promise<void>
  /** Loads a product; opened from a share link, `ref` tells the backend who shared it. */
  loadProduct: (id: string, ref?: ShareRef) => Promise<void>
  selectCategory: (id: string) => void
  /** The first page of results for `q` (trimmed); answers from an older request are dropped. */
  search: (q: string) => Promise<void>
  searchMore: (q: string) => Promise<void>
}

export const feedOf = (state: Pick<CatalogState, 'feeds'>, key: string): Feed => state.feeds[key] ?? emptyFeed
export const searchOf = (state: Pick<CatalogState, 'searches'>, q: string): Feed => state.searches[q.trim()] ?? emptyFeed

export const useCatalogStore = create<CatalogState>()((set, get) => {
  const patchFeed = (key: string, patch: Partial<Feed>) => set((s) => ({ feeds: { ...s.feeds, [key]: { ...feedOf(s, key), ...patch } } }))

  const feeds = pagedLists<ProductSummary>({
    read: (key) => feedOf(get(), key),
    patch: patchFeed,
    fetch: (key, cursor) =>
      call('catalog', 'list', { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}), ...(key === ALL ? {} : { categoryId: key }) }),
  })

  const patchSearch = (q: string, patch: Partial<Feed>) =>
    set((s) => ({ searches: { ...s.searches, [q]: { ...searchOf(s, q), ...patch } } }))
  const searches = pagedLists<ProductSummary>({
    read: (q) => searchOf(get(), q),
    patch: patchSearch,
    fetch: (q, cursor) => call('catalog', 'search', { q, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
  })

  return {
    banners: [],
    categories: [],
    dealCampaignId: null,
    homeStatus: 'idle',
    homeError: null,
    feeds: {},
    products: {},
    servicePhone: null,
    selectedCategoryId: null,
    searches: {},

    async loadHome(sharerId) {
      set({ homeStatus: 'loading', homeError: null })
      try {
        const { banners, categories, dealCampaignId } = await call('catalog', 'home', sharerId ? { sharerId } : {})
        set({ banners, categories, dealCampaignId, homeStatus: 'ready' })
      } catch (err) {
        set({ homeStatus: 'error', homeError: errorMessage(err) })
      }
    },

    refreshFeed: feeds.refresh,
    loadMore: feeds.loadMore,

    async loadProduct(id, ref = {}) {
      set((s) => ({ products: { ...s.products, [id]: { status: 'loading', product: s.products[id]?.product ?? null, error: null } } }))
      try {
        const { product, servicePhone } = await call('catalog', 'get', { productId: id, ...ref })
        set((s) => ({ servicePhone, products: { ...s.products, [id]: { status: 'ready', product, error: null } } }))
      } catch (err) {
        set((s) => ({ products: { ...s.products, [id]: { status: 'error', product: null, error: errorMessage(err) } } }))
      }
    },

    selectCategory(id) {
      set({ selectedCategoryId: id })
    },

    search: (q) => searches.refresh(q.trim()),
    searchMore: (q) => searches.loadMore(q.trim()),
  }
})
