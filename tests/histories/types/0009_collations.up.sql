-- Column collations: as created, copied by LIKE and to partitions,
-- changed or reset by ALTER COLUMN TYPE, "default" the type's own.
CREATE TABLE account (
    id bigint PRIMARY KEY,
    login text COLLATE "C" NOT NULL UNIQUE,
    display text COLLATE "POSIX",
    note text COLLATE "default",
    tags varchar(20)[] COLLATE "C"
);
CREATE TABLE account_copy (LIKE account INCLUDING ALL);
ALTER TABLE account ALTER COLUMN display TYPE varchar(200);
ALTER TABLE account ALTER COLUMN note TYPE varchar(100) COLLATE "C";
ALTER TABLE account ADD COLUMN code char(4) COLLATE "POSIX";
CREATE TABLE event_log (at date NOT NULL, source text COLLATE "C") PARTITION BY RANGE (at);
CREATE TABLE event_log_2025 PARTITION OF event_log FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
