/**
 * The mall home opened from a guide's code (导购码), in miniprogram-simulate on the built weapp: WeChat
 * hands the page the code's scene; the home records the guide's share touch, so the shopper's next
 * order names the guide as its sharer.
 */
import { sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'
import { appToken, loadPage, newLog, unloadPage } from '../helpers/weapp'

let stack: Stack

beforeAll(async () => {
  stack = await startStack({ seed: true })
}, 90_000)
afterAll(() => stack?.stop())

test('the home opened with a guide code’s scene records the guide as the sharer; the same home without one records nothing and shares with the shopper as the sharer', async () => {
  const owner = (await stack.login('admin')).token
  await stack.ok('admin', { action: 'setStaff', openid: 'scene-guide', role: 'guide' }, owner)
  const guide = (await stack.login('scene-guide', '导购小林')).token
  const code = await stack.ok('admin', { action: 'guideCode' }, guide)
  const scene = new URL(new URL(code.code, 'http://x').searchParams.get('text')!.replace('#/', '')).searchParams.get('scene')!

  const log = newLog()
  const page = loadPage('pages/index/index', { scene: encodeURIComponent(scene) }, { apiBase: stack.url, log })
  await page.waitForText('为你推荐', '新人尝鲜 三款试饮装')
  const me = (await stack.ok('auth', { action: 'me' }, appToken())).user
  const touches = await sql(stack, 'SELECT sharer_id FROM share_touches WHERE user_id = $1', [me.id])
  expect(touches).toEqual([{ sharer_id: code.userId }])
  unloadPage(page)

  // Opened plainly (a tab tap), the home touches nobody.
  await sql(stack, 'DELETE FROM share_touches WHERE user_id = $1', [me.id])
  const plain = loadPage('pages/index/index', {}, { apiBase: stack.url, log: newLog() })
  await plain.waitForText('为你推荐', '新人尝鲜 三款试饮装')
  expect(await sql(stack, 'SELECT sharer_id FROM share_touches WHERE user_id = $1', [me.id])).toEqual([])
  // Shared from here, the home names the shopper as the sharer, as a product page's share does.
  const shared = () => plain.instance.onShareAppMessage({ from: 'menu' }).path as string
  await until(() => shared().includes('sharerId='))
  expect(shared()).toBe(`/pages/index/index?sharerId=${me.id}`)
  unloadPage(plain)
}, 60_000)
