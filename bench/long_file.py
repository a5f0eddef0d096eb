#!/usr/bin/env python3
"""Statement kinds in one long migration file: does lint time grow linearly?

    bench/long_file.py [--migsafe build-bench/migsafe] [--n 3000] [--only KIND]

For each kind below, a history of two files is generated: a setup file
that creates N tables (and a type), and one file of N statements of that
kind (each on its own table, or in one transaction, as the kind says),
then the same at 10 N. migsafe lints both (JSON, medians of three) and
the growth of its CPU time is printed; more than 20 times for ten times
the statements is flagged: a rule or the replay reads back through the
file, or through the catalog, at each statement. Rules that look at the
other statements of the file are where this happened (missing-lock-
timeout, delete-all-rows, rename-*, unique-on-existing-data,
enum-value-in-transaction, transaction-nesting, type-change-rewrite).
The last kinds are one statement of N parts instead (subcommands of an
ALTER TABLE, columns of an index, relations of a view) and N indexes on
one table: the locks and the type rules read all of a statement's
changes at each subcommand, the catalog walked a table's indexes and an
index's columns to the end at each one added, and redundant-index
collected every pair of a table's indexes. "suppressed" puts each
statement under a migsafe:ignore (and a file-level one): each directive
looked for its statement from the file's first, and each finding read
every directive.
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

# kind: (setup statement for table i, statement i of the long file)
KINDS = {
    "insert": (None, "INSERT INTO t0 (id, a, b) VALUES ({i}, {i}, 'row {i}');"),
    "update-where": (None, "UPDATE t0 SET a = {i} WHERE id = {i};"),
    "update-all": ("t", "UPDATE t{i} SET a = 0;"),
    "delete-all": ("t", "DELETE FROM t{i};"),
    "add-column": ("t", "ALTER TABLE t{i} ADD COLUMN c{i} integer;"),
    "add-column-one-table": (None, "ALTER TABLE t0 ADD COLUMN c{i} integer;"),
    "set-not-null": ("t", "ALTER TABLE t{i} ALTER COLUMN a SET NOT NULL;"),
    "rename-column": ("t", "ALTER TABLE t{i} RENAME COLUMN a TO a2;"),
    "rename-table": ("t", "ALTER TABLE t{i} RENAME TO r{i};"),
    "add-unique": ("t", "INSERT INTO t{i} (id) VALUES (1);\n"
                        "ALTER TABLE t{i} ADD CONSTRAINT u{i} UNIQUE (a);"),
    "add-fk": ("t", "ALTER TABLE t{i} ADD CONSTRAINT f{i} FOREIGN KEY (a) REFERENCES t0 (id);"),
    "create-index": ("t", "CREATE INDEX i{i} ON t{i} (a);"),
    "alter-type": ("t", "ALTER TABLE t{i} ALTER COLUMN ts TYPE timestamptz;"),
    "drop-cascade": ("t", "DROP TABLE t{i} CASCADE;"),
    "drop-column": ("t", "ALTER TABLE t{i} DROP COLUMN b;"),
    "create-table": (None, "CREATE TABLE n{i} (id bigint PRIMARY KEY, p bigint REFERENCES t0 (id));"),
    "create-view": ("t", "CREATE VIEW v{i} AS SELECT id, a FROM t{i};"),
    "comment": ("t", "COMMENT ON COLUMN t{i}.a IS 'column {i}';"),
    "enum-add-value": (None, "ALTER TYPE mood ADD VALUE 'v{i}';"),
    "enum-add-value-quoted": (None, "ALTER TYPE mood ADD VALUE 'v{i}';\n"
                                    "INSERT INTO t0 (id, a, b) VALUES ({i}, {i}, 'v{i}');"),
    "blocks": (None, "BEGIN;\nUPDATE t0 SET a = {i} WHERE id = {i};\nCOMMIT;"),
    "set": (None, "SET lock_timeout = '{i}ms';"),
    "function": (None, "CREATE FUNCTION f{i}() RETURNS int LANGUAGE sql AS $$ SELECT {i} $$;"),
    "do-block": (None, "DO $$ BEGIN PERFORM {i}; END $$;"),
    "index-one-table": (None, "CREATE INDEX i{i} ON t0 (a, b);"),
    "suppressed": ("t", "-- migsafe:ignore drop-column ticket {i}\n"
                        "-- migsafe:ignore-file truncate-table\n"
                        "ALTER TABLE t{i} DROP COLUMN b;"),
    "tenant-schemas": (None, "CREATE SCHEMA s{i};\n"
                             "CREATE TABLE s{i}.accounts (id bigint PRIMARY KEY, email text UNIQUE);\n"
                             "ALTER TABLE s{i}.accounts ADD COLUMN note text;"),
    "unnamed-fks-one-column": (None, "ALTER TABLE t0 ADD FOREIGN KEY (a) REFERENCES t0 (id);"),
    "names-cut-alike": (None, "CREATE TABLE " + "t" * 41 + "_{i:021d} (id int, "
                              + "c" * 60 + " int UNIQUE);"),
    # one statement of N parts: (head, part i, separator, tail)
    "alter-subcommands": (None, ("ALTER TABLE t0 ", "ADD COLUMN c{i} timestamp", ", ", ";")),
    "alter-same-column": (None, ("ALTER TABLE t0 ", "ALTER COLUMN a SET DEFAULT {i}", ", ", ";")),
    "index-columns": (None, ("CREATE INDEX wide ON t0 (", "a", ", ", ");")),
    "view-relations": ("t", ("CREATE VIEW wide AS SELECT 1 FROM ", "t{i}", ", ", ";")),
}


def write_history(d, kind, n):
    setup, stmt = KINDS[kind]
    os.makedirs(d)
    with open(os.path.join(d, "0001_setup.up.sql"), "w") as f:
        f.write("CREATE TYPE mood AS ENUM ('a');\n")
        for i in range(n if setup else 1):
            f.write(f"CREATE TABLE t{i} (id bigint PRIMARY KEY, a int, b text, ts timestamp);\n")
    with open(os.path.join(d, "0002_long.up.sql"), "w") as f:
        if isinstance(stmt, tuple):
            head, part, sep, tail = stmt
            f.write(head + sep.join(part.format(i=i) for i in range(n)) + tail + "\n")
            return
        for i in range(n):
            f.write(stmt.format(i=i) + "\n")


def cpu_of(migsafe, d, runs=3):
    times = []
    for _ in range(runs):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([migsafe, "lint", "--format=json", "--fail-on=none", d],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--migsafe", default=os.path.join(HERE, "..", "build-bench", "migsafe"))
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--only", action="append")
    a = ap.parse_args()
    if not os.access(a.migsafe, os.X_OK):
        sys.exit(f"long_file.py: no migsafe at {a.migsafe} (bench/run.sh builds it)")
    tmp = tempfile.mkdtemp(prefix="migsafe-long-")
    flagged = 0
    try:
        print(f"{'kind':22s} {'stmts':>7s} {'cpu':>8s} {'stmts':>7s} {'cpu':>8s} {'growth':>7s}")
        for kind in a.only or KINDS:
            small, large = os.path.join(tmp, kind, "s"), os.path.join(tmp, kind, "l")
            write_history(small, kind, a.n)
            write_history(large, kind, 10 * a.n)
            cs, cl = cpu_of(a.migsafe, small), cpu_of(a.migsafe, large)
            growth = cl / cs if cs > 0 else float("inf")
            mark = "  <- superlinear" if growth > 20 else ""
            flagged += growth > 20
            print(f"{kind:22s} {a.n:7d} {cs:8.3f} {10 * a.n:7d} {cl:8.3f} {growth:6.1f}x{mark}",
                  flush=True)
            shutil.rmtree(os.path.join(tmp, kind))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{flagged} kind(s) grew more than 20x for 10x the statements")
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
