/**
 * The console's live shows: the room list, a room's edit form, its edits, and the show's report.
 */
import type { ActionArgs, ActionResult } from '../../contract'
import type { AuthedCtx } from '../context'
import { fail } from '../errors'

export async function liveRooms(ctx: AuthedCtx, input: ActionArgs<'admin', 'liveRooms'>): Promise<ActionResult<'admin', 'liveRooms'>> {
  void ctx
  void input
  return fail('INTERNAL', 'not built yet')
}

export async function liveRoom(ctx: AuthedCtx, input: ActionArgs<'admin', 'liveRoom'>): Promise<ActionResult<'admin', 'liveRoom'>> {
  void ctx
  void input
  return fail('INTERNAL', 'not built yet')
}

export async function updateLiveRoom(
  ctx: AuthedCtx,
  input: ActionArgs<'admin', 'updateLiveRoom'>,
): Promise<ActionResult<'admin', 'updateLiveRoom'>> {
  void ctx
  void input
  return fail('INTERNAL', 'not built yet')
}

export async function roomReport(ctx: AuthedCtx, input: ActionArgs<'admin', 'roomReport'>): Promise<ActionResult<'admin', 'roomReport'>> {
  void ctx
  void input
  return fail('INTERNAL', 'not built yet')
}
