SET lock_timeout = '5s';
CREATE TABLE coupons (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code text NOT NULL UNIQUE,
    percent_off integer NOT NULL CHECK (percent_off BETWEEN 1 AND 100),
    valid_until timestamptz
);

ALTER TABLE orders ADD COLUMN coupon_id bigint REFERENCES coupons (id);
