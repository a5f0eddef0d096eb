-- Dropping a table with CASCADE drops the views built on it, and the
-- views built on those.
DROP TABLE note CASCADE;
DROP VIEW recent_event CASCADE;
CREATE VIEW metric_eu_view AS SELECT region, value FROM metric_eu;
ALTER TABLE metric_eu RENAME TO metric_europe;
