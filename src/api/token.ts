/**
 * The bearer token of the HTTP transport (local and self-hosted stacks). The mini-program signs in
 * as WeChat knows the user: a `wx.login` code, exchanged by the server for the OPENID
 * (`auth.login`). A browser (H5) has no wx.login, so there the device keeps a generated openid in
 * storage and signs in with `auth.devLogin`, which only a development stack allows.
 */
import Taro from '@tarojs/taro'
import type { ActionOutput } from '../../cloud/contract'
import { ApiError, networkError } from './errors'
import { postFn } from './http'

const TOKEN_KEY = 'weshop.token'
const DEVICE_KEY = 'weshop.deviceOpenid'

let pending: Promise<string> | null = null

function deviceOpenid(): string {
  let id = Taro.getStorageSync<string>(DEVICE_KEY)
  if (!id) {
    id = `${process.env.TARO_ENV}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`
    Taro.setStorageSync(DEVICE_KEY, id)
  }
  return id
}

/** The sign-in call: a fresh wx.login code on weapp (each code is single-use), the device openid on H5. */
async function credentials(): Promise<Record<string, unknown>> {
  if (process.env.TARO_ENV !== 'weapp') return { action: 'devLogin', openid: deviceOpenid() }
  let code: string | undefined
  try {
    code = (await Taro.login()).code
  } catch {
    throw networkError()
  }
  if (!code) throw networkError()
  return { action: 'login', code }
}

async function login(): Promise<string> {
  const envelope = await postFn('auth', await credentials(), null)
  if (!envelope.ok) throw new ApiError(envelope.error.code, envelope.error.message)
  const { token } = envelope.data as ActionOutput<'auth', 'login'>
  Taro.setStorageSync(TOKEN_KEY, token)
  return token
}

/** The stored token, or a fresh one from one shared login when there is none. */
export async function getToken(): Promise<string> {
  const stored = Taro.getStorageSync<string>(TOKEN_KEY)
  if (stored) return stored
  pending ??= login().finally(() => {
    pending = null
  })
  return pending
}

export function clearToken(): void {
  Taro.removeStorageSync(TOKEN_KEY)
}
