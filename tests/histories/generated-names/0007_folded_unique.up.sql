-- CREATE TABLE builds one index per key: a UNIQUE equal to the primary
-- key or to an earlier UNIQUE makes no constraint of its own and lends
-- its name to an unnamed kept one (UPchieve's "PRIMARY KEY NOT NULL UNIQUE").
CREATE TABLE us_state (code varchar(2) PRIMARY KEY NOT NULL UNIQUE, name text NOT NULL UNIQUE);
CREATE TABLE postal (code text PRIMARY KEY, CONSTRAINT postal_code_uniq UNIQUE (code));
CREATE TABLE pairs (a int UNIQUE, b int, CONSTRAINT pairs_a_named UNIQUE (a), UNIQUE (b, a), UNIQUE (a, b));
CREATE TABLE deferred_pairs (a int UNIQUE, UNIQUE (a) DEFERRABLE INITIALLY DEFERRED);
ALTER TABLE deferred_pairs ADD UNIQUE (a);
