/**
 * Cursor paging with the view in the URL: `cursor` and `page` are query parameters, so a reload shows
 * the same page; the way back (earlier cursors) is kept in memory, and after a reload 回到第一页
 * takes its place. Changing a filter starts again at the first page.
 */
import { useRef } from 'react'
import { setQuery, useLocation } from '../router'

export function useCursorPages() {
  const { query } = useLocation()
  const cursor = query.get('cursor')
  const page = Math.max(1, Number.parseInt(query.get('page') ?? '1', 10) || 1)
  const trail = useRef<Array<string | null>>([])
  // The trail holds the cursors of pages 1..page-1; a reload forgets it.
  const hasPrev = page > 1 && trail.current.length === page - 1
  return {
    cursor,
    page,
    hasPrev,
    next(nextCursor: string) {
      trail.current = [...trail.current.slice(0, page - 1), cursor]
      setQuery({ cursor: nextCursor, page: page + 1 })
    },
    prev() {
      const back = trail.current[page - 2] ?? null
      trail.current = trail.current.slice(0, page - 2)
      setQuery({ cursor: back, page: page - 1 === 1 ? null : page - 1 })
    },
    first() {
      trail.current = []
      setQuery({ cursor: null, page: null })
    },
    /** Sets filters and goes back to the first page. */
    filter(params: Record<string, string | number | boolean | null | undefined>) {
      trail.current = []
      setQuery({ ...params, cursor: null, page: null })
    },
  }
}
