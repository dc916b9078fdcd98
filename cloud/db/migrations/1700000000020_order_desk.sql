-- Up Migration

-- The order desk: every status change of an order as a timeline, the merchant's reason for
-- rejecting a refund request, and the indexes the desk's list, search, auto-complete and 概览 use.

ALTER TABLE orders ADD COLUMN refund_reject_reason text;

-- One row per status change, written by the trigger below in the transaction that makes the change,
-- so no change can be missed whichever code path makes it. Append-only.
CREATE TABLE order_events (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id     text NOT NULL REFERENCES orders(id),
  at           timestamptz NOT NULL,
  from_status  text,
  to_status    text NOT NULL,
  actor_kind   text NOT NULL CHECK (actor_kind IN ('shopper', 'staff', 'system')),
  actor_id     text REFERENCES users(id),
  note         text
);
CREATE INDEX order_events_order_idx ON order_events (order_id, id);

-- Who made the change comes from transaction-local settings the db layer sets in the statement that
-- moves the status (set_config(..., true)): weshop.actor_kind / weshop.actor_id, and optionally
-- weshop.event_at (the service's clock) and weshop.event_note. Unset: the system (a notify, a job,
-- a hand-run statement), at now(), with the note the row itself explains (the carrier and waybill,
-- the cancel, refund or rejection reason). A new order is always its buyer's.
CREATE FUNCTION orders_log_event() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  kind  text := NULLIF(current_setting('weshop.actor_kind', true), '');
  actor text := NULLIF(current_setting('weshop.actor_id', true), '');
  at_s  text := NULLIF(current_setting('weshop.event_at', true), '');
  note  text := NULLIF(current_setting('weshop.event_note', true), '');
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO order_events (order_id, at, from_status, to_status, actor_kind, actor_id, note)
      VALUES (NEW.id, NEW.created_at, NULL, NEW.status, 'shopper', NEW.user_id, NULL);
    RETURN NULL;
  END IF;
  IF kind IS NULL OR kind NOT IN ('shopper', 'staff', 'system') THEN
    kind := 'system';
    actor := NULL;
  END IF;
  note := COALESCE(note, CASE
    WHEN NEW.status = 'shipped' THEN NEW.carrier || ' ' || NEW.tracking_no
    WHEN NEW.status = 'cancelled' THEN NEW.cancel_reason
    WHEN NEW.status = 'refund_requested' THEN NEW.refund_reason
    WHEN NEW.status = 'refunded' AND OLD.status <> 'refund_requested' THEN NEW.merchant_refund_reason
    WHEN OLD.status = 'refund_requested' AND NEW.status <> 'refunded' THEN NEW.refund_reject_reason
  END);
  INSERT INTO order_events (order_id, at, from_status, to_status, actor_kind, actor_id, note)
    VALUES (NEW.id, COALESCE(at_s::timestamptz, now()), OLD.status, NEW.status, kind, actor, note);
  RETURN NULL;
END $$;

CREATE TRIGGER orders_event_insert AFTER INSERT ON orders
  FOR EACH ROW EXECUTE FUNCTION orders_log_event();
CREATE TRIGGER orders_event_status AFTER UPDATE OF status ON orders
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION orders_log_event();

-- Existing orders get their story as far as their columns tell it: placed, paid, shipped, then
-- how they ended (completed, cancelled, refunded), each by whom it must have been.
INSERT INTO order_events (order_id, at, from_status, to_status, actor_kind, actor_id, note)
SELECT e.order_id, e.at, e.from_status, e.to_status, e.actor_kind, e.actor_id, e.note
FROM orders o CROSS JOIN LATERAL (VALUES
    (1, o.id, o.created_at, NULL, 'pending_payment', 'shopper', o.user_id, NULL),
    (2, o.id, o.paid_at, 'pending_payment', 'paid', 'system', NULL, NULL),
    (3, o.id, o.shipped_at, 'paid', 'shipped', 'staff', NULL, o.carrier || ' ' || o.tracking_no),
    (4, o.id, o.completed_at, 'shipped', 'completed', 'shopper', o.user_id, NULL),
    (5, o.id, o.cancelled_at, 'pending_payment', 'cancelled', CASE WHEN o.cancel_reason = '买家取消' THEN 'shopper' ELSE 'system' END,
       CASE WHEN o.cancel_reason = '买家取消' THEN o.user_id END, o.cancel_reason),
    (6, o.id, o.refunded_at, CASE WHEN o.merchant_refund_reason IS NULL THEN 'refund_requested'
       ELSE COALESCE(CASE WHEN o.completed_at IS NOT NULL THEN 'completed' WHEN o.shipped_at IS NOT NULL THEN 'shipped' END, 'paid') END,
       'refunded', 'staff', NULL, o.merchant_refund_reason)
  ) AS e(n, order_id, at, from_status, to_status, actor_kind, actor_id, note)
WHERE e.at IS NOT NULL
ORDER BY o.seq, e.n;

-- The desk's list: a tab newest first; search by order number prefix, receiver phone, buyer;
-- the date filter. Auto-complete: shipped orders by ship time. 概览: orders by payment time, and
-- each buyer's earlier payments (new customers).
CREATE INDEX orders_status_seq_idx ON orders (status, seq DESC);
CREATE INDEX orders_order_no_prefix_idx ON orders (order_no text_pattern_ops);
CREATE INDEX orders_phone_idx ON orders ((address ->> 'phone'));
CREATE INDEX orders_created_idx ON orders (created_at);
CREATE INDEX orders_shipped_idx ON orders (shipped_at) WHERE status = 'shipped';
CREATE INDEX orders_paid_at_idx ON orders (paid_at) WHERE paid_at IS NOT NULL;
CREATE INDEX orders_user_paid_idx ON orders (user_id, paid_at) WHERE paid_at IS NOT NULL;

-- Down Migration
DROP INDEX orders_user_paid_idx;
DROP INDEX orders_paid_at_idx;
DROP INDEX orders_shipped_idx;
DROP INDEX orders_created_idx;
DROP INDEX orders_phone_idx;
DROP INDEX orders_order_no_prefix_idx;
DROP INDEX orders_status_seq_idx;
DROP TRIGGER orders_event_status ON orders;
DROP TRIGGER orders_event_insert ON orders;
DROP FUNCTION orders_log_event();
DROP TABLE order_events;
ALTER TABLE orders DROP COLUMN refund_reject_reason;
