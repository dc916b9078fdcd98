-- Up Migration

-- 好友助力 / 砍价 (issue 18): one engine, two faces. A campaign asks helps_needed friends to help a
-- starter within task_hours; the coupon face grants reward_coupon_id on completion, the price_cut
-- face cuts cut_per_help_fen off price_fen (the SKU's price when the campaign was created, published
-- with it: the floor price_fen - helps_needed * cut_per_help_fen is at least 1 fen).
CREATE TABLE assist_campaigns (
  id                  text PRIMARY KEY DEFAULT new_id('ac'),
  title               text NOT NULL,
  face                text NOT NULL CHECK (face IN ('coupon', 'price_cut')),
  reward_coupon_id    text REFERENCES coupons(id),
  product_id          text REFERENCES products(id),
  sku_id              text REFERENCES skus(id),
  price_fen           integer,
  cut_per_help_fen    integer,
  helps_needed        integer NOT NULL CHECK (helps_needed BETWEEN 1 AND 20),
  task_hours          integer NOT NULL CHECK (task_hours BETWEEN 1 AND 72),
  -- The helper's own welcome coupon (claiming it is the help); null: a tap of 帮TA助力 is the help.
  helper_coupon_id    text REFERENCES coupons(id),
  new_customers_only  boolean NOT NULL DEFAULT false,
  daily_help_cap      integer NOT NULL DEFAULT 3 CHECK (daily_help_cap BETWEEN 1 AND 20),
  starts_at           timestamptz NOT NULL,
  ends_at             timestamptz NOT NULL,
  status              text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'ended')),
  created_at          timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at),
  CHECK ((face = 'coupon') = (reward_coupon_id IS NOT NULL)),
  CHECK ((face = 'price_cut') = (product_id IS NOT NULL AND sku_id IS NOT NULL AND price_fen IS NOT NULL AND cut_per_help_fen IS NOT NULL)),
  CHECK (face <> 'price_cut' OR (cut_per_help_fen >= 1 AND price_fen - helps_needed * cut_per_help_fen >= 1))
);

-- One task per starter and campaign, ever. The terms are copied at the start: a task keeps the terms
-- it was started under. helps never passes helps_needed; completed_at is set by the help that
-- reaches it. order_id is the task's one purchase (price_cut): an order not cancelled.
CREATE TABLE assist_tasks (
  id                text PRIMARY KEY DEFAULT new_id('at'),
  campaign_id       text NOT NULL REFERENCES assist_campaigns(id),
  starter_id        text NOT NULL REFERENCES users(id),
  helps_needed      integer NOT NULL,
  cut_per_help_fen  integer,
  price_fen         integer,
  helps             integer NOT NULL DEFAULT 0 CHECK (helps >= 0 AND helps <= helps_needed),
  started_at        timestamptz NOT NULL,
  expires_at        timestamptz NOT NULL,
  completed_at      timestamptz,
  order_id          text REFERENCES orders(id),
  UNIQUE (campaign_id, starter_id),
  CHECK ((completed_at IS NOT NULL) = (helps = helps_needed))
);
CREATE UNIQUE INDEX assist_tasks_order_idx ON assist_tasks (order_id) WHERE order_id IS NOT NULL;

-- Every friend who tried, once per task: counted, or the latest reason it did not count. A counted
-- help is never overwritten (a later try only marks tried_again). was_new: whether the friend was a
-- new customer at the help.
CREATE TABLE assist_helps (
  task_id    text NOT NULL REFERENCES assist_tasks(id),
  helper_id  text NOT NULL REFERENCES users(id),
  counted    boolean NOT NULL,
  reason     text CHECK (reason IN ('SELF', 'TASK_ENDED', 'TASK_COMPLETED', 'RISK_BLOCKED', 'NOT_NEW_CUSTOMER', 'ALREADY_HELPED', 'DAILY_LIMIT')),
  was_new    boolean NOT NULL,
  at         timestamptz NOT NULL,
  -- A counted friend who tried again (answered ALREADY_HELPED): the desk's ALREADY_HELPED figure.
  tried_again boolean NOT NULL DEFAULT false,
  PRIMARY KEY (task_id, helper_id),
  CHECK (counted = (reason IS NULL))
);
CREATE INDEX assist_helps_helper_idx ON assist_helps (helper_id);

-- A helper's counted helps per shop day (Asia/Shanghai), over all tasks: the daily cap's counter,
-- taken by one conditional update.
CREATE TABLE assist_help_days (
  helper_id  text NOT NULL REFERENCES users(id),
  day        date NOT NULL,
  n          integer NOT NULL CHECK (n >= 0),
  PRIMARY KEY (helper_id, day)
);

/*
 * One help, after the task's row is locked (assist.repo lockTask) and core has decided the caller's
 * own facts: takes the helper's day counter (at most p_cap) and the task's count (at most its
 * helps_needed, completing it at that count) by conditional updates, and records the help. Answers
 * 'counted' or 'completed' (this help completed the task), or 'DAILY_LIMIT' with nothing written.
 */
CREATE FUNCTION assist_take_help(p_task text, p_helper text, p_day date, p_cap integer, p_now timestamptz, p_was_new boolean)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  v_n integer;
  v_done timestamptz;
BEGIN
  INSERT INTO assist_help_days AS d (helper_id, day, n) VALUES (p_helper, p_day, 1)
  ON CONFLICT (helper_id, day) DO UPDATE SET n = d.n + 1 WHERE d.n < p_cap
  RETURNING d.n INTO v_n;
  IF v_n IS NULL THEN
    RETURN 'DAILY_LIMIT';
  END IF;
  UPDATE assist_tasks t SET helps = t.helps + 1,
    completed_at = CASE WHEN t.helps + 1 = t.helps_needed THEN p_now END
  WHERE t.id = p_task AND t.helps < t.helps_needed AND t.completed_at IS NULL AND t.expires_at > p_now
  RETURNING t.completed_at INTO v_done;
  IF NOT FOUND THEN
    -- The caller holds the task's lock and checked it: reaching here is a bug, undo the counter.
    RAISE EXCEPTION 'assist_take_help: task % not open', p_task;
  END IF;
  INSERT INTO assist_helps AS h (task_id, helper_id, counted, reason, was_new, at) VALUES (p_task, p_helper, true, NULL, p_was_new, p_now)
  ON CONFLICT (task_id, helper_id) DO UPDATE SET counted = true, reason = NULL, was_new = p_was_new, at = p_now WHERE NOT h.counted;
  IF NOT FOUND THEN RAISE EXCEPTION 'assist_take_help: % already helped %', p_helper, p_task; END IF;
  RETURN CASE WHEN v_done IS NOT NULL THEN 'completed' ELSE 'counted' END;
END $$;

-- Down Migration
DROP FUNCTION assist_take_help(text, text, date, integer, timestamptz, boolean);
DROP TABLE assist_help_days;
DROP TABLE assist_helps;
DROP TABLE assist_tasks;
DROP TABLE assist_campaigns;
