/**
 * The anchor's console on the built weapp in miniprogram-simulate, signed in as staff, against a real
 * seeded stack: a whole show run from the phone — goods paged and searched, figures refreshing,
 * a room-only coupon created and dropped, a lottery committed and drawn, the end asked first.
 */
import { createProduct } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { elements, fakeWx, fire, loadPage, newLog, unloadPage, type LoadedPage, type WxLog } from '../helpers/weapp'

let stack: Stack
let admin: string
let roomId: string

/** The seeded product listed last (the oldest): with 25 more it sits on the console's third page of 20. */
const FAR_DOWN = '明前龙井 特级'

beforeAll(async () => {
  stack = await startStack({ seed: true })
  admin = (await stack.login('admin')).token
  for (let i = 0; i < 25; i++) await createProduct(stack, admin, { title: `测试茶 ${String(i).padStart(2, '0')}`, stock: 10 + i })
  ;({ roomId } = await stack.ok(
    'admin',
    {
      action: 'createLiveRoom',
      title: '秋茶专场直播',
      startsAt: new Date(Date.now() + 3600_000).toISOString(),
      streamUrl: '/media/files/demo-live.mp4',
    },
    admin,
  ))
  // Boot the app on a page every shopper may open, then hand the phone the staff's session: the
  // console's calls are the merchant's (ADMIN_OPENIDS), as on a staff member's WeChat.
  const boot = loadPage('packages/live/list/index', {}, { apiBase: stack.url, log: newLog() })
  await boot.waitForText('春茶品鉴')
  unloadPage(boot)
  fakeWx().setStorageSync('weshop.token', admin)
}, 120_000)
afterAll(() => stack?.stop())

/** What the console's figure `label` (观众, 点赞 …) shows. */
function stat(page: LoadedPage, label: string): string {
  const cell = elements(page).find((e) => /\bconsole__stat\b/.test(e.className) && e.textContent!.trim().endsWith(label))
  if (!cell) throw new Error(`no figure ${label}`)
  return cell.textContent!.trim().slice(0, -label.length).trim()
}

/** The row (of class `cls`) showing `text`, and in it the element whose text is exactly `action`. */
function inRow(page: LoadedPage, cls: string, text: string, action: string): Element | undefined {
  const row = elements(page).find((e) => new RegExp(`\\b${cls}\\b`).test(e.className) && e.textContent!.includes(text))
  if (!row) return undefined
  return (Array.from(row.querySelectorAll('*')) as Element[]).reverse().find((e) => e.textContent!.trim() === action)
}
const tap = (el: Element) => fire(el, 'tap', { x: 0, y: 0 })

async function type(page: LoadedPage, cls: string, value: string) {
  const el = elements(page).find((e) => new RegExp(`\\b${cls}\\b`).test(e.className))
  if (!el) throw new Error(`no input of class ${cls}`)
  fire(el, 'input', { value, cursor: value.length, keyCode: 0 })
  await new Promise((r) => setTimeout(r, 50))
}

async function until<T>(what: string, read: () => Promise<T> | T, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await read()
    if (ok(v)) return v
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(v)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** How many products the catalog lists, page by page. */
async function onSale(): Promise<number> {
  let n = 0
  let cursor: string | null = null
  do {
    const page: { items: unknown[]; nextCursor: string | null } = await stack.ok('catalog', { action: 'list', limit: 50, cursor }, admin)
    n += page.items.length
    cursor = page.nextCursor
  } while (cursor)
  return n
}

const roomOf = async (id: string, token = admin) => (await stack.ok('live', { action: 'sync', roomId: id }, token)).room
const calls = (log: WxLog, action: string) => log.requests.filter((r) => r === `/api/fn/admin ${action}`).length
/** The refreshes the page made: its roomStats calls but those of a reload (which also asks shareRecords, once). */
const refreshes = (log: WxLog) => calls(log, 'roomStats') - calls(log, 'shareRecords')

let viewer: { token: string; user: { id: string } }

test('开始直播 once however often it is tapped; the catalog pages past its first page and search finds goods; both can be pushed (讲解中)', async () => {
  const log = newLog()
  const page = loadPage('packages/live/console/index', { id: roomId }, { apiBase: stack.url, log })
  await page.waitForText('秋茶专场直播', '未开播', '开始直播', '商品库')
  // Two taps before the first answer: one call.
  page.tapText('开始直播')
  page.tapText('开始直播')
  await page.waitForText('直播中', '结束直播')
  expect(calls(log, 'setLiveStatus')).toBe(1)
  expect(log.toasts).toContain('已开播')

  // The catalog, 20 at a time: the room's main product is on the third page.
  await page.waitForText('测试茶 24', '加载更多')
  expect(page.text()).not.toContain(FAR_DOWN)
  page.tapText('加载更多')
  await page.waitForText('测试茶 00')
  expect(page.text()).not.toContain(FAR_DOWN)
  page.tapText('加载更多')
  await page.waitForText(FAR_DOWN, `没有更多了 · 共 ${await onSale()} 件`)
  expect(page.text()).toMatch(/明前龙井 特级\s*¥\d+\.\d\d · 库存 \d+/)
  // Three pages on screen keep well inside WeChat's 1000 nodes a page.
  expect(elements(page).length).toBeLessThan(1000)

  tap(inRow(page, 'console-goods', FAR_DOWN, '推送讲解')!)
  await until('the pinned card', () => inRow(page, 'console-goods', FAR_DOWN, '讲解中'), Boolean)
  expect(log.toasts).toContain('已推送讲解')
  viewer = await stack.login('console-viewer', '茶友小王')
  const seen = (await stack.ok('live', { action: 'enter', roomId }, viewer.token)).room
  expect(seen.pinned.title).toBe(FAR_DOWN)

  // Search, as shoppers search: a query typed without spaces finds the product.
  await type(page, 'console__search-input', '普洱熟茶')
  page.tapText('搜索')
  await page.waitForText('搜索“普洱熟茶”', '云南古树普洱 熟茶饼 357g')
  expect(page.text()).not.toContain('测试茶 24')
  tap(inRow(page, 'console-goods', '云南古树普洱', '推送讲解')!)
  await until('the searched product pinned', () => inRow(page, 'console-goods', '云南古树普洱', '讲解中'), Boolean)
  expect((await roomOf(roomId, viewer.token)).pinned.title).toBe('云南古树普洱 熟茶饼 357g')
  // Both are on the room's shelf now, the explained one first.
  expect((await roomOf(roomId)).goods.map((g: { title: string }) => g.title).slice(0, 2)).toEqual(['云南古树普洱 熟茶饼 357g', FAR_DOWN])
  page.tapText('全部商品')
  await page.waitForText('商品库', '测试茶 24')

  // The query is echoed without hidden or bidi characters: a \u202e would show 搜索“…” reversed.
  await type(page, 'console__search-input', '\u202e%_熟茶\u200b')
  page.tapText('搜索')
  await page.waitForText('搜索“%_熟茶”')
  const echoed = elements(page).filter((e) => /\bconsole__(title|muted)\b/.test(e.className) && e.textContent!.includes('%_熟茶'))
  expect(echoed.length).toBeGreaterThan(0)
  for (const e of echoed) expect(e.textContent).not.toMatch(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/)
  // Nothing but hidden characters is no search: the whole catalog again.
  await type(page, 'console__search-input', '\u202e\u200b')
  page.tapText('搜索')
  await new Promise((r) => setTimeout(r, 300))
  await page.waitForText('商品库', '测试茶 24')
  expect(page.text()).not.toContain('搜索“')
  unloadPage(page)
}, 60_000)

test('the figures refresh while live: an entry, likes and a comment made elsewhere show within one refresh', async () => {
  const asking = newLog()
  const page = loadPage('packages/live/console/index', { id: roomId }, { apiBase: stack.url, log: asking })
  await page.waitForText('观众', '点赞', '评论', '邀请', '订单', '成交', '数据每 5 秒刷新')
  const before = { viewers: Number(stat(page, '观众')), likes: Number(stat(page, '点赞')), comments: Number(stat(page, '评论')) }
  const sharer = await stack.login('console-sharer', '分享达人')
  const friend = await stack.login('console-friend', '茶友小李')
  await stack.ok('live', { action: 'enter', roomId }, sharer.token)
  await stack.ok('live', { action: 'enter', roomId, sharerId: sharer.user.id }, friend.token)
  await stack.ok('live', { action: 'like', roomId, count: 7 }, friend.token)
  await stack.ok('live', { action: 'comment', roomId, text: '主播好！' }, friend.token)
  const asked = refreshes(asking)
  await until(
    'the figures',
    () => [stat(page, '观众'), stat(page, '点赞'), stat(page, '评论'), stat(page, '邀请')],
    (v) => v.join() === [before.viewers + 2, before.likes + 7, before.comments + 1, 1].join(),
    30_000,
  )
  // Within one refresh, counted (0 when a refresh already on its way brought them): no reload.
  expect(refreshes(asking) - asked).toBeLessThanOrEqual(1)
  expect(stat(page, '成交')).toBe('¥0.00')

  // Hidden, the page stops asking.
  const log = newLog()
  const hidden = loadPage('packages/live/list/index', {}, { apiBase: stack.url, log })
  page.instance.onHide?.()
  await new Promise((r) => setTimeout(r, 6000))
  expect(calls(log, 'roomStats')).toBe(0)
  unloadPage(hidden)
  unloadPage(page)
}, 60_000)

test('a room-only coupon from the form (yuan in, fen out, refusals in Chinese) is listed, dropped, and claimable only in its room', async () => {
  const log = newLog()
  const page = loadPage('packages/live/console/index', { id: roomId }, { apiBase: stack.url, log })
  await page.waitForText('直播中', '优惠券')
  page.tapText('优惠券')
  await page.waitForText('新建直播专享券', '满99减10')
  page.tapText('新建直播专享券')
  await page.waitForText('每人限领 1 张', '创建')
  page.tapText('创建')
  await page.waitForText('请填写券名称', '请填写减免金额', '请填写发放数量')
  expect(calls(log, 'createCoupon')).toBe(0)

  await type(page, 'console-form__title', '秋茶专享 满50减8.8')
  page.tapText('满额可用')
  await page.waitForText('元可用')
  await type(page, 'console-form__threshold', '50')
  await type(page, 'console-form__value', '8.8')
  await type(page, 'console-form__stock', '100')
  page.tapText('创建')
  await page.waitForText('秋茶专享 满50减8.8', '已领 0/100')
  expect(log.toasts).toContain('已创建直播专享券')
  const created = (await stack.ok('admin', { action: 'roomCoupons', roomId }, admin)).items.find(
    (c: any) => c.title === '秋茶专享 满50减8.8',
  )
  expect(created).toMatchObject({ roomId, valueFen: 880, thresholdFen: 5000, stock: 100, perUserLimit: 1, dropped: false })
  expect(inRow(page, 'console-coupon', '秋茶专享', '直播专享')).toBeDefined()

  tap(inRow(page, 'console-coupon', '秋茶专享', '发券')!)
  await until('dropped', () => inRow(page, 'console-coupon', '秋茶专享', '已发放'), Boolean)
  expect(log.toasts).toContain('已发券')
  const inRoom = (await roomOf(roomId, viewer.token)).coupons.find((c: any) => c.couponId === created.couponId)
  expect(inRoom).toMatchObject({ roomId, state: 'claimable' })
  // Room-only: never in the claim center.
  const center = await stack.ok('coupon', { action: 'center' }, viewer.token)
  expect(center.items.map((c: any) => c.couponId)).not.toContain(created.couponId)
  unloadPage(page)
}, 60_000)

test('a lottery committed from the form and drawn after a confirmation shows N 人参与 and masked winners, never ids', async () => {
  for (let i = 0; i < 3; i++) {
    const v = await stack.login(`console-lottery-${i}`, `抽奖茶友${i}号`)
    await stack.ok('live', { action: 'enter', roomId }, v.token)
  }
  const candidates = Number((await stack.ok('admin', { action: 'roomStats', roomId }, admin)).viewers)
  const answers: boolean[] = [false]
  const log = newLog()
  const page = loadPage('packages/live/console/index', { id: roomId }, { apiBase: stack.url, log, answerModal: () => answers[0]! })
  await page.waitForText('直播中', '抽奖')
  page.tapText('抽奖')
  await page.waitForText('发起抽奖', '还没有抽奖')
  await type(page, 'console-form__winners', '0')
  page.tapText('公布承诺')
  await page.waitForText('请填写奖品', '中奖人数须为 1–100 的整数')
  await type(page, 'console-form__prize', '紫砂壶一把')
  await type(page, 'console-form__winners', '2')
  page.tapText('观众')
  page.tapText('公布承诺')
  await page.waitForText('紫砂壶一把', '待开奖', '观众中抽 2 人')
  const [lottery] = (await stack.ok('live', { action: 'lotteries', roomId }, admin)).items
  expect(page.text()).toContain(`承诺值 ${lottery.commitment.slice(0, 8)}…${lottery.commitment.slice(-8)}`)

  // Cancelled, nothing is drawn.
  page.tapText('开奖')
  await new Promise((r) => setTimeout(r, 300))
  expect(log.modals!.at(-1)).toMatch(/^开奖\|/)
  expect(calls(log, 'drawLottery')).toBe(0)
  answers[0] = true
  page.tapText('开奖')
  await page.waitForText('已开奖', `${candidates} 人参与`, '中奖：')
  expect(calls(log, 'drawLottery')).toBe(1)
  const [drawn] = (await stack.ok('live', { action: 'lotteries', roomId }, admin)).items
  expect(drawn.winnerList).toHaveLength(2)
  expect(page.text()).toContain(`中奖：${drawn.winnerList.map((w: { name: string }) => w.name).join('、')}`)
  for (const w of drawn.winnerList) expect(w.name).toMatch(/\*/)
  expect(page.text()).not.toMatch(/u_[0-9a-z]/)
  unloadPage(page)
}, 60_000)

test('结束直播 asks first: cancelled, the show goes on; confirmed, it ends once and the figures show the end', async () => {
  const answers: boolean[] = [false]
  const log = newLog()
  const page = loadPage('packages/live/console/index', { id: roomId }, { apiBase: stack.url, log, answerModal: () => answers[0]! })
  await page.waitForText('直播中', '结束直播')
  page.tapText('结束直播')
  await new Promise((r) => setTimeout(r, 300))
  expect(log.modals).toEqual(['结束直播？|结束后观众将看到回放，无法再评论，回放中仍可购买商品'])
  expect(calls(log, 'setLiveStatus')).toBe(0)
  expect((await roomOf(roomId)).status).toBe('live')
  expect(page.text()).toContain('直播中')

  answers[0] = true
  page.tapText('结束直播')
  page.tapText('结束直播')
  await page.waitForText('已结束')
  expect(calls(log, 'setLiveStatus')).toBe(1)
  expect((await roomOf(roomId)).status).toBe('ended')
  expect(page.text()).not.toContain('结束直播')
  expect(page.text()).not.toContain('数据每 5 秒刷新')
  expect(log.toasts).toContain('直播已结束')
  // After the show: the room's coupons can go to everyone who watched, no longer be dropped.
  page.tapText('优惠券')
  await page.waitForText('发给全部观众', '秋茶专享 满50减8.8')
  expect(inRow(page, 'console-coupon', '满99减10', '发券')).toBeUndefined()
  const watched = (await stack.ok('admin', { action: 'roomStats', roomId }, admin)).viewers
  tap(inRow(page, 'console-coupon', '秋茶专享', '发给全部观众')!)
  await until(
    'issued',
    () => log.toasts.at(-1),
    (t) => t === `已发放 ${watched} 张`,
  )
  expect(log.modals!.at(-1)).toMatch(/^发给全部观众\|/)
  const mine = await stack.ok('coupon', { action: 'mine' }, viewer.token)
  expect(mine.items.filter((c: { title: string }) => c.title === '秋茶专享 满50减8.8')).toHaveLength(1)
  tap(inRow(page, 'console-coupon', '满99减10', '奖励前三')!)
  await until(
    'awarded',
    () => log.toasts.at(-1),
    (t) => t === '已奖励前 1 名',
  )

  // Who brought whom, by nickname, and the export.
  page.tapText('分享记录')
  await page.waitForText('分享记录 · 1 条', '分享达人 邀请了 茶友小李')
  page.tapText('导出 CSV')
  await until(
    'copied',
    () => log.clipboard ?? '',
    (t) => t.includes('分享达人'),
  )
  expect(log.toasts.at(-1)).toBe('已复制 1 条记录')
  unloadPage(page)
}, 60_000)

test('a show ended from another device: the console follows within one refresh and stops refreshing', async () => {
  const { roomId: other } = await stack.ok(
    'admin',
    { action: 'createLiveRoom', title: '双机位直播', startsAt: new Date(Date.now() + 3600_000).toISOString() },
    admin,
  )
  await stack.ok('admin', { action: 'setLiveStatus', roomId: other, status: 'live' }, admin)
  // A prize coupon with stock 0: no drop while live; once ended it is offered to the after-show grants.
  const prize = { action: 'createCoupon', title: '双机位奖品券', kind: 'fixed', valueFen: 500, thresholdFen: 0, stock: 0, perUserLimit: 1 }
  const made = await stack.call('admin', prize, admin)
  if (!made.body.ok)
    await stack.ok('admin', { ...prize, confirm: (made.body.error.details as any).warnings.map((w: any) => w.code) }, admin)
  const log = newLog()
  const page = loadPage('packages/live/console/index', { id: other }, { apiBase: stack.url, log })
  await page.waitForText('双机位直播', '直播中', '结束直播')
  await stack.ok('admin', { action: 'setLiveStatus', roomId: other, status: 'ended' }, admin)
  const refreshed = refreshes(log)
  await until(
    'ended',
    () => page.text(),
    (t) => t.includes('已结束') && !t.includes('结束直播'),
    30_000,
  )
  // Within one refresh (the reload it set off is not another), counted rather than timed.
  expect(refreshes(log) - refreshed).toBeLessThanOrEqual(1)
  const asked = calls(log, 'roomStats')
  await new Promise((r) => setTimeout(r, 5500))
  expect(calls(log, 'roomStats')).toBe(asked)
  // Ended, the coupons serve the after-show grants.
  page.tapText('优惠券')
  await page.waitForText('双机位奖品券', '发给全部观众')
  unloadPage(page)
}, 60_000)

test('a big catalog: 加载更多 stops at 120 rows (inside 1000 nodes) and says to search, which still finds the last product', async () => {
  for (let i = 0; i < 100; i++) await createProduct(stack, admin, { title: `大库存茶 ${String(i).padStart(3, '0')}`, stock: 5 })
  const page = loadPage('packages/live/console/index', { id: roomId }, { apiBase: stack.url, log: newLog() })
  await page.waitForText('商品库', '大库存茶 099', '加载更多')
  // The rows of the catalog, below the room's shelf of 2.
  const rows = () => elements(page).filter((e) => /\bconsole-goods\b/.test(e.className)).length - 2
  for (let shown = 20; shown < 120; shown += 20) {
    page.tapText('加载更多')
    await until('the next page', rows, (n) => n >= shown + 20)
  }
  await page.waitForText('已显示 120 件，更多商品请搜索')
  expect(page.text()).not.toContain('加载更多')
  expect(rows()).toBe(120)
  expect(elements(page).length).toBeLessThan(1000)
  await type(page, 'console__search-input', '明前龙井')
  page.tapText('搜索')
  await page.waitForText('搜索“明前龙井”', FAR_DOWN)
  unloadPage(page)
}, 90_000)
