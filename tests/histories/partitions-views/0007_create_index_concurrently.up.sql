-- CONCURRENTLY cannot run in a transaction block, and golang-migrate sends
-- a file as one query (an implicit transaction when it has several
-- statements): each CONCURRENTLY statement is alone in its file.
CREATE INDEX CONCURRENTLY IF NOT EXISTS product_deleted_idx ON product (deleted_at);
