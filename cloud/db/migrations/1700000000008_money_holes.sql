-- Up Migration

-- An inviter's reward is paid once per counted invite, whatever the friend pays and however
-- concurrently: the accrual names the invite, and a unique key on it holds the rule.
ALTER TABLE earnings_ledger
  ADD COLUMN invite_campaign_id text REFERENCES deal_campaigns(id),
  ADD COLUMN invitee_id text REFERENCES users(id);
UPDATE earnings_ledger l SET invite_campaign_id = o.deal_campaign_id, invitee_id = o.user_id
  FROM orders o WHERE o.id = l.order_id AND l.kind = 'invite_reward';
-- Earlier accruals of the same invite (the bug this migration closes) keep only the first.
DELETE FROM earnings_ledger l USING earnings_ledger f
  WHERE l.kind = 'invite_reward' AND f.kind = 'invite_reward' AND l.entry = 'accrue' AND f.entry = 'accrue'
    AND l.invite_campaign_id = f.invite_campaign_id AND l.invitee_id = f.invitee_id AND l.id > f.id
    AND NOT EXISTS (SELECT 1 FROM earnings_ledger x WHERE x.order_id = l.order_id AND x.kind = l.kind AND x.entry <> 'accrue');
CREATE UNIQUE INDEX earnings_invite_reward_once ON earnings_ledger (invite_campaign_id, invitee_id)
  WHERE kind = 'invite_reward' AND entry = 'accrue';
ALTER TABLE earnings_ledger ADD CHECK ((kind = 'invite_reward') = (invite_campaign_id IS NOT NULL AND invitee_id IS NOT NULL));

-- A refund after the money settled claws it back from the settled balance with a negative entry.
ALTER TABLE earnings_ledger DROP CONSTRAINT earnings_ledger_entry_check;
ALTER TABLE earnings_ledger ADD CONSTRAINT earnings_ledger_entry_check
  CHECK (entry IN ('accrue', 'settle_out', 'settle_in', 'reverse', 'clawback'));

-- Every refund is recorded, one per payment: a second payment of an order and money that came in
-- after a cancel are refunds too, beside the order's own.
ALTER TABLE refunds ADD COLUMN transaction_id text;
UPDATE refunds r SET transaction_id = p.transaction_id FROM payments p WHERE p.order_id = r.order_id;
UPDATE refunds SET transaction_id = 'unknown:' || order_id WHERE transaction_id IS NULL;
ALTER TABLE refunds ALTER COLUMN transaction_id SET NOT NULL;
ALTER TABLE refunds DROP CONSTRAINT refunds_pkey;
ALTER TABLE refunds ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
ALTER TABLE refunds ADD CONSTRAINT refunds_payment_once UNIQUE (transaction_id);
CREATE INDEX refunds_order_idx ON refunds (order_id);
-- Claimed before the provider is asked (so a replay asks once), then given the provider's id.
ALTER TABLE refunds ALTER COLUMN provider_refund_id DROP NOT NULL;

-- Why the merchant refunded an order (售后 after the shopper's refund window, for instance).
ALTER TABLE orders ADD COLUMN merchant_refund_reason text;

-- Down Migration
ALTER TABLE orders DROP COLUMN merchant_refund_reason;
UPDATE refunds SET provider_refund_id = '' WHERE provider_refund_id IS NULL;
ALTER TABLE refunds ALTER COLUMN provider_refund_id SET NOT NULL;
DROP INDEX refunds_order_idx;
ALTER TABLE refunds DROP CONSTRAINT refunds_payment_once;
ALTER TABLE refunds DROP COLUMN id;
DELETE FROM refunds r USING refunds f WHERE r.order_id = f.order_id AND r.created_at > f.created_at;
ALTER TABLE refunds ADD PRIMARY KEY (order_id);
ALTER TABLE refunds DROP COLUMN transaction_id;
DELETE FROM earnings_ledger WHERE entry = 'clawback';
ALTER TABLE earnings_ledger DROP CONSTRAINT earnings_ledger_entry_check;
ALTER TABLE earnings_ledger ADD CONSTRAINT earnings_ledger_entry_check CHECK (entry IN ('accrue', 'settle_out', 'settle_in', 'reverse'));
DROP INDEX earnings_invite_reward_once;
ALTER TABLE earnings_ledger DROP COLUMN invitee_id, DROP COLUMN invite_campaign_id;
