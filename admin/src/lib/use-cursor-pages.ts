/**
 * Cursor paging with the view in the URL: `cursor` and `page` are query parameters, so a reload shows
 * the same page. Each page, filter or sort the merchant picks is a history entry, so Back returns to
 * the view before. The way back (the cursor of the page before each page reached by 下一页) is kept
 * in memory per view, so 上一页 also works after Back and Forward; after a reload 回到第一页 takes its
 * place. Changing a filter starts again at the first page.
 */
import { useRef } from 'react'
import { setQuery, useLocation } from '../router'

/** The view a cursor belongs to: the query without the paging, then the cursor. */
function keyOf(query: URLSearchParams, cursor: string | null): string {
  const q = new URLSearchParams(query)
  q.delete('cursor')
  q.delete('page')
  q.sort()
  return `${q.toString()}\n${cursor ?? ''}`
}

export function useCursorPages() {
  const { query } = useLocation()
  const cursor = query.get('cursor')
  const page = Math.max(1, Number.parseInt(query.get('page') ?? '1', 10) || 1)
  /** The cursor of the page before, by the view and cursor of a page reached by 下一页. */
  const before = useRef(new Map<string, string | null>())
  const here = keyOf(query, cursor)
  const hasPrev = page > 1 && before.current.has(here)
  return {
    cursor,
    page,
    hasPrev,
    next(nextCursor: string) {
      before.current.set(keyOf(query, nextCursor), cursor)
      setQuery({ cursor: nextCursor, page: page + 1 }, { push: true })
    },
    prev() {
      const back = before.current.get(here) ?? null
      setQuery({ cursor: back, page: page - 1 === 1 ? null : page - 1 }, { push: true })
    },
    first() {
      setQuery({ cursor: null, page: null }, { push: true })
    },
    /** Sets filters and goes back to the first page. */
    filter(params: Record<string, string | number | boolean | null | undefined>) {
      setQuery({ ...params, cursor: null, page: null }, { push: true })
    },
  }
}
