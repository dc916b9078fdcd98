/**
 * The CloudBase entry shared by every function: `exports.main = cloudMain(handler)`. The caller is
 * the OPENID of the WeChat context (wx-server-sdk), never a field of `event`.
 */
import { createDatabase, type Database } from '../db/database'
import { configFromEnv } from './config'
import { invoke, type Handler } from './define'

interface WxServerSdk {
  init(opts: { env: unknown }): void
  getWXContext(): { OPENID?: string }
  DYNAMIC_CURRENT_ENV: unknown
}

let db: Database | undefined
let sdk: WxServerSdk | undefined

function loadSdk(): WxServerSdk {
  if (!sdk) {
    // Loaded lazily: wx-server-sdk exists only in the CloudBase runtime (installed by its package.json).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    sdk = require('wx-server-sdk') as WxServerSdk
    sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV })
  }
  return sdk
}

export function cloudMain(handler: Handler) {
  return async (event: Record<string, unknown>) => {
    const { OPENID } = loadSdk().getWXContext()
    const url = process.env.DATABASE_URL
    if (!url) throw new Error('DATABASE_URL is not set for this cloud function')
    // One small pool per warm container; CloudBase reuses the container between calls.
    db ??= createDatabase(url, { max: 2 })
    const { userInfo: _userInfo, ...data } = event
    return invoke(handler, data, OPENID ? { kind: 'openid', openid: OPENID } : { kind: 'none' }, {
      db,
      config: configFromEnv(process.env, { cloud: true }),
    })
  }
}
