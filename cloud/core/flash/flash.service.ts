import type { FlashSaleView } from '../../contract'
import type { AuthedCtx, Ctx } from '../context'
import { fail } from '../errors'
import type { FlashSaleRecord } from './flash.ports'
import { isNewCustomer } from '../auth/auth.service'

function view(f: FlashSaleRecord & { mine: number }, now: Date): FlashSaleView {
  const { endedAt, ...rest } = f
  const state = endedAt !== null || now >= f.endsAt ? 'ended' : now < f.startsAt ? 'upcoming' : f.sold >= f.stock ? 'sold_out' : 'active'
  return { ...rest, startsAt: f.startsAt.toISOString(), endsAt: f.endsAt.toISOString(), state }
}

/**
 * Open sales with the server's time (the client counts down from the offset to this clock), and the
 * units the caller holds in each, counted as the limit counts them (paid and unpaid orders).
 */
export async function list(ctx: AuthedCtx): Promise<{ serverTime: string; items: FlashSaleView[] }> {
  const now = ctx.now()
  return { serverTime: now.toISOString(), items: (await ctx.repos.flash.open(now, ctx.caller.userId)).map((f) => view(f, now)) }
}

/**
 * The flash-sale checks of placing an order, before anything is taken: one line of the sale's SKU,
 * inside the window by the server's clock, for the audience. Answers the sale, whose units
 * `takeFlashUnits` takes once the order holds its idempotency key.
 */
export async function checkFlashSale(
  ctx: Ctx & { caller: { userId: string } },
  flashSaleId: string,
  skuId: string,
): Promise<FlashSaleRecord> {
  const f = await ctx.repos.flash.get(flashSaleId)
  if (!f) return fail('NOT_FOUND', '秒杀活动不存在')
  if (f.skuId !== skuId)
    return fail('VALIDATION_FAILED', '秒杀订单只能包含活动商品', [{ path: 'items', message: '秒杀订单只能包含活动商品' }])
  const now = ctx.now()
  if (f.endedAt !== null) fail('FLASH_SALE_NOT_ACTIVE', '秒杀已结束')
  if (now < f.startsAt || now >= f.endsAt) fail('FLASH_SALE_NOT_ACTIVE', now < f.startsAt ? '秒杀还未开始' : '秒杀已结束')
  if (f.audience === 'existing' && (await isNewCustomer(ctx, ctx.caller.userId))) fail('NOT_EXISTING_CUSTOMER')
  return f
}

/** Takes `qty` units of the sale within the per-user limit and the sale's stock, by conditional updates. */
export async function takeFlashUnits(ctx: Ctx & { caller: { userId: string } }, f: FlashSaleRecord, qty: number): Promise<void> {
  if (!(await ctx.repos.flash.countBuyer(f.id, ctx.caller.userId, qty, f.perUserLimit)))
    fail('FLASH_SALE_LIMIT_REACHED', `每人限购 ${f.perUserLimit} 件`)
  if (!(await ctx.repos.flash.sell(f.id, qty, ctx.now()))) {
    // Sold out, or ended by the merchant while this order was being placed (the end committed first).
    const now = await ctx.repos.flash.get(f.id)
    if (now && now.endedAt !== null) fail('FLASH_SALE_NOT_ACTIVE', '秒杀已结束')
    fail('FLASH_SALE_SOLD_OUT')
  }
}
