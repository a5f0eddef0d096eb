#!/usr/bin/env python3
"""Files are read and parsed ahead on worker threads (analyzer/prefetch.c)
while the main thread replays them in order: the output must be the same,
byte for byte, as with everything on one thread (MIGSAFE_THREADS=1).

Usage (from the repo root, or with MIGSAFE_SOURCE_DIR set to it):

    python3 tests/t_threads.py path/to/migsafe

Each history is linted with MIGSAFE_THREADS=1 (one thread), unset (the
default: threads when there are several cores) and 2, 3 and 9 (one, two
and eight workers, more than the machine has cores), and standard output,
standard error and the exit status are compared. The histories hold what
a worker must carry back to the main thread instead of printing or
applying itself: files that cannot be read (binary, not UTF-8, too
large), syntax errors, goose/dbmate directives that change a file's
layout and transaction mode, and more files and bytes than the workers
may read ahead. Prints "ok - ..." lines and "N passed, N failed" last.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

from harness import Harness, first_difference

ROOT = os.environ.get("MIGSAFE_SOURCE_DIR", os.getcwd())
MIGSAFE = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
SETTINGS = ("1", None, "2", "3", "9")   # MIGSAFE_THREADS; None: unset
TIMEOUT = 300
T = Harness()
TMPDIRS = []


def run(cwd, args, threads):
    env = {k: v for k, v in os.environ.items() if k != "MIGSAFE_THREADS"}
    env["NO_COLOR"] = "1"
    if threads is not None:
        env["MIGSAFE_THREADS"] = threads
    p = subprocess.run([MIGSAFE, *args], cwd=cwd, capture_output=True, env=env,
                       timeout=TIMEOUT)
    return p.returncode, p.stdout, p.stderr


def project(files):
    """A temp dir holding files {relative path: text, bytes, or an int:
    a sparse file of that many bytes}."""
    d = tempfile.mkdtemp(prefix="migsafe-threads-")
    TMPDIRS.append(d)
    for rel, content in files.items():
        path = os.path.join(d, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if isinstance(content, int):
            with open(path, "wb") as fh:
                fh.truncate(content)
            continue
        with open(path, "wb" if isinstance(content, bytes) else "w") as fh:
            fh.write(content)
    return d


def same_everywhere(name, cwd, args, want_rc=None, want_err=()):
    """Run with every MIGSAFE_THREADS setting; all must match the first."""
    base = run(cwd, args, SETTINGS[0])
    if want_rc is not None:
        T.check(f"{name}: exit status {want_rc}", base[0] == want_rc,
                f"exit {base[0]}\n{base[2].decode(errors='replace')}")
    for w in want_err:
        T.check(f"{name}: stderr names {w}", w.encode() in base[2],
                base[2].decode(errors="replace"))
    for threads in SETTINGS[1:]:
        got = run(cwd, args, threads)
        label = "unset" if threads is None else threads
        T.check(f"{name}: MIGSAFE_THREADS={label} gives the output of MIGSAFE_THREADS=1",
                got == base, first_difference(base, got))
    return base


# ---- histories ---------------------------------------------------------

def table(i):
    return (f"CREATE TABLE t{i} (id bigint PRIMARY KEY, name text, n integer);\n"
            f"CREATE INDEX t{i}_name ON t{i} (name);\n")


def golang_history():
    """40 golang-migrate files with every kind of trouble in between."""
    files = {}
    for i in range(1, 41):
        body = table(i)
        if i % 7 == 0:
            body += f"ALTER TABLE t{i - 1} ALTER COLUMN name TYPE varchar(10);\n"
        if i % 9 == 0:
            body += "SELEC oops FROM;\nALTER TABLE nowhere ADD COLUMN x int;\n"
        if i % 11 == 0:
            body += f"DROP TABLE t{i - 2};\n"
        files[f"m/{i:04d}_step.up.sql"] = body
        files[f"m/{i:04d}_step.down.sql"] = f"DROP TABLE t{i};\n"
    files["m/0005_step.up.sql"] = b"\x7fELF\x02\x01\x01\x00binary\x00\xff"
    files["m/0012_step.up.sql"] = "COMMENT ON TABLE t1 IS 'caf\xe9';\n".encode("latin-1")
    files["m/0020_step.up.sql"] = 70 * 1024 * 1024   # refused before reading
    files["m/0031_step.up.sql"] = ""
    return project(files)


def plain_history():
    """Plain numbered files, some of them goose or dbmate files in
    disguise: reading one refines its layout and transaction mode, which
    a worker must hand back rather than write into the history."""
    files = {}
    for i in range(1, 31):
        body = table(i)
        if i % 3 == 0:
            body = ("-- +goose Up\n-- +goose NO TRANSACTION\n" + body +
                    f"CREATE INDEX CONCURRENTLY t{i}_n ON t{i} (n);\n"
                    f"-- +goose Down\nDROP TABLE t{i};\n")
        elif i % 5 == 0:
            body = ("-- migrate:up transaction:false\n" + body +
                    f"CREATE INDEX CONCURRENTLY t{i}_n ON t{i} (n);\n"
                    f"-- migrate:down\nDROP TABLE t{i};\n")
        elif i % 4 == 0:
            body += f"CREATE INDEX CONCURRENTLY t{i}_n ON t{i} (n);\n"
        files[f"db/{i:03d}_step.sql"] = body
    files["db/017_step.sql"] = "CREATE TABLE broken (id int,\n"
    return project(files)


def big_files_history():
    """More text than the workers may read ahead (4 MB): eight files of
    1.5 MB, mostly one block comment each."""
    files = {}
    pad = "/* " + ("padding " * 190000) + " */\n"
    for i in range(1, 9):
        files[f"m/{i:04d}_big.up.sql"] = pad + table(i) + (f"DROP TABLE t{i - 1};\n" if i > 1
                                                            else "")
    return project(files)


def sqlite_history():
    files = {}
    for i in range(1, 21):
        body = (f"CREATE TABLE t{i} (id INTEGER PRIMARY KEY, name TEXT);\n"
                f"CREATE INDEX t{i}_name ON t{i} (name);\n")
        if i % 6 == 0:
            body += "CREATE TABLE t1 (x);\n"        # already exists
        if i % 8 == 0:
            body += "ALTER TABLE nowhere ADD COLUMN y;\n"
        files[f"m/{i:04d}_step.up.sql.sqlite"] = body
    files["m/0010_step.up.sql.sqlite"] = b"binary\x00file"
    return project(files)


def generated_history():
    """bench/gen_history.py: the mix of a long-lived schema, 150 files."""
    d = tempfile.mkdtemp(prefix="migsafe-threads-gen-")
    TMPDIRS.append(d)
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_history.py"),
                    "--files", "150", "--statements", "1500", os.path.join(d, "m")],
                   check=True, stdout=subprocess.DEVNULL)
    return d


# ---- the cases ---------------------------------------------------------

def test_errors_in_between():
    d = golang_history()
    same_everywhere("golang-migrate with unreadable files", d,
                    ["lint", "--format=json", "m"], want_rc=2,
                    want_err=("m/0005_step.up.sql", "m/0012_step.up.sql",
                              "m/0020_step.up.sql"))
    rc, _, err = run(d, ["lint", "m"], "1")
    lines = err.decode().splitlines()
    T.check("unreadable files: their messages in history order",
            [l.split("'")[1] for l in lines if "cannot lint" in l] ==
            ["m/0005_step.up.sql", "m/0012_step.up.sql", "m/0020_step.up.sql"], err)
    same_everywhere("golang-migrate, text format", d, ["lint", "m"])
    same_everywhere("golang-migrate, sarif format", d, ["lint", "--format=sarif", "m"])
    same_everywhere("one file in range", d, ["lint", "--format=json", "m/0014_step.up.sql"])
    same_everywhere("--since", d, ["lint", "--format=json", "--since=30", "m"])
    same_everywhere("inspect", d, ["inspect", "m"])
    same_everywhere("locks", d, ["locks", "m/0022_step.up.sql"])


def test_layout_from_content():
    d = plain_history()
    same_everywhere("plain files that are goose/dbmate", d, ["lint", "--format=json", "db"],
                    want_rc=1)
    out = run(d, ["lint", "db"], "9")[1].decode()
    hit = sorted(l.split(":")[0] for l in out.splitlines()
                 if "error[concurrent-in-transaction]" in l)
    want = [f"db/{i:03d}_step.sql" for i in range(1, 31)
            if i % 4 == 0 and i % 3 and i % 5]
    T.check("threads: the directives a worker read decide the transaction mode",
            hit == want, f"concurrent-in-transaction on {hit}, want {want}")
    T.check("threads: goose and dbmate down sections are not run",
            "error[drop-table]" not in out, out[-2000:])


def test_read_ahead_limits():
    same_everywhere("more than 4 MB ahead", big_files_history(),
                    ["lint", "--format=json", "m"], want_rc=1)
    same_everywhere("150 generated files", generated_history(),
                    ["lint", "--format=json", "--fail-on=none", "m"], want_rc=0)


def test_sqlite():
    same_everywhere("SQLite migrations", sqlite_history(),
                    ["lint", "--format=json", "m"], want_err=("m/0010_step.up.sql.sqlite",))


def test_report_thread():
    """Findings are written on a thread of their own (analyzer/outq.c)
    when threads are allowed and the report is not a terminal: in batches
    of 256, after the baseline is applied on the main thread."""
    d = generated_history()
    base = run(d, ["lint", "--format=json", "--fail-on=none", "m"], "1")
    T.check("generated history: more findings than one batch of the writer",
            base[1].count(b'"rule":') > 3 * 256, base[1][:200])
    for fmt in ("text", "sarif", "github", "junit", "gitlab", "markdown"):
        same_everywhere(f"150 generated files, {fmt} format", d,
                        ["lint", f"--format={fmt}", "--fail-on=none", "m"], want_rc=0)
    # a baseline that hides the findings of the files before 0080
    subprocess.run([MIGSAFE, "baseline", "-o", "bl.json", "m"] +
                   [os.path.join("m", f) for f in sorted(os.listdir(os.path.join(d, "m")))
                    if f < "0080"], cwd=d, capture_output=True, timeout=TIMEOUT)
    rc, out, _ = same_everywhere("150 generated files, --baseline", d,
                                 ["lint", "--format=json", "--baseline=bl.json", "m"])
    T.check("--baseline hides some findings, not all",
            b'"baselined": 0' not in out and b'"rule":' in out, out[-300:])
    old = os.environ.get("GITHUB_ACTIONS")
    os.environ["GITHUB_ACTIONS"] = "true"
    try:
        same_everywhere("text format with GitHub annotations", d,
                        ["lint", "--fail-on=none", "m"], want_rc=0)
    finally:
        if old is None:
            del os.environ["GITHUB_ACTIONS"]
        else:
            os.environ["GITHUB_ACTIONS"] = old
    outs = []
    for threads in SETTINGS:
        path = os.path.join(d, f"out-{threads}.sarif")
        run(d, ["lint", "--format=sarif", "--fail-on=none", "-o", path, "m"], threads)
        with open(path, "rb") as fh:
            outs.append(fh.read())
    T.check("-o FILE: the same file with every MIGSAFE_THREADS",
            all(o == outs[0] for o in outs) and len(outs[0]) > 1000)


def peak_threads(cwd, args, threads):
    """The most threads the process had at once (polling /proc)."""
    env = {k: v for k, v in os.environ.items() if k != "MIGSAFE_THREADS"}
    env["MIGSAFE_THREADS"] = threads
    p = subprocess.Popen([MIGSAFE, *args], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    peak = 0
    while p.poll() is None:
        try:
            peak = max(peak, len(os.listdir(f"/proc/{p.pid}/task")))
        except OSError:
            pass
        time.sleep(0.002)
    return peak


def test_workers_run():
    if not os.path.isdir("/proc/self/task"):
        T.check("worker threads # SKIP no /proc", True)
        return
    d = big_files_history()
    args = ["lint", "--format=json", "m"]
    peak = {n: peak_threads(d, args, n) for n in ("1", "2", "3", "4")}
    # a sanitizer's runtime may start a thread of its own with the first
    # worker (TSan does): count from MIGSAFE_THREADS=1's
    T.check("MIGSAFE_THREADS=N: N threads at most, the others than the main one used",
            peak["1"] == 1 and all(peak["1"] < peak[n] <= int(n) + peak["1"] - 1
                                   for n in ("2", "3", "4"))
            and peak["4"] - peak["1"] >= 2,
            f"peak threads: {peak}")


def test_bad_setting():
    d = golang_history()
    rc, out, err = run(d, ["lint", "--format=json", "m"], "lots")
    base = run(d, ["lint", "--format=json", "m"], "1")
    T.check("MIGSAFE_THREADS=lots: a warning naming it",
            b"MIGSAFE_THREADS='lots'" in err, err.decode(errors="replace"))
    T.check("MIGSAFE_THREADS=lots: otherwise the same output",
            rc == base[0] and out == base[1] and
            err.replace(b"migsafe: warning: ignoring MIGSAFE_THREADS='lots': not a positive"
                        b" number\n", b"") == base[2], first_difference(base, (rc, out, err)))


def main():
    if not MIGSAFE or not os.access(MIGSAFE, os.X_OK):
        print("usage: t_threads.py path/to/migsafe", file=sys.stderr)
        return 2
    try:
        test_errors_in_between()
        test_layout_from_content()
        test_read_ahead_limits()
        test_sqlite()
        test_bad_setting()
        test_report_thread()
        test_workers_run()
    finally:
        for d in TMPDIRS:
            shutil.rmtree(d, ignore_errors=True)
    return T.finish()


if __name__ == "__main__":
    sys.exit(main())
