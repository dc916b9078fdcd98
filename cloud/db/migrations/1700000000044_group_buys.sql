-- Up Migration
-- Group buys (拼团, issue 18). A campaign sells one SKU at a group price to groups of `group_size`
-- who pay within `group_hours` of the group opening. A group holds seats (held: members with an
-- order not cancelled, paid or not; paid: those paid) by one conditional update on its row, so the
-- CHECKs below are the last word on "at most size members, at most held of them paid".
CREATE TABLE group_campaigns (
  id              text PRIMARY KEY DEFAULT new_id('gc'),
  seq             bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  title           text NOT NULL DEFAULT '',
  product_id      text NOT NULL REFERENCES products(id),
  sku_id          text NOT NULL REFERENCES skus(id),
  group_price_fen integer NOT NULL CHECK (group_price_fen >= 1),
  group_size      integer NOT NULL CHECK (group_size BETWEEN 2 AND 10),
  group_hours     integer NOT NULL CHECK (group_hours BETWEEN 1 AND 72),
  starts_at       timestamptz NOT NULL,
  ends_at         timestamptz NOT NULL,
  on_expiry       text NOT NULL CHECK (on_expiry IN ('refund', 'complete')),
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at)
);
CREATE INDEX group_campaigns_product ON group_campaigns (product_id);

-- A group: pending (the leader's order unpaid: nobody sees or joins it) → forming (the leader paid,
-- expires_at = then + hours) → succeeded | failed; or cancelled (the leader's order cancelled while
-- pending). Size, price and what expiry does are the campaign's at opening.
CREATE TABLE groups (
  id           text PRIMARY KEY,
  campaign_id  text NOT NULL REFERENCES group_campaigns(id),
  leader_id    text NOT NULL REFERENCES users(id),
  size         integer NOT NULL CHECK (size BETWEEN 2 AND 10),
  hours        integer NOT NULL CHECK (hours BETWEEN 1 AND 72),
  price_fen    integer NOT NULL CHECK (price_fen >= 1),
  on_expiry    text NOT NULL CHECK (on_expiry IN ('refund', 'complete')),
  held         integer NOT NULL DEFAULT 1 CHECK (held >= 0 AND held <= size),
  paid         integer NOT NULL DEFAULT 0 CHECK (paid >= 0 AND paid <= held),
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'forming', 'succeeded', 'failed', 'cancelled')),
  opened_at    timestamptz NOT NULL,
  formed_at    timestamptz,
  expires_at   timestamptz,
  ended_at     timestamptz,
  CHECK (status IN ('pending', 'cancelled') OR expires_at IS NOT NULL),
  CHECK ((status IN ('pending', 'forming')) = (ended_at IS NULL))
);
CREATE INDEX groups_campaign ON groups (campaign_id, status);
-- The expiry job's scan and the campaign page's open groups.
CREATE INDEX groups_forming ON groups (expires_at) WHERE status = 'forming';

-- A seat: one per order. held (order unpaid) → paid; left (its unpaid order cancelled, or refunded
-- while the group was forming: the seat freed) or refunded (after the group ended). `open` while the
-- seat is unfinished: held or paid in a group that has not ended.
CREATE TABLE group_members (
  group_id    text NOT NULL REFERENCES groups(id),
  campaign_id text NOT NULL REFERENCES group_campaigns(id),
  user_id     text NOT NULL REFERENCES users(id),
  order_id    text NOT NULL UNIQUE REFERENCES orders(id),
  leader      boolean NOT NULL DEFAULT false,
  status      text NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'paid', 'left', 'refunded')),
  open        boolean NOT NULL DEFAULT true,
  joined_at   timestamptz NOT NULL,
  paid_at     timestamptz,
  CHECK (NOT open OR status IN ('held', 'paid'))
);
-- One seat per person per group.
CREATE UNIQUE INDEX group_members_one_seat ON group_members (group_id, user_id) WHERE status IN ('held', 'paid');
-- One unfinished seat per person per campaign, leader or member: racing opens and joins hold one.
CREATE UNIQUE INDEX group_members_one_open ON group_members (campaign_id, user_id) WHERE open;
CREATE INDEX group_members_group ON group_members (group_id);
CREATE INDEX group_members_user ON group_members (user_id);

-- Down Migration
DROP TABLE group_members;
DROP TABLE groups;
DROP TABLE group_campaigns;
