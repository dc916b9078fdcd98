import type { DashboardRepo, PaidTotals, SourceGroup } from '../../core/admin/dashboard.ports'
import type { Queryable } from '../database'

/** The orders paid in [$1, $2) (orders_paid_at_idx). */
const PAID_IN = `o.paid_at >= $1 AND o.paid_at < $2`
/** ...and not refunded since: what the net figures sum. */
const NET = `${PAID_IN} AND o.status <> 'refunded'`

export function dashboardRepo(q: Queryable): DashboardRepo {
  return {
    async totals(from, to) {
      const { rows } = await q.query<PaidTotals>(
        // Buyers grouped by hash (small: one row each), not count(DISTINCT) over every order (a sort).
        `WITH buyers AS MATERIALIZED (SELECT o.user_id FROM orders o WHERE ${NET} GROUP BY o.user_id)
         SELECT count(*)::int AS "paidAll",
           count(*) FILTER (WHERE o.status = 'refunded')::int AS "refundedOrders",
           COALESCE(sum(o.payable_fen) FILTER (WHERE o.status = 'refunded'), 0)::bigint AS "refundedFen",
           COALESCE(sum(o.payable_fen) FILTER (WHERE o.status <> 'refunded'), 0)::bigint AS "gmvFen",
           count(*) FILTER (WHERE o.status <> 'refunded')::int AS "paidOrders",
           (SELECT count(*) FROM buyers)::int AS "payingCustomers",
           -- One probe of orders_user_paid_idx per buyer: none of their paid, unrefunded orders before the range.
           (SELECT count(*) FROM buyers n
              WHERE NOT EXISTS (SELECT 1 FROM orders p WHERE p.user_id = n.user_id AND p.paid_at < $1 AND p.status <> 'refunded'))::int
             AS "newCustomers"
         FROM orders o WHERE ${PAID_IN}`,
        [from, to],
      )
      return rows[0]!
    },
    async trend(from, to, bucketMs) {
      const { rows } = await q.query<{ bucket: number; gmvFen: number; paidOrders: number }>(
        `SELECT floor(extract(epoch FROM o.paid_at - $1::timestamptz) * 1000 / $3)::int AS bucket,
           sum(o.payable_fen)::bigint AS "gmvFen", count(*)::int AS "paidOrders"
         FROM orders o WHERE ${NET} GROUP BY 1`,
        [from, to, bucketMs],
      )
      return rows
    },
    async sources(from, to) {
      const { rows } = await q.query<SourceGroup>(
        `SELECT o.kind = 'deal' AS deal, o.room_id IS NOT NULL AS live, o.sharer_id IS NOT NULL AS sharer,
           sum(o.payable_fen)::bigint AS "gmvFen", count(*)::int AS "paidOrders"
         FROM orders o WHERE ${NET} GROUP BY 1, 2, 3`,
        [from, to],
      )
      return rows
    },
    async topProducts(from, to, limit) {
      const { rows } = await q.query(
        `SELECT t.product_id AS "productId", p.title, COALESCE(p.images[1], '') AS cover, t.units, t.gmv AS "gmvFen"
         FROM (SELECT i.product_id, sum(i.qty)::int AS units, sum(i.unit_price_fen * i.qty - i.discount_fen)::bigint AS gmv
               FROM orders o JOIN order_items i ON i.order_id = o.id WHERE ${NET} GROUP BY i.product_id
               ORDER BY gmv DESC, units DESC, i.product_id LIMIT $3) t
           JOIN products p ON p.id = t.product_id
         ORDER BY t.gmv DESC, t.units DESC, t.product_id`,
        [from, to, limit],
      )
      return rows
    },
    async topSharers(from, to, limit) {
      const { rows } = await q.query(
        `SELECT t.sharer_id AS "userId", u.nickname, t.orders, t.gmv AS "gmvFen", t.commission AS "commissionFen"
         FROM (SELECT o.sharer_id, count(*)::int AS orders, sum(o.payable_fen)::bigint AS gmv,
                 COALESCE(sum((SELECT sum(l.amount_fen) FROM earnings_ledger l
                   WHERE l.order_id = o.id AND l.kind = 'commission' AND l.user_id = o.sharer_id)), 0)::bigint AS commission
               FROM orders o WHERE ${NET} AND o.sharer_id IS NOT NULL GROUP BY o.sharer_id
               ORDER BY gmv DESC, orders DESC, o.sharer_id LIMIT $3) t
           JOIN users u ON u.id = t.sharer_id
         ORDER BY t.gmv DESC, t.orders DESC, t.sharer_id`,
        [from, to, limit],
      )
      return rows
    },
  }
}
