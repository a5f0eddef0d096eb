-- ALTER COLUMN ... TYPE, and renamed types seen through the columns that
-- use them.
ALTER TABLE item ALTER COLUMN name TYPE varchar(80);
ALTER TABLE item ALTER COLUMN name_any TYPE varchar(20) USING substr(name_any, 1, 20);
ALTER TABLE item ALTER COLUMN i4 TYPE bigint;
ALTER TABLE item ALTER COLUMN price SET DATA TYPE numeric(12,4);
ALTER TABLE item ALTER COLUMN plain_ts TYPE timestamptz USING plain_ts AT TIME ZONE 'UTC';
ALTER TABLE item ALTER COLUMN tags TYPE varchar(30)[];
ALTER TABLE item ALTER COLUMN code TYPE status USING NULL;
ALTER TABLE item ALTER COLUMN n TYPE int, ALTER COLUMN n SET NOT NULL;
ALTER TABLE item ALTER COLUMN created3 TYPE timestamp(6);
ALTER TABLE item ALTER COLUMN r TYPE numeric USING r::numeric;
ALTER TYPE status RENAME TO order_status;
ALTER TYPE dims RENAME TO dimensions;
ALTER DOMAIN email RENAME TO email_address;
ALTER TYPE inventory.grade RENAME VALUE 'a' TO 'top';
ALTER TYPE order_status SET SCHEMA inventory;
ALTER DOMAIN email_address SET NOT NULL;
