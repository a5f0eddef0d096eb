CREATE TABLE source (id int PRIMARY KEY, name text NOT NULL);

CREATE TABLE metric (
    region text NOT NULL,
    source_id int REFERENCES source,
    value numeric(14,4),
    CHECK (value IS NULL OR value >= 0)
) PARTITION BY LIST (region);
CREATE TABLE metric_eu PARTITION OF metric FOR VALUES IN ('eu', 'uk');
CREATE TABLE metric_us PARTITION OF metric (value DEFAULT 0) FOR VALUES IN ('us');
CREATE INDEX metric_source_idx ON metric (source_id);

-- a table made elsewhere and attached: it gets the parent's indexes and
-- foreign keys (an index it already has that matches is adopted)
CREATE TABLE metric_apac (region text NOT NULL, source_id int, value numeric(14,4),
                          CONSTRAINT metric_value_check CHECK (value IS NULL OR value >= 0));
CREATE INDEX metric_apac_src ON metric_apac (source_id);
ALTER TABLE metric ATTACH PARTITION metric_apac FOR VALUES IN ('apac');
ALTER TABLE metric DETACH PARTITION metric_us;
