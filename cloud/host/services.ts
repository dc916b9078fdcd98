/**
 * The host's external services, chosen from the environment, and the start-up checks that go with
 * them. Locally every service is a sandbox stand-in; a self-hosted production signs users in with
 * WeChat's code2Session (`auth.login`) and takes payments through WeChat Pay API v3. Production
 * refuses to start with a sandbox unless the operator opts in loudly, or without the WeChat
 * settings it needs.
 */
import { createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { dbAvatars } from '../adapters/avatars/db'
import { keywordChecker } from '../adapters/content/keywords'
import { fileImages } from '../adapters/images/file-store'
import { sharpImages } from '../adapters/images/sharp'
import { SANDBOX_LOGIN_PATH, sandboxLogin, type SandboxLogin } from '../adapters/login/sandbox'
import { wechatLogin, type WechatLoginConfig } from '../adapters/login/wechat'
import { sandboxMedia } from '../adapters/media/sandbox'
import { sandboxNotifier } from '../adapters/notify/sandbox'
import { SANDBOX_SECRET_KEY, sandboxPayment, type SandboxPayment } from '../adapters/payment/sandbox'
import { WECHATPAY_NOTIFY_PATH, wechatPayV3, type WechatPayV3, type WechatPayV3Config } from '../adapters/payment/wechatpay-v3'
import { qrPosters } from '../adapters/poster/sandbox'
import { CODE_ENV_VERSIONS, wxacodeHttpPosters, type CodeEnvVersion } from '../adapters/poster/wechat-http'
import { sandboxRisk } from '../adapters/risk/sandbox'
import { sandboxTransfers, type SandboxTransfers } from '../adapters/transfer/sandbox'
import { unavailableTransfers } from '../adapters/transfer/unavailable'
import { WECHAT_TRANSFER_NOTIFY_PATH, wechatTransfers, type WechatTransferConfig, type WechatTransfers } from '../adapters/transfer/wechat'
import { stableTokens } from '../adapters/wechat/stable-token'
import { sandboxPhones } from '../adapters/phone/sandbox'
import { wechatPhones } from '../adapters/phone/wechat'
import { aesKeyOf, type WecomKeys } from '../adapters/wecom/crypto'
import { newSandboxWecomKeys, SANDBOX_WECOM_KEYS, sandboxWecom, type SandboxWecom } from '../adapters/wecom/sandbox'
import { wecomContacts, type WecomConfig } from '../adapters/wecom/wecom'
import type { CoreConfig, Services } from '../core/context'
import type { PaymentProvider, TransferProvider } from '../core/services.ports'
import { createDatabase, type Database } from '../db/database'
import { configFromEnv } from '../functions/config'
import { uploadsDir } from './uploads'

type Env = Record<string, string | undefined>
export type ProviderKind = 'sandbox' | 'wechat'

/** The one variable that lets a production host run a sandbox anyway. */
export const UNSAFE_OPT_IN = 'UNSAFE_SANDBOX_IN_PRODUCTION'

export interface HostSettings {
  production: boolean
  config: CoreConfig
  payProvider: ProviderKind
  loginProvider: ProviderKind
  /** Set when the login provider is WeChat's code2Session. */
  wechatLogin: WechatLoginConfig | null
  /** Set when payments go through WeChat Pay API v3. */
  wechatPay: WechatPayV3Config | null
  /**
   * Set when withdrawals are paid by WeChat Pay 商家转账 (with `wechatPay` and WXPAY_TRANSFER_SCENE_ID);
   * with WeChat Pay but without it, approving a withdrawal fails and it stays pending.
   */
  wechatTransfer: WechatTransferConfig | null
  /**
   * MEDIA_BASE_URL: the public https:// origin that serves this host's /media/uploads/, when the
   * mini-program doesn't load images from this host (CloudBase: the console's host is another
   * origin). Uploaded images are then stored by their absolute URL; unset, by their path.
   */
  mediaBaseUrl: string | null
  /**
   * WX_CODE_ENV_VERSION: the version of the mini-program that the codes made from WeChat (with
   * `wechatLogin`) open: 'release' (the default), 'trial' or 'develop'.
   */
  codeEnvVersion: CodeEnvVersion
  /**
   * 朋友会员's 企业微信: 'wecom' with WECOM_CORP_ID, WECOM_SECRET, WECOM_TOKEN, WECOM_AES_KEY and
   * WECOM_USER_ID (`wecom` holds them); without any of them the sandbox on local and test stacks, and
   * off in production (member.wecomContact answers WECOM_UNAVAILABLE; phone sign-up still works).
   */
  wecomProvider: 'sandbox' | 'wecom' | 'off'
  wecom: WecomConfig | null
}

export type SettingsCheck = { ok: true; settings: HostSettings; warnings: string[] } | { ok: false; problems: string[] }

const set = (env: Env, name: string): string | undefined => {
  const v = env[name]?.trim()
  return v ? v : undefined
}

function providerOf(env: Env, name: string, production: boolean, problems: string[]): ProviderKind {
  const fallback: ProviderKind = production ? 'wechat' : 'sandbox'
  const v = set(env, name)
  if (v === undefined) return fallback
  if (v === 'sandbox' || v === 'wechat') return v
  problems.push(`${name} must be "sandbox" or "wechat" (it is ${JSON.stringify(env[name])})`)
  return fallback
}

/** A PEM given as NAME (the text; "\n" escapes allowed for one-line variables) or NAME_FILE (a path). */
function pemOf(env: Env, name: string, readFile: (path: string) => string, problems: string[]): string | undefined {
  const inline = set(env, name)
  if (inline) return inline.replace(/\\n/g, '\n')
  const file = set(env, `${name}_FILE`)
  if (!file) return undefined
  try {
    return readFile(file)
  } catch (err) {
    problems.push(`${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
    return undefined
  }
}

function keyOf(kind: 'private' | 'public', pem: string, name: string, problems: string[]): KeyObject | undefined {
  try {
    return kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem)
  } catch {
    problems.push(`${name} is not a PEM ${kind === 'private' ? 'private key' : 'public key or certificate'}`)
    return undefined
  }
}

function wechatPayOf(env: Env, missing: string[], problems: string[], readFile: (path: string) => string): WechatPayV3Config | null {
  const need = (name: string) => set(env, name) ?? void missing.push(name)
  const appId = need('WX_APPID')
  const mchId = need('WXPAY_MCHID')
  const mchSerialNo = need('WXPAY_MCH_SERIAL_NO')
  const apiV3Key = need('WXPAY_APIV3_KEY')
  const platformSerial = need('WXPAY_PLATFORM_SERIAL')
  const notifyUrl = need('WXPAY_NOTIFY_URL')
  const privatePem = pemOf(env, 'WXPAY_PRIVATE_KEY', readFile, problems)
  if (!privatePem && !set(env, 'WXPAY_PRIVATE_KEY_FILE')) missing.push('WXPAY_PRIVATE_KEY_FILE (or WXPAY_PRIVATE_KEY)')
  const platformPem = pemOf(env, 'WXPAY_PLATFORM_PUBLIC_KEY', readFile, problems)
  if (!platformPem && !set(env, 'WXPAY_PLATFORM_PUBLIC_KEY_FILE'))
    missing.push('WXPAY_PLATFORM_PUBLIC_KEY_FILE (or WXPAY_PLATFORM_PUBLIC_KEY)')

  const privateKey = privatePem ? keyOf('private', privatePem, 'WXPAY_PRIVATE_KEY', problems) : undefined
  const platformPublicKey = platformPem ? keyOf('public', platformPem, 'WXPAY_PLATFORM_PUBLIC_KEY', problems) : undefined
  if (apiV3Key && Buffer.byteLength(apiV3Key, 'utf8') !== 32) problems.push('WXPAY_APIV3_KEY must be the 32-character APIv3 key')
  if (notifyUrl && !/^https:\/\/[^/\s]+\/\S*$/.test(notifyUrl)) {
    problems.push(`WXPAY_NOTIFY_URL must be the public https:// address of ${WECHATPAY_NOTIFY_PATH} on this host`)
  }
  if (!appId || !mchId || !mchSerialNo || !apiV3Key || !platformSerial || !notifyUrl || !privateKey || !platformPublicKey) return null
  return {
    appId,
    mchId,
    mchSerialNo,
    apiV3Key,
    platformSerial,
    notifyUrl,
    privateKey,
    platformPublicKey,
    apiBase: set(env, 'WXPAY_API_BASE'),
  }
}

/** The scene report of 1005 (佣金报酬), the scene of a sharer's commission; WXPAY_TRANSFER_REPORT_INFOS overrides it. */
export const DEFAULT_TRANSFER_REPORT_INFOS = [
  { info_type: '岗位类型', info_content: '分享推广员' },
  { info_type: '报酬说明', info_content: '分享商品获得的佣金提现' },
]

/** WeChat Pay 商家转账 on top of the payment settings: the scene, its report, the remark and the notify address. */
function wechatTransferOf(env: Env, pay: WechatPayV3Config, problems: string[]): WechatTransferConfig | null {
  const transferSceneId = set(env, 'WXPAY_TRANSFER_SCENE_ID')!
  const transferNotifyUrl = set(env, 'WXPAY_TRANSFER_NOTIFY_URL')
  const transferRemark = set(env, 'WXPAY_TRANSFER_REMARK') ?? '分享收益提现'
  let sceneReportInfos = DEFAULT_TRANSFER_REPORT_INFOS
  const before = problems.length
  if (!/^\d{1,36}$/.test(transferSceneId)) problems.push('WXPAY_TRANSFER_SCENE_ID must be the 转账场景ID (digits), e.g. 1005')
  if (!transferNotifyUrl || !/^https:\/\/[^/\s?]+\/[^?\s]*$/.test(transferNotifyUrl)) {
    problems.push(`WXPAY_TRANSFER_NOTIFY_URL must be the public https:// address (no query) of ${WECHAT_TRANSFER_NOTIFY_PATH} on this host`)
  }
  if ([...transferRemark].length > 32) problems.push('WXPAY_TRANSFER_REMARK must be at most 32 characters')
  const infos = set(env, 'WXPAY_TRANSFER_REPORT_INFOS')
  if (infos) {
    try {
      const parsed: unknown = JSON.parse(infos)
      if (
        !Array.isArray(parsed) ||
        parsed.length === 0 ||
        !parsed.every((i) => i && typeof i.info_type === 'string' && typeof i.info_content === 'string')
      ) {
        throw new Error('shape')
      }
      sceneReportInfos = parsed as typeof sceneReportInfos
    } catch {
      problems.push('WXPAY_TRANSFER_REPORT_INFOS must be a JSON array of {"info_type": …, "info_content": …}')
    }
  }
  if (problems.length > before) return null
  return { ...pay, transferSceneId, transferNotifyUrl: transferNotifyUrl!, transferRemark, sceneReportInfos }
}

/**
 * Reads and checks the host's settings. In production (NODE_ENV=production) payments and sign-in
 * default to WeChat's services; a sandbox there needs UNSAFE_SANDBOX_IN_PRODUCTION=1, and that and
 * DEV_LOGIN=1 come back as warnings to print loudly. Each problem names the variables concerned.
 */
/** The demo shop's 客服 phone when SHOP_SERVICE_PHONE is unset (see checkHostSettings). */
export const DEMO_SERVICE_PHONE = '400-000-0000'

export function checkHostSettings(env: Env, readFile: (path: string) => string = (p) => fs.readFileSync(p, 'utf8')): SettingsCheck {
  const production = env.NODE_ENV === 'production'
  const problems: string[] = []
  const warnings: string[] = []
  let config: CoreConfig | undefined
  try {
    config = configFromEnv(env, { cloud: false })
  } catch (err) {
    problems.push((err as Error).message)
  }
  // The demo shop (demo data, outside production) offers a 客服 number on H5 unless one is set.
  if (config && !production && env.SEED !== '0' && !config.servicePhone) config = { ...config, servicePhone: DEMO_SERVICE_PHONE }
  const payProvider = providerOf(env, 'PAY_PROVIDER', production, problems)
  const loginProvider = providerOf(env, 'LOGIN_PROVIDER', production, problems)
  const chosen = (name: string, value: ProviderKind) => `${name}=${value}${set(env, name) ? '' : ' (the default in production)'}`

  if (production) {
    const optedIn = env[UNSAFE_OPT_IN] === '1'
    const unsafe = (risk: string) =>
      optedIn ? warnings.push(risk) : problems.push(`${risk}. Set ${UNSAFE_OPT_IN}=1 to run it anyway, or use the WeChat provider`)
    if (payProvider === 'sandbox') {
      unsafe('PAY_PROVIDER=sandbox in production: any buyer can mark their own order paid through the sandbox cashier')
    }
    if (loginProvider === 'sandbox') {
      unsafe(
        `LOGIN_PROVIDER=sandbox in production: anyone can mint a login code for any openid, the admins' included (${SANDBOX_LOGIN_PATH})`,
      )
    }
    if (config?.devLoginEnabled) {
      warnings.push("DEV_LOGIN=1 in production: anyone can sign in as any openid, the admins' included (auth.devLogin)")
    }
  }

  let wechat: WechatLoginConfig | null = null
  if (loginProvider === 'wechat') {
    const appId = set(env, 'WX_APPID')
    const appSecret = set(env, 'WX_APP_SECRET')
    const missing = [appId ? null : 'WX_APPID', appSecret ? null : 'WX_APP_SECRET'].filter((n): n is string => n !== null)
    if (missing.length) problems.push(`${chosen('LOGIN_PROVIDER', loginProvider)} needs ${missing.join(', ')}`)
    else wechat = { appId: appId!, appSecret: appSecret!, apiBase: set(env, 'WX_API_BASE') }
  }
  let wechatPay: WechatPayV3Config | null = null
  if (payProvider === 'wechat') {
    const missing: string[] = []
    wechatPay = wechatPayOf(env, missing, problems, readFile)
    if (missing.length) problems.push(`${chosen('PAY_PROVIDER', payProvider)} (WeChat Pay API v3) needs ${missing.join(', ')}`)
  }

  let wechatTransfer: WechatTransferConfig | null = null
  if (wechatPay && set(env, 'WXPAY_TRANSFER_SCENE_ID')) wechatTransfer = wechatTransferOf(env, wechatPay, problems)

  const mediaBaseUrl = set(env, 'MEDIA_BASE_URL')?.replace(/\/+$/, '') ?? null
  if (mediaBaseUrl && !/^https:\/\/[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?$/.test(mediaBaseUrl)) {
    problems.push(`MEDIA_BASE_URL must be an https:// origin without a path (it is ${JSON.stringify(env.MEDIA_BASE_URL)})`)
  }

  const codeEnvVersion = (set(env, 'WX_CODE_ENV_VERSION') ?? 'release') as CodeEnvVersion
  if (!CODE_ENV_VERSIONS.includes(codeEnvVersion)) {
    problems.push(
      `WX_CODE_ENV_VERSION must be ${CODE_ENV_VERSIONS.map((v) => `"${v}"`).join(', ')} (it is ${JSON.stringify(env.WX_CODE_ENV_VERSION)})`,
    )
  }

  const wecomNames = ['WECOM_CORP_ID', 'WECOM_SECRET', 'WECOM_TOKEN', 'WECOM_AES_KEY', 'WECOM_USER_ID'] as const
  let wecom: WecomConfig | null = null
  const wecomSet = wecomNames.filter((n) => set(env, n))
  if (wecomSet.length) {
    const missing = wecomNames.filter((n) => !set(env, n))
    if (missing.length) problems.push(`企业微信 (WECOM_*) needs all of ${wecomNames.join(', ')}: missing ${missing.join(', ')}`)
    else if (!aesKeyOf(set(env, 'WECOM_AES_KEY')!))
      problems.push('WECOM_AES_KEY must be the 43-character EncodingAESKey of the callback settings')
    else if (set(env, 'WECOM_TOKEN')!.length > 32) problems.push('WECOM_TOKEN must be the callback Token (at most 32 characters)')
    else {
      wecom = {
        corpId: set(env, 'WECOM_CORP_ID')!,
        secret: set(env, 'WECOM_SECRET')!,
        token: set(env, 'WECOM_TOKEN')!,
        encodingAesKey: set(env, 'WECOM_AES_KEY')!,
        userId: set(env, 'WECOM_USER_ID')!,
        apiBase: set(env, 'WECOM_API_BASE'),
      }
    }
  }
  const wecomProvider = wecomSet.length ? 'wecom' : production ? 'off' : 'sandbox'

  if (problems.length || !config) return { ok: false, problems }
  return {
    ok: true,
    warnings,
    settings: {
      production,
      config,
      payProvider,
      loginProvider,
      wechatLogin: wechat,
      wechatPay,
      wechatTransfer,
      mediaBaseUrl,
      codeEnvVersion,
      wecomProvider,
      wecom,
    },
  }
}

/**
 * The settings, or the process ends with exit code 1 and the list of what is missing or unsafe.
 * An unsafe opt-in is printed as a banner that can't be missed in the log.
 */
export function settingsOrExit(env: Env, out: (line: string) => void = (line) => console.error(line)): HostSettings {
  const checked = checkHostSettings(env)
  if (!checked.ok) {
    out('[weshop] refusing to start:')
    for (const p of checked.problems) out(`[weshop]   - ${p}`)
    process.exit(1)
  }
  if (checked.warnings.length) {
    const bar = `[weshop] ${'!'.repeat(96)}`
    out(bar)
    out('[weshop] !!! UNSAFE PRODUCTION SET-UP: do not take real orders from real shoppers with this')
    for (const w of checked.warnings) out(`[weshop] !!! ${w}`)
    out(bar)
  }
  const { payProvider, loginProvider } = checked.settings
  out(
    `[weshop] payments: ${payProvider === 'wechat' ? 'WeChat Pay API v3' : 'sandbox'}; sign-in: ${loginProvider === 'wechat' ? 'WeChat code2Session' : 'sandbox codes'}; ` +
      `codes: ${checked.settings.wechatLogin ? `WeChat mini-program codes (${checked.settings.codeEnvVersion})` : 'QR codes of the H5 pages'}; ` +
      `企业微信: ${{ wecom: 'WeCom', sandbox: 'sandbox', off: 'off' }[checked.settings.wecomProvider]}`,
  )
  return checked.settings
}

export interface HostServices {
  services: Services
  /** What the server serves for them: the sandboxes' own endpoints, WeChat Pay's notify. */
  routes: {
    sandbox?: SandboxPayment
    sandboxLogin?: SandboxLogin
    wechatPay?: WechatPayV3
    sandboxTransfers?: SandboxTransfers
    wechatTransfers?: WechatTransfers
    /** The keys WeCom's callback is checked with (the real corp's or the sandbox's). */
    wecomCallback?: WecomKeys
    sandboxWecom?: SandboxWecom
  }
  close(): Promise<void>
}

/**
 * The external services of the host. With WeChat sign-in (WX_APPID, WX_APP_SECRET), mini-program
 * codes (the console's sign-in, share posters) come from WeChat's getwxacodeunlimit, kept as PNGs
 * beside the uploads; otherwise they are QR codes of the H5 pages. Subscribe messages, the content
 * and image checks and the risk rank stay local stand-ins on a self-hosted server; avatars are kept in the database and served at /media/avatars/, uploaded images under
 * DATA_DIR/media/uploads and served at /media/uploads/.
 */
export async function hostServices(
  settings: HostSettings,
  opts: { db: Database; databaseUrl: string; baseUrl: string; uploadsDir?: string },
): Promise<HostServices> {
  // The sandbox stand-ins keep their own connections: called from inside a call's transaction,
  // they must never wait for the pool that transaction is holding.
  const sandboxDb = createDatabase(opts.databaseUrl, { max: 2 })
  const routes: HostServices['routes'] = {}
  let payments: PaymentProvider
  let transfers: TransferProvider
  if (settings.wechatPay) {
    payments = routes.wechatPay = wechatPayV3(settings.wechatPay)
    // Real money in (WeChat Pay) is never paid out by the sandbox: without 商家转账 settings, approving
    // a withdrawal fails and it stays pending.
    transfers = settings.wechatTransfer ? (routes.wechatTransfers = wechatTransfers(settings.wechatTransfer)) : unavailableTransfers()
  } else {
    // The sandbox payment provider signs with a secret made once per install, kept in the database.
    const secret = await opts.db.transaction((repos) =>
      repos.settings.getOrCreate(SANDBOX_SECRET_KEY, () => randomBytes(32).toString('hex')),
    )
    payments = routes.sandbox = sandboxPayment({ secret, baseUrl: opts.baseUrl })
    transfers = routes.sandboxTransfers = sandboxTransfers(sandboxDb, { secret, baseUrl: opts.baseUrl })
  }
  const login = settings.wechatLogin ? wechatLogin(settings.wechatLogin) : (routes.sandboxLogin = sandboxLogin(sandboxDb))
  let wecom: Services['wecom'] = null
  if (settings.wecom) {
    wecom = wecomContacts(settings.wecom)
    routes.wecomCallback = settings.wecom
  } else if (settings.wecomProvider === 'sandbox') {
    // The sandbox WeCom's keys are made once per install and kept in the database, like the payment sandbox's secret.
    const keys = JSON.parse(
      await opts.db.transaction((repos) => repos.settings.getOrCreate(SANDBOX_WECOM_KEYS, newSandboxWecomKeys)),
    ) as WecomKeys
    wecom = routes.sandboxWecom = sandboxWecom(keys, { baseUrl: opts.baseUrl })
    routes.wecomCallback = keys
  }
  // One access token for the mini-program's server APIs (codes, phone numbers).
  const tokens = settings.wechatLogin ? stableTokens(settings.wechatLogin) : null
  const imageStore = fileImages(opts.uploadsDir ?? uploadsDir(path.resolve(__dirname, '..', '..', '.data')), settings.mediaBaseUrl ?? '')
  const posters = settings.wechatLogin
    ? wxacodeHttpPosters(tokens!, imageStore, {
        apiBase: settings.wechatLogin.apiBase,
        envVersion: settings.codeEnvVersion,
      })
    : qrPosters(opts.baseUrl)
  return {
    services: {
      payments,
      login,
      notifier: sandboxNotifier(sandboxDb),
      contentCheck: keywordChecker(),
      media: sandboxMedia(),
      avatars: dbAvatars(sandboxDb),
      risk: sandboxRisk(sandboxDb),
      transfers,
      posters,
      imageProcessor: sharpImages(),
      imageStore,
      phones: settings.wechatLogin
        ? wechatPhones(tokens!, { appId: settings.wechatLogin.appId, apiBase: settings.wechatLogin.apiBase })
        : sandboxPhones(),
      wecom,
    },
    routes,
    close: () => sandboxDb.close(),
  }
}
