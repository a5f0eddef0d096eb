-- Names that are SQL keywords (reserved, type/function or column-name
-- ones) are quoted wherever PostgreSQL prints them: types, defaults,
-- expressions and inspect's DDL. Unreserved keywords (name, data) are not.
CREATE SCHEMA "user";
CREATE TYPE "user" AS ENUM ('guest', 'admin');
CREATE TABLE "user"."order" (
    id serial PRIMARY KEY,
    "group" int NOT NULL,
    "select" text,
    "user" "user" NOT NULL DEFAULT 'guest',
    "precision" numeric(6,2),
    name text,
    data jsonb,
    CONSTRAINT "check" CHECK ("group" > 0 AND "user" <> 'admin'::"user")
);
CREATE INDEX "select" ON "user"."order" ("group", lower("select")) WHERE "user" = 'guest';
ALTER TABLE "user"."order" ADD CONSTRAINT "unique" UNIQUE ("select", "group");
CREATE TABLE "left" (
    "order" int REFERENCES "user"."order",
    "both" "user"[],
    CONSTRAINT "primary" PRIMARY KEY ("order")
);
CREATE VIEW "user"."table" AS SELECT "group", "user" FROM "user"."order";
-- partitioned tables in such a schema, with keys, CHECKs and foreign keys
-- that their partitions inherit, one partition made elsewhere and attached
CREATE TABLE "user".events (
    id int NOT NULL,
    "when" date NOT NULL,
    "order" int REFERENCES "user"."order",
    CONSTRAINT events_pk PRIMARY KEY (id, "when"),
    CHECK (id > 0)
) PARTITION BY RANGE ("when");
CREATE TABLE "user".events_2024 PARTITION OF "user".events
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE "user".events_rest (
    "order" int,
    id int NOT NULL,
    "when" date NOT NULL,
    note text DEFAULT 'none',
    CONSTRAINT events_id_check CHECK (id > 0)
);
ALTER TABLE "user".events ADD COLUMN note text;
ALTER TABLE "user".events ATTACH PARTITION "user".events_rest DEFAULT;
CREATE INDEX ON "user".events ("order");
CREATE TABLE "user".by_hash ("group" int) PARTITION BY HASH ("group");
CREATE TABLE "user".by_hash_0 PARTITION OF "user".by_hash FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE "user".by_hash_1 PARTITION OF "user".by_hash FOR VALUES WITH (MODULUS 2, REMAINDER 1);
