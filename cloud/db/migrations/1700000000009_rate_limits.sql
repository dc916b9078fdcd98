-- Up Migration

-- Rate limits held by the database, so that they hold across every running copy of the backend:
-- one token bucket per key. The rules — which key, how many tokens a second, how big a burst —
-- are the core's (cloud/core/limits.ts); this table only holds the counts.
CREATE TABLE rate_limits (
  key         text PRIMARY KEY,
  -- Tokens left at `updated_at` (fractional: the bucket refills continuously).
  tokens      double precision NOT NULL CHECK (tokens >= 0),
  updated_at  timestamptz NOT NULL,
  -- When the bucket is full again: from then on the row says nothing a missing row would not, and
  -- the retention job may delete it.
  full_at     timestamptz NOT NULL
);
CREATE INDEX rate_limits_full_idx ON rate_limits (full_at);

-- Takes up to `p_want` tokens from the bucket `p_key` (created full), which refills `p_per_second`
-- tokens a second up to `p_capacity`, and answers how many it got (0..p_want). One call, one round
-- trip; the row lock serialises racing takes of one key, so tokens are never granted twice. A clock
-- that runs behind (another instance's) refills nothing and never moves the bucket's time back.
CREATE FUNCTION take_tokens(p_key text, p_want integer, p_per_second double precision, p_capacity integer, p_now timestamptz)
  RETURNS integer
  LANGUAGE plpgsql VOLATILE
  AS $$
DECLARE
  level double precision;
  since timestamptz;
  got   integer;
BEGIN
  IF p_want < 1 OR p_capacity < 1 OR NOT (p_per_second > 0) THEN
    RAISE EXCEPTION 'take_tokens: want and capacity must be at least 1 and the rate positive';
  END IF;
  LOOP
    SELECT LEAST(p_capacity, b.tokens + GREATEST(0, extract(epoch FROM p_now - b.updated_at)) * p_per_second), b.updated_at
      INTO level, since
      FROM rate_limits b WHERE b.key = p_key FOR UPDATE;
    IF FOUND THEN
      -- The epsilon absorbs float error (0.1 × 10 may come out as 0.999…).
      got := LEAST(p_want, floor(level + 1e-9)::integer);
      level := GREATEST(0, level - got);
      UPDATE rate_limits
        SET tokens = level,
            updated_at = GREATEST(since, p_now),
            full_at = GREATEST(since, p_now) + make_interval(secs => (p_capacity - level) / p_per_second)
        WHERE key = p_key;
      RETURN got;
    END IF;
    got := LEAST(p_want, p_capacity);
    INSERT INTO rate_limits (key, tokens, updated_at, full_at)
      VALUES (p_key, p_capacity - got, p_now, p_now + make_interval(secs => got / p_per_second))
      ON CONFLICT (key) DO NOTHING;
    IF FOUND THEN
      RETURN got;
    END IF;
    -- A racing take created the bucket between the two statements: take from that one.
  END LOOP;
END
$$;

-- Rejected payment notifies are kept for 30 days (the retention job deletes older ones).
CREATE INDEX payment_notify_rejections_received_idx ON payment_notify_rejections (received_at);

-- Expired sessions are deleted by the retention job.
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- One share touch per (user, sharer), its time refreshed by each touch: re-entering a room through
-- the same link no longer adds a row. The last touch within 7 days still names an order's sharer.
DELETE FROM share_touches WHERE ctid IN (
  SELECT ctid FROM (
    SELECT ctid, row_number() OVER (PARTITION BY user_id, sharer_id ORDER BY touched_at DESC) AS n FROM share_touches
  ) t WHERE t.n > 1
);
ALTER TABLE share_touches ADD CONSTRAINT share_touches_pkey PRIMARY KEY (user_id, sharer_id);

-- Down Migration
ALTER TABLE share_touches DROP CONSTRAINT share_touches_pkey;
DROP INDEX sessions_expires_idx;
DROP INDEX payment_notify_rejections_received_idx;
DROP FUNCTION take_tokens(text, integer, double precision, integer, timestamptz);
DROP TABLE rate_limits;
