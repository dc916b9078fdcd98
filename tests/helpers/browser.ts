import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'

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
