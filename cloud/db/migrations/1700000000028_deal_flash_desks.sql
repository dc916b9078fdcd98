-- Up Migration

-- 9.9 deal campaigns can be paused (活动已暂停): deal.claim then answers DEAL_PAUSED. A claim reads the
-- campaign's row FOR SHARE, so a pause waits for claims in flight and no claim commits after it.
ALTER TABLE deal_campaigns ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused'));

-- Every opening of an inviter's link by someone else is kept (the funnel's 邀请打开), including an
-- inviter id that is nobody's (INVITER_NOT_FOUND, kept once per friend: only at their first touch).
ALTER TABLE deal_invite_attempts DROP CONSTRAINT deal_invite_attempts_inviter_id_fkey;

-- The desks' figures read a campaign's or a sale's orders and rewards at once.
CREATE INDEX orders_deal_campaign_idx ON orders (deal_campaign_id) WHERE deal_campaign_id IS NOT NULL;
CREATE INDEX orders_flash_sale_idx ON orders (flash_sale_id) WHERE flash_sale_id IS NOT NULL;
CREATE INDEX earnings_ledger_invite_campaign_idx ON earnings_ledger (invite_campaign_id) WHERE invite_campaign_id IS NOT NULL;

-- A sale the merchant ended (结束) stops selling at once: `sell` checks ended_at IS NULL under the
-- row's lock, so no unit is sold after the end commits. An active sale's ends_at also becomes the end.
ALTER TABLE flash_sales ADD COLUMN ended_at timestamptz;

-- Two sales of one SKU never overlap in time (the database decides, also between racing creates).
-- Sales that already overlap an earlier one of their SKU are closed first (kept, not selling).
CREATE EXTENSION IF NOT EXISTS btree_gist;
UPDATE flash_sales f SET ended_at = now()
  WHERE EXISTS (SELECT 1 FROM flash_sales e WHERE e.sku_id = f.sku_id AND e.seq < f.seq
                AND tstzrange(e.starts_at, e.ends_at) && tstzrange(f.starts_at, f.ends_at));
ALTER TABLE flash_sales ADD CONSTRAINT flash_sales_no_overlap
  EXCLUDE USING gist (sku_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (ended_at IS NULL);

-- Down Migration
ALTER TABLE flash_sales DROP CONSTRAINT flash_sales_no_overlap;
ALTER TABLE flash_sales DROP COLUMN ended_at;
DROP INDEX earnings_ledger_invite_campaign_idx;
DROP INDEX orders_flash_sale_idx;
DROP INDEX orders_deal_campaign_idx;
DELETE FROM deal_invite_attempts a WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = a.inviter_id);
ALTER TABLE deal_invite_attempts ADD CONSTRAINT deal_invite_attempts_inviter_id_fkey FOREIGN KEY (inviter_id) REFERENCES users(id);
ALTER TABLE deal_campaigns DROP COLUMN status;
