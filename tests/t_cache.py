#!/usr/bin/env python3
"""--cache: the replayed history before the linted files, kept between
runs. Results with and without it are the same (findings, summary, exit
status) on real and synthetic histories; the cache is used when nothing
changed, partly when migrations were added after it, not at all when an
earlier file was edited, renamed or inserted; a damaged or forged cache
file is ignored; nothing is written without --cache; one file per
history directory.

Run as: python3 tests/t_cache.py path/to/migsafe
(MIGSAFE_SOURCE_DIR: the repo root; ../shared/corpora is used when there)
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.environ.get("MIGSAFE_SOURCE_DIR", os.getcwd())
MIGSAFE = os.path.abspath(sys.argv[1])
CORPORA = os.path.join(os.path.dirname(os.path.abspath(ROOT)), "shared", "corpora")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Harness, environ  # noqa: E402

T = Harness()
check = T.check
TMP = tempfile.mkdtemp(prefix="migsafe-cache-")
HOME = os.path.join(TMP, "home")      # HOME and XDG_CACHE_HOME of every run
os.makedirs(HOME)


def env(**extra):
    return environ(("MIGSAFE_CACHE", "XDG_CACHE_HOME", "MIGSAFE_DEBUG"),
                   {"HOME": HOME, "NO_COLOR": "1", "MIGSAFE_DEBUG": "1", **extra})


class Run:
    def __init__(self, p):
        self.rc, self.out, self.err = p.returncode, p.stdout, p.stderr
        self.restored = None      # (n, of) when the cache was used
        for line in self.err.splitlines():
            if "cache: restoring" in line:
                w = line.split()
                i = w.index("restoring")
                self.restored = (int(w[i + 1]), int(w[i + 3]))
        if "cache: miss: the cached state could not be restored" in self.err:
            self.restored = None
        self.stored = "cache: stored" in self.err

    def same(self, other):
        return (self.rc, self.out) == (other.rc, other.out)

    def __str__(self):
        return f"exit {self.rc}\n--- stdout\n{self.out}\n--- stderr\n{self.err}"


def lint(cwd, *args, fmt="json", **extra):
    p = subprocess.run([MIGSAFE, "lint", f"--format={fmt}", *args], cwd=cwd,
                       env=env(**extra), capture_output=True, text=True)
    return Run(p)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def age(directory, seconds=3600):
    """Make every file look old: the cache trusts their metadata."""
    t = time.time() - seconds
    for d, _, names in os.walk(directory):
        for n in names:
            os.utime(os.path.join(d, n), (t, t))


def listing(d):
    out = []
    for base, _, names in os.walk(d):
        out += [os.path.relpath(os.path.join(base, n), d) for n in names]
    return sorted(out)


def cache_files(d):
    return [f for f in listing(d) if f.endswith(".cache")] if os.path.isdir(d) else []


def diff(a, b):
    return f"without the cache:\n{a}\nwith it:\n{b}"


# ---- same results ---------------------------------------------------------

def same_results(name, cwd, target, cache, fmt="json", extra=()):
    """No cache, a cold cache (stored), a warm cache (restored): one result."""
    plain = lint(cwd, *extra, target, fmt=fmt)
    cold = lint(cwd, *extra, f"--cache={cache}", target, fmt=fmt)
    warm = lint(cwd, *extra, f"--cache={cache}", target, fmt=fmt)
    ok = plain.same(cold) and plain.same(warm)
    check(f"{name}: same {fmt} output and exit status with and without the cache",
          ok and plain.rc in (0, 1), diff(plain, warm if cold.same(plain) else cold))
    check(f"{name}: the second run restores the whole prefix", warm.restored is not None
          and warm.restored[0] == warm.restored[1] > 0, warm)
    return plain


# a history that carries state from file to file in every way the replay
# and the engine keep it: search_path set for the session, SET LOCAL
# (undone at the file's end), dropped relations, the tool's own table
STATEFUL = {
    "0001_schemas.up.sql": "CREATE SCHEMA app;\nCREATE SCHEMA audit;\n"
                           "CREATE TABLE public.users (id bigint PRIMARY KEY, email text);\n",
    "0002_path.up.sql": "SET search_path TO app, public;\n"
                        "CREATE TABLE accounts (id bigint PRIMARY KEY, owner bigint);\n",
    "0003_local.up.sql": "BEGIN;\nSET LOCAL search_path TO audit;\n"
                         "CREATE TABLE log (id bigint PRIMARY KEY, at timestamptz);\nCOMMIT;\n",
    "0004_drop.up.sql": "CREATE TABLE scratch (id int);\nDROP TABLE scratch;\n"
                        "ALTER TABLE schema_migrations ADD COLUMN note text;\n",
    "0005_more.up.sql": "ALTER TABLE accounts ADD COLUMN name varchar(200);\n"
                        "CREATE INDEX accounts_owner ON accounts (owner);\n",
    "0006_named.up.sql": "ALTER TABLE accounts ALTER COLUMN name TYPE varchar(50);\n"
                         "ALTER TABLE log ADD COLUMN who text NOT NULL;\n"
                         "DROP TABLE scratch;\nINSERT INTO scratch VALUES (1);\n"
                         "ALTER TABLE schema_migrations DROP COLUMN note;\n"
                         "CREATE INDEX accounts_owner2 ON accounts (owner);\n"
                         "ALTER TABLE accounts ADD CONSTRAINT fk FOREIGN KEY (owner)"
                         " REFERENCES users (id);\n",
}


def test_stateful():
    d = os.path.join(TMP, "stateful")
    for n, text in STATEFUL.items():
        write(os.path.join(d, "db", n), text)
    cache = os.path.join(TMP, "c-stateful")
    for fmt in ("json", "text"):
        plain = same_results("state carried between files", d, "db/0006_named.up.sql",
                             os.path.join(cache, fmt), fmt=fmt)
    check("state carried between files: the named file has findings that need it",
          all(r in plain.out for r in ("narrowing-type-change", "unknown-object")), plain)
    # a file in the middle: the prefix ends inside SET LOCAL's file's effects
    same_results("prefix ending after SET LOCAL", d, "db/0004_drop.up.sql",
                 os.path.join(TMP, "c-stateful-4"))
    # a custom rule places its findings by the catalog's file column: the
    # paths of the cached prefix come back with the image
    write(os.path.join(d, "where.json"), json.dumps({"custom_rules": [{
        "id": "where-created", "severity": "warning", "message": "{name} is here",
        "sql": "SELECT r.name, r.file, r.line FROM relations r WHERE r.kind = 'r'"
               " ORDER BY r.id"}]}))
    placed = same_results("custom rule reading file", d, "db/0006_named.up.sql",
                          os.path.join(TMP, "c-stateful-file"), fmt="text",
                          extra=("--config", "where.json"))
    check("custom rule reading file: findings placed in the earlier files",
          all(f"db/{n}:" in placed.out for n in ("0001_schemas.up.sql", "0002_path.up.sql",
                                                 "0003_local.up.sql")), placed)
    # partitions made in the cached prefix still take their parent's
    # new column (the catalog's record of which relations have children
    # comes back with the image)
    pd = os.path.join(TMP, "partitions")
    write(os.path.join(pd, "db", "0001_p.up.sql"),
          "CREATE TABLE p (a int, b int) PARTITION BY LIST (a);\n"
          "CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);\n")
    write(os.path.join(pd, "db", "0002_c.up.sql"),
          "ALTER TABLE p ADD COLUMN c int;\nCOMMENT ON COLUMN p1.c IS 'from p';\n")
    part = same_results("partitions in the cached prefix", pd, "db/0002_c.up.sql",
                        os.path.join(TMP, "c-partitions"), fmt="text")
    check("partitions in the cached prefix: p1 has the new column",
          "unknown-object" not in part.out, part)


def test_histories():
    for name in sorted(os.listdir(os.path.join(ROOT, "tests", "histories"))):
        src = os.path.join(ROOT, "tests", "histories", name)
        d = os.path.join(TMP, "h-" + name)
        shutil.copytree(src, os.path.join(d, "m"))
        ups = sorted(f for f in os.listdir(os.path.join(d, "m")) if f.endswith(".up.sql"))
        for target in (ups[-1], ups[len(ups) // 2]):
            same_results(f"tests/histories/{name} {target}", d, f"m/{target}",
                         os.path.join(TMP, "c-h-" + name + target))


def corpus_targets():
    """(name, dir to run in, path to lint): the newest migration of each
    PostgreSQL corpus (of its larger location when there are several)."""
    out = []
    if not os.path.isdir(CORPORA):
        return out
    for name in sorted(os.listdir(CORPORA)):
        mig = os.path.join(CORPORA, name, "migrations")
        if not os.path.exists(os.path.join(CORPORA, name, "pg_schema.sql")):
            continue
        files = []
        for base, _, names in os.walk(mig):
            files += [os.path.join(base, n) for n in names
                      if n.endswith(".sql") and not n.endswith(".down.sql")
                      and n != "down.sql"]
        by_dir = {}
        for f in files:
            by_dir.setdefault(os.path.dirname(f), []).append(f)
        biggest = max(by_dir.values(), key=len)
        target = sorted(biggest)[-1] if len(by_dir) <= 5 else sorted(files)[-1]
        out.append((name, mig, os.path.relpath(target, mig)))
    return out


def test_corpora():
    targets = corpus_targets()
    if not targets:
        print(f"# {CORPORA} not found: real histories skipped")
    for name, mig, target in targets:
        same_results(f"corpus {name} ({target})", mig, target,
                     os.path.join(TMP, "c-corpus-" + name))


def test_generated():
    d = os.path.join(TMP, "gen")
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_history.py"), d,
                    "--files", "300", "--seed", "7"], check=True, stdout=subprocess.DEVNULL)
    ups = sorted(f for f in os.listdir(d) if f.endswith(".up.sql"))
    for target in (ups[-1], ups[150]):
        same_results(f"generated 300-file history, {target} named", TMP,
                     os.path.join("gen", target), os.path.join(TMP, "c-gen"))


# ---- hits and misses ------------------------------------------------------

def small_history(name):
    d = os.path.join(TMP, name)
    write(os.path.join(d, "m", "0010_users.up.sql"),
          "CREATE TABLE users (id bigint PRIMARY KEY, email text, name varchar(100));\n")
    write(os.path.join(d, "m", "0020_orders.up.sql"),
          "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n")
    write(os.path.join(d, "m", "0030_more.up.sql"),
          "ALTER TABLE orders ADD COLUMN total numeric;\n")
    write(os.path.join(d, "m", "0090_new.up.sql"),
          "ALTER TABLE users ALTER COLUMN name TYPE varchar(50);\n"
          "ALTER TABLE orders ADD COLUMN note text NOT NULL;\n")
    age(d)
    time.sleep(1.1)     # their ctime is old enough to be trusted
    return d


def expect(name, run, plain, restored):
    check(f"{name}: same result as without the cache", run.same(plain), diff(plain, run))
    check(f"{name}: {'restores ' + str(restored) if restored else 'replays everything'}",
          run.restored == restored, run)


def test_hits_and_misses():
    d = small_history("hm")
    cache = os.path.join(TMP, "c-hm")
    target = "m/0090_new.up.sql"
    first = lint(d, f"--cache={cache}", target)
    check("first run: stores the prefix", first.stored and first.restored is None, first)
    again = lint(d, f"--cache={cache}", target)
    expect("nothing changed", again, lint(d, target), (3, 3))
    check("nothing changed: the cache file is not rewritten", not again.stored, again)

    # same size, mtime put back: only ctime and the content tell
    p = os.path.join(d, "m", "0010_users.up.sql")
    st = os.stat(p)
    write(p, "CREATE TABLE users (id bigint PRIMARY KEY, email text, name varchar(040));\n")
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
    check("test edit keeps the size", os.stat(p).st_size == st.st_size)
    edited = lint(d, f"--cache={cache}", target)
    expect("an earlier file edited (same size, same mtime)", edited, lint(d, target), None)
    check("the edit changes the findings", "narrowing-type-change" not in edited.out and
          "narrowing-type-change" in again.out, edited)
    expect("after the edit: the new prefix is cached", lint(d, f"--cache={cache}", target),
           lint(d, target), (3, 3))

    os.rename(os.path.join(d, "m", "0020_orders.up.sql"), os.path.join(d, "m", "0020_ord.up.sql"))
    expect("an earlier file renamed", lint(d, f"--cache={cache}", target), lint(d, target), None)

    write(os.path.join(d, "m", "0015_between.up.sql"), "CREATE TABLE tags (id int);\n")
    expect("a file inserted before others", lint(d, f"--cache={cache}", target),
           lint(d, target), None)

    write(os.path.join(d, "m", "0050_added.up.sql"),
          "ALTER TABLE orders DROP COLUMN total;\n")
    expect("a file added after the cached ones: the rest is replayed",
           lint(d, f"--cache={cache}", target), lint(d, target), (4, 5))
    expect("then the longer prefix is cached", lint(d, f"--cache={cache}", target),
           lint(d, target), (5, 5))

    expect("an earlier file named: the cache is for a longer prefix",
           lint(d, f"--cache={cache}", "m/0030_more.up.sql"), lint(d, "m/0030_more.up.sql"),
           None)
    expect("other options (--pg-version) miss", lint(d, f"--cache={cache}", "--pg-version=10",
           "m/0030_more.up.sql"), lint(d, "--pg-version=10", "m/0030_more.up.sql"), None)
    check("one cache file for the directory, however many runs", len(cache_files(cache)) == 1,
          listing(cache))

    # touched but not changed: recognised by content, key rewritten
    age(d, 7200)
    lint(d, f"--cache={cache}", target)
    os.utime(os.path.join(d, "m", "0010_users.up.sql"))
    touched = lint(d, f"--cache={cache}", target)
    expect("a file touched but not changed", touched, lint(d, target), (5, 5))
    check("a file touched: the key is rewritten", touched.stored, touched)


def test_files_recently_written():
    """Files written within the timestamp granularity are read every time."""
    d = os.path.join(TMP, "fresh")
    write(os.path.join(d, "m", "0001_a.up.sql"), "CREATE TABLE a (id int PRIMARY KEY, v text);\n")
    write(os.path.join(d, "m", "0002_b.up.sql"), "ALTER TABLE a ALTER COLUMN v SET NOT NULL;\n")
    cache = os.path.join(TMP, "c-fresh")
    lint(d, f"--cache={cache}", "m/0002_b.up.sql")
    p = os.path.join(d, "m", "0001_a.up.sql")
    st = os.stat(p)
    write(p, "CREATE TABLE a (id int PRIMARY KEY, v txt);\n")
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
    expect("a fresh file rewritten at once with the same size", lint(d, f"--cache={cache}",
           "m/0002_b.up.sql"), lint(d, "m/0002_b.up.sql"), None)


# ---- damaged and forged cache files ---------------------------------------

def checksum(data):
    """analyzer/cache.c's checksum, to forge a file that passes it."""
    m64 = (1 << 64) - 1

    def mix(h, w):
        h = ((h ^ w) * 0xff51afd7ed558ccd) & m64
        return h ^ (h >> 32)
    n = len(data)
    lane = [0x9e3779b97f4a7c15 ^ n, 1, 2, 3]
    full = n // 32 * 32
    words = struct.unpack_from(f"<{full // 8}Q", data)
    for i in range(0, len(words), 4):
        for j in range(4):
            lane[j] = mix(lane[j], words[i + j])
    tail = data[full:] + bytes(32 - (n - full))
    w = struct.unpack("<4Q", tail)
    h = lane[0]
    for j in range(4):
        h = mix(h, (mix(lane[j], w[j]) + j) & m64)
    return h


def sections(blob):
    """[tag, bytes] of each section, in the table's order."""
    n = struct.unpack_from("<I", blob, 20)[0]
    out = []
    for i in range(n):
        tag, _, off, ln = struct.unpack_from("<IIQQ", blob, 40 + 24 * i)
        out.append([tag, blob[off:off + ln]])
    return out


def assemble(blob, secs):
    """A cache file as migsafe lays it out (cache.h), with a good checksum."""
    at, offs = 40 + 24 * len(secs), []
    for _, data in secs:
        at = (at + 7) // 8 * 8
        offs.append(at)
        at += len(data)
    table = b"".join(struct.pack("<IIQQ", tag, 0, off, len(data))
                     for (tag, data), off in zip(secs, offs))
    body = bytearray(table)
    for (_, data), off in zip(secs, offs):
        body += bytes(off - 40 - len(body)) + data
    body = bytes(body)
    return blob[:20] + struct.pack("<IQQ", len(secs), 40 + len(body), checksum(body)) + body


def test_damaged():
    d = small_history("dmg")
    cache = os.path.join(TMP, "c-dmg")
    target = "m/0090_new.up.sql"
    plain = lint(d, target)
    lint(d, f"--cache={cache}", target)
    name = os.path.join(cache, cache_files(cache)[0])
    with open(name, "rb") as f:
        good = f.read()
    check("forging test: the checksum port agrees with migsafe's",
          assemble(good, sections(good)) == good)
    secs = sections(good)

    def forged(tag, data):
        s = [[t, data if t == tag else v] for t, v in secs]
        return assemble(good, s)
    import random
    rnd = random.Random(1)
    catalog = next(v for t, v in secs if t == 1)
    cases = {
        "truncated": good[:len(good) // 2],
        "empty": b"",
        "one byte flipped": good[:len(good) // 2] + bytes([good[len(good) // 2] ^ 0x40])
        + good[len(good) // 2 + 1:],
        "garbage": bytes(rnd.getrandbits(8) for _ in range(len(good))),
        "longer": good + b"\0" * 8,
        "another format version": good[:16] + b"\x63\0\0\0" + good[20:],
        "forged: garbage database image": forged(1, bytes(rnd.getrandbits(8)
                                                            for _ in range(len(catalog)))),
        "forged: database header, garbage pages": forged(1, catalog[:100] + bytes(
            rnd.getrandbits(8) for _ in range(len(catalog) - 100))),
        "forged: another schema": forged(1, catalog.replace(b"CREATE TABLE schemas",
                                                            b"CREATE TABLE schemaz")),
        "forged: garbage replay state": forged(2, b"\xff\xfe7\0x"),
        "forged: replay state with a huge count": forged(2, b"2\0$user\0public\0" b"0\0"
                                                         b"0\0" b"99999999\0a\0"),
        "forged: no engine state": forged(3, b""),
        "forged: a file list longer than its data": forged(0x10002, next(
            v for t, v in secs if t == 0x10002)[:12] + b"\xff\xff\xff\x7f"),
    }
    def with_table(fix):
        """The good file with a table entry changed, checksum recomputed."""
        b = bytearray(good)
        fix(b)
        return bytes(b[:32]) + struct.pack("<Q", checksum(bytes(b[40:]))) + bytes(b[40:])
    n = len(secs)
    cat_entry = 40 + 24 * [t for t, _ in secs].index(1)
    cases["forged: a section past the end"] = with_table(
        lambda b: struct.pack_into("<Q", b, 40 + 24 * (n - 1) + 8, len(good) - 8))
    cases["forged: a huge section length"] = with_table(
        lambda b: struct.pack_into("<Q", b, 40 + 16, 1 << 63))
    cases["forged: the database image 8 bytes off"] = with_table(
        lambda b: struct.pack_into("<Q", b, cat_entry + 8,
                                   struct.unpack_from("<Q", b, cat_entry + 8)[0] - 8))
    for what, blob in cases.items():
        with open(name, "wb") as f:
            f.write(blob)
        r = lint(d, f"--cache={cache}", target)
        check(f"cache file {what}: ignored, same result", r.same(plain) and
              r.restored is None and "AddressSanitizer" not in r.err, diff(plain, r))
        again = lint(d, f"--cache={cache}", target)
        check(f"cache file {what}: replaced by a good one", again.restored == (3, 3) and
              again.same(plain), again)
    os.unlink(name)
    os.mkdir(name)
    r = lint(d, f"--cache={cache}", target)
    check("a directory where the cache file goes: same result, a warning",
          r.same(plain) and "cannot write the cache" in r.err, r)
    check("a cache file that cannot be written: its temporary file is removed",
          listing(cache) == [], listing(cache))
    os.rmdir(name)


# ---- where the cache is, and where it is not -------------------------------

def test_where():
    d = small_history("where")
    target = "m/0090_new.up.sql"
    home = os.path.join(TMP, "empty-home")
    xdg = os.path.join(TMP, "empty-xdg")
    os.makedirs(home)
    os.makedirs(xdg)
    before = listing(d)
    r = lint(d, target, HOME=home, XDG_CACHE_HOME=xdg)
    check("without --cache nothing is written (HOME, XDG_CACHE_HOME, the history)",
          r.rc == 1 and not listing(home) and not listing(xdg) and listing(d) == before,
          listing(home) + listing(xdg))
    r = lint(d, "--cache", target, HOME=home, XDG_CACHE_HOME=xdg)
    check("--cache: $XDG_CACHE_HOME/migsafe", len(cache_files(os.path.join(xdg, "migsafe"))) == 1
          and not listing(home), listing(xdg))
    r = lint(d, "--cache", target, HOME=home, XDG_CACHE_HOME=None)
    check("--cache without XDG_CACHE_HOME: ~/.cache/migsafe",
          len(cache_files(os.path.join(home, ".cache", "migsafe"))) == 1, listing(home))
    envdir = os.path.join(TMP, "env-cache")
    r = lint(d, target, MIGSAFE_CACHE=envdir)
    check("MIGSAFE_CACHE=DIR", len(cache_files(envdir)) == 1 and r.stored, r)
    shutil.rmtree(envdir)
    r = lint(d, "--no-cache", target, MIGSAFE_CACHE=envdir)
    check("--no-cache overrides MIGSAFE_CACHE", not os.path.exists(envdir), r)
    r = lint(d, "--cache", target, HOME=None, XDG_CACHE_HOME=None)
    check("--cache with no HOME: a warning, the same result",
          r.same(lint(d, target)) and "no cache directory" in r.err, r)
    r = lint(d, "--cache=", target)
    check("--cache= (empty) is a usage error", r.rc == 2, r)

    other = small_history("where2")
    cache = os.path.join(TMP, "c-where")
    for t in ("m/0090_new.up.sql", "m/0030_more.up.sql", "m/0090_new.up.sql"):
        lint(d, f"--cache={cache}", t)
    lint(other, f"--cache={cache}", target)
    check("one cache file per history directory", len(cache_files(cache)) == 2, listing(cache))
    check("no temporary file left behind", len(listing(cache)) == 2, listing(cache))


def test_not_cached():
    d = small_history("nc")
    cache = os.path.join(TMP, "c-nc")
    target = "m/0090_new.up.sql"
    write(os.path.join(d, "schema.sql"), "CREATE TABLE legacy (id int);\n")
    r = lint(d, f"--cache={cache}", "--initial-schema=schema.sql", target)
    check("--initial-schema: no cache", not os.path.exists(cache) and r.rc == 1, r)
    r = lint(d, f"--cache={cache}", "m")
    check("every file linted: nothing to cache", not os.path.exists(cache) and r.rc == 1, r)
    s = os.path.join(TMP, "sqlite")
    write(os.path.join(s, "m", "0001_a.sql.sqlite"), "CREATE TABLE a (id INTEGER PRIMARY KEY);\n")
    write(os.path.join(s, "m", "0002_b.sql.sqlite"), "ALTER TABLE a ADD COLUMN b TEXT;\n")
    r = lint(s, f"--cache={cache}", "m/0002_b.sql.sqlite")
    check("SQLite migrations: no cache", not os.path.exists(cache) and r.rc in (0, 1), r)
    r = lint(d, f"--cache={cache}", "--since=30", "m")
    check("--since: the files before it are cached", len(cache_files(cache)) == 1, r)
    expect("--since, again", lint(d, f"--cache={cache}", "--since=30", "m"),
           lint(d, "--since=30", "m"), (2, 2))


def main():
    try:
        test_stateful()
        test_histories()
        test_corpora()
        test_generated()
        test_hits_and_misses()
        test_files_recently_written()
        test_damaged()
        test_where()
        test_not_cached()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    return T.finish()


if __name__ == "__main__":
    sys.exit(main())
