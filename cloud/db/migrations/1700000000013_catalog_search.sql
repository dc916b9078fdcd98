-- Up Migration

-- Search over product titles and descriptions (catalog.search), with no extension: pg_trgm can't
-- index Chinese queries of one or two characters, and not every PostgreSQL has contrib installed.
-- Each product's text is folded (NFKC width, lower case, punctuation to spaces) and cut into the
-- unigrams and bigrams of each word; a query is looked up by containment of its bigrams (a
-- one-character word by itself) in a GIN index, then confirmed word by word with LIKE.

-- Folded text: full-width to half-width (NFKC), lower case, runs of spaces and punctuation to one space.
CREATE FUNCTION search_fold(t text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT btrim(regexp_replace(lower(normalize(coalesce(t, ''), NFKC)),
      '[[:space:][:punct:]·・、。〃〈〉《》「」『』【】〔〕〖〗〘〙〚〛“”‘’…—～￥]+', ' ', 'g'))
  $$;

-- What a product's text is indexed by: every unigram and bigram inside each folded word.
CREATE FUNCTION search_grams(t text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT coalesce(array_agg(DISTINCT substr(w, i, n)), '{}')
    FROM unnest(string_to_array(search_fold(t), ' ')) AS w
    CROSS JOIN LATERAL generate_series(1, length(w)) AS i
    CROSS JOIN (VALUES (1), (2)) AS v(n)
    WHERE w <> '' AND i + n - 1 <= length(w)
  $$;

-- What a query looks up: the bigrams of each folded word, or the word itself when it is one character.
CREATE FUNCTION search_query_grams(q text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT coalesce(array_agg(DISTINCT substr(w, i, least(2, length(w)))), '{}')
    FROM unnest(string_to_array(search_fold(q), ' ')) AS w
    CROSS JOIN LATERAL generate_series(1, greatest(length(w) - 1, 1)) AS i
    WHERE w <> ''
  $$;

-- The LIKE patterns confirming each folded word of a query (folding leaves no %, _ or \ in a word).
CREATE FUNCTION search_patterns(q text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT coalesce(array_agg('%' || w || '%'), '{}')
    FROM unnest(string_to_array(search_fold(q), ' ')) AS w
    WHERE w <> ''
  $$;

-- One row per product, kept by the trigger below: never written by the application.
CREATE TABLE product_search (
  product_id  text PRIMARY KEY REFERENCES products(id) ON DELETE CASCADE,
  seq         bigint NOT NULL,
  on_sale     boolean NOT NULL,
  -- The folded title, to rank title hits first; the folded title, subtitle and description.
  title_fold  text NOT NULL,
  doc_fold    text NOT NULL,
  grams       text[] NOT NULL
);
CREATE INDEX product_search_grams_idx ON product_search USING gin (grams);
-- Newest first: for a query most products match (茶 in a tea shop), walking this until a page is
-- full beats sorting every hit; the planner picks between the two by the grams' statistics.
CREATE INDEX product_search_feed_idx ON product_search (seq DESC) WHERE on_sale;

CREATE FUNCTION product_search_sync() RETURNS trigger
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

CREATE TRIGGER products_search_sync
  AFTER INSERT OR UPDATE OF title, subtitle, description, on_sale ON products
  FOR EACH ROW EXECUTE FUNCTION product_search_sync();

INSERT INTO product_search (product_id, seq, on_sale, title_fold, doc_fold, grams)
  SELECT id, seq, on_sale, search_fold(title), search_fold(concat_ws(' ', title, subtitle, description)),
         search_grams(concat_ws(' ', title, subtitle, description))
  FROM products;

-- Down Migration
DROP TRIGGER products_search_sync ON products;
DROP FUNCTION product_search_sync();
DROP TABLE product_search;
DROP FUNCTION search_patterns(text);
DROP FUNCTION search_query_grams(text);
DROP FUNCTION search_grams(text);
DROP FUNCTION search_fold(text);
