#!/usr/bin/env python3
"""End-to-end tests of the SQLite dialect on the command line: choosing it
(--dialect, the config's "dialect", file names *.sql.sqlite), reporting it
in the output, inspect and locks on SQLite histories, suppression
comments, and a hostile history run through the CLI that must leave the
file system alone.

    python3 tests/t_sqlite_cli.py path/to/migsafe

Each case builds its migrations in a fresh temporary directory and runs
migsafe there. Prints "ok - NAME" / "not ok - NAME" per check and
"N passed, N failed" last; exits 1 when any check failed.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

MIGSAFE = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok - %s" % name)
    else:
        failed += 1
        print("not ok - %s" % name)
        for line in str(detail).splitlines()[:30]:
            print("  # %s" % line)


class Run:
    def __init__(self, p):
        self.rc = p.returncode
        self.out = p.stdout.decode("utf-8", "replace")
        self.err = p.stderr.decode("utf-8", "replace")

    def json(self):
        try:
            return json.loads(self.out)
        except ValueError:
            return None

    def __str__(self):
        return "exit %d\nstdout:\n%s\nstderr:\n%s" % (self.rc, self.out, self.err)


def run(cwd, *args):
    env = dict(os.environ, NO_COLOR="1")
    return Run(subprocess.run([MIGSAFE] + list(args), cwd=cwd, env=env,
                              capture_output=True, timeout=60))


def project(files, config=None):
    d = tempfile.mkdtemp(prefix="migsafe-sqlite-cli-")
    os.mkdir(os.path.join(d, "db"))
    for name, text in files.items():
        path = os.path.join(d, "db", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    if config is not None:
        with open(os.path.join(d, ".migsafe.json"), "w", encoding="utf-8") as fh:
            fh.write(config)
    return d


REBUILD = {
    "0001_create.up.sql":
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, phone TEXT);\n",
    "0002_rebuild.up.sql":
        "CREATE TABLE new_users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
        "INSERT INTO new_users SELECT id, email FROM users;\n"
        "DROP TABLE users;\n"
        "ALTER TABLE new_users RENAME TO users;\n",
}


def rules_of(doc):
    return sorted(f["rule"] for f in (doc or {}).get("findings", []))


def test_dialect_option():
    d = project(REBUILD)
    r = run(d, "lint", "--dialect", "sqlite", "db")
    check("--dialect sqlite: the rebuild is one finding, not drop-table",
          r.rc == 1 and "table-rebuild-loses-data" in r.out and "drop-table" not in r.out, r)
    check("text: the summary names the dialect",
          r.out.rstrip().splitlines()[-1].endswith("statements, sqlite)"), r)
    r = run(d, "lint", "--dialect", "sqlite", "--format", "json", "db")
    doc = r.json()
    check("json: summary.dialect is sqlite",
          doc and doc["summary"]["dialect"] == "sqlite" and
          rules_of(doc) == ["table-rebuild-loses-data"], r)
    r = run(d, "lint", "--format", "json", "db")
    check("json: PostgreSQL by default", r.json() and r.json()["summary"]["dialect"] ==
          "postgresql", r)
    r = run(d, "lint", "--dialect", "oracle", "db")
    check("--dialect oracle: usage error", r.rc == 2 and "unsupported dialect 'oracle'" in r.err
          and "sqlite" in r.err, r)
    shutil.rmtree(d)


def test_config():
    d = project(REBUILD, '{"dialect": "sqlite"}')
    r = run(d, "lint", "--format", "json", "db")
    check("config dialect sqlite", r.json() and r.json()["summary"]["dialect"] == "sqlite", r)
    r = run(d, "lint", "--format", "json", "--dialect", "postgresql", "db")
    check("--dialect overrides the config",
          r.json() and r.json()["summary"]["dialect"] == "postgresql", r)
    shutil.rmtree(d)
    d = project(REBUILD, '{"dialect": "oracle"}')
    r = run(d, "lint", "db")
    check("config: a bad dialect names the key", r.rc == 2 and "dialect" in r.err and
          "oracle" in r.err, r)
    shutil.rmtree(d)


def test_detected_by_name():
    d = project({
        "0001_create.sql.sqlite": REBUILD["0001_create.up.sql"],
        "0002_rebuild.sql.sqlite": REBUILD["0002_rebuild.up.sql"],
        "0002_rebuild.down.sql.sqlite": "DROP TABLE users;\n",
    })
    r = run(d, "lint", "--format", "json", "db")
    doc = r.json()
    check("*.sql.sqlite files are found and read as SQLite",
          doc and doc["summary"]["dialect"] == "sqlite" and doc["summary"]["files"] == 2 and
          rules_of(doc) == ["table-rebuild-loses-data"], r)
    shutil.rmtree(d)
    d = project({"0001_a.sqlite.sql": "CREATE TABLE t (id INTEGER PRIMARY KEY);\n",
                 "0002_b.sql": "DROP TABLE t;\n"})
    r = run(d, "lint", "--format", "json", "db")
    check("one file not named for SQLite: PostgreSQL",
          r.json() and r.json()["summary"]["dialect"] == "postgresql", r)
    shutil.rmtree(d)


def test_inspect_and_locks():
    d = project(REBUILD)
    r = run(d, "inspect", "--dialect", "sqlite", "db")
    doc = r.json()
    users = [t for t in (doc or {}).get("tables", []) if t["name"] == "users"]
    check("inspect: the rebuilt table, created where the old one was",
          r.rc == 0 and users and [c["name"] for c in users[0]["columns"]] == ["id", "email"]
          and users[0]["created"]["file"].endswith("0001_create.up.sql"), r)
    r = run(d, "inspect", "--dialect", "sqlite", "--format", "sql", "db")
    check("inspect --format sql", r.rc == 0 and "users" in r.out, r)
    r = run(d, "inspect", "--dialect", "sqlite", "--at", "0001", "db")
    doc = r.json()
    check("inspect --at: the schema before the rebuild",
          doc and [c["name"] for c in doc["tables"][0]["columns"]] == ["id", "email", "phone"], r)
    r = run(d, "locks", "--dialect", "sqlite", "db")
    check("locks: SQLite's database write lock", r.rc == 0 and "(database)" in r.out, r)
    shutil.rmtree(d)


def test_suppression_and_range():
    files = dict(REBUILD)
    files["0002_rebuild.up.sql"] = files["0002_rebuild.up.sql"].replace(
        "INSERT INTO", "-- migsafe:ignore table-rebuild-loses-data phone is unused\nINSERT INTO")
    d = project(files)
    r = run(d, "lint", "--dialect", "sqlite", "--format", "json", "db")
    doc = r.json()
    check("migsafe:ignore suppresses a SQLite finding",
          doc and rules_of(doc) == [] and doc["summary"]["suppressed"] == 1, r)
    shutil.rmtree(d)
    d = project(REBUILD)
    r = run(d, "lint", "--dialect", "sqlite", "--format", "json", "--since", "0002", "db")
    check("--since 0002: the table was created before the range, its rebuild loses data",
          r.json() is not None and rules_of(r.json()) == ["table-rebuild-loses-data"], r)
    r = run(d, "lint", "--dialect", "sqlite", "--format", "json", "--since", "0001", "db")
    check("--since 0001: the table is new in the range, nothing to lose",
          r.json() is not None and rules_of(r.json()) == [], r)
    shutil.rmtree(d)


def test_hostile_history():
    d = project({
        "0001_attach.up.sql":
            "ATTACH 'stolen.db' AS s;\n"
            "CREATE TABLE s.t (x);\n"
            "VACUUM INTO 'copy.db';\n"
            "SELECT writefile('out.txt', 'x');\n"
            "SELECT load_extension('./evil');\n"
            "PRAGMA temp_store_directory = '.';\n"
            "CREATE TABLE ok (id INTEGER PRIMARY KEY);\n",
    })
    before = sorted(os.listdir(d)) + sorted(os.listdir(os.path.join(d, "db")))
    r = run(d, "lint", "--dialect", "sqlite", "--format", "json", "db")
    after = sorted(os.listdir(d)) + sorted(os.listdir(os.path.join(d, "db")))
    check("a hostile history creates no file", before == after and r.rc in (0, 1),
          "%s\nbefore %s\nafter %s" % (r, before, after))
    check("and its refused statements are notes",
          r.json() is not None and rules_of(r.json()).count("unanalyzable-statement") == 2, r)
    shutil.rmtree(d)


def main():
    if not MIGSAFE:
        print("usage: t_sqlite_cli.py path/to/migsafe", file=sys.stderr)
        print("0 passed, 1 failed")
        return 1
    for t in (test_dialect_option, test_config, test_detected_by_name, test_inspect_and_locks,
              test_suppression_and_range, test_hostile_history):
        t()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
