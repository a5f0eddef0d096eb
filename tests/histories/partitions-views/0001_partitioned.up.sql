-- A partitioned table: its partitions get the parent's columns, and an
-- index, primary key or foreign key on the parent is created on every
-- partition too, under a name of the partition's own.
CREATE TABLE event (
    id bigint GENERATED ALWAYS AS IDENTITY,
    created_at timestamptz NOT NULL,
    kind text NOT NULL DEFAULT 'info',
    payload jsonb,
    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
CREATE TABLE event_2024 PARTITION OF event FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE event_2025 PARTITION OF event FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE event_default PARTITION OF event DEFAULT;
CREATE INDEX ON event (kind);
CREATE INDEX event_created_brin ON event USING brin (created_at);
