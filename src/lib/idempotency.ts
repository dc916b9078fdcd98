import Taro from '@tarojs/taro'
import type { OrderItemInput } from '../../cloud/contract'

/** A fresh idempotency key: one per checkout draft or claim tap, so a retried call makes nothing twice. */
export function newIdempotencyKey(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}${Math.random().toString(36).slice(2, 12)}`
}

/**
 * What a checkout buys: the items (or a deal campaign's one unit) with the flash sale, and where the
 * shopper left the address and coupon. Two checkouts of one draft are one purchase attempt.
 */
export interface CheckoutDraft {
  items: OrderItemInput[]
  flashSaleId?: string
  dealId?: string
  /** An assist task's price-cut order (砍价): the task bought. */
  assistTaskId?: string
  /** A group order's (拼团): `open:<campaignId>` or `join:<groupId>`. */
  groupRef?: string
  addressId: string | null
  couponId: string | null
  /** The note to the merchant, trimmed ('' for none). */
  note?: string
  /** Points spent (0 or absent: none). */
  pointsUsed?: number
}

/** A draft's saved state: its key, the choices it was submitted with, and the order it made (once known). */
export interface DraftRecord {
  /** The hash of the whole draft (goods, address, coupon, note) the key was made for. */
  hash: string
  key: string
  addressId: string | null
  couponId: string | null
  /** The note it was submitted with (absent in records saved before notes were kept: none). */
  note?: string
  /** The points it was submitted with (absent: none). */
  pointsUsed?: number
  orderId: string | null
  /** A submit went out with the key and its outcome is unknown (no answer came): the key may hold an order. */
  sent: boolean
  savedAt: number
}

const STORAGE_KEY = 'weshop.checkoutDrafts'
/** The 积分抵扣 switch of each draft (by its goods), kept from the moment it is switched. */
const POINTS_KEY = 'weshop.checkoutPoints'
/** Orders go unpaid for at most 15 minutes; a day covers any reload and keeps the storage small. */
const KEEP_MS = 24 * 3_600_000
const MAX_RECORDS = 20

/** 53-bit string hash (cyrb53): stable across builds and platforms, enough to tell drafts apart. */
function hash53(text: string): string {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)
}

/** The goods of a draft in one canonical text: items sorted, the same SKU asked twice summed, as the server resolves them. */
function goodsText(d: Pick<CheckoutDraft, 'items' | 'flashSaleId' | 'dealId' | 'assistTaskId' | 'groupRef'>): string {
  const qty = new Map<string, number>()
  for (const i of d.items) {
    const id = `${i.productId}~${i.skuId ?? ''}`
    qty.set(id, (qty.get(id) ?? 0) + i.qty)
  }
  const items = [...qty.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, n]) => `${id}~${n}`)
  const what = d.assistTaskId
    ? `assist:${d.assistTaskId}`
    : d.dealId
      ? `deal:${d.dealId}`
      : d.groupRef
        ? `group:${d.groupRef}`
        : `items:${items.join(',')}`
  return `${what}|flash:${d.flashSaleId ?? ''}`
}

/** Where a draft's record is kept: its goods, whatever address or coupon it is submitted with. */
export const goodsHash = (d: Pick<CheckoutDraft, 'items' | 'flashSaleId' | 'dealId' | 'assistTaskId' | 'groupRef'>): string =>
  hash53(goodsText(d))

/** The whole draft's hash: the same goods, address, coupon and note hash alike on every load. */
export const draftHash = (d: CheckoutDraft): string =>
  hash53(
    `${goodsText(d)}|address:${d.addressId ?? ''}|coupon:${d.couponId ?? ''}${d.note ? `|note:${d.note}` : ''}${d.pointsUsed ? `|points:${d.pointsUsed}` : ''}`,
  )

function readAll(): Record<string, DraftRecord> {
  try {
    const stored = Taro.getStorageSync<Record<string, DraftRecord> | ''>(STORAGE_KEY)
    return stored && typeof stored === 'object' ? stored : {}
  } catch {
    return {}
  }
}

function writeAll(records: Record<string, DraftRecord>): void {
  const now = Date.now()
  const kept = Object.entries(records)
    .filter(([, r]) => now - r.savedAt < KEEP_MS)
    .sort(([, a], [, b]) => b.savedAt - a.savedAt)
    .slice(0, MAX_RECORDS)
  try {
    Taro.setStorageSync(STORAGE_KEY, Object.fromEntries(kept))
  } catch {
    // Storage full or refused: the key then lives for this page only, as before.
  }
}

/** The saved record of these goods, or null (none, or older than a day). */
export function readDraft(goods: string): DraftRecord | null {
  const r = readAll()[goods]
  return r && Date.now() - r.savedAt < KEEP_MS ? r : null
}

/**
 * The key for submitting `draft`, marked as sent: the saved one when the saved record is this very
 * draft (goods, address, coupon and note), or when a submit with it got no answer (the order may exist:
 * the server answers it rather than making a second); else a fresh one. Saved before the call goes
 * out, so a reload mid-call finds it.
 */
export function keyForDraft(draft: CheckoutDraft): string {
  const goods = goodsHash(draft)
  const hash = draftHash(draft)
  const all = readAll()
  const saved = readDraft(goods)
  const reuse = saved && (saved.hash === hash || (saved.sent && !saved.orderId))
  const key = reuse ? saved.key : newIdempotencyKey()
  all[goods] = {
    hash,
    key,
    addressId: draft.addressId,
    couponId: draft.couponId,
    note: draft.note ?? '',
    pointsUsed: draft.pointsUsed ?? 0,
    orderId: reuse ? saved.orderId : null,
    sent: true,
    savedAt: Date.now(),
  }
  writeAll(all)
  return key
}

/** The server answered a submit with a refusal: the call rolled back, so the key holds no order. */
export function markRefused(goods: string): void {
  const all = readAll()
  const r = all[goods]
  if (!r || r.orderId) return
  all[goods] = { ...r, sent: false }
  writeAll(all)
}

/** Notes the order the draft's key made: a reload then offers to pay it. */
export function rememberOrder(goods: string, orderId: string): void {
  const all = readAll()
  const r = all[goods]
  if (!r) return
  all[goods] = { ...r, orderId, sent: false, savedAt: Date.now() }
  writeAll(all)
}

function readChoices(): Record<string, { on: boolean; savedAt: number }> {
  try {
    const stored = Taro.getStorageSync<Record<string, { on: boolean; savedAt: number }> | ''>(POINTS_KEY)
    return stored && typeof stored === 'object' ? stored : {}
  } catch {
    return {}
  }
}

function writeChoices(choices: Record<string, { on: boolean; savedAt: number }>): void {
  const now = Date.now()
  const kept = Object.entries(choices)
    .filter(([, c]) => now - c.savedAt < KEEP_MS)
    .sort(([, a], [, b]) => b.savedAt - a.savedAt)
    .slice(0, MAX_RECORDS)
  try {
    Taro.setStorageSync(POINTS_KEY, Object.fromEntries(kept))
  } catch {
    // Storage refused: the switch lives for this page only.
  }
}

/** Keeps the draft's 积分抵扣 switch as the shopper set it (before any submit), so a reload brings it back. */
export function rememberPointsChoice(goods: string, on: boolean): void {
  const all = readChoices()
  all[goods] = { on, savedAt: Date.now() }
  writeChoices(all)
}

/** The draft's 积分抵扣 switch as last set, or null when never switched (or older than a day). */
export function readPointsChoice(goods: string): boolean | null {
  const c = readChoices()[goods]
  return c && Date.now() - c.savedAt < KEEP_MS ? c.on : null
}

/** Forgets the draft (its order was paid or closed): the next checkout of these goods is a new purchase. */
export function dropDraft(goods: string): void {
  const choices = readChoices()
  if (goods in choices) {
    delete choices[goods]
    writeChoices(choices)
  }
  const all = readAll()
  if (!(goods in all)) return
  delete all[goods]
  writeAll(all)
}
