-- +goose Up
-- +goose NO TRANSACTION
-- +goose StatementBegin
CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
-- +goose StatementEnd
CREATE INDEX CONCURRENTLY users_name_idx ON users (name);
-- +goose Down
DROP INDEX users_name_idx;
