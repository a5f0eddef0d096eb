CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, verified boolean);
CREATE TABLE users_backup (id bigint PRIMARY KEY, email text);
