-- Up Migration

CREATE TABLE coupons (
  id               text PRIMARY KEY DEFAULT new_id('cp'),
  seq              bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  title            text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('fixed', 'percent')),
  value_fen        integer CHECK (value_fen >= 1),
  percent_off      integer CHECK (percent_off BETWEEN 1 AND 99),
  max_off_fen      integer CHECK (max_off_fen >= 1),
  threshold_fen    integer NOT NULL DEFAULT 0 CHECK (threshold_fen >= 0),
  -- How many can be claimed in all; `claimed` never passes it (the claim is a conditional update).
  stock            integer NOT NULL CHECK (stock >= 0),
  claimed          integer NOT NULL DEFAULT 0 CHECK (claimed >= 0 AND claimed <= stock),
  per_user_limit   integer NOT NULL CHECK (per_user_limit >= 1),
  -- The claim window, and the validity of claimed coupons unless valid_days is set.
  valid_from       timestamptz NOT NULL,
  valid_to         timestamptz NOT NULL CHECK (valid_to > valid_from),
  -- Valid for N days after claiming (still claimable only inside the window).
  valid_days       integer CHECK (valid_days >= 1),
  scope            text NOT NULL DEFAULT 'all' CHECK (scope IN ('all', 'categories', 'products')),
  scope_ids        text[] NOT NULL DEFAULT '{}',
  -- Whether it may pay for flash-sale and new-user deal items (not by default).
  allow_on_special boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'fixed' AND value_fen IS NOT NULL) OR (kind = 'percent' AND percent_off IS NOT NULL))
);

-- How many of a template each user holds by claiming: the per-user limit's counter.
CREATE TABLE coupon_claim_counts (
  coupon_id  text NOT NULL REFERENCES coupons(id),
  user_id    text NOT NULL REFERENCES users(id),
  n          integer NOT NULL CHECK (n >= 1),
  PRIMARY KEY (coupon_id, user_id)
);

CREATE TABLE user_coupons (
  id          text PRIMARY KEY DEFAULT new_id('uc'),
  seq         bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  coupon_id   text NOT NULL REFERENCES coupons(id),
  user_id     text NOT NULL REFERENCES users(id),
  -- available → locked (by a pending order) → used (paid); cancel and refund give it back.
  status      text NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'locked', 'used')),
  order_id    text REFERENCES orders(id),
  valid_from  timestamptz NOT NULL,
  valid_to    timestamptz NOT NULL,
  -- Set on grants by admin.issueCoupon: the same grant twice gives one coupon.
  grant_key   text,
  claimed_at  timestamptz NOT NULL DEFAULT now(),
  used_at     timestamptz,
  UNIQUE (coupon_id, grant_key),
  CHECK ((status = 'available') = (order_id IS NULL))
);
CREATE INDEX user_coupons_user_idx ON user_coupons (user_id, status, valid_to);
CREATE INDEX user_coupons_order_idx ON user_coupons (order_id) WHERE order_id IS NOT NULL;

ALTER TABLE orders ADD COLUMN user_coupon_id text REFERENCES user_coupons(id);

-- Down Migration
ALTER TABLE orders DROP COLUMN user_coupon_id;
DROP TABLE user_coupons;
DROP TABLE coupon_claim_counts;
DROP TABLE coupons;
