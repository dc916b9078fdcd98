/**
 * H5 first screen: the built H5 served by the host as `npm start` serves it, opened in headless
 * Debian chromium on loopback with an empty cache each time; the time from navigation start until
 * the home shows its first product price. Median of 5 runs, with what the page had downloaded by then.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { launchChromium } from '../tests/helpers/browser'
import type { Stack } from '../tests/helpers/stack'
import { kb, percentile } from './lib'

const RUNS = 5

/**
 * Runs in the page every frame until the home shows a price; answers the page's own clock then.
 * A string, so that nothing the bench's TypeScript loader adds to functions reaches the page.
 */
const FIRST_PRICE = `(() => {
  const price = document.querySelector('.home .price__now')
  if (!price || !(price.textContent || '').includes('¥')) return null
  const resources = performance.getEntriesByType('resource')
  const nav = performance.getEntriesByType('navigation')[0]
  const js = resources.filter((r) => /\\.js(\\?|$)/.test(r.name))
  const css = resources.filter((r) => /\\.css(\\?|$)/.test(r.name))
  const sum = (list) => list.reduce((s, r) => s + r.encodedBodySize, 0)
  return {
    firstPriceMs: performance.now(),
    domContentLoadedMs: nav.domContentLoadedEventEnd,
    scripts: js.length,
    scriptBytes: sum(js) + nav.encodedBodySize,
    cssBytes: sum(css),
    apiCalls: resources.filter((r) => r.name.includes('/api/')).length,
  }
})()`

interface Run {
  firstPriceMs: number
  domContentLoadedMs: number
  scripts: number
  scriptBytes: number
  cssBytes: number
  apiCalls: number
}

/** Lighthouse's mobile network: 150 ms round trips, 1.6 Mbps down, 750 Kbps up. */
const SLOW_4G = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 }

async function visits(browser: Browser, url: string, network?: typeof SLOW_4G): Promise<Run[]> {
  const runs: Run[] = []
  // One warm-up visit so that the host's first-request costs are not in run 1.
  for (let i = 0; i <= RUNS; i++) {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    })
    try {
      const page = await context.newPage()
      if (network) {
        const cdp = await context.newCDPSession(page)
        await cdp.send('Network.enable')
        await cdp.send('Network.emulateNetworkConditions', network)
      }
      await page.goto(url, { waitUntil: 'commit' })
      const handle = await page.waitForFunction(FIRST_PRICE, undefined, { polling: 'raf', timeout: 60_000 })
      const run = (await handle.jsonValue()) as Run
      if (i > 0) runs.push(run)
    } finally {
      await context.close()
    }
  }
  return runs
}

/** The bytes of every script the H5 build holds: what a shopper's visits can download in all. */
function buildScripts(h5Dir: string): { files: number; bytes: number } {
  const dir = path.join(h5Dir, 'js')
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.js'))
  return { files: files.length, bytes: files.reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0) }
}

export async function benchFirstScreen(stack: Stack, h5Dir: string): Promise<{ columns: string[]; rows: string[][] }> {
  const browser = await launchChromium()
  let loopback: Run[]
  let slow: Run[]
  try {
    loopback = await visits(browser, stack.url)
    slow = await visits(browser, stack.url, SLOW_4G)
  } finally {
    await browser.close()
  }
  const sorted = (runs: Run[], f: (r: Run) => number) => runs.map(f).sort((a, b) => a - b)
  const median = (runs: Run[], f: (r: Run) => number) => percentile(sorted(runs, f), 50)
  const timeRow = (label: string, runs: Run[]) => {
    const t = sorted(runs, (r) => r.firstPriceMs)
    return [label, `${median(runs, (r) => r.firstPriceMs).toFixed(0)} ms`, `${t[0]!.toFixed(0)}–${t.at(-1)!.toFixed(0)} ms`]
  }
  const all = buildScripts(h5Dir)
  return {
    columns: ['measure', 'median of 5', 'range'],
    rows: [
      timeRow('first product price on the home, loopback', loopback),
      ['DOMContentLoaded, loopback', `${median(loopback, (r) => r.domContentLoadedMs).toFixed(0)} ms`, ''],
      timeRow('first product price, throttled to slow 4G (150 ms RTT, 1.6 Mbps)', slow),
      [
        'JS transferred by then (html + scripts)',
        `${kb(median(loopback, (r) => r.scriptBytes))} in ${median(loopback, (r) => r.scripts)} scripts`,
        '',
      ],
      ['CSS transferred by then', kb(median(loopback, (r) => r.cssBytes)), ''],
      ['API calls by then', String(median(loopback, (r) => r.apiCalls)), ''],
      ['all scripts of the H5 build (uncompressed)', `${kb(all.bytes)} in ${all.files} files`, ''],
    ],
  }
}
