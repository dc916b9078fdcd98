/**
 * The console's flash sales: the list with sold and remaining, edits, ending a sale now.
 */
import type { ActionArgs, ActionResult } from '../../contract'
import type { AuthedCtx } from '../context'
import { fail } from '../errors'

export async function flashSales(ctx: AuthedCtx, input: ActionArgs<'admin', 'flashSales'>): Promise<ActionResult<'admin', 'flashSales'>> {
  void ctx
  void input
  return fail('INTERNAL', 'not built yet')
}

export async function updateFlashSale(
  ctx: AuthedCtx,
  input: ActionArgs<'admin', 'updateFlashSale'>,
): Promise<ActionResult<'admin', 'updateFlashSale'>> {
  void ctx
  void input
  return fail('INTERNAL', 'not built yet')
}

export async function endFlashSale(
  ctx: AuthedCtx,
  input: ActionArgs<'admin', 'endFlashSale'>,
): Promise<ActionResult<'admin', 'endFlashSale'>> {
  void ctx
  void input
  return fail('INTERNAL', 'not built yet')
}
