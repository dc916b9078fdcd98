-- Up Migration

-- Staff besides the owner (the owner is whoever ADMIN_OPENIDS names, never a row here): one role per
-- user, given by the owner. A row removed is a role taken back, effective at the next call (the role
-- is read with the session, never cached).
CREATE TABLE staff (
  user_id     text PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  role        text NOT NULL CHECK (role IN ('operator', 'service', 'anchor')),
  granted_by  text NOT NULL REFERENCES users(id),
  created_at  timestamptz NOT NULL
);

-- Every staff write, appended by the edge in the transaction of the write itself: a refused or failed
-- call rolls its entry back with it. Append-only: the triggers below refuse UPDATE, DELETE and TRUNCATE.
CREATE TABLE audit_log (
  id          text PRIMARY KEY DEFAULT new_id('al'),
  seq         bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  at          timestamptz NOT NULL,
  actor_id    text NOT NULL REFERENCES users(id),
  actor_role  text NOT NULL CHECK (actor_role IN ('owner', 'operator', 'service', 'anchor')),
  action      text NOT NULL CHECK (length(action) BETWEEN 1 AND 60),
  target      text NOT NULL DEFAULT '' CHECK (length(target) <= 100),
  detail      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, seq DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, seq DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Sessions of the web console (12 h, an httpOnly cookie) beside the app's bearer sessions (30 days).
ALTER TABLE sessions ADD COLUMN kind text NOT NULL DEFAULT 'app' CHECK (kind IN ('app', 'console'));

-- The console's sign-in tickets: `id` goes into the mini-program code's scene, the secret stays in the
-- browser and only its sha256 is stored. waiting -> scanned -> confirmed | rejected -> used; expiry is
-- `expires_at`, read against the clock (never a status written by a job). Every move is one
-- conditional UPDATE, so a ticket is confirmed once and redeemed once whatever races it.
CREATE TABLE console_tickets (
  id           text PRIMARY KEY CHECK (length(id) BETWEEN 16 AND 32),
  secret_hash  text NOT NULL,
  -- 'scan' (shown as a code), 'link' (the once-link `npm start` prints, confirmed from the start).
  via          text NOT NULL CHECK (via IN ('scan', 'link')),
  status       text NOT NULL CHECK (status IN ('waiting', 'scanned', 'confirmed', 'rejected', 'used')),
  -- Who scanned it, then who confirmed (or refused) it: the session is theirs.
  user_id      text REFERENCES users(id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  decided_at   timestamptz,
  used_at      timestamptz,
  CHECK (status IN ('waiting') OR user_id IS NOT NULL)
);
CREATE INDEX console_tickets_expiry_idx ON console_tickets (expires_at);

-- Down Migration
DROP TABLE console_tickets;
ALTER TABLE sessions DROP COLUMN kind;
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
DROP TABLE staff;
