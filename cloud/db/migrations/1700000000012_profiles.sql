-- Up Migration

-- The avatar a shopper chose (WeChat's avatar filling, or an image on H5): a URL the app shows as
-- it is, a host path (/media/avatars/...) on a self-hosted server or a cloud:// file id on CloudBase.
ALTER TABLE users ADD COLUMN avatar_url text CHECK (length(avatar_url) BETWEEN 1 AND 512);

-- The images behind /media/avatars/ on a self-hosted server, named by their content's hash: a new
-- upload never changes what an old URL shows, so the URL can be cached for good.
CREATE TABLE user_avatars (
  user_id     text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  hash        text NOT NULL CHECK (hash ~ '^[0-9a-f]{16,64}$'),
  mime        text NOT NULL CHECK (mime IN ('image/jpeg', 'image/png')),
  bytes       bytea NOT NULL CHECK (length(bytes) BETWEEN 1 AND 65536),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, hash)
);

-- Down Migration
DROP TABLE user_avatars;
ALTER TABLE users DROP COLUMN avatar_url;
