import type { AdminFlashRecord, FlashSaleRecord, FlashSaleRepo } from '../../core/flash/flash.ports'
import type { Queryable } from '../database'

/** The no-overlap exclusion constraint (migration 28) said no. */
const EXCLUSION_VIOLATION = '23P01'
const overlapOr = async <T>(work: () => Promise<T>): Promise<T | 'overlap'> => {
  try {
    return await work()
  } catch (err) {
    if ((err as { code?: string }).code === EXCLUSION_VIOLATION) return 'overlap'
    throw err
  }
}

/** A sale's state at $1 (the console's tabs): the merchant's end first, then the window, then the stock. */
const STATE = `CASE WHEN f.ended_at IS NOT NULL OR f.ends_at <= $1 THEN 'ended' WHEN f.starts_at > $1 THEN 'upcoming'
  WHEN f.sold >= f.stock THEN 'sold_out' ELSE 'active' END`

const FLASH_COLUMNS = `f.id, f.product_id AS "productId", f.sku_id AS "skuId", p.title, s.spec_text AS "specText",
    COALESCE(p.images[1], '') AS cover, f.sale_price_fen AS "salePriceFen", s.price_fen AS "priceFen", f.stock, f.sold,
    f.per_user_limit AS "perUserLimit", f.audience, f.starts_at AS "startsAt", f.ends_at AS "endsAt", f.ended_at AS "endedAt"`
const FLASH_FROM = 'flash_sales f JOIN products p ON p.id = f.product_id JOIN skus s ON s.id = f.sku_id'
const FLASH_SELECT = `SELECT ${FLASH_COLUMNS} FROM ${FLASH_FROM}`

/** A sale with what it sold: units and payable of its paid orders that are not refunded (one grouped join). */
const ADMIN_SELECT = `SELECT ${FLASH_COLUMNS}, f.seq::int AS seq, f.created_at AS "createdAt",
    COALESCE(x.units, 0) AS "paidUnits", COALESCE(x.gmv, 0) AS "gmvFen"
  FROM ${FLASH_FROM}
  LEFT JOIN LATERAL (
    SELECT sum(i.qty)::int AS units, sum(i.qty * i.unit_price_fen - i.discount_fen)::int AS gmv
    FROM orders o JOIN order_items i ON i.order_id = o.id
    WHERE o.flash_sale_id = f.id AND o.paid_at IS NOT NULL AND o.status NOT IN ('refunded', 'cancelled')
  ) x ON true`

export function flashRepo(q: Queryable): FlashSaleRepo {
  return {
    async create(f) {
      // A racing create of an overlapping window waits on the constraint's index, then is refused.
      return overlapOr(async () => {
        const { rows } = await q.query<{ id: string }>(
          `INSERT INTO flash_sales (product_id, sku_id, sale_price_fen, stock, per_user_limit, audience, starts_at, ends_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
          [f.productId, f.skuId, f.salePriceFen, f.stock, f.perUserLimit, f.audience, f.startsAt, f.endsAt],
        )
        return { id: rows[0]!.id }
      })
    },
    async getForUpdate(id) {
      const { rows } = await q.query<FlashSaleRecord>(`${FLASH_SELECT} WHERE f.id = $1 FOR UPDATE OF f`, [id])
      return rows[0] ?? null
    },
    async overlapping(skuId, startsAt, endsAt, exceptId) {
      const { rows } = await q.query<FlashSaleRecord>(
        `${FLASH_SELECT} WHERE f.sku_id = $1 AND f.ended_at IS NULL AND tstzrange(f.starts_at, f.ends_at) && tstzrange($2, $3)
           AND f.id IS DISTINCT FROM $4 ORDER BY f.starts_at LIMIT 1`,
        [skuId, startsAt, endsAt, exceptId],
      )
      return rows[0] ?? null
    },
    async update(id, e) {
      return overlapOr(async () => {
        await q.query(
          `UPDATE flash_sales SET sale_price_fen = COALESCE($2, sale_price_fen), stock = COALESCE($3, stock),
             per_user_limit = COALESCE($4, per_user_limit), audience = COALESCE($5, audience),
             starts_at = COALESCE($6, starts_at), ends_at = COALESCE($7, ends_at)
           WHERE id = $1`,
          [id, e.salePriceFen ?? null, e.stock ?? null, e.perUserLimit ?? null, e.audience ?? null, e.startsAt ?? null, e.endsAt ?? null],
        )
        return 'ok' as const
      })
    },
    async end(id, now) {
      await q.query(
        `UPDATE flash_sales SET ended_at = $2, ends_at = CASE WHEN starts_at < $2 AND ends_at > $2 THEN $2 ELSE ends_at END WHERE id = $1`,
        [id, now],
      )
    },
    async adminList(state, now, afterSeq, limit) {
      const { rows } = await q.query<AdminFlashRecord>(
        `${ADMIN_SELECT} WHERE ($2::text IS NULL OR ${STATE} = $2) AND ($3::bigint IS NULL OR f.seq < $3)
         ORDER BY f.seq DESC LIMIT $4`,
        [now, state, afterSeq, limit],
      )
      return rows
    },
    async adminOne(id) {
      const { rows } = await q.query<AdminFlashRecord>(`${ADMIN_SELECT} WHERE f.id = $1`, [id])
      return rows[0] ?? null
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
         WHERE f.ends_at > $1 AND f.ended_at IS NULL ORDER BY f.starts_at, f.seq LIMIT 50`,
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
        `UPDATE flash_sales SET sold = sold + $2
         WHERE id = $1 AND sold + $2 <= stock AND starts_at <= $3 AND ends_at > $3 AND ended_at IS NULL`,
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
