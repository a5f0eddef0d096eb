#!/usr/bin/env python3
"""The same number of statements in fewer, bigger files: peak memory and time.

    bench/shapes.py [--migsafe build-bench/migsafe] [--statements 200000]
                    [--files 10000,1000,100,10,1] [--runs 3]

bench/run.sh measures 200,000 statements as 10,000 files, 20 to a file,
as the performance issue describes. Other histories put more into a
file: a squashed baseline, a schema dump, monthly migrations. Here
bench/gen_history.py writes --statements statements into each number
of files of --files, and migsafe lints each history (--format=json;
medians of --runs). Printed per shape: statements per file, CPU and
wall seconds, peak RSS, and each against the first shape.

What grows with the file: a file's statements are all held while it is
linted (rules read across the file), and up to 1 MB of text past it is
read and parsed ahead on worker threads; each thread's malloc arena
keeps what it held at its peak. A flagged line (RSS over 100 MB) is not
a failure of the benchmark's target, which is measured on 20-statement
files; it is printed to keep the limit in view.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def generate(d, files, statements):
    subprocess.run([sys.executable, os.path.join(HERE, "gen_history.py"),
                    "--files", str(files), "--statements", str(statements), d],
                   check=True, stdout=subprocess.DEVNULL)


def run_once(migsafe, d):
    t0 = time.perf_counter()
    p = subprocess.Popen([migsafe, "lint", "--format=json", "--fail-on=none", d],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) > 1:
        sys.exit(f"shapes: migsafe failed on {d} (status {status})")
    return ru.ru_utime + ru.ru_stime, wall, ru.ru_maxrss / 1024.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--migsafe", default=os.path.join(HERE, "..", "build-bench", "migsafe"))
    ap.add_argument("--statements", type=int, default=200000)
    ap.add_argument("--files", default="10000,1000,100,10,1")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    shapes = [int(f) for f in a.files.split(",")]
    tmp = tempfile.mkdtemp(prefix="migsafe-shapes-")
    rows = []
    try:
        for files in shapes:
            d = os.path.join(tmp, f"f{files}")
            generate(d, files, a.statements)
            runs = [run_once(a.migsafe, d) for _ in range(a.runs)]
            rows.append((files, statistics.median(r[0] for r in runs),
                         statistics.median(r[1] for r in runs), max(r[2] for r in runs)))
            shutil.rmtree(d)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{a.statements} statements; migsafe lint --format=json, median of {a.runs} runs"
          " (RSS: the highest)")
    print(f"{'files':>7} {'stmts/file':>10} {'cpu s':>7} {'wall s':>7} {'RSS MB':>7}"
          f" {'cpu x':>6} {'RSS x':>6}")
    base = rows[0]
    for files, cpu, wall, rss in rows:
        flag = "  <- over 100 MB" if rss >= 100 else ""
        print(f"{files:>7} {a.statements // files:>10} {cpu:>7.2f} {wall:>7.2f} {rss:>7.1f}"
              f" {cpu / base[1]:>6.2f} {rss / base[3]:>6.2f}{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
