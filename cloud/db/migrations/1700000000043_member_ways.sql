-- Up Migration
-- The ways into membership (issue 18): phone sign-up and 朋友会员 through the merchant's 企业微信.

-- One number, one member: a phone verified by one customer can't make another a member.
CREATE UNIQUE INDEX memberships_phone_key ON memberships (phone);

-- Each customer's 联系我 code, made once: `state` (random, at most 30 characters) is what WeCom's add
-- event carries back to name them. config_id and qr_code are set in the transaction that claims the row.
CREATE TABLE wecom_contact_ways (
  user_id    text PRIMARY KEY REFERENCES users(id),
  state      text NOT NULL UNIQUE CHECK (length(state) <= 30),
  config_id  text,
  qr_code    text,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- WeCom external contacts as their events left them: the customer the first add through their code
-- linked, each staff member's standing ({"<UserID>": {"present": bool, "at": CreateTime}}), the latest
-- add's CreateTime. Every event for a contact locks its row first.
CREATE TABLE wecom_contacts (
  external_user_id text PRIMARY KEY,
  user_id          text REFERENCES users(id),
  follows          jsonb NOT NULL DEFAULT '{}',
  added_at         bigint,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX wecom_contacts_user ON wecom_contacts (user_id) WHERE user_id IS NOT NULL;

-- Every verified event, once: WeCom's events carry no id, so the key is what makes one (a replay
-- repeats all four).
CREATE TABLE wecom_events (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  external_user_id text NOT NULL,
  follow_user_id   text NOT NULL,
  change_type      text NOT NULL,
  create_time      bigint NOT NULL,
  state            text,
  outcome          text NOT NULL,
  received_at      timestamptz NOT NULL,
  UNIQUE (external_user_id, follow_user_id, change_type, create_time)
);

-- Down Migration
DROP TABLE wecom_events;
DROP TABLE wecom_contacts;
DROP TABLE wecom_contact_ways;
DROP INDEX memberships_phone_key;
