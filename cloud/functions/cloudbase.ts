/**
 * The CloudBase entries. Every API function is `exports.main = cloudMain(handler)`; the caller is
 * the OPENID of the WeChat context (wx-server-sdk), never a field of `event`. `payCallback` is the
 * function WeChat Pay calls after a payment, and `jobs` runs the scheduled work on a timer trigger.
 */
import { cloudAvatars } from '../adapters/avatars/cloud'
import { cloudImages } from '../adapters/images/cloud-store'
import { wechatContentChecker, type MsgSecCheckApi } from '../adapters/content/wechat'
import { wechatMedia, type ImgSecCheckApi } from '../adapters/media/wechat'
import { wechatNotifier, type SubscribeMessageApi } from '../adapters/notify/wechat'
import { confirmCallback, wechatCloudPay, notifyFromCallback, type CloudPay } from '../adapters/payment/wechat'
import { wxacodePosters, type UploadFile, type WxacodeApi } from '../adapters/poster/wechat'
import { wechatRisk, type RiskRankApi } from '../adapters/risk/wechat'
import { cloudPhones, type PhoneNumberApi } from '../adapters/phone/cloud'
import { wecomContacts } from '../adapters/wecom/wecom'
import { unavailableTransfers } from '../adapters/transfer/unavailable'
import { runJobs } from '../core/jobs'
import { logRejection, onPaid } from '../core/order/payment.service'
import type { ImageProcessor } from '../core/services.ports'
import { liveCache } from '../adapters/cache/live-cache'
import { sessionCache } from '../adapters/cache/session-cache'
import type { HostCaches } from '../core/context'
import { SYNC_COMMENTS } from '../core/live/room.rules'
import { createDatabase, reposFor, type Database } from '../db/database'
import { configFromEnv } from './config'
import { invoke, runAsSystem, type Deps, type Handler } from './define'

interface WxServerSdk {
  init(opts: { env: unknown }): void
  getWXContext(): { OPENID?: string; ENV?: string }
  DYNAMIC_CURRENT_ENV: unknown
  cloudPay: CloudPay
  openapi: {
    subscribeMessage: SubscribeMessageApi
    security: MsgSecCheckApi & ImgSecCheckApi
    riskControl: RiskRankApi
    wxacode: WxacodeApi
    phonenumber: PhoneNumberApi
  }
  uploadFile: UploadFile
}

const noImageProcessing: ImageProcessor = {
  process: () => Promise.reject(new Error('images are resized by the host (POST /admin/api/upload), not in a cloud function')),
}

let db: Database | undefined
let sdk: WxServerSdk | undefined
let caches: HostCaches | undefined

function loadSdk(): WxServerSdk {
  if (!sdk) {
    // Loaded lazily: wx-server-sdk exists only in the CloudBase runtime (installed by its package.json).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    sdk = require('wx-server-sdk') as WxServerSdk
    sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV })
  }
  return sdk
}

function deps(): Deps {
  const url = process.env.DATABASE_URL
  if (!url) throw new Error('DATABASE_URL is not set for this cloud function')
  // One small pool per warm container; CloudBase reuses the container between calls.
  db ??= createDatabase(url, { max: 2 })
  // Per warm container, TTL only (no listener, no timer between calls): sessions (here OPENIDs) and
  // rooms' poll state; presence is written at each poll, a frozen container flushing nothing.
  caches ??= cloudCaches(url)
  const wx = loadSdk()
  return {
    db,
    ...caches,
    config: configFromEnv(process.env, { cloud: true }),
    payments: wechatCloudPay(wx.cloudPay, {
      subMchId: process.env.WX_PAY_SUB_MCH_ID ?? '',
      envId: process.env.TCB_ENV ?? process.env.SCF_NAMESPACE ?? '',
      callbackFunction: 'payCallback',
    }),
    // SUBSCRIBE_TEMPLATES: {"live_start":{"id":"<template id>","fields":{"title":"thing1","status":"phrase2"}}, …}
    notifier: wechatNotifier(wx.openapi.subscribeMessage, JSON.parse(process.env.SUBSCRIBE_TEMPLATES || '{}')),
    contentCheck: wechatContentChecker(wx.openapi.security),
    media: wechatMedia(wx.openapi.security),
    avatars: cloudAvatars((p) => wx.uploadFile(p)),
    risk: wechatRisk(wx.openapi.riskControl, process.env.WX_APPID ?? ''),
    transfers: unavailableTransfers(),
    posters: wxacodePosters(wx.openapi.wxacode, (p) => wx.uploadFile(p)),
    // Uploaded images are kept in cloud storage. They are resized where they are received (the host's
    // POST /admin/api/upload, with sharp): no cloud function takes an upload, so sharp, a native
    // library of some 30 MB, stays out of every function's bundle.
    imageStore: cloudImages((p) => wx.uploadFile(p)),
    imageProcessor: noImageProcessing,
    // No auth.login here: the caller is the OPENID of the WeChat context, so it answers 403.
    login: null,
    phones: cloudPhones(wx.openapi.phonenumber),
    // 联系我 codes are made from here too; WeCom's callback is served by a self-hosted host
    // (cloud/host/server.ts), the one place that takes its raw XML.
    wecom: wecomOf(process.env),
  }
}

/** The merchant's 企业微信 from WECOM_* (all five set), else none: member.wecomContact answers WECOM_UNAVAILABLE. */
function wecomOf(env: NodeJS.ProcessEnv) {
  const { WECOM_CORP_ID: corpId, WECOM_SECRET: secret, WECOM_TOKEN: token, WECOM_AES_KEY: encodingAesKey, WECOM_USER_ID: userId } = env
  return corpId && secret && token && encodingAesKey && userId ? wecomContacts({ corpId, secret, token, encodingAesKey, userId }) : null
}

/** The caches of a warm container: the same times as the host's defaults (cloud/host/live-caches.ts). */
function cloudCaches(url: string): HostCaches {
  const repos = reposFor(createDatabase(url, { max: 1 }).pool)
  return {
    sessionCache: sessionCache({ ttlMs: 10_000, maxEntries: 20_000, sessions: repos.sessions }),
    liveCache: liveCache({ ttlMs: 500, maxRooms: 100, comments: SYNC_COMMENTS, repos }),
  }
}

export function cloudMain(handler: Handler) {
  return async (event: Record<string, unknown>) => {
    const d = deps()
    const { OPENID } = loadSdk().getWXContext()
    const { userInfo: _userInfo, ...data } = event
    return invoke(handler, data, OPENID ? { kind: 'openid', openid: OPENID } : { kind: 'none' }, d)
  }
}

/**
 * WeChat Pay's payment result callback: marks the order paid (idempotently) and answers errcode 0.
 * Any client can call a cloud function by name, so the event is believed only once WeChat Pay's order
 * query confirms the payment; a forged one is logged with the refused notifies and changes nothing.
 */
export async function payCallbackMain(event: Record<string, unknown>) {
  const claimed = notifyFromCallback(event)
  if (!claimed) return { errcode: 0, errmsg: 'ignored' }
  const d = deps()
  const notify = await confirmCallback(loadSdk().cloudPay, { subMchId: process.env.WX_PAY_SUB_MCH_ID ?? '' }, claimed)
  if (!notify) {
    await runAsSystem(d, (ctx) => logRejection(ctx, 'wechat', 'NOT_CONFIRMED_BY_QUERY', event))
    return { errcode: 1, errmsg: 'NOT_CONFIRMED_BY_QUERY' }
  }
  const result = await runAsSystem(d, (ctx) => onPaid(ctx, notify))
  return result.accepted ? { errcode: 0, errmsg: result.outcome } : { errcode: 1, errmsg: result.reason }
}

/** The timer trigger: the scheduled work (cloud/core/jobs.ts), as the local host runs it. */
export async function jobsMain() {
  const d = deps()
  return runJobs((fn) => runAsSystem(d, fn))
}
