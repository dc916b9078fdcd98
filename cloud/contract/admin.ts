import { z } from 'zod'
import { Fen, Id } from './common'

export const AdminCreateProductInput = z
  .object({
    title: z.string().trim().min(1).max(60),
    subtitle: z.string().trim().max(120).optional(),
    description: z.string().max(2000).optional(),
    priceFen: Fen.min(1),
    listPriceFen: Fen.min(1).optional(),
    stock: z.number().int().min(0).max(1_000_000),
    commissionRate: z.number().min(0).max(0.5).optional(),
    categoryId: Id.optional(),
    images: z.array(z.string().min(1).max(500)).max(9).optional(),
  })
  .refine((p) => p.listPriceFen === undefined || p.listPriceFen >= p.priceFen, {
    message: 'listPriceFen must not be below priceFen',
    path: ['listPriceFen'],
  })
export type AdminCreateProductInput = z.infer<typeof AdminCreateProductInput>
export const AdminCreateProductOutput = z.object({ productId: Id })
export type AdminCreateProductOutput = z.infer<typeof AdminCreateProductOutput>

export const adminActions = {
  createProduct: { input: AdminCreateProductInput, output: AdminCreateProductOutput },
}
