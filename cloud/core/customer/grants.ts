/**
 * A coupon's grants (admin.issueCoupon): to whom, how many were issued, used and notified. The
 * coupon desk (admin.coupon) shows them; the customers' work owns the table behind them.
 */
import type { CouponGrant } from '../../contract'
import type { AuthedCtx } from '../context'

export async function grantsOf(ctx: AuthedCtx, couponId: string): Promise<CouponGrant[]> {
  return ctx.repos.members.grants(couponId)
}
