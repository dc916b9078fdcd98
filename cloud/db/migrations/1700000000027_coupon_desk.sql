-- Up Migration

-- The coupon desk (营销 › 优惠券): the merchant pauses (暂停发放), resumes and ends a coupon. The
-- claim's stock update (coupon.repo takeStock) takes a unit only while the status is 'active', and
-- the status change updates the same row: a claim committed after a pause committed is refused.
-- 'ended' is never left (the conditional update of admin.setCouponStatus). A coupon past its window
-- reads 'ended' whatever this column says (decided in core, coupon.rules couponStatus).
ALTER TABLE coupons ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'ended'));

-- The desk's figures: the orders paid with a coupon, found from its held coupons.
CREATE INDEX orders_user_coupon_idx ON orders (user_coupon_id) WHERE user_coupon_id IS NOT NULL;

-- Down Migration
DROP INDEX orders_user_coupon_idx;
ALTER TABLE coupons DROP COLUMN status;
