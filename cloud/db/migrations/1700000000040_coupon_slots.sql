-- Up Migration

-- Coupon claims past the single hot row (issue 17). A coupon created with a large stock keeps it in
-- several rows (slots) so racing claimants do not queue on one row lock: a claim takes its unit from
-- a slot picked at random and falls over to the others when that one is empty; the coupon is sold
-- out only when every slot is. Which coupons get slots is decided in core (coupon.rules claimSlots),
-- once, at creation. A coupon of one slot (`slots = 1`, every coupon before this migration) keeps
-- its stock in its own row as before: `coupons.claimed`. A coupon of several keeps `coupons.stock`
-- as its total, `coupons.claimed` at 0, and each slot's share in `coupon_slots`; what it has claimed
-- is the sum of its slots' (coupon.repo CLAIMED). sum(coupon_slots.stock) = coupons.stock always:
-- the edits that move the stock lock every slot first (coupon.repo lockForEdit).
ALTER TABLE coupons ADD COLUMN slots integer NOT NULL DEFAULT 1 CHECK (slots BETWEEN 1 AND 64);

CREATE TABLE coupon_slots (
  coupon_id  text NOT NULL REFERENCES coupons(id),
  slot       integer NOT NULL CHECK (slot >= 0),
  stock      integer NOT NULL CHECK (stock >= 0),
  -- Each slot never passes its own stock, so the coupon never passes its total.
  claimed    integer NOT NULL DEFAULT 0 CHECK (claimed >= 0 AND claimed <= stock),
  -- The coupon's status is 'active' (暂停/结束 set it false in the same transaction as the status):
  -- the claim's conditional update of its slot requires it, as a one-slot claim requires 'active' of
  -- the coupon's row, so a claim that commits after a pause committed is refused.
  open       boolean NOT NULL,
  -- The claim window's end (admin.updateCoupon moves it in the same transaction), checked by the same update.
  valid_to   timestamptz NOT NULL,
  PRIMARY KEY (coupon_id, slot)
) WITH (fillfactor = 50);

/*
 * The last step of coupon.claim as one statement: one unit of stock, the caller's count, their
 * coupon, their chip in the rooms offering it, and every room's chip when that unit was the last.
 * The unit comes from a slot after the rest (the hot rows taken last), or from the coupon's own row
 * before the rest (see below). Core decides everything before it (the window, the status, a room-only
 * coupon's room, the per-user limit and the validity of the coupon given) and which refusal an
 * outcome is; this function only runs the statements in an order that costs the hot row least, and
 * answers the held coupon's id and `left_after`: 0 when this claim took the
 * coupon's last unit (every slot empty), else more than 0.
 * When it claims nothing it raises SQLSTATE WS409 (as the transaction's last statement, sent with its
 * COMMIT, must: the COMMIT after an error commits nothing), whatever it wrote undone, with the facts
 * in the error for core to choose the refusal:
 *   message 'coupon_claim:limit'  the caller holds p_limit already
 *   message 'coupon_claim:none'   no unit left or the coupon closed (a pause, an end or the window's
 *                                 end committed meanwhile); the detail is the coupon's status and
 *                                 window end read afresh, {"status": …, "validTo": …}
 * Each statement of a PL/pgSQL function reads a fresh snapshot (READ COMMITTED), and its plans are
 * kept for the connection.
 */
CREATE FUNCTION coupon_claim(
  p_coupon text, p_user text, p_limit integer, p_valid_from timestamptz, p_valid_to timestamptz, p_now timestamptz,
  p_touch_claimer boolean, p_touch_rooms_at_last boolean
) RETURNS TABLE (user_coupon_id text, left_after integer)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_slots integer;
  v_uc text;
  v_left integer;
  v_start integer;
  v_slot integer;
  v_fresh text;
BEGIN
  SELECT c.slots INTO v_slots FROM coupons c WHERE c.id = p_coupon;
  -- Refusals a committed state already decides write nothing: at the limit, or sold out.
  IF EXISTS (SELECT 1 FROM coupon_claim_counts n WHERE n.coupon_id = p_coupon AND n.user_id = p_user AND n.n >= p_limit) THEN
    RAISE EXCEPTION USING ERRCODE = 'WS409', MESSAGE = 'coupon_claim:limit';
  END IF;
  IF (v_slots = 1 AND EXISTS (SELECT 1 FROM coupons c WHERE c.id = p_coupon AND c.claimed < c.stock))
     OR (v_slots > 1 AND EXISTS (SELECT 1 FROM coupon_slots s WHERE s.coupon_id = p_coupon AND s.claimed < s.stock)) THEN
    -- A coupon of one row takes its unit first. That row is also what the counter's and the held
    -- coupon's foreign keys lock (KEY SHARE): taken by a claim that has not updated it yet, such a
    -- lock on the row others update makes every update carry all the lockers along (a MultiXact), a
    -- cost that grows with the crowd (PostgreSQL's CPU per claim rose eightfold at 64 connections).
    -- Updated first, the row is this transaction's own when the inserts check it: they take nothing.
    -- The row stays locked through the rest of this statement and the commit sent with it.
    IF v_slots = 1 THEN
      UPDATE coupons c SET claimed = c.claimed + 1
      WHERE c.id = p_coupon AND c.slots = 1 AND c.claimed < c.stock AND c.valid_from <= p_now AND c.valid_to >= p_now AND c.status = 'active'
      RETURNING c.stock - c.claimed INTO v_left;
    END IF;
    IF v_slots > 1 OR v_left IS NOT NULL THEN
      -- The caller's count rises only while under the limit, however many of their claims race.
      INSERT INTO coupon_claim_counts AS n (coupon_id, user_id, n) VALUES (p_coupon, p_user, 1)
      ON CONFLICT (coupon_id, user_id) DO UPDATE SET n = n.n + 1 WHERE n.n < p_limit;
      IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'WS409', MESSAGE = 'coupon_claim:limit';
      END IF;
      INSERT INTO user_coupons (coupon_id, user_id, valid_from, valid_to) VALUES (p_coupon, p_user, p_valid_from, p_valid_to)
      RETURNING id INTO v_uc;
      -- The claimer's chip (已领取) in every room they entered that offers it.
      IF p_touch_claimer THEN
        UPDATE room_entries e SET version = e.version + 1 FROM room_coupons rc
        WHERE rc.coupon_id = p_coupon AND e.room_id = rc.room_id AND e.user_id = p_user;
      END IF;
    END IF;

    -- A coupon in slots takes its unit last, from a slot at random, then the others in turn: racing
    -- claimants spread over the slots' row locks, each held from here to the commit. No foreign key
    -- points at a slot.
    IF v_slots > 1 THEN
      v_start := floor(random() * v_slots)::integer;
      FOR i IN 0 .. v_slots - 1 LOOP
        v_slot := (v_start + i) % v_slots;
        UPDATE coupon_slots s SET claimed = s.claimed + 1
        WHERE s.coupon_id = p_coupon AND s.slot = v_slot AND s.claimed < s.stock AND s.open AND s.valid_to >= p_now
        RETURNING s.stock - s.claimed INTO v_left;
        EXIT WHEN v_left IS NOT NULL;
        -- A closed slot means every slot is closed (暂停 and the window's edits close them all in one transaction).
        EXIT WHEN EXISTS (SELECT 1 FROM coupon_slots s WHERE s.coupon_id = p_coupon AND s.slot = v_slot AND (NOT s.open OR s.valid_to < p_now));
      END LOOP;
      IF v_left = 0 THEN
        -- This claim emptied its slot; the coupon is sold out if every other slot is empty too. The
        -- claims that empty a slot take the coupon's row in turn and read the slots after it (a fresh
        -- snapshot): of two emptying the last two slots at once, the second sees the first's commit,
        -- so exactly one of them reads 0. Claims that empty no slot never take it.
        PERFORM 1 FROM coupons c WHERE c.id = p_coupon FOR NO KEY UPDATE;
        SELECT COALESCE(sum(s.stock - s.claimed), 0)::integer INTO v_left FROM coupon_slots s WHERE s.coupon_id = p_coupon;
      END IF;
    END IF;
  END IF;
  IF v_left IS NULL THEN
    SELECT json_build_object('status', c.status, 'validTo', c.valid_to)::text INTO v_fresh FROM coupons c WHERE c.id = p_coupon;
    RAISE EXCEPTION USING ERRCODE = 'WS409', MESSAGE = 'coupon_claim:none', DETAIL = v_fresh;
  END IF;
  -- The last unit: 已抢光 for every viewer of the rooms it was dropped in, their rows in id order (live.repo touchRoomsOfCoupon).
  IF v_left = 0 AND p_touch_rooms_at_last THEN
    UPDATE live_rooms r SET version = r.version + 1 FROM (
      SELECT l.id FROM live_rooms l JOIN room_coupons rc ON rc.room_id = l.id WHERE rc.coupon_id = p_coupon ORDER BY l.id FOR NO KEY UPDATE OF l
    ) t WHERE r.id = t.id;
  END IF;
  RETURN QUERY SELECT v_uc, v_left;
END
$$;

-- Down Migration
-- A slotted coupon's claims live in its slots: back onto the coupon's own count, or it could be claimed again.
UPDATE coupons c SET claimed = s.claimed FROM (
  SELECT coupon_id, sum(claimed)::int AS claimed FROM coupon_slots GROUP BY coupon_id
) s WHERE c.id = s.coupon_id AND c.slots > 1;
DROP FUNCTION coupon_claim(text, text, integer, timestamptz, timestamptz, timestamptz, boolean, boolean);
DROP TABLE coupon_slots;
ALTER TABLE coupons DROP COLUMN slots;
