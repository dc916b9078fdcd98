-- Up Migration

-- A room's poll state (live.repo roomState, read by the host's live cache every few hundred ms and
-- after each entry) without reading every entry of a 10,000-viewer room:

-- The viewers whose own version moved past an entry's first (1): their claims, their 预约. Few of a
-- room's viewers; this index finds them alone.
CREATE INDEX room_entries_moved_idx ON room_entries (room_id, user_id, version) WHERE version <> 1;

-- The room's viewer count, kept by a trigger on room_entries (every insert and delete, however it is
-- made), in a row of its own: entries do not wait for the room's row, which likes and version moves
-- update. Equal to count(*) of the room's entries at every commit.
CREATE TABLE room_viewer_counts (
  room_id  text PRIMARY KEY REFERENCES live_rooms(id) ON DELETE CASCADE,
  viewers  integer NOT NULL DEFAULT 0 CHECK (viewers >= 0)
);
INSERT INTO room_viewer_counts (room_id, viewers)
  SELECT room_id, count(*)::int FROM room_entries GROUP BY room_id;

CREATE FUNCTION room_viewer_count_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO room_viewer_counts AS c (room_id, viewers)
      SELECT room_id, count(*)::int FROM new_rows GROUP BY room_id
      ON CONFLICT (room_id) DO UPDATE SET viewers = c.viewers + EXCLUDED.viewers;
  ELSE
    UPDATE room_viewer_counts c SET viewers = c.viewers - o.n
      FROM (SELECT room_id, count(*)::int AS n FROM old_rows GROUP BY room_id) o WHERE c.room_id = o.room_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER room_entries_counted_ins AFTER INSERT ON room_entries
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION room_viewer_count_kept();
CREATE TRIGGER room_entries_counted_del AFTER DELETE ON room_entries
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION room_viewer_count_kept();

-- Down Migration

DROP TRIGGER room_entries_counted_del ON room_entries;
DROP TRIGGER room_entries_counted_ins ON room_entries;
DROP FUNCTION room_viewer_count_kept();
DROP TABLE room_viewer_counts;
DROP INDEX room_entries_moved_idx;
