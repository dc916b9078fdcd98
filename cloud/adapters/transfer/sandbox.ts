/**
 * The local stand-in for WeChat Pay 商家转账, behaving like it where it matters: asking for a transfer
 * makes one bill per withdrawal (a `sandbox_transfers` row, WAIT_USER_CONFIRM) and answers what the
 * user confirms receipt with (a body signed with HMAC-SHA256 under the install's sandbox secret); the
 * sandbox's confirm page (SANDBOX_TRANSFER_CONFIRM_PATH, its "确认收款") ends the bill and, like
 * WeChat's servers, posts a signed notify to the merchant's transfer notify URL. An altered body fails
 * verification.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { TransferProvider, VerifiedTransferNotify } from '../../core/services.ports'
import type { Database } from '../../db/database'

export const SANDBOX_TRANSFER_NOTIFY_PATH = '/api/pay/notify/sandbox-transfer'
export const SANDBOX_TRANSFER_CONFIRM_PATH = '/api/pay/sandbox/transfer-confirm'

const CONFIRM_FIELDS = ['withdrawalId', 'transferId', 'amountFen', 'nonce', 'timestamp'] as const
const NOTIFY_FIELDS = [...CONFIRM_FIELDS, 'state'] as const
const TEXT = /^[A-Za-z0-9_-]{1,64}$/
const SIGNATURE = /^[0-9a-f]{64}$/

type Fields = Record<string, string | number>

function sign(secret: string, fields: Fields): string {
  const canonical = Object.keys(fields)
    .filter((k) => k !== 'sign')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&')
  return createHmac('sha256', secret).update(`transfer&${canonical}`).digest('hex')
}

/** The signed fields of `body` when it is exactly `names` plus a valid `sign`; null otherwise. */
function verified(secret: string, body: unknown, names: readonly string[]): Fields | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null
  const b = body as Record<string, unknown>
  const keys = Object.keys(b)
  if (keys.length !== names.length + 1 || !keys.every((k) => k === 'sign' || names.includes(k))) return null
  for (const k of names) {
    const v = b[k]
    const ok =
      k === 'amountFen' || k === 'timestamp' ? Number.isSafeInteger(v) && (v as number) >= 0 : typeof v === 'string' && TEXT.test(v)
    if (!ok) return null
  }
  const given = b.sign
  if (typeof given !== 'string' || !SIGNATURE.test(given)) return null
  const fields = Object.fromEntries(names.map((k) => [k, b[k] as string | number]))
  return timingSafeEqual(Buffer.from(given), Buffer.from(sign(secret, fields))) ? fields : null
}

const sealed = (secret: string, fields: Fields) => ({ ...fields, sign: sign(secret, fields) })

export interface SandboxTransfers extends TransferProvider {
  /**
   * The user confirms receipt (or, `cancel`, lets it lapse as WeChat cancels an unconfirmed bill):
   * the bill ends once, and the signed notify to post is answered; null when the body is not a
   * confirmation this sandbox signed, or the bill already ended.
   */
  confirm(body: unknown, cancel?: boolean): Promise<Fields | null>
  /** A transfer notify this sandbox signed, or null. */
  verifyNotify(body: unknown): VerifiedTransferNotify | null
}

export function sandboxTransfers(db: Database, opts: { secret: string; baseUrl: string }): SandboxTransfers {
  return {
    async pay({ withdrawalId, openid, amountFen }) {
      // One bill per withdrawal: asking again answers the same bill, as WeChat does for an out_bill_no.
      await db.pool.query(
        `INSERT INTO sandbox_transfers (withdrawal_id, openid, amount_fen, transfer_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (withdrawal_id) DO NOTHING`,
        [withdrawalId, openid, amountFen, `sbxt${randomBytes(12).toString('hex')}`],
      )
      const { rows } = await db.pool.query<{ transfer_id: string; state: string; amount_fen: number }>(
        `SELECT transfer_id, state, amount_fen FROM sandbox_transfers WHERE withdrawal_id = $1`,
        [withdrawalId],
      )
      const bill = rows[0]!
      if (bill.state === 'SUCCESS') return { state: 'paid', transferId: bill.transfer_id }
      if (bill.state === 'CANCELLED') return { state: 'failed', reason: '转账已取消' }
      const body = sealed(opts.secret, {
        withdrawalId,
        transferId: bill.transfer_id,
        amountFen: bill.amount_fen,
        nonce: randomBytes(8).toString('hex'),
        timestamp: Math.floor(Date.now() / 1000),
      })
      return {
        state: 'awaiting_user',
        transferId: bill.transfer_id,
        confirm: { provider: 'sandbox', confirmUrl: `${opts.baseUrl}${SANDBOX_TRANSFER_CONFIRM_PATH}`, body },
      }
    },

    async find(withdrawalId) {
      const { rows } = await db.pool.query<{ transfer_id: string; state: string }>(
        `SELECT transfer_id, state FROM sandbox_transfers WHERE withdrawal_id = $1`,
        [withdrawalId],
      )
      const bill = rows[0]
      if (!bill) return null
      const state = bill.state === 'SUCCESS' ? 'paid' : bill.state === 'CANCELLED' ? 'failed' : 'under_way'
      return { transferId: bill.transfer_id, state }
    },

    async confirm(body, cancel = false) {
      const fields = verified(opts.secret, body, CONFIRM_FIELDS)
      if (!fields) return null
      const state = cancel ? 'CANCELLED' : 'SUCCESS'
      const { rowCount } = await db.pool.query(
        `UPDATE sandbox_transfers SET state = $3 WHERE withdrawal_id = $1 AND transfer_id = $2 AND state = 'WAIT_USER_CONFIRM'`,
        [fields.withdrawalId, fields.transferId, state],
      )
      if (!rowCount) return null
      return sealed(opts.secret, {
        withdrawalId: fields.withdrawalId!,
        transferId: fields.transferId!,
        amountFen: fields.amountFen!,
        state,
        nonce: randomBytes(8).toString('hex'),
        timestamp: Math.floor(Date.now() / 1000),
      })
    },

    verifyNotify(body) {
      const fields = verified(opts.secret, body, NOTIFY_FIELDS)
      if (!fields || (fields.state !== 'SUCCESS' && fields.state !== 'CANCELLED')) return null
      return {
        withdrawalId: String(fields.withdrawalId),
        transferId: String(fields.transferId),
        amountFen: Number(fields.amountFen),
        state: fields.state === 'SUCCESS' ? 'paid' : 'failed',
        reason: fields.state === 'SUCCESS' ? null : '转账已取消（未在规定时间内确认收款）',
      }
    },
  }
}
