#!/usr/bin/env python3
"""Statements are translated two ways (analyzer/parse_node.c): CREATE
TABLE, ALTER TABLE, CREATE INDEX, DROP, RENAME, COMMENT, DML and
transaction statements from the parser's own tree, everything else (and
every expression) from libpg_query's JSON. MIGSAFE_PARSE_JSON=1 sends
every statement through JSON. Both must give the same output, byte for
byte: findings, the replayed schema and the lock report.

Usage (from the repo root, or with MIGSAFE_SOURCE_DIR set to it):

    python3 tests/t_parse_paths.py path/to/migsafe

The inputs are every fixture directory, every test history, a generated
history of 3,000 statements and tests/parse_paths/history, which holds
each form the tree walker reads (statements PostgreSQL would refuse
among them: it is not a history for t_pg_oracle.py) and expressions
nested too deep for the JSON decoder. Prints "ok - ..." lines and "N passed, N
failed" last.
"""

import os
import shutil
import subprocess
import sys
import tempfile

from harness import Harness, environ, first_difference

ROOT = os.environ.get("MIGSAFE_SOURCE_DIR", os.getcwd())
MIGSAFE = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
COMMANDS = (
    ["lint", "--format=json", "--fail-on=none"],
    ["inspect", "--format=sql"],
    ["inspect", "--format=json"],
    ["locks", "--format=json"],
)
T = Harness()


def run(args, json_only):
    env = environ(drop=("MIGSAFE_PARSE_JSON",),
                  extra={"MIGSAFE_PARSE_JSON": "1" if json_only else None,
                         "NO_COLOR": "1"})
    p = subprocess.run([MIGSAFE, *args], cwd=ROOT, capture_output=True, env=env,
                       timeout=300)
    return p.returncode, p.stdout, p.stderr


def compare(name, path):
    for cmd in COMMANDS:
        tree = run([*cmd, path], False)
        json = run([*cmd, path], True)
        T.check(f"{name}: {' '.join(cmd[:2])} the same from the tree and from JSON",
                tree == json, first_difference(tree, json))


def generated(tmp):
    out = os.path.join(tmp, "gen")
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_history.py"),
                    "--files", "150", "--statements", "3000", out],
                   check=True, stdout=subprocess.DEVNULL)
    return out


def main():
    if not MIGSAFE:
        print(__doc__)
        return 2
    dirs = []
    for parent in ("fixtures", os.path.join("tests", "histories")):
        for d in sorted(os.listdir(os.path.join(ROOT, parent))):
            if os.path.isdir(os.path.join(ROOT, parent, d)):
                dirs.append((f"{parent}/{d}", os.path.join(parent, d)))
    dirs.append(("tests/parse_paths/history", os.path.join("tests", "parse_paths", "history")))
    for name, path in dirs:
        compare(name, path)
    tmp = tempfile.mkdtemp(prefix="migsafe-paths-")
    try:
        compare("generated history", generated(tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return T.finish()


if __name__ == "__main__":
    sys.exit(main())
