-- Indexes on a materialized view name its columns (lemmy's aggregates);
-- CREATE TABLE AS / SELECT INTO take their columns from the query.
CREATE MATERIALIZED VIEW product_names AS SELECT id, name FROM product WITH NO DATA;
CREATE UNIQUE INDEX product_names_id ON product_names (id);
CREATE INDEX ON product_names (lower(name)) INCLUDE (id);
COMMENT ON COLUMN product_names.name IS 'as of the last refresh';
ALTER MATERIALIZED VIEW product_names RENAME COLUMN name TO title;
CREATE TABLE product_backup AS SELECT * FROM product WITH NO DATA;
ALTER TABLE product_backup ADD PRIMARY KEY (id);
CREATE TABLE product_stats (product_id, n) AS SELECT p.id, count(*) FROM product p GROUP BY p.id;
SELECT id, now() AS taken_at, 'x'::varchar(3) AS tag INTO product_snapshot FROM product;
CREATE INDEX ON product_snapshot (taken_at);
CREATE AGGREGATE total(int) (SFUNC = int4pl, STYPE = int);
-- A trigger goes with its function: DROP SCHEMA ... CASCADE (lemmy's
-- replaceable schema) and DROP FUNCTION ... CASCADE.
CREATE SCHEMA replaceable;
CREATE FUNCTION replaceable.count_products() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER product_count AFTER INSERT ON product FOR EACH STATEMENT EXECUTE FUNCTION replaceable.count_products();
CREATE FUNCTION stamp_product() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER product_stamp BEFORE INSERT ON product FOR EACH ROW EXECUTE PROCEDURE stamp_product();
DROP SCHEMA replaceable CASCADE;
DROP FUNCTION stamp_product() CASCADE;
