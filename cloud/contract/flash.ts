import { z } from 'zod'
import { Fen, PriceFen, Id, Instant } from './common'

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
  audience: z.enum(['all', 'existing']),
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
    audience: z.enum(['all', 'existing']),
    startsAt: Instant,
    endsAt: Instant,
  })
  .refine((f) => new Date(f.endsAt) > new Date(f.startsAt), { message: 'endsAt must be after startsAt', path: ['endsAt'] })
export type AdminCreateFlashSaleInput = z.infer<typeof AdminCreateFlashSaleInput>
