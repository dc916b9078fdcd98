import type { Banner, Category, ProductDetail, ProductSummary, Sku } from '../../contract'
import type { CatalogRepo } from '../../core/catalog/catalog.ports'
import type { Queryable } from '../database'
import { adminCatalogRepo } from './admin-catalog.repo'

// product_cards: each product with its cheapest SKU's price and its total stock (migration 2).
const SUMMARY_COLUMNS = `id, seq, title, price_fen AS "priceFen", list_price_fen AS "listPriceFen", stock,
  category_id AS "categoryId", COALESCE(images[1], '') AS cover,
  (SELECT min(k.member_price_fen) FROM skus k WHERE k.product_id = product_cards.id AND k.retired_at IS NULL) AS "memberPriceFen"`

export const specText = (groups: Array<{ name: string }>, specs: Record<string, string>): string =>
  groups
    .map((g) => specs[g.name])
    .filter(Boolean)
    .join(' / ')

/**
 * catalog.search's query ($1 the text, $2/$3 the cursor's title hit and seq, $4 the limit). The
 * query's grams and LIKE patterns are constants once planned (immutable functions of $1). Title
 * hits, then the other hits, each newest first: two branches, so that each can either narrow the
 * rows by the GIN index on the grams (a rare query) or walk the newest-first index until its page
 * is full (a query most products match). Every folded word of the query must appear in the folded
 * text with its spaces removed (title_fold, doc_fold; migration 15), so 龙井特级 finds "明前龙井 特级"
 * (LIKE: folding leaves no wildcard in a word). A query of punctuation only finds nothing.
 */
export const SEARCH_SQL = `(SELECT s.product_id AS id, s.seq, true AS "inTitle" FROM product_search s
     WHERE s.on_sale AND cardinality(search_query_grams($1)) > 0 AND s.grams @> search_query_grams($1)
       AND s.title_fold LIKE ALL (search_patterns($1))
       AND ($2::int IS NULL OR ($2::int = 1 AND s.seq < $3::bigint))
     ORDER BY s.seq DESC LIMIT $4)
   UNION ALL
   (SELECT s.product_id, s.seq, false FROM product_search s
     WHERE s.on_sale AND cardinality(search_query_grams($1)) > 0 AND s.grams @> search_query_grams($1)
       AND s.doc_fold LIKE ALL (search_patterns($1)) AND NOT s.title_fold LIKE ALL (search_patterns($1))
       AND ($2::int IS NULL OR $2::int = 1 OR s.seq < $3::bigint)
     ORDER BY s.seq DESC LIMIT $4)
   ORDER BY "inTitle" DESC, seq DESC LIMIT $4`

export function catalogRepo(q: Queryable): CatalogRepo {
  return {
    ...adminCatalogRepo(q),
    async page({ beforeSeq, categoryId, limit }) {
      const { rows } = await q.query<ProductSummary & { seq: number }>(
        `SELECT ${SUMMARY_COLUMNS} FROM product_cards
         WHERE on_sale AND ($1::bigint IS NULL OR seq < $1) AND ($2::text IS NULL OR category_id = $2)
         ORDER BY seq DESC LIMIT $3`,
        [beforeSeq, categoryId, limit],
      )
      return rows
    },
    async search({ q: text, after, limit }) {
      const { rows } = await q.query<{ id: string; seq: string; inTitle: boolean }>(SEARCH_SQL, [
        text,
        after ? Number(after.inTitle) : null,
        after?.seq ?? null,
        limit,
      ])
      return rows.map((r) => ({ id: r.id, seq: Number(r.seq), inTitle: r.inTitle }))
    },
    async product(id) {
      // product_cards lists the products columns of its creation (migration 2): later ones come from products.
      const { rows } = await q.query<Omit<ProductDetail, 'skus'> & { seq: number }>(
        `SELECT c.*, p.detail_images AS "detailImages", p.specs, p.sold_count AS "soldCount"
         FROM (SELECT ${SUMMARY_COLUMNS}, subtitle, description, images, spec_groups AS "specGroups"
               FROM product_cards WHERE id = $1 AND on_sale) c
         JOIN products p ON p.id = c.id`,
        [id],
      )
      const row = rows[0]
      if (!row) return null
      const { rows: skus } = await q.query<Sku>(
        `SELECT id, specs, spec_text AS "specText", price_fen AS "priceFen", list_price_fen AS "listPriceFen",
           member_price_fen AS "memberPriceFen", stock
         FROM skus WHERE product_id = $1 AND retired_at IS NULL ORDER BY sort, id`,
        [id],
      )
      const { seq: _seq, ...product } = row
      return { ...product, skus }
    },
    async summaries(ids) {
      if (ids.length === 0) return []
      const { rows } = await q.query<ProductSummary & { seq: number }>(
        `SELECT ${SUMMARY_COLUMNS} FROM product_cards WHERE on_sale AND id = ANY($1)`,
        [ids],
      )
      const byId = new Map(rows.map(({ seq: _seq, ...p }) => [p.id, p]))
      return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []))
    },
    async latestDealCampaign() {
      const { rows } = await q.query<{ id: string }>('SELECT id FROM deal_campaigns ORDER BY created_at DESC, id LIMIT 1')
      return rows[0]?.id ?? null
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
      const { rows } = await q.query<Banner>('SELECT id, title, image, product_id AS "productId" FROM banners ORDER BY sort, id')
      return rows
    },
    async createProduct(p) {
      const { rows } = await q.query<{ id: string }>(
        `INSERT INTO products (title, subtitle, description, commission_rate, category_id, images, spec_groups, detail_images, specs, on_sale)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [
          p.title,
          p.subtitle,
          p.description,
          p.commissionRate,
          p.categoryId,
          p.images,
          JSON.stringify(p.specGroups),
          p.detailImages,
          JSON.stringify(p.specs),
          p.onSale ?? true,
        ],
      )
      const id = rows[0]!.id
      await q.query(
        `INSERT INTO skus (product_id, specs, spec_text, price_fen, list_price_fen, member_price_fen, stock, sort)
         SELECT $1, s.specs, s.spec_text, s.price_fen, s.list_price_fen, s.member_price_fen, s.stock, s.sort
         FROM jsonb_to_recordset($2::jsonb) AS s(specs jsonb, spec_text text, price_fen int, list_price_fen int, member_price_fen int, stock int, sort int)`,
        [
          id,
          JSON.stringify(
            p.skus.map((s, sort) => ({
              specs: s.specs,
              spec_text: specText(p.specGroups, s.specs),
              price_fen: s.priceFen,
              list_price_fen: s.listPriceFen ?? null,
              member_price_fen: s.memberPriceFen ?? null,
              stock: s.stock,
              sort,
            })),
          ),
        ],
      )
      return id
    },
    async updateProduct(id, f) {
      const { rowCount } = await q.query(
        `UPDATE products SET
           title = COALESCE($2, title),
           subtitle = COALESCE($3, subtitle),
           description = COALESCE($4, description),
           commission_rate = COALESCE($5, commission_rate),
           category_id = CASE WHEN $6 THEN $7 ELSE category_id END,
           images = COALESCE($8::text[], images),
           detail_images = COALESCE($9::text[], detail_images),
           specs = COALESCE($10::jsonb, specs),
           on_sale = COALESCE($11::boolean, on_sale),
           updated_at = date_trunc('milliseconds', now())
         WHERE id = $1`,
        [
          id,
          f.title ?? null,
          f.subtitle ?? null,
          f.description ?? null,
          f.commissionRate ?? null,
          f.categoryId !== undefined,
          f.categoryId ?? null,
          f.images ?? null,
          f.detailImages ?? null,
          f.specs === undefined ? null : JSON.stringify(f.specs),
          f.onSale ?? null,
        ],
      )
      return rowCount === 1
    },
  }
}
