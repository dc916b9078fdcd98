/** The live room page on the built weapp in miniprogram-simulate, against a real seeded stack. */
import { sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { loadPage, newLog, unloadPage } from '../helpers/weapp'

let stack: Stack
let roomId: string

beforeAll(async () => {
  stack = await startStack({ seed: true })
  const { token } = await stack.login('lookup')
  roomId = (await stack.ok('live', { action: 'list' }, token)).live[0].id
}, 90_000)
afterAll(() => stack?.stop())

test('the room: the pinned goods card, a comment window of the latest 50, the leaderboard with my rank, small setData', async () => {
  const chatter = await stack.login('chatter', '茶友小王')
  await stack.ok('live', { action: 'enter', roomId }, chatter.token)
  // 200 earlier comments, written straight to the database: one viewer may post 3 at once, then one per 2 s.
  await sql(
    stack,
    `INSERT INTO room_comments (room_id, user_id, nickname, text)
     SELECT $1, $2, '茶友小王', '第' || i || '条评论' FROM generate_series(0, 199) AS i ORDER BY i`,
    [roomId, chatter.user.id],
  )
  const sharer = await stack.login('top-sharer', '分享达人')
  for (let i = 0; i < 3; i++) {
    const v = await stack.login(`room-viewer-${i}`)
    await stack.ok('live', { action: 'enter', roomId, sharerId: sharer.user.id }, v.token)
  }

  const log = newLog()
  const page = loadPage('packages/live/room/index', { id: roomId, sharerId: sharer.user.id }, { apiBase: stack.url, log })
  const text = await page.waitForText(
    '春茶品鉴 · 明前龙井现场冲泡',
    '商品袋',
    '讲解中',
    '明前龙井 特级',
    '¥128.00',
    '第199条评论',
    '分享排行榜',
    '分享达人',
    '4 人',
  )
  // The pinned card comes first on the shelf.
  expect(text.indexOf('明前龙井 特级')).toBeLessThan(text.indexOf('紫砂壶 西施壶 220ml'))
  // Only the latest 50 comments are on screen.
  expect(text).toContain('第150条评论')
  expect(text).not.toContain('第149条评论')
  // Entering through the sharer's link credited them: 3 earlier viewers and this one.
  expect(text).toContain('我还未上榜')

  page.tapText('明前龙井 特级')
  expect(log.navigateTo.at(-1)).toMatch(
    new RegExp(`^/packages/goods/detail/index\\?id=p_[0-9a-f]+&roomId=${roomId}&sharerId=${sharer.user.id}$`),
  )

  // A new comment arrives through polling. It takes the oldest comment's slot: the setData of that
  // poll carries one row, not the 50 on screen, and the row shows last.
  const posted = page.setData.length
  await stack.ok('live', { action: 'comment', roomId, text: '主播好！' }, chatter.token)
  await page.waitForText('主播好！')
  expect(page.text()).not.toContain('第150条评论')
  expect(Math.max(...page.setData.slice(posted).map((r) => r.bytes))).toBeLessThan(1024)
  const rows = (Array.from(page.root.dom.querySelectorAll('*')) as Element[]).filter((el) => /\broom-comments__item\b/.test(el.className))
  expect(rows).toHaveLength(50)
  const shown = rows
    .map((row) => ({ order: Number(/order:\s*(\d+)/.exec(row.getAttribute('style') ?? '')?.[1]), text: row.textContent!.trim() }))
    .sort((a, b) => a.order - b.order)
    .map((r) => r.text)
  expect(shown[0]).toBe('茶友小王：第151条评论')
  expect(shown.at(-1)).toBe('茶友小王：主播好！')

  const start = Date.now()
  const before = page.setData.filter((r) => r.at >= start).length
  await new Promise((r) => setTimeout(r, 4500))
  const calls = page.setData.filter((r) => r.at >= start).length - before
  // WeChat's audit limits: under 20 setData calls a second and 256 KB a call.
  expect(calls / 4.5).toBeLessThan(20)
  expect(Math.max(...page.setData.map((r) => r.bytes))).toBeLessThan(256 * 1024)
  unloadPage(page)
}, 60_000)

test('the lottery panel shows the commitment before the draw and verifies the draw on the device', async () => {
  const admin = (await stack.login('admin')).token
  const { lotteryId, commitment } = await stack.ok(
    'admin',
    { action: 'commitLottery', roomId, winners: 2, pool: 'viewers', prize: '紫砂壶一把' },
    admin,
  )
  const log = newLog()
  const page = loadPage('packages/live/room/index', { id: roomId }, { apiBase: stack.url, log })
  await page.waitForText('紫砂壶一把', `承诺值：${commitment}`, '待开奖')
  await stack.ok('admin', { action: 'drawLottery', lotteryId }, admin)
  // The next change of the room (a pushed product) reloads the panel.
  const { items } = await stack.ok('catalog', { action: 'list', limit: 50 }, admin)
  await stack.ok('admin', { action: 'pushGoods', roomId, productId: items.find((p: any) => p.title === '每日坚果').id }, admin)
  await page.waitForText('种子：', '验证')
  page.tapText('验证')
  await page.waitForText('验证通过：种子与承诺一致，中奖结果可复算')
  unloadPage(page)
}, 60_000)
