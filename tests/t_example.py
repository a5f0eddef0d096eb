#!/usr/bin/env python3
"""The example project gives exactly the findings examples/shop/expected.txt
lists, and the README shows what the quick-start command really prints."""
import json
import os
import subprocess
import sys

ROOT = os.environ.get("MIGSAFE_SOURCE_DIR", os.getcwd())
MIGSAFE = sys.argv[1]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Harness  # noqa: E402

T = Harness()
check = T.check


def run(*args):
    return subprocess.run([MIGSAFE, *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"})


mig = "examples/shop/migrations"
r = run("lint", "--format", "json", mig)
check("example exits 1 (it has errors)", r.returncode == 1, r.stderr)
actual = set()
for f in json.loads(r.stdout)["findings"]:
    rel = os.path.relpath(f["file"], mig)
    actual.add(f"{rel}:{f['line']}:{f['column']}: {f['severity']}[{f['rule']}]")
with open(os.path.join(ROOT, "examples/shop/expected.txt")) as fh:
    expected = {l.strip() for l in fh if l.strip() and not l.startswith("#")}
check("example findings match expected.txt", actual == expected,
      "missing: %s\nunexpected: %s" % (sorted(expected - actual), sorted(actual - expected)))

text = run("lint", mig).stdout
with open(os.path.join(ROOT, "README.md")) as fh:
    readme = fh.read()
block = readme.split("The first command prints:", 1)[1].split("```text", 1)[1].split("```", 1)[0]
missing = [l for l in block.strip("\n").splitlines() if l != "..." and l not in text.splitlines()]
check("README quick-start output is what migsafe prints", not missing, "\n".join(missing))


def readme_block(after):
    """The ```sh command and the ```text block that follow 'after'."""
    rest = readme.split(after, 1)[1]
    cmd = rest.split("```sh", 1)[1].split("```", 1)[0].strip()
    out = rest.split("```text", 1)[1].split("```", 1)[0].strip("\n")
    return cmd, out


for title in ("## Inspecting the replayed schema", "## Locks"):
    cmd, block = readme_block(title)
    args = cmd.split()
    assert args[0] == "build/migsafe", cmd
    got = run(*args[1:]).stdout.splitlines()
    missing = [l for l in block.splitlines() if l != "..." and l not in got]
    check(f"README '{title[3:]}' output is what migsafe prints", not missing, "\n".join(missing))

sys.exit(T.finish())
