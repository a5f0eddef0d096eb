-- users is in production by now: build the index without blocking writes.
-- CONCURRENTLY cannot run in a transaction block, so this statement is
-- alone in its file (golang-migrate then sends it on its own).
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_lower_key ON users (lower(email));
