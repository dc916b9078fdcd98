/**
 * WeChat's code2Session for a self-hosted server: `GET /sns/jscode2session` with the mini-program's
 * AppID and AppSecret turns a `wx.login` code into the user's OPENID. The session_key it also
 * answers is not kept: nothing here decrypts the user's data.
 */
import type { LoginProvider, LoginRefusal } from '../../core/services.ports'

export const WX_API_BASE = 'https://api.weixin.qq.com'

/** The errcodes that refuse the code (or the user) rather than say WeChat failed. */
const REFUSALS: Record<number, LoginRefusal> = {
  40029: 'INVALID_CODE', // unknown or expired (a code lives 5 minutes)
  40163: 'CODE_USED', // a code is single-use
  45011: 'RATE_LIMITED', // the user's login calls are over WeChat's limit
  40226: 'BLOCKED', // WeChat rates the user at high risk and blocks the login
}

type Code2SessionResult = Awaited<ReturnType<LoginProvider['code2Session']>>

/**
 * What code2Session's answer means, the one mapping the real adapter and the sandbox share: an
 * OPENID, a refusal, or a throw for anything else (-1 "system busy" and unexpected errcodes alike).
 */
export function code2SessionResult(body: { openid?: unknown; errcode?: unknown; errmsg?: unknown }): Code2SessionResult {
  const errcode = typeof body.errcode === 'number' ? body.errcode : 0
  if (errcode === 0 && typeof body.openid === 'string' && body.openid !== '') return { ok: true, openid: body.openid }
  const refusal = REFUSALS[errcode]
  if (refusal) return { ok: false, reason: refusal }
  throw new Error(`code2Session failed: errcode ${errcode} ${typeof body.errmsg === 'string' ? body.errmsg : ''}`.trim())
}

export interface WechatLoginConfig {
  appId: string
  appSecret: string
  /** WeChat's API origin (a stub in tests). */
  apiBase?: string
  timeoutMs?: number
}

export function wechatLogin(cfg: WechatLoginConfig, fetchFn: typeof fetch = fetch): LoginProvider {
  return {
    async code2Session(code) {
      const url = new URL('/sns/jscode2session', cfg.apiBase ?? WX_API_BASE)
      url.search = new URLSearchParams({
        appid: cfg.appId,
        secret: cfg.appSecret,
        js_code: code,
        grant_type: 'authorization_code',
      }).toString()
      let text: string
      try {
        const res = await fetchFn(url, { signal: AbortSignal.timeout(cfg.timeoutMs ?? 5_000) })
        if (!res.ok) throw new Error(`HTTP ${res.status}`)
        text = await res.text()
      } catch (err) {
        // The URL carries the secret: only the reason goes into the error.
        throw new Error(`code2Session unreachable: ${err instanceof Error ? err.message : String(err)}`)
      }
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch {
        throw new Error('code2Session answered something other than JSON')
      }
      if (!body || typeof body !== 'object') throw new Error('code2Session answered something other than an object')
      return code2SessionResult(body)
    },
  }
}
