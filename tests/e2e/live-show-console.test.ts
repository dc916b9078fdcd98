/**
 * Issue 16's live "Done when", in chromium at a desktop's size: an anchor (主播) signs in to the
 * console by the scan flow and lands on 直播; schedules a show, goes live, pushes a product and pins
 * it, drops a coupon; viewers (through the API, as the mini-program calls it) enter through a
 * sharer's link, claim, buy and pay; the console's live figures show the orders; the anchor commits a
 * lottery (its commitment shown) and draws it (masked winners shown), ends the show, opens the report
 * and reads its figures as the page shows them, and downloads the share records as a CSV Excel opens.
 *
 * Each step waits for what a person would see, never for a fixed time.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import type { Browser, Page } from 'playwright-core'
import { DESKTOP, launchChromium, saveConsolePng } from '../helpers/browser'
import { createProduct, key, payOrder } from '../helpers/mall'
import { ROOT, startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'

const TITLE = '春茶上新专场'
const PRODUCT = '狮峰龙井 明前特级'
const COUPON = '直播间满50减10'

let stack: Stack
let browser: Browser
let desk: Page
let owner: string
let productId: string
let couponId: string
let roomId: string

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist/admin/index.html'))) throw new Error('dist/admin is missing: run `npm run build:admin` first')
  stack = await startStack()
  browser = await launchChromium()
  owner = (await stack.login('admin')).token
  productId = await createProduct(stack, owner, { title: PRODUCT, priceFen: 9900, memberPriceFen: 8800, stock: 50 })
  couponId = (
    await stack.ok(
      'admin',
      { action: 'createCoupon', title: COUPON, kind: 'fixed', valueFen: 1000, thresholdFen: 5000, stock: 100, perUserLimit: 1 },
      owner,
    )
  ).couponId
}, 90_000)
const photoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'live-e2e-'))
afterAll(async () => {
  fs.rmSync(photoDir, { recursive: true, force: true })
  await browser?.close()
  await stack?.stop()
})

/** A figure of a Statistic block (观看人数, 订单数, …) as the page shows it. */
const figure = (scope: string, title: string) =>
  desk
    .getByTestId(scope)
    .locator('.ant-statistic')
    .filter({ has: desk.getByText(title, { exact: true }) })
    .locator('.ant-statistic-content')
/** The OK button of the confirm dialog on top. */
const confirmButton = (name: string) => desk.locator('.ant-modal-confirm').getByRole('button', { name, exact: true })

test('an anchor signs in by the scan flow and lands on 直播', async () => {
  await stack.ok('admin', { action: 'setStaff', openid: 'anchor-e2e', role: 'anchor' }, owner)
  const anchor = (await stack.login('anchor-e2e', '主播小林')).token
  desk = await browser.newPage(DESKTOP)
  await desk.goto(`${stack.url}/admin/login`)
  await desk.getByText('请使用微信扫码登录商家后台').waitFor({ timeout: 20_000 })
  const ticket = (await desk.getByTestId('login-code').getAttribute('data-scene'))!
  expect(await stack.ok('auth', { action: 'consoleScan', ticket }, anchor)).toMatchObject({ status: 'scanned', role: 'anchor' })
  await stack.ok('auth', { action: 'consoleConfirm', ticket, approve: true }, anchor)
  await desk.waitForURL(/\/admin\/live$/, { timeout: 15_000 })
  expect(await desk.getByTestId('user-menu').innerText()).toContain('主播')
  await desk.getByText('还没有直播，点击右上角「创建直播」').waitFor({ timeout: 10_000 })
}, 60_000)

test('the console schedules a show, goes live, pushes and pins a product and drops a coupon', async () => {
  await desk.getByRole('link', { name: '创建直播' }).click()
  await desk.waitForURL(/\/admin\/live\/new$/)
  await desk.getByLabel('直播标题').fill(TITLE)
  await desk.getByLabel('开播时间').fill(new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 16)) // an hour ahead on the shop's clock (UTC+8)
  await desk.getByLabel('直播流地址').fill('/media/demo.mp4')
  await desk.getByLabel('主播名称').fill('小林')
  // The poster goes up through the console's upload (an anchor may upload the room's images).
  const poster = path.join(photoDir, '海报.png')
  await sharp({ create: { width: 750, height: 1000, channels: 3, background: '#2f7d32' } })
    .png()
    .toFile(poster)
  await desk.getByTestId('room-poster').locator('input[type=file]').setInputFiles(poster)
  await desk.getByTestId('room-poster').locator('img').first().waitFor({ timeout: 20_000 })
  await desk.locator('form').getByRole('button', { name: '创建直播' }).click()
  await desk.waitForURL(/\/admin\/live\/[^/]+\/console$/, { timeout: 15_000 })
  roomId = decodeURIComponent(/\/live\/([^/]+)\/console/.exec(desk.url())![1]!)
  await desk.getByTestId('console-title').getByText(TITLE).waitFor()
  expect(await desk.getByTestId('console-status').innerText()).toBe('即将开始')
  expect(await desk.getByTestId('console-start').innerText()).toMatch(/^预计开播 \d\d-\d\d \d\d:\d\d$/)
  const { room } = await stack.ok('admin', { action: 'liveRoom', roomId }, owner)
  expect(room).toMatchObject({ title: TITLE, status: 'upcoming', anchorName: '小林', streamUrl: '/media/demo.mp4' })
  expect(room.poster).toMatch(/^\/media\//)

  // 开始直播, confirmed.
  await desk.getByRole('button', { name: '开始直播' }).click()
  await confirmButton('开始直播').click()
  await until(async () => (await desk.getByTestId('console-status').innerText()) === '直播中')
  await until(async () => (await desk.getByTestId('console-start').innerText()).startsWith('开播于 '))

  // Push a product from the catalog and it is 讲解中.
  const goods = desk.getByTestId('console-goods')
  await goods.locator('.ant-select').click()
  await desk.keyboard.type('龙井')
  // The picker's option names the member price beside the price, as the shelf does once pushed.
  const option = desk.locator('.ant-select-item-option').filter({ hasText: PRODUCT })
  await option.waitFor()
  expect(await option.innerText()).toContain('¥99.00，会员价 ¥88.00，库存 50')
  await option.click()
  await goods.getByRole('button', { name: '推送并讲解' }).click()
  await goods.getByText('讲解中').waitFor({ timeout: 10_000 })
  expect(await goods.innerText()).toContain(PRODUCT)
  expect(await goods.innerText()).toContain('¥99.00 · 会员价 ¥88.00 · 库存 50')

  // Drop the shop coupon.
  const row = desk.getByTestId('console-coupons').locator('tr').filter({ hasText: COUPON })
  expect(await row.innerText()).toContain('满50减10')
  await row.getByRole('button', { name: '发券' }).click()
  await row.getByText('已发出').waitFor({ timeout: 10_000 })
  const view = (await stack.ok('live', { action: 'sync', roomId }, owner)).room
  expect(view.pinned).toMatchObject({ id: productId })
  expect(view.coupons.map((c: { couponId: string }) => c.couponId)).toEqual([couponId])
}, 60_000)

const viewers: Record<string, { token: string; user: { id: string } }> = {}

test('viewers enter through a sharer, claim, buy and pay; the live figures show it', async () => {
  viewers.sharer = await stack.login('e2e-sharer', '分享达人')
  viewers.a = await stack.login('e2e-viewer-a', '爱喝茶的小王')
  viewers.b = await stack.login('e2e-viewer-b', '茶友老李')
  viewers.c = await stack.login('e2e-viewer-c', '路过的小张')
  for (const v of ['a', 'b']) await stack.ok('live', { action: 'enter', roomId, sharerId: viewers.sharer.user.id }, viewers[v]!.token)
  await stack.ok('live', { action: 'enter', roomId }, viewers.c!.token)
  await stack.ok('live', { action: 'comment', roomId, text: '这款怎么泡？' }, viewers.c!.token)
  await stack.ok('live', { action: 'like', roomId, count: 12 }, viewers.c!.token)
  const held: Record<string, string> = {}
  for (const v of ['a', 'b']) held[v] = (await stack.ok('coupon', { action: 'claim', couponId }, viewers[v]!.token)).userCouponId
  // a: ¥99 − ¥10 with the coupon; b: two at ¥99 without it; c buys nothing.
  const orderA = await stack.ok(
    'order',
    { action: 'create', items: [{ productId, qty: 1 }], roomId, userCouponId: held.a, idempotencyKey: key() },
    viewers.a!.token,
  )
  expect(orderA.payableFen).toBe(8900)
  const orderB = await stack.ok(
    'order',
    { action: 'create', items: [{ productId, qty: 2 }], roomId, idempotencyKey: key() },
    viewers.b!.token,
  )
  expect((await payOrder(stack, viewers.a!.token, orderA.orderId)).status).toBe(200)
  expect((await payOrder(stack, viewers.b!.token, orderB.orderId)).status).toBe(200)

  // The console polls its figures: the orders arrive without a reload.
  await until(async () => (await figure('console-figures', '订单').innerText()) === '2', 20_000)
  expect(await figure('console-figures', '观看人数').innerText()).toBe('3')
  expect(await figure('console-figures', '成交额').innerText()).toBe('¥287.00')
  expect(await figure('console-figures', '点赞').innerText()).toBe('12')
  const claims = desk.getByTestId('console-coupons').locator('tr').filter({ hasText: COUPON })
  await until(async () => (await claims.innerText()).includes('2 / 100'), 20_000)

  // The network drops: the next poll fails and the console says so over the figures it keeps.
  await desk.context().setOffline(true)
  try {
    await desk.getByTestId('console-stale').waitFor({ timeout: 15_000 })
    expect(await desk.getByTestId('console-stale').innerText()).toMatch(/^数据更新失败，正在重试（显示的是 \d\d:\d\d:\d\d 的数据）$/)
    expect(await figure('console-figures', '订单').innerText()).toBe('2')
  } finally {
    await desk.context().setOffline(false)
  }
  await until(async () => (await desk.getByTestId('console-stale').count()) === 0, 15_000)
}, 60_000)

test('the console commits a lottery (its commitment shown), draws it (masked winners), and ends the show', async () => {
  const lottery = desk.getByTestId('console-lottery')
  await lottery.getByLabel('中奖人数').fill('2')
  await lottery.getByLabel('奖品').fill('明前龙井一盒')
  // The first 发起抽奖 reaches the server but its answer is lost; the anchor taps again.
  let commits = 0
  await desk.route('**/admin/api/fn/admin', async (route) => {
    if (route.request().postData()?.includes('"action":"commitLottery"') && ++commits === 1) {
      await route.fetch()
      await route.abort('connectionreset')
      return
    }
    await route.continue()
  })
  await lottery.getByRole('button', { name: '发起抽奖' }).click()
  await until(async () => commits === 1 && (await lottery.getByRole('button', { name: '发起抽奖' }).isEnabled()))
  await lottery.getByRole('button', { name: '发起抽奖' }).click()
  const commitment = lottery.getByTestId('lottery-commitment')
  await commitment.waitFor({ timeout: 10_000 })
  await desk.unroute('**/admin/api/fn/admin')
  expect(commits).toBe(2)
  // One lottery, not two: the retry carried the same key and was answered the first one.
  expect(await lottery.getByTestId('lottery-item').count()).toBe(1)
  const [committed, ...more] = (await stack.ok('live', { action: 'lotteries', roomId }, viewers.a!.token)).items
  expect(more).toEqual([])
  expect(await commitment.innerText()).toContain(committed.commitment)
  expect(committed.commitment).toMatch(/^[0-9a-f]{64}$/)

  await lottery.getByRole('button', { name: '开奖' }).click()
  const winners = lottery.getByTestId('lottery-winners')
  await winners.waitFor({ timeout: 10_000 })
  const [drawn] = (await stack.ok('live', { action: 'lotteries', roomId }, viewers.a!.token)).items
  expect(drawn.status).toBe('drawn')
  const names: string[] = drawn.winnerList.map((w: { name: string }) => w.name)
  expect(names).toHaveLength(2)
  expect(await winners.innerText()).toBe(names.join('、'))
  // Masked: 爱*王, never the whole nickname.
  for (const full of ['爱喝茶的小王', '茶友老李', '路过的小张']) expect(await winners.innerText()).not.toContain(full)
  expect(await lottery.innerText()).toContain('共 3 人参与')

  await desk.getByRole('button', { name: '结束直播' }).click()
  await confirmButton('结束直播').click()
  await until(async () => (await desk.getByTestId('console-status').innerText()) === '已结束')
  expect((await stack.ok('admin', { action: 'liveRoom', roomId }, owner)).room.status).toBe('ended')
  // An ended room takes no new room-only coupon: the button is not offered.
  expect(await desk.getByRole('button', { name: '新建直播专享券' }).count()).toBe(0)
}, 60_000)

test('after the show: a stock-0 prize coupon is offered to the grants; a 刷新 while offline keeps the console and says so', async () => {
  const prize = { action: 'createCoupon', title: '前三名奖品券', kind: 'fixed', valueFen: 2000, thresholdFen: 0, stock: 0, perUserLimit: 1 }
  const first = await stack.call('admin', prize, owner)
  const confirm = first.body.ok
    ? null
    : (((first.body.error.details as { warnings?: Array<{ code: string }> }) ?? {}).warnings ?? []).map((w: { code: string }) => w.code)
  if (confirm) await stack.ok('admin', { ...prize, confirm }, owner)
  await desk.getByRole('button', { name: '刷新' }).click()
  await desk.getByTestId('award-coupon').click()
  await desk.locator('.ant-select-item-option').filter({ hasText: '前三名奖品券' }).waitFor({ timeout: 10_000 })
  await desk.keyboard.press('Escape')

  await desk.context().setOffline(true)
  try {
    await desk.getByRole('button', { name: '刷新' }).click()
    await desk.getByTestId('console-stale').waitFor({ timeout: 15_000 })
    expect(await desk.getByTestId('console-stale').innerText()).toMatch(/^刷新失败：.*（显示的是 \d\d:\d\d:\d\d 的数据）$/)
    expect(await desk.getByTestId('console-title').innerText()).toContain(TITLE)
  } finally {
    await desk.context().setOffline(false)
  }
  await desk.getByRole('button', { name: '刷新' }).click()
  await until(async () => (await desk.getByTestId('console-stale').count()) === 0)
}, 60_000)

test('the report shows viewers, orders, GMV, coupons claimed and used and the top sharer; the share records download as CSV', async () => {
  await desk.getByRole('link', { name: '查看报告' }).click()
  await desk.waitForURL(/\/report$/)
  await desk.getByTestId('report-figures').waitFor({ timeout: 10_000 })
  expect(await desk.locator('body').innerText()).toMatch(/开播于 \d{4}-\d\d-\d\d \d\d:\d\d/)
  const report = await stack.ok('admin', { action: 'roomReport', roomId }, owner)
  expect(report).toMatchObject({ viewers: 3, orders: 2, buyers: 2, gmvFen: 28700, likes: 12, comments: 1, credits: 2 })
  expect(await figure('report-figures', '观看人数').innerText()).toBe('3')
  expect(await figure('report-figures', '最高在线').innerText()).toBe(String(report.peakViewers))
  // The three were seen within the last minute when the show ended (its last sample).
  expect(report.peakViewers).toBe(3)
  expect(await figure('report-figures', '订单数').innerText()).toBe('2')
  expect(await figure('report-figures', '下单人数').innerText()).toBe('2')
  expect(await figure('report-figures', '成交额').innerText()).toBe('¥287.00')
  expect(await figure('report-figures', '转化率').innerText()).toBe('66.7%')
  expect(await figure('report-figures', '点赞').innerText()).toBe('12')

  const coupon = desk.getByTestId('report-coupons').locator('tbody tr').filter({ hasText: COUPON })
  expect((await coupon.locator('td').allInnerTexts()).map((t) => t.trim())).toEqual([COUPON, '满50减10', '2', '1', '¥10.00', '—'])
  const sharer = desk.getByTestId('report-sharers').locator('tbody tr').first()
  expect((await sharer.locator('td').allInnerTexts()).map((t) => t.trim())).toEqual(['1', '分享达人', '2', '2', '¥287.00'])
  const goods = desk.getByTestId('report-goods').locator('tbody tr').filter({ hasText: PRODUCT })
  expect((await goods.locator('td').allInnerTexts()).map((t) => t.trim())).toEqual([PRODUCT, '3', '¥287.00'])

  await saveConsolePng(desk, 'console-live-report')
  const [download] = await Promise.all([desk.waitForEvent('download'), desk.getByRole('button', { name: '导出分享记录' }).click()])
  expect(download.suggestedFilename()).toMatch(/^分享记录-春茶上新专场-\d{8}-\d{4}\.csv$/)
  const text = fs.readFileSync((await download.path())!, 'utf8')
  expect(text.startsWith('\ufeff')).toBe(true)
  const lines = text.slice(1).trim().split('\r\n')
  expect(lines[0]).toBe('分享者ID,分享者昵称,观众ID,观众昵称,进入时间')
  expect(lines.slice(1).map((l) => l.split(',').slice(0, 4))).toEqual(
    ['a', 'b'].map((v) => [
      viewers.sharer!.user.id,
      '分享达人',
      viewers[v]!.user.id,
      viewers[v] === viewers.a ? '爱喝茶的小王' : '茶友老李',
    ]),
  )

  // The room list shows the ended show with its figures.
  await desk.getByRole('link', { name: '返回' }).click()
  await desk.getByRole('tab', { name: '已结束' }).click()
  await desk.waitForURL(/status=ended/)
  const listed = desk.locator('tbody tr').filter({ hasText: TITLE })
  await listed.waitFor({ timeout: 10_000 })
  expect(await listed.innerText()).toContain('¥287.00')
}, 60_000)

test('创建直播 whose answer was cut, retried with an edited title: the console says the room was made and opens it', async () => {
  await desk.goto(`${stack.url}/admin/live/new`)
  await desk.getByLabel('直播标题').fill('断网时建的直播')
  await desk.getByLabel('开播时间').fill(new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 16))
  let creates = 0
  await desk.route('**/admin/api/fn/admin', async (route) => {
    if (route.request().postData()?.includes('"action":"createLiveRoom"') && ++creates === 1) {
      await route.fetch()
      await route.abort('connectionreset')
      return
    }
    await route.continue()
  })
  const create = desk.locator('form').getByRole('button', { name: '创建直播' })
  await create.click()
  await until(async () => creates === 1 && (await create.isEnabled()))
  await desk.getByLabel('直播标题').fill('断网时建的直播（改）')
  await create.click()
  const made = desk.getByTestId('room-made')
  await made.waitFor({ timeout: 10_000 })
  await desk.unroute('**/admin/api/fn/admin')
  expect(await made.innerText()).toContain('这个直播在网络中断前已经创建')
  await made.getByText('打开已创建的直播').click()
  // The editor holds an unsaved edit: leaving asks first.
  await confirmButton('放弃修改').click()
  await desk.waitForURL(/\/admin\/live\/[^/]+\/console$/, { timeout: 15_000 })
  await desk.getByTestId('console-title').getByText('断网时建的直播', { exact: true }).waitFor({ timeout: 10_000 })
  const list = await stack.ok('admin', { action: 'liveRooms', status: 'upcoming' }, owner)
  expect(list.items.filter((r: { title: string }) => r.title.startsWith('断网时建的直播')).map((r: { title: string }) => r.title)).toEqual([
    '断网时建的直播',
  ])
}, 60_000)
