/**
 * Subscribe-message allowances (到券提醒): one send per allowance.
 */
import type { ActionArgs, ActionResult } from '../../contract'
import type { AuthedCtx } from '../context'
import { fail } from '../errors'

export async function allowMessages(
  ctx: AuthedCtx,
  input: ActionArgs<'user', 'allowMessages'>,
): Promise<ActionResult<'user', 'allowMessages'>> {
  void ctx
  void input
  return fail('INTERNAL', 'not built yet')
}
