import type { Address, AddressSaveInput } from '../../contract'
import type { AuthedCtx } from '../context'
import { fail } from '../errors'
import { MAX_ADDRESSES } from '../limits'

export async function list(ctx: AuthedCtx): Promise<{ items: Address[] }> {
  return { items: await ctx.repos.addresses.list(ctx.caller.userId) }
}

/**
 * Creates, or updates the caller's own address by id; the first address becomes the default. A user
 * keeps at most MAX_ADDRESSES, so a loop of saves can't grow the table without bound.
 */
export async function save(ctx: AuthedCtx, input: AddressSaveInput): Promise<{ address: Address }> {
  const address = await ctx.repos.addresses.save(ctx.caller.userId, input, MAX_ADDRESSES)
  if (!address && input.id) return fail('NOT_FOUND', '地址不存在')
  if (!address) return fail('ADDRESS_LIMIT_REACHED', `最多保存${MAX_ADDRESSES}个收货地址，请先删除不用的地址`)
  return { address }
}

export async function remove(ctx: AuthedCtx, input: { id: string }): Promise<Record<string, never>> {
  if (!(await ctx.repos.addresses.remove(ctx.caller.userId, input.id))) return fail('NOT_FOUND', '地址不存在')
  return {}
}
