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
import type { SessionKind, TicketRecord, UserRecord } from './auth.ports'
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

/** How long a ticket's `device` may be. */
export const DEVICE_MAX = 120

const BROWSERS: ReadonlyArray<[RegExp, string]> = [
  [/MicroMessenger\//, '微信'],
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/QQBrowser\//, 'QQ'],
  [/UCBrowser\//, 'UC'],
  [/360SE|360EE/, '360'],
  [/Chrome\/|CriOS\//, 'Chrome'],
  [/Version\/[\d.]+.*Safari\//, 'Safari'],
]
const SYSTEMS: ReadonlyArray<[RegExp, string]> = [
  [/Windows/, 'Windows'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/HarmonyOS|OpenHarmony/, 'HarmonyOS'],
  [/Linux/, 'Linux'],
]

/**
 * The browser that asked for a sign-in ticket as the phone shows it before 确认登录, so the staff
 * member sees where the sign-in will happen ("Chrome 浏览器 · Windows · 203.0.113.7"): coarse, from
 * the User-Agent, and the address as the host saw it.
 */
export function describeDevice(userAgent: string | undefined, address: string | undefined): string {
  const ua = userAgent ?? ''
  const browser = BROWSERS.find(([re]) => re.test(ua))?.[1]
  const system = SYSTEMS.find(([re]) => re.test(ua))?.[1]
  const where = (address ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '')
  const parts = [browser ? `${browser} 浏览器` : '未知浏览器', system ?? '未知系统', where || '未知地址']
  return parts.join(' · ').slice(0, DEVICE_MAX)
}

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

/**
 * A new ticket. With `replaces` (the console's pending ticket and its secret, 刷新二维码), that one
 * expires now: the phone still showing it says 二维码已过期 rather than signing in a console that
 * no longer waits for it. Only who holds the secret can withdraw a ticket.
 */
export async function consoleTicket(ctx: Ctx, input: ActionArgs<'auth', 'consoleTicket'>): Promise<ActionResult<'auth', 'consoleTicket'>> {
  if ((await take(ctx, limitKeys.consoleTicket(ctx.clientAddress ?? 'unknown'), CONSOLE_TICKETS)) < 1) {
    fail('RATE_LIMITED', '获取登录码太频繁，请稍后再试')
  }
  const now = ctx.now()
  if (input.replaces) await ctx.repos.consoleTickets.withdraw(input.replaces.ticket, hashToken(input.replaces.secret), now)
  const ticket = newTicketId()
  const secret = newSecret()
  const expiresAt = new Date(now.getTime() + TICKET_TTL_MS)
  await ctx.repos.consoleTickets.create({
    id: ticket,
    secretHash: hashToken(secret),
    via: 'scan',
    status: 'waiting',
    userId: null,
    device: describeDevice(ctx.clientUserAgent, ctx.clientAddress),
    now,
    expiresAt,
  })
  const codeImage = await ctx.posters.codeFor(CONSOLE_LOGIN_PAGE, ticket)
  return { ticket, secret, page: CONSOLE_LOGIN_PAGE, scene: ticket, codeImage, expiresAt: expiresAt.toISOString() }
}

/**
 * The phone opened the code: staff only; marks it scanned (by this staff member) while it can still be
 * confirmed, and answers the browser that asked for it (`device`), for the phone to show before
 * 确认登录: a code someone else sent is seen to sign in somewhere else.
 */
export async function consoleScan(ctx: AuthedCtx, input: ActionArgs<'auth', 'consoleScan'>): Promise<ActionResult<'auth', 'consoleScan'>> {
  const role = staffOnly(ctx)
  const now = ctx.now()
  const t = (await ctx.repos.consoleTickets.markScanned(input.ticket, ctx.caller.userId, now)) ?? (await ticketOf(ctx, input.ticket))
  return { status: ticketStatus(t, now), role, expiresAt: t.expiresAt.toISOString(), device: t.device }
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
    // Who confirmed it is no longer staff: the ticket is rejected for good (this call commits that),
    // so a role given back later never redeems it.
    if (!roleOf(user, ctx.config)) {
      await ctx.repos.consoleTickets.reject(ticket)
      return { answer: { status: 'rejected', session: null }, token: null }
    }
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
    device: '',
    now,
    expiresAt,
  })
  return { token: `${id}.${secret}`, expiresAt }
}

const onceLinkParts = (linkToken: string) => /^([A-Za-z0-9_-]{16,32})\.([A-Za-z0-9_-]{16,128})$/.exec(linkToken)

/**
 * Whether a once-link's token could still be redeemed (a read: nothing changes). Opening the link
 * (GET, as a chat app's preview does too) only asks this; the 进入商家后台 button redeems it.
 */
export async function onceLinkUsable(ctx: Ctx, linkToken: string): Promise<boolean> {
  const m = onceLinkParts(linkToken)
  if (!m) return false
  const t = await ctx.repos.consoleTickets.get(m[1]!)
  return !!t && t.via === 'link' && t.secretHash === hashToken(m[2]!) && ticketStatus(t, ctx.now()) === 'confirmed'
}

/** Redeems a once-link's token: the session and its token, or null when the link is used, expired or unknown. */
export async function redeemOnceLink(ctx: Ctx, linkToken: string): Promise<{ session: ConsoleSession; token: string } | null> {
  const m = onceLinkParts(linkToken)
  if (!m) return null
  const used = await ctx.repos.consoleTickets.redeem(m[1]!, hashToken(m[2]!), ctx.now())
  if (!used) return null
  const user = await ctx.repos.users.byId(used.userId!)
  if (!user || !roleOf(user, ctx.config)) return null
  return startConsoleSession(ctx, user, used.via)
}

/**
 * The console session a token stands for (`GET /admin/api/session`): null when unknown, expired, no
 * longer staff, or not of `kind` when given (the cookie: console sessions only).
 */
export async function consoleSession(ctx: Ctx, token: string, kind?: SessionKind): Promise<ConsoleSession | null> {
  const s = await ctx.repos.sessions.get(hashToken(token), ctx.now())
  if (!s || (kind && s.kind !== kind)) return null
  const role = roleOf(s.user, ctx.config)
  if (!role) return null
  return { user: { id: s.user.id, nickname: s.user.nickname, role }, csrfToken: csrfTokenOf(token), expiresAt: s.expiresAt.toISOString() }
}

/** Ends the session of `token` (of `kind` when given) (退出登录); a staff member's sign-out is appended to the audit log. */
export async function consoleLogout(ctx: Ctx, token: string, kind?: SessionKind): Promise<void> {
  const s = await ctx.repos.sessions.get(hashToken(token), ctx.now())
  if (!s || (kind && s.kind !== kind)) return
  await ctx.repos.sessions.remove(hashToken(token))
  // Signed out on this host at once (other hosts: within the session cache's time, docs/rules.md).
  ctx.sessionCache?.forget(hashToken(token))
  await appendAudit(ctx, callerOf(s.user, ctx), 'auth.consoleLogout', { kind: s.kind }, null, `user:${s.user.id}`)
}
