/**
 * The console's sign-in as the phone plays it, on the built weapp against a real stack: the page a
 * scanned code opens asks 登录商家后台？ with the role and the code's expiry; 确认登录 (tapped twice,
 * sent once) lets the console's poll in as that staff member; 取消 and an expired or used code end
 * there; a shopper who scans it is told they have no access and the ticket stays unanswered.
 */
import type { ConsoleTicket } from '../../cloud/contract'
import { sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'
import { appToken, loadPage, newLog, unloadPage, type WxLog } from '../helpers/weapp'

const PAGE = 'packages/user/console-login/index'

let stack: Stack
let log: WxLog
let owner: string

const env = () => ({ apiBase: stack.url, log })
const newTicket = (): Promise<ConsoleTicket> => stack.ok('auth', { action: 'consoleTicket' })
/** The console's poll, as the browser on the computer sends it. */
const poll = async (t: ConsoleTicket) => {
  const r = await stack.post('/admin/api/login/poll', { ticket: t.ticket, secret: t.secret })
  if (!r.body.ok) throw new Error(`poll refused: ${JSON.stringify(r.body.error)}`)
  return r.body.data as { status: string; session: { user: { id: string; role: string } } | null }
}
/** WeChat hands a mini-program code's scene to the page URL-encoded. */
const open = (t: ConsoleTicket) => loadPage(PAGE, { scene: encodeURIComponent(t.scene) }, env())
const confirms = () => log.requests.filter((r) => r.endsWith(' consoleConfirm')).length
/** HH:mm of an instant in the shop's clock (Asia/Shanghai, UTC+8), whatever the machine's zone. */
const hhmm = (iso: string) => {
  const d = new Date(Date.parse(iso) + 8 * 3600_000)
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`
}
const expire = (t: ConsoleTicket) =>
  sql(stack, `UPDATE console_tickets SET expires_at = now() - interval '1 second' WHERE id = $1`, [t.ticket])

beforeAll(async () => {
  stack = await startStack()
  owner = (await stack.login('admin')).token
}, 90_000)
afterAll(() => stack?.stop())
beforeEach(() => {
  log = newLog()
})

test('a shopper who scans the code signs in as usual and is told 你没有商家后台权限; the ticket stays unanswered', async () => {
  const t = await newTicket()
  expect(t.page).toBe(PAGE)
  const page = open(t)
  const text = await page.waitForText('你没有商家后台权限', '返回首页')
  expect(log.requests).toContain('wx.login') // the app's own sign-in, nothing special for this page
  expect(text).not.toContain('确认登录')
  expect((await poll(t)).status).toBe('waiting')
  page.tapText('返回首页')
  await until(() => log.switchTab.includes('/pages/index/index'))
  unloadPage(page)
}, 60_000)

test('staff: 登录商家后台？ with the role and expiry; 确认登录 tapped twice is sent once and the console signs in as them', async () => {
  // The owner makes the phone's user (the shopper of the test above) an operator.
  const { user } = await stack.ok('auth', { action: 'me' }, appToken())
  const [{ openid }] = await sql(stack, 'SELECT openid FROM users WHERE id = $1', [user.id])
  await stack.ok('admin', { action: 'setStaff', openid, role: 'operator' }, owner)

  const t = await newTicket()
  // The expiry reads in the shop's clock even on a phone set to another time zone.
  const tz = process.env.TZ
  process.env.TZ = 'America/New_York'
  const page = open(t)
  let text: string
  try {
    text = await page.waitForText('登录商家后台？', '运营', `${hhmm(t.expiresAt)} 前有效`, '确认登录', '取消')
  } finally {
    if (tz === undefined) delete process.env.TZ
    else process.env.TZ = tz
  }
  // Where the sign-in happens: the browser that asked for the code, and its address.
  expect(text).toMatch(/登录设备：.+127\.0\.0\.1/)
  expect(text).not.toContain('你没有商家后台权限')
  expect((await poll(t)).status).toBe('scanned') // the console now says 已扫码，请在手机上确认

  page.tapText('确认登录')
  page.tapText('确认登录')
  await page.waitForText('已登录，请在电脑上继续操作')
  expect(confirms()).toBe(1)
  const answer = await poll(t)
  expect(answer.status).toBe('confirmed')
  expect(answer.session?.user).toMatchObject({ id: user.id, role: 'operator' })
  unloadPage(page)

  // Opened again, the code is spent.
  const again = open(t)
  await again.waitForText('二维码已使用')
  expect(again.text()).not.toContain('确认登录')
  unloadPage(again)
}, 60_000)

test('取消 turns the sign-in down: 已取消登录, and the console never gets in', async () => {
  const t = await newTicket()
  const page = open(t)
  await page.waitForText('登录商家后台？', '取消')
  page.tapText('取消')
  await page.waitForText('已取消登录', '返回首页')
  expect(page.text()).not.toContain('已登录')
  expect(await poll(t)).toMatchObject({ status: 'rejected', session: null })
  unloadPage(page)
}, 60_000)

test('an expired code says so, whether it expired before the scan or while the question was shown', async () => {
  const before = await newTicket()
  await expire(before)
  const page = open(before)
  await page.waitForText('二维码已过期，请在电脑上刷新二维码')
  expect(page.text()).not.toContain('确认登录')
  unloadPage(page)

  const during = await newTicket()
  const asking = open(during)
  await asking.waitForText('登录商家后台？', '确认登录')
  await expire(during)
  asking.tapText('确认登录')
  await asking.waitForText('二维码已过期，请在电脑上刷新二维码')
  expect((await poll(during)).session).toBeNull()
  unloadPage(asking)
}, 60_000)

test('a page opened without a ticket says the code is invalid and calls nothing', async () => {
  const page = loadPage(PAGE, {}, env())
  await page.waitForText('二维码无效')
  expect(log.requests.filter((r) => r.includes('console'))).toEqual([])
  unloadPage(page)
}, 60_000)
