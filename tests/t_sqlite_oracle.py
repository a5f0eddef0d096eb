#!/usr/bin/env python3
"""Replay-fidelity oracle for SQLite: after replaying a migration history,
migsafe's schema model must hold what the sqlite3 command-line tool
leaves in a database file after running the same files.

    python3 tests/t_sqlite_oracle.py path/to/migsafe [--history NAME]... [--dump]
    python3 tests/t_sqlite_oracle.py path/to/migsafe --extra DIR [--extra DIR]...

For each history (the SQLite corpora in ../shared/corpora, each directory
of tests/histories-sqlite/, and each fixture that runs with
`--dialect sqlite`), the test
  1. applies the up files in order to a fresh database file with the
     sqlite3 command-line tool, one process per file, each file inside
     BEGIN ... COMMIT as the migration tools run it (unless the file opens
     its own transaction); where the corpus has a sqlite_schema.sql (the
     `.schema` its authors recorded), the CLI's `.schema` must equal it;
  2. reads the schema back from the file with PRAGMA table_xinfo,
     index_list, index_xinfo and foreign_key_list (Python's sqlite3
     module, on the file the CLI wrote);
  3. runs `migsafe inspect --dialect sqlite --format json` on the history
     and compares the two fact by fact: tables; per column the declared
     type, NOT NULL, whether it has a default, its place in the primary
     key; indexes (columns, unique, partial); foreign keys (columns,
     referenced table and columns); views; triggers.

It prints every disagreement, an agreement figure per history, and
"N passed, N failed" last. A history passes when every fact agrees.

Environment: MIGSAFE_SOURCE_DIR (repo root; default: the working
directory), SQLITE3 (the CLI; default: sqlite3 on PATH),
MIGSAFE_ALLOW_NO_SQLITE3=1 (skip, passing, when the CLI is missing),
MIGSAFE_ALLOW_NO_SHARED=1 (run without ../shared/corpora).
"""
import argparse
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.environ.get("MIGSAFE_SOURCE_DIR") or os.getcwd())
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "corpora")
SQLITE3 = os.environ.get("SQLITE3") or shutil.which("sqlite3")
TIMEOUT = 120


def done(passed, failed):
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


# --------------------------------------------------------------- histories

class History:
    def __init__(self, name, files, args, tmp=None, expected_schema=None):
        self.name = name
        self.files = files            # up files, in the order they run
        self.args = args              # what migsafe inspect is given
        self.tmp = tmp                # a directory to remove afterwards
        self.expected_schema = expected_schema   # a recorded .schema, or None


def corpus(name, d):
    mig = os.path.join(d, "migrations")
    with open(os.path.join(d, "order.txt")) as fh:
        order = [l.strip() for l in fh if l.strip() and not l.lstrip().startswith("#")]
    recorded = os.path.join(d, "sqlite_schema.sql")
    return History(name, [os.path.join(mig, p) for p in order], [mig],
                   expected_schema=recorded if os.path.isfile(recorded) else None)


def version_key(name):
    return [int(x) for x in re.findall(r"\d+", name.split("_", 1)[0])] + [name]


def local_history(name, d):
    files = sorted((f for f in os.listdir(d) if re.match(r"^\d", f) and
                    (f.endswith(".up.sql") or f.endswith(".sqlite.sql") or
                     f.endswith(".sql.sqlite"))), key=version_key)
    return History(name, [os.path.join(d, f) for f in files], [d])


FIXTURE_ARGS = re.compile(r"^\s*--\s*fixture:\s*args\s+(.*?)\s*$", re.M)
FIXTURE_NAME = re.compile(r"^\s*--\s*fixture:\s*(name|setup-name)\s+(\S+)\s*$", re.M)


def fixture_history(path):
    """A fixture run with --dialect sqlite: its setup and lint parts as two
    migrations (the lint part is applied too: the schema after it counts)."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    args = []
    for m in FIXTURE_ARGS.finditer(text):
        args += shlex.split(m.group(1))
    if "--dialect" not in args or args[args.index("--dialect") + 1] != "sqlite":
        return None
    names = {"name": "0002_fixture.up.sql", "setup-name": "0001_setup.up.sql"}
    for m in FIXTURE_NAME.finditer(text):
        names[m.group(1)] = m.group(2)
    lines = text.splitlines(keepends=True)
    marker = next((i for i, l in enumerate(lines) if l.rstrip() == "-- fixture: lint"), None)
    tmp = tempfile.mkdtemp(prefix="migsafe-sqlite-oracle-")
    files = []
    parts = [("name", "".join(lines))] if marker is None else \
        [("setup-name", "".join(lines[:marker])), ("name", "".join(lines[marker:]))]
    for kind, part in parts:
        p = os.path.join(tmp, names[kind])
        with open(p, "w", encoding="utf-8") as fh:
            fh.write(part)
        files.append(p)
    files.sort(key=lambda p: version_key(os.path.basename(p)))
    name = os.path.relpath(path, ROOT)
    return History(name, files, [tmp], tmp=tmp)


def histories(args):
    out = []
    if args.extra:
        return [local_history(d, d) for d in args.extra]
    if os.path.isdir(SHARED):
        for d in sorted(os.listdir(SHARED)):
            full = os.path.join(SHARED, d)
            if os.path.isfile(os.path.join(full, "sqlite_schema.sql")):
                out.append(corpus(d, full))
    elif not os.environ.get("MIGSAFE_ALLOW_NO_SHARED"):
        print("t_sqlite_oracle: no %s (set MIGSAFE_ALLOW_NO_SHARED=1 to run without)" % SHARED,
              file=sys.stderr)
        return None
    local = os.path.join(ROOT, "tests", "histories-sqlite")
    for d in sorted(os.listdir(local)) if os.path.isdir(local) else []:
        out.append(local_history(d, os.path.join(local, d)))
    for dirpath, dirs, files in os.walk(os.path.join(ROOT, "fixtures")):
        dirs.sort()
        for f in sorted(files):
            if f.endswith(".sql"):
                h = fixture_history(os.path.join(dirpath, f))
                if h:
                    out.append(h)
    if args.history:
        out = [h for h in out if h.name in args.history or
               os.path.basename(h.name.rstrip("/")) in args.history]
    return out


# --------------------------------------------------------------- the CLI

OWN_BEGIN = re.compile(r"(^|;)\s*BEGIN\b", re.I | re.M)


def apply(h, db):
    """Run each file with the sqlite3 CLI; returns the errors it printed."""
    errors = []
    for f in h.files:
        with open(f, encoding="utf-8") as fh:
            sql = fh.read()
        if not OWN_BEGIN.search(sql):
            sql = "BEGIN;\n" + sql + "\n;COMMIT;\n"
        # in the database's directory: a history may ATTACH or VACUUM INTO
        # a relative file name (migsafe never runs those; the CLI does)
        p = subprocess.run([SQLITE3, "-batch", db], input=sql.encode("utf-8"),
                           capture_output=True, timeout=TIMEOUT, cwd=os.path.dirname(db))
        err = p.stderr.decode("utf-8", "replace").strip()
        if err:
            errors.append("%s: %s" % (os.path.basename(os.path.dirname(f)) + "/" +
                                      os.path.basename(f), err.splitlines()[0]))
    return errors


def cli_schema(db):
    p = subprocess.run([SQLITE3, "-batch", db, ".schema"], capture_output=True, timeout=TIMEOUT)
    return p.stdout.decode("utf-8", "replace")


def norm_schema(text):
    return [l.rstrip() for l in text.strip().splitlines() if l.strip()]


# --------------------------------------------------------------- facts

def q(con, sql, *args):
    return con.execute(sql, args).fetchall()


def ident(name):
    return '"' + name.replace('"', '""') + '"'


def truth(db):
    """Facts about the schema in the file the CLI wrote."""
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    facts, dangling = {}, []
    rows = q(con, "SELECT type, name, tbl_name FROM sqlite_schema"
                  " WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
    tables = [r[1] for r in rows if r[0] == "table"]
    lower = {t.lower(): t for t in tables}
    for r in rows:
        if r[0] == "view":
            facts["view %s" % r[1]] = "exists"
        elif r[0] == "trigger":
            facts["trigger %s on %s" % (r[1], r[2])] = "exists"
    for t in tables:
        facts["table %s" % t] = "exists"
        pk = {}
        for cid, name, typ, notnull, dflt, pkpos, hidden in \
                q(con, "PRAGMA table_xinfo(%s)" % ident(t)):
            if hidden == 1:
                continue
            facts["%s.%s" % (t, name)] = "type %r, %s, %s" % (
                typ, "not null" if notnull else "null",
                "default" if dflt is not None else "no default")
            if pkpos:
                pk[pkpos] = name
        if pk:
            facts["%s primary key" % t] = ", ".join(pk[k] for k in sorted(pk))
        for seq, iname, unique, origin, partial in q(con, "PRAGMA index_list(%s)" % ident(t)):
            cols = [c[2] if c[1] >= 0 else ("<expr>" if c[1] == -2 else "rowid")
                    for c in q(con, "PRAGMA index_xinfo(%s)" % ident(iname)) if c[5]]
            facts["index %s on %s" % (iname, t)] = "(%s)%s%s" % (
                ", ".join(cols), " unique" if unique else "", " partial" if partial else "")
        fks = {}
        for fid, seq, ref, frm, to, *_ in q(con, "PRAGMA foreign_key_list(%s)" % ident(t)):
            fks.setdefault(fid, []).append((ref, frm, to))
        for cols in fks.values():
            ref = cols[0][0]
            target = lower.get(ref.lower())
            tos = [c[2] for c in cols]
            if target and any(x is None for x in tos):
                tpk = sorted((r[5], r[1]) for r in q(con, "PRAGMA table_info(%s)" % ident(target))
                             if r[5])
                tos = [n for _, n in tpk]
            if not target:
                # SQLite keeps a foreign key to a table that does not exist;
                # the catalog cannot, and 'migsafe lint' reports it
                # (unknown-object) instead
                dangling.append("%s (%s) -> %s" % (t, ", ".join(c[1] for c in cols), ref))
                continue
            facts["fk %s (%s)" % (t, ", ".join(c[1] for c in cols))] = "-> %s (%s)" % (
                target, ", ".join(x or "?" for x in tos))
    con.close()
    return facts, dangling


def model(doc):
    """The same facts from migsafe inspect's JSON."""
    facts = {}
    for v in doc.get("views", []):
        facts["view %s" % v["name"]] = "exists"
    for tr in doc.get("triggers", []):
        facts["trigger %s on %s" % (tr["name"], tr["table"].split(".", 1)[1])] = "exists"
    for t in doc.get("tables", []):
        name = t["name"]
        facts["table %s" % name] = "exists"
        for c in t["columns"]:
            facts["%s.%s" % (name, c["name"])] = "type %r, %s, %s" % (
                c["type"], "not null" if c["not_null"] else "null",
                "default" if c["default"] is not None else "no default")
        if t.get("primary_key"):
            facts["%s primary key" % name] = ", ".join(t["primary_key"]["columns"])
        for ix in t["indexes"]:
            cols = [c if c is not None else "<expr>" for c in ix["columns"]]
            cols = ["<expr>" if c not in [x["name"] for x in t["columns"]] and c != "rowid"
                    else c for c in cols]
            facts["index %s on %s" % (ix["name"], name)] = "(%s)%s%s" % (
                ", ".join(cols), " unique" if ix["unique"] else "",
                " partial" if ix["predicate"] is not None else "")
        for fk in t["foreign_keys"]:
            facts["fk %s (%s)" % (name, ", ".join(fk["columns"]))] = "-> %s (%s)" % (
                fk["ref_table"].split(".", 1)[1], ", ".join(fk["ref_columns"]))
    return facts


def run_migsafe(migsafe, h):
    cmd = [migsafe, "inspect", "--dialect", "sqlite", "--format", "json"] + h.args
    p = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT,
                       env=dict(os.environ, NO_COLOR="1"))
    if p.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), p.returncode,
                                                p.stderr.decode("utf-8", "replace")))
    return json.loads(p.stdout.decode("utf-8"))


def compare(name, want, got):
    keys = sorted(set(want) | set(got))
    bad = [k for k in keys if want.get(k) != got.get(k)]
    for k in bad:
        print("  %s: %s: sqlite3 says %s, migsafe says %s" % (
            name, k, want.get(k, "(nothing)"), got.get(k, "(nothing)")))
    return len(keys), len(keys) - len(bad)


def check(migsafe, h, dump):
    tmp = tempfile.mkdtemp(prefix="migsafe-sqlite-db-")
    try:
        db = os.path.join(tmp, "oracle.db")
        errors = apply(h, db)
        ok = True
        if h.expected_schema:
            with open(h.expected_schema, encoding="utf-8") as fh:
                recorded = norm_schema(fh.read())
            if norm_schema(cli_schema(db)) != recorded:
                print("  %s: the CLI's .schema differs from %s" % (h.name, h.expected_schema))
                ok = False
        want, dangling = truth(db)
        got = model(run_migsafe(migsafe, h))
        for d in dangling:
            print("  %s: note: foreign key %s references no table (a lint finding, not"
                  " compared)" % (h.name, d))
        if dump:
            print(json.dumps({"sqlite3": want, "migsafe": got}, indent=1, sort_keys=True))
        total, agree = compare(h.name, want, got)
        print("%s: %d of %d facts agree (%.1f%%)%s" % (
            h.name, agree, total, 100.0 * agree / total if total else 100.0,
            "; sqlite3 rejected %d statement(s)" % len(errors) if errors else ""))
        return ok and agree == total
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if h.tmp:
            shutil.rmtree(h.tmp, ignore_errors=True)


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("migsafe")
    ap.add_argument("--history", action="append", default=[])
    ap.add_argument("--extra", action="append", default=[])
    ap.add_argument("--dump", action="store_true")
    args = ap.parse_args(argv[1:])
    if not SQLITE3:
        print("t_sqlite_oracle: no sqlite3 command-line tool (apt-get install sqlite3)",
              file=sys.stderr)
        return done(1, 0) if os.environ.get("MIGSAFE_ALLOW_NO_SQLITE3") else done(0, 1)
    hs = histories(args)
    if hs is None:
        return done(0, 1)
    passed = failed = 0
    for h in hs:
        try:
            good = check(os.path.abspath(args.migsafe), h, args.dump)
        except (RuntimeError, ValueError, OSError, subprocess.TimeoutExpired) as e:
            print("  %s: %s" % (h.name, e))
            good = False
        if good:
            passed += 1
        else:
            print("FAIL %s" % h.name)
            failed += 1
    return done(passed, failed)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
