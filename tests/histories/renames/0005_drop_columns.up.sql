-- DROP COLUMN takes the indexes and constraints that use the column with
-- it: single- and multi-column, expression and predicate indexes, checks,
-- foreign keys; CASCADE also drops other tables' foreign keys to it.
ALTER TABLE client DROP COLUMN phone;
ALTER TABLE invoice DROP COLUMN voided;
ALTER TABLE invoice DROP COLUMN note;
ALTER TABLE client DROP COLUMN full_name;
ALTER TABLE client DROP COLUMN code CASCADE;
ALTER TABLE invoice DROP COLUMN client_id;
ALTER TABLE client ADD COLUMN phone text;
