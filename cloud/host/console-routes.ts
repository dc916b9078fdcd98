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
import { checkUpload, keepImage, processImage, type ProcessedImage } from '../core/admin/media.service'
import {
  CONSOLE_SESSION_TTL_MS,
  consoleLogout,
  consoleSession,
  csrfTokenOf,
  onceLinkUsable,
  pollTicket,
  redeemOnceLink,
} from '../core/auth/console-login.service'
import { errorEnvelope, invoke, runAsCaller, type CallMeta, type Deps, type Identity, type StaffAccess } from '../functions/define'
import { handlers } from '../functions'
import { BusinessError } from '../core/errors'

export const CONSOLE_COOKIE = 'weshop_console'
export const CSRF_HEADER = 'x-csrf-token'
/** The largest image the console may upload. */
export const UPLOAD_LIMIT = 8 * 1024 * 1024
export const UPLOAD_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const
export const UPLOAD_PATH = '/admin/api/upload'
/** Who may upload: the catalog's writers (the owner, operators) and anchors (a room's poster, community QR, avatar). */
const UPLOAD_ACCESS: StaffAccess = { staff: ['operator', 'anchor'] }
/** Images decoded at once: decoding is CPU work, the host's cores shared with everything else. */
export const DECODES_AT_ONCE = 2

/**
 * Runs at most `n` pieces of work at once, the others queued in arrival order. Only a bound on CPU
 * use: nothing's correctness depends on it (one process; the database keeps the rules).
 */
function atMost(n: number) {
  let active = 0
  const waiting: Array<() => void> = []
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (active < n) active++
    // A slot is handed over by the work that ends (active stays counted).
    else await new Promise<void>((go) => waiting.push(go))
    try {
      return await work()
    } finally {
      const next = waiting.shift()
      if (next) next()
      else active--
    }
  }
}

export interface ConsoleOptions {
  deps: Deps
  /** The built console (`npm run build:admin`), served at /admin/. */
  adminDir?: string
  /** The cookie's Secure flag: cookieSecureOf (Secure in production unless COOKIE_SECURE=0). */
  cookieSecure?: boolean
}

/**
 * Whether the console cookie is Secure: COOKIE_SECURE=1 anywhere, COOKIE_SECURE=0 never, else
 * whenever dev login is off (production, reached over HTTPS).
 */
export function cookieSecureOf(env: Record<string, string | undefined>, devLoginEnabled: boolean): boolean {
  if (env.COOKIE_SECURE === '1') return true
  if (env.COOKIE_SECURE === '0') return false
  return !devLoginEnabled
}

/** What the transport knows of a call besides who makes it: the address and the User-Agent. */
export function callMetaOf(req: FastifyRequest): CallMeta {
  const ua = req.headers['user-agent']
  return { address: req.ip, ...(typeof ua === 'string' && ua ? { userAgent: ua.slice(0, 500) } : {}) }
}

/** No page of another site may frame the console (clickjacking): every /admin answer says so. */
export const FRAME_HEADERS = { 'x-frame-options': 'DENY', 'content-security-policy': "frame-ancestors 'none'" } as const

/** A page in place of the console while it can't be served: small, self-contained, in the merchant's language. */
const consolePage = (message: string, hint: string) =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>好茶小铺 商家后台</title></head>` +
  `<body style="margin:0;padding:30vh 24px 0;text-align:center;font-family:sans-serif;color:#333">` +
  `<p style="font-size:18px">${message}</p><p style="font-size:14px;color:#999">${hint}</p></body></html>`

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** The once-link's page: one button that POSTs the link's token (the only thing that redeems it). */
const onceLinkPage = (linkToken: string) =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="robots" content="noindex">` +
  `<meta name="viewport" content="width=device-width,initial-scale=1"><title>好茶小铺 商家后台</title></head>` +
  `<body style="margin:0;padding:30vh 24px 0;text-align:center;font-family:sans-serif;color:#333">` +
  `<p style="font-size:18px">好茶小铺 · 商家后台</p>` +
  `<form method="post" action="/admin/login/once"><input type="hidden" name="token" value="${escapeHtml(linkToken)}">` +
  `<button type="submit" style="font-size:16px;padding:10px 32px;border:0;border-radius:6px;background:#2f7d32;color:#fff;cursor:pointer">进入商家后台</button></form>` +
  `<p style="font-size:14px;color:#999">一次性登录链接，只能使用一次，15 分钟内有效</p></body></html>`

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
 * Who calls a console route: a bearer token as it is, any session kind (API clients and tests; no
 * CSRF needed: a page elsewhere can't send it), else the session cookie, which counts only as a
 * console session (12 h; an app's 30-day token in the cookie is nobody) and only with the
 * `x-csrf-token` header of its session.
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
  return { ok: true, identity: { kind: 'token', token: cookie, sessionKind: 'console' }, cookie: true }
}

export async function registerConsole(app: FastifyInstance, opts: ConsoleOptions): Promise<void> {
  const { deps } = opts
  await app.register(fastifyCookie)
  app.addHook('onRequest', async (req, reply) => {
    if (req.url === '/admin' || req.url.startsWith('/admin/') || req.url.startsWith('/admin?')) reply.headers(FRAME_HEADERS)
  })
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
    return answer(reply, await invoke(handler, req.body, who.identity, deps, callMetaOf(req)), who.cookie)
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
    const { token, sessionKind } = who.identity
    const envelope = await runAsCaller(deps, { kind: 'none' }, { access: 'public', action: 'auth.consoleSession' }, async (ctx) => ({
      output: await consoleSession(ctx, token, sessionKind),
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
    const { token, sessionKind } = who.identity
    const envelope = await runAsCaller(deps, { kind: 'none' }, { access: 'public', action: 'auth.consoleLogout' }, async (ctx) => {
      await consoleLogout(ctx, token, sessionKind)
      return { output: {}, audit: { input: {} } }
    })
    if (who.cookie) clearSession(reply)
    return send(reply, envelope)
  })

  // The one-time owner link `npm start` prints. Opening it (GET) changes nothing, so a chat app's
  // link preview can't use it up: a page with 进入商家后台, whose POST redeems it (the session and its
  // cookie, then the console). Used, expired or unknown: the 410 page.
  const goneLink = (reply: FastifyReply) =>
    reply
      .code(410)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(consolePage('链接已失效，请在后台登录页扫码登录', '一次性登录链接只能使用一次，15 分钟内有效'))
  app.get<{ Querystring: { token?: string } }>('/admin/login/once', async (req, reply) => {
    const linkToken = typeof req.query.token === 'string' ? req.query.token : ''
    const envelope = await runAsCaller(deps, { kind: 'none' }, { access: 'public', action: 'auth.consoleOnceLink' }, async (ctx) => ({
      output: await onceLinkUsable(ctx, linkToken),
      audit: { input: {} },
    }))
    if (!envelope.ok || !envelope.data) return goneLink(reply)
    return reply
      .code(200)
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .type('text/html; charset=utf-8')
      .send(onceLinkPage(linkToken))
  })
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_req, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    )
    scope.post<{ Body: { token?: unknown } | undefined }>('/admin/login/once', async (req, reply) => {
      const linkToken = typeof req.body?.token === 'string' ? req.body.token : ''
      const envelope = await runAsCaller(deps, { kind: 'none' }, { access: 'public', action: 'auth.consoleOnceLink' }, async (ctx) => ({
        output: await redeemOnceLink(ctx, linkToken),
        audit: { input: {} },
      }))
      if (envelope.ok && envelope.data) {
        setSession(reply, envelope.data.token)
        return reply.header('cache-control', 'no-store').redirect('/admin/', 303)
      }
      return goneLink(reply)
    })
  })

  // Images from the console: the body is the image's bytes. A scope of its own takes them raw (every
  // other route keeps the JSON parser), up to 8 MiB, of the three types the shop stores.
  const decoding = atMost(DECODES_AT_ONCE)
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser([...UPLOAD_TYPES], { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT }, (_req, body, done) => done(null, body))
    // Who calls, and whether they may upload, before a byte of the body is read: anyone else is
    // turned away at once (401 / 403), not after 8 MiB. A check only (a read: no audit entry).
    scope.addHook('onRequest', async (req, reply) => {
      const who = consoleIdentity(req, { csrf: true })
      if (!who.ok) return send(reply, who.envelope)
      const allowed = await runAsCaller(
        deps,
        who.identity,
        { access: { ...UPLOAD_ACCESS, read: true }, action: 'admin.upload', meta: { address: req.ip } },
        async () => ({ output: true, audit: { input: {} } }),
      )
      if (!allowed.ok) return answer(reply, allowed, who.cookie)
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
      // Decoded and resized outside any transaction (no pool connection held meanwhile), two at a time.
      let processed: ProcessedImage
      try {
        checkUpload(bytes, mime)
        processed = await decoding(() => processImage(deps, bytes))
      } catch (err) {
        if (!(err instanceof BusinessError)) throw err
        return send(reply, errorEnvelope(err.code, err.message === err.code ? undefined : err.message, err.details))
      }
      // Then kept and audited in one short transaction, the caller checked again (a session may have ended meanwhile).
      const envelope = await runAsCaller(
        deps,
        who.identity,
        { access: UPLOAD_ACCESS, action: 'admin.upload', meta: callMetaOf(req) },
        async () => {
          const image = await keepImage(deps, bytes, processed)
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
    if (root) {
      // The build's assets are named by their content: kept for good, and their brotli/gzip copies
      // sent to a browser that takes them.
      await scope.register(fastifyStatic, {
        root: path.join(root, 'assets'),
        prefix: '/admin/assets/',
        decorateReply: false,
        preCompressed: true,
        cacheControl: false,
        setHeaders: (res) => res.setHeader('cache-control', 'public, max-age=31536000, immutable'),
      })
    }
    scope.get('/admin', async (_req, reply) => reply.redirect('/admin/', 302))
    scope.get<{ Params: { '*': string } }>('/admin/*', async (req, reply) => {
      const rel = req.params['*'] ?? ''
      // No file's name has a NUL (the file system refuses the path outright).
      if (rel.includes('\0')) return reply.code(404).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('Not Found')
      if (!root || !fs.existsSync(path.join(root, 'index.html'))) {
        return reply
          .code(503)
          .header('cache-control', 'no-store')
          .type('text/html; charset=utf-8')
          .send(consolePage('商家后台尚未构建', '请运行 npm run build:admin，完成后刷新本页'))
      }
      const file = path.resolve(root, rel)
      const inside = file.startsWith(root + path.sep)
      let isFile = false
      try {
        isFile = inside && rel !== '' && fs.statSync(file, { throwIfNoEntry: false })?.isFile() === true
      } catch {
        // A name the file system refuses (too long…) is no file of the build: the app answers it.
      }
      // A missing asset (the assets route below serves the others) is a 404, not the app's page: a
      // stale tab's old chunk must fail as a script, not parse HTML. Other paths are client routes.
      if (rel.startsWith('assets/'))
        return reply.code(404).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('Not Found')
      reply.header('cache-control', 'no-cache')
      return isFile ? reply.sendFile(path.relative(root, file), root) : reply.type('text/html; charset=utf-8').sendFile('index.html', root)
    })
  })
}
