/**
 * 提现 in 我的收益 on the built weapp, against a real stack (sandbox 商家转账): the button waits for ¥1
 * of settled earnings; the amount sheet defaults to all of it and refuses bad amounts in Chinese; a
 * request whose answer was lost is sent again with its key and asked once; the pending one shows
 * 审核中; once approved, 确认收款 confirms at the sandbox (as wx.requestMerchantTransfer does in WeChat)
 * and the record says 已到账; a rejection shows its reason, and the server's refusals are shown.
 */
import { createProduct, key, payOrder, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'
import { appToken, elements, fakeWx, loadPage, newLog, typeInto, unloadPage, type LoadedPage } from '../helpers/weapp'

let stack: Stack
let owner: string

beforeAll(async () => {
  stack = await startStack({ env: { REFUND_WINDOW_DAYS: '0', JOB_INTERVAL_MS: '100' } })
  owner = (await stack.login('admin')).token
}, 90_000)
afterAll(() => stack?.stop())

const byClass = (page: LoadedPage, cls: string) => {
  const el = elements(page).find((e) => new RegExp(`\\b${cls}\\b`).test(e.className))
  if (!el) throw new Error(`no element of class ${cls}`)
  return el
}
/** Types the amount; the page renders it before the next tap. */
const type = (page: LoadedPage, value: string) => typeInto(page, byClass(page, 'earnings__input'), value)
const me = async () => (await stack.ok('auth', { action: 'me' }, appToken())).user.id as string
const myWithdrawals = async () => sql(stack, 'SELECT id, amount_fen, status FROM withdrawals WHERE user_id = $1', [await me()])
const settled = async () => (await stack.ok('earnings', { action: 'mine' }, appToken())).settledFen as number
/** The 提现 button (its class says whether it shows enabled or disabled). */
const withdrawButton = (page: LoadedPage) => {
  const el = elements(page).find((e) => /\bearnings__btn\b/.test(e.className) && (e.textContent ?? '').trim() === '提现')
  if (!el) throw new Error('no 提现 button')
  return el
}
/** The page shown again (onShow), as when the user comes back to it. */
const reshow = (page: LoadedPage) => page.instance.onShow?.()

test('the whole 提现 journey in 我的收益', async () => {
  const log = newLog()
  let page = loadPage('packages/deal/earnings/index', {}, { apiBase: stack.url, log })
  await page.waitForText('可提现 ¥0.00', '满 ¥1 可提现')
  // Disabled looks disabled (grey, not the enabled red) and says why under it.
  expect(withdrawButton(page).className).toMatch(/\bearnings__btn--off\b/)
  // Below ¥1 the button does nothing.
  page.tapText('提现')
  await new Promise((r) => setTimeout(r, 200))
  expect(page.text()).not.toContain('确认提现')
  unloadPage(page)

  // A friend buys through the user's share: 50 % of ¥100 settles.
  const productId = await createProduct(stack, owner, { priceFen: 10_000, stock: 10, commissionRate: 0.5 })
  const buyer = await stack.login('withdraw-page-buyer')
  await stack.ok('catalog', { action: 'get', productId, sharerId: await me() }, buyer.token)
  const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, buyer.token)
  await payOrder(stack, buyer.token, orderId)
  await until(async () => (await settled()) === 5000 || undefined, 15_000)

  page = loadPage('packages/deal/earnings/index', {}, { apiBase: stack.url, log })
  await page.waitForText('可提现 ¥50.00', '提现到微信零钱，审核后到账')
  expect(withdrawButton(page).className).not.toMatch(/\bearnings__btn--off\b/)
  expect(page.text()).not.toContain('满 ¥1 可提现')
  // The ledger names the order by the number the shopper sees elsewhere, never the internal id.
  const [{ order_no: orderNo }] = await sql(stack, 'SELECT order_no FROM orders WHERE id = $1', [orderId])
  await page.waitForText(`订单 ${orderNo}`)
  expect(page.text()).not.toContain(orderId)
  page.tapText('提现')
  await page.waitForText('提现到微信零钱', '确认提现', '单笔至少 ¥1.00')
  // All of it by default.
  // (The amount defaults to all of it: the last step below withdraws without typing.)

  // Bad amounts are refused here, in Chinese, and nothing is sent.
  for (const [text, why] of [
    ['', '请输入提现金额'],
    ['0.5', '单笔提现至少 ¥1.00'],
    ['60', '超过可提现金额'],
    ['1.234', '金额格式不正确（最多两位小数）'],
  ]) {
    await type(page, text!)
    page.tapText('确认提现')
    await page.waitForText(why!)
  }
  expect(log.requests.filter((r) => r.endsWith(' withdraw'))).toHaveLength(0)

  // The answer is lost on the way back: the request went through, the page says the network failed.
  await type(page, '20')
  const realRequest = fakeWx().request
  fakeWx().request = (o: any) =>
    o.data?.action === 'withdraw'
      ? realRequest({ ...o, success: () => o.fail?.({ errMsg: 'request:fail timeout' }), complete: () => undefined })
      : realRequest(o)
  try {
    page.tapText('确认提现')
    await page.waitForText('网络不给力')
  } finally {
    fakeWx().request = realRequest
  }
  expect(await myWithdrawals()).toHaveLength(1)
  // Tapping again sends the same request (its key): still one withdrawal, now shown.
  page.tapText('确认提现')
  await page.waitForText('提现 ¥20.00 · 审核中', '等待商家审核', '可提现 ¥30.00', '提现记录', '有一笔提现处理中')
  expect(withdrawButton(page).className).toMatch(/\bearnings__btn--off\b/)
  const [first] = await myWithdrawals()
  // The withdrawal's ledger line says what it is in words, without the internal id.
  expect(page.text()).not.toContain(first.id)
  expect(await myWithdrawals()).toEqual([{ id: first.id, amount_fen: 2000, status: 'pending' }])
  expect(log.toasts).toContain('提现申请已提交')

  // The owner approves: the user is asked to confirm receipt, and does.
  await stack.ok('admin', { action: 'approveWithdrawal', withdrawalId: first.id }, owner)
  reshow(page)
  await page.waitForText('提现 ¥20.00 · 待确认收款', '确认收款')
  page.tapText('确认收款')
  await page.waitForText('提现 ¥20.00 · 已到账')
  await until(() => log.toasts.includes('已确认收款'))
  expect((await myWithdrawals())[0].status).toBe('paid')
  expect(await settled()).toBe(3000)

  // Another, rejected with a reason: the record shows it and the amount is back.
  page.tapText('提现')
  await page.waitForText('确认提现')
  await type(page, '10')
  page.tapText('确认提现')
  await page.waitForText('提现 ¥10.00 · 审核中')
  await until(() => log.toasts.filter((t) => t === '提现申请已提交').length === 2)
  const second = (await myWithdrawals()).find((w) => w.status === 'pending')!
  await stack.ok('admin', { action: 'rejectWithdrawal', withdrawalId: second.id, reason: '请先完善实名信息' }, owner)
  reshow(page)
  await page.waitForText('提现 ¥10.00 · 已驳回', '原因：请先完善实名信息', '可提现 ¥30.00')

  // The page is stale: another device asked meanwhile. The server's refusal is shown as it says it.
  page.tapText('提现')
  await page.waitForText('确认提现')
  await stack.ok('earnings', { action: 'withdraw', amountFen: 500, idempotencyKey: key() }, appToken())
  await type(page, '10')
  page.tapText('确认提现')
  await page.waitForText('已有一笔提现正在处理，请等待处理完成')
  expect((await myWithdrawals()).filter((w) => w.status === 'pending')).toHaveLength(1)

  // That one rejected, the sheet opened afresh and sent as it opens: all that can be withdrawn.
  const other = (await myWithdrawals()).find((w) => w.status === 'pending')!
  await stack.ok('admin', { action: 'rejectWithdrawal', withdrawalId: other.id, reason: '重复申请' }, owner)
  page.tapText('关闭')
  reshow(page)
  await page.waitForText('提现 ¥5.00 · 已驳回', '可提现 ¥30.00')
  page.tapText('提现')
  await page.waitForText('确认提现')
  page.tapText('确认提现')
  await page.waitForText('提现 ¥30.00 · 审核中', '可提现 ¥0.00')
  expect((await myWithdrawals()).find((w) => w.status === 'pending')).toMatchObject({ amount_fen: 3000 })
  unloadPage(page)
}, 90_000)
