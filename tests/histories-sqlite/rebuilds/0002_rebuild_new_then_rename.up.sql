-- The 12-step procedure: new table, copy, drop, rename.
PRAGMA foreign_keys = OFF;
CREATE TABLE new_users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL DEFAULT ''
);
INSERT INTO new_users (id, email, name) SELECT id, email, coalesce(name, '') FROM users;
DROP TABLE users;
ALTER TABLE new_users RENAME TO users;
PRAGMA foreign_keys = ON;
