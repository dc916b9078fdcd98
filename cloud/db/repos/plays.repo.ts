import type { GroupPlayRecord, PlaysRepo, PriceCutPlayRecord } from '../../core/catalog/plays.ports'
import type { Queryable } from '../database'

/**
 * The open group campaigns, ending soonest first: a range scan of the partial index
 * group_campaigns_open (ends_at, seq) WHERE status = 'active' (migration 049), stopped at the limit.
 * Only plays a shopper can start now: the product on sale, its SKU not retired and in stock.
 */
export const OPEN_GROUPS_SQL = `SELECT c.id AS "campaignId", c.product_id AS "productId", p.title AS "productTitle",
    COALESCE(p.images[1], '') AS cover, c.group_price_fen AS "groupPriceFen", s.price_fen AS "priceFen",
    c.group_size AS "groupSize", c.ends_at AS "endsAt"
  FROM group_campaigns c JOIN products p ON p.id = c.product_id JOIN skus s ON s.id = c.sku_id
  WHERE c.status = 'active' AND c.ends_at > $1 AND c.starts_at <= $1 AND p.on_sale AND c.group_price_fen < s.price_fen
    AND s.retired_at IS NULL AND s.stock > 0
  ORDER BY c.ends_at, c.seq LIMIT $2`

/** The open price cuts, ending soonest first: the partial index assist_campaigns_open_cuts (migration 049). */
export const OPEN_PRICE_CUTS_SQL = `SELECT a.id AS "campaignId", a.title, a.product_id AS "productId", p.title AS "productTitle",
    COALESCE(p.images[1], '') AS cover, a.price_fen AS "priceFen", a.cut_per_help_fen AS "cutPerHelpFen",
    a.helps_needed AS "helpsNeeded", a.ends_at AS "endsAt"
  FROM assist_campaigns a JOIN products p ON p.id = a.product_id JOIN skus s ON s.id = a.sku_id
  WHERE a.status = 'active' AND a.face = 'price_cut' AND a.ends_at > $1 AND a.starts_at <= $1 AND p.on_sale
    AND s.retired_at IS NULL AND s.stock > 0
  ORDER BY a.ends_at, a.id LIMIT $2`

export function playsRepo(q: Queryable): PlaysRepo {
  return {
    async openGroups(at, limit) {
      return (await q.query<GroupPlayRecord>(OPEN_GROUPS_SQL, [at, limit])).rows
    },
    async openPriceCuts(at, limit) {
      return (await q.query<PriceCutPlayRecord>(OPEN_PRICE_CUTS_SQL, [at, limit])).rows
    },
  }
}
