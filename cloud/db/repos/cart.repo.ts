import type { CartLineRecord, CartRepo } from '../../core/cart/cart.ports'
import { MAX_LINE_QTY } from '../../contract'
import type { Queryable } from '../database'

/** A SKU joined to its product, as pricing and the cart see it. */
export const SKU_SELECT = `s.id, s.product_id AS "productId", p.title, s.spec_text AS "specText",
  COALESCE(p.images[1], '') AS cover, s.price_fen AS "priceFen", s.member_price_fen AS "memberPriceFen", s.stock,
  (p.on_sale AND s.retired_at IS NULL) AS "onSale",
  p.category_id AS "categoryId"
  FROM skus s JOIN products p ON p.id = s.product_id`

export function cartRepo(q: Queryable): CartRepo {
  return {
    async lines(userId) {
      const { rows } = await q.query<CartLineRecord>(
        `SELECT ${SKU_SELECT.replace('FROM skus s', ', c.qty, c.selected FROM cart_items c JOIN skus s ON s.id = c.sku_id')}
         WHERE c.user_id = $1 ORDER BY c.added_at DESC, s.id`,
        [userId],
      )
      return rows
    },
    async add(userId, skuId, qty) {
      await q.query(
        `INSERT INTO cart_items (user_id, sku_id, qty) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, sku_id) DO UPDATE SET qty = LEAST(cart_items.qty + EXCLUDED.qty, $4), selected = true`,
        [userId, skuId, Math.min(qty, MAX_LINE_QTY), MAX_LINE_QTY],
      )
    },
    async raiseTo(userId, skuId, qty) {
      await q.query(
        `INSERT INTO cart_items (user_id, sku_id, qty) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, sku_id) DO UPDATE SET qty = LEAST(GREATEST(cart_items.qty, EXCLUDED.qty), $4), selected = true`,
        [userId, skuId, Math.min(qty, MAX_LINE_QTY), MAX_LINE_QTY],
      )
    },
    async takeUnits(userId, units) {
      if (units.length === 0) return
      await q.query(
        `WITH taken AS (SELECT sku_id, SUM(qty)::int AS qty FROM unnest($2::text[], $3::int[]) AS t(sku_id, qty) GROUP BY sku_id),
         gone AS (DELETE FROM cart_items c USING taken
                  WHERE c.user_id = $1 AND c.sku_id = taken.sku_id AND c.qty <= taken.qty RETURNING c.sku_id)
         UPDATE cart_items c SET qty = c.qty - taken.qty FROM taken
         WHERE c.user_id = $1 AND c.sku_id = taken.sku_id AND c.qty > taken.qty`,
        [userId, units.map((u) => u.skuId), units.map((u) => u.qty)],
      )
    },
    async setQty(userId, skuId, qty) {
      const { rowCount } = await q.query('UPDATE cart_items SET qty = $3 WHERE user_id = $1 AND sku_id = $2', [userId, skuId, qty])
      return rowCount === 1
    },
    async setSelected(userId, skuIds, selected) {
      await q.query('UPDATE cart_items SET selected = $3 WHERE user_id = $1 AND sku_id = ANY($2)', [userId, skuIds, selected])
    },
    async remove(userId, skuIds) {
      await q.query('DELETE FROM cart_items WHERE user_id = $1 AND sku_id = ANY($2)', [userId, skuIds])
    },
  }
}
