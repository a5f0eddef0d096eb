-- views and sequences can be temporary too, and a view that reads a
-- temporary table is temporary without saying so
CREATE TEMP TABLE recent (id bigint);
CREATE VIEW recent_ids AS SELECT id FROM recent;
CREATE TEMP VIEW backup_emails AS SELECT email FROM users_backup;
CREATE TEMPORARY SEQUENCE batch_seq;
CREATE SEQUENCE pg_temp.other_seq;
CREATE VIEW verified_users AS SELECT id FROM users WHERE verified;
