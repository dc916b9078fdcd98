import path from 'node:path'
import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify'
import QRCode from 'qrcode'
import { z } from 'zod'
import { AuthDevLoginInput, ERRORS, type Envelope } from '../contract'
import { SANDBOX_CASHIER_PATH, SANDBOX_NOTIFY_PATH, type SandboxPayment } from '../adapters/payment/sandbox'
import { SANDBOX_LOGIN_PATH, type SandboxLogin } from '../adapters/login/sandbox'
import { readAvatar } from '../adapters/avatars/db'
import { WECHATPAY_NOTIFY_PATH, type WechatPayV3 } from '../adapters/payment/wechatpay-v3'
import { SANDBOX_TRANSFER_CONFIRM_PATH, SANDBOX_TRANSFER_NOTIFY_PATH, type SandboxTransfers } from '../adapters/transfer/sandbox'
import { WECHAT_TRANSFER_NOTIFY_PATH, type WechatTransfers } from '../adapters/transfer/wechat'
import {
  createTimePlausible,
  verifyEvent,
  verifyUrl,
  WECOM_BODY_LIMIT,
  WECOM_CALLBACK_PATH,
  type CallbackQuery,
} from '../adapters/wecom/callback'
import type { WecomKeys } from '../adapters/wecom/crypto'
import { SANDBOX_WECOM_ADD_PATH, SANDBOX_WECOM_CONTACT_PATH, SANDBOX_WECOM_REMOVE_PATH, type SandboxWecom } from '../adapters/wecom/sandbox'
import { onWecomEvent } from '../core/member/join.service'
import { onTransferNotify } from '../core/deal/withdrawal.service'
import { logRejection, onPaid } from '../core/order/payment.service'
import type { VerifiedNotify, VerifiedTransferNotify } from '../core/services.ports'
import { errorEnvelope, inputProblem, invoke, runAsSystem, type Deps, type Identity } from '../functions/define'
import { traffic } from '../db/database'
import { handlers } from '../functions'
import { callMetaOf, registerConsole, UPLOAD_PATH } from './console-routes'
import { existingBuild, type H5State } from './h5-build'
import { renderArt } from './media'
import { serveUploads } from './uploads'

export const BODY_LIMIT = 64 * 1024

/** A page in place of the storefront while it can't be served: small, self-contained, in the shopper's language. */
const pendingPage = (message: string, hint: string, refreshSeconds?: number) =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">` +
  `<meta name="viewport" content="width=device-width,initial-scale=1">` +
  (refreshSeconds ? `<meta http-equiv="refresh" content="${refreshSeconds}">` : '') +
  `<title>好茶小铺</title></head><body style="margin:0;padding:38vh 24px 0;text-align:center;font-family:sans-serif;color:#333">` +
  `<p style="font-size:17px">${message}</p><p style="font-size:14px;color:#999">${hint}</p></body></html>`

/** What a page request gets while the H5 app is not there (cloud/host/h5-build.ts): 503 and a retry while it builds. */
const H5_PENDING: Record<Exclude<H5State, 'ready'>, { status: number; html: string }> = {
  building: { status: 503, html: pendingPage('正在构建商城页面，请稍候…', '首次启动需要构建一次，完成后本页会自动打开商城', 5) },
  failed: { status: 500, html: pendingPage('商城页面构建失败', '请查看运行 npm start 的终端输出；接口服务不受影响') },
  missing: { status: 404, html: pendingPage('商城页面尚未构建', '请运行 npm run build:h5，完成后刷新本页') },
}

/** Payment providers post here; they are answered `{code, message}` as WeChat Pay expects, never the envelope. */
const NOTIFY_PREFIX = '/api/pay/notify/'

/**
 * How long a client may take: 10 s to send its headers, 30 s for the whole request, 10 s idle between
 * keep-alive requests, 60 s without any traffic at all. Node checks the first two every second
 * (connectionsCheckingInterval; its default, 30 s, would let a slow client keep a socket for up to
 * 40 s), and answers a client past either with a 408 before closing the connection.
 */
export const TIMEOUTS = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 10_000, idleMs: 60_000, checkEveryMs: 1_000 }

/** Input refused by the JSON parser (NUL, too deep, out of range): a 400 with its reason. */
class BadInput extends Error {
  readonly statusCode = 400
  readonly code = 'WESHOP_BAD_INPUT'
}

/** The message for a refusal of the transport (parser, content type, size, URL), in the caller's language. */
function transportMessage(err: { code?: string; message: string }, url: string): string {
  if (url.startsWith(UPLOAD_PATH)) {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return '图片不能超过 8 MiB'
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return '图片须为 JPEG、PNG 或 WebP 格式'
  }
  switch (err.code) {
    case 'WESHOP_BAD_INPUT':
      return err.message
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return '请求体超过 64 KiB'
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return '请求体必须是 JSON'
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return '请求体不是有效的 JSON'
    default:
      return ERRORS.VALIDATION_FAILED.message
  }
}

export interface ServerOptions {
  deps: Deps
  /** The local payment provider, when payments go through the sandbox. */
  sandbox?: SandboxPayment
  /** The local login provider, when wx.login codes are minted here rather than by WeChat. */
  sandboxLogin?: SandboxLogin
  /** WeChat Pay API v3, when payments go through it (self-hosted production). */
  wechatPay?: WechatPayV3
  /** The local 商家转账 stand-in, when withdrawals are paid through the sandbox. */
  sandboxTransfers?: SandboxTransfers
  /** WeChat Pay 商家转账, when withdrawals are paid through it. */
  wechatTransfers?: WechatTransfers
  /** The keys WeCom's callback (WECOM_CALLBACK_PATH) is checked with: the corp's, or the sandbox's. */
  wecomCallback?: WecomKeys
  /** The local 企业微信 stand-in, when WECOM_* are unset on a local or test stack. */
  sandboxWecom?: SandboxWecom
  /** The built H5 app to serve at /, when present. */
  h5Dir?: string
  /**
   * Where the H5 app stands while `npm start` builds it (cloud/host/h5-build.ts). Without it, the
   * app is served once `h5Dir` holds an index.html.
   */
  h5State?: () => H5State
  /** Set once migrations have run; /api/health answers 503 before. */
  isReady?: () => boolean
  /** The built web console (`npm run build:admin`), served at /admin/; without it /admin/ says how to build it. */
  adminDir?: string
  /** The console cookie's Secure flag (cookieSecureOf: production unless COOKIE_SECURE=0, or COOKIE_SECURE=1). */
  cookieSecure?: boolean
  /** The folder of uploaded images (cloud/host/uploads.ts), served at /media/uploads/. */
  uploadsDir?: string
}

function send(reply: import('fastify').FastifyReply, envelope: Envelope<unknown>) {
  const status = envelope.ok ? 200 : ERRORS[envelope.error.code].status
  return reply.code(status).type('application/json; charset=utf-8').send(envelope)
}

/** Text that can go into an SVG: no control characters, no lone surrogates (XML and the QR encoder take neither). */
const drawable = (text: string) =>
  inputProblem(text) === null && ![...text].some((c) => c.charCodeAt(0) < 0x20 && c !== '\t' && c !== '\n' && c !== '\r')

function identityOf(authorization: string | undefined): Identity {
  const m = /^Bearer\s+(\S{1,200})$/i.exec(authorization ?? '')
  return m ? { kind: 'token', token: m[1]! } : { kind: 'none' }
}

/** Hands a verified notify to the core and answers the provider: SUCCESS, or 400 FAIL with the reason. */
async function settleNotify(deps: Deps, notify: VerifiedNotify, reply: FastifyReply) {
  const result = await runAsSystem(deps, (ctx) => onPaid(ctx, notify))
  if (!result.accepted) {
    console.error(JSON.stringify({ level: 'warn', event: 'payment_notify_refused', reason: result.reason, orderId: notify.orderId }))
    return reply.code(400).send({ code: 'FAIL', message: result.reason })
  }
  return { code: 'SUCCESS', message: result.outcome }
}

/** Hands a verified transfer notify to the core: SUCCESS once it is settled (or already was), else 400 FAIL. */
async function settleTransferNotify(deps: Deps, notify: VerifiedTransferNotify, reply: FastifyReply) {
  const result = await runAsSystem(deps, (ctx) => onTransferNotify(ctx, notify))
  if (!result.accepted) {
    console.error(
      JSON.stringify({ level: 'warn', event: 'transfer_notify_refused', reason: result.reason, withdrawalId: notify.withdrawalId }),
    )
    return reply.code(400).send({ code: 'FAIL', message: result.reason })
  }
  return { code: 'SUCCESS', message: result.outcome }
}

/** The local and self-hosted host: the API at /api/fn/{name}, generated art at /media, and the H5 app. */
export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    logger: false,
    return503OnClosing: true,
    requestTimeout: TIMEOUTS.requestMs,
    keepAliveTimeout: TIMEOUTS.keepAliveMs,
    connectionTimeout: TIMEOUTS.idleMs,
    http: { headersTimeout: TIMEOUTS.headersMs, requestTimeout: TIMEOUTS.requestMs, connectionsCheckingInterval: TIMEOUTS.checkEveryMs },
    // A URL the router can't even decode (`/api/%E0%A4%A`) is bad input too, answered as the envelope.
    frameworkErrors: (_err, _req, reply) => send(reply, errorEnvelope('VALIDATION_FAILED', '请求地址无效')),
  })

  // Every transport-level failure (bad JSON, wrong content type, body too large, bad input) is a 400:
  // the envelope for calls, `{code: 'FAIL'}` for a payment provider's notify.
  app.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, req, reply) => {
    const status = err.statusCode ?? 500
    if (status >= 400 && status < 500) {
      const message = transportMessage(err, req.url)
      if (req.url.startsWith(NOTIFY_PREFIX)) return reply.code(400).send({ code: 'FAIL', message })
      return send(reply, errorEnvelope('VALIDATION_FAILED', message))
    }
    console.error(JSON.stringify({ level: 'error', url: req.url, error: err.message }))
    if (req.url.startsWith(NOTIFY_PREFIX)) return reply.code(500).send({ code: 'FAIL', message: ERRORS.INTERNAL.message })
    return send(reply, errorEnvelope('INTERNAL'))
  })

  // One body parser for every route: JSON only (anything else is refused as 415, answered 400), and
  // input no route may take (NUL, lone surrogates, deeper than 32, numbers past the double range) is
  // refused here, before any handler reads it. Fastify's own JSON parser underneath keeps its
  // __proto__ / constructor.prototype refusal. A route that needs its body raw registers its own
  // parser in a scope of its own.
  const parseJson = app.getDefaultJsonParser('error', 'error') as (
    req: unknown,
    body: string,
    done: (err: Error | null, value?: unknown) => void,
  ) => void
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    parseJson(req, body as string, (err, value) => {
      if (err) return done(err, undefined)
      const problem = inputProblem(value)
      if (problem) return done(new BadInput(problem), undefined)
      done(null, value)
    })
  })

  app.get('/favicon.ico', async (_req, reply) => reply.code(204).send())

  // 200 only when calls can be served: migrations have run and PostgreSQL answers a SELECT 1 within
  // a second (on a connection of its own; concurrent checks share one query).
  app.get('/api/health', async (_req, reply) => {
    reply.header('cache-control', 'no-store')
    if (opts.isReady && !opts.isReady()) return reply.code(503).send({ ok: false })
    if (opts.deps.db.ping && !(await opts.deps.db.ping(1_000))) return reply.code(503).send({ ok: false })
    return { ok: true }
  })

  // The round trips and statements this process sent to PostgreSQL (cloud/db traffic), for the
  // checkout bench: only with DB_COUNT_TRAFFIC=1 and never in production.
  if (traffic.enabled && process.env.NODE_ENV !== 'production') {
    app.get('/api/debug/db-traffic', async () => ({ roundTrips: traffic.roundTrips, statements: traffic.statements }))
  }

  app.post<{ Params: { name: string } }>('/api/fn/:name', async (req, reply) => {
    const handler = Object.prototype.hasOwnProperty.call(handlers, req.params.name) ? handlers[req.params.name] : undefined
    if (!handler) return send(reply, errorEnvelope('VALIDATION_FAILED', `未知函数：${req.params.name}`))
    // Bearer tokens only: the console's cookie is never an identity here (its path is /admin anyway).
    return send(reply, await invoke(handler, req.body, identityOf(req.headers.authorization), opts.deps, callMetaOf(req)))
  })

  const sandbox = opts.sandbox
  if (sandbox) {
    // The merchant's notify endpoint: the only way an order becomes paid. Answers as WeChat Pay expects.
    app.post(SANDBOX_NOTIFY_PATH, async (req, reply) => {
      const verified = sandbox.verify(req.body)
      if (!verified.ok) {
        await runAsSystem(opts.deps, (ctx) => logRejection(ctx, 'sandbox', verified.reason, req.body))
        console.error(JSON.stringify({ level: 'warn', event: 'payment_notify_refused', reason: verified.reason }))
        return reply.code(400).send({ code: 'FAIL', message: verified.reason })
      }
      return settleNotify(opts.deps, verified.notify, reply)
    })

    // The sandbox provider's cashier (its "模拟支付" sheet confirms here): like WeChat's servers after a
    // payment, it posts the signed notify to the merchant's notify URL and reports what came back.
    app.post(SANDBOX_CASHIER_PATH, async (req, reply) => {
      const body = (req.body as { body?: unknown } | undefined)?.body
      if (!sandbox.verify(body).ok) return send(reply, errorEnvelope('VALIDATION_FAILED', '支付参数无效'))
      const address = app.server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      const res = await fetch(`http://127.0.0.1:${port}${SANDBOX_NOTIFY_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUTS.requestMs),
      })
      // Whatever the notify endpoint answered (a 500 while the database is down included) is reported, not thrown.
      const answer = (await res.json().catch(() => ({ code: 'FAIL', message: `HTTP ${res.status}` }))) as { code: string; message?: string }
      return send(reply, { ok: true, data: { paid: answer.code === 'SUCCESS', message: answer.message ?? '' } })
    })
  }

  const sandboxTransfers = opts.sandboxTransfers
  if (sandboxTransfers) {
    // The merchant's transfer notify: the only way a withdrawal becomes paid (or failed, its amount back).
    app.post(SANDBOX_TRANSFER_NOTIFY_PATH, async (req, reply) => {
      const verified = sandboxTransfers.verifyNotify(req.body)
      if (!verified) {
        console.error(JSON.stringify({ level: 'warn', event: 'transfer_notify_refused', reason: 'BAD_SIGNATURE' }))
        return reply.code(400).send({ code: 'FAIL', message: 'BAD_SIGNATURE' })
      }
      return settleTransferNotify(opts.deps, verified, reply)
    })

    // The sandbox's 确认收款 page (what wx.requestMerchantTransfer opens in WeChat): the bill ends once,
    // and like WeChat's servers it posts the signed notify to the merchant and reports what came back.
    // `cancel: true` lets the bill lapse instead (WeChat cancels a bill nobody confirms).
    app.post(SANDBOX_TRANSFER_CONFIRM_PATH, async (req, reply) => {
      const input = (req.body ?? {}) as { body?: unknown; cancel?: unknown }
      const notify = await sandboxTransfers.confirm(input.body, input.cancel === true)
      if (!notify) return send(reply, errorEnvelope('VALIDATION_FAILED', '收款参数无效，或这笔转账已处理'))
      const address = app.server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      const res = await fetch(`http://127.0.0.1:${port}${SANDBOX_TRANSFER_NOTIFY_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(notify),
        signal: AbortSignal.timeout(TIMEOUTS.requestMs),
      })
      const answer = (await res.json().catch(() => ({ code: 'FAIL', message: `HTTP ${res.status}` }))) as { code: string; message?: string }
      return send(reply, { ok: true, data: { received: answer.code === 'SUCCESS' && !input.cancel, message: answer.message ?? '' } })
    })
  }

  const sandboxLogin = opts.sandboxLogin
  if (sandboxLogin) {
    // The sandbox's wx.login: a single-use code for an openid, as WeChat gives the user on the phone.
    const MintInput = AuthDevLoginInput.pick({ openid: true })
    app.post(SANDBOX_LOGIN_PATH, async (req, reply) => {
      const parsed = MintInput.safeParse(req.body)
      if (!parsed.success) return send(reply, errorEnvelope('VALIDATION_FAILED', 'openid 须为 1 到 64 个字符'))
      return send(reply, { ok: true, data: { code: await sandboxLogin.mint(parsed.data.openid) } })
    })
  }

  const wechatTransfers = opts.wechatTransfers
  if (wechatTransfers) {
    // WeChat Pay 商家转账's notify (MCHTRANSFER.BILL.FINISHED), signed over the raw body like the payment's.
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers()
      scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: WECOM_BODY_LIMIT }, (_req, body, done) => done(null, body))
      // A body over the limit is answered as WeCom's refusals are (plain text), 413, unread and unstored.
      scope.setErrorHandler((err: { code?: string }, _req, reply) => {
        if (err.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw err
        console.error(JSON.stringify({ level: 'warn', event: 'wecom_callback_refused', reason: 'TOO_LARGE' }))
        return reply.code(413).type('text/plain; charset=utf-8').send('request too large')
      })
      scope.post(WECHAT_TRANSFER_NOTIFY_PATH, async (req, reply) => {
        const checked = wechatTransfers.verifyNotify(req.headers, typeof req.body === 'string' ? req.body : '')
        if (checked.kind === 'refused') {
          console.error(JSON.stringify({ level: 'warn', event: 'transfer_notify_refused', provider: 'wechat', reason: checked.reason }))
          return reply.code(401).send({ code: 'FAIL', message: checked.reason })
        }
        if (checked.kind === 'ignored') return { code: 'SUCCESS', message: checked.reason }
        return settleTransferNotify(opts.deps, checked.notify, reply)
      })
    })
  }

  const wechatPay = opts.wechatPay
  if (wechatPay) {
    // WeChat Pay v3's notify. Its signature covers the body byte for byte, so this route alone (its own
    // plugin scope) takes the body as the raw string; every other route keeps the JSON parser.
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers()
      scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: WECOM_BODY_LIMIT }, (_req, body, done) => done(null, body))
      // A body over the limit is answered as WeCom's refusals are (plain text), 413, unread and unstored.
      scope.setErrorHandler((err: { code?: string }, _req, reply) => {
        if (err.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw err
        console.error(JSON.stringify({ level: 'warn', event: 'wecom_callback_refused', reason: 'TOO_LARGE' }))
        return reply.code(413).type('text/plain; charset=utf-8').send('request too large')
      })
      scope.post(WECHATPAY_NOTIFY_PATH, async (req, reply) => {
        const checked = wechatPay.verifyNotify(req.headers, typeof req.body === 'string' ? req.body : '')
        if (checked.kind === 'refused') {
          // Not from WeChat Pay (or altered, or late): logged, never stored, so it can't grow the database.
          console.error(JSON.stringify({ level: 'warn', event: 'payment_notify_refused', provider: 'wechat', reason: checked.reason }))
          return reply.code(401).send({ code: 'FAIL', message: checked.reason })
        }
        if (checked.kind === 'ignored') return { code: 'SUCCESS', message: checked.reason }
        return settleNotify(opts.deps, checked.notify, reply)
      })
    })
  }

  const wecomKeys = opts.wecomCallback
  if (wecomKeys) await registerWecom(app, opts.deps, wecomKeys)
  if (opts.sandboxWecom) registerSandboxWecom(app, opts.sandboxWecom)

  app.all('/api/*', async (_req, reply) => send(reply, errorEnvelope('NOT_FOUND')))

  // The merchant's web console under /admin (cloud/host/console-routes.ts).
  await registerConsole(app, { deps: opts.deps, adminDir: opts.adminDir, cookieSecure: opts.cookieSecure })

  // Avatars shoppers chose (cloud/adapters/avatars/db.ts): named by their content's hash, so never stale.
  app.get<{ Params: { userId: string; file: string } }>('/media/avatars/:userId/:file', async (req, reply) => {
    const m = /^([0-9a-f]{16,64})\.(jpg|png)$/.exec(req.params.file)
    if (!m || req.params.userId.length > 64) return reply.code(404).send()
    const avatar = await readAvatar(opts.deps.db, req.params.userId, m[1]!)
    if (!avatar || avatar.mime !== (m[2] === 'png' ? 'image/png' : 'image/jpeg')) return reply.code(404).send()
    return reply
      .type(avatar.mime)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(avatar.bytes)
  })

  if (opts.uploadsDir) serveUploads(app, opts.uploadsDir)

  app.get<{ Params: { hue: string; label: string }; Querystring: { wide?: string } }>('/media/art/:hue/:label', async (req, reply) => {
    const hue = Number(req.params.hue)
    const label = req.params.label.replace(/\.svg$/, '')
    if (!Number.isInteger(hue) || hue < 0 || hue > 359 || label.length === 0 || label.length > 12 || !drawable(label)) {
      return reply.code(404).send()
    }
    return reply
      .type('image/svg+xml')
      .header('cache-control', 'public, max-age=86400')
      .send(renderArt(hue, label, req.query.wide === '1'))
  })

  // A QR code drawn here (the demo community card); the real one is the merchant's own image.
  app.get<{ Querystring: { text?: string } }>('/media/qr.svg', async (req, reply) => {
    // At most 200 characters, cut between characters (never inside an emoji's surrogate pair).
    const text = Array.from(typeof req.query.text === 'string' ? req.query.text : '')
      .slice(0, 200)
      .join('')
    if (!text || !drawable(text)) return reply.code(404).send()
    return reply
      .type('image/svg+xml')
      .header('cache-control', 'public, max-age=86400')
      .send(await QRCode.toString(text, { type: 'svg', margin: 1 }))
  })

  // Files shipped with the host, such as the demo room's short video (served with range requests).
  await app.register(fastifyStatic, { root: path.join(__dirname, 'assets'), prefix: '/media/files/', decorateReply: false })

  const h5Dir = opts.h5Dir
  if (h5Dir) {
    const h5State = opts.h5State ?? existingBuild(h5Dir)
    await app.register(async (scope) => {
      // Until the app is built every page request is answered by a small page that says why (and,
      // while the build runs, reloads itself); the API above is served all the while.
      scope.addHook('onRequest', async (_req, reply) => {
        const state = h5State()
        if (state === 'ready') return
        const { status, html } = H5_PENDING[state]
        if (state === 'building') reply.header('retry-after', '5')
        return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html)
      })
      await scope.register(fastifyStatic, {
        root: path.resolve(h5Dir),
        // An array: with preCompressed, @fastify/static finds a folder's index only in an array.
        index: ['index.html'],
        // The build writes .br and .gz copies of its text files; a browser gets the smallest it accepts.
        preCompressed: true,
        cacheControl: false,
        setHeaders(res, file) {
          // Scripts and styles are named by their content hash: they never change under one name.
          // The page itself is asked for again each visit so a new build is picked up at once.
          const hashed = /[./][0-9a-f]{8}\.(js|css)(\.br|\.gz)?$/.test(file)
          res.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache')
        },
      })
    })
  }
  return app
}

/**
 * WeCom's callback (客户联系 events): the URL verification (GET, the decrypted echostr answered as
 * plain text) and the events (POST, raw XML: its own plugin scope takes the body as a string, at
 * most WECOM_BODY_LIMIT — a few KB, more than WeCom ever sends; a larger body is answered 413 unread
 * and only logged). A
 * refused request (bad signature, another corp, a payload that doesn't decrypt) is answered 401 and
 * changes nothing; it is logged, and kept as refused notifies are, bounded (logRejection). Verified
 * events are applied once (onWecomEvent) and answered `success`, as WeCom expects.
 */
async function registerWecom(app: FastifyInstance, deps: Deps, keys: WecomKeys) {
  const refuse = async (reply: FastifyReply, reason: string, request: unknown) => {
    console.error(JSON.stringify({ level: 'warn', event: 'wecom_callback_refused', reason }))
    await runAsSystem(deps, (ctx) => logRejection(ctx, 'wecom', reason, request))
    return reply.code(401).type('text/plain; charset=utf-8').send('invalid request')
  }
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: WECOM_BODY_LIMIT }, (_req, body, done) => done(null, body))
    // A body over the limit is answered as WeCom's refusals are (plain text), 413, unread and unstored.
    scope.setErrorHandler((err: { code?: string }, _req, reply) => {
      if (err.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw err
      console.error(JSON.stringify({ level: 'warn', event: 'wecom_callback_refused', reason: 'TOO_LARGE' }))
      return reply.code(413).type('text/plain; charset=utf-8').send('request too large')
    })
    scope.get(WECOM_CALLBACK_PATH, async (req, reply) => {
      const checked = verifyUrl(keys, req.query as CallbackQuery)
      if (!checked.ok) return refuse(reply, checked.reason, { query: req.query })
      return reply.type('text/plain; charset=utf-8').send(checked.echo)
    })
    scope.post(WECOM_CALLBACK_PATH, { bodyLimit: WECOM_BODY_LIMIT }, async (req, reply) => {
      const body = typeof req.body === 'string' ? req.body : ''
      const checked = verifyEvent(keys, req.query as CallbackQuery, body, (deps.now?.() ?? new Date()).getTime())
      if (checked.kind === 'refused') return refuse(reply, checked.reason, { query: req.query, body })
      if (checked.kind === 'event') {
        const event = checked.event
        const outcome = await runAsSystem(deps, (ctx) => onWecomEvent(ctx, event))
        console.log(JSON.stringify({ level: 'info', event: 'wecom_event', change: event.changeType, outcome }))
      }
      return reply.type('text/plain; charset=utf-8').send('success')
    })
  })
}

/** A CreateTime WeCom could send (not before 2015, at most a few minutes ahead of the clock), as the callback takes them. */
const SandboxCreateTime = z
  .number()
  .int()
  .refine((t) => createTimePlausible(t, Date.now()), 'CreateTime must be after 2015 and at most 5 minutes ahead')
/** An ExternalUserID as WeCom writes them: no control characters (the callback refuses an event with one). */
// eslint-disable-next-line no-control-regex -- the control characters are what is refused
const SandboxExternalId = z.string().regex(/^[^\u0000-\u001f]{1,64}$/)
const SandboxAddInput = z.object({
  externalUserId: SandboxExternalId.optional(),
  createTime: SandboxCreateTime.optional(),
})
const SandboxRemoveInput = z.object({
  state: z.string().min(1).max(30).optional(),
  externalUserId: SandboxExternalId.optional(),
  changeType: z.enum(['del_follow_user', 'del_external_contact']).optional(),
  createTime: SandboxCreateTime.optional(),
})
const stateOf = (query: unknown): string | null => {
  const state = (query as { state?: unknown }).state
  return typeof state === 'string' && /^[A-Za-z0-9_-]{1,30}$/.test(state) ? state : null
}

/**
 * The sandbox 企业微信: its 联系我 page (what its QR opens), and the adds and deletes that make it send
 * its signed, encrypted events to the callback above, reporting what the callback answered.
 */
function registerSandboxWecom(app: FastifyInstance, wecom: SandboxWecom) {
  app.get(SANDBOX_WECOM_CONTACT_PATH, async (req, reply) => {
    const state = stateOf(req.query)
    if (!state) return reply.code(404).send()
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(sandboxContactPage(state))
  })
  app.post(SANDBOX_WECOM_ADD_PATH, async (req, reply) => {
    const state = stateOf(req.query)
    const input = SandboxAddInput.safeParse(req.body ?? {})
    if (!state || !input.success) return send(reply, errorEnvelope('VALIDATION_FAILED', '添加参数无效'))
    const answer = await wecom.send({
      change: 'add',
      state,
      externalUserId: input.data.externalUserId ?? wecom.externalIdOf(state),
      createTime: input.data.createTime,
    })
    return send(reply, { ok: true, data: { delivered: answer.status === 200, status: answer.status } })
  })
  app.post(SANDBOX_WECOM_REMOVE_PATH, async (req, reply) => {
    const input = SandboxRemoveInput.safeParse(req.body ?? {})
    const externalUserId = input.success
      ? (input.data.externalUserId ?? (input.data.state ? wecom.externalIdOf(input.data.state) : null))
      : null
    if (!input.success || !externalUserId)
      return send(reply, errorEnvelope('VALIDATION_FAILED', '删除参数无效：需要 state 或 externalUserId'))
    const answer = await wecom.send({
      change: 'remove',
      externalUserId,
      changeType: input.data.changeType,
      createTime: input.data.createTime,
    })
    return send(reply, { ok: true, data: { delivered: answer.status === 200, status: answer.status } })
  })
}

/** The sandbox 联系我 page: who the shopper is adding, and the button that adds (posting to the add URL). */
const sandboxContactPage = (state: string) =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">` +
  `<meta name="viewport" content="width=device-width,initial-scale=1"><title>添加企业微信（沙箱）</title></head>` +
  `<body style="margin:0;padding:18vh 24px 0;text-align:center;font-family:sans-serif;color:#333">` +
  `<p style="font-size:13px;color:#c60">沙箱环境：模拟企业微信「联系我」</p>` +
  `<p style="font-size:18px">添加好茶小铺的店长为企业微信好友</p>` +
  `<p style="font-size:14px;color:#999">添加后即成为朋友会员</p>` +
  `<button id="add" style="font-size:16px;padding:10px 32px;border:0;border-radius:20px;background:#07c160;color:#fff">添加到通讯录</button>` +
  `<p id="msg" style="font-size:14px"></p><script>` +
  `document.getElementById('add').onclick=function(){var b=this;b.disabled=true;` +
  `fetch(${JSON.stringify(SANDBOX_WECOM_ADD_PATH)}+'?state='+encodeURIComponent(${JSON.stringify(state)}),{method:'POST',headers:{'content-type':'application/json'},body:'{}'})` +
  `.then(function(r){return r.json()}).then(function(r){document.getElementById('msg').textContent=r.ok&&r.data.delivered?'已添加，回到小程序即可看到会员身份':'添加失败，请重试';b.disabled=false})` +
  `.catch(function(){document.getElementById('msg').textContent='网络错误，请重试';b.disabled=false})}` +
  `</script></body></html>`
