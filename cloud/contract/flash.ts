import { z } from 'zod'
import { Confirm, Fen, PriceFen, Id, IdempotencyKey, Instant } from './common'

/** 'existing': 老会员专享, refused to new customers. */
export const FlashAudience = z.enum(['all', 'existing'])
export type FlashAudience = z.infer<typeof FlashAudience>

export const FlashSaleView = z.object({
  id: Id,
  productId: Id,
  skuId: Id,
  title: z.string(),
  specText: z.string(),
  cover: z.string(),
  salePriceFen: Fen,
  /** The SKU's own price, shown crossed out. */
  priceFen: Fen,
  stock: z.number().int(),
  sold: z.number().int(),
  perUserLimit: z.number().int(),
  /** Units the caller holds in this sale (paid and unpaid orders, not cancelled or refunded): at perUserLimit, 已达限购. */
  mine: z.number().int().min(0),
  audience: FlashAudience,
  startsAt: Instant,
  endsAt: Instant,
  state: z.enum(['upcoming', 'active', 'sold_out', 'ended']),
})
export type FlashSaleView = z.infer<typeof FlashSaleView>

export const flashActions = {
  /** Sales not yet ended, with the server's clock so countdowns never trust the device's. */
  list: { input: z.object({}), output: z.object({ serverTime: Instant, items: z.array(FlashSaleView) }) },
}

export const AdminCreateFlashSaleInput = z
  .object({
    productId: Id,
    /** Required when the product has more than one SKU. */
    skuId: Id.optional(),
    salePriceFen: PriceFen.min(1),
    stock: z.number().int().min(1).max(1_000_000),
    perUserLimit: z.number().int().min(1).max(99),
    audience: FlashAudience,
    startsAt: Instant,
    endsAt: Instant,
    /** The same key from the same caller answers the first call's sale and creates nothing. */
    idempotencyKey: IdempotencyKey.optional(),
    confirm: Confirm,
  })
  .refine((f) => new Date(f.endsAt) > new Date(f.startsAt), { message: '结束时间须晚于开始时间', path: ['endsAt'] })
export type AdminCreateFlashSaleInput = z.infer<typeof AdminCreateFlashSaleInput>
