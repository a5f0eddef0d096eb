-- NULLS NOT DISTINCT (PostgreSQL 15) on a unique index and on unique
-- constraints, inline and added; a plain unique index on the same column
-- is no twin of the NULLS NOT DISTINCT one.
CREATE TABLE nnd (
  id bigint PRIMARY KEY,
  a int,
  b int,
  c int,
  CONSTRAINT nnd_a_key UNIQUE NULLS NOT DISTINCT (a)
);
CREATE UNIQUE INDEX nnd_b_idx ON nnd (b) NULLS NOT DISTINCT;
CREATE UNIQUE INDEX nnd_b_plain ON nnd (b);
ALTER TABLE nnd ADD UNIQUE NULLS NOT DISTINCT (c);
