-- Up Migration

-- The back office's catalog: the list's order (last edited first), SKUs taken out of a product's
-- matrix (retired: kept for the orders that hold them, never sold again), the stock ledger, and
-- category names that are unique.

-- When the merchant last edited the product (its fields, shelf status or SKU matrix), to the
-- millisecond so that a cursor carries it exactly. Products made before take their creation time.
ALTER TABLE products ADD COLUMN updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now());
UPDATE products SET updated_at = date_trunc('milliseconds', created_at);
CREATE INDEX products_updated_idx ON products (updated_at DESC, seq DESC);

-- Set when admin.saveSkus leaves the SKU out of the matrix. A retired SKU is off sale (cart,
-- checkout, the product page) and counts in no product's price or stock; saving its specs again
-- brings it back with its id and stock.
ALTER TABLE skus ADD COLUMN retired_at timestamptz;

-- The product card's price and stock over the SKUs on offer only.
DROP VIEW product_cards;
CREATE VIEW product_cards AS
  SELECT p.*, s.price_fen, s.list_price_fen, s.stock
  FROM products p
  JOIN LATERAL (
    SELECT min(price_fen) AS price_fen,
           (array_agg(list_price_fen ORDER BY price_fen, sort))[1] AS list_price_fen,
           COALESCE(sum(stock), 0)::int AS stock
    FROM skus WHERE product_id = p.id AND retired_at IS NULL
  ) s ON true;

-- Every stock move the merchant makes (admin.adjustStock, a SKU added by admin.saveSkus, a new
-- product's opening stock): who, why, by how much, and the SKU's stock after. Append-only. Orders
-- taking and giving back units are not written here (the orders themselves record them).
CREATE TABLE stock_changes (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  product_id   text NOT NULL REFERENCES products(id),
  sku_id       text NOT NULL REFERENCES skus(id),
  delta        integer NOT NULL CHECK (delta <> 0),
  stock_after  integer NOT NULL CHECK (stock_after >= 0),
  reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 60),
  -- Null for changes no person made (the demo data).
  actor_id     text REFERENCES users(id),
  at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stock_changes_product_idx ON stock_changes (product_id, id DESC);

-- Two categories never share a name (compared after width folding and case: ＡＢ = ab).
CREATE UNIQUE INDEX categories_name_key ON categories (lower(normalize(name, NFKC)));

-- Down Migration
DROP INDEX categories_name_key;
DROP TABLE stock_changes;
DROP VIEW product_cards;
ALTER TABLE skus DROP COLUMN retired_at;
DROP INDEX products_updated_idx;
ALTER TABLE products DROP COLUMN updated_at;
CREATE VIEW product_cards AS
  SELECT p.*, s.price_fen, s.list_price_fen, s.stock
  FROM products p
  JOIN LATERAL (
    SELECT min(price_fen) AS price_fen,
           (array_agg(list_price_fen ORDER BY price_fen, sort))[1] AS list_price_fen,
           sum(stock)::int AS stock
    FROM skus WHERE product_id = p.id
  ) s ON true;
