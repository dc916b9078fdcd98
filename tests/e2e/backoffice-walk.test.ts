/**
 * The back office's "Done when" (issue 15), walked in chromium against one host that serves the H5
 * storefront (dist/h5) and the console (dist/admin): the owner signs in to the console by scanning
 * its code with the phone and confirming; creates a product with two spec groups and an uploaded
 * image in the console; a shopper finds it in the storefront, sees that image, buys one SKU through
 * a sharer's link and pays at the sandbox cashier; the console ships it and the shopper sees the
 * carrier and waybill number; the shopper asks for a refund, the console approves it, and the stock,
 * the money and the sharer's commission all come back.
 *
 * Each step waits for what a person would see, never for a fixed time. The steps share one console
 * page and one shopper page, in order.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Page } from 'playwright-core'
import sharp from 'sharp'
import { DESKTOP, pageToken, phoneBrowser, saveScreenshot, stationed } from '../helpers/browser'
import { saveAddress, sql } from '../helpers/mall'
import { ROOT } from '../helpers/stack'
import { until } from '../helpers/wait'

// Before the stack starts: the host serves the console from dist/admin.
beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist/admin/index.html'))) throw new Error('dist/admin is missing: run `npm run build:admin` first')
})
const phone = phoneBrowser({ page: false, viewport: { width: 375, height: 812 }, deviceScaleFactor: 1 })

const TITLE = '后台上新 古树滇红'
const WAYBILL = 'SF1502026120188'
/** The SKU matrix the console creates: 规格 × 包装, a price (元) and stock each. */
const MATRIX = [
  { 规格: '250g', 包装: '罐装', price: '68', stock: 20 },
  { 规格: '250g', 包装: '袋装', price: '58', stock: 30 },
  { 规格: '500g', 包装: '罐装', price: '128', stock: 10 },
  { 规格: '500g', 包装: '袋装', price: '108', stock: 15 },
]
/** The SKU the shopper buys. */
const BOUGHT = MATRIX[3]!

let desk: Page // the console, on a computer's screen
let shopper: Page // the shopper's phone
let productId: string
let orderId: string
let orderNo: string
let uploadedUrl: string
let sharer: { token: string; user: { id: string } }
let shopperToken: string

/** The bought SKU's stock, as the console's API answers it. */
async function boughtStock(): Promise<number> {
  const owner = (await phone.stack.login('admin')).token
  const { product } = await phone.stack.ok('admin', { action: 'product', productId }, owner)
  const sku = product.skus.find(
    (s: { specs: Record<string, string> }) => s.specs['规格'] === BOUGHT.规格 && s.specs['包装'] === BOUGHT.包装,
  )
  return sku.stock
}
/** The sharer's ledger lines for the order, as their 收益 page reads them (earnings.mine). */
async function sharerLedger(): Promise<Array<[string, number]>> {
  const mine = await phone.stack.ok('earnings', { action: 'mine' }, sharer.token)
  return mine.entries
    .filter((e: { orderId: string }) => e.orderId === orderId)
    .map((e: { entry: string; amountFen: number }) => [e.entry, e.amountFen])
    .sort((a: [string, number], b: [string, number]) => b[1] - a[1])
}

/** A 900×900 PNG drawn here (a tea-coloured square with a lighter band), as a merchant's photo would be. */
async function photo(): Promise<string> {
  const file = path.join(photoDir, '古树滇红.png')
  const band = Buffer.from('<svg width="900" height="900"><rect y="300" width="900" height="300" fill="#e8c27a"/></svg>')
  await sharp({ create: { width: 900, height: 900, channels: 3, background: '#7a3b12' } })
    .composite([{ input: band }])
    .png()
    .toFile(file)
  return file
}

const photoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'walk-'))
afterAll(() => fs.rmSync(photoDir, { recursive: true, force: true }))

test('a) the console shows a code; the owner scans it with the phone, confirms 登录商家后台？, and the console enters', async () => {
  const { stack, browser } = phone
  desk = await browser.newPage(DESKTOP)
  await desk.goto(`${stack.url}/admin/login`)
  await desk.getByText('请使用微信扫码登录商家后台').waitFor({ timeout: 20_000 })
  // The sandbox's code is a QR image of the H5 page's address: what a phone's camera reads from it.
  const src = await desk.locator('img[alt="登录二维码"]').getAttribute('src', { timeout: 15_000 })
  const scanned = new URL(src!, stack.url).searchParams.get('text')!
  expect(scanned).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#\/packages\/user\/console-login\/index\?scene=\w+/)

  // The owner's phone: the H5 app signs itself in as the phone's WeChat user (openid `admin`, an ADMIN_OPENIDS).
  const ownerPhone = await (await phone.newContext()).newPage()
  await ownerPhone.addInitScript(() => localStorage.setItem('weshop.deviceOpenid', JSON.stringify({ data: 'admin' })))
  await ownerPhone.goto(scanned)
  const ask = ownerPhone.locator('.console-login').last()
  await ask.getByText('登录商家后台？').waitFor({ timeout: 20_000 })
  expect(await ask.innerText()).toContain('以店主身份登录')
  await desk.getByText('已扫码，请在手机上确认').waitFor({ timeout: 10_000 })
  await saveScreenshot(ownerPhone, 'console-login-phone') // for the README, with UPDATE_SCREENSHOTS=1 only
  await ask.getByText('确认登录', { exact: true }).click()
  await ask.getByText('已登录，请在电脑上继续操作').waitFor({ timeout: 10_000 })
  await ownerPhone.context().close()

  // The console is in: its menu and the owner's role in the header.
  await desk.getByTestId('user-menu').waitFor({ timeout: 15_000 })
  expect(await desk.getByTestId('user-menu').innerText()).toContain('店主')
  const cookies = await desk.context().cookies()
  expect(cookies.find((c) => c.name === 'weshop_console')).toMatchObject({ httpOnly: true, path: '/admin' })
}, 60_000)

test('b) the console creates a product: two spec groups, four SKUs with their prices and stock, and an uploaded image', async () => {
  const { stack } = phone
  const file = await photo()
  await desk.locator('a[href="/admin/products"]').click()
  await desk.locator('a[href="/admin/products/new"]').click()
  await desk.getByText('规格与价格').waitFor({ timeout: 15_000 })
  await desk.getByLabel('商品标题', { exact: true }).fill(TITLE)
  await desk.getByLabel('佣金比例', { exact: true }).fill('10')

  // The photo goes up through the console's upload; the gallery then shows it as the cover.
  const gallery = desk.getByTestId('gallery')
  await gallery.locator('input[type=file]').setInputFiles(file)
  await gallery.getByText('封面').waitFor({ timeout: 20_000 })

  // Two spec groups, 规格 × 包装, then a price and stock for each of the four combinations.
  await desk.getByText('添加规格组').click()
  await desk.getByText('添加规格组').click()
  const groups: Array<[string, string[]]> = [
    ['规格', ['250g', '500g']],
    ['包装', ['罐装', '袋装']],
  ]
  for (const [i, [name, values]] of groups.entries()) {
    const group = desk.getByTestId(`spec-group-${i}`)
    await group.getByLabel(`规格 ${i + 1} 名称`, { exact: true }).fill(name)
    const adder = group.getByPlaceholder('添加规格值，回车确认')
    for (const v of values) {
      await adder.fill(v)
      await adder.press('Enter')
      await group.getByText(v, { exact: true }).waitFor()
    }
  }
  for (const m of MATRIX) {
    await desk.getByLabel(`${m.规格} / ${m.包装} 价格`, { exact: true }).fill(m.price)
    await desk.getByLabel(`${m.规格} / ${m.包装} 库存`, { exact: true }).fill(String(m.stock))
  }
  await desk.getByRole('button', { name: '创建商品' }).click()
  await desk.getByText('商品已创建').waitFor({ timeout: 15_000 })
  await desk.waitForURL(/\/admin\/products\/p_\w+/)
  productId = decodeURIComponent(/\/admin\/products\/([^/?]+)/.exec(desk.url())![1]!)

  // What the console saved, as its API answers it.
  const owner = (await stack.login('admin')).token
  const { product } = await stack.ok('admin', { action: 'product', productId }, owner)
  uploadedUrl = product.images[0]
  expect(uploadedUrl).toMatch(/^\/media\/uploads\//)
  // Stored at the width the product page shows (750 px, from the 900-px photo).
  const served = await fetch(`${stack.url}${uploadedUrl}`)
  expect(served.status).toBe(200)
  expect(await sharp(Buffer.from(await served.arrayBuffer())).metadata()).toMatchObject({ width: 750, height: 750 })
  expect(product.specGroups).toEqual([
    { name: '规格', values: ['250g', '500g'] },
    { name: '包装', values: ['罐装', '袋装'] },
  ])
  const skus = product.skus.map((s: any) => [s.specs['规格'], s.specs['包装'], s.priceFen, s.stock])
  expect(skus).toEqual(expect.arrayContaining(MATRIX.map((m) => [m.规格, m.包装, Number(m.price) * 100, m.stock])))
}, 60_000)

test('c) a shopper finds it by search, sees the uploaded image, buys 500g 袋装 through a sharer’s link and pays', async () => {
  const { stack } = phone
  shopper = await (await phone.newContext()).newPage()
  await shopper.goto(`${stack.url}/#/packages/goods/search/index?q=${encodeURIComponent('古树滇红')}`)
  const search = shopper.locator('.search').last()
  const card = search.locator('.product-card', { hasText: TITLE })
  await card.waitFor({ timeout: 20_000 })
  // The list shows the upload (its list-sized copy when there is one), and the image really loads.
  const cover = card.locator('img').first()
  await until(() => cover.evaluate((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0), 15_000)
  expect(new URL(await cover.evaluate((i) => (i as HTMLImageElement).src)).pathname).toMatch(/^\/media\/uploads\//)

  shopperToken = await pageToken(shopper)
  await saveAddress(stack, shopperToken)
  sharer = await stack.login('walk-sharer', '分享达人')
  // The link a friend shared: the product page naming them as the sharer.
  await shopper.goto(`${stack.url}/#/packages/goods/detail/index?id=${productId}&sharerId=${sharer.user.id}`)
  await stationed(shopper)
  const goods = shopper.locator('.goods').last()
  await goods.getByText('立即购买').waitFor({ timeout: 20_000 })
  const gallery = goods.locator('.goods__gallery img').first()
  await until(() => gallery.evaluate((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0), 15_000)
  expect(new URL(await gallery.evaluate((i) => (i as HTMLImageElement).src)).pathname).toBe(uploadedUrl)

  await goods.getByText(BOUGHT.规格, { exact: true }).click()
  await goods.getByText(BOUGHT.包装, { exact: true }).click()
  await goods.getByText(`库存 ${BOUGHT.stock} 件`).waitFor()
  expect(await goods.innerText()).toMatch(/¥\s*108\s*\.00/)
  await goods.locator('.goods__buy').click()

  await shopper.waitForURL(/checkout/)
  const checkout = shopper.locator('.checkout').last()
  await checkout.getByText('李雷 13900000000').waitFor({ timeout: 15_000 })
  expect(await checkout.innerText()).toContain('500g / 袋装')
  await checkout.getByText('提交订单').click()
  await shopper.getByText('模拟支付').waitFor({ timeout: 15_000 })
  await shopper.getByText('确认支付').click()
  await shopper.waitForURL(/order\/detail/)
  await shopper.locator('.order').last().getByText('待发货').waitFor({ timeout: 15_000 })
  orderId = /id=(o_[0-9a-f]+)/.exec(shopper.url())![1]!
  expect(await boughtStock()).toBe(BOUGHT.stock - 1)
  // The sharer's commission (10 % of ¥108.00) is pending on the order.
  expect(await sharerLedger()).toEqual([['accrue', 1080]])
}, 60_000)

test('d) the console ships the order with a carrier and waybill number; the shopper’s order shows them', async () => {
  const order = shopper.locator('.order').last()
  orderNo = /订单编号：(\d+)/.exec(await order.innerText())![1]!

  // The desk finds it by its number; the drawer names the sharer; 发货 with the carrier and waybill.
  await desk.locator('a[href="/admin/orders"]').click()
  const search = desk.getByPlaceholder('订单号 / 手机号 / 昵称')
  await search.fill(orderNo)
  await search.press('Enter')
  await desk.locator('.ant-table-row', { hasText: orderNo }).getByText('发货', { exact: true }).click()
  const drawer = desk.locator('.ant-drawer', { hasText: `订单 ${orderNo}` })
  // The sharer and what the order earns them (10 % of ¥108.00).
  await drawer.getByText('分享达人（佣金 ¥10.80）').waitFor({ timeout: 15_000 })
  await drawer.getByRole('button', { name: /^发\s*货$/ }).click()
  const dialog = desk.locator('.ant-modal', { hasText: '确认发货' })
  await dialog.getByRole('combobox').click()
  await desk.locator('.ant-select-item-option', { hasText: '顺丰速运' }).click()
  await dialog.getByLabel('运单号').fill(WAYBILL)
  await dialog.getByRole('button', { name: '确认发货' }).click()
  await drawer.locator('.ant-drawer-extra').getByText('已发货').waitFor({ timeout: 15_000 })

  await shopper.reload()
  await order.getByText(`顺丰速运 运单号 ${WAYBILL}`).waitFor({ timeout: 15_000 })
  expect(await order.innerText()).toContain('发货时间：')
  expect(await order.innerText()).toContain('已发货')
}, 60_000)

test('e) the shopper asks for a refund, the console approves it: stock, money and the sharer’s commission come back', async () => {
  const { stack } = phone
  const order = shopper.locator('.order').last()
  await order.getByText('申请退款', { exact: true }).click()
  await shopper.getByText('不想要了', { exact: true }).click()
  await order.getByText('退款申请已提交，等待商家处理').waitFor({ timeout: 15_000 })

  // The desk's 退款审核 tab holds it; 审核 opens it; 同意退款 asks first, with the amount.
  await desk.keyboard.press('Escape')
  await desk.getByRole('tab', { name: /退款审核/ }).click()
  await desk.locator('.ant-table-row', { hasText: orderNo }).getByText('审核', { exact: true }).click({ timeout: 15_000 })
  const drawer = desk.locator('.ant-drawer', { hasText: `订单 ${orderNo}` })
  const approve = drawer.getByRole('button', { name: '同意退款' })
  await approve.waitFor({ timeout: 15_000 })
  expect(await drawer.innerText()).toContain('不想要了') // the shopper's reason
  await approve.click()
  // The dialog names the amount and, the parcel having left, asks whether the goods come back (退货退款).
  const confirm = desk.getByRole('dialog', { name: '同意退款' })
  expect(await confirm.innerText()).toContain('¥108.00')
  expect(await confirm.getByRole('checkbox', { name: /退回库存/ }).isChecked()).toBe(true)
  await confirm.getByRole('button', { name: '同意退款' }).click()
  await drawer.locator('.ant-drawer-extra').getByText('已退款').waitFor({ timeout: 15_000 })

  await shopper.reload()
  await order.getByText('已退款').waitFor({ timeout: 15_000 })
  expect(await boughtStock()).toBe(BOUGHT.stock)
  // The sandbox provider refunded the payment in full.
  expect(await sql(stack, 'SELECT amount_fen, provider_refund_id FROM refunds WHERE order_id = $1', [orderId])).toEqual([
    { amount_fen: 10800, provider_refund_id: expect.stringMatching(/^sbxr/) },
  ])
  expect(await sharerLedger()).toEqual([
    ['accrue', 1080],
    ['reverse', -1080],
  ])
  expect(await stack.ok('earnings', { action: 'mine' }, sharer.token)).toMatchObject({ pendingFen: 0, settledFen: 0 })
}, 60_000)
