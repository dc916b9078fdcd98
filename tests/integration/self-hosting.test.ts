/**
 * A self-hosted production that is real: sign-in with wx.login codes (auth.login), production
 * refusing a sandbox unless told loudly, DEV_LOGIN=1 no longer bringing the sandbox payment along,
 * and WeChat Pay API v3 end to end against a stub of WeChat's servers (signed requests, a signed
 * and encrypted notify that alone marks the order paid).
 */
import { createVerify } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createProduct, key, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
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

const SANDBOX_IN_PRODUCTION = {
  NODE_ENV: 'production',
  LOGIN_PROVIDER: 'sandbox',
  PAY_PROVIDER: 'sandbox',
  UNSAFE_SANDBOX_IN_PRODUCTION: '1',
}

const mint = async (stack: Stack, openid: string): Promise<string> => {
  const r = await stack.post('/api/sandbox/wx-login', { openid })
  if (!r.body.ok) throw new Error(`minting failed: ${JSON.stringify(r.body)}`)
  return r.body.data.code
}

describe('production with the sandbox login explicitly enabled', () => {
  let stack: Stack
  beforeAll(async () => {
    stack = await startStack({ env: SANDBOX_IN_PRODUCTION })
  }, 90_000)
  afterAll(() => stack?.stop())

  test('the opt-in is announced loudly at start', () => {
    expect(stack.output()).toContain('UNSAFE PRODUCTION SET-UP')
    expect(stack.output()).toContain('PAY_PROVIDER=sandbox in production')
    expect(stack.output()).toContain('LOGIN_PROVIDER=sandbox in production')
  })

  test("without WeChat sign-in, codes stay QR codes of the H5 pages (the console's sign-in code too)", async () => {
    expect(stack.output()).toContain('codes: QR codes of the H5 pages')
    const r = await fetch(`${stack.url}/admin/api/fn/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'consoleTicket' }),
    })
    expect(r.status).toBe(200)
    const { data } = (await r.json()) as { data: { codeImage: string } }
    expect(data.codeImage.startsWith('/media/qr.svg?text=')).toBe(true)
  })

  test('dev login is refused (403); a minted wx.login code signs in through auth.login', async () => {
    const dev = await stack.call('auth', { action: 'devLogin', openid: 'o_prod_buyer' })
    expect(dev.status).toBe(403)
    expect(dev.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })

    const code = await mint(stack, 'o_prod_buyer')
    const r = await stack.call('auth', { action: 'login', code })
    expect(r.status).toBe(200)
    if (!r.body.ok) throw new Error('expected a session')
    expect(r.body.data).toMatchObject({ token: expect.any(String), user: { isAdmin: false, isNewCustomer: true } })
    const me = await stack.ok('auth', { action: 'me' }, r.body.data.token)
    expect(me.user.id).toBe(r.body.data.user.id)

    // The same WeChat user signing in again is the same user.
    const again = await stack.ok('auth', { action: 'login', code: await mint(stack, 'o_prod_buyer') })
    expect(again.user.id).toBe(r.body.data.user.id)
    // The merchant's admins sign in the same way.
    const admin = await stack.ok('auth', { action: 'login', code: await mint(stack, 'admin') })
    expect(admin.user.isAdmin).toBe(true)
  })

  test('a code is single-use: the second use is 401, and of racing uses exactly one signs in', async () => {
    const code = await mint(stack, 'o_once')
    expect((await stack.call('auth', { action: 'login', code })).status).toBe(200)
    const second = await stack.call('auth', { action: 'login', code })
    expect(second.status).toBe(401)
    expect(second.body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: '登录凭证已使用，请重新登录' } })

    const raced = await mint(stack, 'o_race')
    const results = await Promise.all(Array.from({ length: 8 }, () => stack.call('auth', { action: 'login', code: raced })))
    expect(results.filter((x) => x.status === 200)).toHaveLength(1)
    expect(results.filter((x) => x.status === 401)).toHaveLength(7)
  })

  test('an expired or unknown code is refused with 401', async () => {
    const code = await mint(stack, 'o_late')
    const [row] = await sql(
      stack,
      `SELECT extract(epoch FROM expires_at - created_at)::int AS ttl FROM sandbox_login_codes WHERE code = $1`,
      [code],
    )
    expect(row.ttl).toBe(300)
    await sql(stack, `UPDATE sandbox_login_codes SET expires_at = now() - interval '1 second' WHERE code = $1`, [code])
    const late = await stack.call('auth', { action: 'login', code })
    expect(late.status).toBe(401)
    expect(late.body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: '登录凭证无效或已过期，请重新登录' } })

    const unknown = await stack.call('auth', { action: 'login', code: 'never-minted' })
    expect(unknown.status).toBe(401)
    expect(unknown.body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
  })

  test('bad input is 400: an empty or overlong code, a mint without an openid', async () => {
    expect((await stack.call('auth', { action: 'login', code: '' })).status).toBe(400)
    expect((await stack.call('auth', { action: 'login', code: 'c'.repeat(129) })).status).toBe(400)
    expect((await stack.post('/api/sandbox/wx-login', {})).body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
    expect((await stack.post('/api/sandbox/wx-login', { openid: 'o'.repeat(65) })).status).toBe(400)
  })
})

describe('production refuses an unsafe or incomplete set-up at start', () => {
  test('PAY_PROVIDER=sandbox without the opt-in exits non-zero, saying why and what to set', async () => {
    const started = startStack({ env: { NODE_ENV: 'production', PAY_PROVIDER: 'sandbox', LOGIN_PROVIDER: 'sandbox' } })
    await expect(started).rejects.toThrow(/host exited with 1[\s\S]*refusing to start/)
    await expect(started).rejects.toThrow(/PAY_PROVIDER=sandbox in production: any buyer can mark their own order paid/)
    await expect(started).rejects.toThrow(/UNSAFE_SANDBOX_IN_PRODUCTION=1/)
  }, 60_000)

  test('DEV_LOGIN=1 alone no longer turns on the sandbox payment: it asks for the WeChat settings and exits non-zero', async () => {
    const started = startStack({ env: { NODE_ENV: 'production', DEV_LOGIN: '1' } })
    await expect(started).rejects.toThrow(/host exited with 1[\s\S]*PAY_PROVIDER=wechat \(the default in production\)/)
    await expect(started).rejects.toThrow(/WX_APPID, WXPAY_MCHID, WXPAY_MCH_SERIAL_NO, WXPAY_APIV3_KEY/)
    await expect(started).rejects.toThrow(/LOGIN_PROVIDER=wechat \(the default in production\) needs WX_APPID, WX_APP_SECRET/)
  }, 60_000)

  test('a refund window that is not a number stops the start, naming the variable', async () => {
    await expect(startStack({ env: { REFUND_WINDOW_DAYS: 'seven' } })).rejects.toThrow(
      /host exited with 1[\s\S]*REFUND_WINDOW_DAYS must be a number of 0 or more/,
    )
  }, 60_000)
})

/** A 1×1 PNG: the mini-program code the stub draws. */
const CODE_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')

/**
 * WeChat's servers as the host sees them: code2Session, the stable access token, mini-program codes
 * and WeChat Pay v3, recording what they are sent.
 */
interface StubWeChat {
  url: string
  requests: Array<{ method: string; path: string; headers: http.IncomingHttpHeaders; body: string }>
  /** The next getwxacodeunlimit answers these errcodes (then PNGs again). */
  codeErrors: Array<{ errcode: number; errmsg: string }>
  close(): Promise<void>
}

async function stubWeChat(): Promise<StubWeChat> {
  const requests: StubWeChat['requests'] = []
  const codeErrors: StubWeChat['codeErrors'] = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stub')
      requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body })
      const answer = (status: number, json: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json))
      if (url.pathname === '/sns/jscode2session') {
        const code = url.searchParams.get('js_code')
        if (url.searchParams.get('appid') !== APP_ID || url.searchParams.get('secret') !== 'the-app-secret') {
          return answer(200, { errcode: 40013, errmsg: 'invalid appid' })
        }
        if (code === 'good-code') return answer(200, { openid: 'o_wechat_buyer', session_key: 'c2Vzc2lvbg==' })
        if (code === 'used-code') return answer(200, { errcode: 40163, errmsg: 'code been used' })
        if (code === 'busy-code') return answer(200, { errcode: -1, errmsg: 'system error' })
        return answer(200, { errcode: 40029, errmsg: 'invalid code' })
      }
      if (url.pathname === '/cgi-bin/stable_token') return answer(200, { access_token: 'stub-access-token', expires_in: 7200 })
      if (url.pathname === '/wxa/getwxacodeunlimit') {
        if (url.searchParams.get('access_token') !== 'stub-access-token')
          return answer(200, { errcode: 40001, errmsg: 'invalid credential' })
        const error = codeErrors.shift()
        if (error) return answer(200, error)
        return void res.writeHead(200, { 'content-type': 'image/png' }).end(CODE_PNG)
      }
      if (url.pathname === '/v3/pay/transactions/jsapi') return answer(200, { prepay_id: 'wx_prepay_0001' })
      if (url.pathname === '/v3/refund/domestic/refunds') return answer(200, { refund_id: 'refund_0001', status: 'PROCESSING' })
      return answer(404, { code: 'NOT_FOUND', message: 'no such API' })
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    codeErrors,
    close: () => new Promise((r) => server.close(() => r())),
  }
}

describe('production on WeChat: code2Session and WeChat Pay API v3 (against a stub of WeChat)', () => {
  const merchant = rsaKeyPair()
  const platform = rsaKeyPair()
  let wechat: StubWeChat
  let stack: Stack

  beforeAll(async () => {
    wechat = await stubWeChat()
    stack = await startStack({
      env: {
        NODE_ENV: 'production',
        DEV_LOGIN: '1',
        WX_APPID: APP_ID,
        WX_APP_SECRET: 'the-app-secret',
        WX_API_BASE: wechat.url,
        WXPAY_MCHID: MCH_ID,
        WXPAY_MCH_SERIAL_NO: MCH_SERIAL,
        WXPAY_PRIVATE_KEY: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        WXPAY_APIV3_KEY: APIV3_KEY,
        WXPAY_PLATFORM_PUBLIC_KEY: platform.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        WXPAY_PLATFORM_SERIAL: PLATFORM_SERIAL,
        WXPAY_NOTIFY_URL: 'https://shop.example.com/api/pay/notify/wechat',
        WXPAY_API_BASE: wechat.url,
      },
    })
  }, 90_000)
  afterAll(async () => {
    await stack?.stop()
    await wechat?.close()
  })

  test('DEV_LOGIN=1 is announced loudly, and the sandbox endpoints are not served', async () => {
    expect(stack.output()).toContain('DEV_LOGIN=1 in production')
    expect(stack.output()).toContain('payments: WeChat Pay API v3; sign-in: WeChat code2Session')
    for (const path of ['/api/sandbox/wx-login', '/api/pay/sandbox/cashier', '/api/pay/notify/sandbox']) {
      expect((await stack.post(path, { openid: 'x', body: {} })).status).toBe(404)
    }
  })

  test('auth.login exchanges the code at code2Session; refused codes are 401, WeChat failing is 500', async () => {
    const ok = await stack.call('auth', { action: 'login', code: 'good-code' })
    expect(ok.status).toBe(200)
    const used = await stack.call('auth', { action: 'login', code: 'used-code' })
    expect(used.status).toBe(401)
    expect(used.body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: '登录凭证已使用，请重新登录' } })
    expect((await stack.call('auth', { action: 'login', code: 'other-code' })).status).toBe(401)
    const busy = await stack.call('auth', { action: 'login', code: 'busy-code' })
    expect(busy.status).toBe(500)
    expect(busy.body).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(JSON.stringify(busy.body)).not.toContain('errcode')
    expect(stack.output()).toContain('code2Session failed: errcode -1')
  })

  test("the console's sign-in code is WeChat's mini-program code, kept by the host and served as a PNG", async () => {
    const r = await fetch(`${stack.url}/admin/api/fn/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'consoleTicket' }),
    })
    expect(r.status).toBe(200)
    expect(stack.output()).toContain('codes: WeChat mini-program codes (release)')
    const { data } = (await r.json()) as { data: { page: string; scene: string; codeImage: string } }
    expect(data.codeImage).toMatch(/^\/media\/uploads\/codes\/[0-9a-f]{64}\.png$/)
    const asked = wechat.requests.filter((q) => q.path === '/wxa/getwxacodeunlimit').map((q) => JSON.parse(q.body))
    expect(asked).toEqual([
      { scene: data.scene, page: 'packages/user/console-login/index', check_path: false, width: 430, env_version: 'release' },
    ])
    expect(wechat.requests.filter((q) => q.path === '/cgi-bin/stable_token').map((q) => JSON.parse(q.body))).toEqual([
      { grant_type: 'client_credential', appid: APP_ID, secret: 'the-app-secret', force_refresh: false },
    ])

    const image = await fetch(`${stack.url}${data.codeImage}`)
    expect(image.status).toBe(200)
    expect(image.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await image.arrayBuffer())).toEqual(CODE_PNG)
  })

  test('WeChat refusing a code (an errcode) is INTERNAL to the caller and logged with the errcode', async () => {
    wechat.codeErrors.push({ errcode: 45009, errmsg: 'reach max api daily quota limit' })
    const r = await fetch(`${stack.url}/admin/api/fn/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'consoleTicket' }),
    })
    expect(r.status).toBe(500)
    const body = await r.json()
    expect(body).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(JSON.stringify(body)).not.toContain('45009')
    expect(stack.output()).toContain('getwxacodeunlimit failed: errcode 45009')
    expect(stack.output()).not.toContain('stub-access-token')
  })

  test('order.pay places a signed JSAPI order and answers wx.requestPayment parameters; only a signed notify pays it', async () => {
    const admin = (await stack.login('admin')).token
    const productId = await createProduct(stack, admin, { title: '自营龙井', priceFen: 1990, stock: 5 })
    const buyer = await stack.ok('auth', { action: 'login', code: 'good-code' })
    const { orderId, payableFen } = await stack.ok(
      'order',
      { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() },
      buyer.token,
    )
    const { payment } = await stack.ok('order', { action: 'pay', orderId }, buyer.token)

    // The request WeChat Pay got: the JSAPI order for this buyer, signed with the merchant's key.
    const placed = wechat.requests.find((r) => r.path === '/v3/pay/transactions/jsapi')!
    expect(JSON.parse(placed.body)).toMatchObject({
      appid: APP_ID,
      mchid: MCH_ID,
      out_trade_no: orderId,
      notify_url: 'https://shop.example.com/api/pay/notify/wechat',
      amount: { total: payableFen, currency: 'CNY' },
      payer: { openid: 'o_wechat_buyer' },
    })
    const auth = parseAuthorization(String(placed.headers.authorization))
    const signed = `POST\n/v3/pay/transactions/jsapi\n${auth.timestamp}\n${auth.nonce_str}\n${placed.body}\n`
    expect(createVerify('RSA-SHA256').update(signed).verify(merchant.publicKey, auth.signature!, 'base64')).toBe(true)

    // What the mini-program hands to wx.requestPayment.
    expect(payment).toMatchObject({ provider: 'wechat', package: 'prepay_id=wx_prepay_0001', signType: 'RSA' })
    const paySigned = `${APP_ID}\n${payment.timeStamp}\n${payment.nonceStr}\n${payment.package}\n`
    expect(createVerify('RSA-SHA256').update(paySigned).verify(merchant.publicKey, payment.paySign, 'base64')).toBe(true)

    const postNotify = (n: { headers: Record<string, string>; body: string }) =>
      fetch(`${stack.url}/api/pay/notify/wechat`, { method: 'POST', headers: n.headers, body: n.body }).then(async (r) => ({
        status: r.status,
        answer: (await r.json()) as { code: string; message?: string },
      }))
    const status = async () => (await stack.ok('order', { action: 'get', orderId }, buyer.token)).order.status

    const tx = transaction({ orderId, amountFen: payableFen, transactionId: '4200000001202503010000000001' })
    const genuine = wechatNotify({ platformKey: platform.privateKey, transaction: tx })
    // Altered on the way, signed by someone else, or replayed from long ago: refused, the order stays unpaid.
    const tampered = { ...genuine, body: genuine.body.replace('支付成功', '支付成功!') }
    const forged = wechatNotify({ platformKey: rsaKeyPair().privateKey, transaction: tx })
    const stale = wechatNotify({ platformKey: platform.privateKey, transaction: tx, timestamp: Math.floor(Date.now() / 1000) - 600 })
    for (const bad of [tampered, forged, stale]) {
      const r = await postNotify(bad)
      expect(r.status).toBe(401)
      expect(r.answer.code).toBe('FAIL')
    }
    expect(await status()).toBe('pending_payment')

    // A genuine notify of a payment not (yet) made is acknowledged and changes nothing.
    const notPaid = wechatNotify({ platformKey: platform.privateKey, transaction: { ...tx, trade_state: 'NOTPAY' } })
    expect(await postNotify(notPaid)).toEqual({ status: 200, answer: { code: 'SUCCESS', message: 'trade_state NOTPAY' } })
    expect(await status()).toBe('pending_payment')

    expect(await postNotify(genuine)).toEqual({ status: 200, answer: { code: 'SUCCESS', message: 'paid' } })
    expect(await status()).toBe('paid')
    // WeChat Pay sends a notify again until it hears SUCCESS: a replay changes nothing more.
    expect(await postNotify(genuine)).toEqual({ status: 200, answer: { code: 'SUCCESS', message: 'duplicate' } })
    const [{ n }] = await sql(stack, 'SELECT count(*)::int AS n FROM payments WHERE order_id = $1', [orderId])
    expect(n).toBe(1)
  })
})
