import type { Carrier, GroupCampaignStatus, GroupStatus, OrderStatus } from '../../contract'
import type { SkuRecord } from '../../core/catalog/catalog.ports'
import type { KeyedOrder, OrderActor, OrderRecord, OrderRepo } from '../../core/order/order.ports'
import { batch, lastStatement, prepared, refusalOf, type Queryable } from '../database'
import { isoUtc } from '../sql'
import { SKU_SELECT } from './cart.repo'

const iso = (d: Date | null) => (d ? d.toISOString() : null)

export interface OrderRow {
  id: string
  order_no: string
  carrier: Carrier | null
  tracking_no: string | null
  shipped_at: Date | null
  user_id: string
  status: OrderStatus
  kind: OrderRecord['kind']
  play_ref: string | null
  goods_fen: number
  discount_fen: number
  coupon_fen: number
  points_used: number
  points_fen: number
  member_saving_fen: number
  payable_fen: number
  sharer_id: string | null
  room_id: string | null
  address: OrderRecord['address']
  note: string
  created_at: Date
  pay_deadline: Date
  paid_at: Date | null
  cancel_reason: string | null
  refund_reason: string | null
  refund_reject_reason: string | null
  user_coupon_id: string | null
  seq: number
  items: OrderRecord['items']
  /** Only where the select carries ORDER_REFUND. */
  refund?: OrderRecord['refund']
}

/** Order `o`'s lines as one JSON array, so a list of orders is one query. */
export const ORDER_ITEMS = `COALESCE((
    SELECT json_agg(json_build_object(
      'productId', i.product_id, 'skuId', i.sku_id, 'title', i.title, 'specText', i.spec_text, 'cover', i.cover,
      'unitPriceFen', i.unit_price_fen, 'qty', i.qty, 'lineFen', i.unit_price_fen * i.qty, 'discountFen', i.discount_fen) ORDER BY i.line)
    FROM order_items i WHERE i.order_id = o.id), '[]') AS items`

/**
 * How order `o` was refunded, as one JSON value (null unless refunded): the refund's amount (the
 * refunds row; the payable until the provider's refund is recorded, a moment after the status
 * changes), whether it was the merchant's own refund, the reason, and whether the stock went back
 * (`refund_goods_kept`: 仅退款, the goods stayed with the buyer).
 */
const ORDER_REFUND = `CASE WHEN o.status = 'refunded' THEN json_build_object(
    'amountFen', COALESCE((SELECT f.amount_fen FROM refunds f WHERE f.order_id = o.id), o.payable_fen),
    'refundedAt', ${isoUtc('o.refunded_at')},
    'byMerchant', o.merchant_refund_reason IS NOT NULL,
    'reason', COALESCE(o.merchant_refund_reason, o.refund_reason),
    'restocked', NOT o.refund_goods_kept) END AS refund`

const ORDER_SELECT = `SELECT o.*, ${ORDER_ITEMS}, ${ORDER_REFUND} FROM orders o`
const ORDER_BY_ID = `${ORDER_SELECT} WHERE o.id = $1`
/** The order and, for a group order only (the CASE reads no group for any other), its group's state: what order.pay judges. */
const ORDER_TO_PAY = `SELECT o.*, ${ORDER_ITEMS}, ${ORDER_REFUND},
    CASE WHEN o.kind = 'group' THEN (SELECT jsonb_build_object('status', g.status, 'expiresAt', g.expires_at,
      'campaign', jsonb_build_object('status', c.status, 'endsAt', c.ends_at))
      FROM groups g JOIN group_campaigns c ON c.id = g.campaign_id WHERE g.id = o.play_ref) END AS play_group
  FROM orders o WHERE o.id = $1`

export function toRecord(r: OrderRow): OrderRecord & { seq: number } {
  return {
    id: r.id,
    orderNo: r.order_no,
    userId: r.user_id,
    status: r.status,
    kind: r.kind,
    playRef: r.play_ref,
    goodsFen: r.goods_fen,
    discountFen: r.discount_fen,
    couponFen: r.coupon_fen,
    pointsUsed: r.points_used,
    pointsFen: r.points_fen,
    memberSavingFen: r.member_saving_fen,
    payableFen: r.payable_fen,
    sharerId: r.sharer_id,
    roomId: r.room_id,
    items: r.items,
    address: r.address,
    note: r.note,
    createdAt: iso(r.created_at)!,
    payDeadline: iso(r.pay_deadline)!,
    paidAt: iso(r.paid_at),
    cancelReason: r.cancel_reason,
    refundReason: r.refund_reason,
    refundRejectReason: r.refund_reject_reason,
    userCouponId: r.user_coupon_id,
    logistics:
      r.carrier && r.tracking_no && r.shipped_at ? { carrier: r.carrier, trackingNo: r.tracking_no, shippedAt: iso(r.shipped_at)! } : null,
    refund: r.refund ?? null,
    seq: r.seq,
  }
}

/**
 * The FROM of a status update that tells the timeline's trigger (migration 020) who makes the change:
 * transaction-local settings, set by the statement itself before any row of it is updated (the one-row
 * subquery is joined to each row; the AFTER trigger fires at the statement's end). Parameters from
 * `$n`: the actor's kind, id, the time and an optional note (see actorParams).
 */
const ACTOR_FROM = (n: number) =>
  `FROM (SELECT set_config('weshop.actor_kind', $${n}::text, true) AS s1, set_config('weshop.actor_id', COALESCE($${n + 1}::text, ''), true) AS s2,
     set_config('weshop.event_at', $${n + 2}::text, true) AS s3, set_config('weshop.event_note', COALESCE($${n + 3}::text, ''), true) AS s4) AS actor_settings`

const actorParams = (actor: OrderActor, at: Date, note: string | null) => [actor.kind, actor.userId, at.toISOString(), note]

export function orderRepo(q: Queryable): OrderRepo {
  const get = async (orderId: string) => {
    const { rows } = await q.query<OrderRow>({ ...prepared(ORDER_BY_ID), values: [orderId] })
    return rows[0] ? toRecord(rows[0]) : null
  }
  return {
    async skus(skuIds) {
      const { rows } = await q.query<SkuRecord>(`SELECT ${SKU_SELECT} WHERE s.id = ANY($1)`, [skuIds])
      return rows
    },
    async singleSkuOf(productIds) {
      if (productIds.length === 0) return new Map()
      const { rows } = await q.query<{ product_id: string; id: string }>(
        `SELECT product_id, min(id) AS id FROM skus WHERE product_id = ANY($1) AND retired_at IS NULL GROUP BY product_id HAVING count(*) = 1`,
        [productIds],
      )
      return new Map(rows.map((r) => [r.product_id, r.id]))
    },
    async lineSkus(skuIds, productIds) {
      const { rows } = await q.query<SkuRecord & { single: boolean }>({
        ...prepared(
          `WITH single AS (
           SELECT product_id, min(id) AS id FROM skus WHERE product_id = ANY($2::text[]) AND retired_at IS NULL
           GROUP BY product_id HAVING count(*) = 1)
         SELECT ${SKU_SELECT} LEFT JOIN single ON single.id = s.id
         WHERE s.id = ANY($1::text[]) OR single.id IS NOT NULL`.replace(
            'FROM skus s JOIN',
            ', single.id IS NOT NULL AS single FROM skus s JOIN',
          ),
        ),
        values: [skuIds, productIds],
      })
      return {
        skus: rows.map(({ single: _single, ...sku }) => sku),
        single: new Map(rows.filter((r) => r.single).map((r) => [r.productId, r.id])),
      }
    },
    async insert(o, items, charge) {
      // The order, its lines and its token in one statement: the lines and the token only when the
      // key was free (a racing copy of the call inserts nothing and pays nothing).
      const { rows } = await q.query<{ id: string; charged: boolean }>({
        ...prepared(`WITH o AS (
           INSERT INTO orders (user_id, status, idempotency_key, goods_fen, discount_fen, payable_fen, address, note,
             sharer_id, room_id, pay_deadline, user_coupon_id, flash_sale_id, kind, deal_campaign_id,
             play_ref, coupon_fen, points_used, points_fen, member_saving_fen)
           VALUES ($1, 'pending_payment', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $20, $21, $22, $23, $24)
           ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING id),
         lines AS (
           INSERT INTO order_items (order_id, line, sku_id, product_id, title, spec_text, cover, unit_price_fen, qty, discount_fen)
           SELECT o.id, i.line, i.sku_id, i.product_id, i.title, i.spec_text, i.cover, i.unit_price_fen, i.qty, i.discount_fen
           FROM o, jsonb_to_recordset($15::jsonb) AS i(line int, sku_id text, product_id text, title text, spec_text text,
             cover text, unit_price_fen int, qty int, discount_fen int))
         SELECT o.id, take_tokens($16, 1, $17, $18, $19) = 1 AS charged FROM o`),
        values: [
          o.userId,
          o.idempotencyKey,
          o.goodsFen,
          o.discountFen,
          o.payableFen,
          o.address ? JSON.stringify(o.address) : null,
          o.note,
          o.sharerId,
          o.roomId,
          o.payDeadline,
          o.userCouponId,
          o.flashSaleId,
          o.kind,
          o.dealCampaignId,
          JSON.stringify(
            items.map((i, line) => ({
              line,
              sku_id: i.skuId,
              product_id: i.productId,
              title: i.title,
              spec_text: i.specText,
              cover: i.cover,
              unit_price_fen: i.unitPriceFen,
              qty: i.qty,
              discount_fen: i.discountFen,
            })),
          ),
          charge.key,
          charge.rule.perSecond,
          charge.rule.burst,
          charge.at,
          o.playRef,
          o.couponFen,
          o.pointsUsed,
          o.pointsFen,
          o.memberSavingFen,
        ],
      })
      return rows[0] ?? null
    },
    async byKey(userId, key) {
      const { rows } = await q.query<KeyedOrder>(
        `SELECT o.id, o.kind, o.play_ref AS "playRef", o.points_used AS "pointsUsed", o.flash_sale_id AS "flashSaleId",
           o.user_coupon_id AS "userCouponId", o.address, o.note,
           COALESCE((SELECT json_agg(json_build_object('productId', i.product_id, 'skuId', i.sku_id, 'qty', i.qty))
             FROM order_items i WHERE i.order_id = o.id), '[]') AS items
         FROM orders o WHERE o.user_id = $1 AND o.idempotency_key = $2`,
        [userId, key],
      )
      return rows[0] ?? null
    },
    async takeStockLast(lines, shownBelow) {
      // One statement, the transaction's last (sent with COMMIT). Each SKU only while still on sale:
      // retired (saveSkus) or its product off the shelf since the order read it is not taken, the
      // SKU's row locked (a retire racing the order is seen once it commits). Several SKUs are
      // locked first in id order (as releaseStock locks them), so two orders sharing SKUs never wait
      // on each other in a circle; one SKU (the hot product's) is simply updated.
      // Each moved SKU's product stock after: its new stock (row locked) plus its product's other SKUs
      // on offer as this statement reads them (retired SKUs count in no product's stock), as bigint.
      // The rooms: those showing a moved product while low (before = after + qty, after, or the SKU's
      // own stock below `shownBelow`), locked in id order; a data-modifying WITH that the SELECT does
      // not read runs after it, so after every SKU is taken and only when none was refused.
      // A line not taken raises (refuse_if_null) with the SKU and whether it is still on sale now
      // (sku_on_sale_now, read after the row was free): nothing commits.
      const several = lines.length > 1
      const statement = {
        text: `WITH want AS (SELECT * FROM unnest($1::text[], $2::int[]) AS w(sku_id, qty)),
         ${several ? 'locked AS (SELECT s.id FROM skus s WHERE s.id IN (SELECT sku_id FROM want) ORDER BY s.id FOR NO KEY UPDATE),' : ''}
         moved AS (
           UPDATE skus s SET stock = s.stock - w.qty FROM want w ${several ? ', locked l' : ''}
           WHERE s.id = w.sku_id ${several ? 'AND l.id = s.id' : ''} AND s.stock >= w.qty AND s.retired_at IS NULL
             AND EXISTS (SELECT 1 FROM products p WHERE p.id = s.product_id AND p.on_sale)
           RETURNING s.id, s.product_id, w.qty, s.stock AS sku_after,
             (s.stock + COALESCE((SELECT sum(o.stock) FROM skus o
               WHERE o.product_id = s.product_id AND o.id <> s.id AND o.retired_at IS NULL), 0))::bigint AS after),
         shown AS (
           UPDATE live_rooms r SET version = r.version + 1 FROM (
             SELECT l.id FROM live_rooms l WHERE l.id IN (
               SELECT g.room_id FROM room_goods g JOIN moved m ON m.product_id = g.product_id
               WHERE m.after + m.qty < $3 OR m.after < $3 OR m.sku_after < $3)
             ORDER BY l.id FOR NO KEY UPDATE
           ) t WHERE r.id = t.id)
         SELECT refuse_if_null(m.id, CASE WHEN m.id IS NULL THEN json_build_object('skuId', w.sku_id,
           'reason', CASE WHEN sku_on_sale_now(w.sku_id) THEN 'short' ELSE 'off_sale' END)::text END) AS id
         FROM want w LEFT JOIN moved m ON m.id = w.sku_id`,
        values: [lines.map((l) => l.skuId), lines.map((l) => l.qty), shownBelow],
      }
      try {
        await lastStatement(q, { ...prepared(statement.text), values: statement.values })
        return null
      } catch (err) {
        const refusal = refusalOf(err)
        if (!refusal) throw err
        return JSON.parse(refusal) as { skuId: string; reason: 'off_sale' | 'short' }
      }
    },
    async releaseStock(orderId) {
      // The SKU rows are locked in id order, as placing an order takes them: a cancel and an order
      // sharing SKUs never wait on each other in a circle (a deadlock). A retired SKU takes its units
      // back but counts in no product's stock: each product's stock after is its SKUs on offer given
      // back (as updated) plus its other SKUs on offer as this statement reads them, summed as bigint;
      // a product whose given-back SKUs are all retired did not move. FOR NO KEY UPDATE, the lock the
      // UPDATE takes anyway: it never waits for the key-share lock an order's lines hold on their SKUs
      // from the order's first write (a FOR UPDATE would, while that order waits for this one's flash sale).
      const { rows } = await q.query<{ productId: string; after: number; added: number; lowestSku: number }>(
        `WITH locked AS (SELECT s.id FROM skus s JOIN order_items i ON i.sku_id = s.id WHERE i.order_id = $1 ORDER BY s.id FOR NO KEY UPDATE OF s),
         upd AS (
           UPDATE skus s SET stock = s.stock + i.qty FROM order_items i, locked l WHERE i.order_id = $1 AND s.id = i.sku_id AND l.id = s.id
           RETURNING s.id, s.product_id, s.stock, i.qty, s.retired_at IS NULL AS offered)
         SELECT u.product_id AS "productId", sum(u.qty) FILTER (WHERE u.offered)::int AS added,
           min(u.stock - u.qty) FILTER (WHERE u.offered)::int AS "lowestSku",
           (sum(u.stock) FILTER (WHERE u.offered) + COALESCE((SELECT sum(o.stock) FROM skus o
             WHERE o.product_id = u.product_id AND o.retired_at IS NULL AND o.id <> ALL(array_agg(u.id))), 0))::bigint AS after
         FROM upd u GROUP BY u.product_id HAVING bool_or(u.offered)`,
        [orderId],
      )
      return rows.map((r) => ({ productId: r.productId, before: r.after - r.added, after: r.after, lowestSku: r.lowestSku }))
    },
    get,
    async toPay(orderId) {
      const { rows } = await lastStatement<
        OrderRow & {
          play_group: { status: GroupStatus; expiresAt: string | null; campaign: { status: GroupCampaignStatus; endsAt: string } } | null
        }
      >(q, {
        ...prepared(ORDER_TO_PAY),
        values: [orderId],
      })
      const r = rows[0]
      if (!r) return null
      const g = r.play_group
      return {
        ...toRecord(r),
        group: g
          ? {
              status: g.status,
              expiresAt: g.expiresAt ? new Date(g.expiresAt) : null,
              campaign: { status: g.campaign.status, endsAt: new Date(g.campaign.endsAt) },
            }
          : null,
      }
    },
    async getLast(orderId) {
      const { rows } = await lastStatement<OrderRow>(q, { ...prepared(ORDER_BY_ID), values: [orderId] })
      return rows[0] ? toRecord(rows[0]) : null
    },
    async transition(orderId, from, to, at, opts) {
      // One static statement: the status, the time it was entered, and the reason where it has one,
      // and the order as it is then. Its FROM sets who makes the change for the timeline's trigger (see ACTOR_FROM).
      const { rows } = await q.query<OrderRow>({
        ...prepared(`WITH o AS (UPDATE orders SET status = $3::text,
           paid_at = CASE WHEN $3 = 'paid' THEN $4::timestamptz ELSE paid_at END,
           shipped_at = CASE WHEN $3 = 'shipped' THEN $4 ELSE shipped_at END,
           completed_at = CASE WHEN $3 = 'completed' THEN $4 ELSE completed_at END,
           cancelled_at = CASE WHEN $3 = 'cancelled' THEN $4 ELSE cancelled_at END,
           refunded_at = CASE WHEN $3 = 'refunded' THEN $4 ELSE refunded_at END,
           cancel_reason = CASE WHEN $3 = 'cancelled' THEN $5::text ELSE cancel_reason END,
           refund_reason = CASE WHEN $3 = 'refund_requested' THEN $5 ELSE refund_reason END,
           refund_reject_reason = CASE WHEN $3 = 'refund_requested' THEN NULL ELSE refund_reject_reason END,
           merchant_refund_reason = CASE WHEN $3 = 'refunded' AND $5 IS NOT NULL THEN $5 ELSE merchant_refund_reason END,
           status_before_refund = CASE WHEN $3 = 'refund_requested' THEN status ELSE status_before_refund END,
           carrier = CASE WHEN $3 = 'shipped' THEN $7::text ELSE carrier END,
           tracking_no = CASE WHEN $3 = 'shipped' THEN $8::text ELSE tracking_no END,
           refund_goods_kept = CASE WHEN $3 = 'refunded' THEN $9::boolean ELSE refund_goods_kept END
         ${ACTOR_FROM(10)}
         WHERE id = $1 AND status = ANY($2::text[]) AND ($6::text IS NULL OR user_id = $6)
           AND ($14::bigint IS NULL OR payable_fen = $14)
         RETURNING orders.*)
         SELECT o.*, ${ORDER_ITEMS}, ${ORDER_REFUND} FROM o`),
        values: [
          orderId,
          from,
          to,
          at,
          opts.reason ?? null,
          opts.userId ?? null,
          opts.logistics?.carrier ?? null,
          opts.logistics?.trackingNo ?? null,
          opts.goodsKept === true,
          ...actorParams(opts.actor, at, opts.note ?? null),
          opts.payableFen ?? null,
        ],
      })
      // The order as changed, read in the same statement.
      return rows[0] ? toRecord(rows[0]) : null
    },
    async restoreAfterRefundRequest(orderId, at, actor, reason) {
      const { rowCount } = await q.query(
        `UPDATE orders SET status = status_before_refund, status_before_refund = NULL, refund_reject_reason = $2::text
         ${ACTOR_FROM(3)}
         WHERE id = $1 AND status = 'refund_requested'`,
        [orderId, reason, ...actorParams(actor, at, null)],
      )
      return rowCount === 1 ? get(orderId) : null
    },
    async autoComplete(shippedBefore, at, limit, note) {
      // The candidates are locked as they are picked (SKIP LOCKED: a shopper's 确认收货 or refund
      // request in flight keeps its row, for the next run); the update checks the status again.
      const { rows } = await q.query<{ id: string }>(
        `UPDATE orders o SET status = 'completed', completed_at = $2::timestamptz
         ${ACTOR_FROM(4)}
         WHERE o.id IN (SELECT id FROM orders WHERE status = 'shipped' AND shipped_at <= $1
                        ORDER BY shipped_at LIMIT $3 FOR UPDATE SKIP LOCKED)
           AND o.status = 'shipped'
         RETURNING o.id`,
        [shippedBefore, at, limit, ...actorParams({ kind: 'system', userId: null }, at, note)],
      )
      return rows.map((r) => r.id)
    },
    async list(userId, statuses, beforeSeq, limit) {
      const { rows } = await q.query<OrderRow>(
        `${ORDER_SELECT} WHERE o.user_id = $1 AND ($2::text[] IS NULL OR o.status = ANY($2))
           AND ($3::bigint IS NULL OR o.seq < $3)
         ORDER BY o.seq DESC LIMIT $4`,
        [userId, statuses, beforeSeq, limit],
      )
      return rows.map(toRecord)
    },
    async counts(userId) {
      const { rows } = await q.query<{ status: OrderStatus; n: number }>(
        'SELECT status, count(*)::int AS n FROM orders WHERE user_id = $1 GROUP BY status',
        [userId],
      )
      const counts = { pending_payment: 0, paid: 0, shipped: 0, completed: 0, cancelled: 0, refund_requested: 0, refunded: 0 }
      for (const r of rows) counts[r.status] = r.n
      return counts
    },
    async pendingCountLocked(userId) {
      // Two statements in one round trip: the count runs after the lock, with a snapshot of its own
      // (it sees an order of this user that committed while this one waited for the row).
      const [, counted] = await batch(q, [
        { ...prepared('SELECT 1 FROM users WHERE id = $1 FOR UPDATE'), values: [userId] },
        { ...prepared(`SELECT count(*)::int AS n FROM orders WHERE user_id = $1 AND status = 'pending_payment'`), values: [userId] },
      ])
      return (counted!.rows[0] as { n: number }).n
    },
    async expiredIds(now, limit) {
      const { rows } = await q.query<{ id: string }>(
        `SELECT id FROM orders WHERE status = 'pending_payment' AND pay_deadline <= $1 ORDER BY pay_deadline LIMIT $2`,
        [now, limit],
      )
      return rows.map((r) => r.id)
    },
  }
}
