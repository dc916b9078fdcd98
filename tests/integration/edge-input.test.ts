/**
 * The edge never answers 500 for input, and never lets input it refuses reach the database:
 * fuzzed bodies (NUL in keys and values, 5,000-deep nesting, numbers out of range, lone
 * surrogates, non-object bodies, wrong content types) to every route; who is calling is checked
 * before what they sent; a payment notify's signature is the exact lowercase hex, nothing else.
 */
import http from 'node:http'
import { handlers } from '../../cloud/functions'
import { createProduct, key, postNotify, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let admin: string
let shopper: string

beforeAll(async () => {
  stack = await startStack()
  admin = (await stack.login('admin')).token
  shopper = (await stack.login('edge-shopper')).token
}, 90_000)
afterAll(() => stack?.stop())

/** One raw request, any method, content type and body; the status and the body as text. */
function raw(
  pathname: string,
  opts: { method?: string; contentType?: string | null; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string }> {
  const url = new URL(pathname, stack.url)
  const headers: Record<string, string> = { ...opts.headers }
  if (opts.contentType !== null) headers['content-type'] = opts.contentType ?? 'application/json'
  if (opts.body !== undefined) headers['content-length'] = String(Buffer.byteLength(opts.body))
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'POST', headers, agent: false }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d) => (text += d))
      res.on('end', () => resolve({ status: res.statusCode!, text }))
    })
    req.on('error', reject)
    if (opts.body !== undefined) req.write(opts.body)
    req.end()
  })
}

/** Rows in every table of the stack's database, to show that refused input stored nothing. */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = await sql(
    stack,
    `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  )
  const counts: Record<string, number> = {}
  for (const { t } of tables) counts[t] = (await sql(stack, `SELECT count(*)::int AS n FROM "${t}"`))[0].n
  return counts
}

const deepArray = '['.repeat(5000) + ']'.repeat(5000)
const deepObject = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000)

/** Bodies no route may take, each with the content type it is sent with. */
const fuzz: Array<[string, string, string | null]> = [
  ['NUL in a value', '{"action":"devLogin","openid":"a\\u0000b"}', 'application/json'],
  ['NUL in a key', '{"action":"devLogin","openid":"a","k\\u0000":1}', 'application/json'],
  ['NUL in the action name', '{"action":"devLogin\\u0000"}', 'application/json'],
  [
    'NUL in a notify field',
    '{"orderId":"o\\u0000","amountFen":1,"transactionId":"t","nonce":"n","timestamp":1,"sign":"x"}',
    'application/json',
  ],
  ['a lone surrogate', '{"action":"devLogin","openid":"\\ud800"}', 'application/json'],
  ['a lone surrogate in a key', '{"\\udc00":1}', 'application/json'],
  ['5,000 nested arrays', deepArray, 'application/json'],
  ['5,000 nested objects', deepObject, 'application/json'],
  ['5,000 nested arrays inside a call', `{"action":"devLogin","openid":"a","x":${deepArray}}`, 'application/json'],
  ['40 nested arrays inside a notify', `{"orderId":"o","x":${'['.repeat(40)}${']'.repeat(40)}}`, 'application/json'],
  ['1e400', '1e400', 'application/json'],
  ['1e400 in a field', '{"action":"createProduct","title":"t","priceFen":1e400,"stock":1}', 'application/json'],
  ['-1e400 in a notify', '{"orderId":"o","amountFen":-1e400}', 'application/json'],
  ['a number past 2^53', '{"action":"createProduct","title":"t","priceFen":123456789012345678901234567890,"stock":1}', 'application/json'],
  ['null', 'null', 'application/json'],
  ['a number', '42', 'application/json'],
  ['a string', '"x"', 'application/json'],
  ['true', 'true', 'application/json'],
  ['an empty array', '[]', 'application/json'],
  ['an array of calls', '[{"action":"devLogin","openid":"a"}]', 'application/json'],
  ['__proto__', '{"__proto__":{"isAdmin":true},"action":"devLogin","openid":"p"}', 'application/json'],
  ['constructor.prototype', '{"constructor":{"prototype":{"isAdmin":true}},"action":"devLogin","openid":"p"}', 'application/json'],
  ['broken JSON', '{"action":', 'application/json'],
  ['an empty body', '', 'application/json'],
  ['JSON as text/plain', '{"action":"devLogin","openid":"plain"}', 'text/plain'],
  ['NUL as text/plain', 'a\u0000b', 'text/plain'],
  ['a form', 'action=devLogin&openid=form', 'application/x-www-form-urlencoded'],
  ['multipart', '--b\r\ncontent-disposition: form-data; name="action"\r\n\r\ndevLogin\r\n--b--\r\n', 'multipart/form-data; boundary=b'],
  ['no content type', '{"action":"devLogin","openid":"none"}', null],
  ['a lookalike content type', '{"action":"devLogin","openid":"x"}', 'application/jsonx'],
  ['over 64 KiB', `{"action":"devLogin","openid":"a","pad":"${'x'.repeat(70 * 1024)}"}`, 'application/json'],
]

const routes = [
  ...Object.keys(handlers).map((name) => `/api/fn/${name}`),
  '/api/fn/nope',
  '/api/pay/notify/sandbox',
  '/api/pay/sandbox/cashier',
  '/api/elsewhere',
]

describe('fuzzed bodies', () => {
  test('every route answers 4xx (never 500) to every fuzzed body, and nothing is stored', async () => {
    const before = await rowCounts()
    const failures: string[] = []
    for (const route of routes) {
      for (const token of [undefined, admin]) {
        for (const [name, body, contentType] of fuzz) {
          const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {}
          const r = await raw(route, { body, contentType, headers })
          if (r.status < 400 || r.status >= 500)
            failures.push(`${route} ${name}${token ? ' (admin)' : ''}: ${r.status} ${r.text.slice(0, 120)}`)
          // Also a cashier wrapping the body, as the 模拟支付 sheet sends it.
          if (route.endsWith('/cashier') && contentType === 'application/json' && body.length < 60_000) {
            const wrapped = await raw(route, { body: `{"body":${body || 'null'}}`, headers })
            if (wrapped.status < 400 || wrapped.status >= 500)
              failures.push(`${route} wrapped ${name}: ${wrapped.status} ${wrapped.text.slice(0, 120)}`)
          }
        }
      }
    }
    expect(failures).toEqual([])
    const after = await rowCounts()
    // A notify that parses but isn't one is kept in the rejection log (MALFORMED), as before, and the
    // rate limiter keeps its buckets; nothing else is stored.
    const { payment_notify_rejections: rejectionsAfter, rate_limits: _a, ...restAfter } = after
    const { payment_notify_rejections: rejectionsBefore, rate_limits: _b, ...restBefore } = before
    expect(restAfter).toEqual(restBefore)
    const added = await sql(stack, `SELECT reason, body FROM payment_notify_rejections ORDER BY id DESC LIMIT $1`, [
      rejectionsAfter! - rejectionsBefore!,
    ])
    for (const row of added) expect(row.reason).toBe('MALFORMED')
  }, 120_000)

  test('refused transport input answers the route’s own shape: the envelope for calls, FAIL for notifies', async () => {
    const call = await raw('/api/fn/auth', { body: '{"action":"devLogin","openid":"a\\u0000"}' })
    expect(call.status).toBe(400)
    expect(JSON.parse(call.text)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
    const deep = await raw('/api/fn/auth', { body: deepObject })
    expect(deep.status).toBe(400)
    expect(JSON.parse(deep.text)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
    for (const body of ['{"orderId":"o\\u0000"}', deepArray, '1e400', '{', '']) {
      const notify = await raw('/api/pay/notify/sandbox', { body })
      expect(notify.status).toBe(400)
      expect(JSON.parse(notify.text)).toEqual({ code: 'FAIL', message: expect.any(String) })
    }
    const plain = await raw('/api/pay/notify/sandbox', { body: 'x', contentType: 'text/plain' })
    expect(plain.status).toBe(400)
    expect(JSON.parse(plain.text)).toEqual({ code: 'FAIL', message: expect.any(String) })
    // A URL the router can't decode is bad input with the envelope, not the framework's own body.
    const badUrl = await fetch(`${stack.url}/api/fn/%E0%A4%A`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    expect(badUrl.status).toBe(400)
    expect(await badUrl.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: '请求地址无效' } })
  })

  test('a valid call still goes through the one JSON parser, charset and all', async () => {
    const r = await raw('/api/fn/catalog', {
      body: '{"action":"list"}',
      contentType: 'application/json; charset=utf-8',
      headers: { authorization: `Bearer ${shopper}` },
    })
    expect(r.status).toBe(200)
    // 32 levels of nesting are allowed; a string with every other control character is fine.
    const ok = await stack.call('auth', { action: 'devLogin', openid: 'ctl\u0001\u001f', x: JSON.parse('['.repeat(31) + ']'.repeat(31)) })
    expect(ok.status).toBe(200)
  })
})

describe('media routes', () => {
  test.each([
    ['a hue past 2^64', '/media/art/999999999999999999999/x.svg'],
    ['a negative hue', '/media/art/-1/x.svg'],
    ['NaN as hue', '/media/art/NaN/x.svg'],
    ['a 5,000-character label', `/media/art/1/${'x'.repeat(5000)}.svg`],
    ['NUL as label', '/media/art/1/%00.svg'],
    ['a broken escape as label', '/media/art/1/%ZZ.svg'],
    ['an encoded surrogate as label', '/media/art/1/%ED%A0%80.svg'],
    ['a QR code of 3,000 characters', `/media/qr.svg?text=${encodeURIComponent('字'.repeat(3000))}`],
    ['a QR code of 150 emoji after one letter', `/media/qr.svg?text=${encodeURIComponent('a' + '😀'.repeat(150))}`],
    ['a QR code of NUL', '/media/qr.svg?text=%00'],
    ['a QR code of an encoded surrogate', '/media/qr.svg?text=%ED%A0%80'],
    ['a QR code of a broken escape', '/media/qr.svg?text=%ZZ'],
    ['a QR code of two texts', '/media/qr.svg?text=a&text=b'],
    ['a QR code of text[]', '/media/qr.svg?text[]=a'],
    ['a file outside the assets', '/media/files/..%2f..%2fpackage.json'],
  ])('%s is not a 500', async (_name, pathname) => {
    const r = await raw(pathname, { method: 'GET', contentType: null })
    expect(r.status).toBeLessThan(500)
  })

  test('a QR code of 199 characters and an emoji is drawn whole, not cut inside the emoji', async () => {
    const r = await raw(`/media/qr.svg?text=${encodeURIComponent('a'.repeat(199) + '😀')}`, { method: 'GET', contentType: null })
    expect(r.status).toBe(200)
    expect(r.text).toContain('<svg')
  })
})

describe('who is calling comes before what they sent', () => {
  const entries = Object.values(handlers).flatMap((h) =>
    Object.entries(h.actions).map(([name, def]) => ({ fn: h.name, name, access: def.access })),
  )
  const adminActions = entries.filter((e) => e.fn === 'admin')
  const userActions = entries.filter((e) => e.access !== 'public' && e.fn !== 'admin')

  test('the lists are not empty', () => {
    expect(adminActions.length).toBeGreaterThan(5)
    expect(userActions.length).toBeGreaterThan(5)
  })

  test('every admin action with {} and no token is 401, with a shopper token 403, without field details', async () => {
    for (const a of adminActions) {
      const none = await stack.call('admin', { action: a.name })
      expect([a.name, none.status, none.body]).toEqual([
        a.name,
        401,
        { ok: false, error: { code: 'UNAUTHENTICATED', message: '请先登录' } },
      ])
      const bad = await stack.call('admin', { action: a.name }, 'not-a-token')
      expect([a.name, bad.status]).toEqual([a.name, 401])
      const shop = await stack.call('admin', { action: a.name }, shopper)
      expect([a.name, shop.status, shop.body.ok ? null : shop.body.error.code]).toEqual([a.name, 403, 'FORBIDDEN'])
      expect(shop.body.ok ? null : shop.body.error.details).toBeUndefined()
    }
  })

  test('every other signed-in action without a token is 401, whatever the fields', async () => {
    for (const a of userActions) {
      const none = await stack.call(a.fn, { action: a.name, junk: [1, 2, 3] })
      expect([`${a.fn}.${a.name}`, none.status]).toEqual([`${a.fn}.${a.name}`, 401])
    }
  })

  test('an admin with bad fields still gets 400 with the field list', async () => {
    const r = await stack.call('admin', { action: 'createProduct' }, admin)
    expect(r.status).toBe(400)
    expect(r.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: expect.any(Array) } })
  })
})

describe('payment notify signatures', () => {
  test('an uppercase or padded signature is refused, and the order stays unpaid', async () => {
    const productId = await createProduct(stack, admin, { priceFen: 700, stock: 3 })
    const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, shopper)
    const { payment } = await stack.ok('order', { action: 'pay', orderId }, shopper)
    const sign: string = payment.body.sign
    const forged = [
      { ...payment.body, sign: sign.toUpperCase() },
      { ...payment.body, sign: `${sign}zz` },
      { ...payment.body, sign: `${sign}0` },
      { ...payment.body, sign: `${sign} ` },
      { ...payment.body, sign: sign.slice(0, 63) },
      { ...payment.body, extra: 'x' },
      { ...payment.body, amountFen: String(payment.body.amountFen) },
      { ...payment.body, amountFen: payment.body.amountFen + 0.5 },
      { ...payment.body, orderId: [orderId] },
    ]
    for (const body of forged) {
      const r = await postNotify(payment.notifyUrl, body)
      expect([r.status, r.answer.code]).toEqual([400, 'FAIL'])
    }
    expect((await stack.ok('order', { action: 'get', orderId }, shopper)).order.status).toBe('pending_payment')
    expect(await sql(stack, 'SELECT 1 FROM payments WHERE order_id = $1', [orderId])).toHaveLength(0)
    // The genuine one still pays.
    expect((await postNotify(payment.notifyUrl, payment.body)).answer.code).toBe('SUCCESS')
  })
})
