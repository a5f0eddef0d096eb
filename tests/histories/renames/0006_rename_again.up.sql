ALTER TABLE invoice RENAME TO bill;
ALTER TABLE bill ALTER COLUMN amount TYPE numeric(12,2);
ALTER TABLE bill ALTER COLUMN amount SET NOT NULL;
ALTER TABLE bill ALTER COLUMN currency DROP DEFAULT;
ALTER TABLE bill ADD COLUMN client_id int REFERENCES client ON DELETE CASCADE;
CREATE INDEX ON bill (client_id);
ALTER TABLE IF EXISTS no_such_table RENAME TO still_no_such_table;
ALTER TABLE client RENAME CONSTRAINT client_vat_id_region_key TO client_vat_region_key;
