import type { Banner, Category, ProductDetail, ProductSummary } from '../../contract'
import type { CatalogRepo } from '../../core/ports'
import type { Queryable } from '../database'

const SUMMARY_COLUMNS = `id, seq, title, price_fen AS "priceFen", list_price_fen AS "listPriceFen", stock,
  category_id AS "categoryId", COALESCE(images[1], '') AS cover`

export function catalogRepo(q: Queryable): CatalogRepo {
  return {
    async page({ beforeSeq, categoryId, limit }) {
      const { rows } = await q.query<ProductSummary & { seq: number }>(
        `SELECT ${SUMMARY_COLUMNS} FROM products
         WHERE on_sale AND ($1::bigint IS NULL OR seq < $1) AND ($2::text IS NULL OR category_id = $2)
         ORDER BY seq DESC LIMIT $3`,
        [beforeSeq, categoryId, limit],
      )
      return rows
    },
    async product(id) {
      const { rows } = await q.query<ProductDetail & { seq: number }>(
        `SELECT ${SUMMARY_COLUMNS}, subtitle, description, images FROM products WHERE id = $1 AND on_sale`,
        [id],
      )
      const row = rows[0]
      if (!row) return null
      const { seq: _seq, ...product } = row
      return product
    },
    async categories() {
      const { rows } = await q.query<Category>('SELECT id, name, icon FROM categories ORDER BY sort, id')
      return rows
    },
    async categoryExists(id) {
      const { rowCount } = await q.query('SELECT 1 FROM categories WHERE id = $1', [id])
      return rowCount === 1
    },
    async banners() {
      const { rows } = await q.query<Banner>(
        'SELECT id, title, image, product_id AS "productId" FROM banners ORDER BY sort, id',
      )
      return rows
    },
    async createProduct(p) {
      const { rows } = await q.query<{ id: string }>(
        `INSERT INTO products (title, subtitle, description, price_fen, list_price_fen, stock,
           commission_rate, category_id, images)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [p.title, p.subtitle, p.description, p.priceFen, p.listPriceFen, p.stock, p.commissionRate, p.categoryId, p.images],
      )
      return rows[0]!.id
    },
  }
}
