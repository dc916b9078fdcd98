-- Up Migration

-- A room's poll state (live.repo roomState, read by the host's live cache every few hundred ms) names
-- the viewers whose own version moved past an entry's first (1): their claims, their 预约. Few of a
-- room's viewers; this index finds them without reading every entry of a 10,000-viewer room.
CREATE INDEX room_entries_moved_idx ON room_entries (room_id, user_id, version) WHERE version <> 1;

-- Down Migration

DROP INDEX room_entries_moved_idx;
