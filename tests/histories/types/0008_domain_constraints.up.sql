-- A domain's constraints as ALTER DOMAIN changes them: generated names
-- (unique among the schema's constraints), NOT VALID and VALIDATE,
-- RENAME, DROP, NOT NULL set and dropped, a DEFAULT set and dropped.
CREATE DOMAIN percent AS int CHECK (VALUE >= 0) CHECK (VALUE <= 100);
CREATE TABLE grades (id bigint PRIMARY KEY, score percent, CHECK (id > 0));
CREATE DOMAIN grades_id AS bigint CHECK (VALUE > 0);
ALTER DOMAIN percent ADD CONSTRAINT even CHECK (VALUE % 2 = 0) NOT VALID;
ALTER DOMAIN percent ADD CONSTRAINT not_seven CHECK (VALUE <> 7) NOT VALID;
ALTER DOMAIN percent VALIDATE CONSTRAINT not_seven;
ALTER DOMAIN percent RENAME CONSTRAINT percent_check1 TO at_most_100;
ALTER DOMAIN percent DROP CONSTRAINT percent_check;
ALTER DOMAIN percent DROP CONSTRAINT IF EXISTS percent_check;
ALTER DOMAIN percent ADD CHECK (VALUE > -1);
ALTER DOMAIN percent SET NOT NULL;
ALTER DOMAIN percent DROP NOT NULL;
ALTER DOMAIN grades_id SET NOT NULL;
ALTER DOMAIN grades_id SET DEFAULT 1;
ALTER DOMAIN grades_id DROP DEFAULT;
ALTER DOMAIN email_address ADD CONSTRAINT has_dot CHECK (VALUE LIKE '%.%') NOT VALID;
