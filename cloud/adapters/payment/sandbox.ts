/**
 * The local payment provider. It behaves like WeChat Pay where it matters: `prepare` hands out a
 * notify body signed with HMAC-SHA256 under a per-install secret, the provider (its cashier) is
 * what posts that notify to the merchant's notify URL, and an altered body fails verification.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { PaymentParams } from '../../contract'
import type { PaymentProvider } from '../../core/ports'
import type { VerifiedNotify } from '../../core/order/payment.service'

export const SANDBOX_NOTIFY_PATH = '/api/pay/notify/sandbox'
export const SANDBOX_CASHIER_PATH = '/api/pay/sandbox/cashier'
export const SANDBOX_SECRET_KEY = 'sandbox_pay_secret'

const FIELDS = ['orderId', 'amountFen', 'transactionId', 'nonce', 'timestamp'] as const

export type SandboxVerification = { ok: true; notify: VerifiedNotify } | { ok: false; reason: 'MALFORMED' | 'BAD_SIGNATURE' }

export interface SandboxPayment extends PaymentProvider {
  verify(body: unknown): SandboxVerification
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
      if (!body || typeof body !== 'object') return { ok: false, reason: 'MALFORMED' }
      const b = body as Record<string, unknown>
      const fields: Record<string, string | number> = {}
      for (const k of FIELDS) {
        const v = b[k]
        if (typeof v !== 'string' && typeof v !== 'number') return { ok: false, reason: 'MALFORMED' }
        fields[k] = v
      }
      if (typeof b.sign !== 'string' || !Number.isSafeInteger(fields.amountFen)) return { ok: false, reason: 'MALFORMED' }
      const expected = Buffer.from(sign(opts.secret, fields), 'hex')
      const given = Buffer.from(b.sign, 'hex')
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'BAD_SIGNATURE' }
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
