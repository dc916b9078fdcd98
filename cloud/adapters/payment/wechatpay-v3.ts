/**
 * WeChat Pay API v3 (JSAPI) for a self-hosted server, behind the same PaymentProvider as the
 * sandbox and CloudBase's cloudPay:
 * - `prepare` places the order with WeChat (POST /v3/pay/transactions/jsapi) and answers the
 *   parameters of wx.requestPayment, signed with the merchant's private key (signType RSA);
 * - `refund` asks for a refund (POST /v3/refund/domestic/refunds), one per payment;
 * - `verifyNotify` checks a payment notify: WeChat Pay's RSA signature over the raw body with its
 *   public key, a timestamp within 5 minutes, then the AES-256-GCM resource decrypted with the
 *   APIv3 key. Only a successful payment of this merchant's app becomes a VerifiedNotify.
 * Every request is signed (WECHATPAY2-SHA256-RSA2048) with the merchant's API private key.
 * node:crypto only; `fetch` is injected so the mapping is tested without WeChat.
 */
import { createDecipheriv, createSign, createVerify, randomBytes, type KeyObject } from 'node:crypto'
import type { PaymentParams } from '../../contract'
import type { PaymentProvider, VerifiedNotify } from '../../core/services.ports'

export const WECHATPAY_NOTIFY_PATH = '/api/pay/notify/wechat'
export const WECHATPAY_API_BASE = 'https://api.mch.weixin.qq.com'
export const AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048'
/** A notify whose timestamp is further than this from our clock is refused (replays). */
export const NOTIFY_MAX_SKEW_MS = 5 * 60_000

export interface WechatPayV3Config {
  /** The mini-program's AppID the merchant number is bound to. */
  appId: string
  mchId: string
  /** The serial number of the merchant's API certificate (apiclient_cert.pem). */
  mchSerialNo: string
  /** The merchant's API private key (apiclient_key.pem). */
  privateKey: KeyObject
  /** The APIv3 key (32 characters) that encrypts notify resources. */
  apiV3Key: string
  /** WeChat Pay's public key (微信支付公钥, or the platform certificate's key) and its id / serial. */
  platformPublicKey: KeyObject
  platformSerial: string
  /** The public HTTPS address of WECHATPAY_NOTIFY_PATH on this host. */
  notifyUrl: string
  /** WeChat Pay's API origin (a stub in tests). */
  apiBase?: string
}

export interface WechatPayV3Deps {
  fetch?: typeof fetch
  now?: () => Date
  nonce?: () => string
  timeoutMs?: number
  log?: (entry: Record<string, unknown>) => void
}

export type NotifyRefusal =
  'MISSING_HEADERS' | 'UNKNOWN_SERIAL' | 'STALE_TIMESTAMP' | 'BAD_SIGNATURE' | 'MALFORMED' | 'DECRYPT_FAILED' | 'WRONG_MERCHANT'

export type NotifyCheck =
  /** A genuine notify of a successful payment. */
  | { kind: 'paid'; notify: VerifiedNotify }
  /** A genuine notify of anything else (a trade state other than SUCCESS): acknowledged, nothing to do. */
  | { kind: 'ignored'; reason: string }
  /** Not from WeChat Pay, altered, replayed late, or not for us. */
  | { kind: 'refused'; reason: NotifyRefusal }

export interface WechatPayV3 extends PaymentProvider {
  readonly name: 'wechat'
  verifyNotify(headers: Record<string, string | string[] | undefined>, rawBody: string): NotifyCheck
}

export const rsaSign = (key: KeyObject, message: string): string => createSign('RSA-SHA256').update(message).sign(key, 'base64')

export function rsaVerify(key: KeyObject, message: string, signature: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(message).verify(key, signature, 'base64')
  } catch {
    return false
  }
}

const newNonce = () => randomBytes(16).toString('hex')

/** The Authorization header of one API v3 request: the merchant's signature over method, path, time, nonce and body. */
export function authorizationHeader(
  cfg: Pick<WechatPayV3Config, 'mchId' | 'mchSerialNo' | 'privateKey'>,
  req: { method: string; pathWithQuery: string; body: string; timestamp: number; nonce: string },
): string {
  const message = `${req.method}\n${req.pathWithQuery}\n${req.timestamp}\n${req.nonce}\n${req.body}\n`
  const signature = rsaSign(cfg.privateKey, message)
  return `${AUTH_SCHEMA} mchid="${cfg.mchId}",nonce_str="${req.nonce}",signature="${signature}",timestamp="${req.timestamp}",serial_no="${cfg.mchSerialNo}"`
}

/** AEAD_AES_256_GCM as WeChat Pay uses it: base64 of ciphertext followed by the 16-byte tag. Throws when it does not authenticate. */
export function decryptResource(apiV3Key: string, r: { ciphertext: string; nonce: string; associated_data?: string }): string {
  const data = Buffer.from(r.ciphertext, 'base64')
  if (data.length <= 16) throw new Error('ciphertext too short')
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(r.nonce, 'utf8'), { authTagLength: 16 })
  decipher.setAuthTag(data.subarray(data.length - 16))
  decipher.setAAD(Buffer.from(r.associated_data ?? '', 'utf8'))
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8')
}

/** One refund per payment: the number is derived from the payment, so a retried refund is the same refund at WeChat. */
export const refundNumberOf = (transactionId: string): string => `R${transactionId}`.replace(/[^0-9A-Za-z_\-|*@]/g, '').slice(0, 64)

const header = (headers: Record<string, string | string[] | undefined>, name: string): string | undefined => {
  const v = headers[name]
  return Array.isArray(v) ? v[0] : v
}

/**
 * A WeChat Pay API v3 notify opened: its headers and signature checked against the platform key
 * (serial, a timestamp within NOTIFY_MAX_SKEW_MS), then its AEAD_AES_256_GCM resource decrypted with
 * the API v3 key. Payments and transfers (商家转账) read the resource each their own way.
 */
export function openNotify(
  cfg: Pick<WechatPayV3Config, 'platformSerial' | 'platformPublicKey' | 'apiV3Key'>,
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
  at: Date,
): { kind: 'refused'; reason: NotifyRefusal } | { kind: 'opened'; resource: Record<string, unknown> } {
  const refused = (reason: NotifyRefusal) => ({ kind: 'refused' as const, reason })
  const timestamp = header(headers, 'wechatpay-timestamp')
  const nonceHeader = header(headers, 'wechatpay-nonce')
  const signature = header(headers, 'wechatpay-signature')
  const serial = header(headers, 'wechatpay-serial')
  if (!timestamp || !nonceHeader || !signature || !serial) return refused('MISSING_HEADERS')
  if (serial !== cfg.platformSerial) return refused('UNKNOWN_SERIAL')
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(at.getTime() - Number(timestamp) * 1000) > NOTIFY_MAX_SKEW_MS) {
    return refused('STALE_TIMESTAMP')
  }
  if (!rsaVerify(cfg.platformPublicKey, `${timestamp}\n${nonceHeader}\n${rawBody}\n`, signature)) return refused('BAD_SIGNATURE')
  let resource: { algorithm?: unknown; ciphertext?: unknown; nonce?: unknown; associated_data?: unknown } | undefined
  try {
    resource = (JSON.parse(rawBody) as { resource?: typeof resource } | null)?.resource
  } catch {
    return refused('MALFORMED')
  }
  if (
    !resource ||
    resource.algorithm !== 'AEAD_AES_256_GCM' ||
    typeof resource.ciphertext !== 'string' ||
    typeof resource.nonce !== 'string' ||
    (resource.associated_data !== undefined && typeof resource.associated_data !== 'string')
  ) {
    return refused('MALFORMED')
  }
  try {
    const parsed: unknown = JSON.parse(
      decryptResource(cfg.apiV3Key, {
        ciphertext: resource.ciphertext,
        nonce: resource.nonce,
        associated_data: resource.associated_data as string | undefined,
      }),
    )
    if (!parsed || typeof parsed !== 'object') return refused('MALFORMED')
    return { kind: 'opened', resource: parsed as Record<string, unknown> }
  } catch {
    return refused('DECRYPT_FAILED')
  }
}

export function wechatPayV3(cfg: WechatPayV3Config, deps: WechatPayV3Deps = {}): WechatPayV3 {
  const fetchFn = deps.fetch ?? fetch
  const now = deps.now ?? (() => new Date())
  const nonce = deps.nonce ?? newNonce
  const log = deps.log ?? ((e: Record<string, unknown>) => console.error(JSON.stringify(e)))
  const base = cfg.apiBase ?? WECHATPAY_API_BASE

  /** A signed POST to WeChat Pay; its JSON answer, or a throw with WeChat's code and message (never our keys). */
  async function post(pathname: string, payload: object): Promise<Record<string, unknown>> {
    const body = JSON.stringify(payload)
    const auth = authorizationHeader(cfg, {
      method: 'POST',
      pathWithQuery: pathname,
      body,
      timestamp: Math.floor(now().getTime() / 1000),
      nonce: nonce(),
    })
    const res = await fetchFn(`${base}${pathname}`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json', 'user-agent': 'weshop', authorization: auth },
      body,
      signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
    })
    const text = await res.text()
    let json: unknown = null
    try {
      json = text ? JSON.parse(text) : {}
    } catch {
      // not JSON: reported below
    }
    const answer = json && typeof json === 'object' ? (json as Record<string, unknown>) : null
    if (!res.ok || !answer) {
      throw new Error(
        `WeChat Pay ${pathname} answered ${res.status}: ${String(answer?.code ?? '')} ${String(answer?.message ?? text.slice(0, 200))}`,
      )
    }
    return answer
  }

  return {
    name: 'wechat',

    async prepare({ orderId, amountFen, description, openid }): Promise<PaymentParams> {
      const answer = await post('/v3/pay/transactions/jsapi', {
        appid: cfg.appId,
        mchid: cfg.mchId,
        description,
        out_trade_no: orderId,
        notify_url: cfg.notifyUrl,
        amount: { total: amountFen, currency: 'CNY' },
        payer: { openid },
      })
      const prepayId = answer.prepay_id
      if (typeof prepayId !== 'string' || prepayId === '') throw new Error('WeChat Pay answered no prepay_id')
      const timeStamp = String(Math.floor(now().getTime() / 1000))
      const nonceStr = nonce()
      const pkg = `prepay_id=${prepayId}`
      return {
        provider: 'wechat',
        timeStamp,
        nonceStr,
        package: pkg,
        signType: 'RSA',
        paySign: rsaSign(cfg.privateKey, `${cfg.appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`),
      }
    },

    async refund({ orderId, transactionId, amountFen, refundFen }) {
      const answer = await post('/v3/refund/domestic/refunds', {
        out_trade_no: orderId,
        out_refund_no: refundNumberOf(transactionId),
        amount: { refund: refundFen, total: amountFen, currency: 'CNY' },
      })
      const refundId = answer.refund_id
      if (typeof refundId !== 'string' || refundId === '') throw new Error('WeChat Pay answered no refund_id')
      // PROCESSING is the usual answer; ABNORMAL (the buyer's card is closed) needs the merchant's hand in WeChat Pay's console.
      if (answer.status === 'ABNORMAL' || answer.status === 'CLOSED') {
        log({ level: 'warn', event: 'refund_needs_attention', orderId, refundId, status: answer.status })
      }
      return { refundId }
    },

    verifyNotify(headers, rawBody) {
      const refused = (reason: NotifyRefusal): NotifyCheck => ({ kind: 'refused', reason })
      const opened = openNotify(cfg, headers, rawBody, now())
      if (opened.kind === 'refused') return refused(opened.reason)
      const tx = opened.resource
      if (tx.mchid !== cfg.mchId || tx.appid !== cfg.appId) return refused('WRONG_MERCHANT')
      if (tx.trade_state !== 'SUCCESS') return { kind: 'ignored', reason: `trade_state ${String(tx.trade_state)}` }
      const amount = tx.amount as { total?: unknown } | undefined
      const amountFen = amount?.total
      if (typeof tx.out_trade_no !== 'string' || typeof tx.transaction_id !== 'string' || typeof amountFen !== 'number') {
        return refused('MALFORMED')
      }
      if (!Number.isSafeInteger(amountFen) || amountFen < 0) return refused('MALFORMED')
      return {
        kind: 'paid',
        notify: { provider: 'wechat', orderId: tx.out_trade_no, transactionId: tx.transaction_id, amountFen, raw: tx },
      }
    },
  }
}
