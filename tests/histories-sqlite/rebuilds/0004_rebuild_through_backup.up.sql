-- Through a temporary backup table, as in SQLite's FAQ.
CREATE TEMPORARY TABLE tags_backup (post_id, tag);
INSERT INTO tags_backup SELECT post_id, tag FROM tags;
DROP TABLE tags;
CREATE TABLE tags (
  post_id INTEGER NOT NULL REFERENCES posts (id),
  tag TEXT NOT NULL,
  PRIMARY KEY (post_id, tag)
) WITHOUT ROWID;
INSERT INTO tags SELECT post_id, tag FROM tags_backup;
DROP TABLE tags_backup;
