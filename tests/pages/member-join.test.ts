/**
 * The ways into membership on the built weapp, against a real stack: 手机号快捷开通 is WeChat's
 * getPhoneNumber button behind the privacy prompt (its code goes to member.joinByPhone; a refusal
 * changes nothing), and the 企业微信 QR (long-press to recognise) turns into 已添加 once the sandbox
 * WeCom's signed event reached the callback.
 */
import fs from 'node:fs'
import path from 'node:path'
import { sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'
import { appToken, DIST, elements, fire, loadPage, needPrivacyAuthorization, newLog, unloadPage, type LoadedPage } from '../helpers/weapp'

let stack: Stack

beforeAll(async () => {
  stack = await startStack()
}, 90_000)
afterAll(() => stack?.stop())

/** The shopper the app signed in as (the app signs in at launch; this page makes no call before a tap). */
const myId = async () => {
  await until(() => Boolean(appToken()))
  return (await stack.ok('auth', { action: 'me' }, appToken())).user.id as string
}
const membership = async () =>
  (await sql(stack, 'SELECT phone, membership_active(m) AS active FROM memberships m WHERE user_id = $1', [await myId()]))[0] ?? null

/** The first node of Taro's rendered data (`cn`: children) that `match`es. */
function findNode(node: any, match: (n: any) => boolean): any {
  if (match(node)) return node
  for (const child of node?.cn ?? []) {
    const found = findNode(child, match)
    if (found) return found
  }
  return null
}

/** WeChat's part when the getPhoneNumber button is tapped: the privacy pause first, then the button's event. */
function tapPhoneButton(page: LoadedPage, code: string) {
  const button = elements(page).find((e) => /member-join__phone-button/.test(e.className))
  if (!button) throw new Error('no getPhoneNumber button')
  needPrivacyAuthorization('getPhoneNumber', (answer) =>
    fire(
      button,
      'getphonenumber',
      answer.event === 'agree'
        ? { errMsg: 'getPhoneNumber:ok', code }
        : { errMsg: 'getPhoneNumber:fail privacy permission is not authorized' },
    ),
  )
}

test('手机号快捷开通: the privacy prompt first; 拒绝 changes nothing, 同意 lets the code make the shopper a member', async () => {
  const log = newLog()
  const page = loadPage('packages/user/member/index', {}, { apiBase: stack.url, log })
  await page.waitForText('手机号快捷开通', '验证微信绑定的手机号', '添加企业微信成为朋友会员')
  // The weapp uses WeChat's button, never the sandbox's form.
  expect(page.text()).not.toContain('沙箱环境')

  tapPhoneButton(page, 'sandbox-phone:13811112222')
  await page.waitForText('用户隐私保护提示', '获取手机号前，请仔细阅读')
  page.tapText('拒绝')
  await until(() => log.toasts.some((t) => t.includes('同意《用户隐私保护指引》后才能获取手机号')))
  expect(await membership()).toBeNull()

  tapPhoneButton(page, 'sandbox-phone:13811112222')
  await page.waitForText('获取手机号前，请仔细阅读')
  fire(
    elements(page).find((e) => e.id === 'privacy-agree' || (e.textContent ?? '').trim() === '同意')!,
    'agreeprivacyauthorization',
    {},
  )
  // The way's own answer, and the member card read again (onJoined refreshes the page's status).
  await page.waitForText('已开通会员，手机号 138****2222', '已绑定手机 138****2222')
  expect(await membership()).toEqual({ phone: '13811112222', active: true })
  unloadPage(page)
}, 60_000)

test('a refused code and a cancelled prompt are told plainly', async () => {
  const log = newLog()
  const page = loadPage('packages/user/member/index', {}, { apiBase: stack.url, log })
  await page.waitForText('添加企业微信成为朋友会员')
  const button = elements(page).find((e) => /member-join__phone-button/.test(e.className))!
  fire(button, 'getphonenumber', { errMsg: 'getPhoneNumber:fail user deny' })
  await until(() => log.toasts.some((t) => t.includes('已取消')))
  fire(button, 'getphonenumber', { errMsg: 'getPhoneNumber:ok', code: 'expired-code' })
  await page.waitForText('手机号验证已失效，请重新点击获取')
  unloadPage(page)
}, 30_000)

test('the 企业微信 QR can be long-pressed; 模拟添加 in the sandbox makes the shopper a 朋友会员', async () => {
  const log = newLog()
  const page = loadPage('packages/user/member/index', {}, { apiBase: stack.url, log })
  await page.waitForText('显示企业微信二维码')
  page.tapText('显示企业微信二维码')
  await page.waitForText('长按识别二维码，添加后自动开通', '等待添加…', '模拟添加（沙箱）')
  // The image's long press (识别二维码) is its show-menu-by-longpress, which Taro's template reads from a short key.
  const key = /<image [^>]*show-menu-by-longpress="\{\{xs\.b\(i\.(p\d+)/.exec(fs.readFileSync(path.join(DIST, 'base.wxml'), 'utf8'))![1]!
  const qr = findNode(page.instance.data.root, (n) => n.cl === 'member-join__qr')
  expect(qr).toMatchObject({ [key]: true, p4: expect.stringContaining('/media/qr.svg?text=') })
  page.tapText('模拟添加（沙箱）')
  await page.waitForText('已添加企业微信，你已是朋友会员', '已添加企业微信（朋友会员）')
  expect((await stack.ok('member', { action: 'wecomContact' }, appToken())).added).toBe(true)
  unloadPage(page)
}, 30_000)
