ALTER TABLE products ALTER COLUMN name TYPE varchar(255);
ALTER TABLE products ADD COLUMN legacy_sku text;
