/**
 * The console's flash sales: creating one (idempotent, refused when its price is not below the SKU's
 * or its window overlaps another sale of the SKU, warnings to confirm), the list with sold and
 * remaining, edits, ending a sale now.
 */
import type { ActionArgs, ActionResult, AdminFlashSale, FlashState, Warning } from '../../contract'
import { onceByKey } from '../admin/request-keys'
import type { AuthedCtx } from '../context'
import { fail, requireConfirmed } from '../errors'
import { resolveSku } from '../order/lines'
import { decodeCursor, encodeCursor } from '../paging'
import type { AdminFlashRecord, FlashSaleRecord } from './flash.ports'
import { yuan as fenToYuan } from '../money'
import { shopClock } from '../shop-clock'

const PAGE = 20
const yuan = (fen: number) => `¥${fenToYuan(fen)}`
const field = (path: string, message: string) => fail('VALIDATION_FAILED', message, [{ path, message }])

/** Legal but probably a mistake: the merchant confirms (CONFIRM_REQUIRED) or fixes it. */
export function flashWarnings(t: { salePriceFen?: number; stock?: number }, sku: { priceFen: number; stock: number }): Warning[] {
  const w: Warning[] = []
  if (t.salePriceFen !== undefined && t.salePriceFen * 10 < sku.priceFen)
    w.push({
      code: 'FLASH_PRICE_VERY_LOW',
      message: `秒杀价 ${yuan(t.salePriceFen)} 不到商品售价 ${yuan(sku.priceFen)} 的一成，请确认不是少输了一位`,
    })
  if (t.stock !== undefined && t.stock > sku.stock)
    w.push({ code: 'FLASH_STOCK_ABOVE_SKU', message: `秒杀库存 ${t.stock} 件多于商品现有库存 ${sku.stock} 件：卖出的可能发不了货` })
  return w
}

const DAY = 86_400_000
/** A flash sale is hours or days: over a year is never right, over a month or a start a year ahead probably a typo. */
const LONGEST_MS = 366 * DAY
const LONG_MS = 31 * DAY
const FAR_AHEAD_MS = 366 * DAY

/**
 * The window's checks beyond end-after-start: an end already past is refused (the sale would never
 * sell), a window longer than a year is refused; longer than a month, or starting more than a year
 * from now, is asked about (CONFIRM_REQUIRED).
 */
export function windowWarnings(startsAt: Date, endsAt: Date, now: Date): Warning[] {
  if (endsAt <= now) field('endsAt', '结束时间已经过去，请选择晚于现在的结束时间')
  if (endsAt.getTime() - startsAt.getTime() > LONGEST_MS) field('endsAt', '秒杀时长不能超过一年，请检查结束时间')
  const w: Warning[] = []
  if (endsAt.getTime() - startsAt.getTime() > LONG_MS)
    w.push({
      code: 'FLASH_LONG_WINDOW',
      message: `秒杀持续 ${Math.round((endsAt.getTime() - startsAt.getTime()) / DAY)} 天，请确认结束时间`,
    })
  if (startsAt.getTime() - now.getTime() > FAR_AHEAD_MS)
    w.push({ code: 'FLASH_STARTS_FAR', message: `秒杀在一年多以后（${shopClock(startsAt, true)}）才开始，请确认开始时间` })
  return w
}

function priceBelowSku(salePriceFen: number, skuPriceFen: number): void {
  if (salePriceFen >= skuPriceFen) field('salePriceFen', `秒杀价须低于商品售价 ${yuan(skuPriceFen)}`)
}

async function noOverlap(ctx: AuthedCtx, skuId: string, startsAt: Date, endsAt: Date, exceptId: string | null): Promise<void> {
  const other = await ctx.repos.flash.overlapping(skuId, startsAt, endsAt, exceptId)
  if (other) overlapRefused(other)
}

function overlapRefused(other: FlashSaleRecord | null): never {
  const which = other ? `（${shopClock(other.startsAt, true)} 至 ${shopClock(other.endsAt, true)}）` : ''
  return field('startsAt', `该规格已有一场秒杀${which}与这个时间段重叠，同一规格的秒杀时间不能重叠`)
}

export async function createFlashSale(
  ctx: AuthedCtx,
  input: ActionArgs<'admin', 'createFlashSale'>,
): Promise<ActionResult<'admin', 'createFlashSale'>> {
  const { confirm, ...request } = input
  return onceByKey(ctx, 'createFlashSale', request, async () => {
    const sku = await resolveSku(ctx, input.productId, input.skuId)
    const startsAt = new Date(input.startsAt)
    const endsAt = new Date(input.endsAt)
    priceBelowSku(input.salePriceFen, sku.priceFen)
    const windowWarned = windowWarnings(startsAt, endsAt, ctx.now())
    await noOverlap(ctx, sku.id, startsAt, endsAt, null)
    requireConfirmed([...windowWarned, ...flashWarnings(input, sku)], confirm)
    const created = await ctx.repos.flash.create({
      productId: input.productId,
      skuId: sku.id,
      salePriceFen: input.salePriceFen,
      stock: input.stock,
      perUserLimit: input.perUserLimit,
      audience: input.audience,
      startsAt,
      endsAt,
    })
    // Another create of an overlapping window committed while this one was checking (the transaction
    // is spent: refuse without reading further).
    if (created === 'overlap') return overlapRefused(null)
    return { flashSaleId: created.id }
  })
}

function stateOf(f: FlashSaleRecord, now: Date): FlashState {
  if (f.endedAt !== null || now >= f.endsAt) return 'ended'
  if (now < f.startsAt) return 'upcoming'
  return f.sold >= f.stock ? 'sold_out' : 'active'
}

function view(f: AdminFlashRecord, now: Date): AdminFlashSale {
  return {
    flashSaleId: f.id,
    productId: f.productId,
    skuId: f.skuId,
    title: f.title,
    specText: f.specText,
    cover: f.cover,
    salePriceFen: f.salePriceFen,
    priceFen: f.priceFen,
    stock: f.stock,
    sold: f.sold,
    paidUnits: f.paidUnits,
    gmvFen: f.gmvFen,
    perUserLimit: f.perUserLimit,
    audience: f.audience,
    startsAt: f.startsAt.toISOString(),
    endsAt: f.endsAt.toISOString(),
    state: stateOf(f, now),
    createdAt: f.createdAt.toISOString(),
  }
}

async function one(ctx: AuthedCtx, id: string): Promise<AdminFlashSale> {
  const f = await ctx.repos.flash.adminOne(id)
  if (!f) return fail('NOT_FOUND', '秒杀活动不存在')
  return view(f, ctx.now())
}

export async function flashSales(ctx: AuthedCtx, input: ActionArgs<'admin', 'flashSales'>): Promise<ActionResult<'admin', 'flashSales'>> {
  const now = ctx.now()
  const after = input.cursor ? decodeCursor(input.cursor) : null
  const rows = await ctx.repos.flash.adminList(input.state ?? null, now, after, PAGE + 1)
  const page = rows.slice(0, PAGE)
  return {
    items: page.map((f) => view(f, now)),
    nextCursor: rows.length > PAGE ? encodeCursor(page[page.length - 1]!.seq) : null,
    serverTime: now.toISOString(),
  }
}

/**
 * The sale's row is locked first, so the checks below hold at the write: no unit is sold in between
 * (stock never below sold), and no end commits in between. Price and start only before it starts;
 * the end after the start and not in the past; nothing after it ended (FLASH_SALE_ENDED).
 */
export async function updateFlashSale(
  ctx: AuthedCtx,
  input: ActionArgs<'admin', 'updateFlashSale'>,
): Promise<ActionResult<'admin', 'updateFlashSale'>> {
  const { flashSaleId, confirm, ...edit } = input
  const f = await ctx.repos.flash.getForUpdate(flashSaleId)
  if (!f) return fail('NOT_FOUND', '秒杀活动不存在')
  const now = ctx.now()
  if (f.endedAt !== null || now >= f.endsAt) fail('FLASH_SALE_ENDED')
  const startsAt = edit.startsAt === undefined ? f.startsAt : new Date(edit.startsAt)
  const endsAt = edit.endsAt === undefined ? f.endsAt : new Date(edit.endsAt)
  const started = now >= f.startsAt
  if (started && edit.salePriceFen !== undefined && edit.salePriceFen !== f.salePriceFen)
    field('salePriceFen', '秒杀已开始，秒杀价不能再修改')
  if (started && startsAt.getTime() !== f.startsAt.getTime()) field('startsAt', '秒杀已开始，开始时间不能再修改')
  if (edit.salePriceFen !== undefined) priceBelowSku(edit.salePriceFen, f.priceFen)
  if (edit.stock !== undefined && edit.stock < f.sold) field('stock', `已售出 ${f.sold} 件，秒杀库存不能少于已售数量`)
  if (endsAt <= startsAt) field('endsAt', '结束时间须晚于开始时间')
  if (edit.endsAt !== undefined && endsAt <= now) field('endsAt', '结束时间不能早于现在；要立即结束请用「结束」')
  if (edit.startsAt !== undefined && startsAt < now && startsAt.getTime() !== f.startsAt.getTime())
    field('startsAt', '开始时间不能早于现在')
  const windowMoves = startsAt.getTime() !== f.startsAt.getTime() || endsAt.getTime() !== f.endsAt.getTime()
  const windowWarned = windowMoves ? windowWarnings(startsAt, endsAt, now) : []
  if (windowMoves) await noOverlap(ctx, f.skuId, startsAt, endsAt, f.id)
  const sku = await resolveSku(ctx, f.productId, f.skuId)
  const changed = {
    ...(edit.salePriceFen !== undefined && edit.salePriceFen !== f.salePriceFen ? { salePriceFen: edit.salePriceFen } : {}),
    ...(edit.stock !== undefined && edit.stock !== f.stock ? { stock: edit.stock } : {}),
  }
  requireConfirmed([...windowWarned, ...flashWarnings(changed, sku)], confirm)
  const { startsAt: _s, endsAt: _e, ...rest } = edit
  const done = await ctx.repos.flash.update(f.id, {
    ...rest,
    ...(edit.startsAt !== undefined ? { startsAt } : {}),
    ...(edit.endsAt !== undefined ? { endsAt } : {}),
  })
  if (done === 'overlap') overlapRefused(null)
  return { flashSale: await one(ctx, f.id) }
}

/** Ends a sale now (upcoming or active): from the commit on, the shopper's list and order.create stop selling it. */
export async function endFlashSale(
  ctx: AuthedCtx,
  input: ActionArgs<'admin', 'endFlashSale'>,
): Promise<ActionResult<'admin', 'endFlashSale'>> {
  const f = await ctx.repos.flash.getForUpdate(input.flashSaleId)
  if (!f) return fail('NOT_FOUND', '秒杀活动不存在')
  const now = ctx.now()
  if (f.endedAt !== null || now >= f.endsAt) fail('FLASH_SALE_ENDED')
  await ctx.repos.flash.end(f.id, now)
  return { flashSale: await one(ctx, f.id) }
}
