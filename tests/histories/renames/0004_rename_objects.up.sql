-- Renaming a constraint that owns an index renames the index, and the
-- other way round.
ALTER TABLE invoice RENAME CONSTRAINT invoice_amount_check TO invoice_amount_nonneg;
ALTER TABLE client RENAME CONSTRAINT customer_email_key TO client_email_key;
ALTER INDEX invoice_customer_id_idx RENAME TO invoice_client_id_idx;
ALTER INDEX customer_pkey RENAME TO client_pkey;
ALTER INDEX IF EXISTS no_such_index RENAME TO still_no_such_index;
ALTER SEQUENCE customer_id_seq RENAME TO client_client_id_seq;
ALTER TABLE invoice RENAME CONSTRAINT invoice_customer_id_fkey TO invoice_client_id_fkey;

-- ... and the new names are what later statements use.
ALTER TABLE invoice DROP CONSTRAINT invoice_amount_nonneg;
ALTER TABLE invoice ADD CONSTRAINT invoice_amount_nonneg CHECK (amount >= 0) NOT VALID;
ALTER TABLE invoice ADD CONSTRAINT invoice_amount_small CHECK (amount < 1000000) NOT VALID;
ALTER TABLE invoice VALIDATE CONSTRAINT invoice_amount_small;
ALTER TABLE client DROP CONSTRAINT client_email_key;
ALTER TABLE client ADD CONSTRAINT client_email_key UNIQUE (email);
DROP INDEX invoice_client_id_idx;
CREATE INDEX invoice_client_id_idx ON invoice (client_id, id);
