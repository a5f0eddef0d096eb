#!/usr/bin/env python3
"""The pre-commit hook with the real pre-commit tool: a throwaway project
with a migrations directory installs migsafe's hook from this repository's
.pre-commit-hooks.yaml; a bad migration is rejected, a good one accepted.

Run as: python3 tests/t_precommit.py path/to/migsafe"""
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.environ.get("MIGSAFE_SOURCE_DIR", os.getcwd())
MIGSAFE = os.path.abspath(sys.argv[1])
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Harness  # noqa: E402

T = Harness()
check = T.check


def sh(cwd, *args, env=None, check=True):
    p = subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True)
    if check and p.returncode:
        raise RuntimeError(f"{args}: {p.stdout}{p.stderr}")
    return p


def main():
    pre_commit = shutil.which("pre-commit")
    if not pre_commit:
        check("pre-commit is installed (./setup.sh --test installs Debian's package)", False)
        return T.finish()
    tmp = tempfile.mkdtemp(prefix="migsafe-precommit-")
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com",
               PRE_COMMIT_HOME=os.path.join(tmp, "cache"),
               XDG_CACHE_HOME=os.path.join(tmp, "xdg-cache"),   # the hook's --cache
               PATH=os.path.dirname(MIGSAFE) + os.pathsep + os.environ.get("PATH", ""))
    try:
        # the hook repository: this repo's hook definition, committed
        hooks = os.path.join(tmp, "hooks")
        os.makedirs(hooks)
        shutil.copy(os.path.join(ROOT, ".pre-commit-hooks.yaml"), hooks)
        sh(hooks, "git", "init", "-q", "-b", "main", env=env)
        sh(hooks, "git", "add", "-A", env=env)
        sh(hooks, "git", "commit", "-q", "-m", "hooks", env=env)
        rev = sh(hooks, "git", "rev-parse", "HEAD", env=env).stdout.strip()

        proj = os.path.join(tmp, "project")
        os.makedirs(os.path.join(proj, "db"))
        sh(proj, "git", "init", "-q", "-b", "main", env=env)
        with open(os.path.join(proj, ".pre-commit-config.yaml"), "w") as fh:
            fh.write(f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n"
                     f"      - id: migsafe\n        files: ^db/\n")
        with open(os.path.join(proj, "db", "0001_users.up.sql"), "w") as fh:
            fh.write("CREATE TABLE users (id bigint PRIMARY KEY, email text, name text);\n")
        with open(os.path.join(proj, "db", "0001_users.down.sql"), "w") as fh:
            fh.write("DROP TABLE users;\n")
        sh(proj, "git", "add", "-A", env=env)
        p = sh(proj, pre_commit, "install", env=env, check=False)
        check("pre-commit install", p.returncode == 0, p.stdout + p.stderr)
        p = sh(proj, "git", "commit", "-q", "-m", "first", env=env, check=False)
        check("a good first migration is accepted", p.returncode == 0, p.stdout + p.stderr)

        bad = os.path.join(proj, "db", "0002_drop.up.sql")
        with open(bad, "w") as fh:
            fh.write("ALTER TABLE users DROP COLUMN name;\n")
        with open(os.path.join(proj, "db", "0002_drop.down.sql"), "w") as fh:
            fh.write("ALTER TABLE users ADD COLUMN name text;\n")
        sh(proj, "git", "add", "-A", env=env)
        p = sh(proj, "git", "commit", "-q", "-m", "drop", env=env, check=False)
        out = p.stdout + p.stderr
        check("a migration that drops a column is rejected", p.returncode != 0 and
              "drop-column" in out and "0002_drop.up.sql" in out, out)

        with open(bad, "w") as fh:
            fh.write("CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n")
        with open(os.path.join(proj, "db", "0002_drop.down.sql"), "w") as fh:
            fh.write("DROP INDEX CONCURRENTLY users_email_idx;\n")
        sh(proj, "git", "add", "-A", env=env)
        p = sh(proj, "git", "commit", "-q", "-m", "index", env=env, check=False)
        check("a safe migration is accepted", p.returncode == 0, p.stdout + p.stderr)
        cached = os.path.join(tmp, "xdg-cache", "migsafe")
        check("the hook keeps the replayed history in $XDG_CACHE_HOME/migsafe",
              os.path.isdir(cached) and len(os.listdir(cached)) == 1,
              os.listdir(cached) if os.path.isdir(cached) else "no cache directory")
    except RuntimeError as e:
        check("setting up the throwaway repositories", False, e)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return T.finish()


if __name__ == "__main__":
    sys.exit(main())
