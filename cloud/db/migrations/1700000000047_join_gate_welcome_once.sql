-- Up Migration

-- 拼团: a pause or end that has committed lets no further join take a seat (docs/rules.md, "Joining,
-- and the last seat"). A join takes its seat by one conditional update on the group's row that also
-- requires the campaign open (active, inside its window) in its snapshot, then reads the campaign
-- again in a statement of its own (group.repo join). A change of the campaign's status or window
-- locks its unfinished groups (pending and forming, in id order) in the same transaction, so:
--  * a join that took a seat before the lock holds the group's row: the change waits for its commit;
--  * a join reaching a group after the lock waits for the change's commit, and its second read sees it.
-- So no seat is committed after the change commits, and every join stays off the campaign's row.
CREATE FUNCTION group_campaign_gate_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM groups WHERE campaign_id = NEW.id AND status IN ('pending', 'forming') ORDER BY id FOR SHARE;
  RETURN NULL;
END $$;

CREATE TRIGGER group_campaigns_gate AFTER UPDATE OF status, starts_at, ends_at ON group_campaigns
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.starts_at IS DISTINCT FROM NEW.starts_at
    OR OLD.ends_at IS DISTINCT FROM NEW.ends_at)
  EXECUTE FUNCTION group_campaign_gate_changed();

-- 好友助力: the helper's welcome coupon is a welcome, once per helper and campaign (docs/rules.md,
-- "Grants"): its grant key names the campaign and the helper, and the help that got it names it.
ALTER TABLE assist_helps ADD COLUMN welcome_coupon_id text REFERENCES user_coupons(id);

-- Helps already counted name the welcome coupon they were granted under the old key (one per task).
UPDATE assist_helps h SET welcome_coupon_id = u.id
FROM assist_tasks t, assist_campaigns a, user_coupons u
WHERE t.id = h.task_id AND a.id = t.campaign_id AND h.counted AND a.helper_coupon_id IS NOT NULL
  AND u.coupon_id = a.helper_coupon_id AND u.grant_key = ':assist-help:' || t.id || ':' || h.helper_id;

-- The earliest of each helper's welcome coupons in a campaign takes the campaign's key, so a helper
-- who has one gets no other; any later ones (granted before this rule) keep their task's key.
UPDATE user_coupons u SET grant_key = ':assist-help:' || f.campaign_id || ':' || f.helper_id
FROM (
  SELECT DISTINCT ON (t.campaign_id, h.helper_id) t.campaign_id, h.helper_id, h.welcome_coupon_id
  FROM assist_helps h JOIN assist_tasks t ON t.id = h.task_id JOIN user_coupons c ON c.id = h.welcome_coupon_id
  ORDER BY t.campaign_id, h.helper_id, c.seq
) f
WHERE u.id = f.welcome_coupon_id;

-- Down Migration
UPDATE user_coupons u SET grant_key = ':assist-help:' || h.task_id || ':' || h.helper_id
FROM assist_helps h WHERE h.welcome_coupon_id = u.id;
ALTER TABLE assist_helps DROP COLUMN welcome_coupon_id;
DROP TRIGGER group_campaigns_gate ON group_campaigns;
DROP FUNCTION group_campaign_gate_changed();
