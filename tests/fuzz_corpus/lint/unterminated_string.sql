INSERT INTO users (email) VALUES ('unterminated
;
ALTER TABLE users DROP COLUMN email;
