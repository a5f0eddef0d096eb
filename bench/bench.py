#!/usr/bin/env python3
"""migsafe benchmark: throughput against the parse floor and squawk,
peak memory, scaling, and the pre-commit case. Driven by bench/run.sh,
which builds the programs; run that, not this.

    bench/bench.py --migsafe BIN --floor BIN [--squawk BIN] [options]

Inputs: two synthetic golang-migrate histories (bench/gen_history.py,
seeded: 1,000 files / 20,000 statements and 10,000 files / 200,000
statements) and every PostgreSQL history in ../shared/corpora (when that
directory exists). For each input the programs run in turn, round
after round (a noisy stretch of the machine then slows each of them
alike), and each figure is the median of a program's --runs runs (fewer
when one run is slower than --slow seconds; a run is killed after
--timeout seconds and its figures are printed as bounds). Wall time is perf_counter around the run, user+sys
CPU comes from wait4() on the child, peak RSS from GNU time's %M.

"floor" is bench/parse_floor: read + pg_query_parse + cJSON decode of the
same files, one thread - the least CPU any linter on libpg_query's public
API spends (reference/parse-costs.md). Ratios matter, not absolute times:
the machines are shared and noisy.
"""

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPORA = os.environ.get("MIGSAFE_CORPORA") or os.path.normpath(
    os.path.join(ROOT, "..", "shared", "corpora"))

GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None

TARGET_CPU_RATIO = 1.5      # lint CPU / parse floor CPU
TARGET_SQUAWK = 3.0         # squawk wall / migsafe wall
TARGET_SCALING = 11.0       # time(10x input) / time(input)
TARGET_RSS_MB = 100         # peak RSS on 200,000 statements
TARGET_PRECOMMIT = 3.0      # one file in a 2,000-file history / one file alone


class Run:
    def __init__(self, wall, cpu, rss_kb, rc, out=None):
        self.wall, self.cpu, self.rss_kb, self.rc, self.out = wall, cpu, rss_kb, rc, out


def kill_run(pid):
    """Kill what runs under GNU time (so that time reaps it and reports
    its CPU), or the process itself; then anything left in its group."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            kids = [int(k) for k in f.read().split()]
    except OSError:
        kids = []
    for k in kids or [pid]:
        try:
            os.kill(k, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if kids:
        time.sleep(0.2)
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_once(cmd, cwd=None, stdout_path=None, env=None, timeout=None):
    """Run cmd; measure wall, CPU (user+sys) and peak RSS of that child.
    After 'timeout' seconds the child is killed and the Run says so."""
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    err = tempfile.TemporaryFile()
    rss_file = None
    if GNU_TIME:
        # a forked child keeps the RSS high-water mark of the process it
        # was forked from (this harness) across exec; GNU time's own child
        # starts from a small process, so its %M is the program's own
        fd, rss_file = tempfile.mkstemp(prefix="bench-rss-")
        os.close(fd)
        cmd = [GNU_TIME, "-f", "%M", "-o", rss_file] + list(cmd)
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env=env,
                         start_new_session=True)
    timed_out = False
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if timeout and time.perf_counter() - t0 > timeout:
            kill_run(p.pid)
            pid, status, ru = os.wait4(p.pid, 0)
            timed_out = True
            break
        time.sleep(0.002)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if stdout_path:
        out.close()
    err.seek(0)
    rss = ru.ru_maxrss
    if rss_file:
        with open(rss_file) as f:
            words = f.read().split()
        os.unlink(rss_file)
        if words and words[-1].isdigit():
            rss = int(words[-1])
    r = Run(wall, ru.ru_utime + ru.ru_stime, rss, p.returncode,
            err.read().decode(errors="replace"))
    err.close()
    r.timed_out = timed_out
    return r


def measure(cmd, a, ok_rcs=(0, 1), cwd=None, stdout_path=None, runs=None):
    """Median of up to a.runs runs; stops early after a run slower than
    a.slow seconds, or killed after a.timeout seconds (then .timed_out:
    the figures are lower bounds)."""
    results = []
    for i in range(runs or a.runs):
        r = run_once(cmd, cwd=cwd, stdout_path=stdout_path if i == 0 else None,
                     timeout=a.timeout)
        if r.timed_out:
            r.n = 1
            return r
        if r.rc not in ok_rcs:
            msg = (r.out or "").strip().splitlines()
            raise RuntimeError(f"{os.path.basename(cmd[0])} exited {r.rc}: "
                               f"{msg[-1] if msg else ''}")
        results.append(r)
        if r.wall > a.slow:
            break
    return median_run(results)


def median_run(results):
    med = Run(statistics.median(r.wall for r in results),
              statistics.median(r.cpu for r in results),
              max(r.rss_kb for r in results), results[0].rc)
    med.n = len(results)
    med.timed_out = False
    return med


def measure_interleaved(jobs, a):
    """jobs: {key: (cmd, kwargs)} with measure()'s cwd, ok_rcs and
    stdout_path. Round after round, each command runs once in turn, so a
    stretch of a noisy machine slows all of them alike (run back to back,
    one command's runs could all fall in it); the median of each. A
    command is not repeated after a run slower than a.slow, nor after a
    timeout (then that run is its result)."""
    results = {k: [] for k in jobs}
    stopped = {}
    for i in range(a.runs):
        for k, (cmd, kw) in jobs.items():
            if k in stopped:
                continue
            r = run_once(cmd, cwd=kw.get("cwd"),
                         stdout_path=kw.get("stdout_path") if i == 0 else None,
                         timeout=a.timeout)
            if r.timed_out:
                r.n = 1
                stopped[k] = r
                continue
            if r.rc not in kw.get("ok_rcs", (0, 1)):
                msg = (r.out or "").strip().splitlines()
                raise RuntimeError(f"{os.path.basename(cmd[0])} exited {r.rc}: "
                                   f"{msg[-1] if msg else ''}")
            results[k].append(r)
            if r.wall > a.slow:
                stopped[k] = None
    return {k: stopped[k] if stopped.get(k) else median_run(results[k]) for k in jobs}


# ---- inputs ------------------------------------------------------------

class Input:
    def __init__(self, name, lint_paths, files):
        self.name = name
        self.lint_paths = lint_paths     # what migsafe is given
        self.files = files               # the up files (floor, squawk)


def up_files(paths):
    """The files a migration tool runs: *.sql but not down files."""
    out = []
    for p in paths:
        for d, dirs, names in os.walk(p):
            dirs.sort()
            for n in sorted(names):
                if n.endswith(".sql") and not n.endswith(".down.sql") and n != "down.sql":
                    out.append(os.path.join(d, n))
    return out


def dump(tmp, small):
    """The small history as one file, as a schema dump is (big files are
    parsed in runs of statements: memory must not grow with the file)."""
    d = os.path.join(tmp, "dump")
    os.makedirs(d)
    path = os.path.join(d, "000001_dump.up.sql")
    with open(path, "wb") as out:
        for f in small.files:
            with open(f, "rb") as src:
                out.write(src.read() + b"\n")
    return Input("dump", [d], [path])


def corpus_inputs():
    """PostgreSQL histories of ../shared/corpora (those with pg_schema.sql)."""
    if not os.path.isdir(CORPORA):
        return []
    out = []
    for name in sorted(os.listdir(CORPORA)):
        d = os.path.join(CORPORA, name)
        mig = os.path.join(d, "migrations")
        if not os.path.exists(os.path.join(d, "pg_schema.sql")) or not os.path.isdir(mig):
            continue
        entries = sorted(os.listdir(mig))
        subdirs = [os.path.join(mig, e) for e in entries if os.path.isdir(os.path.join(mig, e))]
        direct_sql = any(e.endswith(".sql") for e in entries)
        # a few directories holding the files themselves are Flyway-style
        # locations merged by version; many directories are one per migration
        if not direct_sql and 1 < len(subdirs) <= 5 and all(
                any(f.endswith(".sql") for f in os.listdir(s)) for s in subdirs):
            paths = subdirs
        else:
            paths = [mig]
        out.append(Input(name, paths, up_files(paths)))
    return out


def generate(tmp, name, files, statements, seed):
    d = os.path.join(tmp, name)
    subprocess.run([sys.executable, os.path.join(HERE, "gen_history.py"), d,
                    "--files", str(files), "--statements", str(statements),
                    "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
    return Input(name, [d], up_files([d]))


# ---- measuring ---------------------------------------------------------

def write_list(tmp, inp):
    path = os.path.join(tmp, f"{inp.name}.list")
    with open(path, "w") as f:
        f.write("\n".join(inp.files) + "\n")
    return path


def lint_cmd(a, paths):
    return [a.migsafe, "lint", "--format=json", "--fail-on=none"] + paths


def bench_input(a, tmp, inp):
    row = {"name": inp.name, "files": len(inp.files)}
    out = os.path.join(tmp, f"{inp.name}.json")
    lst = write_list(tmp, inp)
    jobs = {"migsafe": (lint_cmd(a, inp.lint_paths), {"stdout_path": out}),
            "floor": ([a.floor, "@" + lst], {"ok_rcs": (0,),
                                             "stdout_path": os.path.join(tmp, "floor.out")})}
    if a.squawk:
        # relative names keep the command line short; squawk exits 1 on findings
        base = os.path.commonpath(inp.files) if len(inp.files) > 1 else os.path.dirname(inp.files[0])
        rel = [os.path.relpath(p, base) for p in inp.files]
        jobs["squawk"] = ([a.squawk, "--reporter", "json"] + rel, {"cwd": base, "ok_rcs": (0, 1)})
    res = measure_interleaved(jobs, a)
    m, fl = res["migsafe"], res["floor"]
    with open(os.path.join(tmp, "floor.out")) as f:
        nfiles, nstmts, nbytes, nerr = (int(x) for x in f.read().split())
    row["floor"], row["floor_stmts"], row["bytes"], row["floor_errors"] = fl, nstmts, nbytes, nerr
    row["stmts"] = nstmts
    if not m.timed_out:
        with open(out) as f:
            row["stmts"] = json.load(f)["summary"]["statements"]
    row["migsafe"] = m
    if a.squawk:
        row["squawk"] = res["squawk"]
    if a.text_rss and inp.name == "large" and not m.timed_out:
        # the default format streams; json builds its document in memory
        row["text"] = measure([a.migsafe, "lint", "--fail-on=none", "-o", "/dev/null"]
                              + inp.lint_paths, a, runs=1)
    return row


def precommit(a, tmp):
    """One changed file in a 2,000-file history vs that file alone."""
    inp = generate(tmp, "precommit", 2000, 40000, 3)
    last = inp.files[-1]
    single = os.path.join(tmp, "precommit-single")
    os.makedirs(single)
    shutil.copy(last, single)
    # --cache: the first run replays and stores the history before the
    # file, the measured ones load it (the cache lives in tmp, not ~/.cache).
    # A file changed (ctime) within a second of the key is hashed on every
    # load until a run rewrites the key (analyzer/cache.h): in real use the
    # history was written long before, so let a second pass first (else
    # whether the measured runs rehash all 2,000 files depends on how long
    # the measurements below took: 0.019 s or 0.034-0.042 s, 30 or 40 MB)
    time.sleep(max(0.0, 1.1 - (time.time() - os.stat(last).st_ctime)))
    cached = lint_cmd(a, ["--cache=" + os.path.join(tmp, "precommit-cache"), last])
    warm = run_once(cached, timeout=a.timeout)
    res = {"history": measure(lint_cmd(a, [last]), a),
           "single": measure(lint_cmd(a, [single]), a),
           "full": measure(lint_cmd(a, inp.lint_paths), a, runs=1),
           "file": os.path.basename(last)}
    # one more run, as the hook's second run in real use
    if not warm.timed_out:
        warm = run_once(cached, timeout=a.timeout)
    res["cached"] = measure(cached, a) if not warm.timed_out else warm
    if a.squawk:
        res["squawk"] = measure([a.squawk, "--reporter", "json", os.path.basename(last)],
                                a, cwd=os.path.dirname(last))
    return res


# ---- printing ----------------------------------------------------------

def fmt_s(x):
    return f"{x:.3f}" if x < 10 else f"{x:.2f}" if x < 100 else f"{x:.1f}"


def t(run, attr):
    """A time cell; '>' marks a run killed at the timeout (a lower bound)."""
    v = getattr(run, attr)
    return (">" if run.timed_out else "") + fmt_s(v)


def ratio(x, y, lower=False, upper=False):
    if not y:
        return "-"
    r = x / y
    return (">" if lower else "<" if upper else "") + (f"{r:.1f}x" if r >= 1 else f"{r:.2f}x")


def kstmt(stmts, run):
    if run.cpu <= 0:
        return "-"
    return ("<" if run.timed_out else "") + f"{stmts / run.cpu / 1000:.1f}"


COLS = (("input", 13), ("stmts", 7), ("mig wall", 9), ("mig cpu", 8), ("mig RSS", 8),
        ("mig kst/s", 9), ("floor cpu", 9), ("floor kst/s", 11), ("cpu/floor", 9),
        ("sq wall", 8), ("sq cpu", 8), ("sq kst/s", 8), ("sq/mig wall", 11))


def row_line(cells):
    return "  ".join(c.rjust(n) if i else c.ljust(n)
                     for i, (c, (_, n)) in enumerate(zip(cells, COLS)))


def print_table(rows):
    line = row_line([h for h, _ in COLS])
    print(line)
    print("-" * len(line))
    for r in rows:
        m, fl, sq = r["migsafe"], r["floor"], r.get("squawk")
        cells = [r["name"], str(r["stmts"]), t(m, "wall"), t(m, "cpu"),
                 (">" if m.timed_out else "") + f"{m.rss_kb / 1024:.1f}M",
                 kstmt(r["stmts"], m), t(fl, "cpu"), kstmt(r["stmts"], fl),
                 ratio(m.cpu, fl.cpu, lower=m.timed_out),
                 t(sq, "wall") if sq else "n/a", t(sq, "cpu") if sq else "n/a",
                 kstmt(r["stmts"], sq) if sq else "n/a",
                 ratio(sq.wall, m.wall, upper=m.timed_out) if sq else "n/a"]
        runs = {m.n, fl.n} | ({sq.n} if sq else set())
        note = "" if runs == {3} else f"  (runs: {min(runs)}-{max(runs)})"
        if m.timed_out:
            note += "  (migsafe killed at the timeout)"
        if not m.timed_out and r["floor_stmts"] != r["stmts"]:
            note += f"  (floor counted {r['floor_stmts']} statements)"
        if r["floor_errors"]:
            note += f"  ({r['floor_errors']} files do not parse)"
        print(row_line(cells) + note)
    print("mig = migsafe lint --format=json; floor = read + pg_query_parse + cJSON, one thread;"
          " sq = squawk --reporter json.\nkst/s = thousand statements per CPU second;"
          " RSS = peak resident set; seconds, median of the runs.")


def verdict(ok):
    return "PASS" if ok else "FAIL"


def scaling_runs(a, small, large):
    """migsafe on the small and the large history alternately, round
    after round (seven rounds at least): the scaling target's figure. Measured each in its own
    block (the table), a stretch of noise that falls in one block and not
    the other moves their ratio by a tenth and more."""
    b = argparse.Namespace(**vars(a))
    b.runs = max(a.runs, 7)
    res = measure_interleaved({"small": (lint_cmd(a, small.lint_paths), {}),
                               "large": (lint_cmd(a, large.lint_paths), {})}, b)
    return res["small"], res["large"]


def print_scaling(small, large, a, alternated):
    ms, ml = small["migsafe"], large["migsafe"]
    k = large["stmts"] / small["stmts"]
    if alternated:
        s, l = alternated
        gt = ">" if l.timed_out else ""
        cpu_sc = l.cpu / s.cpu
        print(f"  scaling small->large ({k:.0f}x statements), the two run alternately:"
              f" migsafe CPU {gt}{cpu_sc:.1f}x, wall {gt}{l.wall / s.wall:.1f}x"
              f"   target <= {TARGET_SCALING:.0f}x:"
              f" {verdict(cpu_sc <= TARGET_SCALING and not l.timed_out)}")
    gt = ">" if ml.timed_out else ""
    line = (f"  scaling from the table (each history in its own block): migsafe CPU"
            f" {gt}{ml.cpu / ms.cpu:.1f}x, wall {gt}{ml.wall / ms.wall:.1f}x; floor CPU"
            f" {large['floor'].cpu / small['floor'].cpu:.1f}x")
    if a.squawk:
        line += f"; squawk wall {large['squawk'].wall / small['squawk'].wall:.1f}x"
    print(line)
    rss = ml.rss_kb / 1024
    txt = large.get("text")
    extra = f" (--format=text: {txt.rss_kb / 1024:.1f} MB)" if txt else ""
    best = min(rss, txt.rss_kb / 1024) if txt else rss
    print(f"  peak RSS on {large['stmts']} statements: {'>' if ml.timed_out else ''}{rss:.1f} MB"
          f" with --format=json{extra}   target < {TARGET_RSS_MB} MB:"
          f" {verdict(best < TARGET_RSS_MB and not ml.timed_out)}")


def print_targets(rows, pc, a, alternated=None):
    by = {r["name"]: r for r in rows}
    print("\nTargets")
    small, large = by.get("small"), by.get("large")
    if small and large:
        print_scaling(small, large, a, alternated)
    for r in (small, large):
        if not r:
            continue
        m = r["migsafe"]
        rt = m.cpu / r["floor"].cpu
        gt = ">" if m.timed_out else ""
        print(f"  CPU / parse floor ({r['name']}): {gt}{rt:.1f}x"
              f"   target <= {TARGET_CPU_RATIO}x: {verdict(rt <= TARGET_CPU_RATIO)}")
        if a.squawk:
            sr = r["squawk"].wall / m.wall
            print(f"  squawk wall / migsafe wall ({r['name']}): {'<' if gt else ''}{sr:.2f}x"
                  f"   target >= {TARGET_SQUAWK:.0f}x: {verdict(sr >= TARGET_SQUAWK)}")
    if pc:
        h, s, f = pc["history"], pc["single"], pc["full"]
        rt = h.wall / s.wall
        print(f"  pre-commit: {pc['file']} named in a 2,000-file history (40,000 statements):"
              f" wall {t(h, 'wall')} s, CPU {t(h, 'cpu')} s, RSS {h.rss_kb / 1024:.1f}M;"
              f" the file alone: wall {t(s, 'wall')} s; the whole history: wall"
              f" {t(f, 'wall')} s" + (f"; squawk on the file: wall {t(pc['squawk'], 'wall')} s"
                                      if a.squawk else ""))
        print(f"  without --cache (all 1,999 earlier files replayed) / single file:"
              f" {'>' if h.timed_out else ''}{rt:.1f}x   for reference: the hook passes --cache")
        c = pc["cached"]
        ct = c.wall / s.wall
        print(f"  pre-commit as the hook runs it, --cache (the history before the file loaded,"
              f" not replayed): wall {t(c, 'wall')} s, CPU {t(c, 'cpu')} s,"
              f" RSS {c.rss_kb / 1024:.1f}M; / single file: {'>' if c.timed_out else ''}{ct:.1f}x"
              f"   target <= {TARGET_PRECOMMIT:.0f}x (a small multiple) and < 1 s:"
              f" {verdict(ct <= TARGET_PRECOMMIT and c.wall < 1 and not c.timed_out)}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--migsafe", required=True)
    ap.add_argument("--floor", required=True)
    ap.add_argument("--squawk", help="squawk binary (omit to skip squawk)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--slow", type=float, default=30.0,
                    help="after a run slower than this (s), stop repeating it")
    ap.add_argument("--timeout", type=float, default=120.0,
                    help="kill a run after this many seconds (its figures become bounds)")
    ap.add_argument("--no-text-rss", dest="text_rss", action="store_false",
                    help="skip the extra --format=text run that measures streaming memory")
    ap.add_argument("--quick", action="store_true",
                    help="only the small history, the corpora and pre-commit; one run")
    ap.add_argument("--keep", action="store_true", help="keep the generated histories")
    a = ap.parse_args()
    if a.quick:
        a.runs = 1
    t_start = time.perf_counter()
    tmp = tempfile.mkdtemp(prefix="migsafe-bench-")
    try:
        print(f"migsafe benchmark: {a.migsafe}; histories in {tmp}", flush=True)
        print("squawk: " + (a.squawk or "not installed (skipped)"), flush=True)
        inputs = [generate(tmp, "small", 1000, 20000, 1)]
        if not a.quick:
            inputs.append(generate(tmp, "large", 10000, 200000, 2))
            inputs.append(dump(tmp, inputs[0]))
        inputs += corpus_inputs()
        rows = []
        for inp in inputs:
            print(f"  measuring {inp.name} ({len(inp.files)} files)...", file=sys.stderr,
                  flush=True)
            rows.append(bench_input(a, tmp, inp))
        alternated = None
        if not a.quick:
            print("  measuring scaling (small and large alternately)...", file=sys.stderr,
                  flush=True)
            alternated = scaling_runs(a, inputs[0], inputs[1])
        print("  measuring pre-commit...", file=sys.stderr, flush=True)
        pc = precommit(a, tmp)
        print()
        print_table(rows)
        print_targets(rows, pc, a, alternated)
        print(f"\n(total {time.perf_counter() - t_start:.0f} s; median of {a.runs} runs,"
              f" fewer for runs over {a.slow:.0f} s; runs killed after {a.timeout:.0f} s)")
    finally:
        if a.keep:
            print(f"histories kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
