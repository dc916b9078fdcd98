-- Up Migration

-- An approved withdrawal is paid by WeChat Pay 商家转账, which waits for the user to confirm receipt
-- in the mini-program and reports the end by a signed notify: `transferring` (待确认收款) until then,
-- `paid`, or `failed` (failed or cancelled, the amount back as a 'withdraw_return' line).
ALTER TABLE withdrawals DROP CONSTRAINT withdrawals_status_check;
ALTER TABLE withdrawals ADD CONSTRAINT withdrawals_status_check
  CHECK (status IN ('pending', 'transferring', 'paid', 'rejected', 'failed'));
-- The provider's bill number, and what the mini-program needs to confirm receipt (while transferring).
ALTER TABLE withdrawals ADD COLUMN transfer_id text;
ALTER TABLE withdrawals ADD COLUMN confirm jsonb;
ALTER TABLE withdrawals ADD COLUMN finished_at timestamptz;

-- One withdrawal in progress per user: waiting for the owner or for the transfer.
DROP INDEX withdrawals_one_pending;
CREATE UNIQUE INDEX withdrawals_one_pending ON withdrawals (user_id) WHERE status IN ('pending', 'transferring');

-- The sandbox's transfers, like WeChat's bills: waiting for the user's confirmation, then paid.
ALTER TABLE sandbox_transfers ADD COLUMN transfer_id text;
ALTER TABLE sandbox_transfers ADD COLUMN state text NOT NULL DEFAULT 'WAIT_USER_CONFIRM'
  CHECK (state IN ('WAIT_USER_CONFIRM', 'SUCCESS', 'CANCELLED'));
UPDATE sandbox_transfers SET state = 'SUCCESS', transfer_id = 'sbxt_' || withdrawal_id;
ALTER TABLE sandbox_transfers ALTER COLUMN transfer_id SET NOT NULL;

-- Down Migration
ALTER TABLE sandbox_transfers DROP COLUMN state;
ALTER TABLE sandbox_transfers DROP COLUMN transfer_id;
DROP INDEX withdrawals_one_pending;
CREATE UNIQUE INDEX withdrawals_one_pending ON withdrawals (user_id) WHERE status = 'pending';
UPDATE withdrawals SET status = 'pending' WHERE status = 'transferring';
UPDATE withdrawals SET status = 'rejected' WHERE status = 'failed';
ALTER TABLE withdrawals DROP COLUMN finished_at;
ALTER TABLE withdrawals DROP COLUMN confirm;
ALTER TABLE withdrawals DROP COLUMN transfer_id;
ALTER TABLE withdrawals DROP CONSTRAINT withdrawals_status_check;
ALTER TABLE withdrawals ADD CONSTRAINT withdrawals_status_check CHECK (status IN ('pending', 'paid', 'rejected'));
