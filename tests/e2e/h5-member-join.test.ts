/**
 * The ways into membership in the H5 build (chromium, phone-sized), against the sandboxes: the
 * phone form (the sandbox's stand-in for getPhoneNumber) makes the shopper a member, and the
 * 企业微信 QR turns into 已添加 once the sandbox WeCom's signed event reached the callback.
 */
import { pageToken, phoneBrowser, stationed } from '../helpers/browser'
import { sql } from '../helpers/mall'

const phone = phoneBrowser({ deviceScaleFactor: 1 })

test('the sandbox phone form: a wrong number is named, a right one makes the shopper a member (shown masked)', async () => {
  const { stack, page } = phone
  await page.goto(`${stack.url}/#/packages/user/member/index`)
  await stationed(page)
  const join = page.locator('.member-join').last()
  await join.getByText('手机号快捷开通').waitFor({ timeout: 15_000 })
  await join.getByText('沙箱环境').waitFor()
  await join.locator('.member-join__input input').fill('12345')
  await join.getByText('验证并开通').click()
  await join.getByText('请输入 11 位中国大陆手机号').waitFor()

  await join.locator('.member-join__input input').fill('13812345678')
  await join.getByText('验证并开通').click()
  await join.getByText('已开通会员，手机号 138****5678').waitFor()
  // The member card, read again after the join, names the phone.
  await page.getByText('已绑定手机 138****5678').waitFor()
  const status = await stack.ok('member', { action: 'wecomContact' }, await pageToken(page))
  expect(status.added).toBe(false)
  const rows = await sql(stack, 'SELECT membership_active(m) AS active, m.phone FROM memberships m WHERE phone = $1', ['13812345678'])
  expect(rows).toEqual([{ active: true, phone: '13812345678' }])
}, 60_000)

test('the 企业微信 QR, 模拟添加 in the sandbox, and the page sees the contact added', async () => {
  const { stack, page } = phone
  const join = page.locator('.member-join').last()
  await join.getByText('显示企业微信二维码').click()
  const qr = join.locator('.member-join__qr img')
  await qr.waitFor({ timeout: 15_000 })
  expect(await qr.getAttribute('src')).toContain('/media/qr.svg?text=')
  await join.getByText('等待添加…').waitFor()
  await join.getByText('模拟添加（沙箱）').click()
  await join.getByText('已添加企业微信，你已是朋友会员').waitFor({ timeout: 15_000 })
  await page.getByText('已添加企业微信（朋友会员）').waitFor()
  const status = await stack.ok('member', { action: 'wecomContact' }, await pageToken(page))
  expect(status.added).toBe(true)
}, 60_000)
