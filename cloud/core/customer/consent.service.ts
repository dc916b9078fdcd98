/**
 * Subscribe-message allowances (到券提醒): one send per allowance, as WeChat's one-time subscriptions
 * (each accept in wx.requestSubscribeMessage lets one message through). Kept up to ALLOWANCE_CAP.
 */
import type { ActionArgs, ActionResult } from '../../contract'
import type { AuthedCtx } from '../context'

/** More accepts than this are not kept (WeChat itself stops counting somewhere; 50 is plenty). */
export const ALLOWANCE_CAP = 50

export async function allowMessages(
  ctx: AuthedCtx,
  input: ActionArgs<'user', 'allowMessages'>,
): Promise<ActionResult<'user', 'allowMessages'>> {
  const allowed = await ctx.repos.members.allow(ctx.caller.userId, input.kind, ALLOWANCE_CAP)
  return { allowed }
}
