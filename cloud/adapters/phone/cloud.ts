/**
 * getPhoneNumber's code exchanged inside CloudBase, through wx-server-sdk's cloud call
 * (`cloud.openapi.phonenumber.getPhoneNumber`, no access token to keep), mapped as the HTTP adapter maps it.
 */
import type { PhoneNumbers } from '../../core/services.ports'
import { phoneResult } from './wechat'

export interface PhoneNumberApi {
  getPhoneNumber(p: {
    code: string
  }): Promise<{ errCode?: number; errMsg?: string; phoneInfo?: { purePhoneNumber?: string; countryCode?: string } }>
}

export function cloudPhones(api: PhoneNumberApi): PhoneNumbers {
  return {
    name: 'wechat',
    async phoneOf(code) {
      let answer: Awaited<ReturnType<PhoneNumberApi['getPhoneNumber']>>
      try {
        answer = await api.getPhoneNumber({ code })
      } catch (err) {
        // The cloud call throws for a refused code with its errCode on the error.
        const errCode = (err as { errCode?: unknown }).errCode
        if (typeof errCode === 'number') return phoneResult({ errcode: errCode, errmsg: String((err as Error).message ?? '') })
        throw err
      }
      return phoneResult({ errcode: answer.errCode ?? 0, errmsg: answer.errMsg, phone_info: answer.phoneInfo })
    },
  }
}
