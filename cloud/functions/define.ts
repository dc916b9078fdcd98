import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import {
  contract,
  ERRORS,
  type ActionName,
  type ActionSpec,
  type Envelope,
  type ErrorCode,
  type FunctionName,
  type GrantedRole,
} from '../contract'
import { appendAudit } from '../core/admin/audit'
import type { SessionKind } from '../core/auth/auth.ports'
import { callerFromOpenid, callerFromToken } from '../core/auth/auth.service'
import type { AuthedCtx, CoreConfig, Ctx, HostCaches, Services } from '../core/context'
import { BusinessError } from '../core/errors'
import type { Database } from '../db/database'

/**
 * Who may call an action: anyone, a signed-in user, or staff. A staff action names the roles it
 * admits besides the owner, who may run every one. Staff actions are writes, appended to the audit
 * log by the edge, unless marked `read`.
 */
export type Access = 'public' | 'user' | StaffAccess
export interface StaffAccess {
  staff: readonly GrantedRole[]
  read?: true
}

/** One action as the edge runs it: its contract schemas, who may call it, and the core work. */
export interface ActionDef {
  input: z.ZodType
  output: z.ZodType
  access: Access
  /** The caller is read from the database, never the session cache (a shopper's action that depends on their role). */
  freshCaller?: true
  run: (ctx: AuthedCtx, input: unknown) => Promise<unknown>
}

export interface Handler {
  name: string
  actions: Record<string, ActionDef>
}

/**
 * What a function's module supplies for each action of its contract entry: who may call it, and a
 * `run` that takes the parsed input and must return what the output schema accepts. Every action the
 * contract names must be there and no other, so drift between contract and code is a compile error.
 * (Public actions get a ctx whose caller may be null; the type of `run` stays one for simplicity.)
 */
export type Implementation<F extends FunctionName> = {
  [A in ActionName<F>]: {
    access: Access
    /** Read the caller from the database even for a shopper (the action depends on their role: a role just given counts). */
    freshCaller?: true
    run: (ctx: AuthedCtx, input: z.output<ActionSpec<F, A>['input']>) => Promise<z.input<ActionSpec<F, A>['output']>>
  }
}

/**
 * How the caller was identified by the transport. A token from the console's cookie names the only
 * session kind it may be (`console`): an app's 30-day token is no console cookie.
 */
export type Identity = { kind: 'token'; token: string; sessionKind?: SessionKind } | { kind: 'openid'; openid: string } | { kind: 'none' }

export interface Deps extends Services, HostCaches {
  db: Database
  config: CoreConfig
  now?: () => Date
  log?: (entry: Record<string, unknown>) => void
  /** Check every answer against the contract's output schema (CONTRACT_CHECK_OUTPUTS=1; the tests set it). */
  checkOutputs?: boolean
}

/** The cloud function `name`: each action of its contract entry with its schemas, access and work. */
export function defineHandler<F extends FunctionName>(name: F, impl: Implementation<F>): Handler {
  const spec = contract[name] as Record<string, { input: z.ZodType; output: z.ZodType }>
  const actions: Record<string, ActionDef> = {}
  for (const [actionName, { access, freshCaller, run }] of Object.entries(impl) as Array<[string, Implementation<F>[ActionName<F>]]>) {
    actions[actionName] = { ...spec[actionName]!, access, ...(freshCaller ? { freshCaller } : {}), run: run as ActionDef['run'] }
  }
  return { name, actions }
}

export const errorEnvelope = (code: ErrorCode, message?: string, details?: unknown): Envelope<never> => ({
  ok: false,
  error: { code, message: message ?? ERRORS[code].message, ...(details === undefined ? {} : { details }) },
})

/** How deep a call's input may nest: deeper is never a real call, and deep JSON costs PostgreSQL its stack. */
export const MAX_INPUT_DEPTH = 32

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

function badText(s: string): boolean {
  return s.includes('\u0000') || LONE_SURROGATE.test(s)
}

function problemIn(value: unknown, depth: number): string | null {
  if (typeof value === 'string') return badText(value) ? '参数包含非法字符' : null
  if (typeof value === 'number') return Number.isFinite(value) ? null : '数值超出范围'
  if (!value || typeof value !== 'object') return null
  if (depth > MAX_INPUT_DEPTH) return '参数嵌套过深'
  for (const [k, v] of Object.entries(value)) {
    if (badText(k)) return '参数包含非法字符'
    const problem = problemIn(v, depth + 1)
    if (problem) return problem
  }
  return null
}

/**
 * Why parsed input can't be taken, or null: nested deeper than MAX_INPUT_DEPTH, a NUL or a lone
 * surrogate in a string or key (PostgreSQL stores neither, in text or jsonb), or a number JSON
 * overflowed to Infinity (1e400). The one check for every transport: the HTTP host runs it in its
 * JSON parser for every route, `invoke` for calls that arrive any other way (CloudBase).
 */
export function inputProblem(value: unknown): string | null {
  return problemIn(value, 1)
}

function describeIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message }))
}

/**
 * The answer to input its schema refused. A limit whose contract wrote its own Chinese message
 * (`.max(20, '收货人姓名 1-20 字')`) names its field, so the first such message becomes the answer's
 * message; zod's own messages are English, for developers, and stay in `details` only.
 */
function validationMessage(details: Array<{ path: string; message: string }>): string | undefined {
  return details.find((d) => /[\u4e00-\u9fff]/.test(d.message))?.message
}

/**
 * Runs one call: check the caller first (401 without one, 403 for an action they may not run), then
 * validate `data`, run the action in the same transaction, and answer the envelope. Input that can't
 * be a call (not an object, unknown action, NUL, too deep) is refused before anything else, and a
 * public action's input before a connection is taken. Business refusals roll back and answer their
 * code; anything unexpected rolls back, is logged with the request id, and answers INTERNAL.
 */
export async function invoke(handler: Handler, data: unknown, identity: Identity, deps: Deps, meta?: CallMeta): Promise<Envelope<unknown>> {
  const requestId = randomUUID()
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return errorEnvelope('VALIDATION_FAILED', '请求体必须是对象')
  }
  const problem = inputProblem(data)
  if (problem) return errorEnvelope('VALIDATION_FAILED', problem)
  const { action: actionName, ...fields } = data as Record<string, unknown>
  const def =
    typeof actionName === 'string' && Object.prototype.hasOwnProperty.call(handler.actions, actionName)
      ? handler.actions[actionName]
      : undefined
  if (!def) return errorEnvelope('VALIDATION_FAILED', `未知操作：${handler.name}.${String(actionName)}`)
  // Who is calling comes before what they sent: a caller who may not run the action learns nothing
  // about its fields. Without any identity that needs no database (runAsCaller answers it at once).
  const validate = () => {
    const parsed = def.input.safeParse(fields)
    return parsed.success ? { ok: true as const, input: parsed.data } : { ok: false as const, details: describeIssues(parsed.error) }
  }
  const early = def.access === 'public' ? validate() : undefined
  if (early && !early.ok) return errorEnvelope('VALIDATION_FAILED', validationMessage(early.details), early.details)

  return runAsCaller(
    deps,
    identity,
    { access: def.access, freshCaller: def.freshCaller, action: `${handler.name}.${String(actionName)}`, requestId, meta },
    async (ctx) => {
      const checked = early ?? validate()
      if (!checked.ok) throw new BusinessError('VALIDATION_FAILED', validationMessage(checked.details), checked.details)
      const out = await def.run(ctx, checked.input)
      // Tests (and anyone who sets it) hold every answer to the contract's output schema too.
      if (deps.checkOutputs) {
        const shaped = def.output.safeParse(out)
        if (!shaped.success) throw new Error(`output of ${handler.name}.${String(actionName)} breaks the contract: ${shaped.error.message}`)
      }
      return { output: out, audit: { input: checked.input } }
    },
  )
}

/** What the transport knows of a call besides its identity. */
export interface CallMeta {
  /** The client's network address (the HTTP host), for per-address limits. */
  address?: string
  /** The client's User-Agent header (the HTTP host): the console's sign-in shows the phone where it signs in. */
  userAgent?: string
}

/** What a piece of work run as a caller answers: its output, and what the audit log keeps of the call. */
export interface CallerWork<T> {
  output: T
  /** The input as the audit log should see it (never an image's bytes), and the target when the output names none. */
  audit: { input: unknown; target?: string }
}

/**
 * Runs `work` as the caller `identity` names, in one transaction: the caller first (401 without one,
 * 403 for an action they may not run), then the work; a staff write that succeeds (access names
 * staff roles, not `read`) is appended to the audit log in the same transaction, so a refused or
 * failed call leaves no entry. Business refusals roll back and answer their code; anything
 * unexpected rolls back, is logged with the request id, and answers INTERNAL. `invoke` runs every
 * action through it; the host's upload route too.
 */
export async function runAsCaller<T>(
  deps: Deps,
  identity: Identity,
  call: { access: Access; freshCaller?: true; action: string; requestId?: string; meta?: CallMeta },
  work: (ctx: AuthedCtx) => Promise<CallerWork<T>>,
): Promise<Envelope<T>> {
  const requestId = call.requestId ?? randomUUID()
  if (call.access !== 'public' && identity.kind === 'none') return errorEnvelope('UNAUTHENTICATED')
  // A staff action (and a shopper's action that depends on their role) reads its caller from the
  // database, never the session cache: a role given or taken counts at once.
  const fresh = typeof call.access === 'object' || call.freshCaller === true
  let committed: Array<() => void> = []
  try {
    const result = await deps.db.transaction(async (repos) => {
      committed = []
      const ctx = makeCtx(deps, repos, requestId, committed)
      if (call.meta?.address) ctx.clientAddress = call.meta.address
      if (call.meta?.userAgent) ctx.clientUserAgent = call.meta.userAgent
      if (identity.kind === 'token') ctx.caller = await callerFromToken(ctx, identity.token, identity.sessionKind, fresh)
      else if (identity.kind === 'openid') ctx.caller = await callerFromOpenid(ctx, identity.openid, fresh)
      if (call.access !== 'public' && !ctx.caller) throw new BusinessError('UNAUTHENTICATED')
      if (typeof call.access === 'object' && !mayRun(ctx.caller, call.access)) throw new BusinessError('FORBIDDEN')
      const { output, audit } = await work(ctx as AuthedCtx)
      // An idempotent replay (ctx.replayed, set by request-keys) changed nothing: it is not audited again.
      if (typeof call.access === 'object' && !call.access.read && !ctx.replayed) {
        await appendAudit(ctx, ctx.caller!, call.action, audit.input, output, audit.target)
      }
      return output
    })
    afterCommit(committed)
    return { ok: true, data: result }
  } catch (err) {
    if (err instanceof BusinessError) {
      return errorEnvelope(err.code, err.message === err.code ? undefined : err.message, err.details)
    }
    ;(deps.log ?? defaultLog)({
      level: 'error',
      requestId,
      action: call.action,
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    })
    return errorEnvelope('INTERNAL')
  }
}

/** The owner runs everything; other staff the actions that name their role; shoppers none. */
function mayRun(caller: Ctx['caller'], access: StaffAccess): boolean {
  if (!caller?.role) return false
  return caller.role === 'owner' || access.staff.includes(caller.role)
}

const defaultLog = (entry: Record<string, unknown>) => console.error(JSON.stringify(entry))

const sharedOf = new WeakMap<Deps, Omit<Ctx, 'caller' | 'requestId' | 'repos'>>()

/**
 * A call's ctx. The live cache's `changed` is deferred to after the commit (afterCommit): a poll
 * reading the room in between would otherwise keep what this call is about to replace.
 */
function makeCtx(deps: Deps, repos: Ctx['repos'], requestId: string, committed: Array<() => void>): Ctx {
  // What every call of these deps shares (the services, the config, the caches) is one object made
  // once, the prototype of each call's ctx: a poll answered from the caches copies nothing.
  let shared = sharedOf.get(deps)
  if (!shared) {
    const { db: _db, log: _log, now, liveCache: _liveCache, ...rest } = deps
    sharedOf.set(deps, (shared = { ...rest, now: now ?? (() => new Date()) }))
  }
  const ctx = Object.create(shared) as Ctx
  ctx.caller = null
  ctx.requestId = requestId
  ctx.repos = repos
  const liveCache = deps.liveCache
  if (liveCache) {
    // The cache as it is, but for its two writes, held until the commit (no method re-wrapped by hand
    // to drop an argument on the way).
    ctx.liveCache = {
      ...liveCache,
      changed: (roomIds, what) => void committed.push(() => liveCache.changed(roomIds, what)),
      counted: (roomId, what) => void committed.push(() => liveCache.counted(roomId, what)),
    }
  }
  return ctx
}

/** What a committed call left to do (the live cache's invalidations); an error in one never fails the call. */
function afterCommit(committed: Array<() => void>): void {
  for (const fn of committed) {
    try {
      fn()
    } catch (err) {
      console.error(JSON.stringify({ level: 'error', event: 'after_commit_failed', error: String(err) }))
    }
  }
}

/** Runs core work with no caller (jobs, payment notifies) in one transaction. */
export async function runAsSystem<T>(deps: Deps, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  let committed: Array<() => void> = []
  const result = await deps.db.transaction((repos) => {
    committed = []
    return fn(makeCtx(deps, repos, randomUUID(), committed))
  })
  afterCommit(committed)
  return result
}
