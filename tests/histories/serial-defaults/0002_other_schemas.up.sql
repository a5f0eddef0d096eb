-- Outside public the sequence is qualified, the schema quoted too when
-- it needs it.
CREATE SCHEMA billing;
CREATE TABLE billing.invoice (id bigserial PRIMARY KEY, customer_id int REFERENCES customer);
CREATE TABLE billing."Order" (id serial PRIMARY KEY, "lineNo" smallserial);
ALTER TABLE billing.invoice ADD COLUMN number serial;
ALTER TABLE "Customer" ADD COLUMN seq_no serial;

CREATE SCHEMA "Sales Dept";
CREATE TABLE "Sales Dept".deal (id serial PRIMARY KEY);
CREATE TABLE "Sales Dept"."Lead" (id serial PRIMARY KEY);
