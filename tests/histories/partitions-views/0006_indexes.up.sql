-- Partial, expression, INCLUDE, other access methods, sort options.
CREATE INDEX event_2024_kind_partial ON event_2024 (kind) INCLUDE (payload) WHERE kind <> 'info';
CREATE UNIQUE INDEX ON product (lower(sku)) INCLUDE (id, name) WHERE deleted_at IS NULL;
CREATE INDEX ON product USING gin (tags);
CREATE INDEX ON product USING hash (sku);
CREATE INDEX ON product (price DESC NULLS LAST, id);
CREATE INDEX ON product ((name || sku), price) WHERE price > 10;
CREATE INDEX product_tags_len ON product (array_length(tags, 1));
CREATE UNIQUE INDEX product_sku_lower ON product_all (sku COLLATE "C" text_pattern_ops);
