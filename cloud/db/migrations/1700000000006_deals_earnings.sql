-- Up Migration

-- 新人 9.9: one SKU at a deal price for new customers, one more claim per counted invite (capped).
CREATE TABLE deal_campaigns (
  id                       text PRIMARY KEY DEFAULT new_id('dc'),
  product_id               text NOT NULL REFERENCES products(id),
  sku_id                   text NOT NULL REFERENCES skus(id),
  deal_price_fen           integer NOT NULL CHECK (deal_price_fen >= 1),
  base_claims              integer NOT NULL CHECK (base_claims >= 0),
  extra_claims_per_invite  integer NOT NULL CHECK (extra_claims_per_invite >= 0),
  max_extra_claims         integer NOT NULL CHECK (max_extra_claims >= 0),
  invite_counts_when       text NOT NULL CHECK (invite_counts_when IN ('joined', 'paid')),
  invite_reward_fen        integer NOT NULL DEFAULT 0 CHECK (invite_reward_fen >= 0),
  created_at               timestamptz NOT NULL DEFAULT now()
);

-- A user's first touch of a campaign, and whether they were a new customer then.
CREATE TABLE deal_entries (
  campaign_id  text NOT NULL REFERENCES deal_campaigns(id),
  user_id      text NOT NULL REFERENCES users(id),
  was_new      boolean NOT NULL,
  entered_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, user_id)
);

-- An accepted invite: one per invitee and campaign (the key says so). Whether it counts may still
-- wait for the invitee's payment (invite_counts_when = 'paid').
CREATE TABLE deal_invites (
  campaign_id  text NOT NULL REFERENCES deal_campaigns(id),
  invitee_id   text NOT NULL REFERENCES users(id),
  inviter_id   text NOT NULL REFERENCES users(id),
  -- Risk level 3 counts the invite but pays no reward.
  rewardable   boolean NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, invitee_id),
  CHECK (invitee_id <> inviter_id)
);
CREATE INDEX deal_invites_inviter_idx ON deal_invites (campaign_id, inviter_id);

-- Claims used per user and campaign: the limit's counter (deal orders not cancelled).
CREATE TABLE deal_claims (
  campaign_id  text NOT NULL REFERENCES deal_campaigns(id),
  user_id      text NOT NULL REFERENCES users(id),
  used         integer NOT NULL CHECK (used >= 0),
  PRIMARY KEY (campaign_id, user_id)
);

ALTER TABLE orders ADD COLUMN deal_campaign_id text REFERENCES deal_campaigns(id);

-- What the sandbox risk check answers for an openid (WeChat's getUserRiskRank levels 0-4).
CREATE TABLE sandbox_risk_levels (
  openid  text PRIMARY KEY,
  level   integer NOT NULL CHECK (level BETWEEN 0 AND 4)
);

-- The sharers' ledger, append-only: balances are sums. An accrual lands in 'pending'; settling
-- moves it to 'settled' with two rows; a refund reverses what is still pending.
CREATE TABLE earnings_ledger (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id     text NOT NULL REFERENCES users(id),
  order_id    text NOT NULL REFERENCES orders(id),
  kind        text NOT NULL CHECK (kind IN ('invite_reward', 'commission')),
  entry       text NOT NULL CHECK (entry IN ('accrue', 'settle_out', 'settle_in', 'reverse')),
  bucket      text NOT NULL CHECK (bucket IN ('pending', 'settled')),
  amount_fen  integer NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (order_id, kind, entry)
);
CREATE INDEX earnings_ledger_user_idx ON earnings_ledger (user_id, id DESC);

-- Down Migration
DROP TABLE earnings_ledger;
DROP TABLE sandbox_risk_levels;
ALTER TABLE orders DROP COLUMN deal_campaign_id;
DROP TABLE deal_claims;
DROP TABLE deal_invites;
DROP TABLE deal_entries;
DROP TABLE deal_campaigns;
