#!/usr/bin/env python3
"""Golden and shape tests for the CI output formats: github, gitlab, junit
and markdown.

usage (from the repository root):
    python3 tests/t_formats.py path/to/migsafe
    python3 tests/t_formats.py --bless path/to/migsafe   # rewrite the goldens

For each format F, `migsafe lint --format F examples/shop/migrations` (run
from the repository root, NO_COLOR=1) must print exactly
tests/golden/F.out; a mismatch prints a unified diff. The example's findings
change as rules change: when a golden differs only because the finding set
changed (the test says which findings came and went), --bless is the fix.

Whatever the goldens say, each output is also checked for its shape, against
the findings of `--format json` on the same directory:
  github    every line but the last is a workflow command
            (::error|warning|notice PROPS::DATA, escaped as the Actions
            toolkit escapes), one per finding; the last is the summary
  gitlab    a JSON array, each element valid against GitLab's own schema
            (tests/schemas/gitlab-codequality.json) and carrying the fields
            GitLab's documentation requires, with unique fingerprints
  junit     XML that xml.etree parses: one testsuite, one testcase per
            linted file, counts that agree, every finding in its file's case
  markdown  a counts heading, one "### `file`" heading per file with
            findings in order, one item per finding, balanced code fences
and a directory holding one finding-free migration gives the empty form of
each format.

The last line is "N passed, N failed"; the exit status is 1 on any failure.
"""

import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

try:
    import jsonschema
except ImportError:
    # Debian's python3-jsonschema lives with /usr/bin/python3; CMake may
    # have found another interpreter first.
    if os.path.exists("/usr/bin/python3") and \
            os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    jsonschema = None

FORMATS = ("github", "gitlab", "junit", "markdown")
EXAMPLE = "examples/shop/migrations"
CLEAN_MIGRATION = "CREATE TABLE items (\n\tid bigint PRIMARY KEY,\n\tname text NOT NULL\n);\n"
MAX_DIFF_LINES = 120
MAX_SHOWN = 20

GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}
GITLAB_SEVERITY_OF = {"note": "info", "warning": "major", "error": "critical"}
GITHUB_COMMAND_OF = {"note": "notice", "warning": "warning", "error": "error"}
GITHUB_PROPS = ("file", "line", "col", "endLine", "endColumn", "title")
# ::name k=v,k=v::data -- a value holds no raw ',' ':' CR LF; data no CR LF
GITHUB_LINE = re.compile(r"^::(error|warning|notice) ([A-Za-z]+=[^,:\r\n]*(?:,[A-Za-z]+=[^,:\r\n]*)*)"
                         r"::([^\r\n]*)$")
# after escaping, '%' only starts one of the toolkit's escapes
GITHUB_PERCENT = re.compile(r"%(?!25|0D|0A|3A|2C)")
SUMMARY_LINE = re.compile(r"^(no findings|\d+ errors?, \d+ warnings?, \d+ notes?) in "
                          r"(\d+ of )?\d+ migration files? \(\d+ statements?[^()]*\)$")
MD_ITEM = re.compile(r"^- \*\*(Error|Warning|Note)\*\* `+ ?([^`]+?) ?`+(?: \(line (\d+)\))?: ")


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
            for line in str(p).splitlines() or [""]:
                print("  # %s" % line)
        if len(problems) > MAX_SHOWN:
            print("  # ... and %d more" % (len(problems) - MAX_SHOWN))
        return False


def source_dir():
    return os.path.abspath(os.environ.get("MIGSAFE_SOURCE_DIR") or os.getcwd())


def run(migsafe, fmt, path, cwd):
    env = {k: v for k, v in os.environ.items()
           if k not in ("GITHUB_ACTIONS", "GITLAB_CI", "MIGSAFE_SARIF_CATEGORY")}
    env["NO_COLOR"] = "1"
    return subprocess.run([migsafe, "lint", "--format", fmt, path], cwd=cwd,
                          capture_output=True, text=True, env=env)


def run_ok(tally, migsafe, fmt, path, cwd, label):
    """stdout of a run that must exit 0 or 1 with nothing on stderr, or None."""
    r = run(migsafe, fmt, path, cwd)
    problems = []
    if r.returncode not in (0, 1):
        problems.append("exit status %d" % r.returncode)
    if r.stderr:
        problems.append("stderr: %s" % r.stderr.strip())
    if not tally.check("%s: --format %s runs" % (label, fmt), problems):
        return None
    return r.stdout


# --- goldens ---

def golden_path(root, fmt):
    return os.path.join(root, "tests", "golden", fmt + ".out")


def finding_keys_github(text):
    """'file:line rule' for each annotation of a github output."""
    keys = []
    for line in text.splitlines():
        m = GITHUB_LINE.match(line)
        if not m:
            continue
        props = dict(p.split("=", 1) for p in m.group(2).split(","))
        keys.append("%s:%s %s[%s]" % (props.get("file", "?"), props.get("line", "-"),
                                      m.group(1), props.get("title", "?")))
    return keys


def finding_set_change(root, current_github, migsafe):
    """Lines saying which findings came and went since the github golden."""
    try:
        with open(golden_path(root, "github"), encoding="utf-8") as fh:
            before = finding_keys_github(fh.read())
    except OSError:
        return []
    after = finding_keys_github(current_github or "")
    gone = sorted(set(before) - set(after))
    new = sorted(set(after) - set(before))
    if not gone and not new:
        return ["the finding set is unchanged (%d findings): the output format itself "
                "changed; fix the reporter or, if the change is meant, --bless" % len(after)]
    out = ["the finding set changed (%d -> %d findings); if that is expected, run"
           % (len(before), len(after)),
           "  python3 tests/t_formats.py --bless %s" % migsafe,
           "and commit tests/golden/. Findings gone (-) and new (+):"]
    out += ["  - %s" % k for k in gone] + ["  + %s" % k for k in new]
    return out


def read_golden(root, fmt):
    """The golden's text, or None when it cannot be read."""
    try:
        with open(golden_path(root, fmt), encoding="utf-8") as fh:
            return fh.read()
    except OSError:
        return None


def compare_golden(tally, root, fmt, actual):
    """Check actual against the golden; True when they are equal."""
    path = golden_path(root, fmt)
    try:
        with open(path, encoding="utf-8") as fh:
            expected = fh.read()
    except OSError as e:
        return tally.check("%s output matches %s" % (fmt, os.path.relpath(path, root)),
                           ["cannot read the golden (%s); create it with --bless" % e.strerror])
    if expected == actual:
        return tally.check("%s output matches %s" % (fmt, os.path.relpath(path, root)), [])
    diff = list(difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                     "golden/%s.out" % fmt, "migsafe --format %s" % fmt,
                                     n=2, lineterm=""))
    shown = diff[:MAX_DIFF_LINES]
    if len(diff) > MAX_DIFF_LINES:
        shown.append("... %d more diff lines" % (len(diff) - MAX_DIFF_LINES))
    return tally.check("%s output matches %s" % (fmt, os.path.relpath(path, root)),
                       ["\n".join(shown)])


def bless(root, fmt, actual):
    path = golden_path(root, fmt)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(actual)
    print("# blessed %s" % os.path.relpath(path, root))


# --- shape checks ---

def github_unescape(s):
    return (s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":")
             .replace("%2C", ",").replace("%25", "%"))


def github_problems(text, findings):
    lines = text.split("\n")
    out = []
    if lines and lines[-1] == "":
        lines.pop()
    else:
        out.append("output does not end with a newline")
    if not lines or not SUMMARY_LINE.match(lines[-1]):
        out.append("last line is not the summary: %r" % (lines[-1] if lines else ""))
    commands = lines[:-1]
    if len(commands) != len(findings):
        out.append("%d annotations for %d findings" % (len(commands), len(findings)))
    for i, (line, f) in enumerate(zip(commands, findings)):
        out += github_line_problems(i + 1, line, f)
    return out


def github_line_problems(n, line, f):
    m = GITHUB_LINE.match(line)
    if not m:
        return ["line %d is not a workflow command: %r" % (n, line)]
    out = []
    props = {}
    for p in m.group(2).split(","):
        k, v = p.split("=", 1)
        if k not in GITHUB_PROPS or k in props:
            out.append("line %d: unknown or repeated property %r" % (n, k))
        props[k] = v
        if GITHUB_PERCENT.search(v):
            out.append("line %d: unescaped %% in %s" % (n, k))
    if GITHUB_PERCENT.search(m.group(3)):
        out.append("line %d: unescaped %% in the message" % n)
    if [k for k in props if k in ("line", "col", "endLine", "endColumn")
            and not props[k].isdigit()]:
        out.append("line %d: a position that is not a number" % n)
    if ("col" in props or "endColumn" in props) and props.get("endLine", props.get("line")) != props.get("line"):
        out.append("line %d: columns on a multi-line region" % n)
    if m.group(1) != GITHUB_COMMAND_OF[f["severity"]]:
        out.append("line %d: ::%s for a %s" % (n, m.group(1), f["severity"]))
    if github_unescape(props.get("file", "")) != re.sub(r"^(\./+)+", "", f["file"]):
        out.append("line %d: file=%s for %s" % (n, props.get("file"), f["file"]))
    if github_unescape(props.get("title", "")) != f["rule"]:
        out.append("line %d: title=%s for rule %s" % (n, props.get("title"), f["rule"]))
    if f["line"] > 0 and props.get("line") != str(f["line"]):
        out.append("line %d: line=%s for line %d" % (n, props.get("line"), f["line"]))
    message = github_unescape(m.group(3))
    if message.split("\nhelp: ")[0] != f["message"]:
        out.append("line %d: the message does not round-trip" % n)
    if f["help"] and not message.endswith("\nhelp: " + f["help"]):
        out.append("line %d: the help is missing" % n)
    return out


def load_gitlab_validator(root):
    path = os.path.join(root, "tests", "schemas", "gitlab-codequality.json")
    with open(path, encoding="utf-8") as fh:
        schema = json.load(fh)
    if jsonschema is None:
        return None
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def gitlab_problems(text, findings, validator):
    try:
        issues = json.loads(text)
    except ValueError as e:
        return ["not JSON: %s" % e]
    if not isinstance(issues, list):
        return ["not a JSON array"]
    out = []
    if text.startswith("\ufeff"):
        out.append("starts with a byte order mark (GitLab refuses it)")
    if len(issues) != len(findings):
        out.append("%d issues for %d findings" % (len(issues), len(findings)))
    seen = set()
    for i, (issue, f) in enumerate(zip(issues, findings)):
        where = "issue %d" % i
        if validator is not None:
            out += ["%s: schema: %s at /%s" % (where, e.message, "/".join(map(str, e.absolute_path)))
                    for e in validator.iter_errors(issue)]
        out += gitlab_issue_problems(where, issue, f)
        fp = issue.get("fingerprint")
        if fp in seen:
            out.append("%s: fingerprint %s is not unique" % (where, fp))
        seen.add(fp)
    return out


def gitlab_issue_problems(where, issue, f):
    """The fields GitLab's documentation requires, and what they hold."""
    out = []
    for key in ("description", "check_name", "fingerprint", "severity"):
        if not isinstance(issue.get(key), str) or not issue.get(key):
            out.append("%s: %s missing or not a non-empty string" % (where, key))
    if issue.get("severity") not in GITLAB_SEVERITIES:
        out.append("%s: severity %r is not one of GitLab's" % (where, issue.get("severity")))
    elif issue["severity"] != GITLAB_SEVERITY_OF[f["severity"]]:
        out.append("%s: severity %s for a %s" % (where, issue["severity"], f["severity"]))
    loc = issue.get("location") or {}
    lines = loc.get("lines") or {}
    if not isinstance(loc.get("path"), str) or loc.get("path", "").startswith(("/", "./")):
        out.append("%s: location.path %r is not a relative path" % (where, loc.get("path")))
    begin, end = lines.get("begin"), lines.get("end", lines.get("begin"))
    if not isinstance(begin, int) or begin < 1 or not isinstance(end, int) or end < begin:
        out.append("%s: bad location.lines %r" % (where, lines))
    if issue.get("check_name") != f["rule"] or issue.get("description") != f["message"]:
        out.append("%s: check_name or description differ from the finding" % where)
    if not str(issue.get("fingerprint", "")).startswith(f["fingerprint"]):
        out.append("%s: fingerprint %r is not the finding's %s"
                   % (where, issue.get("fingerprint"), f["fingerprint"]))
    return out


def finding_head(f):
    """How the junit body starts a finding: FILE:L:C: severity[rule]: """
    pos = ""
    if f["line"] > 0:
        pos = ":%d" % f["line"] + (":%d" % f["column"] if f["column"] > 0 else "")
    return "%s%s: %s[%s]: %s" % (f["file"], pos, f["severity"], f["rule"], f["message"])


def junit_problems(text, findings, linted):
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as e:
        return ["not well-formed XML: %s" % e]
    out = []
    suites = root.findall("testsuite") if root.tag == "testsuites" else [root]
    if root.tag not in ("testsuites", "testsuite") or len(suites) != 1:
        return ["want one <testsuite> (in <testsuites>), got <%s> with %d" % (root.tag, len(suites))]
    suite = suites[0]
    cases = suite.findall("testcase")
    failing = [c for c in cases if c.find("failure") is not None]
    if suite.get("name") != "migsafe":
        out.append("testsuite name is %r" % suite.get("name"))
    for el in (root, suite) if root is not suite else (suite,):
        if el.get("tests") != str(len(cases)) or el.get("failures") != str(len(failing)):
            out.append("<%s> says tests=%s failures=%s; it holds %d cases, %d failing"
                       % (el.tag, el.get("tests"), el.get("failures"), len(cases), len(failing)))
    names = [c.get("name") for c in cases]
    if len(set(names)) != len(names):
        out.append("test case names are not unique (GitLab keeps the first of each)")
    if len(cases) != linted:
        out.append("%d test cases for %d linted files" % (len(cases), linted))
    if any(c.get("classname") != "migsafe" for c in cases):
        out.append("a test case's classname is not migsafe")
    if any(len(c.findall("failure")) > 1 for c in cases):
        out.append("a test case has more than one <failure>")
    by_name = {c.get("name"): c for c in cases}
    for f in findings:
        case = by_name.get(f["file"])
        if case is None:
            out.append("no test case for %s" % f["file"])
            continue
        el = case.find("failure")
        if el is None:
            el = case.find("system-out")
        if el is None or finding_head(f) not in (el.text or ""):
            out.append("%s not in the case of %s" % (finding_head(f), f["file"]))
    should_fail = {f["file"] for f in findings if f["severity"] in ("error", "warning")}
    if {c.get("name") for c in failing} != should_fail:
        out.append("failing cases %s, files with errors or warnings %s"
                   % (sorted(c.get("name") for c in failing), sorted(should_fail)))
    return out


def markdown_problems(text, findings):
    lines = text.splitlines()
    out = []
    if not lines or not re.match(r"^## migsafe: \d+ (error|warning|note)", lines[0]):
        out.append("first line is not the counts heading: %r" % (lines[0] if lines else ""))
    files = []
    for f in findings:
        if not files or files[-1] != f["file"]:
            files.append(f["file"])
    headings = [l[4:].strip("`").strip() for l in lines if l.startswith("### ")]
    if headings != files:
        out.append("file headings %s, files with findings %s" % (headings, files))
    items = [MD_ITEM.match(l) for l in lines if l.startswith("- **")]
    if len(items) != len(findings) or not all(items):
        out.append("%d finding items for %d findings" % (len(items), len(findings)))
    else:
        for m, f in zip(items, findings):
            if m.group(1).lower() != f["severity"] or m.group(2) != f["rule"]:
                out.append("item %s %s for %s %s" % (m.group(1), m.group(2), f["severity"], f["rule"]))
    fences = [l for l in lines if re.match(r"^\s*```", l)]
    if len(fences) % 2:
        out.append("unbalanced code fences")
    return out


def check_shapes(tally, label, outputs, findings, linted, validator):
    if outputs.get("github") is not None:
        tally.check("%s: github lines are workflow commands and a summary" % label,
                    github_problems(outputs["github"], findings))
    if outputs.get("gitlab") is not None:
        tally.check("%s: gitlab report is valid Code Quality JSON" % label,
                    gitlab_problems(outputs["gitlab"], findings, validator))
    if outputs.get("junit") is not None:
        tally.check("%s: junit XML has one case per file and every finding" % label,
                    junit_problems(outputs["junit"], findings, linted))
    if outputs.get("markdown") is not None:
        if findings:
            problems = markdown_problems(outputs["markdown"], findings)
        else:
            problems = [] if re.match(r"^\*\*migsafe:\*\* no findings in .*\.\n$",
                                      outputs["markdown"]) else \
                ["not the one no-findings line: %r" % outputs["markdown"]]
        tally.check("%s: markdown has a heading per file and an item per finding" % label,
                    problems)


def reference(tally, migsafe, path, cwd, label):
    """(findings, linted files) from --format json, or (None, 0)."""
    text = run_ok(tally, migsafe, "json", path, cwd, label)
    if text is None:
        return None, 0
    doc = json.loads(text)
    return doc["findings"], doc["summary"]["linted"]


def run_formats(tally, migsafe, path, cwd, label):
    return {fmt: run_ok(tally, migsafe, fmt, path, cwd, label) for fmt in FORMATS}


def main(argv):
    args = [a for a in argv[1:] if a != "--bless"]
    blessing = "--bless" in argv[1:]
    if len(args) != 1:
        sys.stderr.write("usage: t_formats.py [--bless] path/to/migsafe\n")
        return 2
    migsafe = os.path.abspath(args[0])
    root = source_dir()
    tally = Tally()
    try:
        validator = load_gitlab_validator(root)
    except (OSError, ValueError) as e:
        tally.check("GitLab Code Quality schema loads", [str(e)])
        validator = None
    if validator is None and jsonschema is None:
        print("# python3-jsonschema is missing: checking GitLab's required fields only")

    outputs = run_formats(tally, migsafe, EXAMPLE, root, "example")
    if not blessing and any(read_golden(root, fmt) != out
                            for fmt, out in outputs.items() if out is not None):
        # say first what the diffs below amount to
        for line in finding_set_change(root, outputs.get("github"), args[0]):
            print("# %s" % line)
    for fmt in FORMATS:
        if outputs[fmt] is None:
            continue
        if blessing:
            bless(root, fmt, outputs[fmt])
        else:
            compare_golden(tally, root, fmt, outputs[fmt])
    findings, linted = reference(tally, migsafe, EXAMPLE, root, "example")
    if findings is not None:
        tally.check("example has findings to show", [] if findings else ["no findings"])
        check_shapes(tally, "example", outputs, findings, linted, validator)

    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "0001_items.sql"), "w") as fh:
            fh.write(CLEAN_MIGRATION)
        outputs = run_formats(tally, migsafe, tmp, tmp, "clean")
        findings, linted = reference(tally, migsafe, tmp, tmp, "clean")
        if findings is not None:
            tally.check("clean directory has no findings", [] if not findings else
                        ["%s" % finding_head(f) for f in findings])
            check_shapes(tally, "clean", outputs, findings, linted, validator)
        if outputs.get("gitlab") is not None:
            tally.check("clean: gitlab report is []",
                        [] if json.loads(outputs["gitlab"]) == [] else [outputs["gitlab"]])

    print("%d passed, %d failed" % (tally.passed, tally.failed))
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
