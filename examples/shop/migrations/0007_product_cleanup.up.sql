SET lock_timeout = '5s';
-- The import from the old shop is done; tidy up products.
ALTER TABLE products DROP COLUMN legacy_sku;
ALTER TABLE products ALTER COLUMN name TYPE varchar(100);
