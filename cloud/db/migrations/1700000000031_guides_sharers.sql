-- Up Migration

-- 导购: staff may be given the `guide` role (their own guide code and figures only), and a guide's
-- actions, like any staff member's, name their role in the audit log.
ALTER TABLE staff DROP CONSTRAINT staff_role_check;
ALTER TABLE staff ADD CONSTRAINT staff_role_check CHECK (role IN ('operator', 'service', 'anchor', 'guide'));
ALTER TABLE audit_log DROP CONSTRAINT audit_log_actor_role_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_actor_role_check CHECK (actor_role IN ('owner', 'operator', 'service', 'anchor', 'guide'));

-- The sharer ranking (admin.sharers): orders with a sharer, paid, by payment time, carrying what the
-- ranking sums, so a range is one index-only scan of the attributed orders, never of all orders.
CREATE INDEX orders_sharer_paid_idx ON orders (paid_at) INCLUDE (sharer_id, user_id, payable_fen, status, id)
  WHERE sharer_id IS NOT NULL AND paid_at IS NOT NULL;
-- One sharer's figures (a guide's page): their own orders by payment time.
CREATE INDEX orders_sharer_user_paid_idx ON orders (sharer_id, paid_at) INCLUDE (user_id, payable_fen, status)
  WHERE sharer_id IS NOT NULL AND paid_at IS NOT NULL;

-- Down Migration
DROP INDEX orders_sharer_user_paid_idx;
DROP INDEX orders_sharer_paid_idx;
DELETE FROM staff WHERE role = 'guide';
ALTER TABLE audit_log DROP CONSTRAINT audit_log_actor_role_check;
-- audit_log is append-only: a guide's entries (their console sign-in) stay as history, so 'guide'
-- stays an allowed actor role of the log even though no staff row may have it any more.
ALTER TABLE audit_log ADD CONSTRAINT audit_log_actor_role_check CHECK (actor_role IN ('owner', 'operator', 'service', 'anchor', 'guide'));
ALTER TABLE staff DROP CONSTRAINT staff_role_check;
ALTER TABLE staff ADD CONSTRAINT staff_role_check CHECK (role IN ('operator', 'service', 'anchor'));
