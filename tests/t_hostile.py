#!/usr/bin/env python3
"""Hostile inputs: migsafe must never crash, hang, or stop linting the
rest of the history because one file is bad.

Usage (from the repo root, or with MIGSAFE_SOURCE_DIR set to it):

    python3 tests/t_hostile.py path/to/migsafe

Each case builds a golang-migrate history in a fresh temporary directory:

    0001_create.up.sql   CREATE TABLE users (...)
    0002_<case>...       the hostile file (or directory entry)
    0003_drop.up.sql     ALTER TABLE users DROP COLUMN name   -> drop-column

and runs 'migsafe lint --format=json' on it. Every case checks that
migsafe ended normally (no signal; exit 0, 1 or 2) within a generous
timeout, that the exit status is the right one (2 when a file could not
be read or linted, else 1 because of drop-column), that bad input gets
one line on stderr naming the file and the problem, and that the other
files were still linted (drop-column on 0003 is in the report). Config
cases check the one-line message and exit 2 instead.

Prints "ok - NAME (seconds)" / "not ok - NAME" per check, and
"N passed, N failed" last; exits 1 when any check failed. Large inputs
(50 MB, 1 MB line, 70 MB sparse file) are generated in the temporary
directory, never in the repo. Run some cases only by naming them:
'python3 tests/t_hostile.py build/migsafe long_line config'.
"""

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

from harness import Harness

MIGSAFE = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
TIMEOUT = 120          # seconds, for ordinary cases
BIG_TIMEOUT = 900      # for the 50 MB file (sanitizer builds are slow)
H = Harness()
skipped = 0
TMPDIRS = []

CREATE = "CREATE TABLE users (id bigint PRIMARY KEY, name text, email text);\n"
DROP = "ALTER TABLE users DROP COLUMN name;\n"


def check(name, ok, detail=""):
    H.check(name, ok, detail)
    sys.stdout.flush()


def skip(name, why):
    global skipped
    skipped += 1
    print(f"ok - {name} # SKIP {why}")


def tmpdir():
    d = tempfile.mkdtemp(prefix="migsafe-hostile-")
    TMPDIRS.append(d)
    return d


def history(hostile=None):
    """A temp project dir with migrations/ holding the two good files;
    'hostile(migdir)' adds the bad entry. Returns (project, migdir)."""
    root = tmpdir()
    mig = os.path.join(root, "migrations")
    os.mkdir(mig)
    with open(os.path.join(mig, "0001_create.up.sql"), "w") as f:
        f.write(CREATE)
    with open(os.path.join(mig, "0003_drop.up.sql"), "w") as f:
        f.write(DROP)
    if hostile:
        hostile(mig)
    return root, mig


def write(path, data):
    with open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)


class Result:
    def __init__(self, rc, out, err, secs, timed_out=False):
        self.rc, self.out, self.err, self.secs, self.timed_out = rc, out, err, secs, timed_out

    def describe(self):
        sig = f" (signal {signal.Signals(-self.rc).name})" if self.rc and self.rc < 0 else ""
        return (f"exit {self.rc}{sig}{' TIMEOUT' if self.timed_out else ''} after"
                f" {self.secs:.2f} s\nstderr: {self.err.decode(errors='replace')[:1500]}")


def run(cwd, *args, timeout=TIMEOUT):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIGSAFE_")}
    # under AddressSanitizer freed memory waits in a quarantine (256 MB by
    # default) before reuse: that is ASan's memory, not migsafe's
    env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS", ""),
                                                 "quarantine_size_mb=0"]))
    env["NO_COLOR"] = "1"
    t0 = time.perf_counter()
    try:
        p = subprocess.run([MIGSAFE, *args], cwd=cwd, capture_output=True, timeout=timeout,
                           env=env)
        return Result(p.returncode, p.stdout, p.stderr, time.perf_counter() - t0)
    except subprocess.TimeoutExpired as e:
        return Result(None, e.stdout or b"", e.stderr or b"", time.perf_counter() - t0, True)


def findings(res):
    try:
        return json.loads(res.out.decode("utf-8"))["findings"]
    except (ValueError, KeyError, UnicodeDecodeError):
        return None


def stderr_lines(res):
    return [l for l in res.err.decode(errors="replace").splitlines() if l.strip()]


def check_case(name, res, want_rc, bad_name=None, problem=(), others=True):
    """The checks every case shares. 'bad_name': a part of the bad file's
    name that the stderr message must contain; 'problem': words of which
    one must appear in that line (case-insensitive)."""
    secs = f"({res.secs:.2f} s)"
    normal = not res.timed_out and res.rc is not None and res.rc >= 0 and res.rc in (0, 1, 2)
    check(f"{name}: ends normally {secs}", normal, res.describe())
    if not normal:
        return
    check(f"{name}: exit status {want_rc}", res.rc == want_rc, res.describe())
    lines = stderr_lines(res)
    if bad_name is not None:
        hit = [l for l in lines if bad_name in l]
        ok = len(hit) == 1 and (not problem or any(w.lower() in hit[0].lower() for w in problem))
        check(f"{name}: one line on stderr naming the file and the problem", ok,
              f"wanted '{bad_name}' and one of {list(problem)} in one line; got:\n"
              + "\n".join(lines))
    else:
        check(f"{name}: nothing on stderr", not lines, "\n".join(lines))
    if others:
        fs = findings(res)
        ok = fs is not None and any(f["rule"] == "drop-column" and
                                    f["file"].endswith("0003_drop.up.sql") for f in fs)
        check(f"{name}: the other files are still linted", ok,
              "no drop-column finding on 0003_drop.up.sql in:\n"
              + res.out.decode(errors="replace")[:800])


def lint_case(name, make, want_rc, bad_name=None, problem=(), timeout=TIMEOUT, args=()):
    root, mig = history(make)
    res = run(root, "lint", "--format=json", *args, "migrations", timeout=timeout)
    check_case(name, res, want_rc, bad_name, problem)
    return res


# ---- the cases ---------------------------------------------------------

def case_empty():
    lint_case("empty file", lambda d: write(os.path.join(d, "0002_empty.up.sql"), ""), 1)


def case_binary():
    data = b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 64
    lint_case("binary file", lambda d: write(os.path.join(d, "0002_binary.up.sql"), data), 2,
              "0002_binary.up.sql", ("binary", "NUL"))


def case_bad_utf8():
    data = b"ALTER TABLE users ADD COLUMN note text DEFAULT 'caf\xe9';\n\xff\xfe\n"
    lint_case("invalid UTF-8", lambda d: write(os.path.join(d, "0002_latin1.up.sql"), data), 2,
              "0002_latin1.up.sql", ("UTF-8", "utf8"))


def case_big():
    """50 MB of realistic SQL: data-migration INSERTs of 200 rows each."""
    def make(d):
        row = "({i}, 'user{i}@example.com', 'a fairly ordinary display name {i}')"
        stmt_rows = 200
        with open(os.path.join(d, "0002_big_data.up.sql"), "w") as f:
            size, i = 0, 0
            while size < 50 * 1024 * 1024:
                rows = ",\n  ".join(row.format(i=i + k) for k in range(stmt_rows))
                s = f"INSERT INTO users (id, email, name) VALUES\n  {rows};\n"
                f.write(s)
                size += len(s)
                i += stmt_rows
    res = lint_case("50 MB file", make, 1, timeout=BIG_TIMEOUT)
    print(f"# 50 MB file: {res.secs:.1f} s wall")


def case_long_line():
    """One 1 MB line: many statements, the last of which has a finding,
    so its column (about 1,000,000) must be computed and reported."""
    def make(d):
        head = "".join(f"UPDATE users SET email = 'x{i}' WHERE id = {i}; "
                       for i in range(22000))
        pad = 1024 * 1024 - len(head)
        line = head + "SELECT '" + "y" * max(pad, 0) + "'; ALTER TABLE users DROP COLUMN email;"
        write(os.path.join(d, "0002_long_line.up.sql"), line + "\n")
        make.col = len(line) - len("ALTER TABLE users DROP COLUMN email;") + 1
    res = lint_case("single 1 MB line", make, 1)
    fs = findings(res) or []
    hit = [f for f in fs if f["rule"] == "drop-column" and "long_line" in f["file"]]
    check("single 1 MB line: the finding at the end of the line has the right column",
          len(hit) == 1 and hit[0]["line"] == 1 and hit[0]["column"] == make.col,
          f"want line 1 column {make.col}, got {[(f['line'], f['column']) for f in hit]}")


def peak_rss_kb(cwd, *args, timeout=TIMEOUT):
    """Peak RSS of one migsafe run, from GNU time when there is one (a
    child forked from this script would count the script's memory too;
    the caller subtracts a baseline run either way)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIGSAFE_")}
    # under AddressSanitizer freed memory waits in a quarantine (256 MB by
    # default) before reuse: that is ASan's memory, not migsafe's
    env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS", ""),
                                                 "quarantine_size_mb=0"]))
    gnu_time = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
    with tempfile.NamedTemporaryFile("r", prefix="migsafe-rss-") as out:
        cmd = ([gnu_time, "-f", "%M", "-o", out.name] if gnu_time else []) + [MIGSAFE, *args]
        p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        t0 = time.perf_counter()
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - t0 > timeout:
                p.kill()
                os.wait4(p.pid, 0)
                return None, time.perf_counter() - t0
            time.sleep(0.01)
        secs = time.perf_counter() - t0
        words = out.read().split()
    if gnu_time and words and words[-1].isdigit():
        return int(words[-1]), secs
    return ru.ru_maxrss, secs


def case_findings_on_long_line():
    """A minified migration: 2,000 statements with a finding each on one
    32 KB line. Each finding may keep its source line (the snippet), but
    memory must not grow with findings x line length (2,000 copies of the
    line: 64 MB, and more in the JSON document)."""
    n = 2000

    def make(d):
        write(os.path.join(d, "0002_minified.up.sql"), "TRUNCATE users; " * n + "\n")
    res = lint_case("2,000 findings on one 32 KB line", make, 1)
    fs = findings(res) or []
    check("2,000 findings on one 32 KB line: every statement reported",
          sum(1 for f in fs if "minified" in f["file"]) >= n,
          f"{sum(1 for f in fs if 'minified' in f['file'])} findings on the file")
    base_root, _ = history()
    root, _ = history(make)
    base, _ = peak_rss_kb(base_root, "lint", "--format=json", "migrations")
    rss, secs = peak_rss_kb(root, "lint", "--format=json", "migrations")
    per = (rss - base) / n if rss is not None and base is not None else None
    check(f"2,000 findings on one 32 KB line: memory per finding under 16 KB"
          f" ({per if per is None else round(per, 1)} KB; {secs:.2f} s)",
          per is not None and per < 16,
          f"peak RSS {rss} KB, {base} KB without the file: each finding costs about the"
          f" length of its line (32 KB), so a 1 MB minified line with a finding per"
          f" statement would need tens of GB")
    r = run(root, "lint", "migrations")
    per_text = len(r.out) / n / 1024
    check(f"2,000 findings on one 32 KB line: text report under 4 KB per finding"
          f" ({per_text:.1f} KB; {r.secs:.2f} s)", r.rc == 1 and per_text < 4,
          f"exit {r.rc}, {len(r.out)} bytes of report: each finding prints its whole source"
          f" line (and a marker line as long), so the report grows with findings x line"
          f" length; show a window of the line around the column instead")


def case_nested_parens():
    n = 10000
    sql = ("SELECT " + "(" * n + "1" + ")" * n + ";\n"
           "ALTER TABLE users ADD CONSTRAINT deep CHECK (" + "(" * n + "id > 0"
           + ")" * n + ");\n")
    res = lint_case("10,000 nested parentheses",
                    lambda d: write(os.path.join(d, "0002_nested.up.sql"), sql), 1)
    del res


def case_deep_expressions():
    """Left-deep expressions: the grammar builds them without recursing,
    so they are not bounded as nested parentheses are, and each operator
    is a level of the tree. With 200,000 of them (1,000,000 on a thread
    of 32 MB of stack) libpg_query's JSON writer overflowed the stack: a
    crash, every file's findings lost. Each such statement is now one
    unanalyzable-statement note."""
    n = 200000
    stmts = [
        "CREATE TABLE deep_default (a int DEFAULT " + "+".join(["1"] * 5 * n) + ");",
        "CREATE VIEW deep_union AS SELECT 1" + " UNION SELECT 1" * n + ";",
        "ALTER TABLE users ADD COLUMN deep_cast int DEFAULT 1" + "::int" * n + ";",
        "CREATE INDEX deep_where ON users (id) WHERE id > " + "-".join(["1"] * n) + ";",
        "DO $$ BEGIN EXECUTE " + " || ".join(["'x'"] * n) + "; END $$;",
    ]

    def make(d):
        write(os.path.join(d, "0002_deep.up.sql"), "\n".join(stmts) + "\n")
    res = lint_case("left-deep expressions", make, 1)
    fs = findings(res) or []
    notes = [f for f in fs if f["rule"] == "unanalyzable-statement" and "deep" in f["file"]]
    check("left-deep expressions: a note on each statement",
          sorted(f["line"] for f in notes) == list(range(1, len(stmts) + 1)),
          f"unanalyzable-statement notes on lines {[f['line'] for f in notes]}")


def case_identical_indexes():
    """3,000 identical indexes on one table: every pair of them was
    collected for redundant-index, k(k - 1) of them, 6.4 GB and 48 s.
    One finding per redundant index, in memory that does not grow with
    the pairs."""
    n = 3000

    def make(d):
        write(os.path.join(d, "0002_indexes.up.sql"),
              "".join(f"CREATE INDEX users_email_{i} ON users (email);\n" for i in range(n)))
    res = lint_case("3,000 identical indexes", make, 1)
    fs = findings(res) or []
    notes = [f for f in fs if f["rule"] == "redundant-index" and "indexes" in f["file"]]
    check("3,000 identical indexes: one redundant-index finding on each but the first",
          len(notes) == n - 1 and not any(f["line"] == 1 for f in notes),
          f"{len(notes)} findings; on line 1: {any(f['line'] == 1 for f in notes)}")
    root, _ = history(make)
    rss, secs = peak_rss_kb(root, "lint", "--format=json", "migrations")
    check(f"3,000 identical indexes: peak RSS under 200 MB ({rss} KB; {secs:.2f} s)",
          rss is not None and rss < 200 * 1024, f"peak RSS {rss} KB")


def case_many_suppressions():
    """10,000 statements each under its own migsafe:ignore, and as many
    file-level directives: each directive looked for its statement from
    the file's first, and each finding read every directive (30,000 of
    each took 36 s). Every finding suppressed, every directive used."""
    n = 10000

    def make(d):
        cols = "".join(f", c{i} int" for i in range(n))
        write(os.path.join(d, "0002_wide.up.sql"), f"CREATE TABLE wide (id bigint PRIMARY KEY{cols});\n")
        write(os.path.join(d, "0004_drops.up.sql"),
              "".join(f"-- migsafe:ignore drop-column ticket {i}\nALTER TABLE wide DROP COLUMN c{i};\n"
                      + f"-- migsafe:ignore-file truncate-table\nTRUNCATE wide;\n"
                      for i in range(n)))
    res = lint_case(f"{n:,} suppressions", make, 1)
    fs = [f for f in findings(res) or [] if "drops" in f["file"]]
    left = sorted({f["rule"] for f in fs} - {"missing-lock-timeout"})
    check(f"{n:,} suppressions: every drop and truncate suppressed, every directive used",
          res.out and not left, f"rules still reported on the file: {left}")


def case_tenant_schemas():
    """2,000 tenant schemas holding the same table, in one transaction,
    then two ALTER TABLEs of each tenant's table in another: the catalog
    looked for a generated constraint name among every constraint of
    that name in any schema, and the transaction's held locks were
    hashed by the table's name alone (1,000 tenants: 4 s). PostgreSQL's
    names in each schema, and one missing-lock-timeout per tenant: the
    second ALTER of a table finds its lock held, another tenant's
    table's does not count."""
    n = 2000

    def make(d):
        write(os.path.join(d, "0002_tenants.up.sql"), "BEGIN;\n" + "".join(
            f"CREATE SCHEMA tenant{i};\nCREATE TABLE tenant{i}.accounts"
            f" (id bigint PRIMARY KEY, email text UNIQUE);\n" for i in range(n)) + "COMMIT;\n")
        write(os.path.join(d, "0004_alter.up.sql"), "BEGIN;\n" + "".join(
            f"ALTER TABLE tenant{i}.accounts ADD COLUMN a int;\n"
            f"ALTER TABLE tenant{i}.accounts ADD COLUMN b int;\n" for i in range(n)) + "COMMIT;\n")
    res = lint_case(f"{n:,} tenant schemas", make, 1)
    fs = [f for f in findings(res) or [] if "tenants" in f["file"] or "alter" in f["file"]]
    timeouts = {f["object"] for f in fs if f["rule"] == "missing-lock-timeout"}
    others = sorted({f["rule"] for f in fs} - {"missing-lock-timeout"})
    check(f"{n:,} tenant schemas: one missing-lock-timeout per tenant's table, nothing else",
          len(timeouts) == n and len(fs) == n and not others,
          f"{len(fs)} findings on {len(timeouts)} tables; other rules: {others}")
    root, _ = history(make)
    out = run(root, "inspect", "--format=json", "migrations")
    try:
        tables = json.loads(out.out.decode())["tables"]
        last = [t for t in tables if t["schema"] == f"tenant{n - 1}"][0]
        names = sorted(ix["name"] for ix in last["indexes"])
    except (ValueError, KeyError, IndexError) as e:
        names = [repr(e)]
    check(f"{n:,} tenant schemas: the last tenant's constraints named as in the first",
          names == ["accounts_email_key", "accounts_pkey"], f"{names}")


def case_nested_do_blocks():
    """3,000 DO blocks, each EXECUTEing the next as a dollar-quoted
    constant: each level parsed again the text of all those inside it,
    a 100 KB file took 12 s and 1.1 GB. DO blocks are read 16 deep."""
    n = 3000
    sql = "CREATE TABLE inner_t (a int);"
    for i in range(n):
        sql = f"DO $t{i}$ BEGIN EXECUTE $q{i}$ {sql} $q{i}$; END $t{i}$;"

    def make(d):
        write(os.path.join(d, "0002_nested_do.up.sql"), sql + "\n")
    res = lint_case(f"{n:,} nested DO blocks", make, 1)
    fs = [f for f in findings(res) or [] if "nested_do" in f["file"]]
    check(f"{n:,} nested DO blocks: one unanalyzable-statement note",
          [f["rule"] for f in fs] == ["unanalyzable-statement"], f"findings: {fs[:3]}")
    root, _ = history(make)
    rss, secs = peak_rss_kb(root, "lint", "--format=json", "migrations")
    check(f"{n:,} nested DO blocks: peak RSS under 200 MB ({rss} KB; {secs:.2f} s)",
          rss is not None and rss < 200 * 1024, f"peak RSS {rss} KB")


def case_nested_comments():
    n = 10000
    sql = "/*" * n + " deep " + "*/" * n + "\nSELECT 1;\n"
    lint_case("10,000 nested block comments",
              lambda d: write(os.path.join(d, "0002_comments.up.sql"), sql), 1)


def case_unterminated_string():
    sql = "ALTER TABLE users ADD COLUMN a text;\nINSERT INTO users (email) VALUES ('abc\n"
    res = lint_case("unterminated string",
                    lambda d: write(os.path.join(d, "0002_unterminated.up.sql"), sql), 1)
    fs = findings(res) or []
    check("unterminated string: reported as a syntax-error finding",
          any(f["rule"] == "syntax-error" and "unterminated" in f["file"] for f in fs),
          [(f["rule"], f["file"]) for f in fs])


def case_unterminated_dollar():
    sql = ("ALTER TABLE users ADD COLUMN b text;\n"
           "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1;\n"
           "ALTER TABLE users DROP COLUMN email;\n")
    res = lint_case("unterminated dollar quote",
                    lambda d: write(os.path.join(d, "0002_dollar.up.sql"), sql), 1)
    fs = findings(res) or []
    check("unterminated dollar quote: reported as a syntax-error finding",
          any(f["rule"] == "syntax-error" and "dollar" in f["file"] for f in fs),
          [(f["rule"], f["file"]) for f in fs])


def case_symlink_loop():
    def make(d):
        os.mkdir(os.path.join(d, "sub"))
        os.symlink("..", os.path.join(d, "sub", "loop"))
        os.symlink(".", os.path.join(d, "self"))
    res = lint_case("directory symlink loop", make, 1)
    files = set()
    for f in findings(res) or []:
        files.add(f["file"])
    check("directory symlink loop: each migration read once",
          not any("loop" in f or "self" in f for f in files), sorted(files))


def case_unreadable():
    if os.geteuid() == 0:
        skip("unreadable file", "running as root: root reads any file, mode 000 or not")
        return

    def make(d):
        p = os.path.join(d, "0002_secret.up.sql")
        write(p, "SELECT 1;\n")
        os.chmod(p, 0)
    lint_case("unreadable file", make, 2, "0002_secret.up.sql", ("permission",))


def skipped_or_refused(name, make, bad_name, problem):
    """Entries named like migrations that are not regular files: reading a
    named pipe would block, a dangling symlink or a directory cannot be
    read. Discovery may skip them (exit 1, silent) or refuse them (exit 2,
    one line naming the entry); either is accepted, and which one is
    printed as a note."""
    root, mig = history(make)
    res = run(root, "lint", "--format=json", "migrations", timeout=30)
    normal = not res.timed_out and res.rc in (1, 2)
    check(f"{name}: ends normally, does not block ({res.secs:.2f} s)", normal, res.describe())
    if not normal:
        return
    lines = stderr_lines(res)
    hit = [l for l in lines if bad_name in l]
    refused = (res.rc == 2 and len(hit) == 1 and
               any(w.lower() in hit[0].lower() for w in problem))
    check(f"{name}: skipped, or refused with one line naming it",
          (res.rc == 1 and not lines) or refused, res.describe())
    print(f"# note: {name}: " + ("refused: " + hit[0] if refused else
                                 "skipped silently (not linted, no message)"))
    fs = findings(res) or []
    check(f"{name}: the other files are still linted",
          any(f["rule"] == "drop-column" and f["file"].endswith("0003_drop.up.sql")
              for f in fs), res.out[:500])


def case_dangling_symlink():
    skipped_or_refused(
        "dangling symlink",
        lambda d: os.symlink("/nonexistent/0002.sql", os.path.join(d, "0002_gone.up.sql")),
        "0002_gone.up.sql", ("no such file", "cannot read", "missing", "dangling"))


def case_fifo():
    skipped_or_refused("named pipe", lambda d: os.mkfifo(os.path.join(d, "0002_pipe.up.sql")),
                       "0002_pipe.up.sql", ("pipe", "fifo", "not a regular file"))


def case_directory_named_sql():
    skipped_or_refused("directory named like a migration",
                       lambda d: os.mkdir(os.path.join(d, "0002_dir.up.sql")),
                       "0002_dir.up.sql", ("directory",))


def case_too_large():
    """A sparse 70 MB file: above the 64 MB limit, refused before reading."""
    def make(d):
        with open(os.path.join(d, "0002_huge.up.sql"), "wb") as f:
            f.truncate(70 * 1024 * 1024)
    lint_case("file over the size limit", make, 2, "0002_huge.up.sql", ("too large",))


def case_non_utf8_name():
    def make(d):
        p = os.path.join(os.fsencode(d), b"0002_caf\xe9.up.sql")
        with open(p, "w") as f:
            f.write("ALTER TABLE users DROP COLUMN email;\n")
    res = lint_case("non-UTF-8 file name", make, 1)
    fs = findings(res)
    check("non-UTF-8 file name: the JSON report is valid and names the file",
          fs is not None and any(f["rule"] == "drop-column" and "0002_caf" in f["file"]
                                 for f in fs), res.out[:800])
    root, _ = history(make)
    for fmt in ("text", "sarif"):
        r = run(root, "lint", f"--format={fmt}", "migrations")
        ok = r.rc == 1
        if ok and fmt == "sarif":
            try:
                json.loads(r.out.decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as e:
                ok = False
                r.err += f"\ninvalid SARIF: {e}".encode()
        check(f"non-UTF-8 file name: --format={fmt} works ({r.secs:.2f} s)", ok, r.describe())


def config_case(name, text, key_words):
    root, _ = history()
    write(os.path.join(root, ".migsafe.json"), text)
    res = run(root, "lint", "--format=json", "migrations")
    secs = f"({res.secs:.2f} s)"
    normal = not res.timed_out and res.rc is not None and res.rc >= 0
    check(f"{name}: ends normally {secs}", normal, res.describe())
    if not normal:
        return
    check(f"{name}: exit status 2", res.rc == 2, res.describe())
    lines = stderr_lines(res)
    ok = (len(lines) == 1 and ".migsafe.json" in lines[0] and
          any(w.lower() in lines[0].lower() for w in key_words))
    check(f"{name}: one line on stderr naming the file and the problem", ok,
          "\n".join(lines) or "(nothing on stderr)")


def case_config_not_json():
    config_case("config that is not JSON", '{"rules": {"drop-column": "off",}\n',
                ("json", "parse", "line", "invalid", "expected"))


def case_config_binary():
    config_case("config with binary bytes", b"\x00\xff\xfe{}",
                ("json", "utf-8", "invalid", "binary", "parse"))


def case_config_wrong_types():
    config_case("config with wrong types", '{"pg_version": "fifteen"}', ("pg_version",))
    config_case("config with wrong types (rules)", '{"rules": ["drop-column"]}', ("rules",))
    config_case("config with wrong types (naming)", '{"naming": {"table": 5}}',
                ("naming", "table"))
    config_case("config with a bad value", '{"rules": {"drop-column": "loud"}}',
                ("drop-column", "loud", "severity"))


CASES = [case_empty, case_binary, case_bad_utf8, case_big, case_long_line,
         case_findings_on_long_line, case_nested_parens, case_deep_expressions, case_identical_indexes,
         case_many_suppressions, case_tenant_schemas, case_nested_do_blocks,
         case_nested_comments, case_unterminated_string,
         case_unterminated_dollar, case_symlink_loop, case_unreadable,
         case_dangling_symlink, case_fifo, case_directory_named_sql, case_too_large,
         case_non_utf8_name, case_config_not_json, case_config_binary,
         case_config_wrong_types]


def main():
    if not MIGSAFE or not os.access(MIGSAFE, os.X_OK):
        sys.exit("usage: t_hostile.py path/to/migsafe")
    only = sys.argv[2:]
    t0 = time.perf_counter()
    try:
        for case in CASES:
            if only and not any(o in case.__name__ for o in only):
                continue
            case()
    finally:
        for d in TMPDIRS:
            for dirpath, dirs, files in os.walk(d):
                for n in dirs + files:
                    p = os.path.join(dirpath, n)
                    if not os.path.islink(p):
                        try:
                            os.chmod(p, stat.S_IRWXU)
                        except OSError:
                            pass
            shutil.rmtree(d, ignore_errors=True)
    print(f"# total {time.perf_counter() - t0:.1f} s"
          + (f"; {skipped} skipped" if skipped else ""))
    sys.exit(H.finish())


if __name__ == "__main__":
    main()
