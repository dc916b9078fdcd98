import type { Sku, SpecGroup } from '../../../cloud/contract'

export type Selection = Record<string, string>

/** The SKU the selection names, once every group has a value; the only SKU of a product without specs. */
export function selectedSku(skus: Sku[], groups: SpecGroup[], selection: Selection): Sku | null {
  if (groups.length === 0) return skus[0] ?? null
  if (groups.some((g) => !selection[g.name])) return null
  return skus.find((s) => groups.every((g) => s.specs[g.name] === selection[g.name])) ?? null
}

/**
 * Whether picking `value` in `group` can still lead to a SKU in stock, given the other groups'
 * picks: values that can't are shown disabled (已售罄 or not offered).
 */
export function valueAvailable(skus: Sku[], groups: SpecGroup[], selection: Selection, group: string, value: string): boolean {
  return skus.some(
    (s) =>
      s.stock > 0 &&
      s.specs[group] === value &&
      groups.every((g) => g.name === group || !selection[g.name] || s.specs[g.name] === selection[g.name]),
  )
}

/** The first in-stock SKU's values, so the page opens on something that can be bought. */
export function initialSelection(skus: Sku[], groups: SpecGroup[]): Selection {
  const sku = skus.find((s) => s.stock > 0) ?? skus[0]
  if (!sku) return {}
  return Object.fromEntries(groups.map((g) => [g.name, sku.specs[g.name] ?? '']))
}

/** 已售 as shoppers read it: 已售 86, 已售 1.2万+ from ten thousand on, or nothing before the first sale. */
export function soldText(count: number): string {
  if (count <= 0) return ''
  if (count < 10_000) return `已售 ${count}`
  return `已售 ${Math.floor(count / 1000) / 10}万+`
}

/**
 * The share card's title: exactly what the product is and what it costs (the lowest price, with
 * 起 when its SKUs differ), nothing that urges the friend to share on.
 */
export function shareTitle(product: { title: string; priceFen: number; skus: Sku[] }, yuan: (fen: number) => string): string {
  const varies = product.skus.some((s) => s.priceFen !== product.priceFen)
  return `${product.title} ¥${yuan(product.priceFen)}${varies ? ' 起' : ''}`
}
