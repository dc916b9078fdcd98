/**
 * The address form's own checks, the same limits and messages as the contract's AddressFieldsInput
 * (cloud/contract/address.ts; src/ takes only types from there). Checking here answers at once
 * under the field; the server checks again and names the field the same way.
 */
import type { AddressFields } from '../../../cloud/contract'
import { HIDDEN_CHARACTERS } from '../../lib/people-text'

export type AddressField = keyof AddressFields
export type FieldErrors = Partial<Record<AddressField, string>>

/**
 * Full-width digits, plus and dash (１３８…, typed with a Chinese keyboard) folded to ASCII, spaces,
 * dashes and a +86 prefix dropped, as the server stores the number.
 */
export const normalizePhone = (phone: string): string =>
  phone
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s-]/g, '')
    .replace(/^(\+?86)(?=1\d{10}$)/, '')

// Lengths as the server's schema counts them: characters (code points), so an emoji is one, once
// the characters a reader can't see (controls, line breaks, zero-width and bidi marks) are dropped
// as the server's peopleText drops them.
const count = (s: string) => Array.from(s.replace(HIDDEN_CHARACTERS, '').trim()).length

/** Each field's problem in the form, by field; empty when the form may be sent. */
export function checkAddress(f: AddressFields): FieldErrors {
  const e: FieldErrors = {}
  if (count(f.name) === 0) e.name = '请填写收货人姓名'
  else if (count(f.name) > 20) e.name = '收货人姓名 1-20 字'
  if (!/^1[3-9]\d{9}$/.test(normalizePhone(f.phone))) e.phone = '请填写 11 位手机号（1 开头）'
  if (count(f.province) === 0) e.province = '请选择省份'
  else if (count(f.city) === 0) e.city = '请选择城市'
  if (count(f.detail) === 0) e.detail = '请填写详细地址'
  else if (count(f.detail) > 120) e.detail = '详细地址最多 120 字'
  return e
}

/** The limits each field's hint names, shown before anything goes wrong. */
export const FIELD_LIMITS: Record<'name' | 'detail', number> = { name: 20, detail: 120 }
