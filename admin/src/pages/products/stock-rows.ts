/** The stock panel's rows and the one low-stock label of the console (no React here: unit-tested). */
import type { Sku } from '../../../../cloud/contract'

/** The low-stock line, as the server's (LOW_STOCK_LINE): a SKU on offer with this many or fewer is 低库存. */
export const LOW_STOCK = 10
/** The one label of low stock, in the list, the editor and the stock panel. */
export const LOW_STOCK_LABEL = '低库存'

export interface StockRow extends Sku {
  /** Taken out of the matrix (已停售): kept for old orders, never adjusted here. */
  retired: boolean
  low: boolean
}

/** The stock panel's rows: the SKUs on offer first, then the retired ones (已停售), which are never low. */
export function stockRows(skus: Sku[], retiredSkuIds: readonly string[]): StockRow[] {
  const retired = new Set(retiredSkuIds)
  const rows = skus.map((s) => ({ ...s, retired: retired.has(s.id), low: !retired.has(s.id) && s.stock <= LOW_STOCK }))
  return [...rows.filter((r) => !r.retired), ...rows.filter((r) => r.retired)]
}
