/** The order desk: the merchant's order list, an order's whole story, batch shipping and export. */
import type { ActionArgs, ActionName, ActionResult } from '../../contract'
import type { AuthedCtx } from '../context'

type In<K extends ActionName<'admin'>> = ActionArgs<'admin', K>
type Out<K extends ActionName<'admin'>> = ActionResult<'admin', K>

export async function orders(_ctx: AuthedCtx, _input: In<'orders'>): Promise<Out<'orders'>> {
  throw new Error('not built yet')
}
export async function order(_ctx: AuthedCtx, _input: In<'order'>): Promise<Out<'order'>> {
  throw new Error('not built yet')
}
export async function shipBatch(_ctx: AuthedCtx, _input: In<'shipBatch'>): Promise<Out<'shipBatch'>> {
  throw new Error('not built yet')
}
export async function exportOrders(_ctx: AuthedCtx, _input: In<'exportOrders'>): Promise<Out<'exportOrders'>> {
  throw new Error('not built yet')
}
