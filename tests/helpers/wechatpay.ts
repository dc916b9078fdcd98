/**
 * Playing WeChat Pay in tests: key pairs made here stand for the merchant's API key and for WeChat
 * Pay's platform key, and a notify is built the way WeChat Pay builds one (the transaction encrypted
 * with AEAD_AES_256_GCM under the APIv3 key, the body signed with the platform's private key).
 */
import { createCipheriv, createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto'

export const APIV3_KEY = 'k'.repeat(16) + '0123456789abcdef'
export const MCH_ID = '1900000109'
export const APP_ID = 'wxd678efh567hg6787'
export const PLATFORM_SERIAL = 'PUB_KEY_ID_0114232134912410000000000000'
export const MCH_SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1'

export const rsaKeyPair = (): { publicKey: KeyObject; privateKey: KeyObject } => generateKeyPairSync('rsa', { modulusLength: 2048 })

export function encryptResource(apiV3Key: string, plaintext: string, associatedData = 'transaction') {
  const nonce = randomBytes(6).toString('hex') // 12 characters, as WeChat Pay's
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'))
  cipher.setAAD(Buffer.from(associatedData, 'utf8'))
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()])
  return {
    algorithm: 'AEAD_AES_256_GCM',
    ciphertext: data.toString('base64'),
    associated_data: associatedData,
    nonce,
    original_type: 'transaction',
  }
}

/** A successful JSAPI transaction as the notify's resource decrypts to. */
export function transaction(fields: { orderId: string; amountFen: number; transactionId?: string; tradeState?: string; openid?: string }) {
  return {
    mchid: MCH_ID,
    appid: APP_ID,
    out_trade_no: fields.orderId,
    transaction_id: fields.transactionId ?? `4200000${Date.now()}${Math.floor(Math.random() * 1e6)}`.slice(0, 28),
    trade_type: 'JSAPI',
    trade_state: fields.tradeState ?? 'SUCCESS',
    trade_state_desc: '支付成功',
    bank_type: 'OTHERS',
    attach: '',
    success_time: new Date().toISOString(),
    payer: { openid: fields.openid ?? 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    amount: { total: fields.amountFen, payer_total: fields.amountFen, currency: 'CNY', payer_currency: 'CNY' },
  }
}

/** The headers and raw body of a notify, signed with `platformKey` at `timestamp` (seconds). */
export function wechatNotify(opts: {
  platformKey: KeyObject
  transaction: object
  apiV3Key?: string
  timestamp?: number
  serial?: string
}): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify({
    id: randomBytes(8).toString('hex'),
    create_time: new Date().toISOString(),
    resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: encryptResource(opts.apiV3Key ?? APIV3_KEY, JSON.stringify(opts.transaction)),
  })
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000))
  const nonce = randomBytes(16).toString('hex')
  const signature = createSign('RSA-SHA256').update(`${timestamp}\n${nonce}\n${body}\n`).sign(opts.platformKey, 'base64')
  return {
    headers: {
      'content-type': 'application/json',
      'wechatpay-timestamp': timestamp,
      'wechatpay-nonce': nonce,
      'wechatpay-signature': signature,
      'wechatpay-serial': opts.serial ?? PLATFORM_SERIAL,
      'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
    },
    body,
  }
}

/** The fields of a WECHATPAY2-SHA256-RSA2048 Authorization header. */
export function parseAuthorization(header: string): Record<string, string> {
  const m = /^WECHATPAY2-SHA256-RSA2048 (.*)$/.exec(header)
  if (!m) throw new Error(`not a WeChat Pay v3 Authorization: ${header}`)
  return Object.fromEntries(Array.from(m[1]!.matchAll(/(\w+)="([^"]*)"/g), (x) => [x[1]!, x[2]!]))
}
