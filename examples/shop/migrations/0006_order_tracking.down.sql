DROP INDEX IF EXISTS orders_status_idx;
ALTER TABLE orders DROP COLUMN IF EXISTS tracking_number;
