-- With legacy_alter_table the references in other tables are not
-- rewritten by a rename: posts keeps REFERENCES users.
PRAGMA legacy_alter_table = ON;
ALTER TABLE users RENAME TO people;
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);
PRAGMA legacy_alter_table = OFF;
