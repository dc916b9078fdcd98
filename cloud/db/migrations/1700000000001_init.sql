-- Up Migration

-- Short opaque ids: a type prefix and 16 hex characters from a random UUID.
CREATE FUNCTION new_id(prefix text) RETURNS text
  LANGUAGE sql VOLATILE
  AS $$ SELECT prefix || '_' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 16) $$;

CREATE TABLE users (
  id          text PRIMARY KEY DEFAULT new_id('u'),
  openid      text NOT NULL UNIQUE CHECK (length(openid) BETWEEN 1 AND 64),
  nickname    text NOT NULL CHECK (length(nickname) BETWEEN 1 AND 32),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Bearer tokens of the HTTP host; only their sha256 is stored.
CREATE TABLE sessions (
  token_hash  text PRIMARY KEY,
  user_id     text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE categories (
  id          text PRIMARY KEY DEFAULT new_id('c'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 20),
  icon        text NOT NULL DEFAULT '',
  sort        integer NOT NULL DEFAULT 0
);

CREATE TABLE products (
  id               text PRIMARY KEY DEFAULT new_id('p'),
  -- Insertion order, the key of the feed's cursor paging (newest first).
  seq              bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  category_id      text REFERENCES categories(id),
  title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 60),
  subtitle         text NOT NULL DEFAULT '',
  description      text NOT NULL DEFAULT '',
  price_fen        integer NOT NULL CHECK (price_fen >= 1),
  list_price_fen   integer CHECK (list_price_fen IS NULL OR list_price_fen >= price_fen),
  stock            integer NOT NULL CHECK (stock >= 0),
  commission_rate  numeric(4, 3) NOT NULL DEFAULT 0 CHECK (commission_rate >= 0 AND commission_rate <= 0.5),
  images           text[] NOT NULL DEFAULT '{}',
  on_sale          boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_feed_idx ON products (seq DESC) WHERE on_sale;
CREATE INDEX products_category_feed_idx ON products (category_id, seq DESC) WHERE on_sale;

CREATE TABLE banners (
  id          text PRIMARY KEY DEFAULT new_id('b'),
  title       text NOT NULL,
  image       text NOT NULL,
  product_id  text REFERENCES products(id),
  sort        integer NOT NULL DEFAULT 0
);

-- Down Migration
DROP TABLE banners;
DROP TABLE products;
DROP TABLE categories;
DROP TABLE sessions;
DROP TABLE users;
DROP FUNCTION new_id(text);
