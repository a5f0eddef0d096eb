\set ON_ERROR_STOP on
\connect app
SET lock_timeout = '2s';
SET statement_timeout TO 0;
COPY users (email) FROM stdin;
a@example.com
b@example.com
\.
ALTER TABLE users ADD COLUMN n int DEFAULT random()::int;
