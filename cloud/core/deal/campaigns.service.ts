/**
 * The console's 9.9 deal campaigns: the list with each one's funnel, edits, pause.
 */
import type { ActionArgs, ActionResult } from '../../contract'
import type { AuthedCtx } from '../context'
import { fail } from '../errors'

export async function dealCampaigns(
  ctx: AuthedCtx,
  input: ActionArgs<'admin', 'dealCampaigns'>,
): Promise<ActionResult<'admin', 'dealCampaigns'>> {
  void ctx
  void input
  return fail('INTERNAL', 'not built yet')
}

export async function dealCampaign(
  ctx: AuthedCtx,
  input: ActionArgs<'admin', 'dealCampaign'>,
): Promise<ActionResult<'admin', 'dealCampaign'>> {
  void ctx
  void input
  return fail('INTERNAL', 'not built yet')
}

export async function updateDealCampaign(
  ctx: AuthedCtx,
  input: ActionArgs<'admin', 'updateDealCampaign'>,
): Promise<ActionResult<'admin', 'updateDealCampaign'>> {
  void ctx
  void input
  return fail('INTERNAL', 'not built yet')
}
