-- Up Migration

-- What one viewer alone sees of a room moves their own version: their claim of a coupon offered in
-- the room, their 预约. live.sync answers the whole room when the room's version or this one moved
-- (core/live/room.ts decides which). A user who never entered has no row: viewer version 0.
ALTER TABLE room_entries ADD COLUMN version bigint NOT NULL DEFAULT 1;
-- Whether the viewer was the merchant's staff when they entered: never a lottery candidate, even if
-- their openid later leaves ADMIN_OPENIDS (the draw leaves out today's staff too).
ALTER TABLE room_entries ADD COLUMN staff boolean NOT NULL DEFAULT false;
-- The latest entrants of a room (sync's arrivals: 欢迎 X 进入直播间).
CREATE INDEX room_entries_latest_idx ON room_entries (room_id, entered_at DESC);

-- Who presents the show: by default the shop and the avatar shipped with the host.
ALTER TABLE live_rooms ADD COLUMN anchor_name text NOT NULL DEFAULT '好茶小铺' CHECK (length(anchor_name) BETWEEN 1 AND 20);
ALTER TABLE live_rooms ADD COLUMN anchor_avatar text NOT NULL DEFAULT '/media/files/anchor-avatar.svg';

-- A room-only coupon (直播专享) belongs to its room: claimable only there while live, never in the
-- claim center. Null for the shop's other coupons, dropped in rooms or not.
ALTER TABLE coupons ADD COLUMN room_id text REFERENCES live_rooms(id);
CREATE INDEX coupons_room_idx ON coupons (room_id) WHERE room_id IS NOT NULL;
-- The rooms a coupon was dropped in (a claim moves its claimer's version in each).
CREATE INDEX room_coupons_coupon_idx ON room_coupons (coupon_id);

-- admin.roomStats, polled by the console every few seconds while live: the room's paid orders
-- without a scan of every order.
CREATE INDEX orders_room_paid_idx ON orders (room_id) WHERE room_id IS NOT NULL AND paid_at IS NOT NULL;

-- Down Migration
DROP INDEX orders_room_paid_idx;
DROP INDEX room_coupons_coupon_idx;
DROP INDEX coupons_room_idx;
ALTER TABLE coupons DROP COLUMN room_id;
ALTER TABLE live_rooms DROP COLUMN anchor_avatar;
ALTER TABLE live_rooms DROP COLUMN anchor_name;
DROP INDEX room_entries_latest_idx;
ALTER TABLE room_entries DROP COLUMN staff;
ALTER TABLE room_entries DROP COLUMN version;
