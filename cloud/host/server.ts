import fs from 'node:fs'
import path from 'node:path'
import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyInstance } from 'fastify'
import QRCode from 'qrcode'
import { AuthDevLoginInput, ERRORS, type Envelope } from '../contract'
import { SANDBOX_CASHIER_PATH, SANDBOX_NOTIFY_PATH, type SandboxPayment } from '../adapters/payment/sandbox'
import { SANDBOX_LOGIN_PATH, type SandboxLogin } from '../adapters/login/sandbox'
import { WECHATPAY_NOTIFY_PATH, type WechatPayV3 } from '../adapters/payment/wechatpay-v3'
import { onPaid } from '../core/order/payment.service'
import { errorEnvelope, invoke, runAsSystem, type Deps, type Identity } from '../functions/define'
import { handlers } from '../functions'
import { renderArt } from './media'

export const BODY_LIMIT = 64 * 1024

export interface ServerOptions {
  deps: Deps
  /** The local payment provider, when payments go through the sandbox. */
  sandbox?: SandboxPayment
  /** The local login provider, when wx.login codes are minted here rather than by WeChat. */
  sandboxLogin?: SandboxLogin
  /** WeChat Pay API v3, when payments go through it (self-hosted production). */
  wechatPay?: WechatPayV3
  /** The built H5 app to serve at /, when present. */
  h5Dir?: string
  /** Set once migrations have run; /api/health answers 503 before. */
  isReady?: () => boolean
}

function send(reply: import('fastify').FastifyReply, envelope: Envelope<unknown>) {
  const status = envelope.ok ? 200 : ERRORS[envelope.error.code].status
  return reply.code(status).type('application/json; charset=utf-8').send(envelope)
}

function identityOf(authorization: string | undefined): Identity {
  const m = /^Bearer\s+(\S{1,200})$/i.exec(authorization ?? '')
  return m ? { kind: 'token', token: m[1]! } : { kind: 'none' }
}

/** The local and self-hosted host: the API at /api/fn/{name}, generated art at /media, and the H5 app. */
export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ bodyLimit: BODY_LIMIT, logger: false, return503OnClosing: true })

  // Every transport-level failure (bad JSON, wrong content type, body too large) is bad input.
  app.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, req, reply) => {
    const status = err.statusCode ?? 500
    if (status >= 400 && status < 500) {
      const message =
        err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? '请求体超过 64 KiB'
          : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? '请求体必须是 JSON'
            : '请求体不是有效的 JSON'
      return send(reply, errorEnvelope('VALIDATION_FAILED', message))
    }
    console.error(JSON.stringify({ level: 'error', url: req.url, error: err.message }))
    return send(reply, errorEnvelope('INTERNAL'))
  })

  app.get('/favicon.ico', async (_req, reply) => reply.code(204).send())

  app.get('/api/health', async (_req, reply) => {
    if (opts.isReady && !opts.isReady()) return reply.code(503).send({ ok: false })
    return { ok: true }
  })

  app.post<{ Params: { name: string } }>('/api/fn/:name', async (req, reply) => {
    const handler = Object.prototype.hasOwnProperty.call(handlers, req.params.name) ? handlers[req.params.name] : undefined
    if (!handler) return send(reply, errorEnvelope('VALIDATION_FAILED', `未知函数：${req.params.name}`))
    return send(reply, await invoke(handler, req.body, identityOf(req.headers.authorization), opts.deps))
  })

  const sandbox = opts.sandbox
  if (sandbox) {
    // The merchant's notify endpoint: the only way an order becomes paid. Answers as WeChat Pay expects.
    app.post(SANDBOX_NOTIFY_PATH, async (req, reply) => {
      const verified = sandbox.verify(req.body)
      if (!verified.ok) {
        await runAsSystem(opts.deps, (ctx) => ctx.repos.payments.logRejection('sandbox', verified.reason, req.body))
        console.error(JSON.stringify({ level: 'warn', event: 'payment_notify_refused', reason: verified.reason }))
        return reply.code(400).send({ code: 'FAIL', message: verified.reason })
      }
      const result = await runAsSystem(opts.deps, (ctx) => onPaid(ctx, verified.notify))
      if (!result.accepted) {
        console.error(
          JSON.stringify({ level: 'warn', event: 'payment_notify_refused', reason: result.reason, orderId: verified.notify.orderId }),
        )
        return reply.code(400).send({ code: 'FAIL', message: result.reason })
      }
      return { code: 'SUCCESS', message: result.outcome }
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
      })
      const answer = (await res.json()) as { code: string; message?: string }
      return send(reply, { ok: true, data: { paid: answer.code === 'SUCCESS', message: answer.message ?? '' } })
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

  const wechatPay = opts.wechatPay
  if (wechatPay) {
    // WeChat Pay v3's notify. Its signature covers the body byte for byte, so this route alone (its own
    // plugin scope) takes the body as the raw string; every other route keeps the JSON parser.
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers()
      scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body))
      scope.post(WECHATPAY_NOTIFY_PATH, async (req, reply) => {
        const checked = wechatPay.verifyNotify(req.headers, typeof req.body === 'string' ? req.body : '')
        if (checked.kind === 'refused') {
          // Not from WeChat Pay (or altered, or late): logged, never stored, so it can't grow the database.
          console.error(JSON.stringify({ level: 'warn', event: 'payment_notify_refused', provider: 'wechat', reason: checked.reason }))
          return reply.code(401).send({ code: 'FAIL', message: checked.reason })
        }
        if (checked.kind === 'ignored') return { code: 'SUCCESS', message: checked.reason }
        const result = await runAsSystem(opts.deps, (ctx) => onPaid(ctx, checked.notify))
        if (!result.accepted) {
          console.error(
            JSON.stringify({ level: 'warn', event: 'payment_notify_refused', reason: result.reason, orderId: checked.notify.orderId }),
          )
          return reply.code(400).send({ code: 'FAIL', message: result.reason })
        }
        return { code: 'SUCCESS', message: result.outcome }
      })
    })
  }

  app.all('/api/*', async (_req, reply) => send(reply, errorEnvelope('NOT_FOUND')))

  app.get<{ Params: { hue: string; label: string }; Querystring: { wide?: string } }>('/media/art/:hue/:label', async (req, reply) => {
    const hue = Number(req.params.hue)
    const label = req.params.label.replace(/\.svg$/, '')
    if (!Number.isInteger(hue) || hue < 0 || hue > 359 || label.length === 0 || label.length > 12) {
      return reply.code(404).send()
    }
    return reply
      .type('image/svg+xml')
      .header('cache-control', 'public, max-age=86400')
      .send(renderArt(hue, label, req.query.wide === '1'))
  })

  // A QR code drawn here (the demo community card); the real one is the merchant's own image.
  app.get<{ Querystring: { text?: string } }>('/media/qr.svg', async (req, reply) => {
    const text = String(req.query.text ?? '').slice(0, 200)
    if (!text) return reply.code(404).send()
    return reply
      .type('image/svg+xml')
      .header('cache-control', 'public, max-age=86400')
      .send(await QRCode.toString(text, { type: 'svg', margin: 1 }))
  })

  // Files shipped with the host, such as the demo room's short video (served with range requests).
  await app.register(fastifyStatic, { root: path.join(__dirname, 'assets'), prefix: '/media/files/', decorateReply: false })

  if (opts.h5Dir && fs.existsSync(path.join(opts.h5Dir, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: path.resolve(opts.h5Dir),
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
  } else {
    app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send('<p>H5 未构建：请运行 npm run build:h5</p>'))
  }
  return app
}
