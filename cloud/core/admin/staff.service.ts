/** Staff and the audit log, as the owner manages and reads them. */
import type { ActionArgs, ActionResult, StaffMember } from '../../contract'
import { userOf } from '../auth/auth.service'
import { decodeCursor, encodeCursor } from '../paging'
import type { AuthedCtx } from '../context'
import { fail } from '../errors'

/** The owners (ADMIN_OPENIDS who have signed in at least once), then the staff the owner named, earliest first. */
export async function staff(ctx: AuthedCtx, _input: ActionArgs<'admin', 'staff'>): Promise<ActionResult<'admin', 'staff'>> {
  const [owners, rows] = await Promise.all([ctx.repos.staff.usersByOpenid([...ctx.config.adminOpenids]), ctx.repos.staff.list()])
  const items: StaffMember[] = [
    ...owners.map((o) => ({ userId: o.userId, openid: o.openid, nickname: o.nickname, role: 'owner' as const, since: null })),
    // A staff row of an openid later put in ADMIN_OPENIDS is the owner's, listed once above.
    ...rows
      .filter((r) => !ctx.config.adminOpenids.has(r.openid))
      .map((r) => ({ userId: r.userId, openid: r.openid, nickname: r.nickname, role: r.role, since: r.since.toISOString() })),
  ]
  return { items }
}

/** The owner's lookup for 添加员工: users by nickname (contains), openid or user id (exact), at most 20. */
export async function users(ctx: AuthedCtx, input: ActionArgs<'admin', 'users'>): Promise<ActionResult<'admin', 'users'>> {
  return { items: await ctx.repos.staff.searchUsers(input.q, 20) }
}

/** Whitespace (any, the full-width space too), control and format characters: never in an openid. */
const NOT_IN_OPENID = /[\s\p{Cc}\p{Cf}\p{Z}]/u

/**
 * Gives an openid a role, or takes it away (`role: null`). An owner is an owner by configuration
 * (ADMIN_OPENIDS) and can't be given another role, nor can an openid that differs from an owner's
 * only in case. An openid with whitespace or control characters is refused: it is no WeChat
 * openid, only a ghost user. An openid that never signed in gets its user row as a first sign-in
 * would make it, so the role is there when they do; taking away a role that isn't there is
 * NOT_FOUND and creates nothing. Any change of role ends the user's console sessions and rejects
 * their tickets scanned or confirmed but not yet redeemed: the console is signed into again, by
 * scanning, with the new role (their app sessions stay; the role is read at each call).
 */
export async function setStaff(ctx: AuthedCtx, input: ActionArgs<'admin', 'setStaff'>): Promise<ActionResult<'admin', 'setStaff'>> {
  const { openid } = input
  if (NOT_IN_OPENID.test(openid)) {
    fail('VALIDATION_FAILED', 'openid 不能包含空格或控制字符', [{ path: 'openid', message: 'openid 格式不正确' }])
  }
  if (ctx.config.adminOpenids.has(openid)) {
    fail('VALIDATION_FAILED', '店主由配置（ADMIN_OPENIDS）指定，不能设置为其他角色', [{ path: 'openid', message: '该用户是店主' }])
  }
  const lower = openid.toLowerCase()
  if ([...ctx.config.adminOpenids].some((o) => o.toLowerCase() === lower)) {
    fail('VALIDATION_FAILED', '该 openid 与店主的 openid 仅大小写不同，请核对后再试', [
      { path: 'openid', message: '与店主 openid 仅大小写不同' },
    ])
  }
  if (input.role === null) {
    const [existing] = await ctx.repos.staff.usersByOpenid([openid])
    const removed = existing ? await ctx.repos.staff.remove(existing.userId) : false
    if (!existing || !removed) return fail('NOT_FOUND', '该用户没有后台角色，无需移除')
    await endConsoleAccess(ctx, existing.userId)
    return { staff: { openid, role: null } }
  }
  const user = await userOf(ctx, openid, null)
  const before = await ctx.repos.staff.set(user.id, input.role, ctx.caller.userId, ctx.now())
  if (before !== input.role) await endConsoleAccess(ctx, user.id)
  return { staff: { openid, role: input.role } }
}

/** A role changed or taken away: the user's console sessions end, their undecided or unredeemed tickets are rejected. */
async function endConsoleAccess(ctx: AuthedCtx, userId: string): Promise<void> {
  await ctx.repos.sessions.removeOf(userId, 'console')
  await ctx.repos.consoleTickets.rejectOf(userId)
}

export async function auditLog(ctx: AuthedCtx, input: ActionArgs<'admin', 'auditLog'>): Promise<ActionResult<'admin', 'auditLog'>> {
  const limit = 50
  const rows = await ctx.repos.audit.page({
    beforeSeq: input.cursor ? decodeCursor(input.cursor) : null,
    actorId: input.actorId,
    action: input.actionName ?? input.action,
    limit: limit + 1,
  })
  const items = rows.slice(0, limit)
  const last = items[items.length - 1]
  return {
    items: items.map(({ seq: _seq, ...entry }) => entry),
    nextCursor: rows.length > limit && last ? encodeCursor(last.seq) : null,
  }
}
