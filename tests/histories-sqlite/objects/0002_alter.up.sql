-- ALTER TABLE as SQLite has it: add, rename and drop columns.
ALTER TABLE ledger ADD COLUMN posted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ledger ADD COLUMN note TEXT REFERENCES kv (k);
ALTER TABLE "Accounts" RENAME COLUMN "Id" TO account_id;
ALTER TABLE ledger RENAME COLUMN account TO account_ref;
ALTER TABLE ledger DROP COLUMN memo;
ALTER TABLE ledger RENAME TO journal;
DROP VIEW big_ledger;
CREATE VIEW big_journal AS SELECT id, amount FROM journal WHERE amount > 1000;
DROP INDEX "Ledger Currency";
