-- Up Migration

-- One staff write per idempotency key (admin.createProduct, admin.adjustStock): the console sends a
-- key made once per editor session / adjust dialog and keeps it across retries. The row is inserted
-- in the write's own transaction before anything changes: a racing copy of the same call waits on
-- the primary key, then reads the first one's result (or, if the first rolled back, claims the key).
-- `request_hash` tells the same request from a different one reusing the key (IDEMPOTENCY_KEY_REUSED).
CREATE TABLE admin_request_keys (
  actor_id         text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  action           text NOT NULL CHECK (length(action) BETWEEN 1 AND 60),
  idempotency_key  text NOT NULL CHECK (length(idempotency_key) BETWEEN 8 AND 64),
  request_hash     text NOT NULL,
  result           jsonb,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (actor_id, action, idempotency_key)
);

-- Down Migration

DROP TABLE admin_request_keys;
