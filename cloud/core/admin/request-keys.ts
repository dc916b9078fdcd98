/**
 * Idempotency keys of staff writes (admin.createProduct, admin.adjustStock): a retry after a lost
 * response answers the first result and changes nothing. The key is claimed first, in the write's
 * transaction, by a unique constraint (racing copies wait for the first); the same key with a
 * different request is IDEMPOTENCY_KEY_REUSED. A replay marks the ctx `replayed`, so that the edge
 * appends no second audit entry for one write.
 */
import { createHash } from 'node:crypto'
import type { AuthedCtx } from '../context'
import { fail } from '../errors'

/** JSON with object keys sorted, so that the same request hashes the same whatever its key order. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined)
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => `${JSON.stringify(k)}:${stable(x)}`)
      .join(',')}}`
  }
  return JSON.stringify(v) ?? 'null'
}

export function requestHash(input: object): string {
  const { idempotencyKey: _key, ...rest } = input as { idempotencyKey?: string }
  return createHash('sha256').update(stable(rest)).digest('hex')
}

/**
 * Runs `write` once per (caller, action, key); without a key it just runs. `reusedDetails` says what
 * a reuse of the key with another request tells the caller of the first result (their own: the room
 * createLiveRoom made, so the console can open it).
 */
export async function onceByKey<T>(
  ctx: AuthedCtx,
  action: string,
  input: { idempotencyKey?: string },
  write: () => Promise<T>,
  reusedDetails?: (first: T) => unknown,
): Promise<T> {
  const key = input.idempotencyKey
  if (key === undefined) return write()
  const ref = { actorId: ctx.caller.userId, action, key }
  const hash = requestHash(input)
  const claim = await ctx.repos.catalog.claimRequestKey({ ...ref, hash })
  if (!claim.claimed) {
    if (claim.hash !== hash)
      fail('IDEMPOTENCY_KEY_REUSED', undefined, reusedDetails && claim.result ? reusedDetails(claim.result as T) : undefined)
    // A replay writes nothing: the edge keeps it out of the audit log (define.ts runAsCaller).
    ctx.replayed = true
    return claim.result as T
  }
  const result = await write()
  await ctx.repos.catalog.finishRequestKey({ ...ref, result })
  return result
}
