import type { Ctx } from '../context'
import { accrualsOf } from './earnings.rules'

/** On payment: what the order earns its sharer and its buyer's inviter, computed here, recorded pending. */
export async function accrueEarnings(ctx: Ctx, orderId: string): Promise<void> {
  const facts = await ctx.repos.earnings.accrualFacts(orderId)
  if (facts) await ctx.repos.earnings.accrue(accrualsOf(facts))
}
