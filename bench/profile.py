#!/usr/bin/env python3
"""Where migsafe's time goes on a synthetic history. Driven by
bench/run.sh --profile [small|large]; run that, not this.

    bench/profile.py --migsafe BIN --sqlprof LIB --out DIR [--size large]

1. perf record (sampling, DWARF call graphs) of one 'migsafe lint' run;
   prints the top 15 functions by self time, the split by library, and
   the top 15 of migsafe's own functions by inclusive time (what calls
   into SQLite and libpg_query). Falls back to valgrind --tool=callgrind
   (instruction counts, on at most the small history) when perf cannot
   record here.
2. A second run under the sqlprof LD_PRELOAD shim (bench/sqlprof.c), of
   --sqlprof-migsafe (a build on Debian's shared SQLite: the shim cannot
   see calls into the SQLite linked into migsafe):
   CPU per distinct catalog SQL statement, with call counts and SQLite's
   query plan - a "SCAN" in a plan on a hot statement is a missing index.

Reports are written to DIR (perf.data, perf-self.txt, perf-children.txt,
sqlprof.txt, or callgrind.out).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SIZES = {"small": (1000, 20000, 1), "large": (10000, 200000, 2)}


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def perf_works():
    if not shutil.which("perf"):
        return False
    r = subprocess.run(["perf", "record", "-o", "/dev/null", "-q", "true"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return r.returncode == 0


def report_rows(text):
    """(percent columns..., rest) from 'perf report --stdio' lines."""
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = re.match(r"\s*((?:[\d.]+%\s+)+)(.*)$", line)
        if m:
            pcts = [float(x.rstrip("%")) for x in m.group(1).split()]
            rows.append((pcts, m.group(2).strip()))
    return rows


def perf_profile(a, cmd, hist):
    data = os.path.join(a.out, "perf.data")
    freq = "199" if a.size == "large" else "999"
    t0 = time.perf_counter()
    sh(["perf", "record", "-q", "-F", freq, "--call-graph", "dwarf,8192", "-o", data, "--"]
       + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"perf record: {time.perf_counter() - t0:.1f} s wall (with sampling overhead)")

    def report(*args):
        return subprocess.run(["perf", "report", "-i", data, "--stdio", "-q"] + list(args),
                              capture_output=True, text=True).stdout

    self_txt = report("--no-children", "--sort", "sym,dso", "-g", "none",
                      "--percent-limit", "0.2")
    with open(os.path.join(a.out, "perf-self.txt"), "w") as f:
        f.write(self_txt)
    print("\nTop 15 functions by self time (perf, % of samples):")
    for pcts, rest in report_rows(self_txt)[:15]:
        print(f"  {pcts[0]:6.2f}%  {rest}")

    # the main thread replays and lints, migsafe-read parses ahead,
    # migsafe-report writes the report: the wall time is at least the
    # busiest thread's time
    comm_txt = report("--no-children", "--sort", "comm", "-g", "none")
    print("\nBy thread (self time; migsafe is the main thread):")
    for pcts, rest in report_rows(comm_txt)[:4]:
        print(f"  {pcts[0]:6.2f}%  {rest}")

    dso_txt = report("--no-children", "--sort", "dso", "-g", "none")
    print("\nBy library (self time):")
    for pcts, rest in report_rows(dso_txt)[:8]:
        print(f"  {pcts[0]:6.2f}%  {rest}")

    ch_txt = report("--children", "--sort", "sym", "-g", "none", "--percent-limit", "1")
    with open(os.path.join(a.out, "perf-children.txt"), "w") as f:
        f.write(ch_txt)
    own = own_functions(a.migsafe)
    skip = {"main", "cmd_lint", "lint_run", "run_files"}
    print("\nTop migsafe functions by inclusive time (with what they call; children %, self %):")
    n = 0
    for pcts, rest in report_rows(ch_txt):
        name = rest.split("]", 1)[-1].strip()
        base = name.replace(" (inlined)", "")
        # static functions inlined away are not in nm's list; perf names
        # them from migsafe's debug info (libc's own start with '_')
        mine = base in own or (base != name and not base.startswith("_"))
        if base in skip or base.startswith("_") or not mine or len(pcts) < 2:
            continue
        print(f"  {pcts[0]:6.2f}%  {pcts[1]:6.2f}%  {name}")
        n += 1
        if n == 15:
            break
    print("  (inclusive shares overlap: a function's share includes its callees')")


def own_functions(binary):
    """Names of the functions defined in the migsafe binary (nm)."""
    r = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True)
    return {line.split()[-1] for line in r.stdout.splitlines()
            if len(line.split()) == 3 and line.split()[1] in "tT"}


def callgrind_profile(a, cmd):
    out = os.path.join(a.out, "callgrind.out")
    sh(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + cmd,
       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    txt = subprocess.run(["callgrind_annotate", out], capture_output=True, text=True).stdout
    print("\nTop 15 functions by instructions (callgrind):")
    rows = [l for l in txt.splitlines() if re.match(r"\s*[\d,]+ \(", l)]
    for l in rows[1:16]:
        print("  " + l.strip())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--migsafe", required=True)
    ap.add_argument("--sqlprof", required=True)
    ap.add_argument("--sqlprof-migsafe",
                    help="the migsafe for the sqlprof run, built on a shared libsqlite3")
    ap.add_argument("--out", required=True)
    ap.add_argument("--size", choices=SIZES, default="large")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="migsafe-profile-")
    try:
        files, stmts, seed = SIZES[a.size]
        hist = os.path.join(tmp, a.size)
        sh([sys.executable, os.path.join(HERE, "gen_history.py"), hist, "--files", str(files),
            "--statements", str(stmts), "--seed", str(seed)], stdout=subprocess.DEVNULL)
        cmd = [a.migsafe, "lint", "--format=json", "--fail-on=none", hist]
        print(f"profiling: {' '.join(cmd[:-1])} <{a.size} history: {files} files,"
              f" {stmts} statements>")
        if perf_works():
            perf_profile(a, cmd, hist)
        elif shutil.which("valgrind"):
            if a.size == "large":
                print("perf cannot record here; callgrind on the large history would take"
                      " too long, using the small one")
                hist = os.path.join(tmp, "small")
                files, stmts, seed = SIZES["small"]
                sh([sys.executable, os.path.join(HERE, "gen_history.py"), hist, "--files",
                    str(files), "--statements", str(stmts), "--seed", str(seed)],
                   stdout=subprocess.DEVNULL)
                cmd[-1] = hist
            callgrind_profile(a, cmd)
        else:
            print("neither perf nor valgrind is usable: no function profile")
        env = dict(os.environ, LD_PRELOAD=a.sqlprof, SQLPROF_TOP="15", SQLPROF_WIDTH="220",
                   SQLPROF_OUT=os.path.join(a.out, "sqlprof.txt"))
        # the shim interposes on a shared libsqlite3; the migsafe profiled
        # above has SQLite linked in (third_party/sqlite)
        subprocess.run([a.sqlprof_migsafe or a.migsafe] + cmd[1:], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print("\nCatalog SQL by time (sqlprof, on a migsafe built with Debian's shared"
              " SQLite; a SCAN in the plan of a hot statement is a missing index):")
        with open(os.path.join(a.out, "sqlprof.txt")) as f:
            sys.stdout.write(f.read())
        print(f"\nreports in {a.out}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
