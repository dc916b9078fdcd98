-- Up Migration

-- The browser that asked for a console sign-in ticket, as the phone shows it before 确认登录
-- ("Chrome 浏览器 · Windows · 203.0.113.7"): coarse, from the User-Agent and the address the host saw.
ALTER TABLE console_tickets ADD COLUMN device text NOT NULL DEFAULT '' CHECK (length(device) <= 120);

-- The actor's nickname at the time of the entry ("who: user and role at the time"): a rename later
-- must not rewrite the log. Entries written before this column get the nickname as it stands now
-- (the append-only trigger is set aside for this one backfill, inside the migration's transaction).
ALTER TABLE audit_log ADD COLUMN actor_name text;
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change;
UPDATE audit_log a SET actor_name = u.nickname FROM users u WHERE u.id = a.actor_id;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change;
ALTER TABLE audit_log ALTER COLUMN actor_name SET NOT NULL;

-- Down Migration
ALTER TABLE audit_log DROP COLUMN actor_name;
ALTER TABLE console_tickets DROP COLUMN device;
