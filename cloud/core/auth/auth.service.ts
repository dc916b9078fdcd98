import { createHash, randomBytes } from 'node:crypto'
import type { AuthDevLoginInput, AuthDevLoginOutput, AuthLoginInput, UserView } from '../../contract'
import type { AuthedCtx, Caller, Ctx } from '../context'
import { fail } from '../errors'
import type { SessionKind, UserRecord } from './auth.ports'
import { defaultNickname } from './auth.rules'
import { roleOf } from './roles'
import { CUSTOMER_ORDER_KINDS } from './customer.rules'
import type { LoginRefusal } from '../services.ports'

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex')

export function callerOf(user: UserRecord, ctx: Pick<Ctx, 'config'>): Caller {
  const role = roleOf(user, ctx.config)
  return { userId: user.id, openid: user.openid, isAdmin: role !== null, role }
}

/** A new customer holds no paid, unrefunded order of the kinds that make a customer (customer.rules.ts): one cheap query. */
export async function isNewCustomer(ctx: Ctx, userId: string): Promise<boolean> {
  return !(await ctx.repos.users.hasPaidOrder(userId, CUSTOMER_ORDER_KINDS))
}

/** The user of an openid, created at their first sign-in with the default nickname unless they gave one. */
export const userOf = (ctx: Ctx, openid: string, nickname: string | null): Promise<UserRecord> =>
  ctx.repos.users.upsertByOpenid(openid, nickname, defaultNickname(openid))

/** The user as the app sees them, their customer status given. */
function viewOf(ctx: Pick<Ctx, 'config'>, user: UserRecord, isNewCustomer: boolean): UserView {
  const role = roleOf(user, ctx.config)
  return { id: user.id, nickname: user.nickname, avatarUrl: user.avatarUrl, isAdmin: role !== null, role, isNewCustomer }
}

export async function userView(ctx: Ctx, user: UserRecord): Promise<UserView> {
  return viewOf(ctx, user, await isNewCustomer(ctx, user.id))
}

/**
 * A new session of the user of `openid` (created at their first sign-in with the default nickname
 * unless they gave one): the bearer token, whose hash alone is stored. One statement, the call's
 * last: the user, the session and whether they are a new customer (customer.rules.ts).
 */
async function startSession(ctx: Ctx, openid: string, nickname: string | null): Promise<AuthDevLoginOutput> {
  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(ctx.now().getTime() + ctx.config.sessionTtlDays * 86_400_000)
  const { user, hasPaidOrder } = await ctx.repos.sessions.openLast(
    { openid, nickname, defaultNickname: defaultNickname(openid) },
    { tokenHash: hashToken(token), expiresAt },
    CUSTOMER_ORDER_KINDS,
  )
  return { token, user: viewOf(ctx, user, !hasPaidOrder) }
}

/** Local and self-hosted login by a chosen openid; refused when dev login is off (production). */
export async function devLogin(ctx: Ctx, input: AuthDevLoginInput): Promise<AuthDevLoginOutput> {
  if (!ctx.config.devLoginEnabled) fail('FORBIDDEN', '开发登录已关闭')
  return startSession(ctx, input.openid, input.nickname ?? null)
}

const LOGIN_REFUSED: Record<LoginRefusal, [code: 'UNAUTHENTICATED' | 'RATE_LIMITED' | 'FORBIDDEN', message: string]> = {
  INVALID_CODE: ['UNAUTHENTICATED', '登录凭证无效或已过期，请重新登录'],
  CODE_USED: ['UNAUTHENTICATED', '登录凭证已使用，请重新登录'],
  RATE_LIMITED: ['RATE_LIMITED', '登录太频繁，请稍后再试'],
  BLOCKED: ['FORBIDDEN', '微信判断该账号存在风险，暂时无法登录'],
}

/**
 * Self-hosted login with a `wx.login` code: the login provider (WeChat's code2Session, or the
 * sandbox) names the OPENID. A refused code is UNAUTHENTICATED; WeChat failing to answer throws
 * (INTERNAL, logged). Inside CloudBase there is no provider: the OPENID of the context is the caller.
 */
export async function login(ctx: Ctx, input: AuthLoginInput): Promise<AuthDevLoginOutput> {
  if (!ctx.login) return fail('FORBIDDEN', '云开发环境由微信提供身份，无需登录')
  const session = await ctx.login.code2Session(input.code)
  if (!session.ok) {
    const [code, message] = LOGIN_REFUSED[session.reason]
    return fail(code, message)
  }
  return startSession(ctx, session.openid, null)
}

/**
 * Resolves a bearer token to the caller, or null when it is unknown or expired. A shopper's caller
 * may come from the host's session cache (a few seconds, never past the session's expiry); staff are
 * always read from the database, and `fresh` (staff actions) never reads the cache: a role given or
 * taken away counts at the next call.
 */
export async function callerFromToken(ctx: Ctx, token: string, kind?: SessionKind, fresh = false): Promise<Caller | null> {
  const hash = hashToken(token)
  if (kind) {
    // Only a session of this kind counts (the console's cookie: console sessions only).
    const s = await ctx.repos.sessions.get(hash, ctx.now())
    return s && s.kind === kind ? callerOf(s.user, ctx) : null
  }
  const now = ctx.now()
  const cache = ctx.sessionCache
  const kept = fresh ? null : (cache?.get(hash, now) ?? null)
  if (kept) return kept
  // Read now either way: through the cache, batched with other calls' reads and outside the transaction.
  const s = cache ? await cache.read(hash, now) : await ctx.repos.sessions.get(hash, now)
  if (!s) return null
  const caller = callerOf(s.user, ctx)
  if (caller.role === null) cache?.put(hash, caller, s.expiresAt, now)
  return caller
}

/** Inside WeChat the caller is the OPENID of the context; the first call creates the user. A shopper's caller may come from the session cache as a token's does. */
export async function callerFromOpenid(ctx: Ctx, openid: string, fresh = false): Promise<Caller> {
  const key = `openid:${openid}`
  const now = ctx.now()
  const kept = fresh ? null : (ctx.sessionCache?.get(key, now) ?? null)
  if (kept) return kept
  const caller = callerOf(await userOf(ctx, openid, null), ctx)
  if (caller.role === null) ctx.sessionCache?.put(key, caller, null, now)
  return caller
}

export async function me(ctx: AuthedCtx): Promise<{ user: UserView }> {
  const user = await ctx.repos.users.byId(ctx.caller.userId)
  if (!user) return fail('UNAUTHENTICATED')
  return { user: await userView(ctx, user) }
}
