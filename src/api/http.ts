import Taro from '@tarojs/taro'
import type { Envelope } from '../../cloud/contract'
import { API_BASE } from './config'
import { networkError } from './errors'

/** POST /api/fn/{name} on the HTTP host; answers the envelope or throws NETWORK. */
export async function postFn(name: string, data: Record<string, unknown>, token: string | null): Promise<Envelope<unknown>> {
  let body: unknown
  try {
    const res = await Taro.request({
      url: `${API_BASE}/api/fn/${name}`,
      method: 'POST',
      data,
      header: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      timeout: 15_000,
    })
    body = res.data
  } catch {
    throw networkError()
  }
  if (!body || typeof body !== 'object' || !('ok' in body)) throw networkError()
  return body as Envelope<unknown>
}
