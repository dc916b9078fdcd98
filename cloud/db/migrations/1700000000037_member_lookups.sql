-- Up Migration
-- admin.member's lookups by customer, each on an index led by its column (the existing ones lead with
-- the room / campaign, which a lookup by user alone has to read whole): the first room entered,
-- the room credits and the 9.9 invites they made.
CREATE INDEX room_entries_user_idx ON room_entries (user_id, entered_at);
CREATE INDEX share_records_sharer_only_idx ON share_records (sharer_id);
CREATE INDEX deal_invites_inviter_only_idx ON deal_invites (inviter_id);
-- The room report finds its own grants (room-top3:<room>, room-end:<room>) by key, then their
-- coupons by grant_id (user_coupons_grant_idx).
CREATE INDEX coupon_grants_key_idx ON coupon_grants (grant_key);

-- Down Migration
DROP INDEX coupon_grants_key_idx;
DROP INDEX deal_invites_inviter_only_idx;
DROP INDEX share_records_sharer_only_idx;
DROP INDEX room_entries_user_idx;
