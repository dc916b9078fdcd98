/**
 * Mini-program codes for a self-hosted server, from WeChat's HTTP API: `POST
 * /wxa/getwxacodeunlimit` (any number of codes, each opening `page` with `scene`) answers a PNG, kept
 * through the host's image store under `codes/<sha256 of env, page and scene>.png` and answered by
 * its URL. The same code again is the same file: the last codes made are remembered in the process,
 * so a page shown again (a deal's invite poster) doesn't ask WeChat each time.
 */
import { createHash } from 'node:crypto'
import type { ImageStore, PosterCodes } from '../../core/services.ports'
import { TOKEN_REJECTED, WX_API_BASE, type AccessTokens } from '../wechat/stable-token'

/** Which version of the mini-program a code opens (WX_CODE_ENV_VERSION). */
export type CodeEnvVersion = 'release' | 'trial' | 'develop'
export const CODE_ENV_VERSIONS: readonly CodeEnvVersion[] = ['release', 'trial', 'develop']

export interface WxacodeHttpConfig {
  apiBase?: string
  envVersion?: CodeEnvVersion
  timeoutMs?: number
  /** How many made codes the process remembers (default 500). */
  remember?: number
}

/** The image store's key of a code: a PNG under codes/ named by what it opens. */
export function codeKey(envVersion: CodeEnvVersion, page: string, scene: string): string {
  return `codes/${createHash('sha256').update(`${envVersion}\n${page}\n${scene}`).digest('hex')}.png`
}

type Answer = { png: Buffer } | { errcode: number; errmsg: string }

export function wxacodeHttpPosters(
  tokens: AccessTokens,
  store: ImageStore,
  cfg: WxacodeHttpConfig = {},
  fetchFn: typeof fetch = fetch,
): PosterCodes {
  const envVersion = cfg.envVersion ?? 'release'
  const remember = cfg.remember ?? 500
  const made = new Map<string, string>()

  async function ask(token: string, page: string, scene: string): Promise<Answer> {
    const url = new URL('/wxa/getwxacodeunlimit', cfg.apiBase ?? WX_API_BASE)
    url.searchParams.set('access_token', token)
    let res: Response
    let bytes: Buffer
    try {
      res = await fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scene, page, check_path: false, width: 430, env_version: envVersion }),
        signal: AbortSignal.timeout(cfg.timeoutMs ?? 10_000),
      })
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      bytes = Buffer.from(await res.arrayBuffer())
    } catch (err) {
      // The URL carries the access token: only the reason goes into the error.
      throw new Error(`getwxacodeunlimit unreachable: ${err instanceof Error ? err.message : String(err)}`)
    }
    if (/^image\//i.test(res.headers.get('content-type') ?? '')) return { png: bytes }
    let body: { errcode?: unknown; errmsg?: unknown }
    try {
      body = JSON.parse(bytes.toString('utf8')) as typeof body
    } catch {
      throw new Error('getwxacodeunlimit answered neither an image nor JSON')
    }
    return {
      errcode: typeof body?.errcode === 'number' ? body.errcode : -1,
      errmsg: typeof body?.errmsg === 'string' ? body.errmsg : '',
    }
  }

  return {
    async codeFor(page, scene) {
      if (scene.length > 32) throw new Error('a mini-program code scene holds at most 32 characters')
      const key = codeKey(envVersion, page, scene)
      const known = made.get(key)
      if (known) return known
      let token = await tokens.get()
      let answer = await ask(token, page, scene)
      if ('errcode' in answer && TOKEN_REJECTED.has(answer.errcode)) {
        token = await tokens.renew(token)
        answer = await ask(token, page, scene)
      }
      if ('errcode' in answer) throw new Error(`getwxacodeunlimit failed: errcode ${answer.errcode} ${answer.errmsg}`.trim())
      const url = await store.put(key, answer.png, 'image/png')
      if (made.size >= remember) made.delete(made.keys().next().value!)
      made.set(key, url)
      return url
    },
  }
}
