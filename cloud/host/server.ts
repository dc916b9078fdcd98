import fs from 'node:fs'
import path from 'node:path'
import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyInstance } from 'fastify'
import { ERRORS, type Envelope } from '../contract'
import { errorEnvelope, invoke, type Deps, type Identity } from '../functions/define'
import { handlers } from '../functions'
import { renderArt } from './media'

export const BODY_LIMIT = 64 * 1024

export interface ServerOptions {
  deps: Deps
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

  app.get('/api/health', async (_req, reply) => {
    if (opts.isReady && !opts.isReady()) return reply.code(503).send({ ok: false })
    return { ok: true }
  })

  app.post<{ Params: { name: string } }>('/api/fn/:name', async (req, reply) => {
    const handler = Object.prototype.hasOwnProperty.call(handlers, req.params.name)
      ? handlers[req.params.name]
      : undefined
    if (!handler) return send(reply, errorEnvelope('VALIDATION_FAILED', `未知函数：${req.params.name}`))
    return send(reply, await invoke(handler, req.body, identityOf(req.headers.authorization), opts.deps))
  })

  app.all('/api/*', async (_req, reply) => send(reply, errorEnvelope('NOT_FOUND')))

  app.get<{ Params: { hue: string; label: string }; Querystring: { wide?: string } }>(
    '/media/art/:hue/:label',
    async (req, reply) => {
      const hue = Number(req.params.hue)
      const label = req.params.label.replace(/\.svg$/, '')
      if (!Number.isInteger(hue) || hue < 0 || hue > 359 || label.length === 0 || label.length > 12) {
        return reply.code(404).send()
      }
      return reply
        .type('image/svg+xml')
        .header('cache-control', 'public, max-age=86400')
        .send(renderArt(hue, label, req.query.wide === '1'))
    },
  )

  if (opts.h5Dir && fs.existsSync(path.join(opts.h5Dir, 'index.html'))) {
    await app.register(fastifyStatic, { root: path.resolve(opts.h5Dir), index: 'index.html', maxAge: 0 })
  } else {
    app.get('/', async (_req, reply) =>
      reply.type('text/html; charset=utf-8').send('<p>H5 未构建：请运行 npm run build:h5</p>'),
    )
  }
  return app
}
