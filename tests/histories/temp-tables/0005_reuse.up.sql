-- their names are free again in a new session
CREATE VIEW recent_ids AS SELECT id FROM ids;
CREATE SEQUENCE batch_seq;
CREATE VIEW backup_emails AS SELECT email FROM users_backup;
