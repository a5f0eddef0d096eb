CREATE TABLE products (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku varchar(64) NOT NULL UNIQUE,
    name varchar(255) NOT NULL,
    description text,
    price numeric(12,2) NOT NULL CHECK (price >= 0),
    legacy_sku text,
    created_at timestamptz NOT NULL DEFAULT now()
);
