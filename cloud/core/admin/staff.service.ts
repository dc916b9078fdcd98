/** Staff and the audit log, as the owner manages and reads them. */
import type { ActionArgs, ActionResult, StaffMember } from '../../contract'
import { userOf } from '../auth/auth.service'
import { decodeCursor, encodeCursor } from '../catalog/catalog.service'
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

/**
 * Gives an openid a role, or takes it away (`role: null`). An owner is an owner by configuration
 * (ADMIN_OPENIDS) and can't be given another role. An openid that never signed in gets its user
 * row as a first sign-in would make it, so the role is there when they do.
 */
export async function setStaff(ctx: AuthedCtx, input: ActionArgs<'admin', 'setStaff'>): Promise<ActionResult<'admin', 'setStaff'>> {
  if (ctx.config.adminOpenids.has(input.openid)) {
    fail('VALIDATION_FAILED', '店主由配置（ADMIN_OPENIDS）指定，不能设置为其他角色', [{ path: 'openid', message: '该用户是店主' }])
  }
  const user = await userOf(ctx, input.openid, null)
  if (input.role === null) {
    await ctx.repos.staff.remove(user.id)
    return { staff: { openid: input.openid, role: null } }
  }
  await ctx.repos.staff.set(user.id, input.role, ctx.caller.userId, ctx.now())
  return { staff: { openid: input.openid, role: input.role } }
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
