import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { ERRORS, type Envelope, type ErrorCode } from '../contract'
import { callerFromOpenid, callerFromToken } from '../core/auth/auth.service'
import type { AuthedCtx, CoreConfig, Ctx, Services } from '../core/context'
import { BusinessError } from '../core/errors'
import type { Database } from '../db/database'

/** Who may call an action: anyone, a signed-in user, or an admin (ADMIN_OPENIDS). */
export type Access = 'public' | 'user' | 'admin'

export interface ActionDef<S extends z.ZodType, O> {
  input: S
  access: Access
  run: (ctx: AuthedCtx, input: z.output<S>) => Promise<O>
}

/** Public actions get a ctx whose caller may be null; the type of `run` stays one for simplicity. */
type AnyActionDef = ActionDef<z.ZodType, unknown>

export interface Handler {
  name: string
  actions: Record<string, AnyActionDef>
}

/** How the caller was identified by the transport. */
export type Identity = { kind: 'token'; token: string } | { kind: 'openid'; openid: string } | { kind: 'none' }

export interface Deps extends Services {
  db: Database
  config: CoreConfig
  now?: () => Date
  log?: (entry: Record<string, unknown>) => void
}

export function action<S extends z.ZodType, O>(def: ActionDef<S, O>): ActionDef<S, O> {
  return def
}

export function defineHandler(name: string, actions: Record<string, AnyActionDef>): Handler {
  return { name, actions }
}

export const errorEnvelope = (code: ErrorCode, message?: string, details?: unknown): Envelope<never> => ({
  ok: false,
  error: { code, message: message ?? ERRORS[code].message, ...(details === undefined ? {} : { details }) },
})

/** Strings with NUL can't be stored by PostgreSQL; they are refused as bad input, not a 500. */
function hasNul(value: unknown, depth = 0): boolean {
  if (depth > 32) return true
  if (typeof value === 'string') return value.includes('\u0000')
  if (Array.isArray(value)) return value.some((v) => hasNul(v, depth + 1))
  if (value && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => k.includes('\u0000') || hasNul(v, depth + 1))
  }
  return false
}

function describeIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message }))
}

/**
 * Runs one call: validate `data`, open the transaction, identify the caller, check access, run the
 * action, and answer the envelope. Business refusals roll back and answer their code; anything
 * unexpected rolls back, is logged with the request id, and answers INTERNAL without detail.
 */
export async function invoke(handler: Handler, data: unknown, identity: Identity, deps: Deps): Promise<Envelope<unknown>> {
  const requestId = randomUUID()
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return errorEnvelope('VALIDATION_FAILED', '请求体必须是对象')
  }
  const { action: actionName, ...fields } = data as Record<string, unknown>
  const def =
    typeof actionName === 'string' && Object.prototype.hasOwnProperty.call(handler.actions, actionName)
      ? handler.actions[actionName]
      : undefined
  if (!def) return errorEnvelope('VALIDATION_FAILED', `未知操作：${handler.name}.${String(actionName)}`)
  if (hasNul(fields)) return errorEnvelope('VALIDATION_FAILED', '参数包含非法字符')
  const parsed = def.input.safeParse(fields)
  if (!parsed.success) return errorEnvelope('VALIDATION_FAILED', undefined, describeIssues(parsed.error))

  try {
    const result = await deps.db.transaction(async (repos) => {
      const ctx = makeCtx(deps, repos, requestId)
      if (identity.kind === 'token') ctx.caller = await callerFromToken(ctx, identity.token)
      else if (identity.kind === 'openid') ctx.caller = await callerFromOpenid(ctx, identity.openid)
      if (def.access !== 'public' && !ctx.caller) throw new BusinessError('UNAUTHENTICATED')
      if (def.access === 'admin' && !ctx.caller?.isAdmin) throw new BusinessError('FORBIDDEN')
      return def.run(ctx as AuthedCtx, parsed.data)
    })
    return { ok: true, data: result }
  } catch (err) {
    if (err instanceof BusinessError) {
      return errorEnvelope(err.code, err.message === err.code ? undefined : err.message, err.details)
    }
    ;(deps.log ?? defaultLog)({
      level: 'error',
      requestId,
      fn: handler.name,
      action: actionName,
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    })
    return errorEnvelope('INTERNAL')
  }
}

const defaultLog = (entry: Record<string, unknown>) => console.error(JSON.stringify(entry))

function makeCtx(deps: Deps, repos: Ctx['repos'], requestId: string): Ctx {
  const { db: _db, log: _log, now, ...rest } = deps
  return { ...rest, caller: null, requestId, now: now ?? (() => new Date()), repos }
}

/** Runs core work with no caller (jobs, payment notifies) in one transaction. */
export function runAsSystem<T>(deps: Deps, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  return deps.db.transaction((repos) => fn(makeCtx(deps, repos, randomUUID())))
}
