/**
 * The mini-program audit, run by `npm run bench` (bench/audit.ts) under jest for its jsdom
 * environment: every page of the built weapp in miniprogram-simulate against a real seeded stack
 * with realistic data (40 products on the home; 200 comments and 20 leaderboard rows in the live
 * room). Per page it records the setData calls and their payloads while the page loads and during
 * 10 s of live activity, then the rendered tree's node count and depth. It writes the figures to
 * $AUDIT_OUT; judging them against WeChat's limits is bench/audit.ts's job.
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import { saveAddress } from '../../tests/helpers/mall'
import { startStack, type Stack } from '../../tests/helpers/stack'
import { appToken, loadPage, newLog, unloadPage, type LoadedPage } from '../../tests/helpers/weapp'

export interface PageFigures {
  label: string
  route: string
  load: { calls: number; maxBytes: number; totalBytes: number; ms: number }
  live: { calls: number; maxBytes: number }
  /** The most setData calls inside any one second, over load and live activity. */
  peakPerSecond: number
  nodes: number
  depth: number
}

const LIVE_MS = Number(process.env.AUDIT_LIVE_MS ?? 10_000)
const results: PageFigures[] = []
let stack: Stack
let admin: string
let roomId: string
let chatters: string[] = []
let newcomers = 0
let sharerIds: string[] = []

/** Element count and the deepest element's depth below the page root. */
function tree(root: Element): { nodes: number; depth: number } {
  let nodes = 0
  let depth = 0
  const walk = (el: Element, d: number) => {
    nodes++
    depth = Math.max(depth, d)
    for (const child of Array.from(el.children)) walk(child, d + 1)
  }
  for (const child of Array.from(root.children)) walk(child, 1)
  return { nodes, depth }
}

function peakPerSecond(times: number[]): number {
  let peak = 0
  let lo = 0
  for (let hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= 1000) lo++
    peak = Math.max(peak, hi - lo + 1)
  }
  return peak
}

/**
 * Waits until the page has made no setData call for `quietMs`: rendering and follow-up loads are
 * done (a countdown's one tick a second does not count as loading).
 */
async function settle(page: LoadedPage, quietMs = 700) {
  const deadline = Date.now() + 15_000
  for (;;) {
    const last = page.setData.at(-1)?.at ?? 0
    if (Date.now() - last >= quietMs) return
    if (Date.now() > deadline) return
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** What goes on in the live room meanwhile: comments, likes, newcomers through sharers' links, a goods push. */
async function roomActivity(ms: number) {
  const end = Date.now() + ms
  let i = 0
  while (Date.now() < end) {
    const who = chatters[i % chatters.length]!
    const work: Array<Promise<unknown>> = [
      stack.ok('live', { action: 'comment', roomId, text: `实时弹幕 ${i}` }, who),
      stack.ok('live', { action: 'like', roomId, count: 3 }, who),
    ]
    if (i % 3 === 0) {
      const v = await stack.login(`audit-newcomer-${newcomers++}`)
      work.push(stack.ok('live', { action: 'enter', roomId, sharerId: sharerIds[i % sharerIds.length] }, v.token))
    }
    await Promise.all(work)
    i++
    await new Promise((r) => setTimeout(r, 200))
  }
}

async function audit(
  label: string,
  route: string,
  query: Record<string, string>,
  shows: string[],
  after?: (p: LoadedPage) => Promise<void>,
) {
  const started = Date.now()
  const page = loadPage(route, query, { apiBase: stack.url, log: newLog() })
  await page.waitForText(...shows)
  await after?.(page)
  await settle(page)
  const loaded = page.setData.length
  const loadMs = (page.setData.at(-1)?.at ?? started) - started
  const liveStart = Date.now()
  await roomActivity(LIVE_MS)
  const shape = tree(page.root.dom)
  const loadCalls = page.setData.slice(0, loaded)
  const liveCalls = page.setData.slice(loaded).filter((r) => r.at >= liveStart)
  results.push({
    label,
    route,
    load: {
      calls: loadCalls.length,
      maxBytes: Math.max(0, ...loadCalls.map((r) => r.bytes)),
      totalBytes: loadCalls.reduce((s, r) => s + r.bytes, 0),
      ms: loadMs,
    },
    live: { calls: liveCalls.length, maxBytes: Math.max(0, ...liveCalls.map((r) => r.bytes)) },
    peakPerSecond: peakPerSecond(page.setData.map((r) => r.at)),
    ...shape,
  })
  unloadPage(page)
}

beforeAll(async () => {
  stack = await startStack({ seed: true })
  admin = (await stack.login('admin')).token
  const { items } = await stack.ok('catalog', { action: 'list', limit: 50 }, admin)
  // 40 products on the home: the 16 seeded ones and 24 more with the same kind of art.
  for (let i = 0; i < 24; i++) {
    const like = items[i % items.length]
    await stack.ok(
      'admin',
      {
        action: 'createProduct',
        title: `${like.title} · 第${i + 1}批`,
        subtitle: '产地直发 新鲜到货',
        priceFen: 1990 + i * 100,
        listPriceFen: 2990 + i * 100,
        stock: 100,
        images: [like.cover],
        ...(like.categoryId ? { categoryId: like.categoryId } : {}),
      },
      admin,
    )
  }
  // The live room: 200 comments from 67 viewers (a viewer may post 3 at once, then one per 2 s), 20
  // sharers on the leaderboard (1 to 20 invites each).
  roomId = (await stack.ok('live', { action: 'list' }, admin)).live[0].id
  chatters = await Promise.all(
    Array.from({ length: 67 }, (_, i) => stack.login(`audit-chatter-${i}`, `茶友${i + 1}号`).then((r) => r.token)),
  )
  for (const t of chatters) await stack.ok('live', { action: 'enter', roomId }, t)
  for (let i = 0; i < 200; i++)
    await stack.ok('live', { action: 'comment', roomId, text: `第${i + 1}条评论，这款茶汤色清亮` }, chatters[i % chatters.length])
  sharerIds = await Promise.all(
    Array.from({ length: 20 }, (_, i) => stack.login(`audit-sharer-${i}`, `分享达人${i + 1}`).then((r) => r.user.id)),
  )
  let viewer = 0
  for (let s = 0; s < 20; s++) {
    for (let k = 0; k <= s; k++) {
      const v = await stack.login(`audit-viewer-${viewer++}`)
      await stack.ok('live', { action: 'enter', roomId, sharerId: sharerIds[s] }, v.token)
    }
  }
}, 300_000)

afterAll(async () => {
  await stack?.stop()
  if (process.env.AUDIT_OUT) fs.writeFileSync(process.env.AUDIT_OUT, JSON.stringify(results, null, 2))
})

test('audit every page of the built weapp', async () => {
  await audit('首页', 'pages/index/index', {}, ['为你推荐', '上拉加载更多'], async (page) => {
    // Scroll to the end: all 40 products on screen.
    while (!page.text().includes('没有更多了')) {
      page.instance.onReachBottom()
      await new Promise((r) => setTimeout(r, 300))
    }
  })
  const { items } = await stack.ok('catalog', { action: 'list', limit: 50 }, admin)
  const tea = items.find((p: { title: string }) => p.title === '明前龙井 特级')
  await audit('分类', 'pages/category/index', {}, ['茗茶'])
  await audit('商品详情', 'packages/goods/detail/index', { id: tea.id }, ['明前龙井 特级', '立即购买'])

  // The shopper (the app's own sign-in) fills a cart, saves an address and places orders.
  const token = appToken()
  const inStock = items.filter((p: { stock: number }) => p.stock > 0)
  for (const p of inStock.slice(0, 6)) {
    const { product } = await stack.ok('catalog', { action: 'get', productId: p.id }, token)
    await stack.ok('cart', { action: 'add', skuId: product.skus.find((s: { stock: number }) => s.stock > 0).id, qty: 1 }, token)
  }
  await saveAddress(stack, token)
  const cart = await stack.ok('cart', { action: 'list' }, token)
  await audit('购物车', 'pages/cart/index', {}, ['去结算'])
  const lines = cart.lines.map((l: any) => `${l.productId}~${l.skuId}~${l.qty}`).join(',')
  await audit('确认订单', 'packages/order/checkout/index', { items: lines, fromCart: '1' }, ['提交订单'])
  let unpaid = ''
  for (const p of inStock.slice(6, 11)) {
    const { orderId } = await stack.ok(
      'order',
      { action: 'create', items: [{ productId: p.id, qty: 1 }], idempotencyKey: randomUUID() },
      token,
    )
    unpaid = orderId
  }
  await audit('我的订单', 'packages/order/list/index', {}, ['待付款'])
  await audit('订单详情（待付款倒计时）', 'packages/order/detail/index', { id: unpaid }, ['待付款'])
  await audit('我的', 'pages/me/index', {}, ['我的订单'])
  await audit('领券中心', 'packages/coupon/center/index', {}, ['新人无门槛券'])
  const { dealCampaignId } = await stack.ok('catalog', { action: 'home' }, token)
  await audit('新人 9.9', 'packages/deal/index', { id: dealCampaignId }, ['新人尝鲜 三款试饮装'])
  await audit('限时秒杀（倒计时）', 'packages/deal/flash/index', {}, ['手工牛轧糖 500g'])
  await audit('直播列表', 'packages/live/list/index', {}, ['春茶品鉴'])
  // The room on load: live, the viewer count, the explaining card with 去抢购 (the comments over the
  // video are the other pages' live activity by now);
  // then its 排行榜 sheet open with the 20 sharers, so the live activity is measured with it on screen.
  await audit('直播间', 'packages/live/room/index', { id: roomId }, ['直播中', '人看过', '讲解中', '去抢购'], async (page) => {
    page.tapText('排行榜')
    await page.waitForText('分享排行榜', '分享达人20')
  })
  expect(results).toHaveLength(13)
}, 600_000)
