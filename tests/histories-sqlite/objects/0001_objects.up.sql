-- Every kind of object the catalog holds for SQLite.
CREATE TABLE "Accounts" (
  "Id" INTEGER NOT NULL,
  [Display Name] TEXT COLLATE NOCASE,
  `balance` NUMERIC(12, 2) NOT NULL DEFAULT 0.00 CHECK (balance >= 0),
  currency CHAR(3) NOT NULL DEFAULT 'EUR',
  created DATETIME DEFAULT (datetime('now')),
  code TEXT GENERATED ALWAYS AS (upper(currency) || "Id") VIRTUAL,
  doubled NUMERIC AS (balance * 2) STORED,
  CONSTRAINT accounts_pk PRIMARY KEY ("Id"),
  CONSTRAINT positive_id CHECK ("Id" > 0)
);
CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB, n) WITHOUT ROWID;
CREATE TABLE strict_t (id INTEGER PRIMARY KEY, amount REAL NOT NULL, note ANY) STRICT;
CREATE TABLE ledger (
  id INTEGER PRIMARY KEY,
  account INTEGER NOT NULL,
  currency CHAR(3),
  amount NUMERIC,
  memo TEXT,
  FOREIGN KEY (account) REFERENCES "Accounts" ON DELETE RESTRICT ON UPDATE CASCADE,
  UNIQUE (account, id)
);
CREATE INDEX ledger_memo_lower ON ledger (lower(memo));
CREATE INDEX ledger_amount_desc ON ledger (amount DESC, id);
CREATE UNIQUE INDEX ledger_partial ON ledger (account) WHERE amount > 0;
CREATE INDEX "Ledger Currency" ON ledger (currency COLLATE NOCASE);
CREATE VIEW big_ledger AS SELECT id, amount FROM ledger WHERE amount > 1000;
CREATE TRIGGER ledger_touch AFTER UPDATE ON ledger BEGIN
  UPDATE ledger SET memo = coalesce(memo, '') WHERE id = new.id;
END;
CREATE VIRTUAL TABLE notes USING fts5 (title, body);
