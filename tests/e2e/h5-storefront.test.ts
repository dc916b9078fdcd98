/** The H5 build, served by the host as `npm start` serves it, in Debian's chromium. */
import { phoneBrowser, stationed } from '../helpers/browser'

const phone = phoneBrowser({ seed: true })

test('the home shows the products with prices, and a tap opens the product page', async () => {
  const { stack, page } = phone
  await page.goto(stack.url)
  await stationed(page)
  await page.getByText('新人尝鲜 三款试饮装').first().waitFor({ timeout: 15_000 })
  const body = await page.locator('.home').innerText()
  expect(body).toContain('为你推荐')
  // The trial pack is on the shelf at its regular ¥59.00: ¥9.90 only through the new-customer deal.
  expect(body).toMatch(/新人尝鲜 三款试饮装\s*¥59\.00/)
  expect(body).not.toMatch(/¥\s*9\s*\.90/)

  await page.getByText('紫砂壶 西施壶 220ml').first().click()
  await page.waitForURL(/packages\/goods\/detail\/index\?id=p_/, { timeout: 15_000 })
  const detail = page.locator('.goods').last()
  await detail.getByText('库存 8 件').waitFor({ timeout: 15_000 })
  const text = await detail.innerText()
  expect(text).toContain('紫砂壶 西施壶 220ml')
  expect(text).toContain('¥458.00')
  expect(text).toContain('立即购买')
}, 60_000)

test('the product art is drawn by the host, not hotlinked', async () => {
  const { stack, page } = phone
  const srcs = await page.locator('img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src))
  expect(srcs.length).toBeGreaterThan(0)
  // Same origin (the host's /media art, the bundle's icons) or inlined: nothing from elsewhere.
  for (const src of srcs.filter(Boolean)) expect(src.startsWith(stack.url) || src.startsWith('data:image/')).toBe(true)
  const res = await fetch(srcs.find((s) => s.includes('/media/'))!)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('image/svg+xml')
})

test('the storefront is served compressed; hashed scripts are cached for good, the page is checked each visit', async () => {
  const { stack } = phone
  const html = await fetch(stack.url, { headers: { 'accept-encoding': 'br, gzip' } })
  expect(html.status).toBe(200)
  expect(html.headers.get('content-encoding')).toBe('br')
  expect(html.headers.get('cache-control')).toBe('no-cache')
  const page = await html.text()
  const script = /src="(\/js\/app\.[0-9a-f]{8}\.js)"/.exec(page)![1]!
  const br = await fetch(`${stack.url}${script}`, { headers: { 'accept-encoding': 'br' } })
  expect(br.headers.get('content-encoding')).toBe('br')
  expect(br.headers.get('content-type')).toMatch(/javascript/)
  expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
  const brBody = await br.text()
  const gz = await fetch(`${stack.url}${script}`, { headers: { 'accept-encoding': 'gzip' } })
  expect(gz.headers.get('content-encoding')).toBe('gzip')
  // A client that takes no compression gets the file itself, and all three are the same script.
  const plain = await fetch(`${stack.url}${script}`, { headers: { 'accept-encoding': 'identity' } })
  expect(plain.headers.get('content-encoding')).toBeNull()
  const plainBody = await plain.text()
  expect(brBody).toBe(plainBody)
  expect(await gz.text()).toBe(plainBody)
  expect(Number(br.headers.get('content-length'))).toBeLessThan(plainBody.length / 2)
})
