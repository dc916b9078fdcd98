/**
 * The sandbox 企业微信's "add": on local and test stacks, posting to the `sandboxAddUrl` that
 * member.wecomContact answered makes the sandbox send its signed add event to our backend, as
 * WeCom's servers would once the shopper adds the contact in WeChat.
 */
import Taro from '@tarojs/taro'
import type { Envelope } from '../../cloud/contract'
import { ApiError, networkError } from './errors'

export async function simulateWecomAdd(sandboxAddUrl: string): Promise<void> {
  let data: Envelope<{ delivered: boolean }> | undefined
  try {
    const res = await Taro.request({
      url: sandboxAddUrl,
      method: 'POST',
      data: {},
      header: { 'content-type': 'application/json' },
      timeout: 15_000,
    })
    data = res.data as typeof data
  } catch {
    throw networkError()
  }
  if (data?.ok && data.data.delivered) return
  throw new ApiError(data && data.ok === false ? data.error.code : 'INTERNAL', '模拟添加失败，请重试')
}
