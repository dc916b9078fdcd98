/**
 * WeChat's server access token for a self-hosted server: `POST /cgi-bin/stable_token` (the stable
 * token, which doesn't invalidate the one another holder of the AppSecret uses). Kept in the process
 * until 5 minutes before it expires; one request for it in flight at a time, shared by every caller.
 * A call that WeChat answers with 40001 (invalid token) or 42001 (expired) renews it once.
 */
export const WX_API_BASE = 'https://api.weixin.qq.com'

/** errcodes that say the access token is no good (invalid, expired). */
export const TOKEN_REJECTED = new Set([40001, 42001])

export interface StableTokenConfig {
  appId: string
  appSecret: string
  /** WeChat's API origin (a stub in tests). */
  apiBase?: string
  timeoutMs?: number
}

export interface AccessTokens {
  /** The cached token, or a fresh one. */
  get(): Promise<string>
  /**
   * A token other than `rejected` (which WeChat just refused): the one another caller renewed
   * meanwhile, or a new one. Asks in force mode when the plain answer is the rejected token again.
   */
  renew(rejected: string): Promise<string>
}

/** Renew this long before WeChat's `expires_in` runs out. */
const MARGIN_S = 300

export function stableTokens(cfg: StableTokenConfig, fetchFn: typeof fetch = fetch, now: () => number = Date.now): AccessTokens {
  let cached: { value: string; until: number } | null = null
  let inflight: Promise<string> | null = null

  async function ask(force: boolean): Promise<{ token: string; expiresIn: number }> {
    let text: string
    try {
      const res = await fetchFn(new URL('/cgi-bin/stable_token', cfg.apiBase ?? WX_API_BASE), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credential', appid: cfg.appId, secret: cfg.appSecret, force_refresh: force }),
        signal: AbortSignal.timeout(cfg.timeoutMs ?? 5_000),
      })
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      text = await res.text()
    } catch (err) {
      throw new Error(`stable_token unreachable: ${err instanceof Error ? err.message : String(err)}`)
    }
    let body: { access_token?: unknown; expires_in?: unknown; errcode?: unknown; errmsg?: unknown }
    try {
      body = JSON.parse(text) as typeof body
    } catch {
      throw new Error('stable_token answered something other than JSON')
    }
    if (typeof body?.access_token !== 'string' || body.access_token === '' || typeof body.expires_in !== 'number') {
      const errmsg = typeof body?.errmsg === 'string' ? body.errmsg : ''
      throw new Error(`stable_token failed: errcode ${String(body?.errcode ?? 'none')} ${errmsg}`.trim())
    }
    return { token: body.access_token, expiresIn: body.expires_in }
  }

  function refresh(rejected: string | null): Promise<string> {
    inflight ??= (async () => {
      try {
        let answer = await ask(false)
        if (rejected !== null && answer.token === rejected) answer = await ask(true)
        const lifetime = answer.expiresIn > 2 * MARGIN_S ? answer.expiresIn - MARGIN_S : answer.expiresIn / 2
        cached = { value: answer.token, until: now() + lifetime * 1000 }
        return answer.token
      } finally {
        inflight = null
      }
    })()
    return inflight
  }

  const fresh = () => (cached && now() < cached.until ? cached.value : null)

  return {
    async get() {
      return fresh() ?? refresh(null)
    },
    async renew(rejected) {
      // A refresh under way (started by another refused call) is the renewal; so is a token that already differs.
      if (inflight) return inflight
      const current = fresh()
      if (current !== null && current !== rejected) return current
      cached = null
      return refresh(rejected)
    },
  }
}
