import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { ROOT, startStack, type Stack } from './stack'
import { until } from './wait'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Debian's chromium, headless, with nothing reaching out to the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/**
 * How the console is opened in tests: a desktop's size, and the system asking for less motion. The
 * console honours that (antd's motion off), so a click lands where the test aimed: in a CI run a click
 * on a dialog's button while the dialog still zoomed in hit its mask and closed it.
 */
export const DESKTOP = { viewport: { width: 1366, height: 800 }, reducedMotion: 'reduce' } as const

/** Where the README's screenshots live. */
export const SCREENSHOT_DIR = path.join(__dirname, '..', '..', 'docs', 'img')

/**
 * Saves what the page shows as docs/img/{name}.jpg for the README, only when UPDATE_SCREENSHOTS=1
 * (`npm run build:h5 && UPDATE_SCREENSHOTS=1 npm run test:e2e`), so an ordinary run changes no file.
 * JPEG at quality 80 keeps a phone-sized screen at 2x under about 150 KB. Returns the file written.
 */
export async function saveScreenshot(page: Page, name: string): Promise<string | null> {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return null
  // Without a Chinese font every character would be drawn as an empty box.
  const chinese = execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim()
  if (!chinese) throw new Error('no Chinese font for the screenshots: apt-get install fonts-noto-cjk')
  // Every image decoded and no animation half-way: what a shopper sees once the page has settled.
  await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete), undefined, { timeout: 15_000 })
  await page.evaluate(() => document.fonts.ready.then(() => undefined))
  const file = path.join(SCREENSHOT_DIR, `${name}.jpg`)
  await page.screenshot({ path: file, type: 'jpeg', quality: 80, animations: 'disabled', caret: 'hide' })
  return file
}

/**
 * With UPDATE_SCREENSHOTS=1, a console page as a PNG in docs/img/ once its toasts have faded and its
 * images and fonts are in (the README's pictures of the back office); otherwise nothing.
 */
export async function saveConsolePng(page: Page, name: string): Promise<void> {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return
  await page
    .locator('.ant-message-notice')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined)
  await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete), undefined, { timeout: 15_000 })
  await page.evaluate(() => document.fonts.ready.then(() => undefined))
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), animations: 'disabled', caret: 'hide' })
}

export interface PhoneBrowserOptions {
  /** The demo shop's data (startStack's seed). */
  seed?: boolean
  /** More environment for the host. */
  env?: Record<string, string>
  /** The phone's screen in CSS pixels: 390×844 unless said. */
  viewport?: { width: number; height: number }
  /** 2 unless said. */
  deviceScaleFactor?: number
  /** false: no page is opened for the file; its tests open their own with newContext(). */
  page?: boolean
}

export interface PhoneBrowser {
  readonly stack: Stack
  readonly browser: Browser
  /** The file's one phone-sized page, shared by its tests in order. */
  readonly page: Page
  /** A fresh context (its own storage and routes) with the same phone screen. */
  newContext(): Promise<BrowserContext>
}

/**
 * The scaffolding of an e2e file: before its tests, checks the H5 build is there, starts a stack,
 * launches chromium and opens a phone-sized page; after them, closes both. Call it at the top level
 * of the file; the getters answer once the tests run.
 */
export function phoneBrowser(options: PhoneBrowserOptions = {}): PhoneBrowser {
  const { seed = false, env, viewport = { width: 390, height: 844 }, deviceScaleFactor = 2, page: openPage = true } = options
  const screen = { viewport, deviceScaleFactor, isMobile: true, hasTouch: true }
  let stack: Stack | undefined
  let browser: Browser | undefined
  let page: Page | undefined
  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT, 'dist/h5/index.html'))) throw new Error('dist/h5 is missing: run `npm run build:h5` first')
    stack = await startStack({ seed, env })
    browser = await launchChromium()
    if (openPage) page = await browser.newPage(screen)
  }, 90_000)
  afterAll(async () => {
    await browser?.close()
    await stack?.stop()
  })
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`phoneBrowser: no ${what} (used outside a test, or its beforeAll failed)`)
    return value
  }
  return {
    get stack() {
      return started(stack, 'stack')
    },
    get browser() {
      return started(browser, 'browser')
    },
    get page() {
      if (!openPage) throw new Error('phoneBrowser({ page: false }) opens no page: use newContext()')
      return started(page, 'page')
    },
    newContext: () => started(browser, 'browser').newContext(screen),
  }
}

/** Until Taro has put the shown page in place (its `.taro_page_stationed`). */
export const stationed = (p: Page) => p.waitForSelector('.taro_page_stationed', { timeout: 15_000 })

/**
 * The session token the H5 app keeps in localStorage once it has signed in with auth.devLogin
 * (Taro wraps stored values as `{ data }`).
 */
export async function pageToken(page: Page): Promise<string> {
  const raw = await page.evaluate(() => localStorage.getItem('weshop.token'))
  if (!raw) throw new Error('the H5 app has not signed in')
  try {
    const parsed = JSON.parse(raw)
    return typeof parsed === 'string' ? parsed : parsed.data
  } catch {
    return raw
  }
}

export interface ConsoleBrowser {
  readonly stack: Stack
  readonly browser: Browser
  /** The file's one desktop-sized page, signed in as the owner, shared by its tests in order. */
  readonly page: Page
  /** The owner's API token (stack.login('admin')), for setting data up through the API. */
  readonly owner: string
  /** Opens a console path (`/marketing/group`) and waits until the console shows its shell. */
  open(consolePath: string): Promise<void>
}

/**
 * The scaffolding of a console e2e file: before its tests, checks the console build is there, starts
 * a stack, launches chromium at desktop size and signs the owner in through the one-time link the host
 * prints; after them, closes both. Call it at the top level of the file, before the file's own hooks.
 */
export function consoleBrowser(options: { env?: Record<string, string> } = {}): ConsoleBrowser {
  let stack: Stack | undefined
  let browser: Browser | undefined
  let page: Page | undefined
  let owner: string | undefined
  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT, 'dist/admin/index.html'))) throw new Error('dist/admin is missing: run `npm run build:admin` first')
    stack = await startStack({ env: options.env })
    browser = await launchChromium()
    page = await browser.newPage(DESKTOP)
    owner = (await stack.login('admin')).token
    const s = stack
    const link = await until(() => /\/admin\/login\/once\?token=([\w.-]+)/.exec(s.output())?.[0], 20_000)
    await page.goto(`${stack.url}${link}`)
    await page.getByRole('button', { name: '进入商家后台' }).click()
    await page.getByTestId('user-menu').waitFor({ timeout: 20_000 })
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await stack?.stop()
  })
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`consoleBrowser: no ${what} (used outside a test, or its beforeAll failed)`)
    return value
  }
  return {
    get stack() {
      return started(stack, 'stack')
    },
    get browser() {
      return started(browser, 'browser')
    },
    get page() {
      return started(page, 'page')
    },
    get owner() {
      return started(owner, 'owner token')
    },
    async open(consolePath) {
      const p = started(page, 'page')
      await p.goto(`${started(stack, 'stack').url}/admin${consolePath}`)
      await p.getByTestId('user-menu').waitFor({ timeout: 20_000 })
    },
  }
}
