-- Identifiers longer than 63 bytes are truncated (with a NOTICE), and so
-- are the names derived from them; later statements spelled with the long
-- name find the truncated object.
CREATE TABLE a_table_name_that_is_deliberately_much_longer_than_sixty_three_bytes_in_total (
    id serial PRIMARY KEY,
    a_column_name_that_is_also_quite_long_for_an_identifier_really int UNIQUE,
    another_rather_long_column_name_for_testing_truncation_of_names text NOT NULL
        CHECK (another_rather_long_column_name_for_testing_truncation_of_names <> '')
);
ALTER TABLE a_table_name_that_is_deliberately_much_longer_than_sixty_three_bytes_in_total
    ADD COLUMN short_col int REFERENCES account (id);
CREATE INDEX ON a_table_name_that_is_deliberately_much_longer_than_sixty_three_bytes_in_total
    (short_col, a_column_name_that_is_also_quite_long_for_an_identifier_really);

-- 32 two-byte characters are 64 bytes: truncation keeps whole characters.
CREATE TABLE "éééééééééééééééééééééééééééééééé" (
    "ñññññññññññññññññññññññññññññññññ" int PRIMARY KEY
);
CREATE INDEX ON "éééééééééééééééééééééééééééééééé" (("ñññññññññññññññññññññññññññññññññ" + 1));
