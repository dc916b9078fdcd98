/**
 * The sandbox payment provider's cashier: confirming the 模拟支付 sheet asks the provider to pay,
 * and the provider posts its signed notify to our backend, as WeChat Pay's servers would.
 */
import Taro from '@tarojs/taro'
import type { Envelope, PaymentParams } from '../../cloud/contract'
import { ApiError, networkError } from './errors'

type SandboxParams = Extract<PaymentParams, { provider: 'sandbox' }>

export async function confirmSandboxPayment(params: SandboxParams): Promise<void> {
  let data: Envelope<{ paid: boolean }> | undefined
  try {
    const res = await Taro.request({
      url: params.cashierUrl,
      method: 'POST',
      data: { body: params.body },
      header: { 'content-type': 'application/json' },
      timeout: 15_000,
    })
    data = res.data as typeof data
  } catch {
    throw networkError()
  }
  if (data?.ok && data.data.paid) return
  // The cashier refused the body, or our backend refused the provider's notify: the order stays unpaid.
  throw new ApiError(data && data.ok === false ? data.error.code : 'ORDER_NOT_PAYABLE', '支付未成功，请重试')
}
