/**
 * 提现审核 in the console (dist/admin) in chromium at a desktop's size: two sharers ask for
 * withdrawals; the owner approves one (the confirm names the amount and the person, and it moves to
 * 待确认收款 until the user confirms receipt) and rejects the other (a reason is required; the user
 * reads it and gets the amount back); a row decided elsewhere meanwhile answers the server's refusal
 * and is reloaded.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { DESKTOP, launchChromium } from '../helpers/browser'
import { createProduct, key, payOrder, sql } from '../helpers/mall'
import { ROOT, startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'

let stack: Stack
let browser: Browser
let page: Page
let owner: string

/** A sharer (nickname `name`) with 5000 fen settled from a friend's order, and a withdrawal of `amountFen` asked. */
async function sharerAsking(openid: string, name: string, amountFen: number) {
  const productId = await createProduct(stack, owner, { priceFen: 10_000, stock: 10, commissionRate: 0.5 })
  const sharer = await stack.login(openid, name)
  const buyer = await stack.login(`${openid}-buyer`)
  await stack.ok('catalog', { action: 'get', productId, sharerId: sharer.user.id }, buyer.token)
  const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, buyer.token)
  await payOrder(stack, buyer.token, orderId)
  await until(async () => (await stack.ok('earnings', { action: 'mine' }, sharer.token)).settledFen >= 5000 || undefined, 15_000)
  const { withdrawal } = await stack.ok('earnings', { action: 'withdraw', amountFen, idempotencyKey: key() }, sharer.token)
  return { ...sharer, withdrawalId: withdrawal.id as string }
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist/admin/index.html'))) throw new Error('dist/admin is missing: run `npm run build:admin` first')
  stack = await startStack({ env: { REFUND_WINDOW_DAYS: '0', JOB_INTERVAL_MS: '100' } })
  browser = await launchChromium()
  page = await browser.newPage(DESKTOP)
  owner = (await stack.login('admin')).token
}, 90_000)
afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

const row = (text: string) => page.getByTestId('withdrawal-table').locator('tbody tr', { hasText: text })

test('the owner approves one withdrawal and rejects another with a reason', async () => {
  const li = await sharerAsking('wd-e2e-li', '李分享', 2000)
  const zhao = await sharerAsking('wd-e2e-zhao', '赵推广', 3500)

  const link = await until(() => /\/admin\/login\/once\?token=([\w.-]+)/.exec(stack.output())?.[0], 20_000)
  await page.goto(`${stack.url}${link}`)
  await page.getByRole('button', { name: '进入商家后台' }).click()
  await page.getByTestId('user-menu').waitFor({ timeout: 20_000 })
  await page.getByRole('menuitem', { name: '提现审核' }).click()
  await page.waitForURL(/\/admin\/withdrawals/)

  // 待审核 by default: both, with whose they are and how much.
  await row('李分享').waitFor({ timeout: 15_000 })
  expect(await row('李分享').innerText()).toContain('¥20.00')
  expect(await row('赵推广').innerText()).toContain('¥35.00')
  expect(await row('赵推广').innerText()).toContain('待审核')

  // 通过: the confirm names the person and the amount.
  await row('李分享').getByRole('button', { name: '通过' }).click()
  const confirm = page.getByTestId('approve-confirm')
  await confirm.waitFor()
  expect(await confirm.innerText()).toContain('李分享')
  expect(await confirm.innerText()).toContain('¥20.00')
  // Worded for whichever transfer the host uses (the sandbox here), not naming WeChat Pay.
  expect(await confirm.innerText()).toContain('通过后将发起转账，用户在小程序确认收款后到账')
  expect(await confirm.innerText()).not.toContain('微信支付')
  await page.getByRole('button', { name: '通过并转账' }).click()
  await page.getByText('已通过，等待用户确认收款').waitFor({ timeout: 10_000 })
  await row('李分享').waitFor({ state: 'detached', timeout: 10_000 })
  expect((await sql(stack, 'SELECT status FROM withdrawals WHERE id = $1', [li.withdrawalId]))[0].status).toBe('transferring')

  // 拒绝 needs a reason: without one nothing is sent.
  await row('赵推广').getByRole('button', { name: '拒绝' }).click()
  const dialog = page.getByRole('dialog', { name: '拒绝提现' })
  await dialog.waitFor()
  await dialog.getByRole('button', { name: '拒绝' }).click()
  await dialog.getByText('请填写拒绝原因').waitFor()
  expect((await sql(stack, 'SELECT status FROM withdrawals WHERE id = $1', [zhao.withdrawalId]))[0].status).toBe('pending')
  await dialog.getByLabel('拒绝原因（用户可见）').fill('推广订单存在异常，请联系客服')
  await dialog.getByRole('button', { name: '拒绝' }).click()
  await page.getByText('已拒绝，金额已退回用户余额').waitFor({ timeout: 10_000 })
  await page.getByText('没有待审核的提现').waitFor({ timeout: 10_000 })
  const mine = await stack.ok('earnings', { action: 'withdrawals' }, zhao.token)
  expect(mine.withdrawals[0]).toMatchObject({ status: 'rejected', reason: '推广订单存在异常，请联系客服' })
  expect((await stack.ok('earnings', { action: 'mine' }, zhao.token)).settledFen).toBe(5000)

  // The tabs live in the URL: 待确认收款 shows the approved one, 已拒绝 the reason.
  await page.getByRole('tab', { name: '待确认收款' }).click()
  await page.waitForURL(/status=transferring/)
  await row('李分享').waitFor()
  expect(await row('李分享').innerText()).toContain('待确认收款')
  await page.goto(`${stack.url}/admin/withdrawals?status=rejected`)
  await row('赵推广').waitFor({ timeout: 15_000 })
  expect(await row('赵推广').innerText()).toContain('推广订单存在异常，请联系客服')
}, 120_000)

test('a withdrawal decided elsewhere meanwhile: the server says so and the row is reloaded', async () => {
  const wang = await sharerAsking('wd-e2e-wang', '王小二', 1200)
  await page.goto(`${stack.url}/admin/withdrawals`)
  await row('王小二').waitFor({ timeout: 15_000 })
  // Someone else rejects it first (another console tab).
  await stack.ok('admin', { action: 'rejectWithdrawal', withdrawalId: wang.withdrawalId, reason: '重复申请' }, owner)
  await row('王小二').getByRole('button', { name: '通过' }).click()
  await page.getByRole('button', { name: '通过并转账' }).click()
  await page.getByText('提现状态已变化，请刷新').waitFor({ timeout: 10_000 })
  await row('王小二').waitFor({ state: 'detached', timeout: 10_000 })
  expect((await sql(stack, 'SELECT status FROM withdrawals WHERE id = $1', [wang.withdrawalId]))[0].status).toBe('rejected')
}, 60_000)

test('an approval whose answer is lost: the list is reloaded and shows the truth; 已到账 shows when the money arrived', async () => {
  const chen = await sharerAsking('wd-e2e-chen', '陈一一', 1600)
  await page.goto(`${stack.url}/admin/withdrawals`)
  await row('陈一一').waitFor({ timeout: 15_000 })
  // The approval reaches the server (it approves), but its answer never comes back.
  let approvals = 0
  await page.route('**/admin/api/fn/admin', async (route) => {
    if (route.request().postData()?.includes('"action":"approveWithdrawal"')) {
      approvals++
      await route.fetch()
      await route.abort('connectionreset')
      return
    }
    await route.continue()
  })
  try {
    await row('陈一一').getByRole('button', { name: '通过' }).click()
    await page.getByRole('button', { name: '通过并转账' }).click()
    await page.getByText('网络连接失败，请检查网络后重试').waitFor({ timeout: 10_000 })
    // No retry needed to learn it: the row leaves 待审核 by itself (the list was reloaded).
    await row('陈一一').waitFor({ state: 'detached', timeout: 10_000 })
  } finally {
    await page.unroute('**/admin/api/fn/admin')
  }
  expect(approvals).toBe(1)
  expect((await sql(stack, 'SELECT status FROM withdrawals WHERE id = $1', [chen.withdrawalId]))[0].status).toBe('transferring')

  // The user confirms receipt (the sandbox's 确认收款): it is paid, and 已到账 says when.
  const { withdrawals } = await stack.ok('earnings', { action: 'withdrawals' }, chen.token)
  const w = withdrawals.find((x: any) => x.id === chen.withdrawalId)
  const res = await fetch(w.confirm.confirmUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ body: w.confirm.body }),
  })
  expect(res.status).toBe(200)
  await until(
    async () => (await sql(stack, 'SELECT status FROM withdrawals WHERE id = $1', [chen.withdrawalId]))[0].status === 'paid' || undefined,
  )
  const [{ at }] = await sql(
    stack,
    `SELECT to_char(finished_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS at FROM withdrawals WHERE id = $1`,
    [chen.withdrawalId],
  )
  await page.getByRole('tab', { name: '已到账' }).click()
  await page.waitForURL(/status=paid/)
  await row('陈一一').waitFor({ timeout: 15_000 })
  const table = page.getByTestId('withdrawal-table')
  await table.locator('thead th', { hasText: '到账时间' }).waitFor()
  expect(await row('陈一一').innerText()).toContain(at)
}, 90_000)
