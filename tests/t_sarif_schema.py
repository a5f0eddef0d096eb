#!/usr/bin/env python3
"""Check migsafe's SARIF output against the official SARIF 2.1.0 schema
and GitHub code scanning's ingestion rules.

usage (from the repository root):
    python3 tests/t_sarif_schema.py path/to/migsafe
    python3 tests/t_sarif_schema.py --check FILE.sarif   # one file, no CLI

The first form runs `migsafe lint --format sarif` on examples/shop/migrations
(which must produce results) and on a directory holding one finding-free
migration (which must produce "results": []), and checks each log.

The schema is ../shared/reference/sarif-schema-2.1.0.json relative to the
repository root ($MIGSAFE_SOURCE_DIR, else the current directory). A missing
schema is a failure unless MIGSAFE_ALLOW_NO_SHARED=1, which skips only the
schema validation. GitHub's rules are those of
../shared/reference/github-sarif.md.

The last line is "N passed, N failed"; the exit status is 1 on any failure.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse

try:
    import jsonschema
except ImportError:
    # Debian's python3-jsonschema lives with /usr/bin/python3; CMake may
    # have found another interpreter first.
    if os.path.exists("/usr/bin/python3") and \
            os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    jsonschema = None

SRCROOT = "%SRCROOT%"
MAX_DESCRIPTION = 1024
MAX_TAGS = 10               # GitHub: "fewer than 10"
LEVELS = {"none", "note", "warning", "error"}
PRECISIONS = {"very-high", "high", "medium", "low"}
PROBLEM_SEVERITIES = {"error", "warning", "recommendation"}
FINGERPRINT_KEY = "migsafe/v1"
CLEAN_MIGRATION = "CREATE TABLE items (\n\tid bigint PRIMARY KEY,\n\tname text NOT NULL\n);\n"
URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~/!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+$")
MAX_SHOWN = 20


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, problems):
        """Record a check; problems is a list of strings (empty: pass)."""
        if not problems:
            self.passed += 1
            print("ok - %s" % name)
            return True
        self.failed += 1
        print("not ok - %s" % name)
        for p in problems[:MAX_SHOWN]:
            print("  # %s" % p)
        if len(problems) > MAX_SHOWN:
            print("  # ... and %d more" % (len(problems) - MAX_SHOWN))
        return False


def source_dir():
    return os.path.abspath(os.environ.get("MIGSAFE_SOURCE_DIR") or os.getcwd())


def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


def shorten(s, n=200):
    return s if len(s) <= n else s[:n] + "..."


def text_of(obj, key):
    """obj[key]["text"] when it is a string, else None."""
    v = obj.get(key) if isinstance(obj, dict) else None
    v = v.get("text") if isinstance(v, dict) else None
    return v if isinstance(v, str) else None


# --- the official schema ---

def load_validator(tally):
    """A Draft4Validator, or None (with the reason recorded) when there is none."""
    path = os.path.join(source_dir(), "..", "shared", "reference",
                        "sarif-schema-2.1.0.json")
    allow_missing = os.environ.get("MIGSAFE_ALLOW_NO_SHARED") == "1"
    if not os.path.exists(path):
        if allow_missing:
            print("# %s is absent: schema validation skipped "
                  "(MIGSAFE_ALLOW_NO_SHARED=1)" % os.path.normpath(path))
            return None
        tally.check("schema file present", ["%s does not exist (set "
                    "MIGSAFE_ALLOW_NO_SHARED=1 to run without it)"
                    % os.path.normpath(path)])
        return None
    if jsonschema is None:
        tally.check("jsonschema importable", ["cannot import jsonschema: "
                    "install python3-jsonschema (Debian) for %s" % sys.executable])
        return None
    try:
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
        cls = jsonschema.Draft4Validator
        cls.check_schema(schema)
    except (OSError, ValueError, jsonschema.SchemaError) as e:
        tally.check("schema file loads", ["%s: %s" % (path, e)])
        return None
    checker = getattr(cls, "FORMAT_CHECKER", None) or \
        getattr(jsonschema, "draft4_format_checker", None)
    return cls(schema, format_checker=checker)


def schema_problems(validator, log):
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    return ["at /%s: %s" % ("/".join(str(p) for p in e.absolute_path),
                            shorten(e.message)) for e in errors]


# --- GitHub's rules ---

def check_description(where, rule, key, out):
    text = text_of(rule, key)
    if not text:
        out.append("%s: %s.text missing or empty" % (where, key))
    elif utf16_len(text) > MAX_DESCRIPTION:
        out.append("%s: %s.text is %d characters (max %d)"
                   % (where, key, utf16_len(text), MAX_DESCRIPTION))


def rule_properties_problems(where, props, out):
    if not isinstance(props, dict):
        out.append("%s: properties missing" % where)
        return
    tags = props.get("tags")
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        out.append("%s: properties.tags is not a list of strings" % where)
    elif len(tags) >= MAX_TAGS:
        out.append("%s: %d tags (GitHub wants fewer than %d)" % (where, len(tags), MAX_TAGS))
    if props.get("precision") not in PRECISIONS:
        out.append("%s: properties.precision %r not one of %s"
                   % (where, props.get("precision"), sorted(PRECISIONS)))
    if props.get("problem.severity") not in PROBLEM_SEVERITIES:
        out.append("%s: properties[\"problem.severity\"] %r not one of %s"
                   % (where, props.get("problem.severity"), sorted(PROBLEM_SEVERITIES)))
    if "security-severity" in props:
        out.append("%s: security-severity set (turns findings into security alerts)" % where)


def rule_problems(i, rule, out):
    if not isinstance(rule, dict):
        out.append("rules[%d] is not an object" % i)
        return
    where = "rules[%d] (%s)" % (i, rule.get("id"))
    if not isinstance(rule.get("id"), str) or not rule["id"]:
        out.append("%s: id missing" % where)
    name = rule.get("name")
    if name is not None and (not isinstance(name, str) or len(name) > 255):
        out.append("%s: name is not a string of at most 255 characters" % where)
    check_description(where, rule, "shortDescription", out)
    check_description(where, rule, "fullDescription", out)
    if not text_of(rule, "help"):
        out.append("%s: help.text missing or empty" % where)
    level = (rule.get("defaultConfiguration") or {}).get("level")
    if level not in LEVELS:
        out.append("%s: defaultConfiguration.level %r" % (where, level))
    rule_properties_problems(where, rule.get("properties"), out)


def uri_problems(where, uri):
    """A relative URI as GitHub wants it: forward slashes, no ./ or ../."""
    out = []
    if not isinstance(uri, str) or not uri:
        return ["%s: uri missing" % where]
    if not URI_CHARS.match(uri):
        out.append("%s: uri %r has characters that must be percent-encoded" % (where, uri))
    if "\\" in uri:
        out.append("%s: uri %r has a backslash" % (where, uri))
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", uri) or uri.startswith("/"):
        out.append("%s: uri %r is not relative" % (where, uri))
    segments = uri.split("/")
    if any(s in ("", ".", "..") for s in segments):
        out.append("%s: uri %r has an empty, '.' or '..' segment" % (where, uri))
    return out


def region_problems(where, region):
    keys = ("startLine", "startColumn", "endLine", "endColumn")
    if not isinstance(region, dict):
        return ["%s: region missing" % where]
    out = []
    for k in keys:
        v = region.get(k)
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            out.append("%s: region.%s is %r (want an integer >= 1)" % (where, k, v))
    if out:
        return out
    if region["endLine"] < region["startLine"] or \
            (region["endLine"] == region["startLine"] and
             region["endColumn"] < region["startColumn"]):
        out.append("%s: region ends before it starts: %r" % (where, region))
    return out


def location_problems(where, result, base_ids):
    locs = result.get("locations")
    if not isinstance(locs, list) or not locs:
        return ["%s: locations missing or empty" % where]
    phys = locs[0].get("physicalLocation") if isinstance(locs[0], dict) else None
    if not isinstance(phys, dict):
        return ["%s: locations[0].physicalLocation missing" % where]
    art = phys.get("artifactLocation") or {}
    out = []
    if art.get("uriBaseId") != SRCROOT:
        out.append("%s: uriBaseId is %r, not %r" % (where, art.get("uriBaseId"), SRCROOT))
    elif SRCROOT not in base_ids:
        out.append("%s: %s is not declared in originalUriBaseIds" % (where, SRCROOT))
    out += uri_problems(where, art.get("uri"))
    out += region_problems(where, phys.get("region"))
    return out


def fingerprint_problems(where, result):
    fps = result.get("partialFingerprints")
    if not isinstance(fps, dict):
        return ["%s: partialFingerprints missing" % where]
    out = []
    if "primaryLocationLineHash" in fps:
        out.append("%s: primaryLocationLineHash set (leave it to GitHub)" % where)
    if not re.match(r"^[0-9a-f]{16}$", str(fps.get(FINGERPRINT_KEY))):
        out.append("%s: partialFingerprints[%r] is %r (want 16 hex digits)"
                   % (where, FINGERPRINT_KEY, fps.get(FINGERPRINT_KEY)))
    return out


def result_problems(i, result, rules, base_ids):
    where = "results[%d]" % i
    if not isinstance(result, dict):
        return ["%s is not an object" % where]
    out = []
    rule_id, index = result.get("ruleId"), result.get("ruleIndex")
    if not isinstance(rule_id, str) or not rule_id:
        out.append("%s: ruleId missing" % where)
    if not isinstance(index, int) or isinstance(index, bool) or \
            not 0 <= index < len(rules):
        out.append("%s: ruleIndex %r out of range (%d rules)" % (where, index, len(rules)))
    elif not isinstance(rules[index], dict) or rules[index].get("id") != rule_id:
        out.append("%s: ruleIndex %d names %r, ruleId is %r"
                   % (where, index, rules[index].get("id"), rule_id))
    if result.get("level") not in LEVELS:
        out.append("%s: level %r" % (where, result.get("level")))
    if not text_of(result, "message"):
        out.append("%s: message.text missing or empty" % where)
    if "security-severity" in (result.get("properties") or {}):
        out.append("%s: security-severity set" % where)
    out += location_problems(where, result, base_ids)
    out += fingerprint_problems(where, result)
    return out


def base_ids_problems(run):
    base_ids = run.get("originalUriBaseIds")
    if not isinstance(base_ids, dict) or SRCROOT not in base_ids:
        return ["originalUriBaseIds[%r] missing" % SRCROOT]
    uri = (base_ids[SRCROOT] or {}).get("uri")
    if not isinstance(uri, str) or not uri.startswith("file:///") or \
            not uri.endswith("/") or not URI_CHARS.match(uri[len("file:///"):] or "/"):
        return ["originalUriBaseIds[%r].uri %r is not an absolute, encoded file URI "
                "ending in '/'" % (SRCROOT, uri)]
    return []


def run_problems(run):
    out = []
    driver = (run.get("tool") or {}).get("driver") or {}
    if driver.get("name") != "migsafe":
        out.append("tool.driver.name is %r" % driver.get("name"))
    if not isinstance(driver.get("semanticVersion"), str) or not driver["semanticVersion"]:
        out.append("tool.driver.semanticVersion missing")
    if "automationDetails" in run and \
            not isinstance((run["automationDetails"] or {}).get("id"), str):
        out.append("automationDetails.id is not a string")
    results = run.get("results")
    if not isinstance(results, list):
        out.append("run.results missing (GitHub rejects a run without it, even empty)")
    elif results and run.get("columnKind") != "unicodeCodePoints":
        out.append("columnKind is %r, want 'unicodeCodePoints'" % run.get("columnKind"))
    return out + base_ids_problems(run)


def github_problems(log):
    """Everything GitHub code scanning would reject or misread in 'log'."""
    if not isinstance(log, dict):
        return ["the log is not a JSON object"]
    out = []
    if not isinstance(log.get("$schema"), str):
        out.append("$schema missing")
    if log.get("version") != "2.1.0":
        out.append("version is %r, want '2.1.0'" % log.get("version"))
    runs = log.get("runs")
    if not isinstance(runs, list) or len(runs) != 1 or not isinstance(runs[0], dict):
        return out + ["want exactly one run"]
    run = runs[0]
    out += run_problems(run)
    rules = ((run.get("tool") or {}).get("driver") or {}).get("rules")
    if not isinstance(rules, list):
        return out + ["tool.driver.rules missing"]
    ids = [r.get("id") for r in rules if isinstance(r, dict)]
    out += ["rule id %r listed twice" % i for i in sorted(set(ids)) if ids.count(i) > 1]
    for i, rule in enumerate(rules):
        rule_problems(i, rule, out)
    base_ids = run.get("originalUriBaseIds") or {}
    for i, result in enumerate(run.get("results") or []):
        out += result_problems(i, result, rules, base_ids)
    return out


# --- running the tool ---

def files_problems(log):
    """Each result's URI, resolved against %SRCROOT%, names an existing file."""
    run = log["runs"][0]
    base = run["originalUriBaseIds"][SRCROOT]["uri"]
    root = urllib.parse.unquote(urllib.parse.urlparse(base).path)
    out = []
    for i, res in enumerate(run["results"]):
        uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        path = os.path.join(root, urllib.parse.unquote(uri))
        if not os.path.isfile(path):
            out.append("results[%d]: %r resolves to %s, which is not a file" % (i, uri, path))
    return out


def run_migsafe(tally, name, migsafe, args, cwd):
    """Run migsafe; the parsed log, or None after recording why not."""
    env = dict(os.environ, NO_COLOR="1")
    try:
        p = subprocess.run([migsafe] + args, cwd=cwd, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        tally.check("%s: runs" % name, ["%s: %s" % (migsafe, e)])
        return None, None
    stderr = p.stderr.decode("utf-8", "replace").strip().splitlines()
    if not tally.check("%s: exit status 0 or 1" % name,
                       [] if p.returncode in (0, 1) else
                       ["exit status %d" % p.returncode] + stderr):
        return None, None
    try:
        log = json.loads(p.stdout.decode("utf-8"))
    except ValueError as e:
        tally.check("%s: output is JSON" % name, [str(e)])
        return None, None
    tally.check("%s: output is JSON" % name, [])
    return log, p.stdout


def check_log(tally, name, validator, log):
    if validator is not None:
        tally.check("%s: valid against the SARIF 2.1.0 schema" % name,
                    schema_problems(validator, log))
    return tally.check("%s: meets GitHub code scanning's rules" % name,
                       github_problems(log))


def results_of(log):
    try:
        return log["runs"][0]["results"]
    except (KeyError, IndexError, TypeError):
        return None


def check_shop(tally, validator, migsafe):
    name = "shop"
    args = ["lint", "--format", "sarif", "examples/shop/migrations"]
    if not os.path.isdir(os.path.join(source_dir(), "examples/shop/migrations")):
        tally.check("%s: examples/shop/migrations exists" % name, ["missing"])
        return
    log, raw = run_migsafe(tally, name, migsafe, args, source_dir())
    if log is None:
        return
    ok = check_log(tally, name, validator, log)
    results = results_of(log)
    tally.check("%s: has results" % name,
                [] if results else ["no results: the example should show findings"])
    if ok and results:
        tally.check("%s: result URIs name files under %%SRCROOT%%" % name,
                    files_problems(log))
    again, raw2 = run_migsafe(tally, name + " (second run)", migsafe, args, source_dir())
    if again is not None:
        tally.check("%s: output is the same on a second run" % name,
                    [] if raw == raw2 else ["the two runs differ"])


def check_clean(tally, validator, migsafe):
    name = "finding-free"
    with tempfile.TemporaryDirectory(prefix="migsafe-sarif-") as tmp:
        os.mkdir(os.path.join(tmp, "migrations"))
        with open(os.path.join(tmp, "migrations", "0001_create_items.sql"), "w") as f:
            f.write(CLEAN_MIGRATION)
        log, _ = run_migsafe(tally, name, migsafe,
                             ["lint", "--format", "sarif", "migrations"], tmp)
    if log is None:
        return
    check_log(tally, name, validator, log)
    tally.check('%s: "results": []' % name,
                [] if results_of(log) == [] else
                ["results is %r" % (results_of(log),)])


def check_file(tally, validator, path):
    try:
        with open(path, encoding="utf-8") as f:
            log = json.load(f)
    except (OSError, ValueError) as e:
        tally.check("%s: readable JSON" % path, [str(e)])
        return
    check_log(tally, path, validator, log)


def main(argv):
    if len(argv) == 3 and argv[1] == "--check":
        mode, target = "file", argv[2]
    elif len(argv) == 2 and not argv[1].startswith("-"):
        mode, target = "cli", os.path.abspath(argv[1])
    else:
        sys.stderr.write("usage: %s path/to/migsafe | --check FILE.sarif\n" % argv[0])
        return 2
    tally = Tally()
    validator = load_validator(tally)
    if mode == "file":
        check_file(tally, validator, target)
    else:
        check_shop(tally, validator, target)
        check_clean(tally, validator, target)
    print("%d passed, %d failed" % (tally.passed, tally.failed))
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
