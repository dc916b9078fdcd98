import type { OrderStatus } from '../../contract'
import type { DeskFilter, DeskOrder, DeskOrderFacts, DeskRepo } from '../../core/order/desk.ports'
import type { Queryable } from '../database'
import { isoUtc } from '../sql'
import { ORDER_ITEMS, toRecord, type OrderRow } from './order.repo'

const DESK_SELECT = `SELECT o.*, u.nickname AS buyer_nickname, ${ORDER_ITEMS} FROM orders o JOIN users u ON u.id = o.user_id`

/**
 * The filter as SQL over order `o`, its parameters from `$n` on. Each search term is its own indexed
 * arm (order_no text_pattern_ops, the phone's expression index, orders by user for the buyers whose
 * nickname matches), so PostgreSQL can OR their bitmaps instead of scanning every order. Unnamed
 * statements are planned with their values, so the NULL checks fold away.
 */
function where(f: DeskFilter, n: number, withStatus: boolean): { sql: string; params: unknown[] } {
  const p = (i: number) => `$${n + i}`
  const sql = `(${p(0)}::text[] IS NULL OR o.status = ANY(${p(0)}::text[]))
    AND (${p(3)}::text IS NULL OR (
      (${p(1)}::text IS NOT NULL AND o.order_no LIKE ${p(1)}::text)
      OR (${p(2)}::text IS NOT NULL AND (o.address ->> 'phone') = ${p(2)}::text)
      OR o.user_id = ANY(ARRAY(SELECT b.id FROM users b WHERE strpos(lower(b.nickname), lower(${p(3)}::text)) > 0))))
    AND (${p(4)}::timestamptz IS NULL OR o.created_at >= ${p(4)}::timestamptz)
    AND (${p(5)}::timestamptz IS NULL OR o.created_at < ${p(5)}::timestamptz)`
  return {
    sql,
    params: [
      withStatus ? f.statuses : null,
      f.search?.orderNoPrefix ? `${f.search.orderNoPrefix}%` : null,
      f.search?.phone ?? null,
      f.search?.nickname ?? null,
      f.from,
      f.to,
    ],
  }
}

const toDesk = (r: OrderRow & { buyer_nickname: string }): DeskOrder => ({ ...toRecord(r), buyerNickname: r.buyer_nickname })

export function deskRepo(q: Queryable): DeskRepo {
  return {
    async list(filter, beforeSeq, limit) {
      const w = where(filter, 3, true)
      const { rows } = await q.query<OrderRow & { buyer_nickname: string }>(
        `${DESK_SELECT} WHERE ($1::bigint IS NULL OR o.seq < $1) AND ${w.sql} ORDER BY o.seq DESC LIMIT $2`,
        [beforeSeq, limit, ...w.params],
      )
      return rows.map(toDesk)
    },
    async counts(filter) {
      const w = where(filter, 1, false)
      const { rows } = await q.query<{ status: OrderStatus; n: number }>(
        `SELECT o.status, count(*)::int AS n FROM orders o WHERE ${w.sql} GROUP BY o.status`,
        w.params,
      )
      const counts = { pending_payment: 0, paid: 0, shipped: 0, completed: 0, cancelled: 0, refund_requested: 0, refunded: 0 }
      for (const r of rows) counts[r.status] = r.n
      return counts
    },
    async get(orderId) {
      const { rows } = await q.query<OrderRow & { buyer_nickname: string }>(`${DESK_SELECT} WHERE o.id = $1`, [orderId])
      return rows[0] ? toDesk(rows[0]) : null
    },
    async many(orderIds) {
      if (orderIds.length === 0) return []
      const { rows } = await q.query<OrderRow & { buyer_nickname: string }>(`${DESK_SELECT} WHERE o.id = ANY($1::text[])`, [orderIds])
      const byId = new Map(rows.map((r) => [r.id, toDesk(r)]))
      return orderIds.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []))
    },
    async facts(orderId) {
      const { rows } = await q.query<Omit<DeskOrderFacts, 'timeline'>>(
        `SELECT
           (SELECT json_build_object('provider', p.provider, 'transactionId', p.transaction_id, 'amountFen', p.amount_fen,
              'paidAt', ${isoUtc('p.paid_at')}) FROM payments p WHERE p.order_id = o.id) AS payment,
           (SELECT c.title FROM user_coupons uc JOIN coupons c ON c.id = uc.coupon_id WHERE uc.id = o.user_coupon_id) AS "couponTitle",
           (SELECT s.nickname FROM users s WHERE s.id = o.sharer_id) AS "sharerNickname",
           COALESCE((SELECT sum(l.amount_fen) FROM earnings_ledger l
             WHERE l.order_id = o.id AND l.kind = 'commission' AND l.user_id = o.sharer_id), 0)::int AS "sharerCommissionFen",
           (SELECT r.title FROM live_rooms r WHERE r.id = o.room_id) AS "roomTitle",
           o.deal_campaign_id AS "dealCampaignId",
           o.merchant_refund_reason AS "merchantRefundReason",
           ${isoUtc('o.refunded_at')} AS "refundedAt",
           COALESCE((SELECT sum(f.amount_fen) FROM refunds f JOIN payments p ON p.transaction_id = f.transaction_id
             WHERE f.order_id = o.id AND p.order_id = o.id AND o.status = 'refunded'), 0)::int AS "refundedFen"
         FROM orders o WHERE o.id = $1`,
        [orderId],
      )
      const { rows: timeline } = await q.query<DeskOrderFacts['timeline'][number]>(
        `SELECT ${isoUtc('e.at')} AS at, e.from_status AS "from", e.to_status AS "to", e.actor_kind AS actor,
           u.nickname AS "actorName", e.note
         FROM order_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.order_id = $1 ORDER BY e.id`,
        [orderId],
      )
      return { ...rows[0]!, timeline }
    },
    async idsByOrderNo(orderNos) {
      if (orderNos.length === 0) return new Map()
      const { rows } = await q.query<{ order_no: string; id: string }>('SELECT order_no, id FROM orders WHERE order_no = ANY($1::text[])', [
        orderNos,
      ])
      return new Map(rows.map((r) => [r.order_no, r.id]))
    },
  }
}
