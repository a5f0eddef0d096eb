SET lock_timeout = '5s';
CREATE TABLE payments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES orders (id),
    provider text NOT NULL,
    provider_ref text NOT NULL,
    amount numeric(12,2) NOT NULL,
    paid_at timestamptz,
    UNIQUE (provider, provider_ref)
);
CREATE INDEX payments_order_id_idx ON payments (order_id);
