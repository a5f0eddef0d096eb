#!/usr/bin/env python3
"""Fixture runner: every fixtures/<rule>/<case>.sql carries its own expectation.

Usage (from the repo root, or with MIGSAFE_SOURCE_DIR set to it):

    python3 tests/t_fixtures.py path/to/migsafe [--bless] [FIXTURE_OR_DIR ...]

With no fixture paths, every fixtures/**/*.sql is run.

A fixture is one SQL file:

    -- everything above the line "-- fixture: lint" is setup: an earlier
    -- migration, already applied (its tables exist in production)
    CREATE TABLE users (id bigint PRIMARY KEY, email text);
    -- fixture: lint
    ALTER TABLE users DROP COLUMN email;
    /*
     * expect:
     * 6:1: error[drop-column]: "email"
     */

Without the marker line the whole file is the migration under lint.
Directives (SQL comments, anywhere in the file):
    -- fixture: args ARGS...   extra CLI arguments (shell-quoted)
    -- fixture: name FILE      the linted file's name
                               (default 0002_fixture.up.sql, golang-migrate)
    -- fixture: config JSON    a .migsafe.json for the run (one line)
    -- fixture: setup-name FILE  the setup file's name (default
                               0001_setup.up.sql); give one of the linted
                               file's tool when that is not golang-migrate

The expect block lists every finding of the linted file, one per line:
    LINE:COL: SEVERITY[RULE]            or
    LINE:COL: SEVERITY[RULE]: TEXT      (TEXT must occur in the message)
Lines and columns are the fixture file's own (the linted file keeps the
setup lines as empty lines). An empty list means no finding at all.
Findings in the setup file are ignored.

For each fixture the runner writes <tmp>/migrations/0001_setup.up.sql (the
setup, when there is one; lint part blanked; or the setup-name) and
<tmp>/migrations/<name> (setup blanked), then runs
    migsafe lint --format json [ARGS] <tmp>/migrations/<name>
in <tmp> (so no .migsafe.json of the repo applies). Exit status 0 or 1 is
fine; anything else fails the fixture.

--bless rewrites each fixture's expect block from the actual findings,
keeping an existing TEXT when it still matches.

The last line printed is "N passed, N failed"; the exit status is 1 when
any fixture failed or when no fixture was found.
"""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

MARKER = "-- fixture: lint"
SETUP_NAME = "0001_setup.up.sql"
DEFAULT_NAME = "0002_fixture.up.sql"
TIMEOUT = 60

DIRECTIVE_RE = re.compile(
    r"^\s*--\s*fixture:\s*(args|name|setup-name|config)(?:\s+(.*?))?\s*$")
EXPECT_HEAD_RE = re.compile(r"^\s*\*?\s*expect:\s*$")
EXPECT_LINE_RE = re.compile(
    r"^(\d+):(\d+):\s*(error|warning|note)\[([A-Za-z0-9_.-]+)\](?::\s?(.*))?$")


class FixtureError(Exception):
    pass


class Expectation:
    def __init__(self, line, col, severity, rule, text=None):
        self.line, self.col = line, col
        self.severity, self.rule = severity, rule
        self.text = text if text else None

    def key(self):
        return (self.line, self.col, self.severity, self.rule)

    def matches(self, actual):
        if self.key() != actual.key():
            return False
        return self.text is None or self.text in actual.message

    def render(self):
        s = "%d:%d: %s[%s]" % self.key()
        return s + (": " + self.text if self.text else "")


class Actual:
    def __init__(self, f):
        self.line = int(f.get("line", 0))
        self.col = int(f.get("column", 0))
        self.severity = str(f.get("severity", "?"))
        self.rule = str(f.get("rule", "?"))
        self.message = str(f.get("message", ""))
        self.file = str(f.get("file", ""))

    def key(self):
        return (self.line, self.col, self.severity, self.rule)

    def render(self):
        return "%d:%d: %s[%s]: %s" % (self.key() + (self.message,))


class Fixture:
    """A parsed fixture file."""

    def __init__(self, path):
        self.path = path
        with open(path, encoding="utf-8", newline="") as fh:
            self.text = fh.read()
        self.lines = self.text.splitlines(keepends=True)
        self.marker = None
        self.args = []
        self.config = None
        self.name = DEFAULT_NAME
        self.setup_name = SETUP_NAME
        for i, raw in enumerate(self.lines):
            line = raw.rstrip("\r\n")
            if line.rstrip() == MARKER and self.marker is None:
                self.marker = i
                continue
            m = DIRECTIVE_RE.match(line)
            if not m:
                continue
            kind, value = m.group(1), m.group(2) or ""
            if kind == "args":
                self.args.extend(shlex.split(value))
                continue
            if kind == "config":
                self.config = value
                continue
            if not value or "/" in value or value.startswith("."):
                raise FixtureError("line %d: bad '-- fixture: %s'" % (i + 1, kind))
            if kind == "name":
                self.name = value
            else:
                self.setup_name = value
        if self.name == self.setup_name:
            raise FixtureError("the linted file and the setup file have one name")
        self.block = self._find_expect_block()
        self.expected = self._parse_expectations() if self.block else None

    def _find_expect_block(self):
        """(start, head, end) line indexes of the last expect block:
        the '/*' line, the 'expect:' line and the '*/' line."""
        found = None
        for i, raw in enumerate(self.lines):
            if not EXPECT_HEAD_RE.match(raw.rstrip("\r\n")):
                continue
            start = i if raw.lstrip().startswith("/*") else None
            j = i - 1
            while start is None and j >= 0:
                if self.lines[j].strip().startswith("/*"):
                    start = j
                elif self.lines[j].strip() not in ("", "*"):
                    break
                j -= 1
            end = i
            while end < len(self.lines) and "*/" not in self.lines[end]:
                end += 1
            if start is None or end >= len(self.lines):
                raise FixtureError("expect block at line %d is not inside /* */"
                                   % (i + 1))
            found = (start, i, end)
        return found

    def _parse_expectations(self):
        start, head, end = self.block
        out = []
        for i in range(head + 1, end + 1):
            line = self.lines[i].rstrip("\r\n")
            if i == end:
                line = line[:line.index("*/")]
            line = line.strip()
            if line.startswith("*"):
                line = line[1:].strip()
            if not line:
                continue
            m = EXPECT_LINE_RE.match(line)
            if not m:
                raise FixtureError("line %d: bad expectation %r" % (i + 1, line))
            out.append(Expectation(int(m.group(1)), int(m.group(2)),
                                   m.group(3), m.group(4), m.group(5)))
        return out

    def parts(self):
        """(setup text or None, lint text); each keeps the fixture's line
        numbers by turning the other part's lines into empty lines."""
        if self.marker is None:
            return None, self.text
        blank = ["\n" if l.endswith("\n") else "" for l in self.lines]
        setup = "".join(self.lines[:self.marker] + blank[self.marker:])
        lint = "".join(blank[:self.marker] + self.lines[self.marker:])
        return setup, lint


def default_args(fx):
    """missing-lock-timeout fires on nearly every statement that locks an
    existing table; outside its own fixtures it would only repeat itself,
    so it is off unless the fixture is about it or turns it on."""
    if "missing-lock-timeout" in fx.path or any("missing-lock-timeout" in a for a in fx.args):
        return []
    return ["--rule", "missing-lock-timeout=off"]


def run_migsafe(migsafe, fx):
    """Run migsafe on the fixture; returns (actual findings of the linted
    file, error string or None)."""
    tmp = tempfile.mkdtemp(prefix="migsafe-fixture-")
    try:
        mdir = os.path.join(tmp, "migrations")
        os.mkdir(mdir)
        setup, lint = fx.parts()
        if setup is not None:
            with open(os.path.join(mdir, fx.setup_name), "w", encoding="utf-8",
                      newline="") as fh:
                fh.write(setup)
        if fx.config is not None:
            with open(os.path.join(tmp, ".migsafe.json"), "w", encoding="utf-8") as fh:
                fh.write(fx.config)
        target = os.path.join(mdir, fx.name)
        with open(target, "w", encoding="utf-8", newline="") as fh:
            fh.write(lint)
        cmd = [migsafe, "lint", "--format", "json"] + default_args(fx) + fx.args + [target]
        env = dict(os.environ, NO_COLOR="1")
        try:
            p = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True,
                               timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return None, "timed out after %ds: %s" % (TIMEOUT, " ".join(cmd))
        except OSError as e:
            return None, "cannot run %s: %s" % (migsafe, e)
        stderr = p.stderr.decode("utf-8", "replace").strip()
        if p.returncode not in (0, 1):
            return None, "exit status %d\n%s" % (p.returncode, stderr)
        try:
            doc = json.loads(p.stdout.decode("utf-8"))
            findings = doc["findings"]
        except (ValueError, KeyError, TypeError) as e:
            return None, "bad JSON output (%s)\n%s" % (e, stderr)
        actual = []
        for f in findings:
            a = Actual(f)
            base = os.path.basename(a.file)
            if base == fx.setup_name:
                continue
            if base != fx.name:
                a.message = "[in %s] %s" % (a.file, a.message)
            actual.append(a)
        return actual, None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def match(expected, actual):
    """Maximum bipartite matching of expectations to findings; returns the
    unmatched expectations and the unmatched findings."""
    owner = [None] * len(actual)   # actual index -> expected index

    def augment(e, seen):
        for a in range(len(actual)):
            if a in seen or not expected[e].matches(actual[a]):
                continue
            seen.add(a)
            if owner[a] is None or augment(owner[a], seen):
                owner[a] = e
                return True
        return False

    matched = set()
    for e in range(len(expected)):
        if augment(e, set()):
            matched.add(e)
    missing = [expected[e] for e in range(len(expected)) if e not in matched]
    extra = [actual[a] for a in range(len(actual)) if owner[a] is None]
    return missing, extra


def bless(fx, actual):
    """Rewrite the fixture's expect block from 'actual'; True if changed."""
    old = [e for e in (fx.expected or []) if e.text]
    used = set()
    rows = []
    for a in actual:
        pos, text = len(old), None
        for i, e in enumerate(old):
            if i not in used and e.matches(a):
                used.add(i)
                pos, text = i, e.text
                break
        # same place and rule: keep the order the fixture had
        rows.append(((a.line, a.col, a.rule, pos, a.message),
                     Expectation(a.line, a.col, a.severity, a.rule, text)))
    new = [e for _, e in sorted(rows, key=lambda r: r[0])]
    body = ["/*\n", " * expect:\n"] + [" * %s\n" % e.render() for e in new] + [" */\n"]
    lines = list(fx.lines)
    if fx.block:
        start, _, end = fx.block
        tail = lines[end][lines[end].index("*/") + 2:]
        lines[start:end + 1] = body
        if tail.strip():
            lines.insert(start + len(body), tail)
    else:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines += body
    text = "".join(lines)
    if text == fx.text:
        return False
    with open(fx.path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    return True


def collect(paths, root):
    out = []
    for p in paths:
        if not os.path.exists(p) and not os.path.isabs(p):
            alt = os.path.join(root, p)
            if os.path.exists(alt):
                p = alt
        if os.path.isdir(p):
            for d, subdirs, files in os.walk(p):
                subdirs.sort()
                out.extend(os.path.join(d, f) for f in sorted(files)
                           if f.endswith(".sql"))
        elif os.path.isfile(p):
            out.append(p)
        else:
            print("t_fixtures: no such fixture or directory: %s" % p,
                  file=sys.stderr)
            out.append(p)     # reported as a failure below
    return out


def relpath(p, root):
    try:
        r = os.path.relpath(p, root)
        return p if r.startswith("..") else r
    except ValueError:
        return p


def main(argv):
    args = [a for a in argv[1:] if a != "--bless"]
    do_bless = "--bless" in argv[1:]
    if not args or args[0].startswith("-"):
        print("usage: t_fixtures.py path/to/migsafe [--bless] [FIXTURE...]",
              file=sys.stderr)
        print("0 passed, 0 failed")
        return 1
    migsafe = os.path.abspath(args[0])
    root = os.environ.get("MIGSAFE_SOURCE_DIR") or os.getcwd()
    paths = args[1:] or [os.path.join(root, "fixtures")]
    files = collect(paths, root)

    passed = failed = 0
    for path in files:
        name = relpath(path, root)
        try:
            fx = Fixture(path)
        except (OSError, UnicodeDecodeError, FixtureError, ValueError) as e:
            print("FAIL %s: %s" % (name, e))
            failed += 1
            continue
        actual, err = run_migsafe(migsafe, fx)
        if err is not None:
            print("FAIL %s: %s" % (name, err.replace("\n", "\n    ")))
            failed += 1
            continue
        if do_bless:
            if bless(fx, actual):
                print("blessed %s" % name)
            passed += 1
            continue
        if fx.expected is None:
            print("FAIL %s: no expect block (run with --bless to add one)" % name)
            for a in actual:
                print("    + %s" % a.render())
            failed += 1
            continue
        missing, extra = match(fx.expected, actual)
        if not missing and not extra:
            passed += 1
            continue
        print("FAIL %s: %d expected finding(s) missing, %d unexpected"
              % (name, len(missing), len(extra)))
        for e in missing:
            print("    - %s" % e.render())
        for a in extra:
            print("    + %s" % a.render())
        failed += 1

    if not files:
        print("t_fixtures: no fixtures found", file=sys.stderr)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not files else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
