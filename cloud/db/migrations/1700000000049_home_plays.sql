-- Up Migration
-- The home page's 拼团 · 砍价 strip (catalog.plays) lists the plays open now, ending soonest first, a
-- few of each: a range scan of these partial indexes from now on, stopped at the limit.
CREATE INDEX group_campaigns_open ON group_campaigns (ends_at, seq) WHERE status = 'active';
CREATE INDEX assist_campaigns_open_cuts ON assist_campaigns (ends_at, id) WHERE status = 'active' AND face = 'price_cut';

-- Down Migration
DROP INDEX IF EXISTS assist_campaigns_open_cuts;
DROP INDEX IF EXISTS group_campaigns_open;
