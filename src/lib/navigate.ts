/**
 * The one way pages move between pages. Every page outside the main package is a code chunk (a
 * subpackage on weapp, a lazy chunk on H5) fetched on first open; offline that fetch fails, and
 * a bare Taro.navigateTo then does nothing visible (H5) or fails silently (weapp). Here a failure
 * says so in a modal, 网络不给力，页面没有打开, with 重试 (the same navigation again) and 取消.
 * ESLint forbids Taro.navigateTo / redirectTo / switchTab / reLaunch everywhere else.
 */
import Taro from '@tarojs/taro'

type Method = 'navigateTo' | 'redirectTo' | 'switchTab' | 'reLaunch'

/** H5: Taro's router keeps each page's chunk loader in the app config it puts on window. */
interface H5Route {
  path: string
  load?: (context: unknown, params: unknown) => unknown
}

/**
 * H5 only: fetches the page's chunk before navigating. Taro's H5 router changes the URL first and
 * loads the chunk after, so a failed load would leave the old page on screen with no error to
 * catch; loading it here first turns that into a rejection. Webpack caches a loaded chunk and
 * fetches a failed one again on the next try.
 */
async function loadChunk(url: string): Promise<void> {
  const routes = (globalThis as { __taroAppConfig?: { routes?: H5Route[] } }).__taroAppConfig?.routes
  const path = url.split('?')[0]!.replace(/^\//, '')
  const loaded = routes?.find((r) => r.path === path)?.load?.({}, {})
  if (Array.isArray(loaded)) await loaded[0]
}

const NETWORK_TITLE = '网络不给力，页面没有打开'

/** Asks whether to try again; true on 重试. */
async function askRetry(): Promise<boolean> {
  try {
    const { confirm } = await Taro.showModal({
      title: NETWORK_TITLE,
      content: '请检查网络连接后重试',
      confirmText: '重试',
      cancelText: '取消',
    })
    return confirm
  } catch {
    return false
  }
}

// One navigation at a time: a double tap opens the page once. A navigation that never settles
// (it should not happen) stops blocking after a while.
let busySince = 0
const BUSY_MS = 10_000

async function go(method: Method, url: string): Promise<boolean> {
  if (Date.now() - busySince < BUSY_MS) return false
  busySince = Date.now()
  try {
    for (;;) {
      try {
        // On weapp the call goes out at once (no await before it): WeChat downloads the subpackage itself.
        await (process.env.TARO_ENV === 'h5' ? loadChunk(url).then(() => Taro[method]({ url })) : Taro[method]({ url }))
        return true
      } catch (err) {
        // weapp keeps at most 10 pages: past that, the page replaces the current one.
        if (method === 'navigateTo' && /limit exceed/.test(String((err as { errMsg?: string })?.errMsg ?? err))) {
          method = 'redirectTo'
          continue
        }
        if (!(await askRetry())) return false
      }
    }
  } finally {
    busySince = 0
  }
}

/** Opens `url` above the current page. Resolves true once it opened, false when the shopper gave up. */
export const navigateTo = (url: string) => go('navigateTo', url)
/** Replaces the current page with `url`. */
export const redirectTo = (url: string) => go('redirectTo', url)
/** Shows the tab page `url` (no query: a tab page takes none). */
export const switchTab = (url: string) => go('switchTab', url)
/** Closes every page and opens `url`. */
export const reLaunch = (url: string) => go('reLaunch', url)

/**
 * H5 only: pages opened without this helper (the tab bar, the browser's back and forward) load
 * their chunk after the URL changed, and a failed load used to leave the old page on screen with
 * no word. Catch that failure (an unhandled ChunkLoadError), say so, and on 重试 open the page the
 * shopper asked for through the helper (its chunk fetched first); on 取消 put the address back to
 * the page still shown.
 */
export function watchChunkFailures(): void {
  if (process.env.TARO_ENV !== 'h5' || typeof window === 'undefined') return
  window.addEventListener('unhandledrejection', (event) => {
    if ((event.reason as { name?: string } | null)?.name !== 'ChunkLoadError') return
    event.preventDefault()
    const target = window.location.hash.replace(/^#/, '') || '/'
    if (Date.now() - busySince < BUSY_MS) return // the helper's own navigation: it asks itself
    // The page still on screen: the router had not put the new one on its stack yet.
    const shown = Taro.getCurrentPages().at(-1) as { path?: string; route?: string } | undefined
    const shownPath = shown?.path ?? (shown?.route ? `/${shown.route}` : null)
    void askRetry().then((retry) => {
      if (retry) void reLaunch(target)
      else if (shownPath) window.history.replaceState(window.history.state, '', `#${shownPath}`)
    })
  })
}
