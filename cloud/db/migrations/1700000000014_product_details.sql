-- Up Migration

-- The product page's details: images shown below the description, and a parameter table
-- (产地, 净含量, 保质期 …) as [{"name":"产地","value":"浙江杭州"}]. The contract keeps each within
-- its limits; the checks here are the last line of defence.
ALTER TABLE products
  ADD COLUMN detail_images text[] NOT NULL DEFAULT '{}' CHECK (cardinality(detail_images) <= 20),
  ADD COLUMN specs jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(specs) = 'array' AND jsonb_array_length(specs) <= 30),
  -- 已售: units of this product in orders that are paid and not refunded (paid, shipped,
  -- completed, refund_requested). Kept by the trigger below, in the transaction that moves the
  -- order's status, so it is exact under any concurrency and costs nothing to read.
  ADD COLUMN sold_count integer NOT NULL DEFAULT 0 CHECK (sold_count >= 0);

CREATE FUNCTION order_counts_as_sold(status text) RETURNS boolean
  LANGUAGE sql IMMUTABLE AS $$ SELECT status IN ('paid', 'shipped', 'completed', 'refund_requested') $$;

-- An order entering the sold statuses adds its lines' quantities to their products, leaving
-- them (refunded) takes them back. Products are locked in id order, so two orders sharing
-- products never deadlock. Order lines are written while the order is pending, before any of
-- these moves.
CREATE FUNCTION orders_track_sold_count() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  sign integer := CASE WHEN order_counts_as_sold(NEW.status) THEN 1 ELSE -1 END;
  line record;
BEGIN
  FOR line IN
    SELECT product_id, sum(qty)::int AS qty FROM order_items WHERE order_id = NEW.id GROUP BY product_id ORDER BY product_id
  LOOP
    UPDATE products SET sold_count = sold_count + sign * line.qty WHERE id = line.product_id;
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER orders_sold_count AFTER UPDATE OF status ON orders
  FOR EACH ROW WHEN (order_counts_as_sold(OLD.status) IS DISTINCT FROM order_counts_as_sold(NEW.status))
  EXECUTE FUNCTION orders_track_sold_count();

UPDATE products p SET sold_count = s.qty
  FROM (SELECT i.product_id, sum(i.qty)::int AS qty
        FROM order_items i JOIN orders o ON o.id = i.order_id
        WHERE order_counts_as_sold(o.status) GROUP BY i.product_id) s
  WHERE s.product_id = p.id;

-- Down Migration
DROP TRIGGER orders_sold_count ON orders;
DROP FUNCTION orders_track_sold_count();
DROP FUNCTION order_counts_as_sold(text);
ALTER TABLE products DROP COLUMN sold_count, DROP COLUMN specs, DROP COLUMN detail_images;
