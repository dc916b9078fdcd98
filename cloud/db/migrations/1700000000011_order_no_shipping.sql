-- Up Migration

-- A readable order number for every order: the day it was placed (China time, YYYYMMDD) and a
-- number from one sequence, at least 8 digits: 16 digits for the first hundred million orders.
-- The sequence makes it unique; the constraint says so.
CREATE SEQUENCE order_no_seq;

CREATE FUNCTION next_order_no(at timestamptz) RETURNS text
  LANGUAGE sql VOLATILE
  AS $$ SELECT to_char(at AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(n::text, greatest(8, length(n::text)), '0')
        FROM nextval('order_no_seq') AS n $$;

ALTER TABLE orders ADD COLUMN order_no text;
-- Existing orders get theirs, dated by the day each was placed.
UPDATE orders SET order_no = next_order_no(created_at);
ALTER TABLE orders ALTER COLUMN order_no SET DEFAULT next_order_no(now());
ALTER TABLE orders ALTER COLUMN order_no SET NOT NULL;
ALTER TABLE orders ADD CONSTRAINT orders_order_no_key UNIQUE (order_no);
ALTER TABLE orders ADD CONSTRAINT orders_order_no_digits CHECK (order_no ~ '^[0-9]{16,20}$');

-- Logistics, written by the one update that ships the order: both or neither.
ALTER TABLE orders ADD COLUMN carrier text;
ALTER TABLE orders ADD COLUMN tracking_no text;
ALTER TABLE orders ADD CONSTRAINT orders_logistics_pair CHECK ((carrier IS NULL) = (tracking_no IS NULL));
ALTER TABLE orders ADD CONSTRAINT orders_tracking_no_format CHECK (tracking_no ~ '^[A-Za-z0-9]{6,40}$');

-- Down Migration
ALTER TABLE orders DROP COLUMN tracking_no;
ALTER TABLE orders DROP COLUMN carrier;
ALTER TABLE orders DROP COLUMN order_no;
DROP FUNCTION next_order_no(timestamptz);
DROP SEQUENCE order_no_seq;
