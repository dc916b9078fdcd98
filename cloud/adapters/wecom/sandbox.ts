/**
 * The local stand-in for the merchant's 企业微信. It behaves like WeCom where it matters: a 联系我
 * code names the customer's `state`; "adding" the contact (posting to `sandboxAddUrl`, which the
 * sandbox 联系我 page and the app's 模拟添加 button do) makes it send the add_external_contact event
 * to the shop's callback, and a delete sends del_follow_user (or del_external_contact), each signed
 * and encrypted with the sandbox's keys exactly as WeCom signs and encrypts (./crypto.ts), so the
 * callback's real checks run. The keys (Token, EncodingAESKey, a corp id) are made once per install
 * and kept in the database's settings (SANDBOX_WECOM_KEYS).
 */
import { createHash, randomBytes } from 'node:crypto'
import type { WecomContacts } from '../../core/services.ports'
import { WECOM_CALLBACK_PATH } from './callback'
import { encryptMessage, signatureOf, xmlOf, type WecomKeys } from './crypto'

export const SANDBOX_WECOM_KEYS = 'wecom_sandbox_keys'
/** POST (query `state`): the customer adds the contact; the sandbox sends the add event. */
export const SANDBOX_WECOM_ADD_PATH = '/api/sandbox/wecom/add'
/** POST: the contact is deleted (by the customer: del_follow_user; by the staff member: del_external_contact). */
export const SANDBOX_WECOM_REMOVE_PATH = '/api/sandbox/wecom/remove'
/** GET (query `state`): the page the sandbox 联系我 QR opens, with its 添加 button. */
export const SANDBOX_WECOM_CONTACT_PATH = '/api/sandbox/wecom/contact'

/** The sandbox's staff member customers add. */
export const SANDBOX_WECOM_USER_ID = 'sandbox-guide'

/** Fresh sandbox keys, as JSON for the settings table. */
export function newSandboxWecomKeys(): string {
  const keys: WecomKeys = {
    token: randomBytes(12).toString('hex'),
    encodingAesKey: randomBytes(32).toString('base64').slice(0, 43),
    corpId: `wwsandbox${randomBytes(4).toString('hex')}`,
  }
  return JSON.stringify(keys)
}

export interface SandboxEvent {
  change: 'add' | 'remove'
  /** The remove's kind: the customer deleted the staff member (default) or the other way round. */
  changeType?: 'del_follow_user' | 'del_external_contact'
  externalUserId: string
  state?: string | null
  /** CreateTime (seconds); now when absent. */
  createTime?: number
}

export interface SandboxWecom extends WecomContacts {
  readonly keys: WecomKeys
  /** The external user id of whoever adds through `state` (one WeChat user per customer in the sandbox). */
  externalIdOf(state: string): string
  /** The signed, encrypted request WeCom would send for `event`: its query and XML body. */
  compose(event: SandboxEvent): { query: Record<string, string>; body: string }
  /** Sends `event` to the shop's callback as WeCom does; what the callback answered. */
  send(event: SandboxEvent): Promise<{ status: number; text: string }>
}

export function sandboxWecom(keys: WecomKeys, opts: { baseUrl: string }): SandboxWecom {
  const compose: SandboxWecom['compose'] = (e) => {
    const createTime = e.createTime ?? Math.floor(Date.now() / 1000)
    const changeType = e.change === 'add' ? 'add_external_contact' : (e.changeType ?? 'del_follow_user')
    const message = xmlOf({
      ToUserName: keys.corpId,
      FromUserName: 'sys',
      CreateTime: createTime,
      MsgType: 'event',
      Event: 'change_external_contact',
      ChangeType: changeType,
      UserID: SANDBOX_WECOM_USER_ID,
      ExternalUserID: e.externalUserId,
      ...(e.change === 'add' ? { State: e.state ?? '', WelcomeCode: randomBytes(8).toString('hex') } : {}),
      ...(changeType === 'del_external_contact' ? { Source: 'DELETE_BY_TRANSFER' } : {}),
    })
    const encrypted = encryptMessage(keys, message)
    const timestamp = String(Math.floor(Date.now() / 1000))
    const nonce = randomBytes(8).toString('hex')
    return {
      query: { msg_signature: signatureOf(keys.token, timestamp, nonce, encrypted), timestamp, nonce },
      body: xmlOf({ ToUserName: keys.corpId, AgentID: '', Encrypt: encrypted }),
    }
  }
  return {
    name: 'sandbox',
    keys,
    async createContactWay(state) {
      if (state.length > 30) throw new Error('a 联系我 state holds at most 30 characters')
      const page = `${opts.baseUrl}${SANDBOX_WECOM_CONTACT_PATH}?state=${encodeURIComponent(state)}`
      return {
        configId: `sandbox${createHash('sha256').update(state).digest('hex').slice(0, 24)}`,
        qrCode: `/media/qr.svg?text=${encodeURIComponent(page)}`,
      }
    },
    sandboxAddUrl: (state) => `${opts.baseUrl}${SANDBOX_WECOM_ADD_PATH}?state=${encodeURIComponent(state)}`,
    externalIdOf: (state) => `wmsbx${createHash('sha256').update(`${keys.corpId}:${state}`).digest('hex').slice(0, 27)}`,
    compose,
    async send(event) {
      const { query, body } = compose(event)
      const res = await fetch(`${opts.baseUrl}${WECOM_CALLBACK_PATH}?${new URLSearchParams(query)}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body,
        signal: AbortSignal.timeout(10_000),
      })
      return { status: res.status, text: await res.text() }
    },
  }
}
