/**
 * The audit log's rules: what an entry names as its target and what it keeps of the input. The edge
 * (cloud/functions/define.ts) appends one entry for every staff write that succeeds, in the write's
 * own transaction; console sign-ins and sign-outs are appended by the sign-in service.
 */
import { TrackingNo } from '../../contract'
import type { Caller, Ctx } from '../context'

/** How much of a string, and how many items of an array, an entry keeps. */
export const DETAIL_TEXT_MAX = 200
export const DETAIL_ITEMS_MAX = 20

/** Input fields naming the record a write was about, in the order they are looked for, with the target's prefix. */
const INPUT_TARGETS: ReadonlyArray<[field: string, prefix: string]> = [
  ['orderId', 'order'],
  ['lotteryId', 'lottery'],
  ['roomId', 'room'],
  ['productId', 'product'],
  ['skuId', 'sku'],
  ['couponId', 'coupon'],
  ['campaignId', 'campaign'],
  ['flashSaleId', 'flashSale'],
  ['categoryId', 'category'],
  ['withdrawalId', 'withdrawal'],
  ['openid', 'openid'],
]

/** Output fields naming a record the write created (`createCoupon` answers `couponId`), looked for first. */
const OUTPUT_TARGETS: ReadonlyArray<[field: string, prefix: string]> = [
  ['productId', 'product'],
  ['couponId', 'coupon'],
  ['roomId', 'room'],
  ['lotteryId', 'lottery'],
  ['campaignId', 'campaign'],
  ['flashSaleId', 'flashSale'],
]

const idIn = (o: unknown, field: string): string | null => {
  const v = o && typeof o === 'object' ? (o as Record<string, unknown>)[field] : undefined
  return typeof v === 'string' && v.length > 0 ? v : null
}

/** `order:<id>`, `product:<id>`…: the record created, else the one the input names, else ''. */
export function auditTarget(input: unknown, output: unknown): string {
  for (const [field, prefix] of OUTPUT_TARGETS) {
    const id = idIn(output, field)
    if (id) return `${prefix}:${id}`.slice(0, 100)
  }
  const category = idIn(output && typeof output === 'object' ? (output as { category?: unknown }).category : null, 'id')
  if (category) return `category:${category}`
  for (const [field, prefix] of INPUT_TARGETS) {
    const id = idIn(input, field)
    if (id) return `${prefix}:${id}`.slice(0, 100)
  }
  return ''
}

/** Keys never kept, whatever the action: credentials and their like. */
const SECRET_KEY = /token|secret|password|passwd|credential|signature|cookie|authorization/i

function trim(value: unknown, depth: number): unknown {
  // Cut between characters, never inside a surrogate pair (jsonb refuses a lone half).
  if (typeof value === 'string') return value.length > DETAIL_TEXT_MAX ? `${Array.from(value).slice(0, DETAIL_TEXT_MAX).join('')}…` : value
  if (value === null || typeof value !== 'object') return value
  if (depth > 6) return '…'
  if (Array.isArray(value)) {
    const kept = value.slice(0, DETAIL_ITEMS_MAX).map((v) => trim(v, depth + 1))
    return value.length > DETAIL_ITEMS_MAX ? [...kept, `…共 ${value.length} 项`] : kept
  }
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_KEY.test(k)) continue
    out[k] = trim(v, depth + 1)
  }
  return out
}

/** What an entry keeps of the input: long text cut to 200 characters, arrays to 20 items, no secrets. */
export function auditDetail(input: unknown): Record<string, unknown> {
  const t = trim(input, 0)
  return t && typeof t === 'object' && !Array.isArray(t) ? (t as Record<string, unknown>) : { value: t ?? null }
}

/** One more entry a write leaves besides its own (see `followUps`). */
export interface FollowUpEntry {
  action: string
  target: string
  detail: Record<string, unknown>
}

/**
 * The entries a write leaves besides its own, about each record it changed when it changed many:
 * `admin.shipBatch` leaves one `admin.ship` entry per order it shipped (target `order:<id>`, detail
 * the carrier, the waybill and `batch: true`), so an order shipped in a batch is found by its target
 * as one shipped alone is. A refused line is in the batch's own entry only; a line answered ok as
 * shipped the same way before is logged again, as a repeated admin.ship is.
 */
export function followUps(action: string, input: unknown, output: unknown): FollowUpEntry[] {
  if (action !== 'admin.shipBatch') return []
  const lines = (input as { lines?: Array<{ carrier: string; trackingNo: string }> }).lines ?? []
  const results = (output as { results?: Array<{ line: number; ok: boolean; orderId: string | null }> }).results ?? []
  return results.flatMap((r) => {
    const l = lines[r.line - 1]
    if (!r.ok || !r.orderId || !l) return []
    const trackingNo = TrackingNo.safeParse(l.trackingNo)
    return [
      {
        action: 'admin.ship',
        target: `order:${r.orderId}`,
        detail: { carrier: l.carrier.trim(), trackingNo: trackingNo.success ? trackingNo.data : l.trackingNo, batch: true },
      },
    ]
  })
}

/**
 * Appends one entry for `actor`, a staff member (a caller without a role has nothing to audit), and
 * the `followUps` of a write that changed many records.
 */
export async function appendAudit(
  ctx: Ctx,
  actor: Caller,
  action: string,
  input: unknown,
  output: unknown,
  target: string = auditTarget(input, output),
): Promise<void> {
  const role = actor.role
  if (!role) return
  await ctx.repos.audit.append({
    at: ctx.now(),
    actorId: actor.userId,
    actorRole: role,
    action,
    target,
    detail: JSON.stringify(auditDetail(input)),
  })
  for (const f of followUps(action, input, output)) {
    await ctx.repos.audit.append({
      at: ctx.now(),
      actorId: actor.userId,
      actorRole: role,
      action: f.action,
      target: f.target,
      detail: JSON.stringify(auditDetail(f.detail)),
    })
  }
}
