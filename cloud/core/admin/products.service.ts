/** 商品 in the back office: the list, the editor's view, the SKU matrix, stock moves and categories. */
import type { ActionArgs, ActionName, ActionResult } from '../../contract'
import type { AuthedCtx } from '../context'

type In<K extends ActionName<'admin'>> = ActionArgs<'admin', K>
type Out<K extends ActionName<'admin'>> = ActionResult<'admin', K>

export async function products(_ctx: AuthedCtx, _input: In<'products'>): Promise<Out<'products'>> {
  throw new Error('not built yet')
}
export async function product(_ctx: AuthedCtx, _input: In<'product'>): Promise<Out<'product'>> {
  throw new Error('not built yet')
}
export async function saveSkus(_ctx: AuthedCtx, _input: In<'saveSkus'>): Promise<Out<'saveSkus'>> {
  throw new Error('not built yet')
}
export async function adjustStock(_ctx: AuthedCtx, _input: In<'adjustStock'>): Promise<Out<'adjustStock'>> {
  throw new Error('not built yet')
}
export async function stockChanges(_ctx: AuthedCtx, _input: In<'stockChanges'>): Promise<Out<'stockChanges'>> {
  throw new Error('not built yet')
}
export async function categories(_ctx: AuthedCtx, _input: In<'categories'>): Promise<Out<'categories'>> {
  throw new Error('not built yet')
}
export async function saveCategory(_ctx: AuthedCtx, _input: In<'saveCategory'>): Promise<Out<'saveCategory'>> {
  throw new Error('not built yet')
}
