-- Up Migration

-- Product specs (颜色/尺码 …): [{"name":"规格","values":["100g","250g"]}]. Each SKU picks one value per group.
ALTER TABLE products ADD COLUMN spec_groups jsonb NOT NULL DEFAULT '[]';

-- The SKU is the unit that has a price and a stock. A product without specs has one SKU with specs {}.
CREATE TABLE skus (
  id              text PRIMARY KEY DEFAULT new_id('k'),
  product_id      text NOT NULL REFERENCES products(id),
  specs           jsonb NOT NULL DEFAULT '{}',
  spec_text       text NOT NULL DEFAULT '',
  price_fen       integer NOT NULL CHECK (price_fen >= 1),
  list_price_fen  integer CHECK (list_price_fen IS NULL OR list_price_fen >= price_fen),
  -- Never below zero: the last line of defence against overselling.
  stock           integer NOT NULL CHECK (stock >= 0),
  sort            integer NOT NULL DEFAULT 0,
  UNIQUE (product_id, specs)
);
CREATE INDEX skus_product_idx ON skus (product_id, sort);

INSERT INTO skus (product_id, price_fen, list_price_fen, stock)
  SELECT id, price_fen, list_price_fen, stock FROM products;

-- A product's shown price is its cheapest SKU's, its stock the sum: derived, never stored twice.
ALTER TABLE products DROP COLUMN price_fen, DROP COLUMN list_price_fen, DROP COLUMN stock;

CREATE VIEW product_cards AS
  SELECT p.*, s.price_fen, s.list_price_fen, s.stock
  FROM products p
  JOIN LATERAL (
    SELECT min(price_fen) AS price_fen,
           (array_agg(list_price_fen ORDER BY price_fen, sort))[1] AS list_price_fen,
           sum(stock)::int AS stock
    FROM skus WHERE product_id = p.id
  ) s ON true;

CREATE TABLE cart_items (
  user_id   text NOT NULL REFERENCES users(id),
  sku_id    text NOT NULL REFERENCES skus(id),
  qty       integer NOT NULL CHECK (qty BETWEEN 1 AND 999),
  selected  boolean NOT NULL DEFAULT true,
  added_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, sku_id)
);

CREATE TABLE addresses (
  id          text PRIMARY KEY DEFAULT new_id('a'),
  user_id     text NOT NULL REFERENCES users(id),
  name        text NOT NULL,
  phone       text NOT NULL,
  province    text NOT NULL,
  city        text NOT NULL,
  district    text NOT NULL,
  detail      text NOT NULL,
  is_default  boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX addresses_user_idx ON addresses (user_id, created_at DESC);

-- Who shared what to whom: the last touch within 7 days names an order's sharer.
CREATE TABLE share_touches (
  user_id     text NOT NULL REFERENCES users(id),
  sharer_id   text NOT NULL REFERENCES users(id),
  room_id     text,
  touched_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (user_id <> sharer_id)
);
CREATE INDEX share_touches_user_idx ON share_touches (user_id, touched_at DESC);

CREATE TABLE orders (
  id               text PRIMARY KEY DEFAULT new_id('o'),
  seq              bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  user_id          text NOT NULL REFERENCES users(id),
  status           text NOT NULL CHECK (status IN
                     ('pending_payment','paid','shipped','completed','cancelled','refund_requested','refunded')),
  -- Set while a refund is requested: where a rejected request goes back to.
  status_before_refund text,
  idempotency_key  text NOT NULL CHECK (length(idempotency_key) BETWEEN 8 AND 64),
  goods_fen        integer NOT NULL CHECK (goods_fen >= 0),
  discount_fen     integer NOT NULL DEFAULT 0 CHECK (discount_fen >= 0),
  payable_fen      integer NOT NULL CHECK (payable_fen >= 1),
  address          jsonb,
  note             text NOT NULL DEFAULT '',
  sharer_id        text REFERENCES users(id),
  room_id          text,
  kind             text NOT NULL DEFAULT 'normal',
  created_at       timestamptz NOT NULL DEFAULT now(),
  pay_deadline     timestamptz NOT NULL,
  paid_at          timestamptz,
  shipped_at       timestamptz,
  completed_at     timestamptz,
  cancelled_at     timestamptz,
  cancel_reason    text,
  refund_reason    text,
  refunded_at      timestamptz,
  UNIQUE (user_id, idempotency_key),
  CHECK (sharer_id IS NULL OR sharer_id <> user_id)
);
CREATE INDEX orders_user_idx ON orders (user_id, seq DESC);
CREATE INDEX orders_pending_deadline_idx ON orders (pay_deadline) WHERE status = 'pending_payment';

CREATE TABLE order_items (
  order_id        text NOT NULL REFERENCES orders(id),
  line            integer NOT NULL,
  sku_id          text NOT NULL REFERENCES skus(id),
  product_id      text NOT NULL REFERENCES products(id),
  title           text NOT NULL,
  spec_text       text NOT NULL,
  cover           text NOT NULL,
  unit_price_fen  integer NOT NULL CHECK (unit_price_fen >= 1),
  qty             integer NOT NULL CHECK (qty >= 1),
  -- This line's share of the order discount, so a partial refund is exact.
  discount_fen    integer NOT NULL DEFAULT 0 CHECK (discount_fen >= 0),
  PRIMARY KEY (order_id, line)
);

-- One payment record per order, written by the verified notify only.
CREATE TABLE payments (
  order_id        text PRIMARY KEY REFERENCES orders(id),
  provider        text NOT NULL,
  transaction_id  text NOT NULL UNIQUE,
  amount_fen      integer NOT NULL CHECK (amount_fen >= 1),
  -- 'paid', or 'refunded' when the money came in for an order that was already cancelled.
  status          text NOT NULL,
  paid_at         timestamptz NOT NULL,
  raw             jsonb NOT NULL
);

-- Every notify that was refused (bad signature, wrong amount, unknown order), for the merchant to see.
CREATE TABLE payment_notify_rejections (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  provider    text NOT NULL,
  reason      text NOT NULL,
  body        jsonb,
  received_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE refunds (
  order_id    text PRIMARY KEY REFERENCES orders(id),
  amount_fen  integer NOT NULL CHECK (amount_fen >= 1),
  provider_refund_id text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Per-install settings, such as the sandbox payment provider's signing secret.
CREATE TABLE settings (
  key    text PRIMARY KEY,
  value  text NOT NULL
);

-- Down Migration
DROP TABLE settings;
DROP TABLE refunds;
DROP TABLE payment_notify_rejections;
DROP TABLE payments;
DROP TABLE order_items;
DROP TABLE orders;
DROP TABLE share_touches;
DROP TABLE addresses;
DROP TABLE cart_items;
DROP VIEW product_cards;
ALTER TABLE products ADD COLUMN price_fen integer, ADD COLUMN list_price_fen integer, ADD COLUMN stock integer;
UPDATE products p SET price_fen = s.price_fen, list_price_fen = s.list_price_fen, stock = s.stock
  FROM (SELECT DISTINCT ON (product_id) product_id, price_fen, list_price_fen, stock FROM skus ORDER BY product_id, sort) s
  WHERE s.product_id = p.id;
DROP TABLE skus;
ALTER TABLE products DROP COLUMN spec_groups;
