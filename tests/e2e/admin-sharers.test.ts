/**
 * 分销员 and 导购码 in the console (dist/admin) in chromium at a desktop's size: a guide (导购) signs
 * in by the scan flow, lands on 导购码, sees no other menu item, reads their code (an image that
 * loads) and downloads it as a PNG; the owner reads the ranking with the guide tagged, switches the
 * range (kept in the URL), exports it as CSV and sees every staff member's code on 导购码.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { DESKTOP, launchChromium } from '../helpers/browser'
import { createProduct, key, payOrder } from '../helpers/mall'
import { ROOT, startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'

let stack: Stack
let browser: Browser
let owner: string
let guide: { token: string; id: string }

/** Signs `openid` in by the scan flow: the console shows a code, the phone scans and confirms it. */
async function signIn(token: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...DESKTOP, acceptDownloads: true })
  const page = await context.newPage()
  await page.goto(`${stack.url}/admin/login`)
  const code = page.getByTestId('login-code')
  await code.waitFor({ timeout: 20_000 })
  const ticket = (await code.getAttribute('data-scene'))!
  await stack.ok('auth', { action: 'consoleScan', ticket }, token)
  await stack.ok('auth', { action: 'consoleConfirm', ticket, approve: true }, token)
  await page.getByTestId('user-menu').waitFor({ timeout: 20_000 })
  return { context, page }
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist/admin/index.html'))) throw new Error('dist/admin is missing: run `npm run build:admin` first')
  stack = await startStack()
  browser = await launchChromium()
  owner = (await stack.login('admin', '店主')).token
  await stack.ok('admin', { action: 'setStaff', openid: 'e2e-guide', role: 'guide' }, owner)
  const g = await stack.login('e2e-guide', '导购小周')
  guide = { token: g.token, id: g.user.id }
  // A customer brought by the guide's code buys and pays: ¥30 at 20 % commission.
  const productId = await createProduct(stack, owner, { title: '乌龙茶', priceFen: 3000, stock: 10, commissionRate: 0.2 })
  const customer = await stack.login('e2e-customer', '顾客')
  await stack.ok('catalog', { action: 'home', sharerId: guide.id }, customer.token)
  const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, customer.token)
  await payOrder(stack, customer.token, orderId)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

test('a guide signs in to 导购码 only: their code loads, downloads as a PNG, with their 30-day figures', async () => {
  const { context, page } = await signIn(guide.token)
  await page.waitForURL(/\/admin\/guide$/, { timeout: 15_000 })
  expect(await page.getByTestId('user-menu').innerText()).toContain('导购')
  const menu = await page.getByRole('menuitem').allInnerTexts()
  expect(menu.map((m) => m.trim())).toEqual(['导购码'])
  const img = page.getByTestId('guide-code')
  await img.waitFor({ timeout: 15_000 })
  await until(() => img.evaluate((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0), 10_000)
  const box = (await img.boundingBox())!
  expect(box.width).toBeGreaterThanOrEqual(256)
  await page.getByText(`pages/index/index?sharerId=${guide.id}`).waitFor()
  await page.getByText('¥30.00').waitFor()
  await page.getByText('¥6.00').waitFor()
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /下载 PNG/ }).click()])
  expect(download.suggestedFilename()).toBe('导购码-导购小周.png')
  const file = await download.path()
  expect(fs.readFileSync(file!).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  // Other areas are closed to them.
  await page.goto(`${stack.url}/admin/sharers`)
  await page.getByText('无权限').waitFor({ timeout: 15_000 })
  await context.close()
}, 60_000)

test('the owner reads the ranking with the guide tagged, changes the range in the URL, exports it, and sees the staff codes', async () => {
  const { context, page } = await signIn(owner)
  await page.goto(`${stack.url}/admin/sharers`)
  const row = page.locator('tr', { hasText: '导购小周' })
  await row.waitFor({ timeout: 15_000 })
  const cells = (await row.locator('td').allInnerTexts()).map((t) => t.trim())
  expect(cells).toEqual(['1', expect.stringContaining('导购'), '1', '¥30.00', '¥6.00', '1'])
  await page.getByText('近7天').click()
  await page.waitForURL(/range=7d/)
  await row.waitFor()
  await page.reload()
  await row.waitFor({ timeout: 15_000 })
  expect(await page.locator('[data-testid=sharer-range] .ant-radio-button-wrapper-checked').innerText()).toBe('近7天')
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /导出 CSV/ }).click()])
  const csv = fs.readFileSync((await download.path())!, 'utf8')
  expect(csv.split('\r\n')[0]).toBe('\ufeff排名,用户ID,昵称,身份,订单数,成交额(元),佣金(元),客户数')
  expect(csv.split('\r\n')[1]).toBe(`1,${guide.id},导购小周,导购,1,30.00,6.00,1`)

  // Back undoes a filter (each is a history entry), it does not leave the page.
  await page.getByText('按佣金').click()
  await page.waitForURL(/sort=commission/)
  await page.goBack()
  await page.waitForURL((u) => u.pathname === '/admin/sharers' && u.search === '?range=7d')
  await until(
    async () => (await page.locator('[data-testid=sharer-sort] .ant-radio-button-wrapper-checked').innerText()) === '按成交额',
    10_000,
  )
  await page.goBack()
  await page.waitForURL((u) => u.pathname === '/admin/sharers' && u.search === '')
  await until(
    async () => (await page.locator('[data-testid=sharer-range] .ant-radio-button-wrapper-checked').innerText()) !== '近7天',
    10_000,
  )
  await row.waitFor()

  await page.goto(`${stack.url}/admin/guide`)
  await page.getByText('员工导购码').waitFor({ timeout: 15_000 })
  await page
    .locator('tr', { hasText: '导购小周' })
    .getByRole('button', { name: /下载 PNG/ })
    .waitFor()
  await context.close()
}, 60_000)
