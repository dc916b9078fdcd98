import type { AdminCreateProductInput, AdminCreateProductOutput, AdminUpdateProductInput } from '../../contract'
import type { AuthedCtx } from '../context'
import { fail } from '../errors'
import { productChanged } from '../live/room'
import { STOCK_REASONS } from './catalog.rules'
import { writeSkuMatrix } from './products.service'
import { onceByKey } from './request-keys'

/**
 * Creates a product, on the shelf unless `status` is 'off' (放入仓库). With an idempotency key, a
 * retry (the response was lost) answers the first call's product and creates nothing.
 */
export async function createProduct(ctx: AuthedCtx, input: AdminCreateProductInput): Promise<AdminCreateProductOutput> {
  return onceByKey(ctx, 'admin.createProduct', input, () => insertProduct(ctx, input))
}

async function insertProduct(ctx: AuthedCtx, input: AdminCreateProductInput): Promise<AdminCreateProductOutput> {
  if (input.categoryId !== undefined && !(await ctx.repos.catalog.categoryExists(input.categoryId))) {
    fail('VALIDATION_FAILED', '分类不存在', [{ path: 'categoryId', message: '分类不存在' }])
  }
  const productId = await ctx.repos.catalog.createProduct({
    title: input.title,
    subtitle: input.subtitle ?? '',
    description: input.description ?? '',
    specGroups: input.specGroups ?? [],
    // Without specs the product is its one SKU (the schema requires price and stock then).
    skus: input.skus ?? [
      { specs: {}, priceFen: input.priceFen!, listPriceFen: input.listPriceFen, memberPriceFen: input.memberPriceFen, stock: input.stock! },
    ],
    commissionRate: input.commissionRate ?? 0,
    categoryId: input.categoryId ?? null,
    images: input.images ?? [],
    detailImages: input.detailImages ?? [],
    specs: input.specs ?? [],
    onSale: input.status !== 'off',
  })
  // The stock ledger starts with each SKU's opening stock, by whoever created the product.
  await ctx.repos.catalog.recordOpeningStock(productId, ctx.caller.userId, STOCK_REASONS.opening)
  return { productId }
}

/**
 * Changes a product's fields and, with `matrix`, its spec matrix too, in the call's one transaction:
 * a refusal of either leaves the product as it was.
 */
export async function updateProduct(ctx: AuthedCtx, input: AdminUpdateProductInput): Promise<AdminCreateProductOutput> {
  const { productId, status, matrix, ...rest } = input
  // 上架 / 下架: an off-shelf product leaves the mall, search and the live shelves; carts and checkout refuse it.
  const fields = status === undefined ? rest : { ...rest, onSale: status === 'on' }
  if (fields.categoryId && !(await ctx.repos.catalog.categoryExists(fields.categoryId))) {
    fail('VALIDATION_FAILED', '分类不存在', [{ path: 'categoryId', message: '分类不存在' }])
  }
  // The matrix first: it locks the product (then its SKUs) as admin.saveSkus does.
  if (matrix) await writeSkuMatrix(ctx, productId, matrix)
  if (!(await ctx.repos.catalog.updateProduct(productId, fields))) fail('NOT_FOUND', '商品不存在')
  // The rooms showing it reload its card on their next poll.
  await productChanged(ctx, productId)
  return { productId }
}
