/**
 * The console's coupons: the list with each coupon's figures, a coupon's grants, safe edits, pause / resume / end.
 */
import type { ActionArgs, ActionResult } from '../../contract'
import type { AuthedCtx } from '../context'
import { fail } from '../errors'

export async function coupons(ctx: AuthedCtx, input: ActionArgs<'admin', 'coupons'>): Promise<ActionResult<'admin', 'coupons'>> {
  void ctx
  void input
  return fail('INTERNAL', 'not built yet')
}

export async function coupon(ctx: AuthedCtx, input: ActionArgs<'admin', 'coupon'>): Promise<ActionResult<'admin', 'coupon'>> {
  void ctx
  void input
  return fail('INTERNAL', 'not built yet')
}

export async function updateCoupon(
  ctx: AuthedCtx,
  input: ActionArgs<'admin', 'updateCoupon'>,
): Promise<ActionResult<'admin', 'updateCoupon'>> {
  void ctx
  void input
  return fail('INTERNAL', 'not built yet')
}

export async function setCouponStatus(
  ctx: AuthedCtx,
  input: ActionArgs<'admin', 'setCouponStatus'>,
): Promise<ActionResult<'admin', 'setCouponStatus'>> {
  void ctx
  void input
  return fail('INTERNAL', 'not built yet')
}
