-- The starting schema: users, and posts that reference them.
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL UNIQUE,
  name TEXT,
  legacy_flag INTEGER DEFAULT 0
);
CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title VARCHAR(200) NOT NULL,
  body TEXT,
  score TEXT
);
CREATE INDEX posts_user ON posts (user_id);
CREATE TABLE tags (post_id INTEGER REFERENCES posts, tag TEXT NOT NULL);
INSERT INTO users (email, name) VALUES ('a@example.com', 'A');
