#!/usr/bin/env python3
"""The CI gate with a real git repository: `migsafe lint --base main`
lints only the migrations a branch adds, replays the rest as applied, and
reports edited applied migrations, out-of-order and duplicate versions.

Run as: python3 tests/t_base.py path/to/migsafe"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

MIGSAFE = os.path.abspath(sys.argv[1])
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Harness  # noqa: E402

T = Harness()
check = T.check
QUIET = json.dumps({"rules": {"missing-lock-timeout": "off"}})


def git(repo, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)


def write(repo, rel, text):
    path = os.path.join(repo, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        fh.write(text)


def lint(repo, *args):
    p = subprocess.run([MIGSAFE, "lint", "--format", "json", *args], cwd=repo,
                       capture_output=True, text=True)
    try:
        findings = json.loads(p.stdout)["findings"] if p.stdout else []
    except ValueError:
        findings = []
    return p.returncode, findings, p.stderr


def summary(findings):
    return sorted(f"{f['file']}:{f['line']} {f['rule']}" for f in findings)


def atlas_sum(d, names):
    """atlas.sum as 'atlas migrate hash' writes it (hashes are cumulative)."""
    import base64
    import hashlib
    h, lines = hashlib.sha256(), []
    for n in names:
        h.update(n.encode())
        with open(os.path.join(d, n), "rb") as fh:
            h.update(fh.read())
        lines.append((n, base64.b64encode(h.copy().digest()).decode()))
    total = hashlib.sha256()
    for n, x in lines:
        total.update(n.encode())
        total.update(x.encode())
    body = "".join(f"{n} h1:{x}\n" for n, x in lines)
    with open(os.path.join(d, "atlas.sum"), "w") as fh:
        fh.write(f"h1:{base64.b64encode(total.digest()).decode()}\n{body}")


def test_atlas_sum(tmp):
    d = os.path.join(tmp, "atlas")
    names = ["20240101000000_users.sql", "20240102000000_orders.sql"]
    write(d, names[0], "CREATE TABLE users (id bigint PRIMARY KEY);\n")
    write(d, names[1], "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n")
    write(d, ".migsafe.json", QUIET)
    atlas_sum(d, names)
    rc, f, err = lint(d, ".")
    check("atlas.sum that matches: no finding about it",
          "modified-applied-migration" not in [x["rule"] for x in f], f or err)
    write(d, names[0], "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n")
    rc, f, err = lint(d, ".")
    hits = [x for x in f if x["rule"] == "modified-applied-migration"]
    check("atlas.sum mismatch names the file and the sum's line",
          len(hits) == 1 and hits[0]["file"].endswith(names[0]) and
          "atlas.sum line 2" in hits[0]["message"], f or err)
    write(d, "20240103000000_more.sql", "ALTER TABLE users ADD COLUMN x int;\n")
    rc, f, err = lint(d, ".")
    check("a migration missing from atlas.sum is reported",
          any("not recorded" in x["message"] for x in f), f or err)


def main():
    if not shutil.which("git"):
        check("git is installed", False)
        return T.finish()
    tmp = tempfile.mkdtemp(prefix="migsafe-base-")
    try:
        test_atlas_sum(tmp)
        repo = os.path.join(tmp, "repo")
        os.makedirs(repo)
        git(repo, "init", "-q", "-b", "main")
        write(repo, ".migsafe.json", QUIET)
        write(repo, "db/0001_users.up.sql",
              "CREATE TABLE users (id bigint PRIMARY KEY, email text, name text);\n")
        write(repo, "db/0001_users.down.sql", "DROP TABLE users;\n")
        write(repo, "db/0002_orders.up.sql",
              "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n"
              "CREATE INDEX orders_user_id_idx ON orders (user_id);\n")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "base")

        git(repo, "checkout", "-q", "-b", "feature")
        write(repo, "db/0003_drop.up.sql", "ALTER TABLE users DROP COLUMN name;\n")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "feature")

        rc, f, err = lint(repo, "--base", "main", "db")
        check("--base main: only the new file's findings", summary(f) ==
              ["db/0003_drop.up.sql:1 drop-column"], f or err)
        check("--base main: exit 1 on an error", rc == 1, rc)

        # a clean branch passes the gate
        git(repo, "checkout", "-q", "main")
        git(repo, "checkout", "-q", "-b", "clean")
        write(repo, "db/0003_index.up.sql",
              "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n")
        rc, f, err = lint(repo, "--base", "main", "db")
        check("--base main: a safe new migration passes (exit 0)", rc == 0 and f == [],
              f or err)

        # the table created by an applied migration is existing; one created
        # in the branch is new, even in a later file of the branch
        write(repo, "db/0004_new_table.up.sql", "CREATE TABLE audit (id bigint PRIMARY KEY, at timestamptz);\n")
        write(repo, "db/0005_index_new.up.sql", "CREATE INDEX audit_at_idx ON audit (at);\n")
        rc, f, err = lint(repo, "--base", "main", "db")
        check("--base main: a table created in the branch is new", rc == 0 and
              "index-not-concurrent" not in [x["rule"] for x in f], f or err)

        # editing an applied migration
        write(repo, "db/0002_orders.up.sql",
              "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total numeric);\n"
              "CREATE INDEX orders_user_id_idx ON orders (user_id);\n")
        rc, f, err = lint(repo, "--base", "main", "db")
        check("--base main: an edited applied migration is reported",
              "db/0002_orders.up.sql:1 modified-applied-migration" in summary(f) and rc == 1,
              f or err)
        git(repo, "checkout", "-q", "--", "db/0002_orders.up.sql")

        # out of order: main gets a newer migration, the branch one sorts before it
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "clean branch")
        git(repo, "checkout", "-q", "main")
        write(repo, "db/0010_main.up.sql", "ALTER TABLE users ADD COLUMN note text;\n")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "main moves on")
        git(repo, "checkout", "-q", "clean")
        git(repo, "merge", "-q", "--no-edit", "main")
        rc, f, err = lint(repo, "--base", "main", "db")
        check("--base main: a new migration before an applied one is out of order",
              "db/0003_index.up.sql:1 out-of-order-migration" in summary(f), f or err)

        # duplicate versions
        write(repo, "db/0010_other.up.sql", "ALTER TABLE users ADD COLUMN other text;\n")
        rc, f, err = lint(repo, "--base", "main", "db")
        check("two files with one version are duplicate-version",
              any(x["rule"] == "duplicate-version" for x in f), f or err)
        os.remove(os.path.join(repo, "db/0010_other.up.sql"))

        # errors: unknown ref, not a repository
        rc, f, err = lint(repo, "--base", "no-such-branch", "db")
        check("--base with an unknown ref: exit 2 naming it", rc == 2 and "no-such-branch" in err,
              err)
        plain = os.path.join(tmp, "plain")
        os.makedirs(plain)
        write(plain, "1_a.up.sql", "CREATE TABLE t (id bigint PRIMARY KEY);\n")
        rc, f, err = lint(plain, "--base", "main", ".")
        check("--base outside a git repository: exit 2 saying so",
              rc == 2 and "git repository" in err, err)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return T.finish()


if __name__ == "__main__":
    sys.exit(main())
