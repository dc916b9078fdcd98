import type { FlashSaleRecord, FlashSaleRepo } from '../../core/flash/flash.ports'
import type { Queryable } from '../database'

const FLASH_COLUMNS = `f.id, f.product_id AS "productId", f.sku_id AS "skuId", p.title, s.spec_text AS "specText",
    COALESCE(p.images[1], '') AS cover, f.sale_price_fen AS "salePriceFen", s.price_fen AS "priceFen", f.stock, f.sold,
    f.per_user_limit AS "perUserLimit", f.audience, f.starts_at AS "startsAt", f.ends_at AS "endsAt"`
const FLASH_FROM = 'flash_sales f JOIN products p ON p.id = f.product_id JOIN skus s ON s.id = f.sku_id'
const FLASH_SELECT = `SELECT ${FLASH_COLUMNS} FROM ${FLASH_FROM}`

export function flashRepo(q: Queryable): FlashSaleRepo {
  return {
    async create(f) {
      const { rows } = await q.query<{ id: string }>(
        `INSERT INTO flash_sales (product_id, sku_id, sale_price_fen, stock, per_user_limit, audience, starts_at, ends_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [f.productId, f.skuId, f.salePriceFen, f.stock, f.perUserLimit, f.audience, f.startsAt, f.endsAt],
      )
      return rows[0]!.id
    },
    async get(id) {
      const { rows } = await q.query<FlashSaleRecord>(`${FLASH_SELECT} WHERE f.id = $1`, [id])
      return rows[0] ?? null
    },
    async open(now, userId) {
      // The buyer's counter is what the limit is checked against (countBuyer), so the page and the
      // order agree: it holds paid and unpaid orders' units and drops them on cancel and refund.
      const { rows } = await q.query<FlashSaleRecord & { mine: number }>(
        `SELECT ${FLASH_COLUMNS}, COALESCE(b.qty, 0) AS mine FROM ${FLASH_FROM}
         LEFT JOIN flash_sale_buyers b ON b.flash_sale_id = f.id AND b.user_id = $2
         WHERE f.ends_at > $1 ORDER BY f.starts_at, f.seq LIMIT 50`,
        [now, userId],
      )
      return rows
    },
    async countBuyer(id, userId, qty, limit) {
      // One statement: the user's units rise only while within the limit, however many buy at once.
      const { rowCount } = await q.query(
        `INSERT INTO flash_sale_buyers (flash_sale_id, user_id, qty) SELECT $1::text, $2::text, $3::int WHERE $3::int <= $4::int
         ON CONFLICT (flash_sale_id, user_id) DO UPDATE SET qty = flash_sale_buyers.qty + EXCLUDED.qty
           WHERE flash_sale_buyers.qty + EXCLUDED.qty <= $4::int`,
        [id, userId, qty, limit],
      )
      return rowCount === 1
    },
    async sell(id, qty, now) {
      const { rowCount } = await q.query(
        'UPDATE flash_sales SET sold = sold + $2 WHERE id = $1 AND sold + $2 <= stock AND starts_at <= $3 AND ends_at > $3',
        [id, qty, now],
      )
      return rowCount === 1
    },
    async release(orderId) {
      // The buyer's count, then the sale: the order in which placing an order takes them.
      const units = `SELECT o.flash_sale_id AS id, o.user_id, sum(i.qty)::int AS qty FROM orders o JOIN order_items i ON i.order_id = o.id
        WHERE o.id = $1 AND o.flash_sale_id IS NOT NULL GROUP BY o.flash_sale_id, o.user_id`
      await q.query(
        `UPDATE flash_sale_buyers b SET qty = b.qty - u.qty FROM (${units}) u WHERE b.flash_sale_id = u.id AND b.user_id = u.user_id`,
        [orderId],
      )
      await q.query(`UPDATE flash_sales f SET sold = f.sold - u.qty FROM (${units}) u WHERE f.id = u.id`, [orderId])
    },
  }
}
