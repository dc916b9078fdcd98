-- Up Migration

-- Customers by RFM (docs/rules.md, Customers). One row per user, kept by the database as orders are
-- paid and refunded: paid orders not refunded, what they paid (payable of those orders), and when the
-- last of them was paid. The segments are computed at query time from these rows and the shop's
-- averages over them, so nothing shop-wide is locked: an order touches only its buyer's row.
CREATE TABLE customer_stats (
  user_id       text PRIMARY KEY REFERENCES users(id),
  orders        integer NOT NULL DEFAULT 0 CHECK (orders >= 0),
  spent_fen     bigint NOT NULL DEFAULT 0 CHECK (spent_fen >= 0),
  last_paid_at  timestamptz,
  joined_at     timestamptz NOT NULL
);
-- The member list's sorts (keyset paging: the sort key, then the user id).
CREATE INDEX customer_stats_recent_idx ON customer_stats ((COALESCE(last_paid_at, '-infinity'::timestamptz)) DESC, user_id DESC);
CREATE INDEX customer_stats_spent_idx ON customer_stats (spent_fen DESC, user_id DESC);
CREATE INDEX customer_stats_orders_idx ON customer_stats (orders DESC, user_id DESC);
CREATE INDEX customer_stats_joined_idx ON customer_stats (joined_at DESC, user_id DESC);
-- The member search by phone digits: the start of a phone, or its end (尾号), both indexed.
CREATE INDEX addresses_phone_prefix_idx ON addresses (phone text_pattern_ops);
CREATE INDEX addresses_phone_suffix_idx ON addresses (reverse(phone) text_pattern_ops);

-- Whether an order counts for RFM: paid and not refunded (nor cancelled after a late payment).
CREATE FUNCTION order_counts_for_rfm(paid_at timestamptz, status text) RETURNS boolean
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT paid_at IS NOT NULL AND status IN ('paid', 'shipped', 'completed', 'refund_requested') $$;

CREATE FUNCTION users_add_customer_stats() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_stats (user_id, joined_at) VALUES (NEW.id, NEW.created_at) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER users_customer_stats AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION users_add_customer_stats();

-- An order entering or leaving the counted set moves its buyer's row by one order and its payable.
-- The delta is applied under the row's lock (concurrent orders of one buyer queue on it); when an
-- order leaves, the last paid time is then read again in a new statement, which sees whatever the
-- transactions that held the lock before committed.
CREATE FUNCTION orders_customer_stats() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  was boolean := TG_OP = 'UPDATE' AND order_counts_for_rfm(OLD.paid_at, OLD.status);
  now_counts boolean := order_counts_for_rfm(NEW.paid_at, NEW.status);
BEGIN
  IF was = now_counts THEN
    IF now_counts AND OLD.payable_fen <> NEW.payable_fen THEN
      UPDATE customer_stats SET spent_fen = spent_fen - OLD.payable_fen + NEW.payable_fen WHERE user_id = NEW.user_id;
    END IF;
    RETURN NULL;
  END IF;
  IF now_counts THEN
    INSERT INTO customer_stats AS s (user_id, orders, spent_fen, last_paid_at, joined_at)
      SELECT NEW.user_id, 1, NEW.payable_fen, NEW.paid_at, u.created_at FROM users u WHERE u.id = NEW.user_id
      ON CONFLICT (user_id) DO UPDATE SET orders = s.orders + 1, spent_fen = s.spent_fen + NEW.payable_fen,
        last_paid_at = GREATEST(s.last_paid_at, NEW.paid_at);
  ELSE
    UPDATE customer_stats SET orders = orders - 1, spent_fen = spent_fen - OLD.payable_fen WHERE user_id = NEW.user_id;
    UPDATE customer_stats SET last_paid_at = (SELECT max(o.paid_at) FROM orders o
        WHERE o.user_id = NEW.user_id AND order_counts_for_rfm(o.paid_at, o.status))
      WHERE user_id = NEW.user_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER orders_customer_stats_insert AFTER INSERT ON orders
  FOR EACH ROW WHEN (order_counts_for_rfm(NEW.paid_at, NEW.status)) EXECUTE FUNCTION orders_customer_stats();
CREATE TRIGGER orders_customer_stats_update AFTER UPDATE OF status, paid_at, payable_fen ON orders
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.paid_at IS DISTINCT FROM NEW.paid_at
    OR OLD.payable_fen <> NEW.payable_fen) EXECUTE FUNCTION orders_customer_stats();

-- Backfill: every user, with their counted orders.
INSERT INTO customer_stats (user_id, orders, spent_fen, last_paid_at, joined_at)
SELECT u.id, COALESCE(o.n, 0), COALESCE(o.spent, 0), o.last_paid, u.created_at
FROM users u LEFT JOIN (
  SELECT user_id, count(*)::int AS n, sum(payable_fen) AS spent, max(paid_at) AS last_paid
  FROM orders WHERE order_counts_for_rfm(paid_at, status) GROUP BY user_id
) o ON o.user_id = u.id;

-- 到券提醒: one-time subscribe allowances (one send per accept in wx.requestSubscribeMessage).
CREATE TABLE message_allowances (
  user_id     text NOT NULL REFERENCES users(id),
  kind        text NOT NULL CHECK (kind IN ('coupon_arrival')),
  remaining   integer NOT NULL CHECK (remaining >= 0),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, kind)
);

-- admin.issueCoupon's grants: one per coupon and key; the coupons it gave carry its id.
CREATE TABLE coupon_grants (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  coupon_id   text NOT NULL REFERENCES coupons(id),
  grant_key   text NOT NULL,
  segment     text,
  actor_id    text REFERENCES users(id),
  issued      integer NOT NULL DEFAULT 0,
  notified    integer NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (coupon_id, grant_key)
);
ALTER TABLE user_coupons ADD COLUMN grant_id bigint REFERENCES coupon_grants(id);
CREATE INDEX user_coupons_grant_idx ON user_coupons (grant_id) WHERE grant_id IS NOT NULL;

ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_kind_check;
ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_kind_check
  CHECK (kind IN ('live_start', 'coupon_expiring', 'coupon_arrival'));

-- Down Migration
ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_kind_check;
DELETE FROM notification_outbox WHERE kind = 'coupon_arrival';
ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_kind_check
  CHECK (kind IN ('live_start', 'coupon_expiring'));
DROP INDEX user_coupons_grant_idx;
ALTER TABLE user_coupons DROP COLUMN grant_id;
DROP TABLE coupon_grants;
DROP TABLE message_allowances;
DROP TRIGGER orders_customer_stats_update ON orders;
DROP TRIGGER orders_customer_stats_insert ON orders;
DROP FUNCTION orders_customer_stats();
DROP TRIGGER users_customer_stats ON users;
DROP FUNCTION users_add_customer_stats();
DROP FUNCTION order_counts_for_rfm(timestamptz, text);
DROP INDEX addresses_phone_suffix_idx;
DROP INDEX addresses_phone_prefix_idx;
DROP TABLE customer_stats;
