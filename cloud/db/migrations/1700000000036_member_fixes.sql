-- Up Migration

-- The member search folds the nickname as it folds the query (NFKC, then lower case), so a
-- full-width nickname (Ｆｕｌｌ宽) is found by its own text; kept by the database, not folded per row
-- at each search.
ALTER TABLE users ADD COLUMN nickname_fold text GENERATED ALWAYS AS (lower(normalize(nickname, NFKC))) STORED;

-- Down Migration

ALTER TABLE users DROP COLUMN nickname_fold;
