-- migsafe:ignore-file prefer-text
-- migsafe:ignore drop-column, rename-column reason: column unused since 2019
ALTER TABLE users DROP COLUMN name;
ALTER TABLE users RENAME COLUMN email TO mail; -- migsafe:ignore rename-column
-- migsafe:ignore no-such-rule
SELECT 1;
