import type { ProductSummary } from '../../contract'
import { thumbOf } from './images.rules'

/**
 * A product as a card (catalog.list, catalog.search, a live room's shelf and 讲解中 card): the cover's
 * thumbnail, and 会员价 (the lowest of the SKUs') only when one is set — a card without one carries no
 * key, so a list of cards carries no null per product (docs/rules.md, 会员价).
 */
export function productCard(p: ProductSummary & { seq?: number }): ProductSummary {
  const { seq: _seq, memberPriceFen, cover, ...rest } = p
  return memberPriceFen == null ? { ...rest, cover: thumbOf(cover) } : { ...rest, memberPriceFen, cover: thumbOf(cover) }
}
