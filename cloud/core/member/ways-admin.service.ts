/**
 * 会员渠道 (the console's view of the ways into membership): members by way, the last week's sign-ups
 * and contact events, and whether WeCom's callback reaches the shop (refused callbacks by reason,
 * the newest events as applied).
 */
import type { ActionOutput } from '../../contract'
import type { AuthedCtx } from '../context'
import { peopleTextOut } from '../live/room.rules'

const DAY_MS = 86_400_000

export async function memberWays(ctx: AuthedCtx): Promise<ActionOutput<'admin', 'memberWays'>> {
  const now = ctx.now().getTime()
  const repo = ctx.repos.memberJoins
  const f = await repo.figures(new Date(now - 7 * DAY_MS), new Date(now - DAY_MS))
  const recent = await repo.recentEvents(20)
  return {
    wecom: ctx.wecom?.name ?? 'off',
    members: f.members,
    phoneMembers: f.phoneMembers,
    wecomMembers: f.wecomMembers,
    wecomEnded: f.wecomEnded,
    week: { phoneJoins: f.phoneJoins, adds: f.adds, removes: f.removes },
    refused: f.refused,
    recent: recent.map((e) => ({
      ...e,
      receivedAt: e.receivedAt.toISOString(),
      happenedAt: e.happenedAt.toISOString(),
      nickname: e.nickname === null ? null : peopleTextOut(e.nickname),
    })),
  }
}
