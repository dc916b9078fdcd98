-- Up Migration
-- Orders of the plays (issue 18): a group buy's and an assist's orders beside the deal's, and the
-- checkout's breakdown (member price, coupon, points) kept on the order.
--   kind       normal | deal | group | assist
--   play_ref   what a play's order is for: the deal campaign, the group, the assist task
--   coupon_fen the coupon's part of discount_fen; points_fen the points' part (points_used points)
--   member_saving_fen what member prices saved against the SKUs' prices (not part of discount_fen)
ALTER TABLE orders
  ADD COLUMN play_ref text,
  ADD COLUMN coupon_fen integer NOT NULL DEFAULT 0 CHECK (coupon_fen >= 0),
  ADD COLUMN points_used integer NOT NULL DEFAULT 0 CHECK (points_used >= 0),
  ADD COLUMN points_fen integer NOT NULL DEFAULT 0 CHECK (points_fen >= 0),
  ADD COLUMN member_saving_fen integer NOT NULL DEFAULT 0 CHECK (member_saving_fen >= 0);
UPDATE orders SET coupon_fen = discount_fen WHERE discount_fen > 0;
UPDATE orders SET play_ref = deal_campaign_id WHERE kind = 'deal';
ALTER TABLE orders ADD CONSTRAINT orders_kind_known CHECK (kind IN ('normal', 'deal', 'group', 'assist'));
ALTER TABLE orders ADD CONSTRAINT orders_discount_parts CHECK (coupon_fen + points_fen = discount_fen);
ALTER TABLE orders ADD CONSTRAINT orders_play_named CHECK ((kind = 'normal') = (play_ref IS NULL));

-- Down Migration
ALTER TABLE orders DROP CONSTRAINT orders_play_named;
ALTER TABLE orders DROP CONSTRAINT orders_discount_parts;
ALTER TABLE orders DROP CONSTRAINT orders_kind_known;
ALTER TABLE orders DROP COLUMN member_saving_fen, DROP COLUMN points_fen, DROP COLUMN points_used,
  DROP COLUMN coupon_fen, DROP COLUMN play_ref;
