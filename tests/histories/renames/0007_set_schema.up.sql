-- SET SCHEMA moves the table with its indexes, constraints and owned
-- sequences; the names stay.
CREATE SCHEMA archive;
ALTER TABLE bill SET SCHEMA archive;
CREATE INDEX ON archive.bill (amount);
ALTER TABLE archive.bill RENAME COLUMN currency TO currency_code;
CREATE TABLE bill (id int PRIMARY KEY, archived_id int REFERENCES archive.bill (id));
ALTER SCHEMA archive RENAME TO attic;
CREATE INDEX ON attic.bill (currency_code);
