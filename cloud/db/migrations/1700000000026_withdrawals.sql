-- Up Migration

-- A sharer's withdrawal (提现): the amount leaves the settled balance when it is asked for (a
-- 'withdraw_hold' ledger entry), is paid through the transfer provider when the owner approves, or
-- comes back ('withdraw_return') when the owner rejects it.
CREATE TABLE withdrawals (
  id               text PRIMARY KEY DEFAULT new_id('wd'),
  user_id          text NOT NULL REFERENCES users(id),
  amount_fen       integer NOT NULL CHECK (amount_fen >= 100),
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'rejected')),
  idempotency_key  text NOT NULL,
  reason           text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  decided_at       timestamptz,
  UNIQUE (user_id, idempotency_key)
);
-- One withdrawal in progress per user.
CREATE UNIQUE INDEX withdrawals_one_pending ON withdrawals (user_id) WHERE status = 'pending';
CREATE INDEX withdrawals_status_idx ON withdrawals (status, created_at DESC, id DESC);
CREATE INDEX withdrawals_user_idx ON withdrawals (user_id, created_at DESC);

-- Ledger lines of a withdrawal carry it instead of an order.
ALTER TABLE earnings_ledger ALTER COLUMN order_id DROP NOT NULL;
ALTER TABLE earnings_ledger ADD COLUMN withdrawal_id text REFERENCES withdrawals(id);
ALTER TABLE earnings_ledger DROP CONSTRAINT earnings_ledger_kind_check;
ALTER TABLE earnings_ledger ADD CONSTRAINT earnings_ledger_kind_check CHECK (kind IN ('invite_reward', 'commission', 'withdrawal'));
ALTER TABLE earnings_ledger DROP CONSTRAINT earnings_ledger_entry_check;
ALTER TABLE earnings_ledger ADD CONSTRAINT earnings_ledger_entry_check
  CHECK (entry IN ('accrue', 'settle_out', 'settle_in', 'reverse', 'clawback', 'withdraw_hold', 'withdraw_return'));
ALTER TABLE earnings_ledger ADD CONSTRAINT earnings_ledger_source_check CHECK (
  (kind = 'withdrawal') = (withdrawal_id IS NOT NULL AND order_id IS NULL AND bucket = 'settled' AND entry IN ('withdraw_hold', 'withdraw_return'))
  AND (kind = 'withdrawal' OR order_id IS NOT NULL));
CREATE UNIQUE INDEX earnings_ledger_withdrawal_once ON earnings_ledger (withdrawal_id, entry) WHERE withdrawal_id IS NOT NULL;

-- What the sandbox transfer provider paid: one transfer per withdrawal.
CREATE TABLE sandbox_transfers (
  withdrawal_id  text PRIMARY KEY REFERENCES withdrawals(id),
  openid         text NOT NULL,
  amount_fen     integer NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE sandbox_transfers;
DROP INDEX earnings_ledger_withdrawal_once;
ALTER TABLE earnings_ledger DROP CONSTRAINT earnings_ledger_source_check;
DELETE FROM earnings_ledger WHERE kind = 'withdrawal';
ALTER TABLE earnings_ledger DROP CONSTRAINT earnings_ledger_entry_check;
ALTER TABLE earnings_ledger ADD CONSTRAINT earnings_ledger_entry_check
  CHECK (entry IN ('accrue', 'settle_out', 'settle_in', 'reverse', 'clawback'));
ALTER TABLE earnings_ledger DROP CONSTRAINT earnings_ledger_kind_check;
ALTER TABLE earnings_ledger ADD CONSTRAINT earnings_ledger_kind_check CHECK (kind IN ('invite_reward', 'commission'));
ALTER TABLE earnings_ledger DROP COLUMN withdrawal_id;
ALTER TABLE earnings_ledger ALTER COLUMN order_id SET NOT NULL;
DROP TABLE withdrawals;
