/**
 * The host's start-up checks: what production refuses (a sandbox without the loud opt-in, missing
 * WeChat settings, a number that is not one), what it warns about, and what it defaults to.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileImages } from '../../cloud/adapters/images/file-store'
import { isImageRef } from '../../cloud/contract'
import { configFromEnv } from '../../cloud/functions/config'
import { checkHostSettings, DEMO_SERVICE_PHONE, type SettingsCheck } from '../../cloud/host/services'
import { APIV3_KEY, APP_ID, MCH_ID, MCH_SERIAL, PLATFORM_SERIAL, rsaKeyPair } from '../helpers/wechatpay'

const merchant = rsaKeyPair()
const platform = rsaKeyPair()
const files: Record<string, string> = {
  '/etc/weshop/apiclient_key.pem': merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  '/etc/weshop/pub_key.pem': platform.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
}
const readFile = (p: string) => {
  if (!(p in files)) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' })
  return files[p]!
}

const WECHAT = {
  WX_APPID: APP_ID,
  WX_APP_SECRET: 'app-secret',
  WXPAY_MCHID: MCH_ID,
  WXPAY_MCH_SERIAL_NO: MCH_SERIAL,
  WXPAY_PRIVATE_KEY_FILE: '/etc/weshop/apiclient_key.pem',
  WXPAY_APIV3_KEY: APIV3_KEY,
  WXPAY_PLATFORM_PUBLIC_KEY_FILE: '/etc/weshop/pub_key.pem',
  WXPAY_PLATFORM_SERIAL: PLATFORM_SERIAL,
  WXPAY_NOTIFY_URL: 'https://shop.example.com/api/pay/notify/wechat',
}

const check = (env: Record<string, string>) => checkHostSettings(env, readFile)
const problems = (r: SettingsCheck) => (r.ok ? [] : r.problems).join('\n')

test('locally everything is a sandbox, without warnings', () => {
  const r = check({})
  expect(r).toMatchObject({ ok: true, warnings: [], settings: { production: false, payProvider: 'sandbox', loginProvider: 'sandbox' } })
})

test('production defaults to WeChat and, without its settings, refuses to start naming every missing variable', () => {
  const r = check({ NODE_ENV: 'production' })
  expect(r.ok).toBe(false)
  const text = problems(r)
  for (const name of Object.keys(WECHAT)) expect(text).toContain(name)
  expect(text).toContain('LOGIN_PROVIDER=wechat (the default in production) needs WX_APPID, WX_APP_SECRET')
})

test('production with every WeChat setting starts on WeChat Pay v3 and code2Session', () => {
  const r = check({ NODE_ENV: 'production', ...WECHAT })
  if (!r.ok) throw new Error(problems(r))
  expect(r.warnings).toEqual([])
  expect(r.settings).toMatchObject({
    payProvider: 'wechat',
    loginProvider: 'wechat',
    wechatLogin: { appId: APP_ID, appSecret: 'app-secret' },
    wechatPay: { appId: APP_ID, mchId: MCH_ID, mchSerialNo: MCH_SERIAL, platformSerial: PLATFORM_SERIAL },
  })
  expect(r.settings.config.devLoginEnabled).toBe(false)
})

test('keys may be given inline, one line with \\n escapes', () => {
  const { WXPAY_PRIVATE_KEY_FILE: _a, WXPAY_PLATFORM_PUBLIC_KEY_FILE: _b, ...rest } = WECHAT
  const oneLine = (pem: string) => pem.trim().replace(/\n/g, '\\n')
  const r = check({
    NODE_ENV: 'production',
    ...rest,
    WXPAY_PRIVATE_KEY: oneLine(files['/etc/weshop/apiclient_key.pem']!),
    WXPAY_PLATFORM_PUBLIC_KEY: oneLine(files['/etc/weshop/pub_key.pem']!),
  })
  expect(problems(r)).toBe('')
})

test('a sandbox in production needs UNSAFE_SANDBOX_IN_PRODUCTION=1, and is then a warning', () => {
  const refused = check({ NODE_ENV: 'production', PAY_PROVIDER: 'sandbox', ...WECHAT })
  expect(refused.ok).toBe(false)
  expect(problems(refused)).toMatch(
    /PAY_PROVIDER=sandbox in production: any buyer can mark their own order paid.*UNSAFE_SANDBOX_IN_PRODUCTION=1/,
  )
  const login = check({ NODE_ENV: 'production', LOGIN_PROVIDER: 'sandbox', ...WECHAT })
  expect(problems(login)).toMatch(/LOGIN_PROVIDER=sandbox in production.*UNSAFE_SANDBOX_IN_PRODUCTION=1/)

  const allowed = check({ NODE_ENV: 'production', PAY_PROVIDER: 'sandbox', LOGIN_PROVIDER: 'sandbox', UNSAFE_SANDBOX_IN_PRODUCTION: '1' })
  if (!allowed.ok) throw new Error(problems(allowed))
  expect(allowed.settings).toMatchObject({ payProvider: 'sandbox', loginProvider: 'sandbox', wechatPay: null, wechatLogin: null })
  expect(allowed.warnings).toHaveLength(2)
})

test('DEV_LOGIN=1 in production is a warning and no longer brings the sandbox payment along', () => {
  const alone = check({ NODE_ENV: 'production', DEV_LOGIN: '1' })
  expect(alone.ok).toBe(false)
  expect(problems(alone)).toContain('PAY_PROVIDER=wechat (the default in production) (WeChat Pay API v3) needs WX_APPID, WXPAY_MCHID')

  const r = check({ NODE_ENV: 'production', DEV_LOGIN: '1', ...WECHAT })
  if (!r.ok) throw new Error(problems(r))
  expect(r.settings.payProvider).toBe('wechat')
  expect(r.settings.config.devLoginEnabled).toBe(true)
  expect(r.warnings).toEqual([expect.stringContaining('DEV_LOGIN=1 in production')])
})

test('choosing WeChat outside production needs its settings too', () => {
  expect(problems(check({ PAY_PROVIDER: 'wechat' }))).toContain('PAY_PROVIDER=wechat (WeChat Pay API v3) needs WX_APPID')
  expect(problems(check({ LOGIN_PROVIDER: 'wechat' }))).toContain('LOGIN_PROVIDER=wechat needs WX_APPID, WX_APP_SECRET')
  expect(problems(check({ PAY_PROVIDER: 'alipay' }))).toContain('PAY_PROVIDER must be "sandbox" or "wechat"')
})

test('bad WeChat Pay settings are named: an unreadable or wrong key, an APIv3 key of the wrong length, a notify URL that is not https', () => {
  const text = problems(
    check({
      NODE_ENV: 'production',
      ...WECHAT,
      WXPAY_PRIVATE_KEY_FILE: '/etc/weshop/missing.pem',
      WXPAY_PLATFORM_PUBLIC_KEY: 'not a key',
      WXPAY_APIV3_KEY: 'short',
      WXPAY_NOTIFY_URL: 'http://shop.example.com/api/pay/notify/wechat',
    }),
  )
  expect(text).toContain('WXPAY_PRIVATE_KEY_FILE: cannot read /etc/weshop/missing.pem (ENOENT)')
  expect(text).toContain('WXPAY_PLATFORM_PUBLIC_KEY is not a PEM public key or certificate')
  expect(text).toContain('WXPAY_APIV3_KEY must be the 32-character APIv3 key')
  expect(text).toContain('WXPAY_NOTIFY_URL must be the public https:// address')
})

describe('numbers of the environment', () => {
  test('REFUND_WINDOW_DAYS=0 means a zero refund window, not the default', () => {
    expect(configFromEnv({ REFUND_WINDOW_DAYS: '0' }, { cloud: false }).refundWindowDays).toBe(0)
    expect(configFromEnv({}, { cloud: false }).refundWindowDays).toBe(7)
    expect(configFromEnv({ REFUND_WINDOW_DAYS: '' }, { cloud: false }).refundWindowDays).toBe(7)
    expect(configFromEnv({ REFUND_WINDOW_DAYS: '1.5' }, { cloud: false }).refundWindowDays).toBe(1.5)
  })

  test('a value that is not a number of the allowed range stops the start, naming the variable', () => {
    for (const v of ['abc', '-1', '7 days', 'Infinity']) {
      expect(() => configFromEnv({ REFUND_WINDOW_DAYS: v }, { cloud: false })).toThrow(/^REFUND_WINDOW_DAYS must be a number of 0 or more/)
    }
    for (const v of ['0', '-5', 'soon']) {
      expect(() => configFromEnv({ ORDER_PAY_MINUTES: v }, { cloud: false })).toThrow(/^ORDER_PAY_MINUTES must be a number above 0/)
    }
    expect(configFromEnv({ ORDER_PAY_MINUTES: '0.02' }, { cloud: false }).orderPayMinutes).toBe(0.02)
    expect(problems(check({ REFUND_WINDOW_DAYS: 'x' }))).toContain('REFUND_WINDOW_DAYS must be a number of 0 or more (it is "x")')
  })
})

test('the demo shop has a 客服 phone unless SHOP_SERVICE_PHONE sets one; SEED=0 and production have none by default', () => {
  const phone = (env: Record<string, string>) => {
    const r = check(env)
    return r.ok ? r.settings.config.servicePhone : 'refused'
  }
  expect(DEMO_SERVICE_PHONE).toBe('400-000-0000')
  expect(phone({})).toBe(DEMO_SERVICE_PHONE)
  expect(phone({ SHOP_SERVICE_PHONE: ' 0571-88888888 ' })).toBe('0571-88888888')
  expect(phone({ SEED: '0' })).toBeUndefined()
  expect(phone({ NODE_ENV: 'production', ...WECHAT })).toBeUndefined()
})

describe('MEDIA_BASE_URL: where the mini-program loads uploaded images from', () => {
  const check = (value?: string) => checkHostSettings(value === undefined ? {} : { MEDIA_BASE_URL: value }, readFile)

  test('unset: uploads are stored by their path on this host', () => {
    const r = check()
    expect(r.ok && r.settings.mediaBaseUrl).toBeNull()
  })

  test('an https origin is taken (a trailing slash dropped), and uploads are stored by their absolute URL', async () => {
    const r = check('https://shop.example.com/')
    expect(r.ok && r.settings.mediaBaseUrl).toBe('https://shop.example.com')
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weshop-media-'))
    const url = await fileImages(dir, 'https://shop.example.com').put('ab/abcdef.jpg', Buffer.from([1, 2, 3]), 'image/jpeg')
    expect(url).toBe('https://shop.example.com/media/uploads/ab/abcdef.jpg')
    expect(isImageRef(url)).toBe(true)
    expect(fs.readFileSync(path.join(dir, 'ab', 'abcdef.jpg'))).toEqual(Buffer.from([1, 2, 3]))
  })

  test.each(['http://shop.example.com', 'https://shop.example.com/media', 'shop.example.com', 'https://'])('%s is refused, named', (v) => {
    const r = check(v)
    expect(r.ok).toBe(false)
    expect(!r.ok && r.problems.join('\n')).toContain('MEDIA_BASE_URL')
  })
})

describe('WX_CODE_ENV_VERSION: which version of the mini-program the codes made from WeChat open', () => {
  test('unset: release', () => {
    const r = check({ NODE_ENV: 'production', ...WECHAT })
    expect(r.ok && r.settings.codeEnvVersion).toBe('release')
  })

  test.each(['release', 'trial', 'develop'])('%s is taken', (v) => {
    const r = check({ NODE_ENV: 'production', ...WECHAT, WX_CODE_ENV_VERSION: v })
    expect(r.ok && r.settings.codeEnvVersion).toBe(v)
  })

  test.each(['beta', 'Release', 'dev'])('%s stops the start, named', (v) => {
    const r = check({ WX_CODE_ENV_VERSION: v })
    expect(r.ok).toBe(false)
    expect(problems(r)).toContain(`WX_CODE_ENV_VERSION must be "release", "trial", "develop" (it is "${v}")`)
  })
})

describe('WeChat Pay 商家转账 (withdrawals)', () => {
  test('without WXPAY_TRANSFER_SCENE_ID there is no transfer adapter (approving fails, the withdrawal stays pending)', () => {
    const r = check({ NODE_ENV: 'production', ...WECHAT })
    if (!r.ok) throw new Error(problems(r))
    expect(r.settings.wechatTransfer).toBeNull()
  })

  test('with the scene and the notify address, transfers go through WeChat with the default 1005 report', () => {
    const r = check({
      NODE_ENV: 'production',
      ...WECHAT,
      WXPAY_TRANSFER_SCENE_ID: '1005',
      WXPAY_TRANSFER_NOTIFY_URL: 'https://shop.example.com/api/pay/notify/wechat-transfer',
    })
    if (!r.ok) throw new Error(problems(r))
    expect(r.settings.wechatTransfer).toMatchObject({
      mchId: MCH_ID,
      transferSceneId: '1005',
      transferRemark: '分享收益提现',
      transferNotifyUrl: 'https://shop.example.com/api/pay/notify/wechat-transfer',
      sceneReportInfos: [{ info_type: '岗位类型' }, { info_type: '报酬说明' }],
    })
  })

  test('a bad scene, a missing or plain-http notify address, a long remark or a malformed report refuse to start, each named', () => {
    const r = check({
      NODE_ENV: 'production',
      ...WECHAT,
      WXPAY_TRANSFER_SCENE_ID: 'cash',
      WXPAY_TRANSFER_NOTIFY_URL: 'http://shop.example.com/api/pay/notify/wechat-transfer',
      WXPAY_TRANSFER_REMARK: '提'.repeat(33),
      WXPAY_TRANSFER_REPORT_INFOS: '[{"info_type": 1}]',
    })
    const text = problems(r)
    for (const name of ['WXPAY_TRANSFER_SCENE_ID', 'WXPAY_TRANSFER_NOTIFY_URL', 'WXPAY_TRANSFER_REMARK', 'WXPAY_TRANSFER_REPORT_INFOS']) {
      expect(text).toContain(name)
    }
    const missing = check({ NODE_ENV: 'production', ...WECHAT, WXPAY_TRANSFER_SCENE_ID: '1005' })
    expect(problems(missing)).toContain('WXPAY_TRANSFER_NOTIFY_URL')
  })
})
