CREATE TABLE customer (
    id serial PRIMARY KEY,
    name text NOT NULL,
    email text UNIQUE,
    region text,
    code text UNIQUE,
    phone text,
    CHECK (name <> '')
);
CREATE TABLE invoice (
    id serial PRIMARY KEY,
    customer_id int NOT NULL REFERENCES customer,
    customer_code text REFERENCES customer (code),
    amount numeric(10,2) CHECK (amount >= 0),
    currency char(3) NOT NULL DEFAULT 'EUR',
    note text,
    voided boolean NOT NULL DEFAULT false
);
CREATE INDEX invoice_customer_id_idx ON invoice (customer_id);
CREATE INDEX invoice_open_idx ON invoice (customer_id) WHERE NOT voided;
CREATE INDEX invoice_note_idx ON invoice (lower(note));
CREATE UNIQUE INDEX customer_region_phone_idx ON customer (region, phone);
