/**
 * The merchant's 企业微信 (WeCom) for 朋友会员: 联系我 codes through the 客户联系 API
 * (`POST /cgi-bin/externalcontact/add_contact_way`: type 1 单人, scene 2 二维码, the customer's
 * `state`), with the corp's access token (`GET /cgi-bin/gettoken?corpid&corpsecret`, kept until 5
 * minutes before it expires, one request in flight, renewed once when refused: 40014, 42001).
 * The callback's checks are in ./callback.ts, with the same keys.
 */
import type { WecomContacts } from '../../core/services.ports'
import type { WecomKeys } from './crypto'

export const WECOM_API_BASE = 'https://qyapi.weixin.qq.com'

/** errcodes that say the corp's access token is no good (invalid, expired). */
const TOKEN_REJECTED = new Set([40014, 42001])

export interface WecomConfig extends WecomKeys {
  /** The 客户联系 secret (WECOM_SECRET). */
  secret: string
  /** The staff member (WeCom UserID) customers add (WECOM_USER_ID); they need the 客户联系 permission. */
  userId: string
  apiBase?: string
  timeoutMs?: number
}

type Json = Record<string, unknown>

export function wecomContacts(cfg: WecomConfig, fetchFn: typeof fetch = fetch, now: () => number = Date.now): WecomContacts {
  let cached: { value: string; until: number } | null = null
  let inflight: Promise<string> | null = null

  async function request(pathname: string, init: { query?: Record<string, string>; body?: Json }): Promise<Json> {
    const url = new URL(pathname, cfg.apiBase ?? WECOM_API_BASE)
    for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v)
    let text: string
    try {
      const res = await fetchFn(url, {
        method: init.body ? 'POST' : 'GET',
        ...(init.body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) } : {}),
        signal: AbortSignal.timeout(cfg.timeoutMs ?? 5_000),
      })
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      text = await res.text()
    } catch (err) {
      // The URL carries the secret or the token: only the reason goes into the error.
      throw new Error(`${pathname} unreachable: ${err instanceof Error ? err.message : String(err)}`)
    }
    try {
      const body = JSON.parse(text) as unknown
      if (!body || typeof body !== 'object') throw new Error('not an object')
      return body as Json
    } catch {
      throw new Error(`${pathname} answered something other than a JSON object`)
    }
  }

  function token(rejected: string | null): Promise<string> {
    if (cached && now() < cached.until && cached.value !== rejected) return Promise.resolve(cached.value)
    inflight ??= (async () => {
      try {
        const body = await request('/cgi-bin/gettoken', { query: { corpid: cfg.corpId, corpsecret: cfg.secret } })
        if (body.errcode !== 0 && body.errcode !== undefined)
          throw new Error(`gettoken failed: errcode ${String(body.errcode)} ${String(body.errmsg ?? '')}`)
        if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') throw new Error('gettoken answered no token')
        const lifetime = body.expires_in > 600 ? body.expires_in - 300 : body.expires_in / 2
        cached = { value: body.access_token, until: now() + lifetime * 1000 }
        return body.access_token
      } finally {
        inflight = null
      }
    })()
    return inflight
  }

  return {
    name: 'wecom',
    async createContactWay(state) {
      if (state.length > 30) throw new Error('a 联系我 state holds at most 30 characters')
      const body = { type: 1, scene: 2, state, user: [cfg.userId], skip_verify: true, remark: '朋友会员' }
      let t = await token(null)
      let answer = await request('/cgi-bin/externalcontact/add_contact_way', { query: { access_token: t }, body })
      if (typeof answer.errcode === 'number' && TOKEN_REJECTED.has(answer.errcode)) {
        t = await token(t)
        answer = await request('/cgi-bin/externalcontact/add_contact_way', { query: { access_token: t }, body })
      }
      if (answer.errcode !== 0 || typeof answer.config_id !== 'string' || typeof answer.qr_code !== 'string') {
        throw new Error(`add_contact_way failed: errcode ${String(answer.errcode)} ${String(answer.errmsg ?? '')}`.trim())
      }
      return { configId: answer.config_id, qrCode: answer.qr_code }
    },
    sandboxAddUrl: () => null,
  }
}
