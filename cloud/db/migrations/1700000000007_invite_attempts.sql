-- Up Migration

-- Invites that did not count, with the reason, so the inviter sees every friend who opened the link.
CREATE TABLE deal_invite_attempts (
  campaign_id  text NOT NULL REFERENCES deal_campaigns(id),
  invitee_id   text NOT NULL REFERENCES users(id),
  inviter_id   text NOT NULL REFERENCES users(id),
  reason       text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, inviter_id, invitee_id)
);

-- Down Migration
DROP TABLE deal_invite_attempts;
