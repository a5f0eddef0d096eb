#!/usr/bin/env python3
"""Lock oracle: `migsafe locks` against what PostgreSQL 15 really does.

    python3 tests/t_locks_oracle.py path/to/migsafe [--case NAME]... [--list]

For each case below (setup SQL + one statement, from the sections 1-5 of
../shared/reference/pg_locks.md), the test
  1. on a throwaway PostgreSQL 15 (initdb + pg_ctl in a temp dir, unix
     socket only, stopped and removed at the end): clones a fixture
     database holding BASE (every table with 100 rows), commits the case's
     setup, then runs
         BEGIN; <relfilenodes + pg_stat_xact_user_tables>; <statement>;
         <pg_locks of this backend>; <relfilenodes + counters again>; ROLLBACK
     and derives, per table (relkind r/p/m; indexes too when the case is
     about an index; sequences and catalogs never), the strongest lock
     mode, whether its relfilenode changed (rewrite) and whether its
     seq_scan/idx_scan counters moved (scan) -- as pg_locks_verify.sh does,
     except that index rebuilds over the new, empty storage of a TRUNCATE
     (seq_scan moves, not one tuple read) are no scan; relations the
     statement creates are left out;
  2. writes BASE + setup as 0001_setup.up.sql and the statement as
     0002_case.up.sql in a temp dir and runs
     `migsafe locks --format json DIR/0002_case.up.sql`; per relation: the
     strongest mode and the OR of rewrite/scan over its entries (entries
     for relations the statement creates, "new": true, are left out; a
     name that is no `schema.name` of the database fails the case);
  3. compares the two: the set of relations, mode, rewrite and scan.

One `ok`/`not ok` line per case, the diff on failure, and the last line
`N passed, N failed`; exit 1 on any failure.

Environment: PGBIN (server binaries; default /usr/lib/postgresql/15/bin),
MIGSAFE_ALLOW_NO_PG=1 (skip, passing, when the server is not installed).
The cases are self-contained: nothing is read from the source tree.
"""
import argparse
import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgtmp  # noqa: E402


# Cases where migsafe deliberately differs from what PostgreSQL shows, with
# the reason. A listed case passes whatever the difference; keep it short.
KNOWN = {
    "drop_index": "the dropped index's own AccessExclusiveLock is covered by the table's, which migsafe reports",
    "update": "the row-finding scan of a DML statement is its own work, not a DDL table scan (pg_locks.md: UPDATE scan -)",
    "delete": "the row-finding scan of a DML statement is its own work, not a DDL table scan (pg_locks.md: UPDATE scan -)",
}

PGBIN = os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin")

MODES = ["AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock",
         "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"]
RANK = {m: i for i, m in enumerate(MODES)}

# ------------------------------------------------------------------ fixture

# Committed before every case (PostgreSQL: the fixture database; migsafe:
# the head of 0001_setup.up.sql).
BASE = """\
CREATE TABLE parent (id bigint PRIMARY KEY, name text);
INSERT INTO parent SELECT g, 'p' || g FROM generate_series(1, 100) g;
CREATE TABLE t (
  id        bigint PRIMARY KEY,
  parent_id bigint,
  v         varchar(50),
  n         numeric(10,2),
  i         int,
  s         text,
  ts        timestamp,
  c         char(10),
  net       cidr,
  nn        text,
  req       text NOT NULL
);
INSERT INTO t
SELECT g, g, 'v' || g, g / 3.0, g, 's' || g, timestamp '2024-01-01' + g * interval '1 minute',
       'c', '10.0.0.0/8', 'x', 'r'
FROM generate_series(1, 100) g;
CREATE INDEX t_v_idx ON t (v);
CREATE INDEX t_i_idx ON t (i);
CREATE TABLE empty_t (id bigint);
CREATE TABLE nopk (id bigint, x int);
INSERT INTO nopk SELECT g, g FROM generate_series(1, 100) g;
CREATE UNLOGGED TABLE unlogged_t (id bigint);
INSERT INTO unlogged_t SELECT generate_series(1, 100);
CREATE TABLE mv_src (id bigint PRIMARY KEY, x int);
INSERT INTO mv_src SELECT g, g FROM generate_series(1, 100) g;
CREATE MATERIALIZED VIEW mv AS SELECT id, x FROM mv_src;
CREATE UNIQUE INDEX mv_id_idx ON mv (id);
CREATE TABLE part (id bigint, k int) PARTITION BY RANGE (k);
CREATE TABLE part_1 PARTITION OF part FOR VALUES FROM (0) TO (100);
INSERT INTO part SELECT g, g % 100 FROM generate_series(1, 100) g;
CREATE TABLE part_2 (id bigint, k int);
INSERT INTO part_2 SELECT g, 100 + g % 100 FROM generate_series(1, 100) g;
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
CREATE FUNCTION trg_fn() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
"""

FK = "ALTER TABLE t ADD CONSTRAINT t_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id);\n"


class Case:
    def __init__(self, name, stmt, setup="", index=False):
        self.name = name
        self.stmt = stmt.strip()
        self.setup = setup
        self.index = index    # about an index: compare index locks too


CASES = [
    # -- 1. tables and indexes
    Case("create_index", "CREATE INDEX t_s_idx ON t (s);"),
    Case("create_index_partitioned", "CREATE INDEX part_k_idx ON part (k);"),
    Case("drop_index", "DROP INDEX t_v_idx;", index=True),
    Case("drop_table_fk", "DROP TABLE t;", setup=FK),
    Case("truncate", "TRUNCATE nopk;"),
    Case("truncate_cascade", "TRUNCATE parent CASCADE;", setup=FK),
    Case("lock_table", "LOCK TABLE nopk;"),
    Case("lock_share_two", "LOCK TABLE t, nopk IN SHARE MODE;"),
    Case("lock_partitioned", "LOCK TABLE part IN SHARE ROW EXCLUSIVE MODE;"),
    Case("lock_only_partitioned", "LOCK TABLE ONLY part IN ROW EXCLUSIVE MODE NOWAIT;"),
    # -- 2. ADD COLUMN
    Case("add_col_nullable", "ALTER TABLE t ADD COLUMN x int;"),
    Case("add_col_default_const", "ALTER TABLE t ADD COLUMN x int DEFAULT 0;"),
    Case("add_col_default_stable", "ALTER TABLE t ADD COLUMN x timestamptz DEFAULT now();"),
    Case("add_col_default_volatile", "ALTER TABLE t ADD COLUMN x float8 DEFAULT random();"),
    Case("add_col_not_null_empty", "ALTER TABLE empty_t ADD COLUMN x int NOT NULL;"),
    Case("add_col_serial", "ALTER TABLE nopk ADD COLUMN x2 bigserial;"),
    Case("add_col_identity", "ALTER TABLE nopk ADD COLUMN x2 bigint GENERATED ALWAYS AS IDENTITY;"),
    Case("add_col_generated_stored", "ALTER TABLE t ADD COLUMN x int GENERATED ALWAYS AS (i * 2) STORED;"),
    Case("add_col_references", "ALTER TABLE t ADD COLUMN p2 bigint REFERENCES parent (id);"),
    Case("add_col_check", "ALTER TABLE t ADD COLUMN x int CHECK (x > 0);"),
    Case("add_col_unique", "ALTER TABLE t ADD COLUMN x int UNIQUE;"),
    Case("add_col_domain_check", "ALTER TABLE t ADD COLUMN x posint;"),
    Case("add_col_domain_check_default", "ALTER TABLE t ADD COLUMN x posint DEFAULT 1;"),
    Case("add_col_domain_not_null_default", "ALTER TABLE t ADD COLUMN x nnint DEFAULT 1;",
         setup="CREATE DOMAIN nnint AS int NOT NULL;\n"),
    Case("add_col_domain_check_dropped", "ALTER TABLE t ADD COLUMN x posint;",
         setup="ALTER DOMAIN posint DROP CONSTRAINT posint_check;\n"),
    Case("add_col_domain_check_not_valid",
         "ALTER TABLE t ADD COLUMN x plainint DEFAULT 1;",
         setup="CREATE DOMAIN plainint AS int;\n"
               "ALTER DOMAIN plainint ADD CONSTRAINT small CHECK (VALUE < 9) NOT VALID;\n"),
    # -- 3. DROP / ALTER COLUMN
    Case("drop_column", "ALTER TABLE t DROP COLUMN s;"),
    Case("drop_column_fk", "ALTER TABLE t DROP COLUMN parent_id;", setup=FK),
    Case("type_varchar_widen", "ALTER TABLE t ALTER COLUMN v TYPE varchar(100);"),
    Case("type_text_to_varchar_n", "ALTER TABLE t ALTER COLUMN s TYPE varchar(20);"),
    Case("type_char_to_text", "ALTER TABLE t ALTER COLUMN c TYPE text;"),
    Case("type_numeric_widen", "ALTER TABLE t ALTER COLUMN n TYPE numeric(12,2);"),
    Case("type_int_to_bigint", "ALTER TABLE t ALTER COLUMN i TYPE bigint;"),
    Case("type_timestamp_narrow", "ALTER TABLE t ALTER COLUMN ts TYPE timestamp(0);"),
    Case("type_widen_with_check", "ALTER TABLE t ALTER COLUMN v TYPE varchar(100);",
         setup="ALTER TABLE t ADD CONSTRAINT t_v_len CHECK (length(v) < 40);\n"),
    Case("set_not_null", "ALTER TABLE t ALTER COLUMN nn SET NOT NULL;"),
    Case("set_not_null_valid_check", "ALTER TABLE t ALTER COLUMN nn SET NOT NULL;",
         setup="ALTER TABLE t ADD CONSTRAINT t_nn_nn CHECK (nn IS NOT NULL);\n"),
    Case("drop_not_null", "ALTER TABLE t ALTER COLUMN req DROP NOT NULL;"),
    Case("set_default", "ALTER TABLE t ALTER COLUMN s SET DEFAULT 'zzz';"),
    Case("drop_default", "ALTER TABLE t ALTER COLUMN s DROP DEFAULT;",
         setup="ALTER TABLE t ALTER COLUMN s SET DEFAULT 'zzz';\n"),
    # -- 4. constraints
    Case("add_fk", "ALTER TABLE t ADD CONSTRAINT t_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id);"),
    Case("add_fk_not_valid",
         "ALTER TABLE t ADD CONSTRAINT t_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id) NOT VALID;"),
    Case("validate_fk", "ALTER TABLE t VALIDATE CONSTRAINT t_parent_fk;",
         setup="ALTER TABLE t ADD CONSTRAINT t_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id) NOT VALID;\n"),
    Case("add_check", "ALTER TABLE t ADD CONSTRAINT t_i_pos CHECK (i > 0);"),
    Case("add_check_not_valid", "ALTER TABLE t ADD CONSTRAINT t_i_pos CHECK (i > 0) NOT VALID;"),
    Case("validate_check", "ALTER TABLE t VALIDATE CONSTRAINT t_i_pos;",
         setup="ALTER TABLE t ADD CONSTRAINT t_i_pos CHECK (i > 0) NOT VALID;\n"),
    Case("add_unique", "ALTER TABLE t ADD CONSTRAINT t_i_key UNIQUE (i);"),
    Case("add_unique_using_index", "ALTER TABLE t ADD CONSTRAINT t_i_key UNIQUE USING INDEX t_i_uidx;",
         setup="CREATE UNIQUE INDEX t_i_uidx ON t (i);\n"),
    Case("add_primary_key", "ALTER TABLE nopk ADD PRIMARY KEY (id);"),
    Case("drop_check", "ALTER TABLE t DROP CONSTRAINT t_i_pos;",
         setup="ALTER TABLE t ADD CONSTRAINT t_i_pos CHECK (i > 0);\n"),
    Case("drop_fk", "ALTER TABLE t DROP CONSTRAINT t_parent_fk;", setup=FK),
    # -- 5. renames, triggers, maintenance, storage, partitions
    Case("rename_column", "ALTER TABLE t RENAME COLUMN s TO s2;"),
    Case("rename_table", "ALTER TABLE t RENAME TO t2;"),
    Case("rename_index", "ALTER INDEX t_v_idx RENAME TO t_v_idx2;", index=True),
    Case("create_trigger", "CREATE TRIGGER t_trg BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION trg_fn();"),
    Case("comment_on_table", "COMMENT ON TABLE t IS 'hello';"),
    Case("set_logged", "ALTER TABLE unlogged_t SET LOGGED;"),
    Case("set_unlogged", "ALTER TABLE nopk SET UNLOGGED;"),
    Case("enable_rls", "ALTER TABLE t ENABLE ROW LEVEL SECURITY;"),
    Case("attach_partition", "ALTER TABLE part ATTACH PARTITION part_2 FOR VALUES FROM (100) TO (200);"),
    Case("detach_partition", "ALTER TABLE part DETACH PARTITION part_1;"),
    Case("refresh_matview", "REFRESH MATERIALIZED VIEW mv;"),
    Case("cluster", "CLUSTER t USING t_pkey;"),
    Case("reindex_table", "REINDEX TABLE t;"),
    Case("reindex_index", "REINDEX INDEX t_v_idx;", index=True),
    # -- DML
    Case("insert", "INSERT INTO nopk (id, x) VALUES (1000, 1);"),
    Case("update", "UPDATE nopk SET x = x + 1 WHERE id <= 10;"),
    Case("delete", "DELETE FROM nopk WHERE id <= 10;"),
]


def die(msg):
    print(f"t_locks_oracle: {msg}", file=sys.stderr)
    print("0 passed, 1 failed")
    sys.exit(1)


# --------------------------------------------------------------- PostgreSQL

class Postgres(pgtmp.Cluster):
    """The throwaway cluster (tests/pgtmp.py) and how this test talks to it."""

    def __init__(self, bindir):
        super().__init__(bindir, prefix="migsafe-locks-", options="-c TimeZone=UTC")

    def psql(self, db, sql):
        exe = os.path.join(self.bindir, "psql")
        if not os.access(exe, os.X_OK):
            exe = shutil.which("psql") or exe
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["PGOPTIONS"] = "-c client_min_messages=warning"
        return subprocess.run([exe, "-X", "-q", "-A", "-t", "-h", self.tmp, "-U", "postgres", "-d", db,
                               "-v", "ON_ERROR_STOP=1"],
                              input=sql, capture_output=True, text=True, env=env)

    def run(self, db, sql, what):
        r = self.psql(db, sql)
        if r.returncode != 0:
            raise CaseError(f"PostgreSQL: {what} failed: {r.stderr.strip()}")
        return r.stdout


class CaseError(Exception):
    pass


USER_RELS = """\
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
  AND n.nspname NOT LIKE 'pg\\_temp%'"""


def measure_sql(stmt):
    return f"""\
BEGIN;
SELECT 'B|' || c.oid || '|' || n.nspname || '.' || c.relname || '|' || c.relkind::text || '|' || c.relfilenode
{USER_RELS};
SELECT 'SB|' || relid || '|' || seq_scan || '|' || seq_tup_read || '|' || coalesce(idx_scan, 0) FROM pg_stat_xact_user_tables;
{stmt}
SELECT 'L|' || relation || '|' || mode FROM pg_locks
WHERE pid = pg_backend_pid() AND locktype = 'relation' AND relation IS NOT NULL;
SELECT 'A|' || c.oid || '|' || c.relfilenode
{USER_RELS};
SELECT 'SA|' || relid || '|' || seq_scan || '|' || seq_tup_read || '|' || coalesce(idx_scan, 0) FROM pg_stat_xact_user_tables;
ROLLBACK;
"""


def observe(pg, case):
    """({relation: (mode, rewrite, scan)} as PostgreSQL shows it,
    {relation: relkind} of every relation that exists before the statement)."""
    db = "c_" + case.name
    pg.run("postgres", f"DROP DATABASE IF EXISTS {db}; CREATE DATABASE {db} TEMPLATE fixture;", "CREATE DATABASE")
    try:
        if case.setup.strip():
            pg.run(db, "BEGIN;\n" + case.setup + "COMMIT;\n", "setup")
        out = pg.run(db, measure_sql(case.stmt), "the measured transaction")
    finally:
        pg.psql("postgres", f"DROP DATABASE IF EXISTS {db} WITH (FORCE);")
    before, after, sb, sa, locks = {}, {}, {}, {}, []
    for line in out.splitlines():
        f = line.split("|")
        if f[0] == "B":
            before[f[1]] = (f[2], f[3], f[4])
        elif f[0] == "A":
            after[f[1]] = f[2]
        elif f[0] == "SB":
            sb[f[1]] = (int(f[2]), int(f[3]), int(f[4]))
        elif f[0] == "SA":
            sa[f[1]] = (int(f[2]), int(f[3]), int(f[4]))
        elif f[0] == "L":
            locks.append((f[1], f[2]))
    res = {}
    for oid, mode in locks:
        if oid not in before:          # a catalog, or created by the statement
            continue
        name, kind, rfn = before[oid]
        if not compared(case, kind):
            continue
        rewrite = oid in after and after[oid] != rfn
        seq, tup, idx = (a - b for a, b in zip(sa.get(oid, (0, 0, 0)), sb.get(oid, (0, 0, 0))))
        # An index build counts as a heap seq scan. After a rewrite to
        # new, empty storage (TRUNCATE) the index rebuilds "scan" a heap
        # without a row: seq_scan moves, seq_tup_read does not. Not a scan.
        scan = idx > 0 or tup > 0 or (seq > 0 and not rewrite)
        m0, r0, s0 = res.get(name, (mode, False, False))
        res[name] = (m0 if RANK[m0] >= RANK[mode] else mode, r0 or rewrite, s0 or scan)
    kinds = {name: kind for name, kind, _ in before.values()}
    return res, kinds


def compared(case, relkind):
    """Tables, partitioned tables and materialized views; indexes too when
    the case is about an index; never sequences, views or catalogs."""
    return relkind in ("r", "p", "m") or (case.index and relkind in ("i", "I"))


# ------------------------------------------------------------------ migsafe

def predict(migsafe, work, case, kinds):
    """{relation: (mode, rewrite, scan)} as migsafe says it, and the names
    migsafe gives that are no relation of the database (always wrong)."""
    d = os.path.join(work, case.name)
    os.makedirs(d)
    with open(os.path.join(d, "0001_setup.up.sql"), "w") as fh:
        fh.write(BASE + case.setup)
    target = os.path.join(d, "0002_case.up.sql")
    with open(target, "w") as fh:
        fh.write(case.stmt + "\n")
    env = dict(os.environ, NO_COLOR="1")
    r = subprocess.run([migsafe, "locks", "--format", "json", target], capture_output=True, text=True,
                       env=env, stdin=subprocess.DEVNULL)
    try:
        doc = json.loads(r.stdout)
    except ValueError:
        raise CaseError(f"migsafe locks exited {r.returncode} without JSON: {r.stderr.strip() or r.stdout[:300]}")
    res, unknown = {}, []
    for f in doc.get("files", []):
        for st in f.get("statements", []):
            for lk in st.get("locks", []):
                if lk.get("new"):
                    continue
                name = lk["relation"]
                if name not in kinds:
                    unknown.append(name)
                    continue
                if not compared(case, kinds[name]):
                    continue
                mode = lk["mode"]
                if mode not in RANK:
                    raise CaseError(f"migsafe: unknown lock mode {mode!r}")
                m0, r0, s0 = res.get(name, (mode, False, False))
                res[name] = (m0 if RANK[m0] >= RANK[mode] else mode,
                             r0 or bool(lk.get("rewrite")), s0 or bool(lk.get("scan")))
    return res, unknown


# --------------------------------------------------------------- comparison

def show(res):
    if not res:
        return "(no locks)"
    parts = []
    for name in sorted(res):
        mode, rewrite, scan = res[name]
        short = name[len("public."):] if name.startswith("public.") else name
        parts.append(" ".join([short, mode] + (["rewrite"] if rewrite else []) + (["scan"] if scan else [])))
    return ", ".join(parts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("migsafe", nargs="?")
    ap.add_argument("--case", action="append", default=[], help="run only this case (repeatable)")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    args = ap.parse_args()
    cases = CASES
    if args.list:
        for c in cases:
            print(f"{c.name}: {c.stmt}")
        return 0
    if args.case:
        cases = [c for c in CASES if c.name in args.case]
        if not cases:
            die("no case named " + ", ".join(args.case))
    if not args.migsafe:
        ap.error("the migsafe binary is required")
    migsafe = os.path.abspath(args.migsafe)
    if not os.access(migsafe, os.X_OK):
        die(f"{migsafe}: not an executable")
    for name in KNOWN:
        if name not in {c.name for c in CASES}:
            die(f"KNOWN names a case that does not exist: {name}")

    missing = [b for b in ("initdb", "pg_ctl", "postgres") if not os.access(os.path.join(PGBIN, b), os.X_OK)]
    if not os.access(os.path.join(PGBIN, "psql"), os.X_OK) and not shutil.which("psql"):
        missing.append("psql")
    if missing:
        if os.environ.get("MIGSAFE_ALLOW_NO_PG") == "1":
            print(f"# PostgreSQL server binaries not found in {PGBIN}: skipped (MIGSAFE_ALLOW_NO_PG=1)")
            print("0 passed, 0 failed")
            return 0
        die(f"PostgreSQL server binaries not found in {PGBIN} ({', '.join(missing)}); install the "
            "'postgresql' package (15), set PGBIN, or set MIGSAFE_ALLOW_NO_PG=1 to skip")

    pg = Postgres(PGBIN)
    work = tempfile.mkdtemp(prefix="migsafe-locks-mig-")
    atexit.register(shutil.rmtree, work, True)
    atexit.register(pg.stop)        # atexit runs in reverse: the server first
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(1))

    passed = failed = 0
    try:
        pg.start()
        version = pg.run("postgres", "SHOW server_version;", "SHOW server_version").strip()
        print(f"# PostgreSQL {version}, {len(cases)} cases")
        pg.run("postgres", "CREATE DATABASE fixture;", "CREATE DATABASE fixture")
        pg.run("fixture", "BEGIN;\n" + BASE + "COMMIT;\nANALYZE;\n", "the fixture (BASE)")
    except (RuntimeError, CaseError) as e:
        die(str(e))

    for n, case in enumerate(cases, 1):
        try:
            want, kinds = observe(pg, case)
            got, unknown = predict(migsafe, work, case, kinds)
        except CaseError as e:
            print(f"not ok {n} - {case.name}: {e}")
            print(f"#   {case.stmt}")
            failed += 1
            continue
        diff = f"pg: {show(want)} | migsafe: {show(got)}"
        if unknown:
            # a name that is no relation cannot be excused by KNOWN
            print(f"not ok {n} - {case.name}: migsafe names no relation of the database: "
                  f"{', '.join(unknown)} (want schema.name); {diff}")
            print(f"#   {case.stmt}")
            failed += 1
        elif want == got:
            note = f"  # KNOWN entry no longer needed: {case.name}" if case.name in KNOWN else ""
            print(f"ok {n} - {case.name}{note}")
            passed += 1
        elif case.name in KNOWN:
            print(f"ok {n} - {case.name} # KNOWN ({KNOWN[case.name]}): {diff}")
            passed += 1
        else:
            print(f"not ok {n} - {case.name}: {diff}")
            print(f"#   {case.stmt}")
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
