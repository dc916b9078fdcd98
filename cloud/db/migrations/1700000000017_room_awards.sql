-- Up Migration

-- The top-3 sharers' prize of a room (admin.awardTopSharers), once per room whatever the coupon: the
-- primary key lets one award in; a retry with the same coupon reads back who it went to.
CREATE TABLE room_awards (
  room_id     text PRIMARY KEY REFERENCES live_rooms(id),
  coupon_id   text NOT NULL REFERENCES coupons(id),
  user_ids    text[] NOT NULL,
  awarded_at  timestamptz NOT NULL
);

-- Down Migration
DROP TABLE room_awards;
