/**
 * 客户 › 会员渠道 in the console (dist/admin) in chromium: the WeCom mode, members by way as the API
 * counts them, a warning for refused callbacks, and the newest WeCom events with their customer.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { DESKTOP, launchChromium, saveConsolePng } from '../helpers/browser'
import { sql } from '../helpers/mall'
import { ROOT, startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'

let stack: Stack
let browser: Browser
let page: Page

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist/admin/index.html'))) throw new Error('dist/admin is missing: run `npm run build:admin` first')
  stack = await startStack()
  browser = await launchChromium()
  page = await browser.newPage(DESKTOP)
  // A phone member, a 朋友会员 (through the sandbox WeCom), and a forged callback.
  const a = await stack.login('ways-phone', '手机会员小王')
  await stack.ok('member', { action: 'joinByPhone', code: 'sandbox-phone:13900001111' }, a.token)
  const b = await stack.login('ways-wecom', '企微会员小李')
  const { sandboxAddUrl } = await stack.ok('member', { action: 'wecomContact' }, b.token)
  await fetch(sandboxAddUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  await fetch(`${stack.url}/api/wecom/callback?msg_signature=${'0'.repeat(40)}&timestamp=1&nonce=n`, {
    method: 'POST',
    body: '<xml><Encrypt><![CDATA[AAAA]]></Encrypt></xml>',
  })
  const link = await until(() => /\/admin\/login\/once\?token=([\w.-]+)/.exec(stack.output())?.[0], 20_000)
  await page.goto(`${stack.url}${link}`)
  await page.getByRole('button', { name: '进入商家后台' }).click()
  await page.waitForURL(/\/admin\/dashboard$/, { timeout: 20_000 })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

test('会员渠道 from 客户: the sandbox mode, members by way, the refused callback, the newest event with its customer', async () => {
  await page.goto(`${stack.url}/admin/customers`)
  await page.getByRole('link', { name: '会员渠道' }).click()
  await page.waitForURL(/\/admin\/customers\/ways$/)
  await page.getByTestId('ways-mode').getByText('沙箱（测试环境）').waitFor()
  await page.getByTestId('ways-members').getByText('2', { exact: true }).waitFor()
  await page.getByTestId('ways-phone').getByText('1', { exact: true }).waitFor()
  await page.getByTestId('ways-wecom').getByText('1', { exact: true }).waitFor()
  await page.getByTestId('ways-refused').getByText('近 24 小时拒收了 1 次企业微信回调').waitFor()
  await page
    .getByTestId('ways-refused')
    .getByText(/签名不符 1 次/)
    .waitFor()
  const row = page.locator('.ant-table-row').first()
  await row.getByText('企微会员小李').waitFor()
  await row.getByText('已生效').waitFor()
  await saveConsolePng(page, 'console-member-ways')

  // A shopper deleting the contact shows up on 刷新.
  const { token } = await stack.login('ways-wecom')
  const [{ state }] = await sql(stack, 'SELECT state FROM wecom_contact_ways')
  await stack.post('/api/sandbox/wecom/remove', { state, createTime: Math.floor(Date.now() / 1000) + 5 })
  expect((await stack.ok('member', { action: 'wecomContact' }, token)).added).toBe(false)
  await page.getByRole('button', { name: /刷\s*新/ }).click()
  await page.getByTestId('ways-ended').getByText('1', { exact: true }).waitFor()
  await page.locator('.ant-table-row').first().getByText('顾客删除了店长').waitFor()
}, 60_000)
