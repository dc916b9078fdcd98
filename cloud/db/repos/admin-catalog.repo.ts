import type { AdminProductDetail, AdminProductRow, Sku, StockChange } from '../../contract'
import { LOW_STOCK_LINE } from '../../core/admin/catalog.rules'
import type { AdminProductFilter, CatalogAdminRepo, MatrixSkuRecord } from '../../core/catalog/catalog.ports'
import type { Queryable } from '../database'

const UNIQUE_VIOLATION = '23505'
/** lock_timeout ran out. */
const LOCK_NOT_AVAILABLE = '55P03'

/**
 * The back office's filters ($1 q, $2 category, $3 on sale, $4 low stock only, $5 the low-stock
 * line) over `products p`: q matches a product id, or every word of it the folded title (as
 * catalog.search matches titles, through product_search and its grams).
 */
const FILTER_SQL = `($1::text IS NULL OR p.id = $1 OR EXISTS (
      SELECT 1 FROM product_search s WHERE s.product_id = p.id AND cardinality(search_query_grams($1)) > 0
        AND s.grams @> search_query_grams($1) AND s.title_fold LIKE ALL (search_patterns($1))))
   AND ($2::text IS NULL OR p.category_id = $2)
   AND ($3::boolean IS NULL OR p.on_sale = $3)
   AND (NOT $4::boolean OR EXISTS (SELECT 1 FROM skus k WHERE k.product_id = p.id AND k.retired_at IS NULL AND k.stock <= $5))`

const filterParams = (f: AdminProductFilter) => [f.q, f.categoryId, f.onSale, f.lowStock, LOW_STOCK_LINE]

interface ListRow extends Omit<AdminProductRow, 'status' | 'updatedAt'> {
  onSale: boolean
  updatedAt: Date
  seq: number
}

export function adminCatalogRepo(q: Queryable): CatalogAdminRepo {
  return {
    async adminList(f, after, limit) {
      const { rows } = await q.query<ListRow>(
        `SELECT p.id, p.seq, p.title, COALESCE(p.images[1], '') AS cover, p.on_sale AS "onSale", p.category_id AS "categoryId",
           c.name AS "categoryName", k.price_fen AS "priceFen", k.stock, k.sku_count AS "skuCount", p.sold_count AS "soldCount",
           k.low AS "lowStock", p.commission_rate AS "commissionRate", p.updated_at AS "updatedAt"
         FROM products p
         LEFT JOIN categories c ON c.id = p.category_id
         JOIN LATERAL (
           SELECT COALESCE(min(price_fen), 0)::int AS price_fen, COALESCE(sum(stock), 0)::int AS stock, count(*)::int AS sku_count,
             COALESCE(bool_or(stock <= $5), false) AS low
           FROM skus WHERE product_id = p.id AND retired_at IS NULL) k ON true
         WHERE ${FILTER_SQL}
           AND ($6::timestamptz IS NULL OR (p.updated_at, p.seq) < ($6, $7::bigint))
         ORDER BY p.updated_at DESC, p.seq DESC LIMIT $8`,
        [...filterParams(f), after?.updatedAt ?? null, after?.seq ?? null, limit],
      )
      return rows.map(({ onSale, updatedAt, ...r }) => ({ ...r, status: onSale ? 'on' : 'off', updatedAt: updatedAt.toISOString() }))
    },
    async adminCount(f) {
      const { rows } = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM products p WHERE ${FILTER_SQL}`, filterParams(f))
      return rows[0]!.n
    },
    async adminProduct(id) {
      const { rows } = await q.query<Omit<AdminProductDetail, 'skus' | 'retiredSkuIds' | 'status'> & { onSale: boolean }>(
        `SELECT c.id, c.title, c.price_fen AS "priceFen", c.list_price_fen AS "listPriceFen", c.stock, c.category_id AS "categoryId",
           COALESCE(c.images[1], '') AS cover, c.subtitle, c.description, c.images, c.spec_groups AS "specGroups",
           c.detail_images AS "detailImages", c.specs, c.sold_count AS "soldCount", c.on_sale AS "onSale",
           c.commission_rate AS "commissionRate"
         FROM product_cards c WHERE c.id = $1`,
        [id],
      )
      const row = rows[0]
      if (!row) return null
      const { rows: skus } = await q.query<Sku & { retired: boolean }>(
        `SELECT id, specs, spec_text AS "specText", price_fen AS "priceFen", list_price_fen AS "listPriceFen",
           member_price_fen AS "memberPriceFen", stock, retired_at IS NOT NULL AS retired
         FROM skus WHERE product_id = $1 ORDER BY retired_at IS NOT NULL, sort, id`,
        [id],
      )
      const { onSale, ...product } = row
      return {
        ...product,
        // A product whose SKUs are all retired can't happen (a matrix keeps one at least); 0 keeps the shape.
        priceFen: product.priceFen ?? 0,
        status: onSale ? 'on' : 'off',
        skus: skus.map(({ retired: _r, ...s }) => s),
        retiredSkuIds: skus.filter((s) => s.retired).map((s) => s.id),
      }
    },
    async lockProduct(ref, waitMs) {
      // FOR NO KEY UPDATE: it excludes the other staff writes on the product (and a refund's sold
      // count), never the key-share locks that inserting order lines or stock changes take on it.
      // Waited for `waitMs` at most (lock_timeout, for this statement only): a queue of staff writes
      // on one product never holds the pool's connections for long.
      await q.query(`SELECT set_config('lock_timeout', $1, true)`, [`${Math.max(1, Math.round(waitMs))}ms`])
      try {
        const { rowCount } = await q.query(
          `SELECT 1 FROM products WHERE id = COALESCE($1::text, (SELECT product_id FROM skus WHERE id = $2::text)) FOR NO KEY UPDATE`,
          ['productId' in ref ? ref.productId : null, 'skuId' in ref ? ref.skuId : null],
        )
        await q.query('SET LOCAL lock_timeout TO DEFAULT')
        return rowCount === 1 ? 'locked' : 'missing'
      } catch (err) {
        if ((err as { code?: string }).code === LOCK_NOT_AVAILABLE) return 'busy'
        throw err
      }
    },
    async matrixSkus(productId) {
      // Every SKU of the product locked, in id order as orders and cancels lock them.
      const { rows } = await q.query<MatrixSkuRecord>(
        `WITH locked AS (SELECT id, specs, stock, retired_at, sort FROM skus WHERE product_id = $1 ORDER BY id FOR NO KEY UPDATE)
         SELECT id, specs, stock, retired_at IS NOT NULL AS retired FROM locked ORDER BY sort, id`,
        [productId],
      )
      return rows
    },
    async writeMatrix({ productId, specGroups, skus, retire, actorId, newReason }) {
      await q.query(`UPDATE products SET spec_groups = $2, updated_at = date_trunc('milliseconds', now()) WHERE id = $1`, [
        productId,
        JSON.stringify(specGroups),
      ])
      // Retired first: a SKU taken out and another brought back never collide on anything.
      if (retire.length) {
        await q.query('UPDATE skus SET retired_at = now() WHERE product_id = $1 AND id = ANY($2) AND retired_at IS NULL', [
          productId,
          retire,
        ])
      }
      const kept = skus.filter((s) => s.id !== null)
      if (kept.length) {
        await q.query(
          `UPDATE skus s SET price_fen = k.price_fen, list_price_fen = k.list_price_fen, member_price_fen = k.member_price_fen,
             spec_text = k.spec_text, sort = k.sort, retired_at = NULL
           FROM jsonb_to_recordset($2::jsonb) AS k(id text, price_fen int, list_price_fen int, member_price_fen int, spec_text text, sort int)
           WHERE s.product_id = $1 AND s.id = k.id`,
          [
            productId,
            JSON.stringify(
              kept.map((s) => ({
                id: s.id,
                price_fen: s.priceFen,
                list_price_fen: s.listPriceFen,
                member_price_fen: s.memberPriceFen,
                spec_text: s.specText,
                sort: s.sort,
              })),
            ),
          ],
        )
      }
      const added = skus.filter((s) => s.id === null)
      if (added.length) {
        await q.query(
          `WITH added AS (
             INSERT INTO skus (product_id, specs, spec_text, price_fen, list_price_fen, member_price_fen, stock, sort)
             SELECT $1, n.specs, n.spec_text, n.price_fen, n.list_price_fen, n.member_price_fen, n.stock, n.sort
             FROM jsonb_to_recordset($2::jsonb) AS n(specs jsonb, spec_text text, price_fen int, list_price_fen int, member_price_fen int, stock int, sort int)
             RETURNING id, stock)
           INSERT INTO stock_changes (product_id, sku_id, delta, stock_after, reason, actor_id)
           SELECT $1, id, stock, stock, $3, $4 FROM added WHERE stock > 0`,
          [
            productId,
            JSON.stringify(
              added.map((s) => ({
                specs: s.specs,
                spec_text: s.specText,
                price_fen: s.priceFen,
                list_price_fen: s.listPriceFen,
                member_price_fen: s.memberPriceFen,
                stock: s.stock,
                sort: s.sort,
              })),
            ),
            newReason,
            actorId,
          ],
        )
      }
    },
    async adjustStock({ skuId, delta, max, reason, actorId }) {
      // One statement: the move happens only if it keeps the stock within bounds, and its record with it.
      // The product's stock around it: this SKU's (its row locked) plus its other offered SKUs' as read.
      const { rows } = await q.query<{ productId: string; stock: number; productAfter: number }>(
        `WITH moved AS (
           UPDATE skus SET stock = stock + $2 WHERE id = $1 AND stock + $2 BETWEEN 0 AND $3
           RETURNING id, product_id, stock, retired_at),
         logged AS (
           INSERT INTO stock_changes (product_id, sku_id, delta, stock_after, reason, actor_id)
           SELECT product_id, id, $2, stock, $4, $5 FROM moved)
         SELECT m.product_id AS "productId", m.stock,
           ((CASE WHEN m.retired_at IS NULL THEN m.stock ELSE 0 END) + COALESCE((SELECT sum(o.stock) FROM skus o
             WHERE o.product_id = m.product_id AND o.id <> m.id AND o.retired_at IS NULL), 0))::int AS "productAfter"
         FROM moved m`,
        [skuId, delta, max, reason, actorId],
      )
      const row = rows[0]
      if (row) return { ok: true, ...row, productBefore: row.productAfter - delta }
      const { rows: now } = await q.query<{ stock: number }>('SELECT stock FROM skus WHERE id = $1', [skuId])
      return now[0] ? { ok: false, stock: now[0].stock } : null
    },
    async recordOpeningStock(productId, actorId, reason) {
      await q.query(
        `INSERT INTO stock_changes (product_id, sku_id, delta, stock_after, reason, actor_id)
         SELECT product_id, id, stock, stock, $2, $3 FROM skus WHERE product_id = $1 AND stock > 0 ORDER BY sort, id`,
        [productId, reason, actorId],
      )
    },
    async stockChanges(productId, beforeId, limit) {
      const { rows } = await q.query<StockChange>(
        `SELECT c.id::text AS id, c.at, c.sku_id AS "skuId", k.spec_text AS "specText", c.delta, c.stock_after AS "stockAfter",
           c.reason, COALESCE(u.nickname, '系统') AS "actorName"
         FROM stock_changes c JOIN skus k ON k.id = c.sku_id LEFT JOIN users u ON u.id = c.actor_id
         WHERE c.product_id = $1 AND ($2::bigint IS NULL OR c.id < $2)
         ORDER BY c.id DESC LIMIT $3`,
        [productId, beforeId, limit],
      )
      return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }))
    },
    async productExists(id) {
      const { rowCount } = await q.query('SELECT 1 FROM products WHERE id = $1', [id])
      return rowCount === 1
    },
    async adminCategories() {
      const { rows } = await q.query<{ id: string; name: string; icon: string; productCount: number }>(
        `SELECT c.id, c.name, c.icon, (SELECT count(*)::int FROM products p WHERE p.category_id = c.id) AS "productCount"
         FROM categories c ORDER BY c.sort, c.id`,
      )
      return rows
    },
    async saveCategory({ id, name }) {
      try {
        if (id === null) {
          const { rows } = await q.query<{ id: string }>(
            `INSERT INTO categories (name, sort) SELECT $1, COALESCE(max(sort) + 1, 0) FROM categories RETURNING id`,
            [name],
          )
          return { id: rows[0]!.id }
        }
        const { rowCount } = await q.query('UPDATE categories SET name = $2 WHERE id = $1', [id, name])
        return rowCount === 1 ? { id } : null
      } catch (err) {
        // The name's unique index (migration 19) answers a race between two saves of one name too.
        if ((err as { code?: string }).code === UNIQUE_VIOLATION) return 'taken'
        throw err
      }
    },
    async claimRequestKey({ actorId, action, key, hash }) {
      // ON CONFLICT waits for a racing insert of the same key: after its commit the row is read below
      // (a new statement sees it); after its rollback this insert claims the key.
      const { rowCount } = await q.query(
        `INSERT INTO admin_request_keys (actor_id, action, idempotency_key, request_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING`,
        [actorId, action, key, hash],
      )
      if (rowCount === 1) return { claimed: true }
      const { rows } = await q.query<{ hash: string; result: unknown }>(
        `SELECT request_hash AS hash, result FROM admin_request_keys WHERE actor_id = $1 AND action = $2 AND idempotency_key = $3`,
        [actorId, action, key],
      )
      return { claimed: false, hash: rows[0]!.hash, result: rows[0]!.result }
    },
    async finishRequestKey({ actorId, action, key, result }) {
      await q.query(`UPDATE admin_request_keys SET result = $4 WHERE actor_id = $1 AND action = $2 AND idempotency_key = $3`, [
        actorId,
        action,
        key,
        JSON.stringify(result),
      ])
    },
  }
}
