/** The web console's sign-in: a ticket shown as a code, scanned and confirmed on the phone, redeemed once by the console. */
import type { ActionArgs, ActionResult } from '../../contract'
import type { AuthedCtx, Ctx } from '../context'

export async function consoleTicket(
  _ctx: Ctx,
  _input: ActionArgs<'auth', 'consoleTicket'>,
): Promise<ActionResult<'auth', 'consoleTicket'>> {
  throw new Error('not built yet')
}
export async function consoleScan(
  _ctx: AuthedCtx,
  _input: ActionArgs<'auth', 'consoleScan'>,
): Promise<ActionResult<'auth', 'consoleScan'>> {
  throw new Error('not built yet')
}
export async function consoleConfirm(
  _ctx: AuthedCtx,
  _input: ActionArgs<'auth', 'consoleConfirm'>,
): Promise<ActionResult<'auth', 'consoleConfirm'>> {
  throw new Error('not built yet')
}
