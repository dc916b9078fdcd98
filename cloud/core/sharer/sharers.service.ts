/**
 * Sharers ranked over a period (分销员), and staff acting as guides (导购) with their own codes. A
 * guide is a sharer like any other: their code opens the mall home with them as the sharer, the
 * home records the share touch (catalog.home), and the order, its customer and its commission are
 * attributed by the same last-touch rule (order.service attribution, earnings.rules).
 */
import type { ActionArgs, ActionResult } from '../../contract'
import type { AuthedCtx } from '../context'
import { fail } from '../errors'
import { decodeSharerCursor, encodeSharerCursor, guidePath, guideScene, HOME_PAGE, SORT_KEYS, sharerRangeOf } from './sharers.rules'

const PAGE = 20

export async function sharers(ctx: AuthedCtx, input: ActionArgs<'admin', 'sharers'>): Promise<ActionResult<'admin', 'sharers'>> {
  const sort = input.sort ?? 'gmv'
  const after = input.cursor == null ? null : decodeSharerCursor(sort, input.cursor)
  const rows = await ctx.repos.sharers.rank({
    ...sharerRangeOf(input.range, ctx.now()),
    keys: SORT_KEYS[sort],
    guidesOnly: input.guidesOnly ?? false,
    after,
    limit: PAGE + 1,
    ownerOpenids: [...ctx.config.adminOpenids],
  })
  const items = rows.slice(0, PAGE)
  const last = items[items.length - 1]
  return { items, nextCursor: rows.length > PAGE && last ? encodeSharerCursor(sort, last) : null }
}

export async function guideCode(ctx: AuthedCtx, input: ActionArgs<'admin', 'guideCode'>): Promise<ActionResult<'admin', 'guideCode'>> {
  const userId = input.userId ?? ctx.caller.userId
  // Anyone's own code; someone else's only for the owner.
  if (userId !== ctx.caller.userId && ctx.caller.role !== 'owner') fail('FORBIDDEN', '只能查看自己的导购码')
  const figures = await ctx.repos.sharers.figures(userId, {
    ...sharerRangeOf('30d', ctx.now()),
    ownerOpenids: [...ctx.config.adminOpenids],
  })
  if (!figures || figures.staffRole === null) return fail('NOT_FOUND', '该用户不是店铺员工')
  const scene = guideScene(userId)
  // Ids are made by new_id (a prefix and 16 hex): any other shape is a bug, logged as INTERNAL.
  if (!scene) throw new Error(`a user id that does not fit a guide scene: ${userId}`)
  return {
    userId,
    nickname: figures.nickname,
    code: await ctx.posters.codeFor(HOME_PAGE, scene),
    path: guidePath(userId),
    figures,
  }
}
