/** The back office's catalog rules: the low-stock line and what makes a SKU matrix well formed. */
import { foldWidth, type MatrixSku, type SpecGroup } from '../../contract'

/** A product is low on stock when a SKU it offers has this many units or fewer (admin.products lowStock). */
export const LOW_STOCK_LINE = 10
/** The most one SKU may hold, so totals stay far inside PostgreSQL's integers. */
export const MAX_SKU_STOCK = 10_000_000

/**
 * How long a staff write on a product waits for another to finish before answering PRODUCT_BUSY:
 * staff writes queueing on one product must not hold the pool's connections for seconds.
 */
export const PRODUCT_LOCK_WAIT_MS = 1_000

/** The reasons written to the stock ledger by the catalog itself. */
export const STOCK_REASONS = { opening: '初始库存', newSku: '新增规格' } as const

/** One key per combination of spec values, whatever the order of the specs' names. */
export function specKey(specs: Record<string, string>): string {
  return JSON.stringify(Object.entries(specs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/**
 * Why a matrix can't be saved, or null: spec group names repeat (width folded), a SKU does not pick
 * exactly one value of every group, two SKUs pick the same values, a list price is below its price, or
 * a member price is not below it.
 * Without groups the matrix is the one SKU with no specs.
 */
export function matrixProblem(groups: SpecGroup[], skus: MatrixSku[]): string | null {
  const names = new Set<string>()
  for (const g of groups) {
    if (names.has(foldWidth(g.name))) return `规格名称「${g.name}」重复`
    names.add(foldWidth(g.name))
  }
  if (groups.length === 0 && skus.length !== 1) return '没有规格的商品只能有一个 SKU'
  const seen = new Set<string>()
  for (const sku of skus) {
    const fits = Object.keys(sku.specs).length === groups.length && groups.every((g) => g.values.includes(sku.specs[g.name] ?? '\u0000'))
    if (!fits) return '每个 SKU 须在每个规格中各选一个值'
    const key = specKey(sku.specs)
    if (seen.has(key)) return '有两个 SKU 的规格相同'
    seen.add(key)
    if (sku.listPriceFen !== undefined && sku.listPriceFen < sku.priceFen) return '划线价不能低于售价'
    if (sku.memberPriceFen != null && sku.memberPriceFen >= sku.priceFen) return '会员价须低于售价'
  }
  return null
}
