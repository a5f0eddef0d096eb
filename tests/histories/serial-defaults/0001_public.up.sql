-- A serial column's default is nextval() of its sequence, which
-- PostgreSQL prints as regclass does for the session's search path:
-- qualified when the schema is not public, each part quoted like an
-- identifier when it needs it (upper case, '$', non-ASCII, a quote).
CREATE TABLE customer (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE "Customer" (id serial PRIMARY KEY, "Ref" bigserial);
CREATE TABLE "price$list" (id smallserial PRIMARY KEY);
CREATE TABLE "o'brien" (id serial PRIMARY KEY);
CREATE TABLE café (id serial PRIMARY KEY);
