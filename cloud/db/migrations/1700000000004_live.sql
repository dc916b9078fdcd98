-- Up Migration

CREATE TABLE live_rooms (
  id             text PRIMARY KEY DEFAULT new_id('r'),
  seq            bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  title          text NOT NULL,
  status         text NOT NULL DEFAULT 'upcoming' CHECK (status IN ('upcoming', 'live', 'ended')),
  starts_at      timestamptz NOT NULL,
  started_at     timestamptz,
  ended_at       timestamptz,
  -- live-player (RTMP/FLV pull), channels (视频号 live), video (HLS/MP4, replays and H5)
  stream_kind    text CHECK (stream_kind IN ('live-player', 'channels', 'video')),
  stream_url     text,
  replay_url     text,
  poster         text NOT NULL DEFAULT '',
  community_qr   text NOT NULL DEFAULT '',
  pinned_product_id text REFERENCES products(id),
  like_count     bigint NOT NULL DEFAULT 0,
  -- Bumped by every change a viewer must re-read (status, shelf, pinned card, dropped coupons).
  version        bigint NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE room_goods (
  room_id     text NOT NULL REFERENCES live_rooms(id),
  product_id  text NOT NULL REFERENCES products(id),
  pushed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (room_id, product_id)
);

-- A viewer's first entry into a room; the sharer it credited, if any.
CREATE TABLE room_entries (
  room_id     text NOT NULL REFERENCES live_rooms(id),
  user_id     text NOT NULL REFERENCES users(id),
  sharer_id   text REFERENCES users(id),
  entered_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (room_id, user_id),
  CHECK (sharer_id IS NULL OR sharer_id <> user_id)
);

-- Every credited invite: one per viewer and room at most (the primary key says so).
CREATE TABLE share_records (
  id          bigint GENERATED ALWAYS AS IDENTITY,
  room_id     text NOT NULL REFERENCES live_rooms(id),
  viewer_id   text NOT NULL REFERENCES users(id),
  sharer_id   text NOT NULL REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (room_id, viewer_id),
  CHECK (viewer_id <> sharer_id)
);
CREATE INDEX share_records_sharer_idx ON share_records (room_id, sharer_id);

-- The leaderboard, kept in the same transaction as each credit: invites, and when that count was reached.
-- Orders "who reached that count first" among equal counts.
CREATE SEQUENCE sharer_reach_seq;

CREATE TABLE sharer_counts (
  room_id     text NOT NULL REFERENCES live_rooms(id),
  sharer_id   text NOT NULL REFERENCES users(id),
  invites     integer NOT NULL CHECK (invites >= 1),
  reached_at  timestamptz NOT NULL,
  reached_seq bigint NOT NULL,
  PRIMARY KEY (room_id, sharer_id)
);
CREATE INDEX sharer_counts_rank_idx ON sharer_counts (room_id, invites DESC, reached_seq ASC);

CREATE TABLE room_comments (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  room_id     text NOT NULL REFERENCES live_rooms(id),
  user_id     text NOT NULL REFERENCES users(id),
  nickname    text NOT NULL,
  text        text NOT NULL CHECK (length(text) BETWEEN 1 AND 100),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX room_comments_room_idx ON room_comments (room_id, id);

CREATE TABLE room_coupons (
  room_id     text NOT NULL REFERENCES live_rooms(id),
  coupon_id   text NOT NULL REFERENCES coupons(id),
  dropped_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (room_id, coupon_id)
);

CREATE TABLE room_subscriptions (
  room_id     text NOT NULL REFERENCES live_rooms(id),
  user_id     text NOT NULL REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (room_id, user_id)
);

-- Messages to send (subscribe messages), each at most once: the dedupe key is unique.
CREATE TABLE notification_outbox (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('live_start', 'coupon_expiring')),
  user_id     text NOT NULL REFERENCES users(id),
  dedupe_key  text NOT NULL UNIQUE,
  payload     jsonb NOT NULL,
  status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts    integer NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now(),
  sent_at     timestamptz
);
CREATE INDEX notification_outbox_pending_idx ON notification_outbox (id) WHERE status = 'pending';

-- What the sandbox sender would have sent (the CloudBase sender calls subscribeMessage.send instead).
CREATE TABLE sandbox_messages (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  openid      text NOT NULL,
  template    text NOT NULL,
  page        text NOT NULL,
  data        jsonb NOT NULL,
  sent_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE lotteries (
  id           text PRIMARY KEY DEFAULT new_id('l'),
  room_id      text NOT NULL REFERENCES live_rooms(id),
  pool         text NOT NULL CHECK (pool IN ('sharers', 'viewers')),
  winners      integer NOT NULL CHECK (winners >= 1),
  prize        text NOT NULL DEFAULT '',
  -- Kept secret until the draw; only its sha256 is published at commit.
  seed         text NOT NULL,
  commitment   text NOT NULL,
  status       text NOT NULL DEFAULT 'committed' CHECK (status IN ('committed', 'drawn')),
  candidates   text[],
  winner_ids   text[],
  committed_at timestamptz NOT NULL DEFAULT now(),
  drawn_at     timestamptz
);
CREATE INDEX lotteries_room_idx ON lotteries (room_id, committed_at DESC);

-- Down Migration
DROP TABLE lotteries;
DROP TABLE sandbox_messages;
DROP TABLE notification_outbox;
DROP TABLE room_subscriptions;
DROP TABLE room_coupons;
DROP TABLE room_comments;
DROP TABLE sharer_counts;
DROP SEQUENCE sharer_reach_seq;
DROP TABLE share_records;
DROP TABLE room_entries;
DROP TABLE room_goods;
DROP TABLE live_rooms;
