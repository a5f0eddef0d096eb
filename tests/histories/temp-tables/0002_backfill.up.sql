-- a temporary copy under a permanent table's name hides it, and DROP
-- TABLE drops the copy; the work tables go with the session
CREATE TEMP TABLE users_backup AS SELECT id, email FROM users;
DROP TABLE users_backup;
ALTER TABLE users_backup ADD COLUMN saved_at timestamptz;
CREATE TEMPORARY TABLE ids (id bigint);
CREATE INDEX ids_id_idx ON ids (id);
INSERT INTO ids SELECT id FROM users WHERE verified IS NOT TRUE;
CREATE TABLE pg_temp.scratch (n int);
UPDATE users SET verified = false WHERE id IN (SELECT id FROM ids);
