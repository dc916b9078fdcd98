-- Up Migration

-- Presence (live.sync): a viewer's last poll, written at most once per 30 s per viewer; "watching"
-- is seen in the last 60 s. The room keeps its peak of watching viewers, sampled at most every 15 s
-- while live (a conditional update on peak_sampled_at), so polls do not become a write each.
ALTER TABLE room_entries ADD COLUMN last_seen_at timestamptz;
CREATE INDEX room_entries_seen_idx ON room_entries (room_id, last_seen_at) WHERE last_seen_at IS NOT NULL;
ALTER TABLE live_rooms ADD COLUMN peak_viewers integer NOT NULL DEFAULT 0 CHECK (peak_viewers >= 0);
ALTER TABLE live_rooms ADD COLUMN peak_sampled_at timestamptz;

-- Paging the console's room list by its own order (live_rooms.seq is the tiebreak).
CREATE INDEX live_rooms_status_starts_idx ON live_rooms (status, starts_at);

-- Down Migration

DROP INDEX live_rooms_status_starts_idx;
ALTER TABLE live_rooms DROP COLUMN peak_sampled_at;
ALTER TABLE live_rooms DROP COLUMN peak_viewers;
DROP INDEX room_entries_seen_idx;
ALTER TABLE room_entries DROP COLUMN last_seen_at;
