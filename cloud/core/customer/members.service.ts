/**
 * Customers by RFM: the member list, the segments' counts, a customer's page, and coupon grants to a segment or a list.
 */
import type { ActionArgs, ActionResult } from '../../contract'
import type { AuthedCtx } from '../context'
import { fail } from '../errors'

export async function members(ctx: AuthedCtx, input: ActionArgs<'admin', 'members'>): Promise<ActionResult<'admin', 'members'>> {
  void ctx
  void input
  return fail('INTERNAL', 'not built yet')
}

export async function segments(ctx: AuthedCtx, input: ActionArgs<'admin', 'segments'>): Promise<ActionResult<'admin', 'segments'>> {
  void ctx
  void input
  return fail('INTERNAL', 'not built yet')
}

export async function member(ctx: AuthedCtx, input: ActionArgs<'admin', 'member'>): Promise<ActionResult<'admin', 'member'>> {
  void ctx
  void input
  return fail('INTERNAL', 'not built yet')
}

export async function issueCoupon(
  ctx: AuthedCtx,
  input: ActionArgs<'admin', 'issueCoupon'>,
): Promise<ActionResult<'admin', 'issueCoupon'>> {
  void ctx
  void input
  return fail('INTERNAL', 'not built yet')
}
