/** Staff and the audit log, as the owner manages and reads them. */
import type { ActionArgs, ActionResult } from '../../contract'
import type { AuthedCtx } from '../context'

export async function staff(_ctx: AuthedCtx, _input: ActionArgs<'admin', 'staff'>): Promise<ActionResult<'admin', 'staff'>> {
  throw new Error('not built yet')
}
export async function setStaff(_ctx: AuthedCtx, _input: ActionArgs<'admin', 'setStaff'>): Promise<ActionResult<'admin', 'setStaff'>> {
  throw new Error('not built yet')
}
export async function auditLog(_ctx: AuthedCtx, _input: ActionArgs<'admin', 'auditLog'>): Promise<ActionResult<'admin', 'auditLog'>> {
  throw new Error('not built yet')
}
