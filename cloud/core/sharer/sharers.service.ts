/**
 * Sharers ranked over a period, and staff acting as guides (导购) with their own codes.
 */
import type { ActionArgs, ActionResult } from '../../contract'
import type { AuthedCtx } from '../context'
import { fail } from '../errors'

export async function sharers(ctx: AuthedCtx, input: ActionArgs<'admin', 'sharers'>): Promise<ActionResult<'admin', 'sharers'>> {
  void ctx
  void input
  return fail('INTERNAL', 'not built yet')
}

export async function guideCode(ctx: AuthedCtx, input: ActionArgs<'admin', 'guideCode'>): Promise<ActionResult<'admin', 'guideCode'>> {
  void ctx
  void input
  return fail('INTERNAL', 'not built yet')
}
