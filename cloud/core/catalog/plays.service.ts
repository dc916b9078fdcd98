/**
 * catalog.plays: what the home page's 拼团 · 砍价 strip lists (docs/rules.md, "On the home page").
 * Public and cheap: two reads by partial indexes, each a few rows.
 */
import { PLAYS_SHOWN, type ActionArgs, type ActionResult } from '../../contract'
import { floorPrice } from '../assist/assist.rules'
import type { Ctx } from '../context'

export async function plays(ctx: Ctx, input: ActionArgs<'catalog', 'plays'>): Promise<ActionResult<'catalog', 'plays'>> {
  void input
  const now = ctx.now()
  const [groups, cuts] = await Promise.all([ctx.repos.plays.openGroups(now, PLAYS_SHOWN), ctx.repos.plays.openPriceCuts(now, PLAYS_SHOWN)])
  return {
    groups: groups.map((g) => ({ ...g, endsAt: g.endsAt.toISOString() })),
    priceCuts: cuts.map((c) => ({
      ...c,
      title: c.title || `${c.helpsNeeded}位好友砍到 ${c.productTitle}`,
      floorPriceFen: floorPrice(c.priceFen, c.helpsNeeded, c.cutPerHelpFen),
      endsAt: c.endsAt.toISOString(),
    })),
    serverTime: now.toISOString(),
  }
}
