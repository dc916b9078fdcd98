/**
 * A shop with `count` orders inserted straight in SQL, for 概览 and the order desk at volume: 8
 * products, 5,000 buyers and 50 sharers; orders spread over 40 days (a minute grid) in every status,
 * deal / live / sharer / mall mixed so that source precedence matters, one or two lines each, and
 * commissions accrued, settled and reversed as the real flows would leave them. Orders are marked by
 * their idempotency key `dash-order-N`. The dashboard test and the back-office bench share it.
 */
import { createProduct, sql } from './mall'
import type { Stack } from './stack'

export async function seedOrderVolume(stack: Stack, admin: string, count: number): Promise<void> {
  const products = await Promise.all(
    Array.from({ length: 8 }, (_, i) => createProduct(stack, admin, { title: `商品${i}`, priceFen: 100 + i, stock: 10 })),
  )
  const skus: Array<{ id: string; product_id: string }> = await sql(stack, 'SELECT id, product_id FROM skus WHERE product_id = ANY($1)', [
    products,
  ])
  const skuOf = products.map((p) => skus.find((s) => s.product_id === p)!.id)
  await sql(
    stack,
    `INSERT INTO users (id, openid, nickname)
     SELECT 'u_dash' || g, 'dash-' || g, '买家' || g FROM generate_series(1, 5050) g`,
  )
  // Users 1-50 share; buyers are 51-5050. Orders spread over 40 days (a minute grid), every status,
  // deal / live / sharer / mall mixed so that the precedence matters (a deal order with a room and a sharer…).
  await sql(
    stack,
    `INSERT INTO orders (user_id, status, idempotency_key, goods_fen, discount_fen, coupon_fen, payable_fen, sharer_id, room_id, kind,
       play_ref, created_at, pay_deadline, paid_at, shipped_at, carrier, tracking_no, refunded_at)
     SELECT 'u_dash' || (51 + (g * 7) % 5000), s.status, 'dash-order-' || g,
       p.payable + p.discount, p.discount, p.discount, p.payable,
       CASE WHEN g % 3 = 0 THEN 'u_dash' || (1 + g % 50) END,
       CASE WHEN g % 5 = 0 THEN 'r_dash' END,
       CASE WHEN g % 11 = 0 THEN 'deal' ELSE 'normal' END,
       CASE WHEN g % 11 = 0 THEN 'dc_dash' END,
       c.at, c.at + interval '15 minutes',
       CASE WHEN s.status NOT IN ('pending_payment', 'cancelled') THEN c.at + interval '3 minutes' END,
       CASE WHEN s.status IN ('shipped', 'completed') THEN c.at + interval '1 day' END,
       CASE WHEN s.status IN ('shipped', 'completed') THEN '顺丰速运' END,
       CASE WHEN s.status IN ('shipped', 'completed') THEN 'SF' || lpad(g::text, 10, '0') END,
       CASE WHEN s.status = 'refunded' THEN c.at + interval '2 days' END
     FROM generate_series(1, $1::int) g
     CROSS JOIN LATERAL (SELECT now() - interval '10 minutes' - ((g * 7919) % (40 * 24 * 60)) * interval '1 minute' AS at) c
     CROSS JOIN LATERAL (SELECT 100 + (g * 37) % 50000 AS payable, CASE WHEN g % 7 = 0 THEN 500 ELSE 0 END AS discount) p
     CROSS JOIN LATERAL (SELECT CASE g % 20
       WHEN 0 THEN 'pending_payment' WHEN 1 THEN 'cancelled' WHEN 2 THEN 'refunded' WHEN 3 THEN 'refunded'
       WHEN 4 THEN 'refund_requested' WHEN 5 THEN 'shipped' WHEN 6 THEN 'shipped' WHEN 7 THEN 'completed'
       WHEN 8 THEN 'completed' WHEN 9 THEN 'completed' ELSE 'paid' END AS status) s`,
    [count],
  )
  // One line each, a second on every fourth order; each line's amount less its share of the discount.
  await sql(
    stack,
    `INSERT INTO order_items (order_id, line, sku_id, product_id, title, spec_text, cover, unit_price_fen, qty, discount_fen)
     SELECT o.id, 0, k.sku, k.product, 'x', '', '', o.goods_fen, 1, o.discount_fen
     FROM orders o CROSS JOIN LATERAL (SELECT ($1::text[])[1 + o.seq % 8] AS sku, ($2::text[])[1 + o.seq % 8] AS product) k
     WHERE o.idempotency_key LIKE 'dash-order-%'`,
    [skuOf, products],
  )
  await sql(
    stack,
    `INSERT INTO order_items (order_id, line, sku_id, product_id, title, spec_text, cover, unit_price_fen, qty, discount_fen)
     SELECT o.id, 1, k.sku, k.product, 'y', '', '', 300, 1 + o.seq % 3, 0
     FROM orders o CROSS JOIN LATERAL (SELECT ($1::text[])[1 + (o.seq * 3) % 8] AS sku, ($2::text[])[1 + (o.seq * 3) % 8] AS product) k
     WHERE o.idempotency_key LIKE 'dash-order-%' AND o.seq % 4 = 0`,
    [skuOf, products],
  )
  // Commissions: accrued on paid sharer orders, settled on some, reversed on the refunded ones.
  await sql(
    stack,
    `INSERT INTO earnings_ledger (user_id, order_id, kind, entry, bucket, amount_fen)
     SELECT o.sharer_id, o.id, 'commission', e.entry, e.bucket, e.sign * (o.payable_fen / 10)
     FROM orders o CROSS JOIN (VALUES ('accrue', 'pending', 1), ('settle_out', 'pending', -1), ('settle_in', 'settled', 1),
       ('reverse', 'pending', -1)) e(entry, bucket, sign)
     WHERE o.idempotency_key LIKE 'dash-order-%' AND o.sharer_id IS NOT NULL AND o.paid_at IS NOT NULL
       AND (e.entry = 'accrue' OR (e.entry LIKE 'settle%' AND o.status = 'completed') OR (e.entry = 'reverse' AND o.status = 'refunded'))`,
  )
}
