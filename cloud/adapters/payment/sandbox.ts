/**
 * The local payment provider. It behaves like WeChat Pay where it matters: `prepare` hands out a
 * notify body signed with HMAC-SHA256 under a per-install secret, the provider (its cashier) is
 * what posts that notify to the merchant's notify URL, and an altered body fails verification.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { PaymentParams } from '../../contract'
import type { PaymentProvider, VerifiedNotify } from '../../core/services.ports'

export const SANDBOX_NOTIFY_PATH = '/api/pay/notify/sandbox'
export const SANDBOX_CASHIER_PATH = '/api/pay/sandbox/cashier'
export const SANDBOX_SECRET_KEY = 'sandbox_pay_secret'

const FIELDS = ['orderId', 'amountFen', 'transactionId', 'nonce', 'timestamp'] as const

export type SandboxVerification = { ok: true; notify: VerifiedNotify } | { ok: false; reason: 'MALFORMED' | 'BAD_SIGNATURE' }

export interface SandboxPayment extends PaymentProvider {
  verify(body: unknown): SandboxVerification
}

const SIGNATURE = /^[0-9a-f]{64}$/
const TEXT = /^[A-Za-z0-9_-]{1,64}$/
const TEXT_FIELDS = ['orderId', 'transactionId', 'nonce'] as const
const INTEGER_FIELDS = ['amountFen', 'timestamp'] as const

/**
 * The signed fields of a notify body, or null when it isn't one: exactly the five fields and `sign`,
 * ids and nonce as short plain strings (nothing that could shift a `k=v&` boundary), the amount a
 * positive integer number and the timestamp a non-negative one, `sign` a string.
 */
function notifyFields(body: unknown): Record<(typeof FIELDS)[number], string | number> | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null
  const b = body as Record<string, unknown>
  const keys = Object.keys(b)
  if (keys.length !== FIELDS.length + 1 || !keys.every((k) => k === 'sign' || (FIELDS as readonly string[]).includes(k))) return null
  if (typeof b.sign !== 'string') return null
  for (const k of TEXT_FIELDS) if (typeof b[k] !== 'string' || !TEXT.test(b[k])) return null
  for (const k of INTEGER_FIELDS) if (!Number.isSafeInteger(b[k]) || (b[k] as number) < 0) return null
  if ((b.amountFen as number) <= 0) return null
  return Object.fromEntries(FIELDS.map((k) => [k, b[k] as string | number])) as Record<(typeof FIELDS)[number], string | number>
}

/** WeChat Pay v2 style: the fields sorted by name as k=v joined with &, then HMAC-SHA256. */
function sign(secret: string, fields: Record<string, string | number>): string {
  const canonical = Object.keys(fields)
    .filter((k) => k !== 'sign')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&')
  return createHmac('sha256', secret).update(canonical).digest('hex')
}

export function sandboxPayment(opts: { secret: string; baseUrl: string }): SandboxPayment {
  return {
    name: 'sandbox',
    async prepare({ orderId, amountFen }): Promise<PaymentParams> {
      const fields = {
        orderId,
        amountFen,
        transactionId: `sbx${randomBytes(12).toString('hex')}`,
        nonce: randomBytes(8).toString('hex'),
        timestamp: Math.floor(Date.now() / 1000),
      }
      return {
        provider: 'sandbox',
        notifyUrl: `${opts.baseUrl}${SANDBOX_NOTIFY_PATH}`,
        cashierUrl: `${opts.baseUrl}${SANDBOX_CASHIER_PATH}`,
        body: { ...fields, sign: sign(opts.secret, fields) },
        amountFen,
      }
    },
    async refund() {
      return { refundId: `sbxr${randomBytes(12).toString('hex')}` }
    },
    verify(body) {
      const fields = notifyFields(body)
      if (!fields) return { ok: false, reason: 'MALFORMED' }
      // The exact lowercase hex the provider sends: Buffer.from(s, 'hex') would take upper case and
      // stop at the first character that isn't hex, so the string itself is compared.
      const given = (body as { sign: string }).sign
      const expected = sign(opts.secret, fields)
      if (!SIGNATURE.test(given) || !timingSafeEqual(Buffer.from(given), Buffer.from(expected)))
        return { ok: false, reason: 'BAD_SIGNATURE' }
      const b = body as Record<string, unknown>
      return {
        ok: true,
        notify: {
          provider: 'sandbox',
          orderId: String(fields.orderId),
          transactionId: String(fields.transactionId),
          amountFen: Number(fields.amountFen),
          raw: b,
        },
      }
    },
  }
}
