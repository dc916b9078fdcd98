-- Up Migration

-- A play's orders by what they are for (an assist task's, a group's, a deal campaign's): the assist
-- desk's results join the tasks' orders on play_ref, and a play's lookups of its orders find them
-- without scanning every order.
CREATE INDEX orders_play_ref_idx ON orders (play_ref) WHERE play_ref IS NOT NULL;

-- Down Migration

DROP INDEX orders_play_ref_idx;
