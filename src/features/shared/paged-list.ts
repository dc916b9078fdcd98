import { errorMessage } from '../../api/errors'
import type { LoadStatus } from './load-status'

/** One cursor-paged list as a store keeps it (the home feed, a category, an order tab). */
export interface PagedList<T> {
  items: T[]
  nextCursor: string | null
  status: LoadStatus
  loadingMore: boolean
  /** Set when the last load failed; a failed load-more keeps the items already shown. */
  error: string | null
  /** Bumps on every refresh so a slow answer to an older request is dropped. */
  generation: number
}

export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

export function emptyPagedList<T>(): PagedList<T> {
  return { items: [], nextCursor: null, status: 'idle', loadingMore: false, error: null, generation: 0 }
}

/**
 * Refresh and load-more for a store's lists kept by key: the store says how to read, patch and
 * fetch one list, this does the paging, so every list drops stale answers and duplicates alike.
 */
export function pagedLists<T extends { id: string }>(list: {
  read: (key: string) => PagedList<T>
  patch: (key: string, patch: Partial<PagedList<T>>) => void
  fetch: (key: string, cursor: string | undefined) => Promise<Page<T>>
}) {
  return {
    async refresh(key: string): Promise<void> {
      const generation = list.read(key).generation + 1
      list.patch(key, { status: 'loading', error: null, loadingMore: false, generation })
      try {
        const page = await list.fetch(key, undefined)
        if (list.read(key).generation !== generation) return
        list.patch(key, { items: page.items, nextCursor: page.nextCursor, status: 'ready' })
      } catch (err) {
        if (list.read(key).generation !== generation) return
        list.patch(key, { status: 'error', error: errorMessage(err) })
      }
    },
    async loadMore(key: string): Promise<void> {
      const current = list.read(key)
      if (current.status !== 'ready' || current.loadingMore || !current.nextCursor) return
      const { generation, nextCursor } = current
      list.patch(key, { loadingMore: true, error: null })
      try {
        const page = await list.fetch(key, nextCursor)
        const now = list.read(key)
        if (now.generation !== generation) return
        // An item already shown (the list moved while paging) is not shown twice.
        const seen = new Set(now.items.map((i) => i.id))
        list.patch(key, {
          items: [...now.items, ...page.items.filter((i) => !seen.has(i.id))],
          nextCursor: page.nextCursor,
          loadingMore: false,
        })
      } catch (err) {
        if (list.read(key).generation !== generation) return
        list.patch(key, { loadingMore: false, error: errorMessage(err) })
      }
    },
  }
}
