/**
 * 确认收款 with WeChat Pay 商家转账 on the built weapp: the host takes WeChat Pay (a local fake of its
 * API), the owner approves, 我的收益 offers 确认收款 and calls wx.requestMerchantTransfer with the
 * merchant number, the AppID and the bill's package_info; the withdrawal is paid only when WeChat's
 * signed notify comes. A user closing WeChat's page is told so, and nothing changes.
 */
import { createProduct, key, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'
import { appToken, loadPage, newLog, unloadPage } from '../helpers/weapp'
import { APP_ID, MCH_ID, rsaKeyPair, transaction, wechatNotify } from '../helpers/wechatpay'
import { fakeWeChatPay, transferNotify, wechatPayEnv, type FakeWeChatPay } from '../helpers/wechatpay-server'

const merchant = rsaKeyPair()
const platform = rsaKeyPair()
let wechat: FakeWeChatPay
let stack: Stack
let owner: string

beforeAll(async () => {
  wechat = await fakeWeChatPay(merchant.publicKey)
  stack = await startStack({ env: { REFUND_WINDOW_DAYS: '0', JOB_INTERVAL_MS: '100', ...wechatPayEnv(wechat.url, merchant, platform) } })
  owner = (await stack.login('admin')).token
}, 90_000)
afterAll(async () => {
  await stack?.stop()
  await wechat?.close()
})

/** The `wx` the pages call (miniprogram-simulate's, holding the fake's functions): where WeChat's part is played. */
const phoneWx = () => (globalThis as any).wx as Record<string, unknown>

const postNotify = (path: string, n: { headers: Record<string, string>; body: string }) =>
  fetch(`${stack.url}${path}`, { method: 'POST', headers: n.headers, body: n.body }).then((r) => r.status)

test('确认收款 calls wx.requestMerchantTransfer with the bill; WeChat’s notify pays it', async () => {
  const log = newLog()
  let page = loadPage('packages/deal/earnings/index', {}, { apiBase: stack.url, log })
  await page.waitForText('可提现 ¥0.00')
  unloadPage(page)
  const me = (await stack.ok('auth', { action: 'me' }, appToken())).user

  // A friend's order through the user's share, paid by WeChat Pay's signed notify, settles 50 %.
  const productId = await createProduct(stack, owner, { priceFen: 10_000, stock: 10, commissionRate: 0.5 })
  const buyer = await stack.login('wx-page-buyer')
  await stack.ok('catalog', { action: 'get', productId, sharerId: me.id }, buyer.token)
  const { orderId, payableFen } = await stack.ok(
    'order',
    { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() },
    buyer.token,
  )
  await stack.ok('order', { action: 'pay', orderId }, buyer.token)
  const paid = wechatNotify({ platformKey: platform.privateKey, transaction: transaction({ orderId, amountFen: payableFen }) })
  expect(await postNotify('/api/pay/notify/wechat', paid)).toBe(200)
  await until(async () => (await stack.ok('earnings', { action: 'mine' }, appToken())).settledFen === 5000 || undefined, 15_000)

  const { withdrawal } = await stack.ok('earnings', { action: 'withdraw', amountFen: 2000, idempotencyKey: key() }, appToken())
  await stack.ok('admin', { action: 'approveWithdrawal', withdrawalId: withdrawal.id }, owner)
  const bill = wechat.bills.get(`WD${withdrawal.id.replace('_', '')}`)!
  expect(bill).toMatchObject({ transfer_amount: 2000, state: 'WAIT_USER_CONFIRM' })

  page = loadPage('packages/deal/earnings/index', {}, { apiBase: stack.url, log })
  await page.waitForText('提现 ¥20.00 · 待确认收款', '确认收款')

  // The user closes WeChat's page: told so, still waiting.
  const asked: Array<Record<string, unknown>> = []
  phoneWx().requestMerchantTransfer = (o: any) => {
    asked.push({ mchId: o.mchId, appId: o.appId, package: o.package })
    o.fail?.({ errMsg: 'requestMerchantTransfer:fail cancel' })
  }
  page.tapText('确认收款')
  await until(() => log.toasts.includes('已取消确认收款'))
  expect((await sql(stack, 'SELECT status FROM withdrawals WHERE id = $1', [withdrawal.id]))[0].status).toBe('transferring')

  // Confirmed: WeChat pays and notifies the host.
  phoneWx().requestMerchantTransfer = (o: any) => {
    asked.push({ mchId: o.mchId, appId: o.appId, package: o.package })
    void postNotify('/api/pay/notify/wechat-transfer', transferNotify(platform.privateKey, bill, 'SUCCESS')).then(() =>
      o.success?.({ errMsg: 'requestMerchantTransfer:ok' }),
    )
  }
  page.tapText('确认收款')
  await page.waitForText('提现 ¥20.00 · 已到账')
  expect(asked).toEqual([
    { mchId: MCH_ID, appId: APP_ID, package: `pkg_${bill.transfer_bill_no}` },
    { mchId: MCH_ID, appId: APP_ID, package: `pkg_${bill.transfer_bill_no}` },
  ])
  expect((await sql(stack, 'SELECT status FROM withdrawals WHERE id = $1', [withdrawal.id]))[0].status).toBe('paid')
  unloadPage(page)
}, 90_000)
