/**
 * The web console's routes under /admin: its API (the same functions as /api/fn, with the console's
 * session cookie and CSRF header, or a bearer token), the sign-in (poll, once-link, session,
 * logout), image upload, and the built console app itself. Thin: the rules are the core's
 * (cloud/core/auth/console-login.service.ts, cloud/core/admin/media.service.ts).
 */
import { timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import fastifyCookie from '@fastify/cookie'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ConsolePollInput, ERRORS, type Envelope } from '../contract'
import { uploadImage } from '../core/admin/media.service'
import {
  CONSOLE_SESSION_TTL_MS,
  consoleLogout,
  consoleSession,
  csrfTokenOf,
  pollTicket,
  redeemOnceLink,
} from '../core/auth/console-login.service'
import { errorEnvelope, invoke, runAsCaller, type Deps, type Identity, type StaffAccess } from '../functions/define'
import { handlers } from '../functions'

export const CONSOLE_COOKIE = 'weshop_console'
export const CSRF_HEADER = 'x-csrf-token'
/** The largest image the console may upload. */
export const UPLOAD_LIMIT = 8 * 1024 * 1024
export const UPLOAD_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const
export const UPLOAD_PATH = '/admin/api/upload'
/** Who may upload: the catalog's writers (the owner, operators). */
const UPLOAD_ACCESS: StaffAccess = { staff: ['operator'] }

export interface ConsoleOptions {
  deps: Deps
  /** The built console (`npm run build:admin`), served at /admin/. */
  adminDir?: string
  /** The cookie's Secure flag (COOKIE_SECURE=1: the host is reached over HTTPS). */
  cookieSecure?: boolean
}

/** A page in place of the console while it can't be served: small, self-contained, in the merchant's language. */
const consolePage = (message: string, hint: string) =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>好茶小铺 商家后台</title></head>` +
  `<body style="margin:0;padding:30vh 24px 0;text-align:center;font-family:sans-serif;color:#333">` +
  `<p style="font-size:18px">${message}</p><p style="font-size:14px;color:#999">${hint}</p></body></html>`

function send(reply: FastifyReply, envelope: Envelope<unknown>) {
  const status = envelope.ok ? 200 : ERRORS[envelope.error.code].status
  return reply.code(status).header('cache-control', 'no-store').type('application/json; charset=utf-8').send(envelope)
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

const bearerOf = (req: FastifyRequest): string | null => /^Bearer\s+(\S{1,200})$/i.exec(req.headers.authorization ?? '')?.[1] ?? null
const cookieOf = (req: FastifyRequest): string | null => {
  const v = req.cookies[CONSOLE_COOKIE]
  return v && v.length <= 200 ? v : null
}

/**
 * Who calls a console route: a bearer token as it is (no CSRF needed: a page elsewhere can't send
 * it), else the session cookie, which counts only with the `x-csrf-token` header of its session.
 */
type ConsoleIdentity = { ok: true; identity: Identity; cookie: boolean } | { ok: false; envelope: Envelope<never> }
function consoleIdentity(req: FastifyRequest, opts: { csrf: boolean }): ConsoleIdentity {
  const bearer = bearerOf(req)
  if (bearer) return { ok: true, identity: { kind: 'token', token: bearer }, cookie: false }
  const cookie = cookieOf(req)
  if (!cookie) return { ok: true, identity: { kind: 'none' }, cookie: false }
  if (opts.csrf) {
    const header = req.headers[CSRF_HEADER]
    if (typeof header !== 'string' || !sameText(header, csrfTokenOf(cookie))) {
      return { ok: false, envelope: errorEnvelope('FORBIDDEN', '安全校验失败，请刷新页面后重试') }
    }
  }
  return { ok: true, identity: { kind: 'token', token: cookie }, cookie: true }
}

export async function registerConsole(app: FastifyInstance, opts: ConsoleOptions): Promise<void> {
  const { deps } = opts
  await app.register(fastifyCookie)
  const cookieOptions = {
    path: '/admin',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: opts.cookieSecure === true,
  }
  const setSession = (reply: FastifyReply, token: string) =>
    reply.setCookie(CONSOLE_COOKIE, token, { ...cookieOptions, maxAge: CONSOLE_SESSION_TTL_MS / 1000 })
  const clearSession = (reply: FastifyReply) => reply.clearCookie(CONSOLE_COOKIE, cookieOptions)
  /** A call that came with the cookie and was answered 401: its session is gone, so is the cookie. */
  const answer = (reply: FastifyReply, envelope: Envelope<unknown>, cookie: boolean) => {
    if (cookie && !envelope.ok && envelope.error.code === 'UNAUTHENTICATED') clearSession(reply)
    return send(reply, envelope)
  }

  app.post<{ Params: { name: string } }>('/admin/api/fn/:name', async (req, reply) => {
    const who = consoleIdentity(req, { csrf: true })
    if (!who.ok) return send(reply, who.envelope)
    const handler = Object.prototype.hasOwnProperty.call(handlers, req.params.name) ? handlers[req.params.name] : undefined
    if (!handler) return send(reply, errorEnvelope('VALIDATION_FAILED', `未知函数：${req.params.name}`))
    return answer(reply, await invoke(handler, req.body, who.identity, deps, { address: req.ip }), who.cookie)
  })

  // The console polls its ticket; the poll that redeems it gets the session and its cookie.
  app.post('/admin/api/login/poll', async (req, reply) => {
    const parsed = ConsolePollInput.safeParse(req.body)
    if (!parsed.success) return send(reply, errorEnvelope('VALIDATION_FAILED', '登录码参数无效'))
    let token: string | null = null
    const envelope = await runAsCaller(deps, { kind: 'none' }, { access: 'public', action: 'auth.consolePoll' }, async (ctx) => {
      const redeemed = await pollTicket(ctx, parsed.data.ticket, parsed.data.secret)
      token = redeemed.token
      return { output: redeemed.answer, audit: { input: {} } }
    })
    if (envelope.ok && token) setSession(reply, token)
    return send(reply, envelope)
  })

  app.get('/admin/api/session', async (req, reply) => {
    const who = consoleIdentity(req, { csrf: false })
    if (!who.ok || who.identity.kind !== 'token') return send(reply, errorEnvelope('UNAUTHENTICATED', '请先登录商家后台'))
    const token = who.identity.token
    const envelope = await runAsCaller(deps, { kind: 'none' }, { access: 'public', action: 'auth.consoleSession' }, async (ctx) => ({
      output: await consoleSession(ctx, token),
      audit: { input: {} },
    }))
    if (envelope.ok && envelope.data === null)
      return answer(reply, errorEnvelope('UNAUTHENTICATED', '登录已过期，请重新扫码登录'), who.cookie)
    return send(reply, envelope)
  })

  app.post('/admin/api/logout', async (req, reply) => {
    const who = consoleIdentity(req, { csrf: true })
    if (!who.ok) return send(reply, who.envelope)
    if (who.identity.kind !== 'token') return send(reply, errorEnvelope('UNAUTHENTICATED'))
    const token = who.identity.token
    const envelope = await runAsCaller(deps, { kind: 'none' }, { access: 'public', action: 'auth.consoleLogout' }, async (ctx) => {
      await consoleLogout(ctx, token)
      return { output: {}, audit: { input: {} } }
    })
    if (who.cookie) clearSession(reply)
    return send(reply, envelope)
  })

  // The one-time owner link `npm start` prints: a session and its cookie, then the console.
  app.get<{ Querystring: { token?: string } }>('/admin/login/once', async (req, reply) => {
    const linkToken = typeof req.query.token === 'string' ? req.query.token : ''
    const envelope = await runAsCaller(deps, { kind: 'none' }, { access: 'public', action: 'auth.consoleOnceLink' }, async (ctx) => ({
      output: await redeemOnceLink(ctx, linkToken),
      audit: { input: {} },
    }))
    reply.header('cache-control', 'no-store')
    if (envelope.ok && envelope.data) {
      setSession(reply, envelope.data.token)
      return reply.redirect('/admin/', 302)
    }
    return reply
      .code(410)
      .type('text/html; charset=utf-8')
      .send(consolePage('链接已失效，请在后台登录页扫码登录', '一次性登录链接只能使用一次，15 分钟内有效'))
  })

  // Images from the console: the body is the image's bytes. A scope of its own takes them raw (every
  // other route keeps the JSON parser), up to 8 MiB, of the three types the shop stores.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser([...UPLOAD_TYPES], { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT }, (_req, body, done) => done(null, body))
    // Nobody signed in is turned away before 8 MiB are read.
    scope.addHook('onRequest', async (req, reply) => {
      if (!bearerOf(req) && !cookieOf(req)) return send(reply, errorEnvelope('UNAUTHENTICATED'))
    })
    scope.post(UPLOAD_PATH, { bodyLimit: UPLOAD_LIMIT }, async (req, reply) => {
      const who = consoleIdentity(req, { csrf: true })
      if (!who.ok) return send(reply, who.envelope)
      const bytes = req.body
      const mime = String(req.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim()
        .toLowerCase()
      if (!Buffer.isBuffer(bytes) || bytes.length === 0) return send(reply, errorEnvelope('VALIDATION_FAILED', '请选择要上传的图片'))
      const envelope = await runAsCaller(
        deps,
        who.identity,
        { access: UPLOAD_ACCESS, action: 'admin.upload', meta: { address: req.ip } },
        async (ctx) => {
          const image = await uploadImage(ctx, new Uint8Array(bytes), mime)
          return { output: image, audit: { input: { mime, bytes: bytes.length }, target: `image:${image.url}`.slice(0, 100) } }
        },
      )
      return answer(reply, envelope, who.cookie)
    })
  })

  app.all('/admin/api/*', async (_req, reply) => send(reply, errorEnvelope('NOT_FOUND')))

  // The console app: files of the build as they are, any other path (a client route such as
  // /admin/orders) its index.html; without a build, a page that says how to make one.
  const root = opts.adminDir ? path.resolve(opts.adminDir) : null
  await app.register(async (scope) => {
    await scope.register(fastifyStatic, { root: root ?? path.resolve('.'), serve: false })
    scope.get('/admin', async (_req, reply) => reply.redirect('/admin/', 302))
    scope.get<{ Params: { '*': string } }>('/admin/*', async (req, reply) => {
      if (!root || !fs.existsSync(path.join(root, 'index.html'))) {
        return reply
          .code(503)
          .header('cache-control', 'no-store')
          .type('text/html; charset=utf-8')
          .send(consolePage('商家后台尚未构建', '请运行 npm run build:admin，完成后刷新本页'))
      }
      const rel = req.params['*'] ?? ''
      const file = path.resolve(root, rel)
      const inside = file.startsWith(root + path.sep)
      const isFile = inside && rel !== '' && fs.statSync(file, { throwIfNoEntry: false })?.isFile() === true
      reply.header('cache-control', 'no-cache')
      return isFile ? reply.sendFile(path.relative(root, file), root) : reply.type('text/html; charset=utf-8').sendFile('index.html', root)
    })
  })
}
