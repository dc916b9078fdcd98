/**
 * Withdrawals paid by WeChat Pay 商家转账 on a host taking WeChat Pay, against a local fake of WeChat
 * Pay (http) that checks each request's merchant signature, keeps one bill per out_bill_no (as WeChat
 * dedupes), and answers WAIT_USER_CONFIRM with package_info. The user's wx.requestMerchantTransfer is
 * then WeChat's business; only its signed, encrypted notify ends the withdrawal (paid, or failed with
 * the amount back), once.
 */
import { createProduct, key, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { APP_ID, MCH_ID, rsaKeyPair, transaction, wechatNotify } from '../helpers/wechatpay'
import {
  fakeWeChatPay,
  transferNotify as signedTransferNotify,
  wechatPayEnv,
  type Bill,
  type FakeWeChatPay,
} from '../helpers/wechatpay-server'

const merchant = rsaKeyPair()
const platform = rsaKeyPair()

let wechat: FakeWeChatPay
let stack: Stack
let owner: string

beforeAll(async () => {
  wechat = await fakeWeChatPay(merchant.publicKey)
  stack = await startStack({
    env: {
      REFUND_WINDOW_DAYS: '0',
      JOB_INTERVAL_MS: '100',
      ...wechatPayEnv(wechat.url, merchant, platform),
    },
  })
  owner = (await stack.login('admin')).token
}, 90_000)
afterAll(async () => {
  await stack?.stop()
  await wechat?.close()
})

const postSigned = (path: string, n: { headers: Record<string, string>; body: string }) =>
  fetch(`${stack.url}${path}`, { method: 'POST', headers: n.headers, body: n.body }).then(async (r) => ({
    status: r.status,
    answer: (await r.json()) as { code: string; message?: string },
  }))

/** A sharer with 5000 settled: their friend's order of 10000 at 50 % paid by a signed WeChat Pay notify. */
async function sharerWith(suffix: string) {
  const productId = await createProduct(stack, owner, { priceFen: 10_000, stock: 10, commissionRate: 0.5 })
  const sharer = await stack.login(`wx-sharer-${suffix}`)
  const buyer = await stack.login(`wx-buyer-${suffix}`)
  await stack.ok('catalog', { action: 'get', productId, sharerId: sharer.user.id }, buyer.token)
  const { orderId, payableFen } = await stack.ok(
    'order',
    { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() },
    buyer.token,
  )
  await stack.ok('order', { action: 'pay', orderId }, buyer.token)
  const paid = await postSigned(
    '/api/pay/notify/wechat',
    wechatNotify({ platformKey: platform.privateKey, transaction: transaction({ orderId, amountFen: payableFen }) }),
  )
  expect(paid.status).toBe(200)
  const deadline = Date.now() + 15_000
  while ((await stack.ok('earnings', { action: 'mine' }, sharer.token)).settledFen < 5000) {
    if (Date.now() > deadline) throw new Error(`order ${orderId} never settled`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return sharer
}

const settled = async (token: string) => (await stack.ok('earnings', { action: 'mine' }, token)).settledFen as number
const statusOf = async (id: string) => (await sql(stack, 'SELECT status FROM withdrawals WHERE id = $1', [id]))[0].status
const billOf = (withdrawalId: string) => `WD${withdrawalId.replace('_', '')}`

/** WeChat's MCHTRANSFER.BILL.FINISHED notify for a bill, signed with the platform key. */
const transferNotify = (bill: Bill, state: string, extra: object = {}) => signedTransferNotify(platform.privateKey, bill, state, extra)

test('approving asks WeChat for a signed transfer bill; the user gets package_info; the signed notify pays it once', async () => {
  const sharer = await sharerWith('ok')
  const { withdrawal } = await stack.ok('earnings', { action: 'withdraw', amountFen: 2000, idempotencyKey: key() }, sharer.token)
  const approved = await stack.ok('admin', { action: 'approveWithdrawal', withdrawalId: withdrawal.id }, owner)
  expect(approved.withdrawal.status).toBe('transferring')

  const asked = wechat.requests.filter((r) => r.path === '/v3/fund-app/mch-transfer/transfer-bills')
  expect(asked).toHaveLength(1)
  expect(asked[0]!.signed).toBe(true)
  expect(JSON.parse(asked[0]!.body)).toEqual({
    appid: APP_ID,
    out_bill_no: billOf(withdrawal.id),
    transfer_scene_id: '1005',
    openid: 'wx-sharer-ok',
    transfer_amount: 2000,
    transfer_remark: '分享收益提现',
    notify_url: 'https://shop.example.com/api/pay/notify/wechat-transfer',
    transfer_scene_report_infos: [
      { info_type: '岗位类型', info_content: '分享推广员' },
      { info_type: '报酬说明', info_content: '分享商品获得的佣金提现' },
    ],
  })
  const bill = wechat.bills.get(billOf(withdrawal.id))!
  const { withdrawals } = await stack.ok('earnings', { action: 'withdrawals' }, sharer.token)
  expect(withdrawals[0]).toMatchObject({
    id: withdrawal.id,
    status: 'transferring',
    confirm: { provider: 'wechat', mchId: MCH_ID, appId: APP_ID, package: `pkg_${bill.transfer_bill_no}` },
  })

  // The user confirmed in WeChat; WeChat notifies, more than once and at once.
  const notify = transferNotify(bill, 'SUCCESS')
  const answers = await Promise.all([1, 2, 3].map(() => postSigned('/api/pay/notify/wechat-transfer', notify)))
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200])
  expect(answers.map((a) => a.answer.message).sort()).toEqual(['already', 'already', 'finished'])
  expect(await statusOf(withdrawal.id)).toBe('paid')
  expect(await settled(sharer.token)).toBe(3000)
})

test('WeChat failing to answer leaves it pending; approving again asks for the same out_bill_no, one bill', async () => {
  const sharer = await sharerWith('retry')
  const { withdrawal } = await stack.ok('earnings', { action: 'withdraw', amountFen: 1500, idempotencyKey: key() }, sharer.token)
  wechat.failNext.push(500)
  const failed = await stack.call('admin', { action: 'approveWithdrawal', withdrawalId: withdrawal.id }, owner)
  expect(failed.status).toBe(500)
  expect(await statusOf(withdrawal.id)).toBe('pending')
  await stack.ok('admin', { action: 'approveWithdrawal', withdrawalId: withdrawal.id }, owner)
  expect(await statusOf(withdrawal.id)).toBe('transferring')
  const asked = wechat.requests.filter(
    (r) => r.path === '/v3/fund-app/mch-transfer/transfer-bills' && JSON.parse(r.body).openid === 'wx-sharer-retry',
  )
  expect(asked.map((r) => JSON.parse(r.body).out_bill_no)).toEqual([billOf(withdrawal.id), billOf(withdrawal.id)])
  expect([...wechat.bills.keys()].filter((k) => k === billOf(withdrawal.id))).toHaveLength(1)
})

test('an approval whose bill WeChat made but answered too late: 拒绝 is refused while the bill may pay; once it is cancelled, 拒绝 returns the amount once', async () => {
  const sharer = await sharerWith('late')
  const before = await settled(sharer.token)
  const { withdrawal } = await stack.ok('earnings', { action: 'withdraw', amountFen: 1200, idempotencyKey: key() }, sharer.token)
  // WeChat makes the bill but answers after the adapter's 10 s timeout: the approval fails, pending again.
  wechat.lateNext.push(11_500)
  const timedOut = await stack.call('admin', { action: 'approveWithdrawal', withdrawalId: withdrawal.id }, owner)
  expect(timedOut.body.ok).toBe(false)
  expect(await statusOf(withdrawal.id)).toBe('pending')
  const bill = wechat.bills.get(billOf(withdrawal.id))!
  expect(bill.state).toBe('WAIT_USER_CONFIRM')
  // The bill may still pay (the user can confirm, or an ACCEPTED/PROCESSING scene pays by itself): no 拒绝.
  for (const state of ['WAIT_USER_CONFIRM', 'ACCEPTED', 'PROCESSING', 'SUCCESS']) {
    bill.state = state
    const refused = (await stack.call('admin', { action: 'rejectWithdrawal', withdrawalId: withdrawal.id, reason: '信息有误' }, owner))
      .body as { error: { code: string; message: string } }
    expect(refused.error.code).toBe('WITHDRAWAL_STATUS_CHANGED')
    expect(refused.error.message).toMatch(/转账已/)
    expect(await statusOf(withdrawal.id)).toBe('pending')
    expect(await settled(sharer.token)).toBe(before - 1200)
  }
  // WeChat was asked by out_bill_no, signed as the POST is.
  const looked = wechat.requests.filter((r) => r.path.endsWith(`/out-bill-no/${billOf(withdrawal.id)}`))
  expect(looked.length).toBeGreaterThanOrEqual(4)
  expect(looked.every((r) => r.signed)).toBe(true)
  // The bill lapsed (CANCELLED): nothing can pay any more, so 拒绝 returns the amount, once.
  bill.state = 'CANCELLED'
  await stack.ok('admin', { action: 'rejectWithdrawal', withdrawalId: withdrawal.id, reason: '信息有误' }, owner)
  expect(await statusOf(withdrawal.id)).toBe('rejected')
  expect(await settled(sharer.token)).toBe(before)
}, 40_000)

test('after a lost answer, approving again answers the same bill (one bill) and 拒绝 is then refused as decided', async () => {
  const sharer = await sharerWith('late2')
  const { withdrawal } = await stack.ok('earnings', { action: 'withdraw', amountFen: 1300, idempotencyKey: key() }, sharer.token)
  wechat.lateNext.push(11_500)
  expect((await stack.call('admin', { action: 'approveWithdrawal', withdrawalId: withdrawal.id }, owner)).body.ok).toBe(false)
  const again = await stack.ok('admin', { action: 'approveWithdrawal', withdrawalId: withdrawal.id }, owner)
  expect(again.withdrawal.status).toBe('transferring')
  const bill = wechat.bills.get(billOf(withdrawal.id))!
  expect((await sql(stack, 'SELECT transfer_id FROM withdrawals WHERE id = $1', [withdrawal.id]))[0].transfer_id).toBe(
    bill.transfer_bill_no,
  )
  expect([...wechat.bills.keys()].filter((k) => k === billOf(withdrawal.id))).toHaveLength(1)
  const refused = (await stack.call('admin', { action: 'rejectWithdrawal', withdrawalId: withdrawal.id, reason: '信息有误' }, owner))
    .body as { error: { code: string } }
  expect(refused.error.code).toBe('WITHDRAWAL_STATUS_CHANGED')
  expect(await statusOf(withdrawal.id)).toBe('transferring')
}, 40_000)

test('拒绝 of a withdrawal never approved asks WeChat, finds no bill, and returns the amount', async () => {
  const sharer = await sharerWith('nobill')
  const before = await settled(sharer.token)
  const { withdrawal } = await stack.ok('earnings', { action: 'withdraw', amountFen: 1000, idempotencyKey: key() }, sharer.token)
  await stack.ok('admin', { action: 'rejectWithdrawal', withdrawalId: withdrawal.id, reason: '信息有误' }, owner)
  expect(await statusOf(withdrawal.id)).toBe('rejected')
  expect(await settled(sharer.token)).toBe(before)
  expect(wechat.requests.some((r) => r.path.endsWith(`/out-bill-no/${billOf(withdrawal.id)}`))).toBe(true)
})

test('a cancelled bill (never confirmed) fails the withdrawal and returns the amount once; forged notifies change nothing', async () => {
  const sharer = await sharerWith('cancel')
  const { withdrawal } = await stack.ok('earnings', { action: 'withdraw', amountFen: 2500, idempotencyKey: key() }, sharer.token)
  await stack.ok('admin', { action: 'approveWithdrawal', withdrawalId: withdrawal.id }, owner)
  const bill = wechat.bills.get(billOf(withdrawal.id))!

  const forged = wechatNotify({ platformKey: rsaKeyPair().privateKey, transaction: { ...bill, state: 'SUCCESS', mch_id: MCH_ID } })
  expect((await postSigned('/api/pay/notify/wechat-transfer', forged)).status).toBe(401)
  const otherMerchant = transferNotify(bill, 'SUCCESS', { mch_id: '1900000999' })
  expect((await postSigned('/api/pay/notify/wechat-transfer', otherMerchant)).status).toBe(401)
  const stillGoing = transferNotify(bill, 'TRANSFERING')
  expect((await postSigned('/api/pay/notify/wechat-transfer', stillGoing)).answer.code).toBe('SUCCESS')
  expect(await statusOf(withdrawal.id)).toBe('transferring')
  expect(await settled(sharer.token)).toBe(2500)

  const cancelled = transferNotify(bill, 'CANCELLED', { fail_reason: 'OVERDUE_CLOSE' })
  const answers = await Promise.all([1, 2, 3].map(() => postSigned('/api/pay/notify/wechat-transfer', cancelled)))
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200])
  expect(await statusOf(withdrawal.id)).toBe('failed')
  expect(await settled(sharer.token)).toBe(5000)
  const { withdrawals } = await stack.ok('earnings', { action: 'withdrawals' }, sharer.token)
  expect(withdrawals[0]).toMatchObject({ status: 'failed', reason: '超过时间未确认收款，转账已关闭' })
  // A late SUCCESS for the failed withdrawal is refused (WeChat retries; someone looks), the money unchanged.
  expect((await postSigned('/api/pay/notify/wechat-transfer', transferNotify(bill, 'SUCCESS'))).status).toBe(400)
  expect(await settled(sharer.token)).toBe(5000)
})

test('the sandbox transfer endpoints are not served on a WeChat host', async () => {
  for (const path of ['/api/pay/sandbox/transfer-confirm', '/api/pay/notify/sandbox-transfer']) {
    expect((await stack.post(path, { body: {} })).status).toBe(404)
  }
})
