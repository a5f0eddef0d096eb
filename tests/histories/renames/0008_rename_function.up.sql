-- ALTER FUNCTION / AGGREGATE ... RENAME TO, and ALTER TYPE on attributes.
CREATE FUNCTION bill_total(b int) RETURNS int LANGUAGE sql AS 'SELECT b';
CREATE FUNCTION bill_total(b text) RETURNS text LANGUAGE sql AS 'SELECT b';
ALTER FUNCTION bill_total(int) RENAME TO bill_sum;
CREATE FUNCTION only_one() RETURNS int LANGUAGE sql AS 'SELECT 1';
ALTER FUNCTION only_one RENAME TO just_one;
CREATE AGGREGATE add_up(int) (SFUNC = int4pl, STYPE = int);
ALTER AGGREGATE add_up(int) RENAME TO summed;
CREATE TYPE money_pair AS (a int, b int);
ALTER TYPE money_pair ADD ATTRIBUTE c int, DROP ATTRIBUTE b;
ALTER TYPE money_pair RENAME ATTRIBUTE a TO amount;
-- EXECUTE of a string constant in a DO block is replayed like the statement.
CREATE TABLE ledger (id int, amount int);
DO $$ BEGIN
  EXECUTE 'CREATE INDEX ledger_id_idx ON ledger (id)';
  EXECUTE $q$ALTER TABLE ledger RENAME COLUMN amount TO total$q$;
END $$;
