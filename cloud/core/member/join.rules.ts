/**
 * The rules of the ways into membership that need no storage: the masked phone, a 联系我 state, and
 * how a WeCom contact's events combine whatever order they arrive in.
 */
import { randomBytes } from 'node:crypto'
import type { VerifiedWecomEvent } from '../services.ports'

/**
 * A phone as pages and the console show it: 13800138000 → 138****8000 (the first three and last four
 * characters). Shorter than 11 characters it is all hidden (****: the mask would reveal most of it);
 * none stays none.
 */
export function maskPhone(phone: string): string
export function maskPhone(phone: string | null): string | null
export function maskPhone(phone: string | null): string | null {
  if (!phone) return null
  return phone.length >= 11 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****'
}

/** A 联系我 code's state: random (nothing about the customer can be read from it), 26 characters of the 30 WeCom allows. */
export const newContactState = (): string => `ms${randomBytes(12).toString('hex')}`

/** Each staff member's standing with one external contact: present or not, as of the CreateTime of the event that said so. */
export type Follows = Record<string, { present: boolean; at: number }>

/**
 * The standing after `event`. Events are applied in the order of their facts, not their arrival: by
 * CreateTime, and within one second a delete after an add (WeCom sends a contact's add before any
 * delete of it, so a delete of the same second is the later fact). An event earlier in that order
 * than what is known of that staff member changes nothing: a delete that overtook its add — an
 * earlier second or the same one — leaves no contact behind when the add arrives.
 */
export function applyEvent(follows: Follows, event: VerifiedWecomEvent): { follows: Follows; stale: boolean } {
  const known = follows[event.followUserId]
  if (known && (known.at > event.createTime || (known.at === event.createTime && !known.present && event.change === 'add')))
    return { follows, stale: true }
  return { follows: { ...follows, [event.followUserId]: { present: event.change === 'add', at: event.createTime } }, stale: false }
}

/** Whether the contact holds: with any staff member. */
export const contactHolds = (follows: Follows): boolean => Object.values(follows).some((f) => f.present)

/** When the contact ended (the last removal), or null while it holds. */
export function endedAt(follows: Follows): number | null {
  if (contactHolds(follows)) return null
  const times = Object.values(follows).map((f) => f.at)
  return times.length ? Math.max(...times) : null
}
