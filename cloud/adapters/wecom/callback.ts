/**
 * WeCom's callback to the shop (客户联系 events), checked as WeCom's rules say before anything is
 * believed: the URL verification (GET with `echostr`) and the events (POST, an XML envelope with
 * `Encrypt`), both signed with msg_signature and encrypted for the corp (cloud/adapters/wecom/crypto.ts).
 * The sandbox WeCom sends its events through the same checks.
 */
import type { VerifiedWecomEvent } from '../../core/services.ports'
import { decryptMessage, signatureMatches, xmlFields, type WecomKeys } from './crypto'

/** Where WeCom calls the shop back (the 接收事件服务器 URL of the 客户联系 settings). */
export const WECOM_CALLBACK_PATH = '/api/wecom/callback'

export interface CallbackQuery {
  msg_signature?: unknown
  timestamp?: unknown
  nonce?: unknown
  echostr?: unknown
}

/**
 * The largest body the callback takes: WeCom's envelope of a 客户联系 event is under 2 KB (its
 * encrypted message a few hundred bytes); a larger one is refused before it is read.
 */
export const WECOM_BODY_LIMIT = 8 * 1024

/** CreateTime before this (2015-01-01, before 客户联系 existed) is no event WeCom sent. */
export const WECOM_EARLIEST_CREATE_TIME = 1_420_070_400
/** How far ahead of the server's clock a CreateTime may be (clock skew): beyond it the event is refused. */
export const WECOM_CREATE_TIME_SKEW_SECONDS = 300

/**
 * Whether an event's CreateTime (seconds) is one WeCom could have sent by `nowMs`: not before 2015,
 * not more than a few minutes ahead of the server's clock. A later one would stand above every real
 * event of its contact for ever (events apply by CreateTime), so it is refused, not applied.
 */
export const createTimePlausible = (createTime: number, nowMs: number): boolean =>
  Number.isSafeInteger(createTime) &&
  createTime >= WECOM_EARLIEST_CREATE_TIME &&
  createTime <= Math.floor(nowMs / 1000) + WECOM_CREATE_TIME_SKEW_SECONDS

/** Characters XML 1.0 has no place for (NUL and the other C0 controls but tab, LF and CR); PostgreSQL refuses NUL in text. */
// eslint-disable-next-line no-control-regex -- the control characters are what is refused
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/

/** Why a callback was refused (logged, bounded). */
export type CallbackRefusal = 'MISSING_PARAMS' | 'BAD_SIGNATURE' | 'BAD_PAYLOAD' | 'WRONG_RECEIVER' | 'BAD_EVENT'

const str = (v: unknown, max: number): string | null => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : null)

function signed(q: CallbackQuery) {
  const signature = str(q.msg_signature, 64)
  const timestamp = str(q.timestamp, 20)
  const nonce = str(q.nonce, 64)
  return signature && timestamp && nonce ? { signature, timestamp, nonce } : null
}

/** The URL verification: the decrypted echostr to answer, when the signature and the corp hold. */
export function verifyUrl(keys: WecomKeys, q: CallbackQuery): { ok: true; echo: string } | { ok: false; reason: CallbackRefusal } {
  const s = signed(q)
  // Base64 has no spaces: a `+` a proxy left unencoded in the query reads as a space, and is one again.
  const echostr = str(q.echostr, 4096)?.replaceAll(' ', '+') ?? null
  if (!s || !echostr) return { ok: false, reason: 'MISSING_PARAMS' }
  if (!signatureMatches(keys, s.signature, s.timestamp, s.nonce, echostr)) return { ok: false, reason: 'BAD_SIGNATURE' }
  const plain = decryptMessage(keys, echostr)
  return plain.ok ? { ok: true, echo: plain.message } : { ok: false, reason: plain.reason }
}

/** What a posted callback is: an event to apply, one to acknowledge and ignore, or a refusal. */
export type CheckedCallback =
  { kind: 'event'; event: VerifiedWecomEvent } | { kind: 'ignored'; reason: string } | { kind: 'refused'; reason: CallbackRefusal }

const ADD = new Set(['add_external_contact'])
const REMOVE = new Set(['del_follow_user', 'del_external_contact'])

/**
 * A posted callback, verified (signature over `Encrypt`), decrypted (for this corp) and read. Before
 * the signature holds, the work is bounded and linear in the body (at most WECOM_BODY_LIMIT, read in
 * one pass). A signed event that WeCom could not have sent is refused as BAD_EVENT, before anything
 * is stored: a character XML forbids (NUL…), a CreateTime before 2015 or ahead of the server's clock
 * (`nowMs`) by more than a few minutes.
 */
export function verifyEvent(keys: WecomKeys, q: CallbackQuery, body: string, nowMs: number = Date.now()): CheckedCallback {
  const s = signed(q)
  if (!s) return { kind: 'refused', reason: 'MISSING_PARAMS' }
  if (body.length > WECOM_BODY_LIMIT) return { kind: 'refused', reason: 'BAD_PAYLOAD' }
  const encrypted = xmlFields(body).Encrypt
  if (!encrypted) return { kind: 'refused', reason: 'BAD_PAYLOAD' }
  if (!signatureMatches(keys, s.signature, s.timestamp, s.nonce, encrypted)) return { kind: 'refused', reason: 'BAD_SIGNATURE' }
  const plain = decryptMessage(keys, encrypted)
  if (!plain.ok) return { kind: 'refused', reason: plain.reason }
  if (FORBIDDEN_CHARS.test(plain.message)) return { kind: 'refused', reason: 'BAD_EVENT' }
  const f = xmlFields(plain.message)
  if (f.MsgType !== 'event' || f.Event !== 'change_external_contact')
    return { kind: 'ignored', reason: `event ${f.Event ?? f.MsgType ?? '?'}` }
  const changeType = f.ChangeType ?? ''
  if (!ADD.has(changeType) && !REMOVE.has(changeType)) return { kind: 'ignored', reason: `change ${changeType.slice(0, 40)}` }
  const externalUserId = str(f.ExternalUserID, 64)
  const followUserId = str(f.UserID, 64)
  const createTime = /^\d{1,12}$/.test(f.CreateTime ?? '') ? Number(f.CreateTime) : null
  const state = f.State ? f.State.slice(0, 64) : null
  if (!externalUserId || !followUserId || createTime === null || !createTimePlausible(createTime, nowMs))
    return { kind: 'refused', reason: 'BAD_EVENT' }
  return {
    kind: 'event',
    event: { change: ADD.has(changeType) ? 'add' : 'remove', changeType, externalUserId, followUserId, state, createTime },
  }
}
