/**
 * The ways into membership without a database: the masked phone, how WeCom's events combine in any
 * order, the phone adapters' mapping of WeChat's answers, the WeCom adapter's requests, and the
 * host's WECOM_* settings.
 */
import fc from 'fast-check'
import { sandboxPhones } from '../../cloud/adapters/phone/sandbox'
import { phoneResult, wechatPhones } from '../../cloud/adapters/phone/wechat'
import type { AccessTokens } from '../../cloud/adapters/wechat/stable-token'
import { wecomContacts } from '../../cloud/adapters/wecom/wecom'
import { applyEvent, contactHolds, endedAt, maskPhone, newContactState, type Follows } from '../../cloud/core/member/join.rules'
import type { VerifiedWecomEvent } from '../../cloud/core/services.ports'
import { checkHostSettings } from '../../cloud/host/services'

test('phones are shown masked; 联系我 states are random and fit WeCom’s 30 characters', () => {
  expect(maskPhone('13800138000')).toBe('138****8000')
  // One masker for every page and the console: none stays none, a short one is hidden whole (masking
  // it would show most of it), a longer one keeps its first three and last four.
  expect(maskPhone(null)).toBeNull()
  expect(maskPhone('')).toBeNull()
  expect(maskPhone('1380013800')).toBe('****')
  expect(maskPhone('1234567')).toBe('****')
  expect(maskPhone('+8613800138000')).toBe('+86****8000')
  const states = new Set(Array.from({ length: 200 }, newContactState))
  expect(states.size).toBe(200)
  for (const s of states) expect(s).toMatch(/^[a-z0-9]{1,30}$/)
})

const ev = (followUserId: string, change: 'add' | 'remove', createTime: number): VerifiedWecomEvent => ({
  change,
  changeType: change === 'add' ? 'add_external_contact' : 'del_follow_user',
  externalUserId: 'wm1',
  followUserId,
  state: null,
  createTime,
})
const fold = (events: VerifiedWecomEvent[]) => events.reduce<Follows>((f, e) => applyEvent(f, e).follows, {})

test('a delete that overtook its add wins, in an earlier second or the same one', () => {
  const follows = fold([ev('g', 'remove', 20), ev('g', 'add', 10)])
  expect(contactHolds(follows)).toBe(false)
  expect(endedAt(follows)).toBe(20)
  expect(applyEvent(follows, ev('g', 'add', 10)).stale).toBe(true)
  // The same second: a delete is the later fact whichever arrives first (WeCom sends the add first).
  const deleteFirst = applyEvent(fold([ev('g', 'remove', 20)]), ev('g', 'add', 20))
  expect(deleteFirst.stale).toBe(true)
  expect(contactHolds(deleteFirst.follows)).toBe(false)
  const addFirst = applyEvent(fold([ev('g', 'add', 20)]), ev('g', 'remove', 20))
  expect(addFirst.stale).toBe(false)
  expect(contactHolds(addFirst.follows)).toBe(false)
  expect(endedAt(addFirst.follows)).toBe(20)
  // A later add makes the contact hold again.
  expect(contactHolds(fold([ev('g', 'add', 20), ev('g', 'remove', 20), ev('g', 'add', 21)]))).toBe(true)
  // The contact holds while it holds with any staff member.
  const two = fold([ev('g', 'add', 1), ev('h', 'add', 2), ev('g', 'remove', 3)])
  expect(contactHolds(two)).toBe(true)
  expect(endedAt(two)).toBeNull()
  expect(endedAt(fold([...[ev('g', 'add', 1), ev('h', 'add', 2), ev('g', 'remove', 3)], ev('h', 'remove', 4)]))).toBe(4)
})

test('events end in the same standing whatever order they arrive in, same seconds included', () => {
  // Distinct events (a replay is stopped before the rules by its key); times from a small range, so many share a second.
  const events = fc
    .uniqueArray(fc.record({ who: fc.constantFrom('g', 'h'), add: fc.boolean(), at: fc.integer({ min: 1, max: 6 }) }), {
      selector: (e) => `${e.who}:${e.at}:${e.add}`,
      maxLength: 12,
    })
    .map((list) => list.map((e) => ev(e.who, e.add ? 'add' : 'remove', e.at)))
  // The order of the facts: by CreateTime, a delete after an add within one second.
  const inFactOrder = (list: VerifiedWecomEvent[]) =>
    [...list].sort((a, b) => a.createTime - b.createTime || (a.change === b.change ? 0 : a.change === 'add' ? -1 : 1))
  fc.assert(
    fc.property(events, fc.array(fc.nat(), { minLength: 12, maxLength: 12 }), (list, keys) => {
      const expected = fold(inFactOrder(list))
      const shuffled = list
        .map((e, i) => ({ e, k: keys[i]! }))
        .sort((a, b) => a.k - b.k)
        .map((x) => x.e)
      expect(fold(shuffled)).toEqual(expected)
    }),
  )
})

test('getuserphonenumber answers: a mainland number, a refused code, others refused clearly, failures thrown', async () => {
  const info = (purePhoneNumber: string, countryCode = '86') => ({
    errcode: 0,
    phone_info: { purePhoneNumber, countryCode, watermark: { appid: 'wxapp' } },
  })
  expect(phoneResult(info('13800138000'), 'wxapp')).toEqual({ ok: true, phone: '13800138000' })
  expect(phoneResult({ errcode: 40029, errmsg: 'invalid code' })).toEqual({ ok: false, reason: 'INVALID_CODE' })
  expect(phoneResult(info('4155550100', '1'), 'wxapp')).toEqual({ ok: false, reason: 'NOT_MAINLAND' })
  expect(phoneResult(info('12800138000'), 'wxapp')).toEqual({ ok: false, reason: 'NOT_MAINLAND' })
  expect(() => phoneResult(info('13800138000'), 'anotherapp')).toThrow(/another AppID/)
  expect(() => phoneResult({ errcode: -1, errmsg: 'system busy' })).toThrow(/errcode -1/)
  expect(() => phoneResult({ errcode: 0 })).toThrow(/no phone_info/)

  const sandbox = sandboxPhones()
  expect(await sandbox.phoneOf('sandbox-phone:13912345678')).toEqual({ ok: true, phone: '13912345678' })
  expect(await sandbox.phoneOf('sandbox-phone:1391234567')).toEqual({ ok: false, reason: 'INVALID_CODE' })
  expect(await sandbox.phoneOf('0a1b2c')).toEqual({ ok: false, reason: 'INVALID_CODE' })
})

test('the phone adapter posts the code with the access token, and renews a refused token once', async () => {
  const seen: Array<{ url: string; body: string }> = []
  let renewed = 0
  const tokens: AccessTokens = { get: async () => 'old', renew: async () => (renewed++, 'new') }
  const fetchFn = (async (url: URL, init: RequestInit) => {
    seen.push({ url: String(url), body: String(init.body) })
    const body =
      url.searchParams.get('access_token') === 'old'
        ? { errcode: 40001, errmsg: 'invalid credential' }
        : {
            errcode: 0,
            phone_info: { purePhoneNumber: '13700001111', countryCode: '86', watermark: { appid: 'wxapp' } },
          }
    return new Response(JSON.stringify(body))
  }) as unknown as typeof fetch
  const phones = wechatPhones(tokens, { appId: 'wxapp', apiBase: 'https://wx.test' }, fetchFn)
  expect(await phones.phoneOf('c0de')).toEqual({ ok: true, phone: '13700001111' })
  expect(renewed).toBe(1)
  expect(seen.map((s) => s.url)).toEqual([
    'https://wx.test/wxa/business/getuserphonenumber?access_token=old',
    'https://wx.test/wxa/business/getuserphonenumber?access_token=new',
  ])
  expect(JSON.parse(seen[0]!.body)).toEqual({ code: 'c0de' })
})

test('the WeCom adapter asks gettoken once and makes a single-person QR 联系我 with the state', async () => {
  const seen: Array<{ url: URL; body: unknown }> = []
  const fetchFn = (async (url: URL, init: RequestInit) => {
    seen.push({ url, body: init.body ? JSON.parse(String(init.body)) : null })
    if (url.pathname === '/cgi-bin/gettoken') return new Response(JSON.stringify({ errcode: 0, access_token: 'T1', expires_in: 7200 }))
    return new Response(JSON.stringify({ errcode: 0, config_id: 'cfg1', qr_code: 'https://wework.qpic.cn/qr.png' }))
  }) as unknown as typeof fetch
  const cfg = { corpId: 'ww1', secret: 's3cret', token: 't', encodingAesKey: 'a'.repeat(43), userId: 'guide', apiBase: 'https://qy.test' }
  const wecom = wecomContacts(cfg, fetchFn)
  const [a, b] = await Promise.all([wecom.createContactWay('ms01'), wecom.createContactWay('ms02')])
  expect(a).toEqual({ configId: 'cfg1', qrCode: 'https://wework.qpic.cn/qr.png' })
  expect(b.configId).toBe('cfg1')
  expect(seen.filter((s) => s.url.pathname === '/cgi-bin/gettoken')).toHaveLength(1)
  const made = seen.filter((s) => s.url.pathname === '/cgi-bin/externalcontact/add_contact_way')
  expect(made[0]!.url.searchParams.get('access_token')).toBe('T1')
  expect(made[0]!.body).toMatchObject({ type: 1, scene: 2, state: 'ms01', user: ['guide'] })
  expect(wecom.sandboxAddUrl('ms01')).toBeNull()
  await expect(wecom.createContactWay('x'.repeat(31))).rejects.toThrow(/30 characters/)
})

test('WECOM_* settings: all or none, the AES key checked; the sandbox locally without them', () => {
  const ok = (r: ReturnType<typeof checkHostSettings>) => {
    if (!r.ok) throw new Error(r.problems.join('\n'))
    return r.settings
  }
  expect(ok(checkHostSettings({}))).toMatchObject({ wecomProvider: 'sandbox', wecom: null })
  const full = {
    WECOM_CORP_ID: 'ww1',
    WECOM_SECRET: 's',
    WECOM_TOKEN: 't',
    WECOM_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
    WECOM_USER_ID: 'guide',
  }
  expect(ok(checkHostSettings(full))).toMatchObject({ wecomProvider: 'wecom', wecom: { corpId: 'ww1', userId: 'guide' } })
  const partial = checkHostSettings({ WECOM_CORP_ID: 'ww1' })
  expect(partial.ok).toBe(false)
  if (!partial.ok) expect(partial.problems.join('\n')).toContain('missing WECOM_SECRET, WECOM_TOKEN, WECOM_AES_KEY, WECOM_USER_ID')
  const badKey = checkHostSettings({ ...full, WECOM_AES_KEY: 'short' })
  expect(badKey.ok).toBe(false)
  if (!badKey.ok) expect(badKey.problems.join('\n')).toContain('WECOM_AES_KEY must be the 43-character EncodingAESKey')
})
