CREATE INDEX ON app.accounts (email);
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS acc_lower ON app.accounts USING BTREE (lower(email) DESC NULLS LAST, name text_pattern_ops NULLS FIRST) INCLUDE (plan, code) WHERE plan > 0 AND NOT flag;
CREATE INDEX acc_gin ON ONLY app.accounts USING GIN (bits);
CREATE UNIQUE INDEX acc_nnd ON app.accounts (code) NULLS NOT DISTINCT;
CREATE INDEX acc_expr ON app.accounts ((plan + 1), (coalesce(name, '')) );
