import { createHash, randomBytes } from 'node:crypto'
import type { AuthDevLoginInput, AuthDevLoginOutput, UserView } from '../../contract'
import type { AuthedCtx, Caller, Ctx } from '../context'
import { fail } from '../errors'
import type { UserRecord } from '../ports'

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex')

/** The nickname a user gets before they choose one: 微信用户 and the last 4 characters of the openid. */
export const defaultNickname = (openid: string): string => `微信用户${openid.slice(-4)}`

export function callerOf(user: UserRecord, ctx: Pick<Ctx, 'config'>): Caller {
  return { userId: user.id, openid: user.openid, isAdmin: ctx.config.adminOpenids.has(user.openid) }
}

export async function userView(ctx: Ctx, user: UserRecord): Promise<UserView> {
  return {
    id: user.id,
    nickname: user.nickname,
    isAdmin: ctx.config.adminOpenids.has(user.openid),
    isNewCustomer: await ctx.repos.users.isNewCustomer(user.id),
  }
}

/** Local and self-hosted login by a chosen openid; refused when dev login is off (production). */
export async function devLogin(ctx: Ctx, input: AuthDevLoginInput): Promise<AuthDevLoginOutput> {
  if (!ctx.config.devLoginEnabled) fail('FORBIDDEN', '开发登录已关闭')
  const user = await ctx.repos.users.upsertByOpenid(input.openid, input.nickname ?? null)
  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(ctx.now().getTime() + ctx.config.sessionTtlDays * 86_400_000)
  await ctx.repos.sessions.create(hashToken(token), user.id, expiresAt)
  return { token, user: await userView(ctx, user) }
}

/** Resolves a bearer token to the caller, or null when it is unknown or expired. */
export async function callerFromToken(ctx: Ctx, token: string): Promise<Caller | null> {
  const user = await ctx.repos.sessions.userOf(hashToken(token), ctx.now())
  return user ? callerOf(user, ctx) : null
}

/** Inside WeChat the caller is the OPENID of the context; the first call creates the user. */
export async function callerFromOpenid(ctx: Ctx, openid: string): Promise<Caller> {
  return callerOf(await ctx.repos.users.upsertByOpenid(openid, null), ctx)
}

export async function me(ctx: AuthedCtx): Promise<{ user: UserView }> {
  const user = await ctx.repos.users.byId(ctx.caller.userId)
  if (!user) return fail('UNAUTHENTICATED')
  return { user: await userView(ctx, user) }
}
