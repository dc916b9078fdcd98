/**
 * Loads pages of the built weapp (dist/weapp) into miniprogram-simulate with the official WXML
 * compiler, and gives them a small `wx` whose network calls reach a real stack over HTTP.
 * Taro's output calls App()/Page(); simulate only knows Component(), so a thin shim hands a page's
 * config to Component and the test drives the lifecycle (onLoad, onShow, onReady).
 */
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import path from 'node:path'

export const DIST = path.resolve(__dirname, '..', '..', 'dist', 'weapp')

// Loaded lazily so that a missing build gives the message below, not a module error.
const simulate = () => require('miniprogram-simulate') as typeof import('miniprogram-simulate')

export interface WxLog {
  navigateTo: string[]
  switchTab: string[]
  toasts: string[]
  requests: string[]
  /** The 购物车 tab badge as last set ('' when removed). */
  badge: string
  /** What wx.setClipboardData copied last. */
  clipboard?: string
  /** The wx.showModal dialogs shown, as 'title|content' (confirmed unless the test's answerModal says otherwise). */
  modals?: string[]
}

export interface SetDataRecord {
  bytes: number
  at: number
}

interface PageInstance {
  route: string
  __route__: string
  setData: (data: Record<string, unknown>, cb?: () => void) => void
  [k: string]: any
}

/** Where the fake `wx` sends requests and what it records; set per page load. */
export interface WxEnv {
  apiBase: string
  log: WxLog
  /** When set and true, navigateTo/redirectTo/switchTab fail as WeChat does when a subpackage can't be downloaded. */
  navigationFails?: () => boolean
  /** The answer to a modal (true: its confirm button); without it every modal is confirmed. */
  answerModal?: (title: string) => boolean
}

export const newLog = (): WxLog => ({ navigateTo: [], switchTab: [], toasts: [], requests: [], badge: '', modals: [] })

/**
 * The parts of `wx` our pages and Taro's runtime touch; requests go to the same path on
 * `env.apiBase`. Made once per file: Taro's API layer and webpack's chunk loader keep references
 * to `wx` and its functions, so the functions read the current env instead of being replaced.
 */
function createFakeWx(env: WxEnv) {
  const storage = new Map<string, unknown>()
  // The WeChat user of this simulated phone: one per test file, like the storage.
  const wechatOpenid = `o_weapp_${randomBytes(6).toString('hex')}`
  const done = (opts: any, res: any) => {
    opts?.success?.(res)
    opts?.complete?.(res)
  }
  const failed = (opts: any, res: any) => {
    opts?.fail?.(res)
    opts?.complete?.(res)
  }
  const systemInfo = {
    platform: 'devtools',
    pixelRatio: 2,
    windowWidth: 375,
    windowHeight: 667,
    screenWidth: 375,
    screenHeight: 667,
    statusBarHeight: 20,
    language: 'zh_CN',
    version: '8.0.50',
    SDKVersion: '3.5.0',
    system: 'iOS 17',
    safeArea: { top: 20, bottom: 667, left: 0, right: 375, width: 375, height: 647 },
  }
  return {
    request(opts: any) {
      // The build points at its configured host; the test's stack runs on a port of its own.
      const pathname = String(opts.url).replace(/^https?:\/\/[^/]+/, '')
      const url = `${env.apiBase}${pathname}`
      env.log.requests.push(`${pathname} ${typeof opts.data === 'object' ? (opts.data.action ?? '') : ''}`)
      const body = typeof opts.data === 'string' ? opts.data : JSON.stringify(opts.data ?? {})
      const req = http.request(
        url,
        { method: opts.method ?? 'GET', headers: { ...opts.header, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (c) => (text += c))
          res.on('end', () => {
            let data: unknown = text
            try {
              data = JSON.parse(text)
            } catch {
              // not JSON: hand the text over as wx does
            }
            done(opts, { data, statusCode: res.statusCode, header: res.headers, errMsg: 'request:ok' })
          })
        },
      )
      req.on('error', (e) => {
        const res = { errMsg: `request:fail ${e.message}` }
        opts?.fail?.(res)
        opts?.complete?.(res)
      })
      req.end(body)
      return { abort: () => req.destroy() }
    },
    // wx.login as WeChat answers it on the phone: a fresh single-use code for this user, minted by the
    // test stack's sandbox login (POST /api/sandbox/wx-login); the app exchanges it with auth.login.
    // Recorded in the log as 'wx.login'; fails as wx.login does when the network is down.
    login(opts: any) {
      env.log.requests.push('wx.login')
      const body = JSON.stringify({ openid: wechatOpenid })
      const req = http.request(
        `${env.apiBase}/api/sandbox/wx-login`,
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (c) => (text += c))
          res.on('end', () => {
            let code: unknown
            try {
              code = JSON.parse(text)?.data?.code
            } catch {
              // not the sandbox's answer: a failed login below
            }
            if (typeof code === 'string') done(opts, { code, errMsg: 'login:ok' })
            else failed(opts, { errMsg: `login:fail ${res.statusCode}` })
          })
        },
      )
      req.on('error', (e) => failed(opts, { errMsg: `login:fail ${e.message}` }))
      req.end(body)
    },
    getStorageSync: (k: string) => (storage.has(k) ? storage.get(k) : ''),
    setStorageSync: (k: string, v: unknown) => void storage.set(k, v),
    removeStorageSync: (k: string) => void storage.delete(k),
    navigateTo: (o: any) =>
      env.navigationFails?.()
        ? failed(o, { errMsg: 'navigateTo:fail loadSubpackage: fail' })
        : (env.log.navigateTo.push(o.url), done(o, { errMsg: 'navigateTo:ok' })),
    redirectTo: (o: any) =>
      env.navigationFails?.()
        ? failed(o, { errMsg: 'redirectTo:fail loadSubpackage: fail' })
        : (env.log.navigateTo.push(o.url), done(o, { errMsg: 'redirectTo:ok' })),
    switchTab: (o: any) =>
      env.navigationFails?.()
        ? failed(o, { errMsg: 'switchTab:fail' })
        : (env.log.switchTab.push(o.url), done(o, { errMsg: 'switchTab:ok' })),
    navigateBack: (o: any) => done(o, { errMsg: 'navigateBack:ok' }),
    showToast: (o: any) => (env.log.toasts.push(o.title), done(o, { errMsg: 'showToast:ok' })),
    showLoading: (o: any) => done(o, {}),
    hideLoading: (o: any) => done(o, {}),
    showModal: (o: any) => {
      ;(env.log.modals ??= []).push(`${o.title}|${o.content}`)
      const confirm = env.answerModal ? env.answerModal(o.title) : true
      done(o, { confirm, cancel: !confirm })
    },
    // A test replaces these at run time (Taro looks a wx function up at each call) to play WeChat's part.
    chooseAddress: (o: any) => failed(o, { errMsg: 'chooseAddress:fail cancel' }),
    // The album and the settings page (the share poster): present at launch so Taro wraps them; a test
    // plays the user's answers by replacing them. Opening the settings is logged as 'wx.openSetting'.
    saveImageToPhotosAlbum: (o: any) => failed(o, { errMsg: 'saveImageToPhotosAlbum:fail cancel' }),
    getSetting: (o: any) => done(o, { authSetting: {}, errMsg: 'getSetting:ok' }),
    openSetting: (o: any) => (env.log.requests.push('wx.openSetting'), done(o, { authSetting: {}, errMsg: 'openSetting:ok' })),
    canvasToTempFilePath: (o: any) => failed(o, { errMsg: 'canvasToTempFilePath:fail no canvas in the simulator' }),
    onNeedPrivacyAuthorization: (listener: PrivacyListener) => void (privacy.listener = listener),
    // WeChat's image files are local paths here: compressing keeps the file, reading reads it.
    compressImage: (o: any) => done(o, { tempFilePath: o.src, errMsg: 'compressImage:ok' }),
    getFileSystemManager: () => ({
      readFile(o: any) {
        try {
          done(o, { data: require('node:fs').readFileSync(o.filePath, o.encoding), errMsg: 'readFile:ok' })
        } catch (e) {
          failed(o, { errMsg: `readFile:fail ${(e as Error).message}` })
        }
      },
    }),
    openPrivacyContract: (o: any) => (env.log.requests.push('wx.openPrivacyContract'), done(o, { errMsg: 'openPrivacyContract:ok' })),
    stopPullDownRefresh: (o: any) => done(o, {}),
    setTabBarBadge: (o: any) => ((env.log.badge = o.text), done(o, { errMsg: 'setTabBarBadge:ok' })),
    removeTabBarBadge: (o: any) => ((env.log.badge = ''), done(o, { errMsg: 'removeTabBarBadge:ok' })),
    showActionSheet: (o: any) => done(o, { tapIndex: 0 }),
    setClipboardData: (o: any) => ((env.log.clipboard = o.data), done(o, { errMsg: 'setClipboardData:ok' })),
    setNavigationBarTitle: (o: any) => done(o, {}),
    getSystemInfoSync: () => systemInfo,
    getSystemInfo: (o: any) => done(o, systemInfo),
    getWindowInfo: () => systemInfo,
    getDeviceInfo: () => systemInfo,
    getAppBaseInfo: () => systemInfo,
    getMenuButtonBoundingClientRect: () => ({ top: 24, bottom: 56, left: 278, right: 365, width: 87, height: 32 }),
    onAppRoute: () => undefined,
    onAppShow: () => undefined,
    onAppHide: () => undefined,
    nextTick: (fn: () => void) => setTimeout(fn, 0),
    canIUse: () => true,
    createSelectorQuery: () => {
      const q: any = {
        select: () => q,
        selectAll: () => q,
        boundingClientRect: () => q,
        scrollOffset: () => q,
        fields: () => q,
        in: () => q,
        exec: (cb: any) => cb?.([]),
      }
      return q
    },
  }
}

type PrivacyAnswer = { event: string; buttonId?: string }
type PrivacyListener = (resolve: (answer: PrivacyAnswer) => void, info: { referrer: string }) => void
/** The app's wx.onNeedPrivacyAuthorization listener, once it registered one. */
const privacy: { listener?: PrivacyListener } = {}

/**
 * Plays WeChat pausing a privacy API (`referrer`, e.g. "chooseAddress") until the user answers: fires
 * the app's listener and calls `then` with the answer that ends the pause (agree or disagree);
 * every answer, the exposure report included, is kept in the returned list.
 */
export function needPrivacyAuthorization(referrer: string, then: (answer: PrivacyAnswer) => void = () => undefined): PrivacyAnswer[] {
  if (!privacy.listener) throw new Error('the app registered no wx.onNeedPrivacyAuthorization listener')
  const answers: PrivacyAnswer[] = []
  privacy.listener(
    (answer) => {
      answers.push(answer)
      if (answer.event !== 'exposureAuthorization') then(answer)
    },
    { referrer },
  )
  return answers
}

const currentEnv: WxEnv = { apiBase: 'http://127.0.0.1:9', log: newLog() }
let appLoaded = false
let theFakeWx: ReturnType<typeof createFakeWx> | undefined

/**
 * The `wx` the app's code calls (miniprogram-simulate later puts its own `wx` on the global): a test
 * replaces a function on it to play WeChat's part, e.g. `fakeWx().chooseAddress = …`.
 */
export function fakeWx(): Record<string, any> {
  if (!theFakeWx) throw new Error('no page loaded yet')
  return theFakeWx
}
let compId: string | undefined
const pageIds = new Map<string, string>()
const pageStack: PageInstance[] = []

/** Defines the globals Taro's output expects and runs runtime, taro, vendors, common and app.js once. */
function loadApp() {
  const g = globalThis as any
  if (appLoaded) return
  g.wx = theFakeWx = createFakeWx(currentEnv)
  let app: any = {}
  g.App = (config: any) => {
    app = config
  }
  g.getApp = () => app
  g.getCurrentPages = () => pageStack
  g.Page = (config: any) => g.__pageConfig.push(config)
  g.__pageConfig = []
  const fs = require('node:fs') as typeof import('node:fs')
  for (const f of ['runtime', 'taro', 'vendors', 'common', 'app']) {
    if (fs.existsSync(path.join(DIST, `${f}.js`))) require(path.join(DIST, f))
  }
  app.onLaunch?.call(app, { path: 'pages/index/index', query: {}, scene: 1001 })
  app.onShow?.call(app, { path: 'pages/index/index', query: {}, scene: 1001 })
  // Taro's recursive `comp` template component registers once; later pages reuse its id.
  compId = simulate().load(path.join(DIST, 'comp'), 'comp', { compiler: 'official', rootPath: DIST } as any)
  appLoaded = true
}

export interface LoadedPage {
  /** The simulate component; `root.dom` is the rendered DOM. */
  root: any
  instance: PageInstance
  setData: SetDataRecord[]
  text: () => string
  /** Waits until the page's text contains all of `parts` (rendering is asynchronous). */
  waitForText: (...parts: string[]) => Promise<string>
  /** Taps the innermost element whose text is exactly `text` (the tap bubbles like a user's). */
  tapText: (text: string) => void
}

/**
 * Loads the built page at `route` (e.g. 'pages/index/index') and runs onLoad(query), onShow and
 * onReady. Every setData call's payload size is recorded.
 */
export function loadPage(route: string, query: Record<string, string>, env: WxEnv): LoadedPage {
  const fs = require('node:fs') as typeof import('node:fs')
  if (!fs.existsSync(path.join(DIST, 'app.js'))) throw new Error('dist/weapp is missing: run `npm run build:weapp` first')
  Object.assign(currentEnv, { navigationFails: undefined, answerModal: undefined }, env)
  loadApp()
  const g = globalThis as any
  const sim = simulate()
  // A page's chunk runs once (webpack keeps it), so its component is registered once and reused.
  let id = pageIds.get(route)
  if (!id) {
    // The page's js calls Page(config): turn it into a component whose methods are the config's functions.
    g.Page = (config: Record<string, any>) => {
      const methods: Record<string, any> = {}
      for (const [k, v] of Object.entries(config)) if (typeof v === 'function') methods[k] = v
      g.Component({ data: config.data ?? {}, methods })
    }
    id = sim.load(path.join(DIST, route), { compiler: 'official', rootPath: DIST, usingComponents: { comp: compId } } as any) as string
    pageIds.set(route, id)
  }
  const root: any = sim.render(id)
  root.attach(document.createElement('parent-wrapper'))
  const instance = root.instance as PageInstance
  instance.route = route
  instance.__route__ = route
  const records: SetDataRecord[] = []
  const original = instance.setData.bind(instance)
  instance.setData = (data, cb) => {
    records.push({ bytes: Buffer.byteLength(JSON.stringify(data)), at: Date.now() })
    original(data, cb)
  }
  pageStack.push(instance)
  instance.onLoad?.(query)
  instance.onShow?.()
  instance.onReady?.()

  const text = () => (root.dom.textContent as string).replace(/\s+/g, ' ')
  return {
    root,
    instance,
    setData: records,
    text,
    async waitForText(...parts) {
      const deadline = Date.now() + 10_000
      for (;;) {
        const t = text()
        if (parts.every((p) => t.includes(p))) return t
        if (Date.now() > deadline) throw new Error(`page never showed ${JSON.stringify(parts)}; it shows: ${t.slice(0, 500)}`)
        await new Promise((r) => setTimeout(r, 30))
      }
    },
    tapText(wanted) {
      const all = Array.from(root.dom.querySelectorAll('*')) as Element[]
      const node = all.reverse().find((el) => (el.textContent ?? '').trim() === wanted)
      if (!node) throw new Error(`no element shows ${JSON.stringify(wanted)}`)
      // What j-component does at the end of a touchstart/touchend pair: a bubbling exparser tap.
      fire(node, 'tap', { x: 0, y: 0 })
    },
  }
}

/** The token the app signed in with (kept in the fake wx storage). */
export const appToken = () => (globalThis as any).wx.getStorageSync('weshop.token') as string

/** Leaves the page: onUnload, and off the page stack. */
export function unloadPage(page: LoadedPage) {
  page.instance.onUnload?.()
  const i = pageStack.indexOf(page.instance)
  if (i >= 0) pageStack.splice(i, 1)
  page.root.detach?.()
}

/** Every element the page rendered, in document order. */
export const elements = (page: LoadedPage) => Array.from(page.root.dom.querySelectorAll('*')) as Element[]

/** What a native component does when the user acts on it: an event of `type` with `detail` on its element. */
export function fire(el: Element, type: string, detail: Record<string, unknown>) {
  let node: any = el
  while (node && !node.__wxElement) node = node.parentNode
  const exparser = require('miniprogram-exparser')
  exparser.Event.dispatchEvent(
    node.__wxElement,
    exparser.Event.create(type, detail, {
      bubbles: true,
      composed: true,
      capturePhase: true,
      extraFields: { touches: {}, changedTouches: {} },
    }),
  )
}

/**
 * Types `value` into the native input `el` (its `input` event, as the keyboard sends it) and waits until
 * the page has rendered it (its next setData): a tap right after then acts on the typed value, as a
 * person's would. A fixed pause was too short on a loaded machine: the tap's handler still held the
 * value from before.
 */
export async function typeInto(page: LoadedPage, el: Element, value: string, ms = 10_000): Promise<void> {
  const rendered = page.setData.length
  fire(el, 'input', { value, cursor: value.length, keyCode: 0 })
  const deadline = Date.now() + ms
  while (page.setData.length === rendered) {
    if (Date.now() > deadline) throw new Error(`the page never rendered ${JSON.stringify(value)} typed into ${el.className}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}
