/**
 * The local stand-in for getPhoneNumber + getuserphonenumber: a code `sandbox-phone:<11 digits>`
 * stands for that number (the H5 form and the tests make them); anything else is refused as WeChat
 * refuses an unknown code (errcode 40029), through the mapping the real adapter uses.
 */
import type { PhoneNumbers } from '../../core/services.ports'
import { phoneResult } from './wechat'

export const SANDBOX_PHONE_PREFIX = 'sandbox-phone:'

export function sandboxPhones(): PhoneNumbers {
  return {
    name: 'sandbox',
    async phoneOf(code) {
      const m = /^sandbox-phone:(\d{11})$/.exec(code)
      if (!m) return phoneResult({ errcode: 40029, errmsg: 'invalid code' })
      return phoneResult({ errcode: 0, phone_info: { phoneNumber: m[1], purePhoneNumber: m[1], countryCode: '86' } })
    },
  }
}
