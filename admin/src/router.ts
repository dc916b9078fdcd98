/**
 * A tiny path router over the History API, base `/admin`: the path and the query string are the
 * view's state (filters live in the URL, so a reload or a shared link keeps the view). A page with
 * unsaved changes registers a leave guard that every navigation — links, the back button, closing
 * the tab — asks first.
 */
import { useSyncExternalStore } from 'react'

export const BASE = '/admin'

type Listener = () => void
const listeners = new Set<Listener>()
const notify = () => listeners.forEach((l) => l())

function subscribe(l: Listener): () => void {
  listeners.add(l)
  return () => listeners.delete(l)
}

/** The path inside the console: `/admin/products/12` → `/products/12`; `/admin` and `/admin/` → `/`. */
export function currentPath(): string {
  const p = window.location.pathname
  const inner = p.startsWith(BASE) ? p.slice(BASE.length) : p
  return inner === '' ? '/' : inner.length > 1 ? inner.replace(/\/+$/, '') : inner
}

const snapshot = () => window.location.pathname + window.location.search

/** Re-renders on every navigation; answers the console path and the query. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const key = useSyncExternalStore(subscribe, snapshot)
  void key
  return { path: currentPath(), query: new URLSearchParams(window.location.search) }
}

let leaveGuard: (() => Promise<boolean>) | null = null

/** While set, leaving asks `confirm` first (a page's unsaved changes); returns the undo. */
export function setLeaveGuard(confirm: () => Promise<boolean>): () => void {
  leaveGuard = confirm
  const onBeforeUnload = (e: BeforeUnloadEvent) => {
    e.preventDefault()
    e.returnValue = ''
  }
  window.addEventListener('beforeunload', onBeforeUnload)
  return () => {
    if (leaveGuard === confirm) leaveGuard = null
    window.removeEventListener('beforeunload', onBeforeUnload)
  }
}

/** Opens `to` (a console path such as `/orders?status=paid`); `replace` rewrites the current entry. */
export async function navigate(to: string, opts: { replace?: boolean; force?: boolean } = {}): Promise<void> {
  if (!opts.force && leaveGuard && !(await leaveGuard())) return
  const url = BASE + (to.startsWith('/') ? to : `/${to}`)
  if (opts.replace) window.history.replaceState(null, '', url)
  else window.history.pushState(null, '', url)
  notify()
}

/**
 * Sets the query of the current path (filters): empty values are dropped. `push` adds a history
 * entry (a filter, sort or page the merchant chose, so Back returns to the view before); otherwise
 * the current entry is rewritten (normalising the URL, opening or closing a dialog).
 */
export function setQuery(
  params: Record<string, string | number | boolean | null | undefined>,
  opts: { merge?: boolean; push?: boolean } = {},
): void {
  const q = opts.merge === false ? new URLSearchParams() : new URLSearchParams(window.location.search)
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || v === false) q.delete(k)
    else q.set(k, String(v))
  }
  const s = q.toString()
  const url = window.location.pathname + (s ? `?${s}` : '')
  if (url === snapshot()) return
  if (opts.push) window.history.pushState(null, '', url)
  else window.history.replaceState(null, '', url)
  notify()
}

let lastUrl = snapshot()
window.addEventListener('popstate', () => {
  if (leaveGuard) {
    const guard = leaveGuard
    const target = snapshot()
    // Put the page back while asking; go on only if the merchant agrees.
    window.history.pushState(null, '', lastUrl)
    void guard().then((ok) => {
      if (!ok) return
      leaveGuard = null
      window.history.replaceState(null, '', target)
      lastUrl = snapshot()
      notify()
    })
    return
  }
  notify()
})
subscribe(() => {
  lastUrl = snapshot()
})

/** A console link: a real `<a href>` (opens in a new tab with a modifier) that navigates in place otherwise. */
export function linkProps(to: string): { href: string; onClick: (e: React.MouseEvent) => void } {
  return {
    href: BASE + to,
    onClick: (e) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
      e.preventDefault()
      void navigate(to)
    },
  }
}
