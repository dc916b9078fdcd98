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
