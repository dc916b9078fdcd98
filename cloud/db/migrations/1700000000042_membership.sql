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

-- Down Migration
DROP FUNCTION membership_active(memberships);
DROP TABLE memberships;
