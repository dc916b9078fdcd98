/**
 * The WeChat Pay API v3 adapter against a fetch that plays WeChat Pay: requests signed with the
 * merchant's key (checked with its public half), wx.requestPayment's paySign, refunds, and the
 * notify check (WeChat Pay's signature, the 5-minute window, the encrypted resource, SUCCESS only).
 */
import { createSign, createVerify } from 'node:crypto'
import { wechatPayV3, type WechatPayV3Config } from '../../cloud/adapters/payment/wechatpay-v3'
import {
  APIV3_KEY,
  APP_ID,
  MCH_ID,
  MCH_SERIAL,
  PLATFORM_SERIAL,
  parseAuthorization,
  rsaKeyPair,
  transaction,
  wechatNotify,
} from '../helpers/wechatpay'

const merchant = rsaKeyPair()
const platform = rsaKeyPair()
const NOW = new Date('2025-03-01T08:00:00Z')
const nowSeconds = Math.floor(NOW.getTime() / 1000)

const config: WechatPayV3Config = {
  appId: APP_ID,
  mchId: MCH_ID,
  mchSerialNo: MCH_SERIAL,
  privateKey: merchant.privateKey,
  apiV3Key: APIV3_KEY,
  platformPublicKey: platform.publicKey,
  platformSerial: PLATFORM_SERIAL,
  notifyUrl: 'https://shop.example.com/api/pay/notify/wechat',
  apiBase: 'https://api.mch.weixin.qq.com',
}

const verifies = (message: string, signature: string) =>
  createVerify('RSA-SHA256').update(message).verify(merchant.publicKey, signature, 'base64')

interface Sent {
  url: string
  method: string
  headers: Record<string, string>
  body: string
}

/** A fetch that records each request and answers `answer` with `status`. */
function fakeFetch(status: number, answer: unknown) {
  const sent: Sent[] = []
  const fn = (async (url: string | URL, init?: RequestInit) => {
    sent.push({
      url: String(url),
      method: String(init?.method),
      headers: init?.headers as Record<string, string>,
      body: String(init?.body),
    })
    return new Response(JSON.stringify(answer), { status, headers: { 'content-type': 'application/json' } })
  }) as typeof fetch
  return { fn, sent }
}

const provider = (fetchFn: typeof fetch) => wechatPayV3(config, { fetch: fetchFn, now: () => NOW, log: () => undefined })

describe('prepare: the JSAPI order and the parameters of wx.requestPayment', () => {
  test('the request is the JSAPI order, signed with the merchant key under WECHATPAY2-SHA256-RSA2048', async () => {
    const wx = fakeFetch(200, { prepay_id: 'wx201410272009395522657a690389285100' })
    await provider(wx.fn).prepare({ orderId: 'o_0123456789abcdef', amountFen: 990, description: '明前龙井 等2件', openid: 'oUser' })

    expect(wx.sent).toHaveLength(1)
    const req = wx.sent[0]!
    expect(req.url).toBe('https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi')
    expect(req.method).toBe('POST')
    expect(JSON.parse(req.body)).toEqual({
      appid: APP_ID,
      mchid: MCH_ID,
      description: '明前龙井 等2件',
      out_trade_no: 'o_0123456789abcdef',
      notify_url: 'https://shop.example.com/api/pay/notify/wechat',
      amount: { total: 990, currency: 'CNY' },
      payer: { openid: 'oUser' },
    })
    const auth = parseAuthorization(req.headers.authorization!)
    expect(auth).toMatchObject({ mchid: MCH_ID, serial_no: MCH_SERIAL, timestamp: String(nowSeconds) })
    expect(auth.nonce_str).toMatch(/^\w{16,32}$/)
    const message = `POST\n/v3/pay/transactions/jsapi\n${auth.timestamp}\n${auth.nonce_str}\n${req.body}\n`
    expect(verifies(message, auth.signature!)).toBe(true)
    // The signature covers the body: another body does not verify.
    expect(verifies(message.replace('990', '1'), auth.signature!)).toBe(false)
  })

  test('the answer fits wx.requestPayment: package prepay_id=…, signType RSA, paySign over appid, time, nonce and package', async () => {
    const wx = fakeFetch(200, { prepay_id: 'wx2014' })
    const params = await provider(wx.fn).prepare({ orderId: 'o_1', amountFen: 1, description: 'x', openid: 'oUser' })
    if (params.provider !== 'wechat') throw new Error('expected the wechat variant')
    expect(params).toMatchObject({ provider: 'wechat', timeStamp: String(nowSeconds), package: 'prepay_id=wx2014', signType: 'RSA' })
    expect(params.nonceStr).toMatch(/^\w{16,32}$/)
    expect(verifies(`${APP_ID}\n${params.timeStamp}\n${params.nonceStr}\nprepay_id=wx2014\n`, params.paySign)).toBe(true)
  })

  test('a refusal by WeChat Pay or an answer without prepay_id throws (INTERNAL for the caller), with WeChat’s code', async () => {
    const refused = fakeFetch(400, { code: 'PARAM_ERROR', message: '参数错误' })
    await expect(provider(refused.fn).prepare({ orderId: 'o_1', amountFen: 1, description: 'x', openid: 'o' })).rejects.toThrow(
      /400: PARAM_ERROR/,
    )
    const empty = fakeFetch(200, {})
    await expect(provider(empty.fn).prepare({ orderId: 'o_1', amountFen: 1, description: 'x', openid: 'o' })).rejects.toThrow(/prepay_id/)
    const down = (async () => {
      throw new TypeError('fetch failed')
    }) as typeof fetch
    await expect(provider(down).prepare({ orderId: 'o_1', amountFen: 1, description: 'x', openid: 'o' })).rejects.toThrow('fetch failed')
  })
})

describe('refund', () => {
  test('posts the domestic refund, signed, with a refund number of the payment (a retry is the same refund)', async () => {
    const wx = fakeFetch(200, { refund_id: '50000000382019052709732678859', status: 'PROCESSING' })
    const payment = { orderId: 'o_0123456789abcdef', transactionId: '4200000001202503011234567890', amountFen: 990, refundFen: 990 }
    expect(await provider(wx.fn).refund(payment)).toEqual({ refundId: '50000000382019052709732678859' })
    await provider(wx.fn).refund(payment)

    const [first, second] = wx.sent
    expect(first!.url).toBe('https://api.mch.weixin.qq.com/v3/refund/domestic/refunds')
    const body = JSON.parse(first!.body)
    expect(body).toEqual({
      out_trade_no: 'o_0123456789abcdef',
      out_refund_no: 'R4200000001202503011234567890',
      amount: { refund: 990, total: 990, currency: 'CNY' },
    })
    expect(JSON.parse(second!.body).out_refund_no).toBe(body.out_refund_no)
    const auth = parseAuthorization(first!.headers.authorization!)
    expect(verifies(`POST\n/v3/refund/domestic/refunds\n${auth.timestamp}\n${auth.nonce_str}\n${first!.body}\n`, auth.signature!)).toBe(
      true,
    )
  })

  test('another payment of the same order gets another refund number', async () => {
    const wx = fakeFetch(200, { refund_id: 'r1', status: 'PROCESSING' })
    await provider(wx.fn).refund({ orderId: 'o_1', transactionId: 'T1', amountFen: 5, refundFen: 5 })
    await provider(wx.fn).refund({ orderId: 'o_1', transactionId: 'T2', amountFen: 5, refundFen: 5 })
    expect(new Set(wx.sent.map((s) => JSON.parse(s.body).out_refund_no)).size).toBe(2)
  })

  test('a refused refund throws', async () => {
    const wx = fakeFetch(403, { code: 'NOT_ENOUGH', message: '基本账户余额不足' })
    await expect(provider(wx.fn).refund({ orderId: 'o_1', transactionId: 'T', amountFen: 5, refundFen: 5 })).rejects.toThrow(/NOT_ENOUGH/)
  })
})

describe('verifyNotify', () => {
  const wx = provider(fakeFetch(500, {}).fn)
  const paid = transaction({ orderId: 'o_0123456789abcdef', amountFen: 990, transactionId: '4200000001202503011234567890' })

  test('a notify signed by WeChat Pay with a SUCCESS transaction becomes the verified notify', () => {
    const n = wechatNotify({ platformKey: platform.privateKey, transaction: paid, timestamp: nowSeconds - 30 })
    expect(wx.verifyNotify(n.headers, n.body)).toEqual({
      kind: 'paid',
      notify: {
        provider: 'wechat',
        orderId: 'o_0123456789abcdef',
        transactionId: '4200000001202503011234567890',
        amountFen: 990,
        raw: paid,
      },
    })
  })

  test('a tampered body is refused', () => {
    const n = wechatNotify({ platformKey: platform.privateKey, transaction: paid, timestamp: nowSeconds })
    const tampered = n.body.replace('"summary":"支付成功"', '"summary":"支付成功 "')
    expect(tampered).not.toBe(n.body)
    expect(wx.verifyNotify(n.headers, tampered)).toEqual({ kind: 'refused', reason: 'BAD_SIGNATURE' })
  })

  test('a signature by another key, a garbled one or WeChat’s sign-test probe is refused', () => {
    const forger = rsaKeyPair()
    const forged = wechatNotify({ platformKey: forger.privateKey, transaction: paid, timestamp: nowSeconds })
    expect(wx.verifyNotify(forged.headers, forged.body)).toEqual({ kind: 'refused', reason: 'BAD_SIGNATURE' })
    const n = wechatNotify({ platformKey: platform.privateKey, transaction: paid, timestamp: nowSeconds })
    for (const signature of ['not base64 at all', 'WECHATPAY/SIGNTEST/abcdef', '']) {
      const r = wx.verifyNotify({ ...n.headers, 'wechatpay-signature': signature }, n.body)
      expect(r.kind).toBe('refused')
    }
  })

  test('a timestamp more than 5 minutes off is refused, even correctly signed (a replay)', () => {
    for (const timestamp of [nowSeconds - 301, nowSeconds + 301]) {
      const n = wechatNotify({ platformKey: platform.privateKey, transaction: paid, timestamp })
      expect(wx.verifyNotify(n.headers, n.body)).toEqual({ kind: 'refused', reason: 'STALE_TIMESTAMP' })
    }
    const edge = wechatNotify({ platformKey: platform.privateKey, transaction: paid, timestamp: nowSeconds - 299 })
    expect(wx.verifyNotify(edge.headers, edge.body).kind).toBe('paid')
  })

  test('a genuine notify of a trade state other than SUCCESS is acknowledged and changes nothing', () => {
    for (const tradeState of ['NOTPAY', 'CLOSED', 'PAYERROR', 'REFUND']) {
      const n = wechatNotify({
        platformKey: platform.privateKey,
        transaction: transaction({ orderId: 'o_1', amountFen: 990, tradeState }),
        timestamp: nowSeconds,
      })
      expect(wx.verifyNotify(n.headers, n.body)).toEqual({ kind: 'ignored', reason: `trade_state ${tradeState}` })
    }
  })

  test('missing headers, an unknown platform serial, a resource under another APIv3 key, or another merchant are refused', () => {
    const n = wechatNotify({ platformKey: platform.privateKey, transaction: paid, timestamp: nowSeconds })
    const { 'wechatpay-nonce': _nonce, ...noNonce } = n.headers
    expect(wx.verifyNotify(noNonce, n.body)).toEqual({ kind: 'refused', reason: 'MISSING_HEADERS' })
    expect(wx.verifyNotify({ ...n.headers, 'wechatpay-serial': 'PUB_KEY_ID_OTHER' }, n.body)).toEqual({
      kind: 'refused',
      reason: 'UNKNOWN_SERIAL',
    })
    const otherKey = wechatNotify({ platformKey: platform.privateKey, transaction: paid, timestamp: nowSeconds, apiV3Key: 'x'.repeat(32) })
    expect(wx.verifyNotify(otherKey.headers, otherKey.body)).toEqual({ kind: 'refused', reason: 'DECRYPT_FAILED' })
    const otherShop = wechatNotify({
      platformKey: platform.privateKey,
      transaction: { ...paid, mchid: '1230000109' },
      timestamp: nowSeconds,
    })
    expect(wx.verifyNotify(otherShop.headers, otherShop.body)).toEqual({ kind: 'refused', reason: 'WRONG_MERCHANT' })
  })

  test('a signed body that is not a notify is refused as malformed', () => {
    const n = wechatNotify({ platformKey: platform.privateKey, transaction: paid, timestamp: nowSeconds })
    const body = '{"hello":1}'
    const signature = createSign('RSA-SHA256')
      .update(`${n.headers['wechatpay-timestamp']}\n${n.headers['wechatpay-nonce']}\n${body}\n`)
      .sign(platform.privateKey, 'base64')
    expect(wx.verifyNotify({ ...n.headers, 'wechatpay-signature': signature }, body)).toEqual({ kind: 'refused', reason: 'MALFORMED' })
  })
})
