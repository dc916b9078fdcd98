import { z } from 'zod'
import { Id, peopleText } from './common'

/**
 * A mainland mobile number: 11 digits starting 13-19 (what couriers and SMS need), as WeChat's
 * 微信地址 and most shoppers write it; full-width digits are folded to ASCII, spaces and dashes
 * between the digits and a +86 / 86 prefix are taken and dropped, so the stored number is always the bare 11 digits.
 */
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/
export const MobilePhone = z
  .string()
  .transform((s) =>
    s
      // Full-width digits, plus and dash (１３８…, typed with a Chinese keyboard) folded to ASCII first.
      .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
      .replace(/[\s-]/g, '')
      .replace(/^(\+?86)(?=1\d{10}$)/, ''),
  )
  .pipe(z.string().regex(MOBILE_PATTERN, '请填写 11 位手机号（1 开头）'))

/** An address's fields as stored and answered (orders keep a copy of them). */
export const AddressFields = z.object({
  name: z.string(),
  phone: z.string(),
  province: z.string(),
  city: z.string(),
  district: z.string(),
  detail: z.string(),
})
export type AddressFields = z.infer<typeof AddressFields>

export { addressLine } from './address-line'

/**
 * The fields as a caller sends them: each limit's message names the field, shown under it by the
 * address form. The name and the detail are printed on shipping labels: hidden characters are
 * dropped before their length checks (peopleText); the detail keeps its spaces.
 */
export const AddressFieldsInput = z.object({
  name: peopleText({ empty: '请填写收货人姓名', max: 20, tooLong: '收货人姓名 1-20 字', spaces: false }),
  phone: MobilePhone,
  province: z.string().trim().min(1, '请选择省份').max(20, '省份最多 20 字'),
  city: z.string().trim().min(1, '请选择城市').max(20, '城市最多 20 字'),
  district: z.string().trim().max(20, '区县最多 20 字'),
  detail: peopleText({ empty: '请填写详细地址', max: 120, tooLong: '详细地址最多 120 字' }),
})
export const Address = AddressFields.extend({ id: Id, isDefault: z.boolean() })
export type Address = z.infer<typeof Address>

/** Adds an address, or with `id` edits one of the caller's own (another user's id is NOT_FOUND). */
export const AddressSaveInput = AddressFieldsInput.extend({ id: Id.optional(), isDefault: z.boolean().optional() })
export type AddressSaveInput = z.infer<typeof AddressSaveInput>

export const addressActions = {
  list: { input: z.object({}), output: z.object({ items: z.array(Address) }) },
  save: { input: AddressSaveInput, output: z.object({ address: Address }) },
  remove: { input: z.object({ id: Id }), output: z.object({}) },
}
