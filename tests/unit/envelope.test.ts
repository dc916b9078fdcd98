import { keywordChecker } from '../../cloud/adapters/content/keywords'
import { sandboxPayment } from '../../cloud/adapters/payment/sandbox'
import { decodeCursor, encodeCursor } from '../../cloud/core/paging'
import { BusinessError } from '../../cloud/core/errors'
import { configFromEnv } from '../../cloud/functions/config'
import { handler } from '../../cloud/functions/auth'
import { errorEnvelope, invoke, type Deps } from '../../cloud/functions/define'
import type { Database } from '../../cloud/db/database'

/** Bad input must be refused before any transaction opens: this database fails the test if touched. */
const untouchable: Database = {
  transaction: () => {
    throw new Error('bad input reached the database')
  },
  pool: undefined as never,
  close: async () => undefined,
}
const deps: Deps = {
  db: untouchable,
  config: configFromEnv({}, { cloud: false }),
  payments: sandboxPayment({ secret: 'x', baseUrl: '' }),
  notifier: { send: async () => undefined },
  contentCheck: keywordChecker(),
  media: { check: async () => true },
  avatars: { put: async () => '' },
  risk: { level: async () => 0 },
  transfers: { pay: async () => ({ state: 'paid', transferId: '' }), find: async () => null },
  posters: { codeFor: async () => '' },
  imageProcessor: { process: async () => ({ ok: false, reason: '' }) },
  imageStore: { put: async () => '' },
  login: null,
  phones: { name: 'sandbox', phoneOf: async () => ({ ok: false, reason: 'INVALID_CODE' }) },
  wecom: null,
}

describe('the envelope', () => {
  test('an error envelope carries the code and its Chinese message', () => {
    expect(errorEnvelope('COUPON_SOLD_OUT')).toEqual({ ok: false, error: { code: 'COUPON_SOLD_OUT', message: '优惠券已抢光' } })
    expect(errorEnvelope('NOT_FOUND', '订单不存在')).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: '订单不存在' } })
  })

  test.each([
    ['not an object', 'x'],
    ['null', null],
    ['an array', [{ action: 'devLogin' }]],
    ['no action', { openid: 'a' }],
    ['an unknown action', { action: 'steal' }],
    ['an inherited name as action', { action: 'constructor' }],
    ['a field of the wrong type', { action: 'devLogin', openid: 42 }],
    ['a NUL in a string', { action: 'devLogin', openid: 'a\u0000' }],
  ])('%s is VALIDATION_FAILED and never reaches the database', async (_name, data) => {
    const res = await invoke(handler, data, { kind: 'none' }, deps)
    expect(res.ok).toBe(false)
    if (!res.ok) expect(res.error.code).toBe('VALIDATION_FAILED')
  })

  test('the fields that failed are named, without internals', async () => {
    const res = await invoke(handler, { action: 'devLogin', openid: '' }, { kind: 'none' }, deps)
    expect(res).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: [{ path: 'openid' }] } })
  })

  test('a business refusal keeps its code', () => {
    const e = new BusinessError('OUT_OF_STOCK')
    expect(e.code).toBe('OUT_OF_STOCK')
  })
})

describe('cursors', () => {
  test('round-trip and refuse what was never issued', () => {
    expect(decodeCursor(encodeCursor(42))).toBe(42)
    expect(() => decodeCursor('Zm9v')).toThrow(BusinessError)
    expect(() => decodeCursor(Buffer.from('s:-1').toString('base64url'))).toThrow(BusinessError)
  })
})

describe('configuration from the environment', () => {
  test('admins default to `admin`; a list is comma separated', () => {
    expect([...configFromEnv({}, { cloud: false }).adminOpenids]).toEqual(['admin'])
    expect([...configFromEnv({ ADMIN_OPENIDS: 'a, b,,c' }, { cloud: false }).adminOpenids]).toEqual(['a', 'b', 'c'])
  })

  test('dev login is off in production and in CloudBase unless DEV_LOGIN=1', () => {
    expect(configFromEnv({}, { cloud: false }).devLoginEnabled).toBe(true)
    expect(configFromEnv({ NODE_ENV: 'production' }, { cloud: false }).devLoginEnabled).toBe(false)
    expect(configFromEnv({}, { cloud: true }).devLoginEnabled).toBe(false)
    expect(configFromEnv({ NODE_ENV: 'production', DEV_LOGIN: '1' }, { cloud: false }).devLoginEnabled).toBe(true)
  })
})
