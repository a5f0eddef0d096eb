-- Renamed columns follow into indexes, constraints and foreign keys.
ALTER TABLE client RENAME COLUMN name TO full_name;
ALTER TABLE client RENAME id TO client_id;
CREATE INDEX ON client (full_name);
ALTER TABLE invoice RENAME COLUMN customer_id TO client_id;
ALTER TABLE invoice RENAME COLUMN customer_code TO client_code;
ALTER TABLE invoice ADD CHECK (client_id > 0);
