-- Shipping: a tracking number on every order, and a faster status filter
-- for the fulfilment dashboard.
ALTER TABLE orders ADD COLUMN tracking_number text NOT NULL;
CREATE INDEX orders_status_idx ON orders (status);
