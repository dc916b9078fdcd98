/**
 * The web console's sign-in: a ticket shown as a code, scanned and confirmed on the phone, redeemed
 * once by the console for a console session (12 h, kept in an httpOnly cookie by the host). Every
 * move of a ticket is one conditional UPDATE (console-ticket.repo.ts): a ticket is decided once and
 * redeemed once, whatever races it. Expiry is read against the clock.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { ActionArgs, ActionResult, ConsolePollOutput, ConsoleSession, TicketStatus } from '../../contract'
import { appendAudit } from '../admin/audit'
import type { AuthedCtx, Caller, Ctx } from '../context'
import { fail } from '../errors'
import { limitKeys, take, type RateRule } from '../limits'
import type { TicketRecord, UserRecord } from './auth.ports'
import { callerOf, hashToken, userOf } from './auth.service'
import { roleOf } from './roles'

/** The mini-program page the code opens (the confirm page: 登录商家后台？). */
export const CONSOLE_LOGIN_PAGE = 'packages/user/console-login/index'
/** How long a code may be scanned and confirmed. */
export const TICKET_TTL_MS = 3 * 60_000
/** How long the once-link `npm start` prints stays good. */
export const ONCE_LINK_TTL_MS = 15 * 60_000
/** How long a console session lasts. */
export const CONSOLE_SESSION_TTL_MS = 12 * 3_600_000
/**
 * Tickets per network address: a burst of 30, then one every 6 s. A console asks for one every 3
 * minutes (and at each reload); an office of staff behind one address stays well inside it.
 */
export const CONSOLE_TICKETS: RateRule = { perSecond: 1 / 6, burst: 30 }

/** A ticket's id: 24 characters of base64url, which a mini-program code's scene (≤ 32 characters) carries as it is. */
const newTicketId = () => randomBytes(18).toString('base64url')
const newSecret = () => randomBytes(32).toString('base64url')

/** The CSRF token of a console session: derived from the session's token, which only the httpOnly cookie holds. */
export const csrfTokenOf = (sessionToken: string): string =>
  createHash('sha256').update(`weshop-console-csrf:${sessionToken}`).digest('base64url')

/** Where a ticket stands at `now`: used and rejected stay so; anything else past its expiry is expired. */
export function ticketStatus(t: Pick<TicketRecord, 'status' | 'expiresAt'>, now: Date): TicketStatus {
  if (t.status === 'used' || t.status === 'rejected') return t.status
  return t.expiresAt.getTime() <= now.getTime() ? 'expired' : t.status
}

function staffOnly(ctx: AuthedCtx): NonNullable<Caller['role']> {
  const role = ctx.caller.role
  if (!role) return fail('FORBIDDEN', '仅店铺员工可以登录商家后台')
  return role
}

async function ticketOf(ctx: Ctx, id: string): Promise<TicketRecord> {
  const t = await ctx.repos.consoleTickets.get(id)
  if (!t) return fail('NOT_FOUND', '登录码不存在，请在电脑上刷新后重新扫码')
  return t
}

export async function consoleTicket(ctx: Ctx, _input: ActionArgs<'auth', 'consoleTicket'>): Promise<ActionResult<'auth', 'consoleTicket'>> {
  if ((await take(ctx, limitKeys.consoleTicket(ctx.clientAddress ?? 'unknown'), CONSOLE_TICKETS)) < 1) {
    fail('RATE_LIMITED', '获取登录码太频繁，请稍后再试')
  }
  const now = ctx.now()
  const ticket = newTicketId()
  const secret = newSecret()
  const expiresAt = new Date(now.getTime() + TICKET_TTL_MS)
  await ctx.repos.consoleTickets.create({
    id: ticket,
    secretHash: hashToken(secret),
    via: 'scan',
    status: 'waiting',
    userId: null,
    now,
    expiresAt,
  })
  const codeImage = await ctx.posters.codeFor(CONSOLE_LOGIN_PAGE, ticket)
  return { ticket, secret, page: CONSOLE_LOGIN_PAGE, scene: ticket, codeImage, expiresAt: expiresAt.toISOString() }
}

/** The phone opened the code: staff only; marks it scanned (by this staff member) while it can still be confirmed. */
export async function consoleScan(ctx: AuthedCtx, input: ActionArgs<'auth', 'consoleScan'>): Promise<ActionResult<'auth', 'consoleScan'>> {
  const role = staffOnly(ctx)
  const now = ctx.now()
  const t = (await ctx.repos.consoleTickets.markScanned(input.ticket, ctx.caller.userId, now)) ?? (await ticketOf(ctx, input.ticket))
  return { status: ticketStatus(t, now), role, expiresAt: t.expiresAt.toISOString() }
}

/** 确认登录 or 取消: staff only, once; a second answer (or one after expiry) gets the ticket's status. */
export async function consoleConfirm(
  ctx: AuthedCtx,
  input: ActionArgs<'auth', 'consoleConfirm'>,
): Promise<ActionResult<'auth', 'consoleConfirm'>> {
  staffOnly(ctx)
  const now = ctx.now()
  const to = input.approve ? 'confirmed' : 'rejected'
  const t = (await ctx.repos.consoleTickets.decide(input.ticket, ctx.caller.userId, to, now)) ?? (await ticketOf(ctx, input.ticket))
  return { status: ticketStatus(t, now) }
}

/** What redeeming answers the host: the poll's answer, and the new session's token for its cookie. */
export interface Redeemed {
  answer: ConsolePollOutput
  /** The console session's token (for the cookie); null unless this call redeemed the ticket. */
  token: string | null
}

/** A new console session of `user`, who must still be staff; appended to the audit log as a sign-in. */
async function startConsoleSession(
  ctx: Ctx,
  user: UserRecord,
  via: TicketRecord['via'],
): Promise<{ session: ConsoleSession; token: string }> {
  const role = roleOf(user, ctx.config)
  if (!role) return fail('FORBIDDEN', '该账号已不是店铺员工，无法登录商家后台')
  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(ctx.now().getTime() + CONSOLE_SESSION_TTL_MS)
  await ctx.repos.sessions.create(hashToken(token), user.id, expiresAt, 'console')
  await appendAudit(ctx, callerOf(user, ctx), 'auth.consoleLogin', { via }, null, `user:${user.id}`)
  return {
    token,
    session: { user: { id: user.id, nickname: user.nickname, role }, csrfToken: csrfTokenOf(token), expiresAt: expiresAt.toISOString() },
  }
}

/**
 * The console's poll (`POST /admin/api/login/poll`): the ticket's status; when it is confirmed and
 * not expired, redeems it (confirmed -> used, one conditional UPDATE: of two polls at once exactly
 * one gets the session) and answers `confirmed` with the session. A wrong secret is NOT_FOUND,
 * whatever the ticket is.
 */
export async function pollTicket(ctx: Ctx, ticket: string, secret: string): Promise<Redeemed> {
  const now = ctx.now()
  const secretHash = hashToken(secret)
  const used = await ctx.repos.consoleTickets.redeem(ticket, secretHash, now)
  if (used) {
    const user = await ctx.repos.users.byId(used.userId!)
    if (!user) return fail('NOT_FOUND', '登录码不存在，请刷新后重新扫码')
    const { session, token } = await startConsoleSession(ctx, user, used.via)
    return { answer: { status: 'confirmed', session }, token }
  }
  const t = await ctx.repos.consoleTickets.get(ticket)
  if (!t || t.secretHash !== secretHash) return fail('NOT_FOUND', '登录码不存在，请刷新后重新扫码')
  return { answer: { status: ticketStatus(t, now), session: null }, token: null }
}

/**
 * A one-time sign-in link for an owner (`npm start` prints it): a ticket confirmed from the start,
 * good for 15 minutes, redeemed once. Answers the link's token (`<ticket>.<secret>`).
 */
export async function onceLink(ctx: Ctx, openid: string): Promise<{ token: string; expiresAt: Date }> {
  const user = await userOf(ctx, openid, null)
  if (!roleOf(user, ctx.config)) return fail('FORBIDDEN', '只能为店铺员工生成登录链接')
  const now = ctx.now()
  const id = newTicketId()
  const secret = newSecret()
  const expiresAt = new Date(now.getTime() + ONCE_LINK_TTL_MS)
  await ctx.repos.consoleTickets.create({
    id,
    secretHash: hashToken(secret),
    via: 'link',
    status: 'confirmed',
    userId: user.id,
    now,
    expiresAt,
  })
  return { token: `${id}.${secret}`, expiresAt }
}

/** Redeems a once-link's token: the session and its token, or null when the link is used, expired or unknown. */
export async function redeemOnceLink(ctx: Ctx, linkToken: string): Promise<{ session: ConsoleSession; token: string } | null> {
  const m = /^([A-Za-z0-9_-]{16,32})\.([A-Za-z0-9_-]{16,128})$/.exec(linkToken)
  if (!m) return null
  const used = await ctx.repos.consoleTickets.redeem(m[1]!, hashToken(m[2]!), ctx.now())
  if (!used) return null
  const user = await ctx.repos.users.byId(used.userId!)
  if (!user || !roleOf(user, ctx.config)) return null
  return startConsoleSession(ctx, user, used.via)
}

/** The console session a token stands for (`GET /admin/api/session`): null when unknown, expired, or no longer staff. */
export async function consoleSession(ctx: Ctx, token: string): Promise<ConsoleSession | null> {
  const s = await ctx.repos.sessions.get(hashToken(token), ctx.now())
  if (!s) return null
  const role = roleOf(s.user, ctx.config)
  if (!role) return null
  return { user: { id: s.user.id, nickname: s.user.nickname, role }, csrfToken: csrfTokenOf(token), expiresAt: s.expiresAt.toISOString() }
}

/** Ends the session of `token` (退出登录); a staff member's sign-out is appended to the audit log. */
export async function consoleLogout(ctx: Ctx, token: string): Promise<void> {
  const s = await ctx.repos.sessions.get(hashToken(token), ctx.now())
  if (!s) return
  await ctx.repos.sessions.remove(hashToken(token))
  await appendAudit(ctx, callerOf(s.user, ctx), 'auth.consoleLogout', { kind: s.kind }, null, `user:${s.user.id}`)
}
