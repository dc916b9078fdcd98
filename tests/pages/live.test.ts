/** The live room page on the built weapp in miniprogram-simulate, against a real seeded stack. */
import fs from 'node:fs'
import path from 'node:path'
import { encodeScene } from '../../src/features/live/scene'
import { sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'
import { appToken, DIST, elements, fire, loadPage as load, newLog, unloadPage, type LoadedPage, type WxLog } from '../helpers/weapp'

const ROUTE = 'packages/live/room/index'
const TITLE = '春茶品鉴 · 明前龙井现场冲泡'
let stack: Stack
let admin: string
let roomId: string
let upcomingId: string
let sharer: { token: string; user: { id: string } }
let log: WxLog

beforeAll(async () => {
  stack = await startStack({ seed: true })
  admin = (await stack.login('admin')).token
  const rooms = await stack.ok('live', { action: 'list' }, admin)
  roomId = rooms.live[0].id
  upcomingId = rooms.upcoming[0].id
  sharer = await stack.login('top-sharer', '分享达人')
}, 90_000)
afterAll(() => stack?.stop())
beforeEach(() => {
  log = newLog()
})
/**
 * Every page a test opened is unloaded after it, failed or not: a page left behind keeps polling
 * every 2 s into the next test's log and doubles its poll counts.
 */
const open = new Set<LoadedPage>()
function loadPage(...args: Parameters<typeof load>): LoadedPage {
  const page = load(...args)
  open.add(page)
  return page
}
function unload(page: LoadedPage) {
  if (open.delete(page)) unloadPage(page)
}
afterEach(() => {
  for (const page of [...open]) unload(page)
})

const byClass = (page: LoadedPage, cls: string) => elements(page).filter((e) => new RegExp(`(^|\\s|--)${cls}(\\s|$)`).test(e.className))
const one = (page: LoadedPage, cls: string) => {
  const el = byClass(page, cls)[0]
  if (!el) throw new Error(`no element of class ${cls}`)
  return el
}
const tap = (page: LoadedPage, cls: string) => fire(one(page, cls), 'tap', { x: 0, y: 0 })
const count = (text: string, part: string) => text.split(part).length - 1
/** The comment rows as shown: ordered by their CSS order (the negated arrival number), newest last. */
const commentRows = (page: LoadedPage) =>
  byClass(page, 'comment-stream__item')
    .map((row) => ({ order: Number(/order:\s*(-?\d+)/.exec(row.getAttribute('style') ?? '')?.[1]), text: row.textContent!.trim() }))
    .sort((a, b) => b.order - a.order)
    .map((r) => r.text)
/**
 * The <video> elements as the page set them: Taro's template names their attributes p0, p1…, so the
 * names come from the built base.wxml (with the template's defaults for attributes left unset).
 */
function videos(page: LoadedPage): Array<Record<string, unknown>> {
  const wxml = fs.readFileSync(path.join(DIST, 'base.wxml'), 'utf8')
  const [, nn, attrs] = /<template name="tmpl_0_(\w+)"><video ([^>]*)>/.exec(wxml)!
  const props = [...attrs!.matchAll(/([\w-]+)="\{\{(?:xs\.b\()?i\.(p\d+)(?:,(!0|!1))?\)?\}\}"/g)].map(([, name, key, dflt]) => ({
    name: name!,
    key: key!,
    dflt: dflt === undefined ? undefined : dflt === '!0',
  }))
  const found: Array<Record<string, unknown>> = []
  const walk = (node: any) => {
    if (node?.nn === nn) found.push(Object.fromEntries(props.map((p) => [p.name, node[p.key] ?? p.dflt])))
    for (const child of node?.cn ?? []) walk(child)
  }
  walk(page.instance.data.root)
  return found
}
const polls = () => log.requests.filter((r) => r.endsWith('live sync')).length
/**
 * How many polls the page started between the change (just made) and showing all of `parts`: 1 is
 * "within one poll" whatever the machine's load (0 when a poll already on its way brought it).
 */
async function pollsToShow(page: LoadedPage, ...parts: string[]) {
  const before = polls()
  await page.waitForText(...parts)
  return polls() - before
}

test('entering by a share link: the sharer is credited; the anchor, the viewer count, the latest comments, my own comment at once, a newcomer welcomed; small setData', async () => {
  const chatter = await stack.login('chatter', '茶友小王')
  await stack.ok('live', { action: 'enter', roomId }, chatter.token)
  // 200 earlier comments, written straight to the database: one viewer may post 3 at once, then one per 2 s.
  await sql(
    stack,
    `INSERT INTO room_comments (room_id, user_id, nickname, text)
     SELECT $1, $2, '茶友小王', '第' || i || '条评论' FROM generate_series(0, 199) AS i ORDER BY i`,
    [roomId, chatter.user.id],
  )
  const view = (await stack.ok('live', { action: 'sync', roomId }, admin)).room

  const page = loadPage(ROUTE, { id: roomId, sharerId: sharer.user.id }, { apiBase: stack.url, log })
  const text = await page.waitForText(view.anchor.name, '人看过', '第199条评论', '讲解中', '去抢购')
  // Entering through the sharer's link credited them (this phone's user had never entered the room).
  expect((await stack.ok('live', { action: 'leaderboard', roomId }, sharer.token)).me.invites).toBe(1)
  // The viewer count is the server's, everyone who entered (me included).
  const { viewerCount } = await stack.ok('live', { action: 'sync', roomId }, admin)
  expect(text).toContain(`${viewerCount} 人看过`)
  expect(viewerCount).toBeGreaterThanOrEqual(2)
  // The stream holds the latest 50 comments, newest at the bottom.
  expect(text).toContain('第150条评论')
  expect(text).not.toContain('第149条评论')
  expect(commentRows(page)).toHaveLength(50)
  expect(commentRows(page).at(-1)).toBe('茶友小王：第199条评论')
  // No sheet is rendered while closed: no leaderboard, no goods list.
  expect(text).not.toContain('分享排行榜')
  expect(text).not.toContain('直播商品')

  // The 排行榜 chip opens the leaderboard: the sharer with the invite my entry gave them.
  page.tapText('排行榜')
  await page.waitForText('分享排行榜', '分享达人', '1 人', '我的排名：未上榜')
  tap(page, 'bottom-sheet__mask')
  await until(() => !page.text().includes('分享排行榜'))

  // My own comment shows as soon as the server took it, with polling stopped (the page hidden)…
  const me = (await stack.ok('auth', { action: 'me' }, appToken())).user
  page.instance.onHide()
  fire(one(page, 'room-bottom__input'), 'input', { value: '主播好，想看冲泡', cursor: 8, keyCode: 0 })
  await new Promise((r) => setTimeout(r, 50))
  fire(one(page, 'room-bottom__input'), 'confirm', { value: '主播好，想看冲泡' })
  await page.waitForText('主播好，想看冲泡')
  expect(commentRows(page).at(-1)).toBe(`${me.nickname}：主播好，想看冲泡`)
  // …and once only when the polls bring it again.
  page.instance.onShow()
  const before = polls()
  await until(() => polls() >= before + 2)
  expect(count(page.text(), '主播好，想看冲泡')).toBe(1)

  // A newcomer is welcomed within one poll.
  const newcomer = await stack.login('newcomer', '茶友小李')
  await stack.ok('live', { action: 'enter', roomId }, newcomer.token)
  const welcomed = page.setData.length
  expect(await pollsToShow(page, '欢迎 茶友小李 进入直播间')).toBeLessThanOrEqual(1)
  // The welcome line fills its own node: the 50 rows of the stream are not sent again.
  expect(Math.max(...page.setData.slice(welcomed).map((r) => r.bytes))).toBeLessThan(1024)

  // A new comment arrives through polling. It takes the oldest comment's slot: the setData of that
  // poll carries one row, not the 50 on screen, and the row shows last.
  const posted = page.setData.length
  await stack.ok('live', { action: 'comment', roomId, text: '今天的茶真香' }, chatter.token)
  await page.waitForText('今天的茶真香')
  expect(page.text()).not.toContain('第151条评论')
  expect(Math.max(...page.setData.slice(posted).map((r) => r.bytes))).toBeLessThan(1024)
  expect(commentRows(page)).toHaveLength(50)
  expect(commentRows(page)[0]).toBe('茶友小王：第152条评论')
  expect(commentRows(page).at(-1)).toBe('茶友小王：今天的茶真香')

  // Likes are batched: ten taps make one call on the next poll, with hearts capped on screen.
  const likesBefore = log.requests.filter((r) => r.endsWith('live like')).length
  const tapped = page.setData.length
  for (let i = 0; i < 10; i++) tap(page, 'room-bottom__btn--like')
  await until(() => byClass(page, 'hearts__one').length > 0)
  expect(byClass(page, 'hearts__one').length).toBeLessThanOrEqual(6)
  // Each heart is appended to its own box: small setData, never the page.
  expect(Math.max(...page.setData.slice(tapped).map((r) => r.bytes))).toBeLessThan(1024)
  await until(() => log.requests.filter((r) => r.endsWith('live like')).length > likesBefore)
  // Two more polls go by (counted, not timed): still the one like call.
  const liked = polls()
  await until(() => polls() >= liked + 2, 30_000)
  expect(log.requests.filter((r) => r.endsWith('live like')).length).toBe(likesBefore + 1)

  // WeChat's audit limits: under 20 setData calls a second and 256 KB a call. The rate is over the
  // time that really went by (a loaded machine sleeps longer than asked, and calls fewer).
  const start = Date.now()
  const calls0 = page.setData.filter((r) => r.at >= start).length
  await new Promise((r) => setTimeout(r, 4500))
  const calls = page.setData.filter((r) => r.at >= start).length - calls0
  expect(calls / ((Date.now() - start) / 1000)).toBeLessThan(20)
  expect(Math.max(...page.setData.map((r) => r.bytes))).toBeLessThan(256 * 1024)
  unload(page)
}, 90_000)

test('the goods sheet: 讲解中 on the explained product, 去抢购 to its page with the room and sharer; the explaining card above the bag', async () => {
  const page = loadPage(ROUTE, { id: roomId, sharerId: sharer.user.id }, { apiBase: stack.url, log })
  await page.waitForText('人看过', '讲解中')
  // The card floats while live with its product and 去抢购.
  const card = one(page, 'explaining')
  expect(card.textContent).toContain('明前龙井 特级')
  expect(card.textContent).toContain('去抢购')
  // The bag counts the goods and opens them in a sheet, the explained one first with 讲解中.
  expect(one(page, 'room-bottom__bag-count').textContent!.trim()).toBe('2')
  tap(page, 'room-bottom__bag')
  const text = await page.waitForText('直播商品 2', '紫砂壶 西施壶 220ml', '¥128.00')
  expect(text.indexOf('明前龙井 特级')).toBeLessThan(text.indexOf('紫砂壶 西施壶 220ml'))
  const items = byClass(page, 'goods-sheet__item')
  expect(items).toHaveLength(2)
  expect(items[0]!.textContent).toContain('讲解中')
  expect(items[1]!.textContent).not.toContain('讲解中')
  fire(byClass(page, 'goods-sheet__buy')[0]!, 'tap', {})
  await until(() => log.navigateTo.length > 0)
  expect(log.navigateTo.at(-1)).toMatch(
    new RegExp(`^/packages/goods/detail/index\\?id=p_[0-9a-f]+&roomId=${roomId}&sharerId=${sharer.user.id}$`),
  )
  tap(page, 'bottom-sheet__mask')
  await until(() => !page.text().includes('直播商品'))

  // × hides the card; the card's 去抢购 opened the same product page before.
  tap(page, 'explaining__hide')
  await until(() => byClass(page, 'explaining').length === 0)
  unload(page)
}, 60_000)

test('share: the card says the room is live and names me as the sharer; the share button offers the friend share and the poster', async () => {
  const page = loadPage(ROUTE, { id: roomId }, { apiBase: stack.url, log })
  await page.waitForText('人看过')
  const me = (await stack.ok('auth', { action: 'me' }, appToken())).user
  await until(() => (page.instance.onShareAppMessage?.({ from: 'button' })?.path ?? '').includes('sharerId='))
  const card = page.instance.onShareAppMessage({ from: 'button' })
  expect(card.title).toBe(`正在直播｜${TITLE}`)
  expect(card.path).toBe(`/packages/live/room/index?id=${roomId}&sharerId=${me.id}`)
  expect(card.imageUrl).toMatch(/\/media\//)
  tap(page, 'room-bottom__btn--share')
  await page.waitForText('分享给好友', '生成分享海报')
  tap(page, 'bottom-sheet__mask')
  // Opened with no page below it (a shared card), ✕ leads to the 直播 list.
  tap(page, 'room-top__close')
  await until(() => log.navigateTo.includes('/packages/live/list/index'))
  unload(page)
}, 60_000)

test('entering by the poster code (scene): the room opens and its sharer is credited; an upcoming room counts down and takes a 预约', async () => {
  const posterSharer = await stack.login('poster-sharer', '海报分享人')
  const scene = encodeScene(upcomingId, posterSharer.user.id)!
  const page = loadPage(ROUTE, { scene }, { apiBase: stack.url, log })
  await page.waitForText('周末茶器专场', '开播', '距开播', '预约开播提醒')
  expect((await stack.ok('live', { action: 'leaderboard', roomId: upcomingId }, posterSharer.token)).me.invites).toBe(1)
  // No comment input, likes or goods card before the show.
  expect(byClass(page, 'room-bottom__input')).toHaveLength(0)
  expect(byClass(page, 'room-bottom__btn--like')).toHaveLength(0)
  const card = page.instance.onShareAppMessage({ from: 'button' })
  expect(card.title).toMatch(/^直播预告｜周末茶器专场 \d{1,2}月\d{1,2}日 \d\d:\d\d 开播$/)
  page.tapText('预约开播提醒')
  await page.waitForText('已预约')
  unload(page)
}, 60_000)

test('a coupon dropped while I watch pops up within one poll and turns 已领取 as soon as I claim it; a lottery committed, then drawn, reaches me within one poll', async () => {
  const page = loadPage(ROUTE, { id: roomId }, { apiBase: stack.url, log })
  await page.waitForText('人看过', '讲解中')
  const { couponId } = await stack.ok(
    'admin',
    { action: 'createCoupon', title: '直播间惊喜券', kind: 'fixed', valueFen: 800, thresholdFen: 0, stock: 50, perUserLimit: 1, roomId },
    admin,
  )
  await stack.ok('admin', { action: 'dropCoupon', roomId, couponId }, admin)
  expect(await pollsToShow(page, '直播间惊喜券', '立即领取')).toBeLessThanOrEqual(1)

  // With polling stopped (the page hidden), the claim's own sync turns the pop-up to 已领取.
  page.instance.onHide()
  const popup = () => byClass(page, 'coupon-popup')[0]?.textContent ?? ''
  await until(() => popup().includes('直播间惊喜券'))
  tap(page, 'coupon-popup__btn')
  await until(() => popup().includes('已领取'))
  expect(log.toasts).toContain('领取成功')
  const view = (await stack.ok('live', { action: 'sync', roomId }, appToken())).room
  expect(view.coupons.find((c: { couponId: string }) => c.couponId === couponId).state).toBe('claimed')
  page.instance.onShow()

  // A lottery among the viewers, committed: its icon within one poll; drawn: the result opens by itself.
  const { lotteryId } = await stack.ok(
    'admin',
    { action: 'commitLottery', roomId, winners: 100, pool: 'viewers', prize: '明前龙井一罐' },
    admin,
  )
  expect(await pollsToShow(page, '明前龙井一罐', '待开奖')).toBeLessThanOrEqual(1)
  await stack.ok('admin', { action: 'drawLottery', lotteryId }, admin)
  expect(await pollsToShow(page, '开奖结果', '恭喜你中奖了！', '中奖名单：')).toBeLessThanOrEqual(1)
  // Winners by masked nickname, never by id.
  expect(page.text()).not.toMatch(/u_[0-9a-f]{16}/)
  page.tapText('验证')
  await page.waitForText('验证通过：种子与承诺一致，中奖结果可复算')
  unload(page)
}, 60_000)

test('a room that does not exist says so, with a way out (the page has no navigation bar)', async () => {
  const page = loadPage(ROUTE, { id: 'r_0000000000000000' }, { apiBase: stack.url, log })
  await page.waitForText('直播间不存在', '重试', '返回直播列表')
  page.tapText('返回直播列表')
  await until(() => log.navigateTo.includes('/packages/live/list/index'))
  unload(page)
}, 30_000)

test('a room ending while I watch: within one poll the replay plays with controls, no 讲解中, no input, 直播已结束', async () => {
  const page = loadPage(ROUTE, { id: roomId }, { apiBase: stack.url, log })
  await page.waitForText('讲解中', '直播中')
  expect(byClass(page, 'room-bottom__input')).toHaveLength(1)
  // While live: a looping stream without VOD controls, seek bar or center play button.
  expect(videos(page)).toEqual([
    expect.objectContaining({ controls: false, 'show-progress': false, 'show-center-play-btn': false, autoplay: true, loop: true }),
  ])
  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'ended' }, admin)
  expect(await pollsToShow(page, '直播已结束')).toBeLessThanOrEqual(1)
  const text = page.text()
  expect(text).not.toContain('讲解中')
  expect(text).not.toContain('直播中')
  expect(byClass(page, 'room-bottom__input')).toHaveLength(0)
  expect(byClass(page, 'explaining')).toHaveLength(0)
  // The replay: a normal video, its controls back; no sound toggle of the live stream.
  await until(() => videos(page)[0]?.controls === true)
  expect(byClass(page, 'stream-view__sound')).toHaveLength(0)
  // The goods that were shown stay, none 讲解中.
  tap(page, 'room-bottom__bag')
  await page.waitForText('直播商品 2', '明前龙井 特级', '紫砂壶 西施壶 220ml')
  expect(page.text()).not.toContain('讲解中')
  expect(page.instance.onShareAppMessage({ from: 'button' }).title).toBe(`直播回放｜${TITLE}`)
  unload(page)
}, 60_000)

/**
 * A slow or broken network between the phone and the stack, for live.sync only: each sync waits
 * `delayMs`, then waits on while `held` (or is cut when `down`); the proxy counts how many are on
 * their way at once and how many were answered.
 */
async function flakyProxy(target: string) {
  const http = await import('node:http')
  const state = { delayMs: 0, down: false, held: false, inFlight: 0, maxInFlight: 0, answered: 0 }
  let waiting: Array<() => void> = []
  const release = () => {
    state.held = false
    const go = waiting
    waiting = []
    for (const forward of go) forward()
  }
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      const isSync = req.url === '/api/fn/live' && /"action":"sync"/.test(body)
      const forward = () => {
        if (isSync && state.down) {
          state.inFlight--
          req.socket.destroy()
          return
        }
        const up = http.request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers)
          r.pipe(res)
          r.on('end', () => {
            if (isSync) {
              state.inFlight--
              state.answered++
            }
          })
        })
        up.end(body)
      }
      if (!isSync) return forward()
      state.inFlight++
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight)
      setTimeout(() => (state.held ? waiting.push(forward) : forward()), state.delayMs)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    release,
    // Kept-alive sockets (the page's and ours to the stack) would keep close() from ever returning.
    close: () =>
      new Promise((r) => {
        server.close(r)
        server.closeAllConnections()
      }),
  }
}

test('a slow network: one live.sync in flight at a time; 领取中… ends with the claim; an older answer never undoes 已领取; failed polls say 正在重连 until one succeeds', async () => {
  const proxy = await flakyProxy(stack.url)
  try {
    // A room of its own: the file's other tests end theirs.
    const { roomId: slowRoom } = await stack.ok(
      'admin',
      { action: 'createLiveRoom', title: '慢网夜场', startsAt: new Date(Date.now() + 60_000).toISOString(), streamUrl: '/media/demo.mp4' },
      admin,
    )
    await stack.ok('admin', { action: 'setLiveStatus', roomId: slowRoom, status: 'live' }, admin)
    const log = newLog()
    const page = loadPage('packages/live/room/index', { id: slowRoom }, { apiBase: proxy.url, log })
    await page.waitForText('好茶小铺', '直播中')
    // Each sync takes 3 polls' time: the ticks in between send nothing.
    proxy.state.delayMs = 3 * 2000
    const { couponId } = await stack.ok(
      'admin',
      {
        action: 'createCoupon',
        title: '慢网专享券',
        kind: 'fixed',
        valueFen: 300,
        thresholdFen: 0,
        stock: 10,
        perUserLimit: 1,
        roomId: slowRoom,
      },
      admin,
    )
    await stack.ok('admin', { action: 'dropCoupon', roomId: slowRoom, couponId }, admin)
    await page.waitForText('慢网专享券', '立即领取')
    // A sync (sent before the claim) is on its way and held there: only the claim can answer.
    proxy.state.held = true
    await until(() => proxy.state.inFlight === 1, 20_000)
    const answeredAtTap = proxy.state.answered
    page.tapText('立即领取')
    await page.waitForText('已领取')
    expect(proxy.state.answered).toBe(answeredAtTap)
    // Two poll ticks go by with that sync still on its way: they send nothing (a loaded machine
    // only runs them later, which cannot make a second sync appear).
    await new Promise((r) => setTimeout(r, 2 * 2000 + 500))
    expect(proxy.state.inFlight).toBe(1)
    // The older answer lands after the claim and the next one after it: neither brings 立即领取 back.
    proxy.release()
    while (proxy.state.answered < answeredAtTap + 2) {
      expect(page.text()).not.toContain('立即领取')
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(page.text()).not.toContain('立即领取')
    expect(proxy.state.maxInFlight).toBe(1)

    // The network goes: after two failed polls the room says so; back, the line goes.
    proxy.state.delayMs = 0
    proxy.state.down = true
    await page.waitForText('网络不给力，正在重连…')
    const answeredDown = proxy.state.answered
    proxy.state.down = false
    // The first sync answered takes the line away (counted at the proxy, not timed).
    await until(() => !page.text().includes('网络不给力') || proxy.state.answered > answeredDown + 1, 30_000)
    expect(page.text()).not.toContain('网络不给力')
    expect(proxy.state.maxInFlight).toBe(1)
    unload(page)
  } finally {
    await proxy.close()
  }
}, 120_000)
