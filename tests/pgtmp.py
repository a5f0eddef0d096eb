"""A throwaway PostgreSQL cluster for the oracle tests: initdb in a temp
dir, the server listening only on a unix socket in that dir, stopped and
removed by stop(). PostgreSQL refuses to run as root, so as root initdb
and the server run as the 'postgres' user (runuser); psql is only a
client and runs as us."""
import os
import shutil
import subprocess
import tempfile


class Cluster:
    def __init__(self, bindir, prefix="migsafe-pg-", options=""):
        self.bindir = bindir
        self.prefix = prefix
        self.options = options
        self.tmp = None
        self.started = False
        self.runas = []

    def _tmpdir(self):
        base = tempfile.gettempdir()
        if len(base) > 60:          # a unix socket path is at most 107 bytes
            base = "/tmp"
        return tempfile.mkdtemp(prefix=self.prefix, dir=base)

    def _run_as_postgres(self):
        import pwd
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            raise RuntimeError("running as root and there is no 'postgres' user to run the server as")
        os.chown(self.tmp, pw.pw_uid, pw.pw_gid)
        self.runas = ["runuser", "-u", "postgres", "--"]

    def _server_log(self):
        try:
            with open(os.path.join(self.tmp, "server.log")) as fh:
                return fh.read()
        except OSError:
            return ""

    def start(self):
        self.tmp = self._tmpdir()
        if os.geteuid() == 0:
            self._run_as_postgres()
        data = os.path.join(self.tmp, "data")
        r = self.server_cmd([os.path.join(self.bindir, "initdb"), "-D", data, "-U", "postgres",
                             "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"])
        if r.returncode != 0:
            raise RuntimeError("initdb failed:\n" + r.stdout + r.stderr)
        opts = (f"-k {self.tmp} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                f"-c full_page_writes=off -c autovacuum=off {self.options}").strip()
        r = self.server_cmd([os.path.join(self.bindir, "pg_ctl"), "-D", data, "-l",
                             os.path.join(self.tmp, "server.log"), "-w", "-t", "60", "-o", opts,
                             "start"])
        self.started = r.returncode == 0
        if not self.started:
            raise RuntimeError("pg_ctl start failed:\n" + r.stdout + r.stderr + self._server_log())

    def server_cmd(self, argv):
        return subprocess.run(self.runas + argv, cwd=self.tmp, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL)

    def stop(self):
        if self.tmp is None:
            return
        if self.started:
            self.server_cmd([os.path.join(self.bindir, "pg_ctl"), "-D",
                             os.path.join(self.tmp, "data"), "-m", "immediate", "-w", "-t", "60",
                             "stop"])
            self.started = False
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.tmp = None
