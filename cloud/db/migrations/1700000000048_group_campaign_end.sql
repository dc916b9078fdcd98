-- Up Migration

-- 结束活动 on the group desk (admin.endGroupCampaign): a campaign the merchant ended is `ended` for
-- good, with the moment it ended. An ended campaign opens no group and takes no join (like a paused
-- one) and no edit; its groups already open run to their end.
ALTER TABLE group_campaigns DROP CONSTRAINT group_campaigns_status_check;
ALTER TABLE group_campaigns ADD CONSTRAINT group_campaigns_status_check CHECK (status IN ('active', 'paused', 'ended'));
ALTER TABLE group_campaigns ADD COLUMN ended_at timestamptz;
ALTER TABLE group_campaigns ADD CONSTRAINT group_campaigns_ended_at CHECK ((status = 'ended') = (ended_at IS NOT NULL));

-- Down Migration

-- An ended campaign goes back as paused: before this migration that was the only way to stop one,
-- and it opens nothing either way.
ALTER TABLE group_campaigns DROP CONSTRAINT group_campaigns_ended_at;
UPDATE group_campaigns SET status = 'paused' WHERE status = 'ended';
ALTER TABLE group_campaigns DROP COLUMN ended_at;
ALTER TABLE group_campaigns DROP CONSTRAINT group_campaigns_status_check;
ALTER TABLE group_campaigns ADD CONSTRAINT group_campaigns_status_check CHECK (status IN ('active', 'paused'));
