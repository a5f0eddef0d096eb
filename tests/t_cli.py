#!/usr/bin/env python3
"""End-to-end tests of the migsafe command line: exit codes, output files,
the text and JSON formats, colour, migration discovery and ordering, the
lint range, and the rules/version commands.

Usage (from the repo root, or with MIGSAFE_SOURCE_DIR set to it):

    python3 tests/t_cli.py path/to/migsafe

Each case builds its migrations in a fresh temporary directory and runs
migsafe there (so no .migsafe.json of the repo applies). Prints one
"ok - NAME" / "not ok - NAME" line per check and ends with
"N passed, N failed"; exits 1 when any check failed.
"""

import json
import os
import pty
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import environ  # noqa: E402

ROOT = os.environ.get("MIGSAFE_SOURCE_DIR", os.getcwd())
MIGSAFE = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
passed = failed = 0
TMPDIRS = []

ANSI = re.compile(r"\x1b\[[0-9;]*m")
TEXT_FINDING = re.compile(
    r"^(?P<file>\S.*?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|note)"
    r"\[(?P<rule>[a-z0-9-]+)\]: (?P<msg>.+)$")
SUMMARY = re.compile(
    r"^(\d+ errors?, \d+ warnings?, \d+ notes?|no findings)"
    r" in \d+ migration files? \(\d+ statements?\)$")
FINDING_KEYS = {"rule", "severity", "message", "help", "file", "line", "column",
                "end_line", "end_column", "object", "fingerprint"}


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok - {name}")
    else:
        failed += 1
        print(f"not ok - {name}")
        for line in str(detail).splitlines():
            print(f"  # {line}")


def base_env(**extra):
    """The environment for a run: no NO_COLOR unless asked for."""
    return environ(("NO_COLOR",), {"TERM": os.environ.get("TERM", "xterm"), **extra})


class Result:
    def __init__(self, rc, out, err):
        self.rc, self.out, self.err = rc, out, err

    def __str__(self):
        return f"exit {self.rc}\n--- stdout\n{self.out}--- stderr\n{self.err}"

    def json(self):
        try:
            return json.loads(self.out)
        except ValueError:
            return None

    def findings(self):
        doc = self.json()
        return doc["findings"] if doc else []

    def rules(self):
        return [f["rule"] for f in self.findings()]


def run(cwd, *args, env=None):
    p = subprocess.run([MIGSAFE, *args], cwd=cwd, capture_output=True,
                       env=env if env is not None else base_env(NO_COLOR="1"))
    return Result(p.returncode, p.stdout.decode("utf-8", "replace"),
                  p.stderr.decode("utf-8", "replace"))


def run_tty(cwd, *args, env):
    """Run with stdout on a pseudo-terminal; returns (rc, output)."""
    master, slave = pty.openpty()
    p = subprocess.Popen([MIGSAFE, *args], cwd=cwd, stdout=slave,
                         stderr=subprocess.DEVNULL, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return p.wait(), b"".join(chunks).decode("utf-8", "replace")


# These tests are about the command line (formats, exit codes, ranges,
# layouts); the rule catalog is tested by the fixtures. Rules that fire on
# almost any statement would only blur the expectations, so each project
# turns them off in its .migsafe.json.
QUIET_CONFIG = json.dumps({"rules": {r: "off" for r in (
    "missing-lock-timeout", "table-without-primary-key", "prefer-bigint-pk",
    "prefer-timestamptz", "prefer-jsonb", "ban-char", "redundant-index",
    "unique-on-existing-data")}})


def project(files):
    """A temp dir holding files {relative path: text or bytes}."""
    d = tempfile.mkdtemp(prefix="migsafe-cli-")
    TMPDIRS.append(d)
    files = dict(files)
    files.setdefault(".migsafe.json", QUIET_CONFIG)
    for rel, content in files.items():
        path = os.path.join(d, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        mode = "wb" if isinstance(content, bytes) else "w"
        with open(path, mode) as fh:
            fh.write(content)
    return d


def lint_json(cwd, *args):
    return run(cwd, "lint", "--format", "json", *args)


def has(findings, rule, file=None, line=None):
    return any(f["rule"] == rule and (file is None or f["file"] == file)
               and (line is None or f["line"] == line) for f in findings)


USERS = "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n"


# ---------------------------------------------------------------- exit codes

def test_exit_codes():
    d = project({"m/1_init.up.sql": USERS,
                 "m/2_more.up.sql": "ALTER TABLE users ADD COLUMN name text;\n"})
    r = run(d, "lint", "m")
    check("clean history exits 0", r.rc == 0, r)
    out = r.out.strip().splitlines()
    check("clean history prints only the summary",
          len(out) == 1 and SUMMARY.match(out[0])
          and out[0].startswith("no findings in 2 migration files"), r)
    check("clean history writes nothing to stderr", r.err == "", r)

    d = project({"m/1_init.up.sql": USERS,
                 "m/2_drop.up.sql": "ALTER TABLE users DROP COLUMN email;\n"})
    r = run(d, "lint", "m")
    check("an error finding exits 1", r.rc == 1, r)
    r = run(d, "lint", "--fail-on", "none", "m")
    check("--fail-on none exits 0 with errors", r.rc == 0, r)
    check("--fail-on none still reports", "error[drop-column]" in r.out, r)
    r = run(d, "lint", "--fail-on=warning", "m")
    check("--fail-on=warning exits 1 with errors", r.rc == 1, r)

    # only a warning: index-not-concurrent on an existing table
    d = project({"m/1_init.up.sql": USERS,
                 "m/2_idx.up.sql": "CREATE INDEX users_email ON users (email);\n"})
    r = lint_json(d, "m")
    check("warning-only history has the warning",
          r.rules() == ["index-not-concurrent"]
          and r.findings()[0]["severity"] == "warning", r)
    check("a warning does not fail by default", r.rc == 0, r)
    r = run(d, "lint", "--fail-on", "error", "m")
    check("--fail-on error ignores warnings", r.rc == 0, r)
    r = run(d, "lint", "--fail-on", "warning", "m")
    check("--fail-on warning fails on a warning", r.rc == 1, r)
    r = run(d, "lint", "--fail-on", "note", "m")
    check("--fail-on note fails on a warning", r.rc == 1, r)
    r = run(d, "lint", "--fail-on", "bogus", "m")
    check("--fail-on with a bad level exits 2", r.rc == 2 and "bogus" in r.err, r)


def test_exit_trouble():
    d = project({"m/1_init.up.sql": USERS, "empty/README": "nothing here\n"})
    r = run(d, "lint", "does/not/exist")
    check("missing path exits 2", r.rc == 2, r)
    check("missing path message names it", "does/not/exist" in r.err, r)
    check("missing path message is one line",
          len([l for l in r.err.splitlines() if l.strip()]) == 1, r)
    r = run(d, "lint", "empty")
    check("directory without migrations exits 2", r.rc == 2, r)
    check("directory without migrations is named", "empty" in r.err, r)
    os.mkdir(os.path.join(d, "void"))
    r = run(d, "lint", "void")
    check("empty directory exits 2", r.rc == 2 and "void" in r.err, r)
    r = run(d, "lint", "--format", "xml", "m")
    check("unknown format exits 2", r.rc == 2, r)
    check("unknown format is named", "xml" in r.err, r)
    check("unknown format prints no report", r.out == "", r)
    r = run(d, "lint", "--frobnicate", "m")
    check("unknown option exits 2", r.rc == 2 and "frobnicate" in r.err, r)
    r = run(d, "frobnicate")
    check("unknown command exits 2", r.rc == 2 and "frobnicate" in r.err, r)
    r = run(d)
    check("no command exits 2 with usage", r.rc == 2 and "usage" in r.err, r)
    r = run(d, "lint", "--pg-version", "banana", "m")
    check("bad --pg-version exits 2", r.rc == 2, r)
    r = run(d, "lint", "--color=sometimes", "m")
    check("bad --color exits 2", r.rc == 2, r)
    r = run(d, "lint", "--help")
    check("lint --help exits 0 on stdout", r.rc == 0 and "usage" in r.out, r)


def test_syntax_error_is_a_finding():
    d = project({"m/1_init.up.sql": USERS,
                 "m/2_bad.up.sql": "ALTER TABLE users ADD COLUMN x int;\n"
                                   "ALTER TABLE users ADDD COLUMN y int;\n"
                                   "ALTER TABLE users DROP COLUMN email;\n"})
    r = lint_json(d, "m")
    check("syntax error exits 1, not 2", r.rc == 1, r)
    f = [x for x in r.findings() if x["rule"] == "syntax-error"]
    check("syntax error is reported once", len(f) == 1, r)
    check("syntax error points into the bad statement",
          f and f[0]["file"] == "m/2_bad.up.sql" and f[0]["line"] == 2, r)
    check("the rest of the file is still linted",
          has(r.findings(), "drop-column", "m/2_bad.up.sql", 3), r)


# ---------------------------------------------------------------- output

def test_output_file():
    d = project({"m/1_init.up.sql": USERS,
                 "m/2_drop.up.sql": "ALTER TABLE users DROP COLUMN email;\n"})
    r = run(d, "lint", "-o", "report.txt", "m")
    check("-o exits as without it", r.rc == 1, r)
    check("-o writes nothing to stdout", r.out == "", r)
    path = os.path.join(d, "report.txt")
    text = open(path).read() if os.path.exists(path) else ""
    check("-o writes the text report to the file",
          "m/2_drop.up.sql:1:1: error[drop-column]" in text
          and SUMMARY.match(text.strip().splitlines()[-1] if text.strip() else ""), text)
    r = run(d, "lint", "--format=json", "--output=report.json", "m")
    check("--output writes nothing to stdout", r.out == "", r)
    try:
        doc = json.load(open(os.path.join(d, "report.json")))
    except (OSError, ValueError) as e:
        doc = None
        check("--output json is valid JSON", False, e)
    if doc is not None:
        check("--output json holds the finding",
              [f["rule"] for f in doc["findings"]] == ["drop-column"], doc)
    r = run(d, "lint", "-o", "no/such/dir/out.txt", "m")
    check("unwritable -o exits 2 naming the file",
          r.rc == 2 and "no/such/dir/out.txt" in r.err, r)


def test_text_format():
    d = project({"m/1_init.up.sql": USERS,
                 "m/2_drop.up.sql": "-- drop the email\n"
                                    "ALTER TABLE users\n"
                                    "    DROP COLUMN email;\n"})
    r = run(d, "lint", "m")
    lines = r.out.splitlines()
    heads = [l for l in lines if TEXT_FINDING.match(l)]
    check("text: one finding line", len(heads) == 1, r)
    m = TEXT_FINDING.match(heads[0]) if heads else None
    check("text: file:line:col: severity[rule]: message",
          m and m["file"] == "m/2_drop.up.sql" and m["line"] == "2" and m["col"] == "1"
          and m["sev"] == "error" and m["rule"] == "drop-column"
          and '"email"' in m["msg"], r)
    i = lines.index(heads[0]) if heads else 0
    snippet = lines[i + 1] if len(lines) > i + 1 else ""
    caret = lines[i + 2] if len(lines) > i + 2 else ""
    check("text: snippet line shows the source line with its number",
          re.match(r"^\s*2 \| ALTER TABLE users$", snippet), r)
    check("text: caret line under the statement",
          re.match(r"^\s*\| \^~*$", caret)
          and caret.index("^") == snippet.index("A"), r)
    check("text: help line", any(l.strip().startswith("= help:") for l in lines[i:]), r)
    check("text: closing summary is the last line",
          lines and SUMMARY.match(lines[-1]) and lines[-1].startswith("1 error, 0 warnings"), r)
    check("text: summary counts files and statements",
          lines and "in 2 migration files (2 statements)" in lines[-1], r)
    check("text: no escape codes when stdout is not a terminal", "\x1b" not in r.out, r)


def test_text_positions():
    """Columns count characters; snippets are the source line as shown
    (tabs expanded, no CR, no byte order mark) with the caret under the
    statement's first character."""
    d = project({"m/1_a.up.sql": USERS + "CREATE TABLE b (id int);\nCREATE TABLE c (id int);\n",
                 "m/2_b.up.sql": "\ufeffDROP TABLE b;\r\n"
                                 "SELECT '\u00e9\u00e9'; DROP TABLE users;\r\n"
                                 "\tDROP TABLE c;\n"})
    r = lint_json(d, "m")
    pos = [(f["line"], f["column"], f["end_line"], f["end_column"]) for f in r.findings()]
    check("positions: BOM, multibyte and tab columns in characters",
          pos == [(1, 1, 1, 13), (2, 14, 2, 30), (3, 2, 3, 14)], r)
    r = run(d, "lint", "m")
    lines = r.out.splitlines()
    check("text: no CR in the output", "\r" not in r.out, repr(r.out))
    check("text: no byte order mark in the snippet", "\ufeff" not in r.out, repr(r.out))

    def caret_under(head, want):
        if head not in lines:
            return False
        i = lines.index(head)
        snippet, caret = lines[i + 1], lines[i + 2]
        bar = snippet.index("|")
        return caret.index("^") > bar and snippet[caret.index("^"):].startswith(want)

    check("text: caret under the statement after a multibyte literal",
          caret_under('m/2_b.up.sql:2:14: error[drop-table]: '
                      'dropping existing table "users" loses its data', "DROP TABLE users"), r)
    check("text: caret under the statement after a tab",
          caret_under('m/2_b.up.sql:3:2: error[drop-table]: '
                      'dropping existing table "c" loses its data', "DROP TABLE c"), r)


def test_colour():
    d = project({"m/1_init.up.sql": USERS,
                 "m/2_drop.up.sql": "ALTER TABLE users DROP COLUMN email;\n"})
    r = run(d, "lint", "m", env=base_env())
    check("colour: none in a pipe (no NO_COLOR)", not ANSI.search(r.out), r)
    r = run(d, "lint", "m", env=base_env(NO_COLOR="1"))
    check("colour: none with NO_COLOR=1", not ANSI.search(r.out), r)
    r = run(d, "lint", "--color=always", "m", env=base_env())
    check("colour: --color=always forces escape codes", ANSI.search(r.out), r)
    check("colour: stripped of colour, --color=always prints the same text",
          ANSI.sub("", r.out) == run(d, "lint", "m").out, r)
    r = run(d, "lint", "--color=always", "m", env=base_env(NO_COLOR="1"))
    check("colour: NO_COLOR does not override --color=always", ANSI.search(r.out), r)
    r = run(d, "lint", "--color=always", "--format=json", "m", env=base_env())
    check("colour: never in JSON", "\x1b" not in r.out and r.json() is not None, r)
    rc, out = run_tty(d, "lint", "m", env=base_env())
    check("colour: on by default on a terminal", rc == 1 and ANSI.search(out), out)
    rc, out = run_tty(d, "lint", "m", env=base_env(NO_COLOR="1"))
    check("colour: NO_COLOR=1 turns it off on a terminal",
          rc == 1 and "drop-column" in out and not ANSI.search(out), out)
    rc, out = run_tty(d, "lint", "--no-color", "m", env=base_env())
    check("colour: --no-color on a terminal", "drop-column" in out and not ANSI.search(out), out)
    rc, out = run_tty(d, "lint", "--color=never", "m", env=base_env())
    check("colour: --color=never on a terminal",
          "drop-column" in out and not ANSI.search(out), out)


def test_json_format():
    d = project({"m/1_init.up.sql": USERS,
                 "m/2_drop.up.sql": "ALTER TABLE users DROP COLUMN email;\n"})
    r = lint_json(d, "m")
    doc = r.json()
    check("json: valid JSON", doc is not None, r)
    if doc is None:
        return
    check("json: top-level keys", set(doc) == {"version", "tool", "findings", "summary"}, doc)
    check("json: version 1", doc["version"] == 1 and isinstance(doc["version"], int), doc)
    check("json: tool name and version",
          isinstance(doc["tool"], dict) and doc["tool"].get("name") == "migsafe"
          and isinstance(doc["tool"].get("version"), str) and doc["tool"]["version"], doc)
    f = doc["findings"][0] if doc["findings"] else {}
    check("json: exact finding keys", set(f) == FINDING_KEYS, sorted(f))
    check("json: finding values",
          f.get("rule") == "drop-column" and f.get("severity") == "error"
          and f.get("file") == "m/2_drop.up.sql" and f.get("line") == 1
          and f.get("column") == 1 and f.get("end_line") == 1
          and f.get("end_column") == len("ALTER TABLE users DROP COLUMN email") + 1
          and f.get("object") == "public.users.email"
          and isinstance(f.get("message"), str) and isinstance(f.get("help"), str)
          and re.fullmatch(r"[0-9a-f]{16}", f.get("fingerprint", "") or ""), f)
    s = doc["summary"]
    check("json: summary counts",
          isinstance(s, dict) and s.get("files") == 2 and s.get("linted") == 2
          and s.get("statements") == 2 and s.get("errors") == 1
          and s.get("warnings") == 0 and s.get("notes") == 0, s)
    r2 = lint_json(d, "m")
    check("json: output is deterministic", r2.out == r.out, r2)

    # paths are reported as given on the command line
    r = lint_json(d, "./m")
    check("json: ./m gives ./m/ paths",
          [x["file"] for x in r.findings()] == ["./m/2_drop.up.sql"], r)
    absdir = os.path.join(d, "m")
    r = lint_json(d, absdir)
    check("json: absolute dir gives absolute paths",
          [x["file"] for x in r.findings()] == [os.path.join(absdir, "2_drop.up.sql")], r)
    r = lint_json(d, "m/2_drop.up.sql")
    check("json: a file argument keeps its spelling",
          [x["file"] for x in r.findings()] == ["m/2_drop.up.sql"], r)
    r = lint_json(os.path.join(d, "m"))
    check("json: default path is the current directory",
          r.rc == 1 and [os.path.basename(x["file"]) for x in r.findings()]
          == ["2_drop.up.sql"], r)

    clean = project({"m/1_init.up.sql": USERS})
    r = lint_json(clean, "m")
    doc = r.json() or {}
    check("json: clean run has an empty findings list",
          r.rc == 0 and doc.get("findings") == [] and doc.get("summary", {}).get("errors") == 0, r)


# ---------------------------------------------------------------- discovery

def test_golang_migrate_down_files():
    d = project({"m/1_init.up.sql": USERS,
                 "m/1_init.down.sql": "DROP TABLE users;\n",
                 "m/2_col.up.sql": "ALTER TABLE users ADD COLUMN name text;\n",
                 "m/2_col.down.sql": "ALTER TABLE users DROP COLUMN name;\n"})
    r = lint_json(d, "m")
    check("golang-migrate: down files are neither replayed nor linted",
          r.rc == 0 and r.findings() == [], r)
    check("golang-migrate: only up files are counted",
          (r.json() or {}).get("summary", {}).get("files") == 2, r)


def test_numeric_order():
    d = project({"m/2_create.up.sql": "CREATE TABLE t (id int);\n",
                 "m/10_alter.up.sql": "ALTER TABLE t ADD COLUMN name text;\n"})
    r = lint_json(d, "m")
    check("numeric order: 2_ before 10_ (golang-migrate)",
          r.rc == 0 and "unknown-object" not in r.rules(), r)
    d = project({"m/2_create.sql": "CREATE TABLE t (id int);\n",
                 "m/10_alter.sql": "ALTER TABLE t ADD COLUMN name text;\n",
                 "m/9_other.sql": "CREATE TABLE u (id int);\n"})
    r = lint_json(d, "m")
    check("numeric order: 2_ before 10_ (plain files)",
          r.rc == 0 and "unknown-object" not in r.rules(), r)
    # the other way round really is unknown-object
    d = project({"m/2_alter.sql": "ALTER TABLE t ADD COLUMN name text;\n",
                 "m/10_create.sql": "CREATE TABLE t (id int);\n"})
    r = lint_json(d, "m")
    unknown = [f for f in r.findings() if f["rule"] == "unknown-object"]
    check("numeric order: altering before creating is unknown-object",
          len(unknown) == 1 and unknown[0]["file"] == "m/2_alter.sql", r)


def test_goose():
    d = project({"db/00001_init.sql": "-- +goose Up\n" + USERS +
                 "-- +goose Down\nDROP TABLE users;\n",
                 "db/00002_more.sql": "-- +goose Up\n"
                                      "ALTER TABLE users ADD COLUMN name text;\n"
                                      "-- +goose Down\n"
                                      "ALTER TABLE users DROP COLUMN name;\n"})
    r = lint_json(d, "db")
    check("goose: the Down part is not linted", r.rc == 0 and r.findings() == [], r)

    d = project({"db/00001_init.sql": "-- +goose Up\n" + USERS,
                 "db/00002_idx.sql": "-- +goose NO TRANSACTION\n"
                                     "-- +goose Up\n"
                                     "CREATE INDEX CONCURRENTLY users_email ON users (email);\n"
                                     "-- +goose Down\n"
                                     "DROP INDEX CONCURRENTLY users_email;\n"})
    r = lint_json(d, "db")
    check("goose: NO TRANSACTION allows CONCURRENTLY",
          "concurrent-in-transaction" not in r.rules() and r.rc == 0, r)
    d = project({"db/00001_init.sql": "-- +goose Up\n" + USERS,
                 "db/00002_idx.sql": "-- +goose Up\n"
                                     "CREATE INDEX CONCURRENTLY users_email ON users (email);\n"})
    r = lint_json(d, "db")
    check("goose: CONCURRENTLY in goose's default transaction fails",
          has(r.findings(), "concurrent-in-transaction", "db/00002_idx.sql", 2), r)


def test_unreadable_file():
    files = {"m/1_init.up.sql": USERS,
             "m/2_bin.up.sql": b"\x00\x01\x02\xff\xfebinary\x00",
             "m/3_drop.up.sql": "DROP TABLE users;\n"}
    d = project(files)
    r = lint_json(d, "m")
    check("binary file: exits 2", r.rc == 2, r)
    errs = [l for l in r.err.splitlines() if l.strip()]
    check("binary file: one message naming the file",
          len(errs) == 1 and "m/2_bin.up.sql" in errs[0], r)
    check("binary file: other files' findings still reported",
          has(r.findings(), "drop-table", "m/3_drop.up.sql", 1), r)

    d = project({"m/1_init.up.sql": USERS,
                 "m/2_latin1.up.sql": "COMMENT ON TABLE users IS 'caf\xe9';\n"
                 .encode("latin-1"),
                 "m/3_drop.up.sql": "DROP TABLE users;\n"})
    r = run(d, "lint", "m")
    errs = [l for l in r.err.splitlines() if l.strip()]
    check("invalid UTF-8: exits 2 with one message naming the file",
          r.rc == 2 and len(errs) == 1 and "m/2_latin1.up.sql" in errs[0], r)
    check("invalid UTF-8: other files' findings still reported",
          "m/3_drop.up.sql:1:1: error[drop-table]" in r.out, r)


# ---------------------------------------------------------------- lint range

def test_lint_one_file():
    d = project({"m/1_init.up.sql": USERS + "CREATE TABLE scratch (id int);\n"
                                            "TRUNCATE scratch;\n",
                 "m/2_more.up.sql": "ALTER TABLE users ADD COLUMN name text;\n",
                 "m/3_drop.up.sql": "ALTER TABLE users DROP COLUMN email;\n"})
    r = lint_json(d, "m/3_drop.up.sql")
    check("lint FILE: the directory is replayed (drop-column on a table from 1_)",
          has(r.findings(), "drop-column", "m/3_drop.up.sql", 1), r)
    check("lint FILE: only that file is reported",
          {f["file"] for f in r.findings()} == {"m/3_drop.up.sql"}, r)
    check("lint FILE: summary counts one linted file of three",
          (r.json() or {}).get("summary", {}).get("linted") == 1
          and (r.json() or {}).get("summary", {}).get("files") == 3, r)
    r = lint_json(d, "m")
    check("lint DIR: the earlier file is linted too",
          has(r.findings(), "truncate-table", "m/1_init.up.sql"), r)


ALTERS = ("CREATE INDEX t_name ON t (name);\n"
          "ALTER TABLE t ALTER COLUMN name SET NOT NULL;\n"
          "ALTER TABLE t ADD COLUMN code text NOT NULL;\n")
NEW_TABLE_RULES = {"index-not-concurrent", "set-not-null", "add-required-column"}


def test_new_vs_existing():
    d = project({"m/1_t.up.sql": "CREATE TABLE t (id int PRIMARY KEY, name text);\n" + ALTERS})
    r = lint_json(d, "m")
    check("created and altered in the same file: new table, quiet",
          not NEW_TABLE_RULES & set(r.rules()), r)

    d = project({"m/1_t.up.sql": "CREATE TABLE t (id int PRIMARY KEY, name text);\n",
                 "m/2_alter.up.sql": ALTERS})
    r = lint_json(d, "m")
    check("created in an earlier file (no range): existing, all three fire",
          NEW_TABLE_RULES <= set(r.rules())
          and has(r.findings(), "index-not-concurrent", "m/2_alter.up.sql", 1)
          and has(r.findings(), "set-not-null", "m/2_alter.up.sql", 2)
          and has(r.findings(), "add-required-column", "m/2_alter.up.sql", 3), r)

    d = project({"m/1_base.up.sql": USERS,
                 "m/2_t.up.sql": "CREATE TABLE t (id int PRIMARY KEY, name text);\n",
                 "m/3_alter.up.sql": ALTERS})
    r = lint_json(d, "m/2_t.up.sql", "m/3_alter.up.sql")
    check("explicit range f2 f3: a table created in f2 is new in f3",
          r.rc == 0 and not NEW_TABLE_RULES & set(r.rules()), r)
    r = lint_json(d, "m/3_alter.up.sql")
    check("explicit range f3 only: the table from f2 is existing",
          NEW_TABLE_RULES <= set(r.rules()), r)


def test_rename_then_type_change():
    d = project({"m/1_t.up.sql": "CREATE TABLE t (id int, amount bigint, code varchar(64));\n",
                 "m/2_rename.up.sql": "ALTER TABLE t RENAME COLUMN amount TO total;\n"
                                      "ALTER TABLE t ALTER COLUMN total TYPE integer;\n"
                                      "ALTER TABLE t RENAME TO t2;\n"
                                      "ALTER TABLE t2 RENAME COLUMN code TO ref;\n"
                                      "ALTER TABLE t2 ALTER COLUMN ref TYPE varchar(32);\n"})
    r = lint_json(d, "m")
    nt = [f for f in r.findings() if f["rule"] == "narrowing-type-change"]
    check("rename then ALTER TYPE: no unknown-object", "unknown-object" not in r.rules(), r)
    check("rename then ALTER TYPE: two narrowing findings, on lines 2 and 5",
          [(f["file"], f["line"]) for f in nt] == [("m/2_rename.up.sql", 2),
                                                  ("m/2_rename.up.sql", 5)], r)
    if len(nt) == 2:
        check("narrowing message names bigint and integer",
              "bigint" in nt[0]["message"] and "integer" in nt[0]["message"], nt[0])
        check("narrowing message names the varchar types in format_type spelling",
              "character varying(64)" in nt[1]["message"]
              and "character varying(32)" in nt[1]["message"], nt[1])
        check("narrowing finding's object is the new column name",
              nt[1]["object"] == "public.t2.ref", nt[1])


FK_SETUP = "CREATE TABLE users (id bigint PRIMARY KEY);\n"


def test_missing_fk_index():
    d = project({"m/1_users.up.sql": FK_SETUP,
                 "m/2_orders.up.sql": "-- orders\n\n"
                                      "CREATE TABLE orders (\n"
                                      "    id bigint PRIMARY KEY,\n"
                                      "    user_id bigint REFERENCES users\n"
                                      ");\n",
                 "m/3_idx.up.sql": "CREATE INDEX CONCURRENTLY orders_user_id ON orders (user_id);\n"})
    r = lint_json(d, "m")
    check("FK indexed later in the range: missing-fk-index quiet",
          "missing-fk-index" not in r.rules(), r)

    d = project({"m/1_users.up.sql": FK_SETUP,
                 "m/2_orders.up.sql": "-- orders\n\n"
                                      "CREATE TABLE orders (\n"
                                      "    id bigint PRIMARY KEY,\n"
                                      "    user_id bigint REFERENCES users\n"
                                      ");\n",
                 "m/3_other.up.sql": "CREATE TABLE other (id int);\n"})
    r = lint_json(d, "m")
    mf = [f for f in r.findings() if f["rule"] == "missing-fk-index"]
    check("FK never indexed: missing-fk-index fires once", len(mf) == 1, r)
    check("FK never indexed: reported at the FK statement",
          mf and mf[0]["file"] == "m/2_orders.up.sql" and mf[0]["line"] == 3, r)

    d = project({"m/1_users.up.sql": FK_SETUP,
                 "m/2_orders.up.sql": "CREATE TABLE orders (id bigint PRIMARY KEY,"
                                      " user_id bigint);\n"
                                      "CREATE INDEX orders_user_id ON orders (user_id);\n"
                                      "ALTER TABLE orders ADD CONSTRAINT orders_user_fk"
                                      " FOREIGN KEY (user_id) REFERENCES users;\n"})
    r = lint_json(d, "m")
    check("FK on an already indexed column: quiet", "missing-fk-index" not in r.rules(), r)


# ---------------------------------------------------------------- other commands

def rule_ids_from_source():
    with open(os.path.join(ROOT, "rules", "rules.h")) as fh:
        src = fh.read()
    return re.findall(r'R\(\s*[A-Z_]+,\s*"([a-z0-9-]+)"', src)


def test_rules_command():
    d = project({})
    ids = rule_ids_from_source()
    check("rules.h lists rules", len(ids) >= 10, ids)
    r = run(d, "rules")
    check("rules exits 0", r.rc == 0, r)
    listed = {l.split()[0] for l in r.out.splitlines() if l.strip()}
    missing = [i for i in ids if i not in listed]
    check("rules lists every rule id", not missing, "missing: %s" % missing)
    r = run(d, "rules", "drop-table")
    doc_path = os.path.join(ROOT, "docs", "rules", "drop-table.md")
    doc = open(doc_path).read() if os.path.exists(doc_path) else None
    check("rules drop-table exits 0", r.rc == 0, r)
    check("rules drop-table prints its doc page",
          doc is not None and r.out.strip() == doc.strip(), r)
    r = run(d, "rules", "nope")
    check("rules nope exits 2 naming it", r.rc == 2 and "nope" in r.err and r.out == "", r)
    r = run(d, "rules", "drop-table", "drop-column")
    check("rules with two ids exits 2", r.rc == 2, r)


def test_version_command():
    d = project({})
    r = run(d, "version")
    check("version exits 0", r.rc == 0, r)
    check("version prints a version",
          re.match(r"^migsafe \d+\.\d+\.\d+", r.out) is not None, r)
    r2 = run(d, "--version")
    check("--version prints the same", r2.rc == 0 and r2.out == r.out, r2)


def main():
    if not MIGSAFE or not os.access(MIGSAFE, os.X_OK):
        print("usage: t_cli.py path/to/migsafe", file=sys.stderr)
        print("0 passed, 1 failed")
        return 1
    tests = [test_exit_codes, test_exit_trouble, test_syntax_error_is_a_finding,
             test_output_file, test_text_format, test_text_positions, test_colour, test_json_format,
             test_golang_migrate_down_files, test_numeric_order, test_goose,
             test_unreadable_file, test_lint_one_file, test_new_vs_existing,
             test_rename_then_type_change, test_missing_fk_index,
             test_rules_command, test_version_command]
    try:
        for t in tests:
            try:
                t()
            except Exception as e:  # a crash in one case is one failure
                check(f"{t.__name__} ran to the end", False, repr(e))
    finally:
        for d in TMPDIRS:
            shutil.rmtree(d, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
