/** 商品 in the back office: the list, the editor's view, the SKU matrix, stock moves and categories. */
import type { ActionArgs, ActionName, ActionResult, AdminProductDetail, MatrixInput } from '../../contract'
import type { AdminListPosition, MatrixWrite } from '../catalog/catalog.ports'
import { thumbOf } from '../catalog/images.rules'
import type { AuthedCtx } from '../context'
import { fail } from '../errors'
import { productChanged, stockMoved } from '../live/room'
import { onceByKey } from './request-keys'
import { MAX_SKU_STOCK, matrixProblem, PRODUCT_LOCK_WAIT_MS, specKey, STOCK_REASONS } from './catalog.rules'

type In<K extends ActionName<'admin'>> = ActionArgs<'admin', K>
type Out<K extends ActionName<'admin'>> = ActionResult<'admin', K>

const DEFAULT_PAGE = 20
const CHANGES_PAGE = 20

const badCursor = () => fail('VALIDATION_FAILED', '分页参数无效', [{ path: 'cursor', message: '分页参数无效，请从第一页重新加载' }])

/** The list's cursor: base64url of `u:<updatedAt ms>:<seq>` of the last row shown. */
function encodeListCursor(p: AdminListPosition): string {
  return Buffer.from(`u:${p.updatedAt.getTime()}:${p.seq}`, 'utf8').toString('base64url')
}
function decodeListCursor(cursor: string): AdminListPosition {
  const m = /^u:(\d{1,15}):(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
  return m ? { updatedAt: new Date(Number(m[1])), seq: Number(m[2]) } : badCursor()
}

/** Every product, on the shelf or off, last edited first; `total` counts all that match the filters. */
export async function products(ctx: AuthedCtx, input: In<'products'>): Promise<Out<'products'>> {
  const limit = input.limit ?? DEFAULT_PAGE
  const after = input.cursor == null ? null : decodeListCursor(input.cursor)
  const filter = {
    q: input.q ? input.q : null,
    categoryId: input.categoryId ?? null,
    onSale: input.status === undefined ? null : input.status === 'on',
    lowStock: input.lowStock === true,
  }
  const [rows, total] = await Promise.all([ctx.repos.catalog.adminList(filter, after, limit + 1), ctx.repos.catalog.adminCount(filter)])
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return {
    items: page.map(({ seq: _seq, ...r }) => ({ ...r, cover: thumbOf(r.cover) })),
    nextCursor: rows.length > limit && last ? encodeListCursor({ updatedAt: new Date(last.updatedAt), seq: last.seq }) : null,
    total,
  }
}

async function detail(ctx: AuthedCtx, productId: string): Promise<AdminProductDetail> {
  return (await ctx.repos.catalog.adminProduct(productId)) ?? fail('NOT_FOUND', '商品不存在')
}

export async function product(ctx: AuthedCtx, input: In<'product'>): Promise<Out<'product'>> {
  return { product: await detail(ctx, input.productId) }
}

/**
 * Saves the spec matrix. Each SKU sent is matched to the product's SKUs by its specs: a match keeps
 * its id and stock and takes the new price (a retired match comes back); a new combination is added
 * with its opening stock, recorded as 新增规格; the SKUs left out are retired — off sale, kept for
 * the orders that hold them. The product's row is locked for the save, so two saves never interleave.
 */
export async function saveSkus(ctx: AuthedCtx, input: In<'saveSkus'>): Promise<Out<'saveSkus'>> {
  await writeSkuMatrix(ctx, input.productId, input)
  // The rooms showing it reload its card (price, stock, specs) on their next poll.
  await productChanged(ctx, input.productId)
  return { product: await detail(ctx, input.productId) }
}

/**
 * The matrix write of admin.saveSkus and of admin.updateProduct's `matrix`: checks it, locks the
 * product (then its SKUs), and writes it in the caller's transaction.
 */
export async function writeSkuMatrix(ctx: AuthedCtx, productId: string, input: MatrixInput): Promise<void> {
  const problem = matrixProblem(input.specGroups, input.skus)
  if (problem) fail('VALIDATION_FAILED', problem, [{ path: 'skus', message: problem }])
  // The product first, then its SKUs in id order: the order every path locking both keeps.
  await lockProduct(ctx, { productId }, '商品不存在')
  const existing = new Map((await ctx.repos.catalog.matrixSkus(productId)).map((s) => [specKey(s.specs), s]))
  const writes: MatrixWrite[] = input.skus.map((sku, sort) => {
    const match = existing.get(specKey(sku.specs))
    existing.delete(specKey(sku.specs))
    return {
      id: match?.id ?? null,
      specs: sku.specs,
      specText: input.specGroups
        .map((g) => sku.specs[g.name])
        .filter(Boolean)
        .join(' / '),
      priceFen: sku.priceFen,
      listPriceFen: sku.listPriceFen ?? null,
      memberPriceFen: sku.memberPriceFen ?? null,
      stock: match ? match.stock : (sku.stock ?? 0),
      sort,
    }
  })
  const retire = [...existing.values()].filter((s) => !s.retired).map((s) => s.id)
  await ctx.repos.catalog.writeMatrix({
    productId,
    specGroups: input.specGroups,
    skus: writes,
    retire,
    actorId: ctx.caller.userId,
    newReason: STOCK_REASONS.newSku,
  })
}

/**
 * Locks the product (named, or the SKU's) against the other staff writes on it; a product held by
 * another write for longer than PRODUCT_LOCK_WAIT_MS answers PRODUCT_BUSY rather than wait longer.
 */
async function lockProduct(ctx: AuthedCtx, ref: { productId: string } | { skuId: string }, missing: string): Promise<void> {
  const lock = await ctx.repos.catalog.lockProduct(ref, PRODUCT_LOCK_WAIT_MS)
  if (lock === 'missing') fail('NOT_FOUND', missing)
  if (lock === 'busy') fail('PRODUCT_BUSY')
}

/**
 * Moves one SKU's stock by `delta` in one conditional statement: never below 0 (OUT_OF_STOCK). Its
 * product is locked first (as saveSkus locks it), so a save and a move never wait on each other in a circle.
 */
export async function adjustStock(ctx: AuthedCtx, input: In<'adjustStock'>): Promise<Out<'adjustStock'>> {
  // With an idempotency key, a retry answers the first move's result and moves nothing again.
  return onceByKey(ctx, 'admin.adjustStock', input, () => moveStock(ctx, input))
}

async function moveStock(ctx: AuthedCtx, input: In<'adjustStock'>): Promise<Out<'adjustStock'>> {
  await lockProduct(ctx, { skuId: input.skuId }, '规格不存在')
  const moved = await ctx.repos.catalog.adjustStock({
    skuId: input.skuId,
    delta: input.delta,
    max: MAX_SKU_STOCK,
    reason: input.reason,
    actorId: ctx.caller.userId,
  })
  if (!moved) return fail('NOT_FOUND', '规格不存在')
  if (!moved.ok) {
    if (moved.stock + input.delta < 0) return fail('OUT_OF_STOCK', `库存不足：当前库存 ${moved.stock}，不能减少 ${-input.delta}`)
    return fail('VALIDATION_FAILED', `库存最多 ${MAX_SKU_STOCK} 件`, [{ path: 'delta', message: `库存最多 ${MAX_SKU_STOCK} 件` }])
  }
  // Live rooms showing the product follow the stock when it is low (as an order's stock move does).
  await stockMoved(ctx, [
    {
      productId: moved.productId,
      before: moved.productBefore,
      after: moved.productAfter,
      lowestSku: Math.min(moved.stock, moved.stock - input.delta),
    },
  ])
  return { skuId: input.skuId, stock: moved.stock }
}

/** The product's stock ledger, newest first; the cursor is the last change's id. */
export async function stockChanges(ctx: AuthedCtx, input: In<'stockChanges'>): Promise<Out<'stockChanges'>> {
  let beforeId: number | null = null
  if (input.cursor != null) {
    if (!/^\d{1,15}$/.test(input.cursor)) badCursor()
    beforeId = Number(input.cursor)
  }
  if (!(await ctx.repos.catalog.productExists(input.productId))) fail('NOT_FOUND', '商品不存在')
  const rows = await ctx.repos.catalog.stockChanges(input.productId, beforeId, CHANGES_PAGE + 1)
  const items = rows.slice(0, CHANGES_PAGE)
  return { items, nextCursor: rows.length > CHANGES_PAGE ? items[items.length - 1]!.id : null }
}

export async function categories(ctx: AuthedCtx, _input: In<'categories'>): Promise<Out<'categories'>> {
  return { items: await ctx.repos.catalog.adminCategories() }
}

/** Creates a category (no categoryId) or renames one; names are unique (width and case folded). */
export async function saveCategory(ctx: AuthedCtx, input: In<'saveCategory'>): Promise<Out<'saveCategory'>> {
  const saved = await ctx.repos.catalog.saveCategory({ id: input.categoryId ?? null, name: input.name })
  if (saved === 'taken') return fail('VALIDATION_FAILED', '分类名称已存在', [{ path: 'name', message: '分类名称已存在' }])
  if (!saved) return fail('NOT_FOUND', '分类不存在')
  const category = (await ctx.repos.catalog.adminCategories()).find((c) => c.id === saved.id)!
  return { category }
}
