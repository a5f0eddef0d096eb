#!/usr/bin/env python3
"""Error oracle: does replay refuse the statements PostgreSQL 15 refuses?

    python3 tests/t_error_oracle.py path/to/migsafe [--seeds N] [--family F]...
                                    [--seed S]... [--show F:S]

Random scripts of DDL are run on a throwaway PostgreSQL 15 (initdb +
pg_ctl in a temp dir, unix socket only, removed at the end), one fresh
database a script, every statement on its own (psql -f, autocommit), and
linted by migsafe as the second file of a history whose first creates
the same schema (--transaction=none). For each statement the two must
agree: PostgreSQL refuses it exactly when migsafe reports
duplicate-object or unknown-object on its line. A statement PostgreSQL
refuses leaves no trace in either; one replay gets wrong makes the names
after it drift, which is what the test is for (the replay's model of
which names are taken, by what). Four families of scripts:
  names    tables, views, sequences, indexes, enum, composite and domain
           types over names that collide on purpose, in two schemas:
           CREATE, RENAME, SET SCHEMA, DROP, OWNED BY;
  deps     tables, views, materialized views, keys, checks and drops that
           depend on each other, CASCADE or not, TRUNCATE;
  columns  columns, constraints by name, indexes on columns and
           expressions, identities, generated columns;
  types    enums and their labels, domains, columns of them, drops.

The scripts are seeded (random.Random(seed)): the same seeds give the
same scripts. Where PostgreSQL refuses a statement for a reason the
model does not follow and migsafe does not report (UNMODELLED: types of
expressions, a DROP that other objects depend on, which the drop rules
report and replay carries out, a column of a type never made, which is
taken on trust), the script is compared up to that statement only. Single
differences the model does not follow are listed in KNOWN with the
reason. One `ok`/`not ok` line per script, the differences on failure,
and the last line `N passed, N failed`; exit 1 on any failure.

Environment: PGBIN (server binaries; default /usr/lib/postgresql/15/bin),
MIGSAFE_ALLOW_NO_PG=1 (skip, passing, when the server is not installed).
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgtmp  # noqa: E402

PGBIN = os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin")

NAMES = ["a", "b", "c", "t", "u", "a_b_idx", "t_pkey", "t_x_key", "t_x_idx", "u_id_seq",
         "s.a", "s.t"]
COLS = ["x", "y", "id"]

# (family, seed, line): why the model answers otherwise
KNOWN = {
    ("names", 2, 15): "RENAME COLUMN of a view: the model keeps no columns for views",
    ("names", 30, 6): "RENAME COLUMN of a view: the model keeps no columns for views",
    ("names", 30, 9): "RENAME COLUMN of a view: the model keeps no columns for views",
    ("names", 44, 14): "a serial column's sequence whose generated name a type holds",
    ("names", 44, 23): "the table of line 14 is made in the model only (see there)",
}

# PostgreSQL's refusals the model does not follow: (statement, message,
# why), patterns; a script is compared up to the first statement refused
# so that migsafe does not report (after it, the two may drift)
UNMODELLED = [
    (r"", r"depend on it", "a DROP without CASCADE that other objects depend on: the drop"
                           " rules report it, and replay carries it out"),
    (r"", r"cannot truncate a table referenced", "reported by truncate-table"),
    (r"", r"operator does not exist|cannot be cast|is of type|must be type"
          r"|cannot be implemented", "the types of expressions are not checked"),
    (r"", r"must be declared NOT NULL before identity|identity column type must be"
          r"|already has a default value|is in a primary key|is an identity column"
          r"|cannot use generated column",
     "a column's state that no rule of RULES.md names"),
    (r"^(CREATE TABLE|ALTER TABLE)", r'type "[^"]*" does not exist',
     "a column's type the history never made is taken on trust (extensions' types are not"
     " modelled)"),
]


def statement(r):
    """One statement over the colliding names."""
    n, c = r.choice(NAMES), r.choice(COLS)
    bare = r.choice([x for x in NAMES if "." not in x])
    forms = [
        lambda: f"CREATE TABLE {n} (id int PRIMARY KEY, x int, y int)",
        lambda: f"CREATE TABLE {n} (id serial, x int UNIQUE)",
        lambda: f"CREATE INDEX ON {n} ({c})",
        lambda: f"CREATE INDEX {bare} ON {n} ({c})",
        lambda: f"CREATE UNIQUE INDEX {bare} ON {n} ({c})",
        lambda: f"CREATE TYPE {n} AS ENUM ('v')",
        lambda: f"CREATE TYPE {n} AS (z int)",
        lambda: f"CREATE DOMAIN {n} AS int",
        lambda: f"CREATE VIEW {n} AS SELECT 1 AS q",
        lambda: f"CREATE SEQUENCE {n}",
        lambda: f"ALTER TABLE {n} RENAME TO {bare}",
        lambda: f"ALTER INDEX {n} RENAME TO {bare}",
        lambda: f"ALTER TYPE {n} RENAME TO {bare}",
        lambda: f"ALTER TABLE {n} ADD CONSTRAINT {bare} UNIQUE ({c})",
        lambda: f"ALTER TABLE {n} ADD PRIMARY KEY ({c})",
        lambda: f"DROP TABLE {n}",
        lambda: f"DROP TYPE {n}",
        lambda: f"DROP INDEX {n}",
        lambda: f"ALTER TABLE {n} ADD COLUMN {c} int",
        lambda: f"ALTER TABLE {n} DROP COLUMN {c}",
        lambda: f"ALTER TABLE {n} RENAME COLUMN {c} TO {r.choice(COLS)}",
        lambda: f"ALTER TABLE {n} SET SCHEMA s",
        lambda: f"ALTER TYPE {n} SET SCHEMA s",
        lambda: f"CREATE SEQUENCE {n} OWNED BY {r.choice(NAMES)}.{c}",
    ]
    return r.choice(forms)()


TABLES = ["p", "c", "d", "s.p"]
DCOLS = ["id", "a", "b"]


def statement_deps(r):
    """One statement of tables, views and keys that depend on each other."""
    t, t2, c, c2 = r.choice(TABLES), r.choice(TABLES), r.choice(DCOLS), r.choice(DCOLS)
    v = r.choice(["v1", "v2", "s.v1"])
    k = r.choice(["k1", "k2", "p_a_key", "c_a_fkey", "p_pkey"])
    forms = [
        lambda: f"CREATE TABLE {t} (id int PRIMARY KEY, a int, b int)",
        lambda: f"CREATE TABLE {t} (id int PRIMARY KEY, a int REFERENCES {t2}, b int)",
        lambda: f"CREATE VIEW {v} AS SELECT {c} FROM {t}",
        lambda: f"CREATE MATERIALIZED VIEW {v} AS SELECT {c} FROM {t}",
        lambda: f"DROP TABLE {t}",
        lambda: f"DROP TABLE {t} CASCADE",
        lambda: f"DROP VIEW {v}",
        lambda: f"DROP MATERIALIZED VIEW {v}",
        lambda: f"ALTER TABLE {t} DROP COLUMN {c}",
        lambda: f"ALTER TABLE {t} DROP COLUMN {c} CASCADE",
        lambda: f"ALTER TABLE {t} ALTER COLUMN {c} TYPE bigint",
        lambda: f"ALTER TABLE {t} ALTER COLUMN {c} TYPE text",
        lambda: f"ALTER TABLE {t} ADD CONSTRAINT {k} FOREIGN KEY ({c}) REFERENCES {t2}",
        lambda: f"ALTER TABLE {t} ADD CONSTRAINT {k} FOREIGN KEY ({c}) REFERENCES {t2} ({c2})",
        lambda: f"ALTER TABLE {t} ADD CONSTRAINT {k} UNIQUE ({c})",
        lambda: f"ALTER TABLE {t} ADD CONSTRAINT {k} CHECK ({c} > 0)",
        lambda: f"ALTER TABLE {t} DROP CONSTRAINT {k}",
        lambda: f"ALTER TABLE {t} DROP CONSTRAINT {k} CASCADE",
        lambda: f"ALTER TABLE {t} RENAME CONSTRAINT {k} TO {r.choice(['k1', 'k2', 'k3'])}",
        lambda: f"ALTER TABLE {t} RENAME COLUMN {c} TO {c2}",
        lambda: f"ALTER TABLE {t} RENAME TO {r.choice(['p', 'c', 'd', 'e'])}",
        lambda: f"ALTER TABLE {t} ALTER COLUMN {c} SET NOT NULL",
        lambda: f"ALTER TABLE {t} DROP CONSTRAINT {r.choice(['p_pkey', 'c_pkey', 'd_pkey'])}",
        lambda: f"CREATE INDEX {r.choice(['i1', 'i2'])} ON {t} ({c})",
        lambda: f"DROP INDEX {r.choice(['i1', 'i2', 'p_pkey', 'p_a_key', 'k1'])}",
        lambda: "DROP SCHEMA s",
        lambda: "CREATE SCHEMA s",
        lambda: f"ALTER TABLE {t} ADD COLUMN {c} int",
        lambda: f"ALTER TABLE {t} ADD PRIMARY KEY ({c})",
        lambda: f"TRUNCATE {t}",
    ]
    return r.choice(forms)()


CTABLES = ["t", "u", "s.t"]
CCOLS = ["a", "b", "c", "id"]
CKEYS = ["k1", "k2", "t_a_key", "t_a_check", "u_pkey", "t_b_fkey"]


def statement_columns(r):
    """One statement on columns, named constraints, indexes, identities."""
    t, t2, c, c2 = r.choice(CTABLES), r.choice(CTABLES), r.choice(CCOLS), r.choice(CCOLS)
    k = r.choice(CKEYS)
    forms = [
        lambda: f"CREATE TABLE {t} (id int PRIMARY KEY, a int, b text)",
        lambda: f"ALTER TABLE {t} ADD COLUMN {c} int",
        lambda: f"ALTER TABLE {t} ADD COLUMN IF NOT EXISTS {c} int",
        lambda: f"ALTER TABLE {t} DROP COLUMN {c}",
        lambda: f"ALTER TABLE {t} DROP COLUMN IF EXISTS {c}",
        lambda: f"ALTER TABLE {t} RENAME COLUMN {c} TO {c2}",
        lambda: f"ALTER TABLE {t} ALTER COLUMN {c} SET NOT NULL",
        lambda: f"ALTER TABLE {t} ALTER COLUMN {c} DROP NOT NULL",
        lambda: f"ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT 1",
        lambda: f"ALTER TABLE {t} ALTER COLUMN {c} TYPE bigint",
        lambda: f"ALTER TABLE {t} ADD CONSTRAINT {k} UNIQUE ({c})",
        lambda: f"ALTER TABLE {t} ADD CONSTRAINT {k} CHECK ({c} IS NOT NULL)",
        lambda: f"ALTER TABLE {t} ADD UNIQUE ({c})",
        lambda: f"ALTER TABLE {t} ADD CHECK ({c} IS NOT NULL)",
        lambda: f"ALTER TABLE {t} ADD CONSTRAINT {k} FOREIGN KEY ({c}) REFERENCES {t2} (id)",
        lambda: f"ALTER TABLE {t} ADD FOREIGN KEY ({c}) REFERENCES {t2}",
        lambda: f"ALTER TABLE {t} DROP CONSTRAINT {k}",
        lambda: f"ALTER TABLE {t} DROP CONSTRAINT IF EXISTS {k}",
        lambda: f"ALTER TABLE {t} RENAME CONSTRAINT {k} TO {r.choice(CKEYS)}",
        lambda: f"CREATE INDEX {r.choice(CKEYS)} ON {t} ({c})",
        lambda: f"CREATE INDEX ON {t} ({c}, {c2})",
        lambda: f"CREATE INDEX ON {t} (lower({c}::text))",
        lambda: f"ALTER TABLE {t} ALTER COLUMN {c} ADD GENERATED ALWAYS AS IDENTITY",
        lambda: f"ALTER TABLE {t} ALTER COLUMN {c} DROP IDENTITY",
        lambda: f"ALTER TABLE {t} ADD COLUMN {c} int GENERATED ALWAYS AS ({c2} * 2) STORED",
        lambda: f"ALTER TABLE {t} ADD PRIMARY KEY ({c})",
        lambda: f"COMMENT ON COLUMN {t}.{c} IS 'x'",
        lambda: f"CREATE TABLE {t} (id int, a int, b int, CONSTRAINT {k} UNIQUE (a))",
    ]
    return r.choice(forms)()


ETYPES = ["mood", "s.mood", "color", "d1"]
LABELS = ["'a'", "'b'", "'c'"]


def statement_types(r):
    """One statement on enums, domains and columns of them."""
    t, v, v2, tb = r.choice(ETYPES), r.choice(LABELS), r.choice(LABELS), r.choice(["t", "u"])
    # a domain's constraints: named, or the names PostgreSQL generates
    dc, dc2 = (r.choice(["dc", "dc2", f"{t.split('.')[-1]}_check", f"{t.split('.')[-1]}_check1"])
               for _ in range(2))
    forms = [
        lambda: f"CREATE TYPE {t} AS ENUM ({v})",
        lambda: f"CREATE TYPE {t} AS ENUM ({v}, {v2})",
        lambda: f"ALTER TYPE {t} ADD VALUE {v}",
        lambda: f"ALTER TYPE {t} ADD VALUE IF NOT EXISTS {v}",
        lambda: f"ALTER TYPE {t} ADD VALUE {v} BEFORE {v2}",
        lambda: f"ALTER TYPE {t} RENAME VALUE {v} TO {v2}",
        lambda: f"CREATE DOMAIN {t} AS int CHECK (VALUE > 0)",
        lambda: f"DROP TYPE {t}",
        lambda: f"DROP TYPE IF EXISTS {t}",
        lambda: f"DROP DOMAIN {t}",
        lambda: f"CREATE TABLE {tb} (id int, m {t})",
        lambda: f"ALTER TABLE {tb} ADD COLUMN m2 {t}",
        lambda: f"ALTER TABLE {tb} ALTER COLUMN m TYPE {t} USING m::text::{t}",
        lambda: f"DROP TABLE {tb}",
        lambda: f"ALTER TYPE {t} RENAME TO {r.choice(['mood', 'color', 'd2'])}",
        lambda: f"CREATE TYPE {t} AS (x int)",
        lambda: f"ALTER DOMAIN {t} ADD CONSTRAINT dc CHECK (VALUE < 100)",
        lambda: f"ALTER DOMAIN {t} DROP CONSTRAINT dc",
        lambda: f"ALTER DOMAIN {t} ADD CHECK (VALUE <> 7)",
        lambda: f"ALTER DOMAIN {t} ADD CONSTRAINT {dc} CHECK (VALUE > -5) NOT VALID",
        lambda: f"ALTER DOMAIN {t} VALIDATE CONSTRAINT {dc}",
        lambda: f"ALTER DOMAIN {t} RENAME CONSTRAINT {dc} TO {dc2}",
        lambda: f"ALTER DOMAIN {t} DROP CONSTRAINT IF EXISTS {dc}",
        lambda: f"ALTER DOMAIN {t} DROP CONSTRAINT {dc}",
        lambda: f"CREATE DOMAIN {t} AS int CONSTRAINT {dc} CHECK (VALUE > 0)"
                f" CONSTRAINT {dc2} CHECK (VALUE < 9)",
    ]
    return r.choice(forms)()


FAMILIES = {"names": statement, "deps": statement_deps, "columns": statement_columns,
            "types": statement_types}


def script(family, seed, length=25):
    r = random.Random(seed)
    return [FAMILIES[family](r) for _ in range(length)]


def pg_errors(cluster, seed, path):
    """Line -> PostgreSQL's error, each statement run on its own."""
    db = f"oracle_{seed}"

    def psql(d, args):
        return subprocess.run(["psql", "-h", cluster.tmp, "-U", "postgres", "-d", d, "-X", "-q"]
                              + args, capture_output=True, text=True)

    psql("postgres", ["-c", f"DROP DATABASE IF EXISTS {db}"])
    made = psql("postgres", ["-c", f"CREATE DATABASE {db}"])
    if made.returncode:
        raise RuntimeError(made.stderr)
    psql(db, ["-c", "CREATE SCHEMA s"])
    r = psql(db, ["-f", path])
    psql("postgres", ["-c", f"DROP DATABASE {db}"])
    errors = {}
    for line in r.stderr.splitlines():
        m = re.match(r"psql:[^:]*:(\d+): ERROR:  (.*)", line)
        if m:
            errors[int(m.group(1))] = m.group(2)
    return errors


def migsafe_errors(migsafe, hist):
    """Line -> migsafe's duplicate-object or unknown-object message."""
    out = subprocess.run([migsafe, "lint", "--format=json", "--fail-on=none", "--transaction=none",
                          hist], capture_output=True, text=True)
    doc = json.loads(out.stdout)
    errors = {}
    for f in doc.get("findings", []):
        if f.get("rule") in ("duplicate-object", "unknown-object") and \
                f["file"].endswith("002_case.sql"):
            errors.setdefault(f["line"], f["message"])
    return errors


def check(cluster, migsafe, work, family, seed):
    """The differences of one script: (line, statement, pg, migsafe), up
    to the first refusal the model does not follow."""
    stmts = script(family, seed)
    hist = os.path.join(work, f"{family}{seed}")
    os.makedirs(hist)
    with open(os.path.join(hist, "001_setup.sql"), "w") as f:
        f.write("CREATE SCHEMA s;\n")
    path = os.path.join(hist, "002_case.sql")
    with open(path, "w") as f:
        f.write("".join(s + ";\n" for s in stmts))
    pg = pg_errors(cluster, seed, path)
    ms = migsafe_errors(migsafe, hist)
    stop = min([ln for ln, msg in pg.items() if ln not in ms and
                any(re.search(sp, stmts[ln - 1]) and re.search(mp, msg)
                    for sp, mp, _ in UNMODELLED)], default=len(stmts) + 1)
    return [(ln, stmts[ln - 1], pg.get(ln), ms.get(ln))
            for ln in sorted(set(pg) | set(ms)) if (ln in pg) != (ln in ms) and ln < stop]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("migsafe")
    ap.add_argument("--seeds", type=int, default=40, help="scripts 1..N a family (default 40)")
    ap.add_argument("--family", action="append", default=[], choices=sorted(FAMILIES),
                    help="only this family (repeatable)")
    ap.add_argument("--seed", type=int, action="append", default=[], help="only this script")
    ap.add_argument("--show", help="print script FAMILY:SEED and exit")
    args = ap.parse_args()
    if args.show:
        family, _, seed = args.show.partition(":")
        for i, s in enumerate(script(family, int(seed)), 1):
            print(f"{i:3}  {s};")
        return 0
    migsafe = os.path.abspath(args.migsafe)
    if not os.access(migsafe, os.X_OK):
        sys.exit(f"t_error_oracle: {migsafe}: not an executable")
    if not all(os.access(os.path.join(PGBIN, b), os.X_OK) for b in ("initdb", "pg_ctl", "postgres")):
        if os.environ.get("MIGSAFE_ALLOW_NO_PG") == "1":
            print(f"# PostgreSQL server binaries not found in {PGBIN}: skipped (MIGSAFE_ALLOW_NO_PG=1)")
            print("0 passed, 0 failed")
            return 0
        sys.exit(f"t_error_oracle: PostgreSQL server binaries not found in {PGBIN}; install the "
                 "'postgresql' package (15), set PGBIN, or set MIGSAFE_ALLOW_NO_PG=1 to skip")
    seeds = args.seed or list(range(1, args.seeds + 1))
    runs = [(f, s) for f in (args.family or list(FAMILIES)) for s in seeds]
    if any(k[0] not in FAMILIES for k in KNOWN):
        sys.exit("t_error_oracle: KNOWN names a family that does not exist")
    cluster = pgtmp.Cluster(PGBIN, prefix="migsafe-err-")
    work = tempfile.mkdtemp(prefix="migsafe-err-mig-")
    passed = failed = 0
    try:
        cluster.start()
        for n, (family, seed) in enumerate(runs, 1):
            diffs = [d for d in check(cluster, migsafe, work, family, seed)
                     if (family, seed, d[0]) not in KNOWN]
            if diffs:
                failed += 1
                print(f"not ok {n} - {family} script {seed}")
                for ln, stmt, pg, ms in diffs:
                    print(f"#   line {ln}: {stmt}\n#     postgresql: {pg or 'ok'}\n"
                          f"#     migsafe:    {ms or 'no error'}")
            else:
                passed += 1
                print(f"ok {n} - {family} script {seed}")
    finally:
        cluster.stop()
        shutil.rmtree(work, True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
