/**
 * The one call seam between the mini-program and the backend. Pages and components never call
 * the network; feature stores call `call()`. Inside WeChat with CloudBase it is
 * `Taro.cloud.callFunction` (the caller is the WeChat OPENID); elsewhere it is HTTP to
 * /api/fn/{name} with the bearer token of a dev login.
 */
import Taro from '@tarojs/taro'
import type { ActionInput, ActionName, ActionOutput, Envelope, FunctionName } from '../../cloud/contract'
import { useCloud } from './config'
import { ApiError, fieldsOf, networkError } from './errors'
import { postFn } from './http'
import { clearToken, getToken } from './token'

export { ApiError, errorMessage } from './errors'

async function viaCloud(name: string, data: Record<string, unknown>): Promise<Envelope<unknown>> {
  try {
    const res = await Taro.cloud.callFunction({ name, data })
    return res.result as Envelope<unknown>
  } catch {
    throw networkError()
  }
}

async function viaHttp(name: string, data: Record<string, unknown>): Promise<Envelope<unknown>> {
  const envelope = await postFn(name, data, await getToken())
  if (!envelope.ok && envelope.error.code === 'UNAUTHENTICATED') {
    // The stored session expired or the database was reset: sign in again, once.
    clearToken()
    return postFn(name, data, await getToken())
  }
  return envelope
}

export async function call<F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  action: A,
  input: ActionInput<F, A>,
): Promise<ActionOutput<F, A>> {
  const data = { ...(input as object), action }
  const envelope = useCloud ? await viaCloud(fn, data) : await viaHttp(fn, data)
  if (!envelope.ok) throw new ApiError(envelope.error.code, envelope.error.message, fieldsOf(envelope.error.details))
  return envelope.data as ActionOutput<F, A>
}

/**
 * Signs in ahead of the first call, at app launch: the first page's data then waits for one round
 * trip instead of two. Nothing to do with CloudBase (WeChat supplies the caller); a failure is left
 * for the first real call to report and retry.
 */
export function prepareSession(): void {
  if (!useCloud) getToken().catch(() => undefined)
}
