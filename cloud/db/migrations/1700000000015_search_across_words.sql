-- Up Migration

-- A query typed without spaces finds the product whose words it joins: 龙井特级 finds
-- "明前龙井 特级", 普洱熟茶 finds "云南古树普洱 熟茶饼 357g". The indexed grams become the unigrams
-- and bigrams of the folded text with its spaces removed (so the bigrams across each word break are
-- indexed too), and product_search's title_fold and doc_fold hold the folded text with its spaces
-- removed, which each word of a query is confirmed against (a word found in the spaced text is found
-- in the joined text as well). Queries are still cut at their own spaces: every word must match.

-- The folded text with its spaces removed.
CREATE FUNCTION search_join(t text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT replace(search_fold(t), ' ', '') $$;

CREATE OR REPLACE FUNCTION search_grams(t text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT coalesce(array_agg(DISTINCT substr(w, i, n)), '{}')
    FROM (SELECT search_join(t) AS w) AS j
    CROSS JOIN LATERAL generate_series(1, length(w)) AS i
    CROSS JOIN (VALUES (1), (2)) AS v(n)
    WHERE w <> '' AND i + n - 1 <= length(w)
  $$;

CREATE OR REPLACE FUNCTION product_search_sync() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  DECLARE
    doc text := concat_ws(' ', NEW.title, NEW.subtitle, NEW.description);
  BEGIN
    INSERT INTO product_search (product_id, seq, on_sale, title_fold, doc_fold, grams)
    VALUES (NEW.id, NEW.seq, NEW.on_sale, search_join(NEW.title), search_join(doc), search_grams(doc))
    ON CONFLICT (product_id) DO UPDATE
      SET on_sale = EXCLUDED.on_sale, title_fold = EXCLUDED.title_fold, doc_fold = EXCLUDED.doc_fold, grams = EXCLUDED.grams;
    RETURN NULL;
  END
  $$;

COMMENT ON COLUMN product_search.title_fold IS 'the folded title with its spaces removed (search_join)';
COMMENT ON COLUMN product_search.doc_fold IS 'the folded title, subtitle and description with their spaces removed (search_join)';

-- The joined text has more distinct grams per product; with GIN's pending list (fastupdate) a bulk
-- of new products made the planner price the index above a sequential scan until the next vacuum.
-- Products are written rarely: each write goes straight into the index.
ALTER INDEX product_search_grams_idx SET (fastupdate = off);
SELECT gin_clean_pending_list('product_search_grams_idx');

UPDATE product_search s
  SET title_fold = search_join(p.title),
      doc_fold = search_join(concat_ws(' ', p.title, p.subtitle, p.description)),
      grams = search_grams(concat_ws(' ', p.title, p.subtitle, p.description))
  FROM products p WHERE p.id = s.product_id;

-- Down Migration
CREATE OR REPLACE FUNCTION product_search_sync() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  DECLARE
    doc text := concat_ws(' ', NEW.title, NEW.subtitle, NEW.description);
  BEGIN
    INSERT INTO product_search (product_id, seq, on_sale, title_fold, doc_fold, grams)
    VALUES (NEW.id, NEW.seq, NEW.on_sale, search_fold(NEW.title), search_fold(doc), search_grams(doc))
    ON CONFLICT (product_id) DO UPDATE
      SET on_sale = EXCLUDED.on_sale, title_fold = EXCLUDED.title_fold, doc_fold = EXCLUDED.doc_fold, grams = EXCLUDED.grams;
    RETURN NULL;
  END
  $$;

CREATE OR REPLACE FUNCTION search_grams(t text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT coalesce(array_agg(DISTINCT substr(w, i, n)), '{}')
    FROM unnest(string_to_array(search_fold(t), ' ')) AS w
    CROSS JOIN LATERAL generate_series(1, length(w)) AS i
    CROSS JOIN (VALUES (1), (2)) AS v(n)
    WHERE w <> '' AND i + n - 1 <= length(w)
  $$;

COMMENT ON COLUMN product_search.title_fold IS NULL;
COMMENT ON COLUMN product_search.doc_fold IS NULL;

UPDATE product_search s
  SET title_fold = search_fold(p.title),
      doc_fold = search_fold(concat_ws(' ', p.title, p.subtitle, p.description)),
      grams = search_grams(concat_ws(' ', p.title, p.subtitle, p.description))
  FROM products p WHERE p.id = s.product_id;

ALTER INDEX product_search_grams_idx RESET (fastupdate);

DROP FUNCTION search_join(text);
