-- The older shape: rename the table away, create it anew, copy, drop.
ALTER TABLE posts RENAME TO old_posts;
CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title VARCHAR(200) NOT NULL,
  body TEXT,
  score INTEGER
);
INSERT INTO posts (id, user_id, title, body, score)
SELECT id, user_id, title, body, score FROM old_posts;
DROP TABLE old_posts;
CREATE INDEX posts_user ON posts (user_id);
