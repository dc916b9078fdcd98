import type { Address, AddressSaveInput } from '../../contract'
import type { AuthedCtx } from '../context'
import { fail } from '../errors'

export async function list(ctx: AuthedCtx): Promise<{ items: Address[] }> {
  return { items: await ctx.repos.addresses.list(ctx.caller.userId) }
}

/** Creates, or updates the caller's own address by id; the first address becomes the default. */
export async function save(ctx: AuthedCtx, input: AddressSaveInput): Promise<{ address: Address }> {
  const address = await ctx.repos.addresses.save(ctx.caller.userId, input)
  if (!address) return fail('NOT_FOUND', '地址不存在')
  return { address }
}

export async function remove(ctx: AuthedCtx, input: { id: string }): Promise<Record<string, never>> {
  await ctx.repos.addresses.remove(ctx.caller.userId, input.id)
  return {}
}
