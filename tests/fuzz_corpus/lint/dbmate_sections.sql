-- migrate:up transaction:false
ALTER TABLE orders ADD COLUMN shipped_at timestamptz;
CREATE INDEX CONCURRENTLY orders_shipped_idx ON orders (shipped_at);
-- migrate:down
ALTER TABLE orders DROP COLUMN shipped_at;
