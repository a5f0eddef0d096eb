CREATE INDEX ON member (account_id);
CREATE INDEX ON member (account_id);
CREATE INDEX ON member (account_id, account_code);
CREATE UNIQUE INDEX ON account (lower(email));
CREATE INDEX ON account ((age + score));
CREATE INDEX ON account (code) WHERE code IS NOT NULL;
CREATE INDEX ON account (lower(code), upper(code));
