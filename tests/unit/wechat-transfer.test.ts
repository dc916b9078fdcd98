/**
 * The 商家转账 adapter's mapping of WeChat's answers (the bill's state) and of its notify, against a
 * fetch that plays WeChat Pay. (The whole flow against an http fake: tests/integration/wechat-transfer.test.ts.)
 */
import { createVerify } from 'node:crypto'
import { billNumberOf, wechatTransfers, withdrawalOfBill, type WechatTransferConfig } from '../../cloud/adapters/transfer/wechat'
import { APIV3_KEY, APP_ID, MCH_ID, MCH_SERIAL, PLATFORM_SERIAL, rsaKeyPair, wechatNotify } from '../helpers/wechatpay'

const merchant = rsaKeyPair()
const platform = rsaKeyPair()
const NOW = new Date('2026-12-01T08:00:00Z')

const config: WechatTransferConfig = {
  appId: APP_ID,
  mchId: MCH_ID,
  mchSerialNo: MCH_SERIAL,
  privateKey: merchant.privateKey,
  apiV3Key: APIV3_KEY,
  platformPublicKey: platform.publicKey,
  platformSerial: PLATFORM_SERIAL,
  notifyUrl: 'https://shop.example.com/api/pay/notify/wechat',
  transferSceneId: '1005',
  sceneReportInfos: [{ info_type: '岗位类型', info_content: '推广员' }],
  transferRemark: '分享收益提现',
  transferNotifyUrl: 'https://shop.example.com/api/pay/notify/wechat-transfer',
}

const answering = (status: number, answer: unknown) =>
  wechatTransfers(config, {
    now: () => NOW,
    fetch: (async () => new Response(JSON.stringify(answer), { status, headers: { 'content-type': 'application/json' } })) as typeof fetch,
  })
const ask = (status: number, answer: unknown) =>
  answering(status, answer).pay({ withdrawalId: 'wd_0123456789abcdef', openid: 'o1', amountFen: 500 })

test('bill numbers are letters and digits, one per withdrawal, and lead back to it', () => {
  expect(billNumberOf('wd_0123456789abcdef')).toBe('WDwd0123456789abcdef')
  expect(withdrawalOfBill('WDwd0123456789abcdef')).toBe('wd_0123456789abcdef')
  expect(withdrawalOfBill('SOMEONE_ELSES_BILL')).toBeNull()
})

test("the bill's state: WAIT_USER_CONFIRM asks the user, SUCCESS is paid, FAIL/CANCELLED failed with the reason, others under way", async () => {
  await expect(ask(200, { transfer_bill_no: 'T1', state: 'WAIT_USER_CONFIRM', package_info: 'PKG' })).resolves.toEqual({
    state: 'awaiting_user',
    transferId: 'T1',
    confirm: { provider: 'wechat', mchId: MCH_ID, appId: APP_ID, package: 'PKG' },
  })
  await expect(ask(200, { transfer_bill_no: 'T1', state: 'SUCCESS' })).resolves.toEqual({ state: 'paid', transferId: 'T1' })
  await expect(ask(200, { transfer_bill_no: 'T1', state: 'FAIL', fail_reason: 'ACCOUNT_FROZEN' })).resolves.toEqual({
    state: 'failed',
    reason: '微信账户已被冻结',
  })
  await expect(ask(200, { transfer_bill_no: 'T1', state: 'ACCEPTED' })).resolves.toEqual({
    state: 'awaiting_user',
    transferId: 'T1',
    confirm: null,
  })
})

test('an error answer or a bill without what the user needs throws (the withdrawal stays pending)', async () => {
  await expect(ask(400, { code: 'PARAM_ERROR', message: '需传入转账场景报备信息' })).rejects.toThrow(/400: PARAM_ERROR/)
  await expect(ask(200, { transfer_bill_no: 'T1', state: 'WAIT_USER_CONFIRM' })).rejects.toThrow(/without package_info/)
})

test('find: GET of the bill by out_bill_no, signed over an empty body; 404 NOT_FOUND is no bill; an end or anything that may still pay', async () => {
  const seen: Array<{ url: string; method: string; authorization: string }> = []
  const finding = (status: number, answer: unknown) =>
    wechatTransfers(config, {
      now: () => NOW,
      nonce: () => 'n1',
      fetch: (async (url: string, init: RequestInit) => {
        seen.push({ url, method: String(init.method), authorization: String((init.headers as Record<string, string>).authorization) })
        return new Response(JSON.stringify(answer), { status, headers: { 'content-type': 'application/json' } })
      }) as unknown as typeof fetch,
    }).find('wd_0123456789abcdef')
  await expect(finding(404, { code: 'NOT_FOUND', message: '记录不存在' })).resolves.toBeNull()
  expect(seen[0]).toMatchObject({
    method: 'GET',
    url: 'https://api.mch.weixin.qq.com/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/WDwd0123456789abcdef',
  })
  const auth = seen[0]!.authorization
  const signature = /signature="([^"]+)"/.exec(auth)![1]!
  const message = `GET\n/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/WDwd0123456789abcdef\n${NOW.getTime() / 1000}\nn1\n\n`
  expect(createVerify('RSA-SHA256').update(message).verify(merchant.publicKey, signature, 'base64')).toBe(true)
  for (const state of ['ACCEPTED', 'PROCESSING', 'WAIT_USER_CONFIRM', 'TRANSFERING', 'CANCELING', 'SOMETHING_NEW'])
    await expect(finding(200, { transfer_bill_no: 'T1', state })).resolves.toEqual({ transferId: 'T1', state: 'under_way' })
  await expect(finding(200, { transfer_bill_no: 'T1', state: 'SUCCESS' })).resolves.toEqual({ transferId: 'T1', state: 'paid' })
  await expect(finding(200, { transfer_bill_no: 'T1', state: 'FAIL' })).resolves.toEqual({ transferId: 'T1', state: 'failed' })
  await expect(finding(200, { transfer_bill_no: 'T1', state: 'CANCELLED' })).resolves.toEqual({ transferId: 'T1', state: 'failed' })
  // WeChat unable to tell (busy, another 404) is not "no bill".
  await expect(finding(500, { code: 'SYSTEM_ERROR', message: '系统繁忙' })).rejects.toThrow(/500: SYSTEM_ERROR/)
  await expect(finding(404, { code: 'OTHER' })).rejects.toThrow(/404/)
})

describe('the notify', () => {
  const provider = answering(200, {})
  const bill = (state: string, extra: object = {}) => ({
    out_bill_no: 'WDwd0123456789abcdef',
    transfer_bill_no: 'T1',
    state,
    mch_id: MCH_ID,
    transfer_amount: 500,
    openid: 'o1',
    ...extra,
  })
  const check = (n: { headers: Record<string, string>; body: string }) => provider.verifyNotify(n.headers, n.body)
  const at = Math.floor(NOW.getTime() / 1000)

  test('SUCCESS ends it paid, CANCELLED failed with the reason; other states are only acknowledged', () => {
    expect(check(wechatNotify({ platformKey: platform.privateKey, transaction: bill('SUCCESS'), timestamp: at }))).toEqual({
      kind: 'ended',
      notify: { withdrawalId: 'wd_0123456789abcdef', transferId: 'T1', amountFen: 500, state: 'paid', reason: null },
    })
    expect(
      check(
        wechatNotify({ platformKey: platform.privateKey, transaction: bill('CANCELLED', { fail_reason: 'OVERDUE_CLOSE' }), timestamp: at }),
      ),
    ).toMatchObject({ kind: 'ended', notify: { state: 'failed', reason: '超过时间未确认收款，转账已关闭' } })
    expect(check(wechatNotify({ platformKey: platform.privateKey, transaction: bill('WAIT_USER_CONFIRM'), timestamp: at }))).toEqual({
      kind: 'ignored',
      reason: 'state WAIT_USER_CONFIRM',
    })
  })

  test('forged, late, of another merchant or of a bill we never made: refused', () => {
    expect(check(wechatNotify({ platformKey: rsaKeyPair().privateKey, transaction: bill('SUCCESS'), timestamp: at }))).toEqual({
      kind: 'refused',
      reason: 'BAD_SIGNATURE',
    })
    expect(check(wechatNotify({ platformKey: platform.privateKey, transaction: bill('SUCCESS'), timestamp: at - 600 }))).toEqual({
      kind: 'refused',
      reason: 'STALE_TIMESTAMP',
    })
    expect(check(wechatNotify({ platformKey: platform.privateKey, transaction: bill('SUCCESS', { mch_id: '1' }), timestamp: at }))).toEqual(
      { kind: 'refused', reason: 'WRONG_MERCHANT' },
    )
    expect(
      check(wechatNotify({ platformKey: platform.privateKey, transaction: bill('SUCCESS', { out_bill_no: 'X1' }), timestamp: at })),
    ).toEqual({ kind: 'refused', reason: 'MALFORMED' })
  })
})
