"""What every script test shares: ok / not ok lines, and the closing
"N passed, N failed" line that CI reads."""
import os
import sys


def environ(drop=(), extra=None):
    """os.environ without the names in 'drop', then 'extra' applied
    (a value of None removes the name)."""
    env = {k: v for k, v in os.environ.items() if k not in drop}
    for k, v in (extra or {}).items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    return env


def first_difference(a, b):
    """Where two runs' (exit status, stdout, stderr) first differ, for a
    failed check's detail; "" when they do not."""
    for what, x, y in (("exit", a[0], b[0]), ("stdout", a[1], b[1]), ("stderr", a[2], b[2])):
        if x == y:
            continue
        if what == "exit":
            return f"exit {x} vs {y}"
        xl, yl = x.decode(errors="replace").splitlines(), y.decode(errors="replace").splitlines()
        for i, (p, q) in enumerate(zip(xl, yl)):
            if p != q:
                return f"{what} differs at line {i + 1}:\n- {p}\n+ {q}"
        return f"{what}: {len(xl)} lines vs {len(yl)}"
    return ""


class Harness:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, name, ok, detail=""):
        """One test: 'ok - name', or 'not ok - name' and the detail."""
        if ok:
            self.passed += 1
            print(f"ok - {name}")
            return True
        self.failed += 1
        print(f"not ok - {name}")
        for line in str(detail).splitlines()[-40:]:
            print(f"  # {line}")
        return False

    def finish(self):
        """Print the closing line; the exit status for sys.exit()."""
        print(f"{self.passed} passed, {self.failed} failed")
        sys.stdout.flush()
        return 1 if self.failed else 0
