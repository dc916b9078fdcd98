/** Membership's services: the shopper's status and ledger, the hooks orders call, the jobs, the console's desk. */
import type { ActionArgs, ActionResult, MemberStatus } from '../../contract'
import type { AuthedCtx, Ctx } from '../context'
import { fail } from '../errors'
import { decodeCursor, encodeCursor } from '../paging'
import { shopClock } from '../shop-clock'
import { maskPhone } from './join.rules'
import { expiryAmount, nextTierOf, rulesProblem, shopYear, shopYearStart } from './member.rules'

export async function status(ctx: AuthedCtx): Promise<MemberStatus> {
  const s = await ctx.repos.membership.status(ctx.caller.userId)
  return {
    isMember: s.isMember,
    phone: maskPhone(s.phone),
    wecom: s.wecom,
    tier: s.isMember ? s.tier : null,
    spendFen: s.spendFen,
    nextTier: s.isMember ? nextTierOf(s.spendFen, s.rules) : null,
    points: { available: s.available, pending: s.pending },
    rules: s.rules,
  }
}

const LEDGER_PAGE = 20

export async function points(ctx: AuthedCtx, input: { cursor?: string }): Promise<ActionResult<'member', 'points'>> {
  const before = input.cursor ? String(decodeCursor(input.cursor)) : null
  const rows = await ctx.repos.membership.ledger(ctx.caller.userId, before, LEDGER_PAGE + 1)
  const page = rows.slice(0, LEDGER_PAGE)
  const last = page[page.length - 1]
  return {
    items: page.map((r) => ({ ...r, at: r.at.toISOString() })),
    nextCursor: rows.length > LEDGER_PAGE && last ? encodeCursor(Number(last.id)) : null,
  }
}

/** On payment (the notify's transaction): the tier and spend move, a member earns points, pending. */
export const memberPaid = (ctx: Ctx, orderId: string): Promise<void> => ctx.repos.membership.paid(orderId, ctx.now())

/** On cancel or refund: spent points come back; a refund also takes back what the order earned and moves the tier down. */
export async function releasePoints(ctx: Ctx, orderId: string, why: 'cancelled' | 'refunded'): Promise<void> {
  // The earn first (its entry's lock, then the balance row), as the settle run takes them.
  if (why === 'refunded') await ctx.repos.membership.refunded(orderId, ctx.now())
  await ctx.repos.membership.giveBack(orderId, ctx.now())
}

/** Jobs: points of orders past the refund window become available (with the sharers' earnings). */
export async function settlePoints(ctx: Ctx): Promise<number> {
  return ctx.repos.membership.settle(new Date(ctx.now().getTime() - ctx.config.refundWindowDays * 86_400_000), ctx.now())
}

/**
 * Jobs: the yearly expiry. In shop year Y, points made available before Y−1 (in Y−2 or earlier)
 * have expired at the end of Y−1. Once a shop day, the run expires what is left of them now (the
 * period is Y−2, the year of the points): at the year's turn the lot, and on a later day what came
 * back since (points parked in an unpaid order at the turn and returned by its cancel, or by the
 * refund of a points order). Once per run day, however often or concurrently the jobs run.
 */
export async function expirePoints(ctx: Ctx): Promise<number> {
  const now = ctx.now()
  const day = shopClock(now).slice(0, 10)
  // Once a shop day is enough (the jobs run every minute or so).
  if (!(await ctx.repos.membership.claimDailyRun('expiry', day))) return 0
  const year = shopYear(now)
  const facts = await ctx.repos.membership.expiryFacts(shopYearStart(year - 1))
  const amounts = facts.map((f) => ({ userId: f.userId, points: expiryAmount(f.credits, f.debits) })).filter((a) => a.points > 0)
  return ctx.repos.membership.expire(year - 2, day, amounts, now)
}

/** Jobs: tiers as orders leave the 365 days, once a shop day, in batches until none is left. */
export async function recomputeTiers(ctx: Ctx): Promise<number> {
  if (!(await ctx.repos.membership.claimDailyRun('tiers', shopClock(ctx.now()).slice(0, 10)))) return 0
  let moved = 0
  for (let batch = 0; batch < 100; batch++) {
    const n = await ctx.repos.membership.recomputeTiers(ctx.now())
    moved += n
    if (n < TIER_BATCH) break
  }
  return moved
}

/** The members one recompute statement takes (membership.repo's LIMIT). */
const TIER_BATCH = 1000

// The console's desk.

export async function memberSettings(ctx: AuthedCtx): Promise<ActionResult<'admin', 'memberSettings'>> {
  return { rules: await ctx.repos.membership.rules() }
}

export async function saveMemberSettings(
  ctx: AuthedCtx,
  input: ActionArgs<'admin', 'saveMemberSettings'>,
): Promise<ActionResult<'admin', 'saveMemberSettings'>> {
  const problem = rulesProblem(input)
  if (problem) fail('VALIDATION_FAILED', problem.message, [problem])
  await ctx.repos.membership.saveRules(input, ctx.now())
  return { rules: await ctx.repos.membership.rules() }
}

export async function memberStats(ctx: AuthedCtx): Promise<ActionResult<'admin', 'memberStats'>> {
  return ctx.repos.membership.stats()
}

const LIST_PAGE = 20

export async function memberList(ctx: AuthedCtx, input: ActionArgs<'admin', 'memberList'>): Promise<ActionResult<'admin', 'memberList'>> {
  const page = input.page ?? 1
  const { rows, total } = await ctx.repos.membership.list({ tier: input.tier ?? null }, (page - 1) * LIST_PAGE, LIST_PAGE)
  return {
    items: rows.map((r) => ({
      userId: r.userId,
      nickname: r.nickname,
      phone: maskPhone(r.phone),
      wecom: r.wecom,
      active: r.active,
      tier: r.tier,
      spendFen: r.spendFen,
      points: { available: r.available, pending: r.pending },
      joinedAt: r.joinedAt.toISOString(),
    })),
    total,
    page,
    pageSize: LIST_PAGE,
  }
}
