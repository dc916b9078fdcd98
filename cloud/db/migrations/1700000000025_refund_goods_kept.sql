-- Up Migration

-- 仅退款: a refund whose goods stay with the buyer (their units were not put back). A fact of the
-- order, set by the same statement that refunds it; before, only the timeline's note said so.
ALTER TABLE orders ADD COLUMN refund_goods_kept boolean NOT NULL DEFAULT false;
UPDATE orders o SET refund_goods_kept = true
  WHERE o.status = 'refunded'
    AND EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.to_status = 'refunded'
                AND e.note LIKE '%仅退款，货品不退回库存');

-- Down Migration

ALTER TABLE orders DROP COLUMN refund_goods_kept;
