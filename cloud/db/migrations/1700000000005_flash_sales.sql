-- Up Migration

-- 秒杀 / 抢购: one product's SKU at a sale price, with its own stock and per-user limit, in a window.
CREATE TABLE flash_sales (
  id              text PRIMARY KEY DEFAULT new_id('fs'),
  seq             bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  product_id      text NOT NULL REFERENCES products(id),
  sku_id          text NOT NULL REFERENCES skus(id),
  sale_price_fen  integer NOT NULL CHECK (sale_price_fen >= 1),
  stock           integer NOT NULL CHECK (stock >= 0),
  sold            integer NOT NULL DEFAULT 0 CHECK (sold >= 0 AND sold <= stock),
  per_user_limit  integer NOT NULL CHECK (per_user_limit >= 1),
  -- 'existing': 老会员专享, refused to new customers.
  audience        text NOT NULL CHECK (audience IN ('all', 'existing')),
  starts_at       timestamptz NOT NULL,
  ends_at         timestamptz NOT NULL CHECK (ends_at > starts_at),
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- Units each user holds in a sale (orders not cancelled): the per-user limit's counter.
CREATE TABLE flash_sale_buyers (
  flash_sale_id  text NOT NULL REFERENCES flash_sales(id),
  user_id        text NOT NULL REFERENCES users(id),
  qty            integer NOT NULL CHECK (qty >= 0),
  PRIMARY KEY (flash_sale_id, user_id)
);

ALTER TABLE orders ADD COLUMN flash_sale_id text REFERENCES flash_sales(id);

-- Down Migration
ALTER TABLE orders DROP COLUMN flash_sale_id;
DROP TABLE flash_sale_buyers;
DROP TABLE flash_sales;
