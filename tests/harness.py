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
