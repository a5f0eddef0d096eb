-- A second schema, reached through the search path. Types outside the
-- search path of a fresh session are qualified by format_type().
CREATE SCHEMA inventory;
SET search_path TO inventory, public;
CREATE TYPE grade AS ENUM ('a', 'b');
CREATE TABLE stock (
    id serial PRIMARY KEY,
    item_id int REFERENCES item (id),
    st status,
    g grade,
    g_list grade[],
    mail email,
    level int CHECK (level >= 0)
);
-- the same table name in two schemas
CREATE TABLE item (sku text PRIMARY KEY, stock_id int REFERENCES stock);
CREATE INDEX ON item (stock_id);
CREATE TABLE public.shelf (id int PRIMARY KEY, g grade, stock_sku text REFERENCES item (sku));
ALTER TYPE grade ADD VALUE 'c';
RESET search_path;
CREATE TABLE item_note (item_id int REFERENCES item, body text);
