/**
 * The bearer token of the HTTP transport. Outside WeChat there is no OPENID, so the device keeps
 * a generated openid in storage and signs in with `auth.devLogin` (local and self-hosted stacks).
 */
import Taro from '@tarojs/taro'
import type { ActionOutput } from '../../cloud/contract'
import { ApiError } from './errors'
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

async function login(): Promise<string> {
  const envelope = await postFn('auth', { action: 'devLogin', openid: deviceOpenid() }, null)
  if (!envelope.ok) throw new ApiError(envelope.error.code, envelope.error.message)
  const { token } = envelope.data as ActionOutput<'auth', 'devLogin'>
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
