-- Up Migration
-- A refusal raised inside the database, for a transaction's last statement (cloud/db/database.ts
-- lastStatement): that statement is sent with its COMMIT in one round trip, so "nothing matched" must
-- fail inside the statement, or the COMMIT after it would commit the rest of the transaction. The
-- value when it is not null; else the error WS409 whose message is `p_refusal` (which the repo maps
-- back to what core decided: the refusal itself is never chosen here). Not STRICT: it must run on null.
CREATE FUNCTION refuse_if_null(p_value anyelement, p_refusal text)
  RETURNS anyelement
  LANGUAGE plpgsql VOLATILE
  AS $$
BEGIN
  IF p_value IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'WS409', MESSAGE = p_refusal;
  END IF;
  RETURN p_value;
END $$;

-- Whether a SKU is on sale (not retired, its product on the shelf) as last committed, not as the
-- calling statement's snapshot has it: a VOLATILE plpgsql function reads with a snapshot of its own.
-- An order's stock statement that could not take a SKU tells "off sale by now" from "not enough" by
-- it, after waiting for the SKU's row (a save retiring the SKU while the order waited is seen).
CREATE FUNCTION sku_on_sale_now(p_sku text)
  RETURNS boolean
  LANGUAGE plpgsql VOLATILE
  AS $$
BEGIN
  RETURN (SELECT p.on_sale AND s.retired_at IS NULL FROM skus s JOIN products p ON p.id = s.product_id WHERE s.id = p_sku);
END $$;

-- Down Migration
DROP FUNCTION sku_on_sale_now(text);
DROP FUNCTION refuse_if_null(anyelement, text);
