/**
 * WeChat's phone number quick verification for a self-hosted server: `POST
 * /wxa/business/getuserphonenumber?access_token=…` with the getPhoneNumber button's `{code}` answers
 * `phone_info` (phoneNumber, purePhoneNumber, countryCode, watermark). Only mainland mobiles are
 * taken (countryCode 86, 1[3-9] and 9 digits). A refused access token (40001, 42001) is renewed once.
 */
import type { PhoneNumbers } from '../../core/services.ports'
import { TOKEN_REJECTED, WX_API_BASE, type AccessTokens } from '../wechat/stable-token'

type PhoneResult = Awaited<ReturnType<PhoneNumbers['phoneOf']>>

export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/

/**
 * What getuserphonenumber's answer means, the one mapping the real adapter and the sandbox share: a
 * mainland number, a refusal (40029: the code is unknown, used or expired; a number from elsewhere),
 * or a throw for anything else (-1 busy, 45011 over the rate, unexpected errcodes).
 */
export function phoneResult(body: { errcode?: unknown; errmsg?: unknown; phone_info?: unknown }, appId?: string): PhoneResult {
  const errcode = typeof body.errcode === 'number' ? body.errcode : 0
  if (errcode === 40029) return { ok: false, reason: 'INVALID_CODE' }
  if (errcode !== 0) {
    throw new Error(`getuserphonenumber failed: errcode ${errcode} ${typeof body.errmsg === 'string' ? body.errmsg : ''}`.trim())
  }
  const info = body.phone_info as { purePhoneNumber?: unknown; countryCode?: unknown; watermark?: { appid?: unknown } } | undefined
  if (!info || typeof info.purePhoneNumber !== 'string') throw new Error('getuserphonenumber answered no phone_info')
  // The number is for this mini-program (the watermark names its AppID), or it is no answer to our code.
  if (appId !== undefined && info.watermark?.appid !== appId) throw new Error('getuserphonenumber answered for another AppID')
  const country = String(info.countryCode ?? '')
  if (country !== '86' || !MAINLAND_MOBILE.test(info.purePhoneNumber)) return { ok: false, reason: 'NOT_MAINLAND' }
  return { ok: true, phone: info.purePhoneNumber }
}

export interface WechatPhoneConfig {
  appId: string
  apiBase?: string
  timeoutMs?: number
}

export function wechatPhones(tokens: AccessTokens, cfg: WechatPhoneConfig, fetchFn: typeof fetch = fetch): PhoneNumbers {
  async function ask(token: string, code: string): Promise<{ errcode?: unknown; errmsg?: unknown; phone_info?: unknown }> {
    const url = new URL('/wxa/business/getuserphonenumber', cfg.apiBase ?? WX_API_BASE)
    url.searchParams.set('access_token', token)
    let text: string
    try {
      const res = await fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
        signal: AbortSignal.timeout(cfg.timeoutMs ?? 5_000),
      })
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      text = await res.text()
    } catch (err) {
      // The URL carries the access token: only the reason goes into the error.
      throw new Error(`getuserphonenumber unreachable: ${err instanceof Error ? err.message : String(err)}`)
    }
    try {
      const body = JSON.parse(text) as unknown
      if (!body || typeof body !== 'object') throw new Error('not an object')
      return body as { errcode?: unknown }
    } catch {
      throw new Error('getuserphonenumber answered something other than a JSON object')
    }
  }
  return {
    name: 'wechat',
    async phoneOf(code) {
      let token = await tokens.get()
      let body = await ask(token, code)
      if (typeof body.errcode === 'number' && TOKEN_REJECTED.has(body.errcode)) {
        token = await tokens.renew(token)
        body = await ask(token, code)
      }
      return phoneResult(body, cfg.appId)
    },
  }
}
