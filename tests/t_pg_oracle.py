#!/usr/bin/env python3
"""Replay-fidelity oracle: after replaying a migration history, migsafe's
schema model must hold what a real PostgreSQL holds after running the
same files.

    python3 tests/t_pg_oracle.py path/to/migsafe [--history NAME]... [--dump] [--pg-only]
    python3 tests/t_pg_oracle.py path/to/migsafe --extra DIR [--extra DIR]...

For each history (the PostgreSQL corpora in ../shared/corpora, the example
project, and each directory of tests/histories/), the test
  1. applies the up files to a fresh database of a throwaway PostgreSQL 15
     (initdb + pg_ctl in a temp dir, unix socket only, removed at the end),
     one `psql -1 -f FILE` per file (without -1 for a file that uses
     CONCURRENTLY, as the runners do), after the corpus's prelude.sql;
  2. reads the catalog back (tests/pg_catalog.sql) in the shape of
     `migsafe inspect --format json` (docs/inspect-json.md);
  3. runs `migsafe inspect --format json DIR...` and compares the two,
     fact by fact, printing every disagreement and an agreement figure;
  4. round trip: loads `migsafe inspect --format sql DIR...` into another
     fresh database (psql, ON_ERROR_STOP), reads its catalog back the same
     way and compares it with the first database's: schemas, tables,
     columns (types, defaults as PostgreSQL prints them), constraints
     (check expressions too), indexes (columns and predicates as printed),
     views, sequences, types and extensions must be the same. Functions,
     triggers and policies are left out: the DDL cannot hold them (the
     model keeps no bodies).

A history passes only when every fact agrees, in both comparisons,
except the lines listed in KNOWN (and ROUNDTRIP_KNOWN) below.

Environment: MIGSAFE_SOURCE_DIR (repo root; default: the working
directory), PGBIN (server binaries; default /usr/lib/postgresql/15/bin),
MIGSAFE_ALLOW_NO_PG=1 (skip, passing, when the server is not installed),
MIGSAFE_ALLOW_NO_SHARED=1 (run without ../shared/corpora).

--history NAME  run only that history (repeatable; NAME as printed, or its
                last path component, e.g. `harbor`, `shop`, `renames`)
--dump          print both JSON documents of each history
--pg-only       only apply the histories to PostgreSQL and read the catalog
                back (checks the histories themselves; no migsafe needed)
--no-roundtrip  skip step 4
--extra DIR     run on the migrations directory DIR instead of the built-in
                histories (repeatable; each DIR is one history), to check
                migsafe against any local history. Files are found and
                ordered the way migsafe's discovery does (golang-migrate
                *.up.sql, Flyway V*__*.sql, plain NNN_*.sql, one level of
                <version>_name/ dirs holding up.sql or migration.sql;
                ordered by the numeric parts of the version, then by
                name); of a goose, sql-migrate or dbmate file only the up
                part is run, and without -1 when the file asks for no
                transaction. A DIR/prelude.sql (not a migration name, so
                migsafe skips it) is applied first: roles or extensions the
                history expects.
"""
import argparse
import atexit
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgtmp  # noqa: E402


# Disagreements that cannot be closed, per history: the exact mismatch
# line as this script prints it (without the "history: " prefix), each
# with a comment giving the reason. Keep it empty unless the lead decides
# otherwise.
KNOWN = {
    # "harbor": [
    #     # reason it cannot be closed
    #     "artifact.digest type: pg says ..., migsafe says ...",
    # ],
}

# The same for the round trip (step 4), where "pg says" is the database
# the history made and "migsafe says" the one migsafe's DDL made; a DDL
# that does not load is the line "load: ERROR: ..." (psql's first line,
# without its file and line number), and nothing else of that history is
# compared.
ROUNDTRIP_KNOWN = {
    # "partitions-views": [
    #     # reason it cannot be closed
    #     'load: ERROR:  relation "x" does not exist',
    # ],
}

ROOT = os.path.abspath(os.environ.get("MIGSAFE_SOURCE_DIR") or os.getcwd())
PGBIN = os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin")
CATALOG_SQL = os.path.join(ROOT, "tests", "pg_catalog.sql")


def die(msg):
    print(f"t_pg_oracle: {msg}", file=sys.stderr)
    print("0 passed, 1 failed")
    sys.exit(1)


# --------------------------------------------------------------- histories

class History:
    def __init__(self, name, files, dirs, prelude=None):
        self.name = name          # as printed
        self.files = files        # absolute paths of the up files, in runner order
        self.dirs = dirs          # what migsafe is given
        self.prelude = prelude    # SQL file applied before the history, or None


def golang_migrate(name, d):
    ups = []
    for f in os.listdir(d):
        m = re.match(r"^(\d+)_.*\.up\.sql$", f)
        if m:
            ups.append((int(m.group(1)), f))
    ups.sort()
    return History(name, [os.path.join(d, f) for _, f in ups], [d])


def corpus(name, d):
    mig = os.path.join(d, "migrations")
    with open(os.path.join(d, "order.txt")) as fh:
        order = [l.strip() for l in fh if l.strip() and not l.lstrip().startswith("#")]
    files = [os.path.join(mig, p) for p in order]
    # What to give migsafe: the migrations dir itself, unless the files
    # live in several "locations" (Flyway's migration_postgres and
    # migration_postgres_data: a first path component that holds more
    # than one migration); a dir-per-migration layout (Prisma, diesel)
    # has each first component once.
    firsts = [p.split("/", 1)[0] for p in order if "/" in p]
    if firsts and any(firsts.count(f) > 1 for f in firsts):
        dirs = []
        for f in firsts:
            if os.path.join(mig, f) not in dirs:
                dirs.append(os.path.join(mig, f))
    else:
        dirs = [mig]
    prelude = os.path.join(d, "prelude.sql")
    return History(name, files, dirs, prelude if os.path.isfile(prelude) else None)


# ---- --extra DIR: discovery as migsafe does it (analyzer/discover.c)

GOLANG_UP = re.compile(r"^\d+_.*\.up\.sql$")
FLYWAY = re.compile(r"^V\d+(?:[._]\d+)*__.*\.sql$")
VERSION = re.compile(r"^V?(\d+(?:[.-]\d+)*)")


def is_down(name):
    return name == "down.sql" or name.endswith(".down.sql")


def version_key(name):
    """Numeric parts of the leading version: 2_x < 10_x, V13.1 < V14,
    2018-02-17-205753 orders as a date."""
    m = VERSION.match(name)
    return [int(x) for x in re.findall(r"\d+", m.group(1))] if m else []


def extra_files(d):
    names = sorted(os.listdir(d))
    if "atlas.sum" in names:
        root = lambda n: n[:1].isdigit() and n.endswith(".sql") and not is_down(n)
    elif any(GOLANG_UP.match(n) for n in names):
        root = GOLANG_UP.match
    elif any(FLYWAY.match(n) for n in names):
        root = FLYWAY.match
    else:
        root = lambda n: VERSION.match(n) and n.endswith(".sql") and not is_down(n)
    found = []
    for n in names:
        p = os.path.join(d, n)
        if n.startswith("."):
            continue
        if os.path.isdir(p) and VERSION.match(n):
            for sub in ("migration.sql", "up.sql"):
                if os.path.isfile(os.path.join(p, sub)):
                    found.append((version_key(n), os.path.join(n, sub), os.path.join(p, sub)))
                    break
        elif os.path.isfile(p) and root(n):
            found.append((version_key(n), n, p))
    found.sort(key=lambda t: (not t[0], t[0], t[1]))
    return [p for _, _, p in found]


def extra_history(d):
    d = os.path.abspath(d)
    if not os.path.isdir(d):
        die(f"--extra {d}: not a directory")
    files = extra_files(d)
    if not files:
        die(f"--extra {d}: no migrations found")
    prelude = os.path.join(d, "prelude.sql")
    return History(f"extra/{os.path.basename(d)}", files, [d],
                   prelude if os.path.isfile(prelude) else None)


def histories():
    out = []
    shared = None
    for cand in (os.path.join(ROOT, "..", "shared", "corpora"), "/work/shared/corpora"):
        if os.path.isdir(cand):
            shared = os.path.abspath(cand)
            break
    if shared is None:
        if os.environ.get("MIGSAFE_ALLOW_NO_SHARED") != "1":
            die("../shared/corpora not found (set MIGSAFE_ALLOW_NO_SHARED=1 to run without it)")
        print("# ../shared/corpora not found: corpora skipped (MIGSAFE_ALLOW_NO_SHARED=1)")
    else:
        for name in sorted(os.listdir(shared)):
            d = os.path.join(shared, name)
            if not os.path.isfile(os.path.join(d, "order.txt")):
                continue
            # the SQLite corpus has no pg_schema.sql (its truth is sqlite_schema.sql)
            if name == "vaultwarden-sqlite" or not os.path.isfile(os.path.join(d, "pg_schema.sql")):
                continue
            out.append(corpus(name, d))
    out.append(golang_migrate("examples/shop", os.path.join(ROOT, "examples", "shop", "migrations")))
    hdir = os.path.join(ROOT, "tests", "histories")
    if os.path.isdir(hdir):
        for name in sorted(os.listdir(hdir)):
            if os.path.isdir(os.path.join(hdir, name)):
                out.append(golang_migrate(f"histories/{name}", os.path.join(hdir, name)))
    return out


# --------------------------------------------------------------- PostgreSQL

class Postgres(pgtmp.Cluster):
    """The throwaway cluster (tests/pgtmp.py) and how this test talks to it."""

    def __init__(self, bindir):
        super().__init__(bindir, prefix="migsafe-pg-", options="")
        self.ndb = 0

    def psql(self, db, *args):
        exe = os.path.join(self.bindir, "psql")
        if not os.access(exe, os.X_OK):
            exe = shutil.which("psql") or exe
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["PGOPTIONS"] = "-c client_min_messages=warning"
        return subprocess.run([exe, "-X", "-q", "-h", self.tmp, "-U", "postgres", "-d", db,
                               "-v", "ON_ERROR_STOP=1", *args],
                              capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)

    def new_db(self):
        self.ndb += 1
        name = f"h{self.ndb}"
        r = self.psql("postgres", "-c", f"CREATE DATABASE {name} TEMPLATE template0")
        if r.returncode != 0:
            raise RuntimeError("CREATE DATABASE failed: " + r.stderr)
        return name

    def drop_db(self, name):
        self.psql("postgres", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


CONCURRENTLY = re.compile(r"\bconcurrently\b", re.I)
GOOSE = re.compile(r"^\s*--\s*\+goose\s+(Up|Down|NO\s+TRANSACTION)\b", re.I | re.M)
SQL_MIGRATE = re.compile(r"^\s*--\s*\+migrate\s+(Up|Down)\b(.*)$", re.I | re.M)
DBMATE = re.compile(r"^\s*--\s*migrate:(up|down)\b(.*)$", re.I | re.M)


def up_part(text):
    """What goose, sql-migrate or dbmate runs of a file: the text after an Up mark up
    to the next Down mark (the rest blanked, so psql's line numbers stay
    the file's), and whether the file asks for no transaction."""
    marks = [(m.start(), m.group(1).lower(), False) for m in GOOSE.finditer(text)]
    migrate = [(m.start(), m.group(1).lower(), "notransaction" in m.group(2).lower())
               for m in SQL_MIGRATE.finditer(text)]
    if any(k == "up" for _, k, _ in marks):
        no_tx = any(k.startswith("no") for _, k, _ in marks)
        marks = [x for x in marks if not x[1].startswith("no")]
    elif any(k == "up" for _, k, _ in migrate):
        marks = migrate
        no_tx = any(x[2] for x in marks)
    else:
        marks = [(m.start(), m.group(1).lower(), "transaction:false" in m.group(2).replace(" ", ""))
                 for m in DBMATE.finditer(text)]
        no_tx = any(x[2] for x in marks if x[1] == "up")
    if not any(k == "up" for _, k, _ in marks):
        return text, False
    out, keep, pos = [], False, 0
    for start, kind, _ in marks + [(len(text), None, False)]:
        chunk = text[pos:start]
        out.append(chunk if keep else re.sub(r"[^\n]", " ", chunk))
        keep, pos = kind == "up", start
    return "".join(out), no_tx


def apply_history(pg, db, h):
    """Apply the files; return None, or the first failure as text."""
    files = ([h.prelude] if h.prelude else []) + h.files
    for f in files:
        try:
            with open(f, encoding="utf-8", errors="replace") as fh:
                text = fh.read()
        except OSError as e:
            return f"cannot read {f}: {e}"
        text, no_tx = up_part(text)
        one_tx = [] if no_tx or CONCURRENTLY.search(text) else ["-1"]
        with tempfile.NamedTemporaryFile("w", suffix=".sql", encoding="utf-8") as tmp:
            tmp.write(text)
            tmp.flush()
            os.chmod(tmp.name, 0o644)
            r = pg.psql(db, *one_tx, "-f", tmp.name)
        if r.returncode != 0:
            err = r.stderr.strip().replace(tmp.name, os.path.basename(f))
            return f"PostgreSQL failed to apply {os.path.relpath(f, ROOT)}: {err}"
    return None


def read_catalog(pg, db):
    r = pg.psql(db, "-A", "-t", "-f", CATALOG_SQL)
    if r.returncode != 0:
        raise RuntimeError("catalog query failed: " + r.stderr)
    return json.loads(r.stdout)


# --------------------------------------------------------------- comparison

MULTIWORD_TYPES = (r"character varying|bit varying|double precision|"
                   r"timestamp(?:\(\d+\))? with(?:out)? time zone|time(?:\(\d+\))? with(?:out)? time zone")
CAST = re.compile(r"::\s*(?:" + MULTIWORD_TYPES + r"|(?:\"[^\"]+\"|[a-z_][a-z0-9_$]*)"
                  r"(?:\.(?:\"[^\"]+\"|[a-z_][a-z0-9_$]*))?)(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])*", re.I)


def loose(expr):
    """Expressions compared loosely: lower-case, no ::casts, no spaces,
    double quotes or parentheses."""
    if expr is None:
        return None
    s = CAST.sub("", expr)
    return re.sub(r"[\s\"()]", "", s.lower())


# Internal and SQL spellings of the same type, for function signatures
# (whose spelling docs/inspect-json.md leaves open).
TYPE_ALIASES = {
    "int": "integer", "int4": "integer", "int2": "smallint", "int8": "bigint",
    "float4": "real", "float8": "double precision", "float": "double precision",
    "bool": "boolean", "varchar": "character varying", "bpchar": "character", "char": "character",
    "decimal": "numeric", "timestamptz": "timestamp with time zone",
    "timestamp": "timestamp without time zone", "timetz": "time with time zone",
    "time": "time without time zone", "varbit": "bit varying",
}


def signature_key(sig):
    """A function's argument types, compared with aliases resolved."""
    s = (sig or "()").strip()
    if s.startswith("(") and s.endswith(")"):
        s = s[1:-1]
    s = re.sub(r"\(\s*\d+\s*(,\s*\d+\s*)?\)", "", s)   # type modifiers: numeric(10,2)
    args = []
    for a in filter(None, (x.strip() for x in s.split(","))):
        a = re.sub(r"\s+", " ", a.lower().replace('"', ""))
        arr = ""
        while a.endswith("[]"):
            a, arr = a[:-2].strip(), arr + "[]"
        args.append(TYPE_ALIASES.get(a, a) + arr)
    return ",".join(args)


def qual(schema, name):
    return name if schema == "public" else f"{schema}.{name}"


def qref(ref):
    """'public.users' -> 'users' for messages."""
    if isinstance(ref, str) and ref.startswith("public."):
        return ref[len("public."):]
    return ref


def show(v):
    if v is None:
        return "none"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "(" + ", ".join(show(x) for x in v) + ")"
    return str(v)


class Compare:
    def __init__(self, roundtrip=False):
        self.facts = 0
        self.mismatches = []
        # two PostgreSQL catalogs: expressions compared as printed, and
        # what the DDL cannot hold (functions, triggers, policies) left out
        self.roundtrip = roundtrip

    def fact(self, ok, line):
        self.facts += 1
        if not ok:
            self.mismatches.append(line)
        return ok

    def eq(self, what, pg, ms):
        return self.fact(pg == ms, f"{what}: pg says {show(pg)}, migsafe says {show(ms)}")

    def presence(self, what, in_pg, in_ms):
        return self.fact(in_pg == in_ms, f"{what}: pg says {'present' if in_pg else 'absent'}, "
                                         f"migsafe says {'present' if in_ms else 'absent'}")


def by_key(items, key):
    out = {}
    for it in items or []:
        out[key(it)] = it
    return out


def pair(pg_items, ms_items, sig):
    """Pair objects by name, then the rest by signature (an object
    PostgreSQL named differently from migsafe). Returns (pairs, pg_only,
    ms_only); a pair is (pg, ms)."""
    pg_by = by_key(pg_items, lambda o: o.get("name"))
    ms_by = by_key(ms_items, lambda o: o.get("name"))
    pairs = [(pg_by[n], ms_by[n]) for n in pg_by if n in ms_by]
    pg_rest = [o for n, o in pg_by.items() if n not in ms_by]
    ms_rest = [o for n, o in ms_by.items() if n not in pg_by]
    pg_only = []
    for p in pg_rest:
        m = next((m for m in ms_rest if sig(m) == sig(p)), None)
        if m is None:
            pg_only.append(p)
        else:
            ms_rest.remove(m)
            pairs.append((p, m))
    return pairs, pg_only, ms_rest


def cols_equal(pg_cols, ms_cols, table_cols):
    """Index key columns: a plain column exactly, an expression loosely."""
    pg_cols, ms_cols = pg_cols or [], ms_cols or []
    if len(pg_cols) != len(ms_cols):
        return False
    for p, m in zip(pg_cols, ms_cols):
        if p in table_cols:
            if p != m:
                return False
        elif not isinstance(m, str) or loose(p) != loose(m):
            return False
    return True


NEXTVAL = re.compile(r"^nextval\('((?:[^']|'')*)'")
REGCLASS_PART = re.compile(r'"((?:[^"]|"")*)"|([^".]+)')
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def nextval_sequence(expr):
    """The sequence a nextval('...') default calls, as schema.name, read
    the way PostgreSQL reads the regclass literal: a quoted part as
    written, an unquoted one folded to lower case, a bare name found in
    public (a fresh session's search path). None when the default is not
    such a call or the literal is not a name."""
    m = NEXTVAL.match(expr or "")
    if not m:
        return None
    text, parts, pos = m.group(1).replace("''", "'"), [], 0
    while True:
        p = REGCLASS_PART.match(text, pos)
        if not p:
            return None
        parts.append(p.group(1).replace('""', '"') if p.group(1) is not None
                     else p.group(2).translate(ASCII_LOWER))
        pos = p.end()
        if pos == len(text):
            break
        if text[pos] != ".":
            return None
        pos += 1
    if len(parts) == 1:
        parts.insert(0, "public")
    return ".".join(parts) if len(parts) == 2 else None


def compare_default(c, col, pd, md):
    """Defaults by presence (their spelling is left open,
    docs/inspect-json.md); one that calls nextval() (a serial column's)
    also by the sequence it names, both texts read as PostgreSQL reads
    the regclass literal: a missing schema or an unquoted mixed-case name
    names another sequence."""
    c.eq(f"{col} default", "present" if pd is not None else None,
         "present" if md is not None else None)
    if c.roundtrip:
        c.eq(f"{col} default text", pd, md)
    seq = nextval_sequence(pd)
    if seq is not None and md is not None:
        c.eq(f"{col} default sequence", seq, nextval_sequence(md) or md)


def compare_table(c, t, pt, mt):
    c.eq(f"{t} kind", pt.get("kind"), mt.get("kind"))
    c.eq(f"{t} partition_of", qref(pt.get("partition_of")), qref(mt.get("partition_of")))
    c.eq(f"{t} rls_enabled", pt.get("rls_enabled"), mt.get("rls_enabled"))

    pcols = pt.get("columns") or []
    mcols = mt.get("columns") or []
    mby = by_key(mcols, lambda o: o.get("name"))
    pnames = [x["name"] for x in pcols]
    for pc in pcols:
        col = f"{t}.{pc['name']}"
        mc = mby.get(pc["name"])
        if not c.presence(f"{col}", True, mc is not None):
            continue
        c.eq(f"{col} type", pc.get("type"), mc.get("type"))
        c.eq(f"{col} not_null", pc.get("not_null"), mc.get("not_null"))
        compare_default(c, col, pc.get("default"), mc.get("default"))
        c.eq(f"{col} identity", pc.get("identity"), mc.get("identity"))
        c.eq(f"{col} collation", pc.get("collation"), mc.get("collation"))
        c.eq(f"{col} generated", "present" if pc.get("generated") is not None else None,
             "present" if mc.get("generated") is not None else None)
    for mc in mcols:
        if mc.get("name") not in pnames:
            c.presence(f"{t}.{mc.get('name')}", False, True)
    mnames = [x.get("name") for x in mcols]
    if sorted(pnames) == sorted(mnames):
        c.eq(f"{t} column order", pnames, mnames)

    ppk, mpk = pt.get("primary_key"), mt.get("primary_key")
    c.eq(f"{t} primary key", ppk and ppk.get("columns"), mpk and mpk.get("columns"))
    if ppk and mpk:
        c.eq(f"{t} primary key name", ppk.get("name"), mpk.get("name"))

    # unique constraints
    pairs, pg_only, ms_only = pair(pt.get("unique"), mt.get("unique"), lambda o: o.get("columns"))
    for p, m in pairs:
        what = f"{t} unique {p['name']}"
        if p["name"] != m.get("name"):
            c.eq(f"{what} name", p["name"], m.get("name"))
        c.eq(f"{what} columns", p.get("columns"), m.get("columns"))
    for p in pg_only:
        c.presence(f"{t} unique {p['name']} {show(p.get('columns'))}", True, False)
    for m in ms_only:
        c.presence(f"{t} unique {m.get('name')} {show(m.get('columns'))}", False, True)

    # check constraints: by name (presence) and whether validated
    pairs, pg_only, ms_only = pair(pt.get("checks"), mt.get("checks"), lambda o: loose(o.get("expression")))
    for p, m in pairs:
        what = f"{t} check {p['name']}"
        if p["name"] != m.get("name"):
            c.eq(f"{what} name", p["name"], m.get("name"))
        c.eq(f"{what} validated", p.get("validated"), m.get("validated"))
        if c.roundtrip:
            c.eq(f"{what} expression", p.get("expression"), m.get("expression"))
    for p in pg_only:
        c.presence(f"{t} check {p['name']}", True, False)
    for m in ms_only:
        c.presence(f"{t} check {m.get('name')}", False, True)

    # foreign keys
    def fk_sig(o):
        return (tuple(o.get("columns") or []), qref(o.get("ref_table")))
    pairs, pg_only, ms_only = pair(pt.get("foreign_keys"), mt.get("foreign_keys"), fk_sig)
    for p, m in pairs:
        what = f"{t} foreign key {p['name']}"
        if p["name"] != m.get("name"):
            c.eq(f"{what} name", p["name"], m.get("name"))
        c.eq(f"{what} columns", p.get("columns"), m.get("columns"))
        c.eq(f"{what} ref_table", qref(p.get("ref_table")), qref(m.get("ref_table")))
        c.eq(f"{what} ref_columns", p.get("ref_columns"), m.get("ref_columns"))
        c.eq(f"{what} on_delete", p.get("on_delete"), m.get("on_delete"))
        c.eq(f"{what} on_update", p.get("on_update"), m.get("on_update"))
        c.eq(f"{what} validated", p.get("validated"), m.get("validated"))
    for p in pg_only:
        c.presence(f"{t} foreign key {p['name']} {show(p.get('columns'))}", True, False)
    for m in ms_only:
        c.presence(f"{t} foreign key {m.get('name')} {show(m.get('columns'))}", False, True)

    # indexes
    def ix_sig(o):
        return (tuple(loose(x) if isinstance(x, str) else x for x in o.get("columns") or []),
                bool(o.get("unique")), o.get("predicate") is not None)
    pairs, pg_only, ms_only = pair(pt.get("indexes"), mt.get("indexes"), ix_sig)
    for p, m in pairs:
        what = f"{t} index {p['name']}"
        if p["name"] != m.get("name"):
            c.eq(f"{what} name", p["name"], m.get("name"))
        c.fact(cols_equal(p.get("columns"), m.get("columns"), pnames),
               f"{what} columns: pg says {show(p.get('columns'))}, migsafe says {show(m.get('columns'))}")
        c.eq(f"{what} include", p.get("include") or [], m.get("include") or [])
        c.eq(f"{what} unique", p.get("unique"), m.get("unique"))
        c.eq(f"{what} primary", p.get("primary"), m.get("primary"))
        c.eq(f"{what} method", p.get("method"), m.get("method"))
        c.eq(f"{what} nulls_not_distinct", p.get("nulls_not_distinct"), m.get("nulls_not_distinct"))
        c.eq(f"{what} predicate", "present" if p.get("predicate") is not None else None,
             "present" if m.get("predicate") is not None else None)
        if c.roundtrip:
            c.eq(f"{what} columns text", p.get("columns"), m.get("columns"))
            c.eq(f"{what} predicate text", p.get("predicate"), m.get("predicate"))
    for p in pg_only:
        c.presence(f"{t} index {p['name']} {show(p.get('columns'))}", True, False)
    for m in ms_only:
        c.presence(f"{t} index {m.get('name')} {show(m.get('columns'))}", False, True)


def compare(pg, ms, roundtrip=False):
    c = Compare(roundtrip)

    pschemas, mschemas = set(pg.get("schemas") or []), set(ms.get("schemas") or [])
    for s in sorted(pschemas | mschemas):
        c.presence(f"schema {s}", s in pschemas, s in mschemas)

    def sn(o):
        return (o.get("schema"), o.get("name"))

    ptabs, mtabs = by_key(pg.get("tables"), sn), by_key(ms.get("tables"), sn)
    for k in sorted(set(ptabs) | set(mtabs), key=lambda k: (str(k[0]), str(k[1]))):
        t = qual(*k)
        if c.presence(f"table {t}", k in ptabs, k in mtabs) and k in ptabs:
            compare_table(c, t, ptabs[k], mtabs[k])

    pv, mv = by_key(pg.get("views"), sn), by_key(ms.get("views"), sn)
    for k in sorted(set(pv) | set(mv), key=lambda k: (str(k[0]), str(k[1]))):
        v = qual(*k)
        if c.presence(f"view {v}", k in pv, k in mv) and k in pv:
            c.eq(f"view {v} materialized", pv[k].get("materialized"), mv[k].get("materialized"))
            c.eq(f"view {v} depends_on", sorted(qref(x) for x in pv[k].get("depends_on") or []),
                 sorted(qref(x) for x in mv[k].get("depends_on") or []))

    ps, msq = by_key(pg.get("sequences"), sn), by_key(ms.get("sequences"), sn)
    for k in sorted(set(ps) | set(msq), key=lambda k: (str(k[0]), str(k[1]))):
        s = qual(*k)
        if c.presence(f"sequence {s}", k in ps, k in msq) and k in ps:
            c.eq(f"sequence {s} owned_by", qref(ps[k].get("owned_by")), qref(msq[k].get("owned_by")))

    pt, mt = by_key(pg.get("types"), sn), by_key(ms.get("types"), sn)
    for k in sorted(set(pt) | set(mt), key=lambda k: (str(k[0]), str(k[1]))):
        ty = qual(*k)
        if c.presence(f"type {ty}", k in pt, k in mt) and k in pt:
            c.eq(f"type {ty} kind", pt[k].get("kind"), mt[k].get("kind"))
            if pt[k].get("kind") == "enum":
                c.eq(f"type {ty} values", pt[k].get("values"), mt[k].get("values"))
            if pt[k].get("kind") == "domain":
                c.eq(f"type {ty} not_null", pt[k].get("not_null"), mt[k].get("not_null"))
                c.eq(f"type {ty} checks",
                     sorted((x["name"], x["validated"]) for x in pt[k].get("checks") or []),
                     sorted((x["name"], x["validated"]) for x in mt[k].get("checks") or []))

    pe, me = set(pg.get("extensions") or []), set(ms.get("extensions") or [])
    for e in sorted(pe | me):
        c.presence(f"extension {e}", e in pe, e in me)
    if roundtrip:
        return c

    def fn_key(o):
        return (o.get("schema"), o.get("name"), signature_key(o.get("signature")))
    pf, mf = by_key(pg.get("functions"), fn_key), by_key(ms.get("functions"), fn_key)
    for k in sorted(set(pf) | set(mf), key=lambda k: tuple(str(x) for x in k)):
        f = qual(k[0], k[1]) + ((pf.get(k) or mf.get(k)).get("signature") or "()")
        c.presence(f"function {f}", k in pf, k in mf)

    for kind in ("triggers", "policies"):
        def tk(o):
            return (qref(o.get("table")), o.get("name"))
        pk, mk = by_key(pg.get(kind), tk), by_key(ms.get(kind), tk)
        for k in sorted(set(pk) | set(mk), key=lambda k: (str(k[0]), str(k[1]))):
            c.presence(f"{kind[:-1] if kind == 'triggers' else 'policy'} {k[0]}.{k[1]}", k in pk, k in mk)
    return c


# --------------------------------------------------------------- main

def run_migsafe(migsafe, h):
    r = subprocess.run([migsafe, "inspect", "--format", "json", *h.dirs], cwd=ROOT,
                       capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    try:
        doc = json.loads(r.stdout)
        if not isinstance(doc, dict):
            raise ValueError("not a JSON object")
    except ValueError as e:
        err = (r.stderr.strip().splitlines() or [""])[0]
        return None, f"migsafe inspect exited {r.returncode} without a JSON catalog ({e}): {err}"
    return doc, None


def run_roundtrip(pg, migsafe, h):
    """Step 4: migsafe's DDL loaded into a fresh database, whose catalog
    is returned; or None and what went wrong."""
    r = subprocess.run([migsafe, "inspect", "--format", "sql", *h.dirs], cwd=ROOT,
                       capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    if r.returncode != 0:
        err = (r.stderr.strip().splitlines() or [""])[0]
        return None, f"migsafe inspect --format sql exited {r.returncode}: {err}"
    db = pg.new_db()
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".sql", encoding="utf-8") as tmp:
            tmp.write(r.stdout)
            tmp.flush()
            os.chmod(tmp.name, 0o644)
            res = pg.psql(db, "-1", "-f", tmp.name)
        if res.returncode != 0:
            return None, res.stderr.strip().replace(tmp.name, "ddl.sql")
        return read_catalog(pg, db), None
    finally:
        pg.drop_db(db)


def report(name, c, known):
    """Print the disagreements and the figure; True when none is real."""
    real = [m for m in c.mismatches if m not in known]
    for m in c.mismatches:
        print(f"{name}: {m}" + ("  (known)" if m in known else ""))
    for k in sorted(known - set(c.mismatches)):
        print(f"{name}: KNOWN entry no longer happens, remove it: {k}")
    agree = c.facts - len(c.mismatches)
    pct = 100.0 * agree / c.facts if c.facts else 100.0
    print(f"{name}: {agree}/{c.facts} facts agree ({pct:.1f}%)")
    return not real


def known_for(table, h):
    return set(table.get(h.name, []) + table.get(h.name.rsplit("/", 1)[-1], []))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("migsafe", nargs="?")
    ap.add_argument("--history", action="append", default=[])
    ap.add_argument("--dump", action="store_true")
    ap.add_argument("--pg-only", action="store_true")
    ap.add_argument("--no-roundtrip", action="store_true")
    ap.add_argument("--extra", action="append", default=[], metavar="DIR")
    args = ap.parse_args()
    if not args.pg_only and not args.migsafe:
        ap.error("the migsafe binary is required (or --pg-only)")
    migsafe = os.path.abspath(args.migsafe) if args.migsafe else None

    hs = [extra_history(d) for d in args.extra] if args.extra else histories()
    if args.history:
        want = set(args.history)
        hs = [h for h in hs if h.name in want or h.name.rsplit("/", 1)[-1] in want]
        if not hs:
            die(f"no history named {', '.join(sorted(want))}")

    missing = [b for b in ("initdb", "pg_ctl") if not os.access(os.path.join(PGBIN, b), os.X_OK)]
    if missing:
        if os.environ.get("MIGSAFE_ALLOW_NO_PG") == "1":
            print(f"# PostgreSQL server binaries not found in {PGBIN}: skipped (MIGSAFE_ALLOW_NO_PG=1)")
            print("0 passed, 0 failed")
            return 0
        die(f"PostgreSQL server binaries not found in {PGBIN} ({', '.join(missing)}); install the "
            "'postgresql' package (15), set PGBIN, or set MIGSAFE_ALLOW_NO_PG=1 to skip")

    pg = Postgres(PGBIN)
    atexit.register(pg.stop)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(1))
    passed = failed = 0
    try:
        pg.start()
        for h in hs:
            db = pg.new_db()
            try:
                err = apply_history(pg, db, h)
                pgdoc = None if err else read_catalog(pg, db)
            finally:
                pg.drop_db(db)
            if err:
                print(f"{h.name}: {err}")
                print(f"not ok - {h.name}")
                failed += 1
                continue
            if args.pg_only:
                if args.dump:
                    print(f"# {h.name}: PostgreSQL\n" + json.dumps(pgdoc, indent=1))
                ntab = len(pgdoc["tables"])
                print(f"ok - {h.name} (applied {len(h.files)} files; {ntab} tables)")
                passed += 1
                continue
            msdoc, merr = run_migsafe(migsafe, h)
            if args.dump:
                print(f"# {h.name}: PostgreSQL\n" + json.dumps(pgdoc, indent=1))
                print(f"# {h.name}: migsafe\n" + (json.dumps(msdoc, indent=1) if msdoc else merr))
            if merr:
                print(f"{h.name}: {merr}")
                print(f"not ok - {h.name}")
                failed += 1
                continue
            ok = report(h.name, compare(pgdoc, msdoc), known_for(KNOWN, h))
            if not args.no_roundtrip:
                rtdoc, rterr = run_roundtrip(pg, migsafe, h)
                if args.dump:
                    print(f"# {h.name}: migsafe's DDL in PostgreSQL\n" +
                          (json.dumps(rtdoc, indent=1) if rtdoc else rterr))
                if rterr:
                    first = re.sub(r"^psql:[^:]*:\d+: ", "", (rterr.splitlines() or [""])[0])
                    known = f"load: {first}" in known_for(ROUNDTRIP_KNOWN, h)
                    print(f"{h.name} (round trip): PostgreSQL failed to load migsafe's DDL: "
                          f"{rterr}" + ("  (known)" if known else ""))
                    ok = ok and known
                else:
                    ok = report(f"{h.name} (round trip)", compare(pgdoc, rtdoc, roundtrip=True),
                                known_for(ROUNDTRIP_KNOWN, h)) and ok
            if not ok:
                print(f"not ok - {h.name}")
                failed += 1
            else:
                print(f"ok - {h.name}")
                passed += 1
    except RuntimeError as e:
        print(f"t_pg_oracle: {e}", file=sys.stderr)
        failed += 1
    finally:
        pg.stop()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
