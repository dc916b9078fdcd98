import type { SharerRow } from '../../contract'
import type { SharerPosition, SharerRankQuery, SharerRepo } from '../../core/sharer/sharer.ports'
import type { Queryable } from '../database'

/**
 * The orders a ranking counts ($1 from, $2 to; null: no bound): attributed to a sharer (`sharer`: any,
 * or one), paid in the range and not refunded since (orders_sharer_paid_idx, index-only; one sharer's:
 * orders_sharer_user_paid_idx), per sharer, and the commission each earned its sharer, net of
 * reversals and clawbacks (settle_out / settle_in cancel out).
 */
const counted = (sharer: string) => `
  counted AS MATERIALIZED (
    SELECT o.id, o.sharer_id, o.user_id, o.payable_fen FROM orders o
    WHERE ${sharer} AND o.paid_at IS NOT NULL AND o.status <> 'refunded'
      AND ($1::timestamptz IS NULL OR o.paid_at >= $1) AND ($2::timestamptz IS NULL OR o.paid_at < $2)),
  per AS (
    SELECT c.sharer_id AS user_id, count(*)::int AS orders, sum(c.payable_fen)::bigint AS gmv, count(DISTINCT c.user_id)::int AS customers
    FROM counted c GROUP BY c.sharer_id),
  com AS (
    SELECT l.user_id, sum(l.amount_fen)::bigint AS commission
    FROM counted c JOIN earnings_ledger l ON l.order_id = c.id AND l.kind = 'commission' AND l.user_id = c.sharer_id
    GROUP BY l.user_id)`

const COLUMN: Record<keyof Omit<SharerPosition, 'userId'>, string> = { orders: 'r.orders', gmvFen: 'r.gmv', commissionFen: 'r.commission' }

export function sharerRepo(q: Queryable): SharerRepo {
  return {
    async rank(query: SharerRankQuery) {
      const keys = query.keys.map((k) => COLUMN[k])
      const after = query.after
      // Keyset paging over the aggregate: every key descending, then the id ascending (code points).
      const afterSql = `(${keys.map((k) => `-${k}`).join(', ')}, r.user_id COLLATE "C") > (${query.keys
        .map((_, i) => `-$${6 + i}::bigint`)
        .join(', ')}, $5::text COLLATE "C")`
      const { rows } = await q.query<SharerRow>(
        `WITH ${counted('o.sharer_id IS NOT NULL')}
         SELECT r.user_id AS "userId", r.nickname, r.staff_role AS "staffRole", r.orders, r.gmv AS "gmvFen",
           r.commission AS "commissionFen", r.customers
         FROM (SELECT p.user_id, u.nickname, p.orders, p.gmv, p.customers, COALESCE(m.commission, 0)::bigint AS commission,
                 CASE WHEN u.openid = ANY($3::text[]) THEN 'owner' ELSE st.role END AS staff_role
               FROM per p JOIN users u ON u.id = p.user_id
                 LEFT JOIN staff st ON st.user_id = p.user_id LEFT JOIN com m ON m.user_id = p.user_id) r
         WHERE (NOT $4::boolean OR r.staff_role IS NOT NULL)
           AND ($5::text IS NULL OR ${afterSql})
         ORDER BY ${keys.map((k) => `${k} DESC`).join(', ')}, r.user_id COLLATE "C"
         LIMIT $9`,
        [
          query.from,
          query.to,
          query.ownerOpenids,
          query.guidesOnly,
          after?.userId ?? null,
          ...query.keys.map((k) => (after ? after[k] : 0)),
          query.limit,
        ],
      )
      return rows
    },
    async figures(userId, query) {
      const { rows } = await q.query<SharerRow>(
        `WITH ${counted('o.sharer_id = $4')}
         SELECT u.id AS "userId", u.nickname, CASE WHEN u.openid = ANY($3::text[]) THEN 'owner' ELSE st.role END AS "staffRole",
           COALESCE(p.orders, 0)::int AS orders, COALESCE(p.gmv, 0)::bigint AS "gmvFen",
           COALESCE(m.commission, 0)::bigint AS "commissionFen", COALESCE(p.customers, 0)::int AS customers
         FROM users u LEFT JOIN staff st ON st.user_id = u.id LEFT JOIN per p ON p.user_id = u.id LEFT JOIN com m ON m.user_id = u.id
         WHERE u.id = $4`,
        [query.from, query.to, query.ownerOpenids, userId],
      )
      return rows[0] ?? null
    },
  }
}
