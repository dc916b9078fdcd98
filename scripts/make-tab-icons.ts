/**
 * Draws the tab bar icons (WeChat's tabBar takes PNG only) from the SVG paths below with
 * headless chromium, into src/assets/tab/. Run once after changing an icon: `npx tsx scripts/make-tab-icons.ts`.
 */
import path from 'node:path'
import { launchChromium } from '../tests/helpers/browser'

const ICONS: Record<string, string> = {
  home: '<path d="M3 10.5 12 3l9 7.5V21h-6v-6H9v6H3z"/>',
  category:
    '<rect x="3" y="3" width="7.5" height="7.5" rx="1.5"/><rect x="13.5" y="3" width="7.5" height="7.5" rx="1.5"/><rect x="3" y="13.5" width="7.5" height="7.5" rx="1.5"/><rect x="13.5" y="13.5" width="7.5" height="7.5" rx="1.5"/>',
  cart: '<path d="M2.5 4h2.3l2.4 11.2c.1.5.5.8 1 .8h9.3c.5 0 .9-.3 1-.8L20.5 8H6"/><circle cx="9" cy="20" r="1.4"/><circle cx="17" cy="20" r="1.4"/>',
  me: '<circle cx="12" cy="8" r="4"/><path d="M4 21c0-4.4 3.6-8 8-8s8 3.6 8 8"/>',
}
const COLORS = { '': '#7a7e83', '-active': '#e4393c' }

async function main() {
  const browser = await launchChromium()
  const page = await browser.newPage({ viewport: { width: 81, height: 81 } })
  for (const [name, shape] of Object.entries(ICONS)) {
    for (const [suffix, color] of Object.entries(COLORS)) {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="81" height="81" viewBox="0 0 24 24" fill="none" stroke="${color}" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">${shape}</svg>`
      await page.setContent(`<body style="margin:0;background:transparent">${svg}</body>`)
      const file = path.join(__dirname, '..', 'src', 'assets', 'tab', `${name}${suffix}.png`)
      await page.locator('svg').screenshot({ path: file, omitBackground: true })
    }
  }
  await browser.close()
}

void main()
