#!/usr/bin/env python3
"""GitHub's ingestion rules, checked by Microsoft's SARIF multitool
(`validate --rule-kind "Sarif;Ghas"`), on the example project's SARIF and
on a finding-free run. The multitool exits 0 even when it reports errors,
so the errors in its own SARIF output are counted.

The multitool comes from the npm registry; .ci/run installs it into
build/tools when npm is there and points MIGSAFE_SARIF_MULTITOOL at it.
Without it this script says so and checks nothing (exit 0)."""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.environ.get("MIGSAFE_SOURCE_DIR", os.getcwd())
MIGSAFE = sys.argv[1]
TOOL = os.environ.get("MIGSAFE_SARIF_MULTITOOL") or os.path.join(
    ROOT, "build/tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool")

if not os.access(TOOL, os.X_OK):
    print(f"# SARIF multitool not installed ({TOOL}); GitHub rules checked by t_sarif_schema only")
    sys.exit(0)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Harness  # noqa: E402

T = Harness()
check = T.check


def validate(name, sarif_path):
    out = sarif_path + ".validation.sarif"
    r = subprocess.run([TOOL, "validate", "--rule-kind", "Sarif;Ghas", sarif_path, "-o", out],
                       capture_output=True, text=True, timeout=300)
    problems = []
    if r.returncode != 0 or not os.path.exists(out):
        problems.append(f"multitool failed: {r.stdout[-500:]} {r.stderr[-500:]}")
    else:
        with open(out) as fh:
            for res in json.load(fh)["runs"][0].get("results", []):
                if res.get("level", "warning") in ("error", "warning"):
                    msg = res.get("message", {})
                    problems.append(f"{res.get('ruleId')}: {msg.get('text') or msg.get('arguments')}")
    check(name, not problems, "\n".join(problems))


with tempfile.TemporaryDirectory() as tmp:
    shop = os.path.join(tmp, "shop.sarif")
    subprocess.run([MIGSAFE, "lint", "--format", "sarif", "-o", shop, "examples/shop/migrations"],
                   cwd=ROOT, check=False)
    validate("example project SARIF passes Sarif;Ghas rules", shop)
    os.makedirs(os.path.join(tmp, "clean"))
    with open(os.path.join(tmp, "clean", "1_init.up.sql"), "w") as fh:
        fh.write("CREATE TABLE t (id bigint PRIMARY KEY);\n")
    clean = os.path.join(tmp, "clean.sarif")
    subprocess.run([MIGSAFE, "lint", "--format", "sarif", "-o", clean, "clean"], cwd=tmp, check=False)
    validate("finding-free SARIF passes Sarif;Ghas rules", clean)

sys.exit(T.finish())
