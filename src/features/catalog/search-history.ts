import Taro from '@tarojs/taro'

const KEY = 'weshop.searchHistory'
const MAX = 10

/** The shopper's recent searches on this device, newest first (local only, never sent). */
export function readSearchHistory(): string[] {
  try {
    const stored: unknown = Taro.getStorageSync(KEY)
    return Array.isArray(stored) ? stored.filter((q): q is string => typeof q === 'string').slice(0, MAX) : []
  } catch {
    return []
  }
}

/** Puts `q` first (once), keeping the last ten; answers the new list. */
export function rememberSearch(q: string): string[] {
  const next = [q, ...readSearchHistory().filter((x) => x !== q)].slice(0, MAX)
  try {
    Taro.setStorageSync(KEY, next)
  } catch {
    // Storage full or unavailable: the history is a convenience.
  }
  return next
}

export function clearSearchHistory(): void {
  try {
    Taro.removeStorageSync(KEY)
  } catch {
    // as above
  }
}
