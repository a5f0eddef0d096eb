-- A generated name that is already taken gets the next free digit. Indexes,
-- tables and sequences share one namespace; constraint names are checked
-- against the table's constraints and the schema's relations.
ALTER TABLE account ADD UNIQUE (email);
ALTER TABLE account ADD CHECK (age < 200);
ALTER TABLE account ADD CHECK (age < 300);
CREATE INDEX ON account (email);

CREATE TABLE member_account_code_idx (x int);
CREATE INDEX ON member (account_code);

CREATE TABLE ticket_id_seq (x int);
CREATE TABLE ticket (id serial PRIMARY KEY, title text);

CREATE TABLE team_pkey (x int);
CREATE TABLE team (id int PRIMARY KEY);
CREATE TABLE team_member (
    team_id int REFERENCES team,
    member_id bigint REFERENCES member,
    PRIMARY KEY (team_id, member_id),
    UNIQUE (member_id, team_id)
);
