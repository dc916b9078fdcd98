-- Up Migration
-- Membership (issue 18): who joined and how, their tier by spend. A customer is a member while a way
-- holds: a verified phone (getPhoneNumber), for good; or the merchant's WeCom (企业微信) account as a
-- contact (朋友会员), until they delete it (wecom_removed_at set, wecom_external_id kept for replays).
CREATE TABLE memberships (
  user_id           text PRIMARY KEY REFERENCES users(id),
  phone             text CHECK (phone ~ '^1[3-9][0-9]{9}$'),
  phone_at          timestamptz,
  wecom_external_id text UNIQUE,
  wecom_at          timestamptz,
  wecom_removed_at  timestamptz,
  -- The tier by spend over the last 365 days (cash paid, not refunded), recomputed as orders are paid
  -- and refunded and daily by the jobs.
  tier              text NOT NULL DEFAULT 'normal' CHECK (tier IN ('normal', 'silver', 'gold')),
  spend_fen         bigint NOT NULL DEFAULT 0 CHECK (spend_fen >= 0),
  tier_at           timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  CHECK ((phone IS NULL) = (phone_at IS NULL)),
  CHECK ((wecom_external_id IS NULL) = (wecom_at IS NULL))
);
-- Whether the row is a member now: the one expression every reader uses.
CREATE FUNCTION membership_active(m memberships) RETURNS boolean LANGUAGE sql IMMUTABLE AS
  $$ SELECT m.phone IS NOT NULL OR (m.wecom_external_id IS NOT NULL AND m.wecom_removed_at IS NULL) $$;

-- Member prices (会员价): what members pay for a SKU on a regular line; below the SKU's price, at least
-- 1 fen. The catalog's saves refuse a member price at or above the price they set (the CHECK is the
-- last line of defence).
ALTER TABLE skus ADD COLUMN member_price_fen integer
  CONSTRAINT skus_member_price_below CHECK (member_price_fen IS NULL OR (member_price_fen >= 1 AND member_price_fen < price_fen));

-- The shop's membership rules (the console's 会员设置): one row, the rules' defaults.
CREATE TABLE member_settings (
  id                 boolean PRIMARY KEY DEFAULT true CHECK (id),
  silver_fen         bigint NOT NULL DEFAULT 50000 CHECK (silver_fen >= 1),
  gold_fen           bigint NOT NULL DEFAULT 200000,
  -- Points per ¥1 paid, in thousandths (1000 = 1 point per ¥1), per tier.
  permille_normal    integer NOT NULL DEFAULT 1000 CHECK (permille_normal BETWEEN 0 AND 10000),
  permille_silver    integer NOT NULL DEFAULT 1500 CHECK (permille_silver BETWEEN 0 AND 10000),
  permille_gold      integer NOT NULL DEFAULT 2000 CHECK (permille_gold BETWEEN 0 AND 10000),
  points_max_percent integer NOT NULL DEFAULT 50 CHECK (points_max_percent BETWEEN 0 AND 100),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  -- The shop day (Asia/Shanghai) the jobs last ran the tier recompute and the points expiry: each at
  -- most once a day, claimed by a conditional update in the run's transaction.
  tiers_run_on       date,
  expiry_run_on      date,
  CHECK (gold_fen > silver_fen),
  -- Higher tiers never earn slower (docs/rules.md "Membership").
  CHECK (permille_normal <= permille_silver AND permille_silver <= permille_gold)
);
INSERT INTO member_settings DEFAULT VALUES;

-- The tier of a spend under the shop's thresholds: the one expression the statements use (the same
-- rule as core's tierOf, cloud/core/member/member.rules.ts).
CREATE FUNCTION member_tier_of(spend bigint, silver bigint, gold bigint) RETURNS text LANGUAGE sql IMMUTABLE AS
  $$ SELECT CASE WHEN spend >= gold THEN 'gold' WHEN spend >= silver THEN 'silver' ELSE 'normal' END $$;

-- A customer who joins brings their spend of the last 365 days: the row starts with it and its tier
-- (whichever way in writes it). Payments and refunds move it after; the jobs recompute it daily.
CREATE FUNCTION memberships_join_spend() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  s member_settings;
BEGIN
  SELECT * INTO s FROM member_settings;
  NEW.spend_fen := COALESCE((SELECT sum(o.payable_fen) FROM orders o
    WHERE o.user_id = NEW.user_id AND o.paid_at > now() - interval '365 days' AND order_counts_as_sold(o.status)), 0);
  NEW.tier := member_tier_of(NEW.spend_fen, s.silver_fen, s.gold_fen);
  NEW.tier_at := now();
  RETURN NEW;
END $$;
CREATE TRIGGER memberships_join_spend BEFORE INSERT ON memberships FOR EACH ROW EXECUTE FUNCTION memberships_join_spend();

-- A member's points balance: the row the conditional spend updates, kept in the same statements as
-- the ledger (available = sum of settle, clawback, spend, return, expire; pending = earn + reverse
-- − settled). available may go below zero after a claw-back; nothing is spent until it is above.
CREATE TABLE member_points (
  user_id   text PRIMARY KEY REFERENCES users(id),
  -- bigint: a big member's sums (or a high rate) outgrow 2^31 points; an overflow would fail the
  -- notify for good and stall the settle run.
  available bigint NOT NULL DEFAULT 0,
  pending   bigint NOT NULL DEFAULT 0 CHECK (pending >= 0)
);

-- The points ledger, append-only. Signs: earn +N and reverse −N move pending; settle +N moves N
-- from pending to available; clawback −N, spend −N, return +N, expire −N move available.
CREATE TABLE points_ledger (
  id         bigserial PRIMARY KEY,
  user_id    text NOT NULL REFERENCES users(id),
  kind       text NOT NULL CHECK (kind IN ('earn', 'settle', 'reverse', 'clawback', 'spend', 'return', 'expire')),
  points     bigint NOT NULL,
  order_id   text REFERENCES orders(id),
  -- The year (shop time) whose points an expire entry ends, and the shop day of the run that wrote
  -- it: the daily run expires what that year should have lost by now and has not (points given back
  -- after the year's turn, from an order cancelled or refunded, expire at the next run).
  period     integer,
  run_on     date,
  at         timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'expire') = (order_id IS NULL)),
  CHECK ((kind = 'expire') = (period IS NOT NULL)),
  CHECK ((kind = 'expire') = (run_on IS NOT NULL)),
  CHECK (CASE WHEN kind IN ('earn', 'settle', 'return') THEN points > 0 ELSE points < 0 END)
);
-- Each order's earn, settle, spend and return happen once; its reverse or its clawback once (one of the two).
CREATE UNIQUE INDEX points_ledger_order_once ON points_ledger (order_id, kind) WHERE kind IN ('earn', 'settle', 'spend', 'return');
CREATE UNIQUE INDEX points_ledger_takeback_once ON points_ledger (order_id) WHERE kind IN ('reverse', 'clawback');
-- At most one expiry per member, year and run day.
CREATE UNIQUE INDEX points_ledger_expire_once ON points_ledger (user_id, period, run_on) WHERE kind = 'expire';
CREATE INDEX points_ledger_user_idx ON points_ledger (user_id, id DESC);
-- The settle job's candidates: earns not yet settled or taken back.
CREATE INDEX points_ledger_earn_idx ON points_ledger (order_id) WHERE kind = 'earn';

-- Down Migration
DROP TABLE points_ledger;
DROP TABLE member_points;
DROP TRIGGER memberships_join_spend ON memberships;
DROP FUNCTION memberships_join_spend();
DROP FUNCTION member_tier_of(bigint, bigint, bigint);
DROP TABLE member_settings;
ALTER TABLE skus DROP COLUMN member_price_fen;
DROP FUNCTION membership_active(memberships);
DROP TABLE memberships;
