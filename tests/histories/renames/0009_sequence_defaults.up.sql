-- A default that calls nextval() holds its sequence by OID: what
-- pg_get_expr() prints follows the sequence when it is renamed or moved,
-- or its schema renamed; a serial column's and one written by hand
-- (read as a regclass when it is made: found on the search path, folded
-- unless quoted) alike, and the copies LIKE made.
CREATE SCHEMA books;
CREATE TABLE entry (id serial PRIMARY KEY, seq_no bigserial);
CREATE SEQUENCE entry_ref;
CREATE SEQUENCE "Entry_Batch";
ALTER TABLE entry ADD COLUMN ref int DEFAULT nextval('ENTRY_REF');
ALTER TABLE entry ADD COLUMN batch int DEFAULT nextval('"Entry_Batch"'::regclass);
CREATE TABLE books.line (id serial PRIMARY KEY, ref int DEFAULT nextval('public.entry_ref'));
CREATE TABLE entry_copy (LIKE entry INCLUDING DEFAULTS);

-- Renamed: ALTER TABLE ... RENAME of a sequence, ALTER SEQUENCE ... RENAME.
ALTER TABLE entry_id_seq RENAME TO entry_no_seq;
ALTER SEQUENCE entry_seq_no_seq RENAME TO "Entry_Seq";
-- Moved: ALTER SEQUENCE / ALTER TABLE ... SET SCHEMA of a sequence no
-- column owns (an owned one cannot move on its own), and a table, which
-- takes its serial columns' sequences along.
ALTER SEQUENCE entry_ref SET SCHEMA books;
ALTER TABLE "Entry_Batch" SET SCHEMA books;
ALTER TABLE books.line SET SCHEMA public;
-- The schema renamed.
ALTER SCHEMA books RENAME TO "Books 2";

-- A bare name is the sequence the search path finds when the default is
-- made; renamed later, the default follows it.
SET search_path TO "Books 2", public;
CREATE TABLE posting (id int DEFAULT nextval('entry_ref'));
RESET search_path;
ALTER SEQUENCE "Books 2".entry_ref RENAME TO posting_ref;

-- A sequence tied to a column by OWNED BY (not serial) moves with its
-- table, and the default with it.
CREATE TABLE journal (id int);
CREATE SEQUENCE journal_seq OWNED BY journal.id;
ALTER TABLE journal ALTER COLUMN id SET DEFAULT nextval('journal_seq');
ALTER TABLE journal SET SCHEMA "Books 2";
