#!/usr/bin/env python3
"""Valgrind (memcheck) over the normal build: no invalid read or write,
no use of an uninitialised value, no definite or indirect leak.

Usage (from the repo root, or with MIGSAFE_SOURCE_DIR set to it):

    python3 tests/t_valgrind.py path/to/migsafe [--all] [FIXTURE...]

Every run is

    valgrind --error-exitcode=99 --leak-check=full
             --errors-for-leak-kinds=definite,indirect migsafe ...

and fails when valgrind reports an error (exit 99), when migsafe dies of
a signal or exits with a status the command does not allow.

What runs (about 180 runs; a run costs ~2 s of CPU under valgrind, so
every fixture in three formats, ~950 runs, would take half an hour):
  - a spread of fixtures/: per rule directory, the first fixture (by
    name) that expects a finding of that rule, else its first fixture;
    each linted as t_fixtures.py does (setup file, args, config) in the
    text, json and sarif formats. --all, or MIGSAFE_VALGRIND_ALL=1, runs
    every fixture instead; FIXTURE arguments run just those;
  - examples/shop/migrations in every other format (github, gitlab,
    junit, markdown), and baseline + lint --baseline;
  - a git repository and --base, for the history rules (duplicate
    version, edited applied and out-of-order migrations) that no
    fixture can show;
  - inspect (every format) and locks (text, json) on tests/histories/;
  - the fuzzers' regression inputs, tests/fuzz_corpus/lint/ and config/;
  - rules, rules ID, version.

Valgrind and AddressSanitizer do not mix: the test is registered for the
non-sanitizer build only, and refuses an ASan binary. Without valgrind it
is skipped (passing, with a '#' line), except when CI=true: there a
missing valgrind fails. MIGSAFE_VALGRIND_JOBS sets the number of runs at
once (default: the number of CPUs).

Prints "ok - NAME" / "not ok - NAME" per run, with valgrind's report
under a failure, and "N passed, N failed" last; exits 1 when any failed.
A failure shows the command; MIGSAFE_VALGRIND_KEEP=1 keeps the temporary
directory it ran in, so that it can be rerun, e.g. with --track-origins=yes
to find where an uninitialised value comes from.
"""

import concurrent.futures
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Harness  # noqa: E402
from t_fixtures import Fixture, FixtureError, default_args  # noqa: E402

ROOT = os.path.abspath(os.environ.get("MIGSAFE_SOURCE_DIR") or os.getcwd())
# tests/valgrind.supp holds back a known leak in libpg_query (explained there)
VALGRIND = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
            "--errors-for-leak-kinds=definite,indirect",
            "--show-leak-kinds=definite,indirect", "--num-callers=40",
            "--suppressions=" + os.path.join(ROOT, "tests", "valgrind.supp")]
FORMATS = ["text", "json", "sarif"]
OTHER_FORMATS = ["github", "gitlab", "junit", "markdown"]
TIMEOUT = 300          # seconds per run; a lint takes ~2 s under valgrind
LINT_OK = (0, 1)       # findings (1) are expected
H = Harness()
TMP = tempfile.mkdtemp(prefix="migsafe-valgrind-")


class Case:
    """One migsafe command under valgrind, run in 'cwd'."""

    def __init__(self, name, args, cwd, ok_status=(0,)):
        self.name, self.args, self.cwd, self.ok_status = name, args, cwd, ok_status

    def run(self, migsafe):
        cmd = VALGRIND + [migsafe] + self.args
        env = dict(os.environ, NO_COLOR="1")
        shown = "cd %s && %s" % (shlex.quote(self.cwd), shlex.join(cmd))
        try:
            p = subprocess.run(cmd, cwd=self.cwd, env=env, capture_output=True,
                               timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return False, "timed out after %ds: %s" % (TIMEOUT, shown)
        err = head(p.stderr.decode("utf-8", "replace"))
        if p.returncode == 99:
            return False, "valgrind reported errors:\n%s\n%s" % (shown, err)
        if p.returncode not in self.ok_status:
            return False, "exit status %d (expected %s):\n%s\n%s" % (
                p.returncode, "/".join(map(str, self.ok_status)), shown, err)
        return True, ""


def head(text, n=34):
    """The first n lines (the first error matters most; Harness keeps
    the last 40 lines of a detail)."""
    lines = text.splitlines()
    if len(lines) <= n:
        return text
    return "\n".join(lines[:n] + ["... %d more lines" % (len(lines) - n)])


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def rel(path):
    return os.path.relpath(path, ROOT)


# ---- fixtures ---------------------------------------------------------

def fixture_files():
    """{rule directory: [fixture paths, sorted]}"""
    out = {}
    base = os.path.join(ROOT, "fixtures")
    for d, subdirs, files in os.walk(base):
        subdirs.sort()
        sql = sorted(os.path.join(d, f) for f in files if f.endswith(".sql"))
        if sql:
            out.setdefault(os.path.relpath(d, base).split(os.sep)[0], []).extend(sql)
    return out


def expects(path, rule):
    try:
        fx = Fixture(path)
    except (OSError, UnicodeDecodeError, FixtureError, ValueError):
        return False
    return any(e.rule == rule for e in fx.expected or [])


def spread():
    """Per rule directory, the first fixture that expects that rule."""
    chosen = []
    for rule, files in sorted(fixture_files().items()):
        chosen.append(next((f for f in files if expects(f, rule)), files[0]))
    return chosen


def fixture_cases(path, n):
    """The fixture laid out as t_fixtures.py does, linted in each format."""
    fx = Fixture(path)
    tmp = os.path.join(TMP, "fx%d" % n)
    setup, lint = fx.parts()
    if setup is not None:
        write(os.path.join(tmp, "migrations", fx.setup_name), setup)
    if fx.config is not None:
        write(os.path.join(tmp, ".migsafe.json"), fx.config)
    target = os.path.join(tmp, "migrations", fx.name)
    write(target, lint)
    return [Case("%s (%s)" % (rel(path), f),
                 ["lint", "--format", f] + default_args(fx) + fx.args + [target],
                 tmp, LINT_OK)
            for f in FORMATS]


# ---- the other commands -----------------------------------------------

def example_cases():
    """The example in every format the fixtures do not use, and a
    baseline; returns (cases, cases that read the baseline the first
    ones write)."""
    shop = os.path.join(ROOT, "examples", "shop", "migrations")
    baseline = os.path.join(TMP, "baseline.json")
    cases = [Case("examples/shop (%s)" % f, ["lint", "--format", f, shop], TMP, LINT_OK)
             for f in OTHER_FORMATS]
    cases.append(Case("examples/shop baseline", ["baseline", "-o", baseline, shop], TMP))
    return cases, [Case("examples/shop lint --baseline",
                        ["lint", "--baseline", baseline, "--format", "sarif", shop],
                        TMP, LINT_OK)]


def git(repo, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)


BASE_SQL = ("CREATE TABLE users (id bigint PRIMARY KEY, email varchar(255) NOT NULL, name text);\n"
            "CREATE TABLE orders (id serial PRIMARY KEY, user_id bigint REFERENCES users (id));\n")
HISTORY_RULES = ("duplicate-version", "modified-applied-migration", "out-of-order-migration")


def base_cases():
    """A branch that edits an applied migration, adds one that sorts
    before an applied one, and reuses a version."""
    if not shutil.which("git"):
        print("# git not found: the --base case is skipped")
        return []
    repo = os.path.join(TMP, "repo")
    m = os.path.join(repo, "migrations")
    write(os.path.join(m, "0001_users.up.sql"),
          "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n")
    write(os.path.join(m, "0003_orders.up.sql"),
          "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    write(os.path.join(m, "0001_users.up.sql"),
          "CREATE TABLE users (id bigint PRIMARY KEY, email text, name text);\n")
    write(os.path.join(m, "0002_late.up.sql"), "ALTER TABLE users DROP COLUMN email;\n")
    write(os.path.join(m, "0003_dup.up.sql"), "CREATE INDEX ON orders (user_id);\n")
    return [Case("--base main (%s)" % f, ["lint", "--base", "main", "--format", f, "migrations"],
                 repo, LINT_OK) for f in ("text", "sarif")]


def history_cases():
    hist = os.path.join(ROOT, "tests", "histories")
    cases = []
    for name in sorted(os.listdir(hist)):
        d = os.path.join(hist, name)
        if not os.path.isdir(d):
            continue
        cases.append(Case("inspect %s" % rel(d), ["inspect", d], ROOT))
        cases.append(Case("locks %s" % rel(d), ["locks", d], ROOT))
    d = os.path.join(hist, "partitions-views")
    for f in ("json", "sql", "mermaid", "dot"):
        cases.append(Case("inspect --format %s %s" % (f, rel(d)),
                          ["inspect", "--format", f, d], ROOT))
    cases.append(Case("locks --format json %s" % rel(d), ["locks", "--format", "json", d], ROOT))
    cases.append(Case("inspect --at 0003 %s" % rel(d), ["inspect", "--at", "0003", d], ROOT))
    return cases


def corpus_cases():
    """The fuzzers' regression inputs (tests/fuzz_corpus/): valgrind sees
    uninitialised values, which the fuzzers' sanitizers do not. A lint
    input follows a small migration; a config input is .migsafe.json.
    Exit 2 (a file or the config could not be used) is fine."""
    cases = []
    corpus = os.path.join(ROOT, "tests", "fuzz_corpus")
    for i, name in enumerate(sorted(os.listdir(os.path.join(corpus, "lint")))):
        d = os.path.join(TMP, "lint%d" % i)
        write(os.path.join(d, "0001_base.up.sql"), BASE_SQL)
        shutil.copyfile(os.path.join(corpus, "lint", name), os.path.join(d, "0002_fuzz.up.sql"))
        cases.append(Case("tests/fuzz_corpus/lint/%s" % name, ["lint", "--format", "json", d],
                          TMP, (0, 1, 2)))
    for i, name in enumerate(sorted(os.listdir(os.path.join(corpus, "config")))):
        d = os.path.join(TMP, "config%d" % i)
        write(os.path.join(d, "migrations", "0001_base.up.sql"), BASE_SQL)
        shutil.copyfile(os.path.join(corpus, "config", name), os.path.join(d, ".migsafe.json"))
        cases.append(Case("tests/fuzz_corpus/config/%s" % name, ["lint", "migrations"],
                          d, (0, 1, 2)))
    return cases


def misc_cases():
    return [Case("rules", ["rules"], ROOT),
            Case("rules drop-column", ["rules", "drop-column"], ROOT),
            Case("version", ["version"], ROOT)]


# ---- driver -----------------------------------------------------------

def run_all(migsafe, batches, jobs):
    """Run each batch of cases in parallel, the batches in order; print
    the results in the order given."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for batch in batches:
            results = list(pool.map(lambda c: c.run(migsafe), batch))
            for c, (ok, detail) in zip(batch, results):
                H.check(c.name, ok, detail)
                sys.stdout.flush()


def report_coverage(migsafe, fixtures):
    """A '#' line naming the rules no run is expected to report."""
    p = subprocess.run([migsafe, "rules"], capture_output=True, text=True)
    rules = {line.split()[0] for line in p.stdout.splitlines()[1:]
             if line[:1].isalpha() and not line.startswith("--")}
    seen = set(HISTORY_RULES)
    for path in fixtures:
        try:
            seen |= {e.rule for e in Fixture(path).expected or []}
        except (OSError, UnicodeDecodeError, FixtureError, ValueError):
            pass
    if rules - seen:
        print("# no run expects a finding of: %s" % ", ".join(sorted(rules - seen)))


def asan_binary(path):
    with open(path, "rb") as fh:
        return b"__asan_init" in fh.read()


def skip(why):
    print("# %s: skipped" % why)
    print("%d passed, %d failed" % (H.passed, H.failed))
    return 0


def main(argv):
    args = argv[1:]
    do_all = "--all" in args or os.environ.get("MIGSAFE_VALGRIND_ALL") == "1"
    args = [a for a in args if a != "--all"]
    if not args:
        print("usage: t_valgrind.py path/to/migsafe [--all] [FIXTURE...]", file=sys.stderr)
        return 1
    migsafe = os.path.abspath(args[0])
    if not shutil.which("valgrind"):
        if os.environ.get("CI") == "true":
            H.check("valgrind is installed (CI=true; ./setup.sh --test installs it)", False,
                    "valgrind not found in PATH")
            return H.finish()
        return skip("valgrind not found (Debian: apt-get install valgrind)")
    if asan_binary(migsafe):
        return skip("%s is built with AddressSanitizer, which valgrind cannot run" % migsafe)

    if args[1:]:
        fixtures = [os.path.abspath(p) for p in args[1:]]
    elif do_all:
        fixtures = [f for _, files in sorted(fixture_files().items()) for f in files]
    else:
        fixtures = spread()
    first = []
    for n, path in enumerate(fixtures):
        try:
            first += fixture_cases(path, n)
        except (OSError, UnicodeDecodeError, FixtureError, ValueError) as e:
            H.check("fixture %s" % rel(path), False, e)
    batches = [first]
    if not args[1:]:
        report_coverage(migsafe, fixtures)
        examples, with_baseline = example_cases()
        first += examples + base_cases() + history_cases() + corpus_cases() + misc_cases()
        batches.append(with_baseline)
    jobs = int(os.environ.get("MIGSAFE_VALGRIND_JOBS") or os.cpu_count() or 2)
    print("# %d fixtures, %d runs under valgrind, %d at once"
          % (len(fixtures), sum(map(len, batches)), jobs))
    sys.stdout.flush()
    run_all(migsafe, batches, jobs)
    return H.finish()


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    finally:
        if os.environ.get("MIGSAFE_VALGRIND_KEEP") == "1":
            print("# kept %s" % TMP)
        else:
            shutil.rmtree(TMP, ignore_errors=True)
