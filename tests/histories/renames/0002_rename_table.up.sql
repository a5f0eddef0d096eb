-- Renaming a table keeps the names of its constraints, indexes and
-- sequences; new generated names use the new table name.
ALTER TABLE customer RENAME TO client;
ALTER TABLE client ADD COLUMN vat_id text;
CREATE INDEX ON client (vat_id);
ALTER TABLE client ADD UNIQUE (vat_id, region);
