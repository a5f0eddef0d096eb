-- CREATE TABLE ... AS SELECT, then a rename into place.
CREATE TABLE users_copy AS SELECT id, email, name FROM users;
CREATE TABLE audit (id INTEGER PRIMARY KEY, at DATETIME DEFAULT CURRENT_TIMESTAMP);
DROP TABLE audit;
ALTER TABLE users_copy RENAME TO users_archive;
CREATE UNIQUE INDEX users_archive_email ON users_archive (email);
