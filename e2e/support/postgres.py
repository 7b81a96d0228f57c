"""Throwaway PostgreSQL 15 clusters for the end-to-end suites: one server on a free loopback port, in a
folder of its own, stopped and removed afterwards.

    from support.postgres import ThrowawayCluster
    with ThrowawayCluster(folder, password="pg-…", superuser="campus_owner") as cluster:
        cluster.create_database("campus_x")
        env.update(cluster.db_settings("campus_x"), DB_PASSWORD=cluster.password)
        cluster.psql("SELECT 1")                   # [["1"]]: rows of psql's unaligned output

    ThrowawayCluster(folder, password=p, trust_socket=True,            # TCP asks for p, the socket does not
                     settings={"ssl": "on", "ssl_cert_file": …, "log_connections": "on"},
                     files=[certificate, key])                         # copied in, 0600, the server's own
    ThrowawayCluster(folder)                                           # no password: trust everywhere

The binaries are scripts/lib/common.sh's `find_pg_bin` (Debian's `postgresql` is installed with apt-get
when they are missing). initdb refuses root: when the tests run as root the server runs as the `postgres`
user (made when missing) through `runuser`, and its folder is given to that user. With a password the
superuser gets it (initdb --pwfile) and TCP asks for it (scram-sha-256); the Unix socket in the folder
asks for it too, unless `trust_socket`. Without a password every connection is trusted (initdb
--auth=trust, as scripts/lib/common.sh's start_postgres). `close()` (or leaving the `with`) stops the
server and removes the folder, which CAMPUS_KEEP_DATA keeps; a cluster that fails to start is removed
the same way.
"""
from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterable, Iterator, Mapping
from urllib.parse import unquote, urlparse

from support.campus import ROOT
from support.services import free_port


def postgres_binaries() -> str:
    """PostgreSQL's bin folder as scripts/lib/common.sh finds it (installing Debian's postgresql if missing)."""
    common = ROOT / "scripts" / "lib" / "common.sh"
    found = subprocess.run(["bash", "-c", f". {shlex.quote(str(common))} && "
                            "{ find_pg_bin || { apt_install postgresql >&2 && find_pg_bin; }; }"],
                           capture_output=True, text=True, timeout=600)
    assert found.returncode == 0, f"no PostgreSQL binaries: {found.stderr[-800:]}"
    return found.stdout.strip().splitlines()[-1]


def server_account() -> list[str]:
    """The command prefix that runs a PostgreSQL program as the server's user: `runuser -u postgres --`
    when this process is root (the user is made when missing), nothing otherwise."""
    if os.geteuid() != 0:
        return []
    if subprocess.run(["id", "postgres"], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True, capture_output=True)
    return ["runuser", "-u", "postgres", "--"]


class ThrowawayCluster:
    """One PostgreSQL server, initialised and started on construction.

    folder        its own folder (made when missing, the server's user's): data/, server.log, the socket
    password      the superuser's password, asked over TCP (scram-sha-256); None: trust, no password
    superuser     the superuser's name (initdb -U); None: the name of the user the server runs as
    trust_socket  with a password, the Unix socket trusts (initdb --auth-local=trust) instead of asking
    settings      postgresql.conf settings for the start (-c name=value): max_connections, ssl, …
    files         files copied into the folder (mode 0600, the server's user's) before the start: the
                  server's certificate and key, which `settings` name by folder / file.name
    port          the TCP port; None: a free one
    """

    def __init__(self, folder: Path, *, password: str | None = None, superuser: str | None = None,
                 trust_socket: bool = False, settings: Mapping[str, str] | None = None,
                 files: Iterable[Path] = (), port: int | None = None, pg_bin: str | None = None):
        self.pg_bin = pg_bin or postgres_binaries()
        self.folder, self.password, self.trust_socket = Path(folder), password, trust_socket
        self.settings = dict(settings or {})
        self.port = port or free_port()
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.started = False
        self.run_as = server_account()
        self.superuser = superuser or ("postgres" if self.run_as else pwd.getpwuid(os.geteuid()).pw_name)
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            self._initialise(files)
            self.start()
        except BaseException:
            self.close()
            raise

    def _initialise(self, files: Iterable[Path]) -> None:
        for source in files:
            # The server's key must belong to the server's user and be readable by no one else.
            target = self.folder / source.name
            shutil.copyfile(source, target)
            target.chmod(0o600)
        initdb = [f"{self.pg_bin}/initdb", "-D", str(self.data), "-U", self.superuser, "-E", "UTF8"]
        password_file = self.folder / "pwfile"
        if self.password is None:
            initdb.append("--auth=trust")
        else:
            password_file.write_text(self.password + "\n")
            password_file.chmod(0o600)
            initdb += [f"--auth-local={'trust' if self.trust_socket else 'scram-sha-256'}",
                       "--auth-host=scram-sha-256", f"--pwfile={password_file}"]
        if self.run_as:
            for path in [self.folder, *self.folder.iterdir()]:
                shutil.chown(path, "postgres")
        try:
            self.run(initdb)
        finally:
            password_file.unlink(missing_ok=True)

    # ---- the server ----
    def run(self, command: list[str], timeout: float = 120, env: dict[str, str] | None = None) -> str:
        """Runs `command` as the server's user; fails the test unless it exits 0. Returns its output."""
        result = subprocess.run([*self.run_as, *command], capture_output=True, text=True, timeout=timeout, env=env)
        assert result.returncode == 0, f"{' '.join(command)} failed: {result.stdout[-800:]}{result.stderr[-800:]}"
        return result.stdout

    def start(self) -> None:
        if self.started:
            return
        options = [f"-p {self.port}", f"-k {shlex.quote(str(self.folder))}", "-c listen_addresses=127.0.0.1",
                   "-c fsync=off", *(f"-c {shlex.quote(f'{name}={value}')}" for name, value in self.settings.items())]
        command = [f"{self.pg_bin}/pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                   "-o", " ".join(options), "start"]
        result = subprocess.run([*self.run_as, *command], capture_output=True, text=True, timeout=120)
        log = self.log.read_text(errors="replace")[-1500:] if self.log.exists() else "(no server log)"
        assert result.returncode == 0, (f"{' '.join(command)} failed: {result.stdout[-800:]}{result.stderr[-800:]}\n"
                                        f"server log:\n{log}")
        self.started = True

    def stop(self) -> None:
        if self.started:
            subprocess.run([*self.run_as, f"{self.pg_bin}/pg_ctl", "-D", str(self.data), "-m", "immediate", "stop"],
                           capture_output=True, timeout=60)
            self.started = False

    def close(self) -> None:
        """Stops the server and removes its folder (kept when CAMPUS_KEEP_DATA is set)."""
        self.stop()
        if not os.environ.get("CAMPUS_KEEP_DATA"):
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> "ThrowawayCluster":
        return self

    def __exit__(self, *_) -> None:
        self.close()

    # ---- as the superuser ----
    def psql(self, sql: str, database: str = "postgres") -> list[list[str]]:
        """Runs `sql` as the superuser (on the socket when it trusts, else over TCP with the password);
        the rows of its output, each a list of its columns."""
        if self.password is None or self.trust_socket:
            host, env = str(self.folder), None
        else:
            host, env = "127.0.0.1", {**os.environ, "PGPASSWORD": self.password}
        out = self.run([f"{self.pg_bin}/psql", "-h", host, "-p", str(self.port), "-U", self.superuser, "-d", database,
                        "-X", "-q", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1", "-c", sql], 60, env)
        return [line.split("|") for line in out.splitlines() if line]

    def create_database(self, name: str) -> str:
        """An empty database `name` (owned by the superuser); returns its name."""
        self.psql(f'CREATE DATABASE "{name}"')
        return name

    def db_settings(self, database: str) -> dict[str, str]:
        """DB_HOST, DB_PORT, DB_USER (the superuser) and DB_NAME for campus, over TCP on loopback."""
        return {"DB_HOST": "127.0.0.1", "DB_PORT": str(self.port), "DB_USER": self.superuser, "DB_NAME": database}


@contextlib.contextmanager
def empty_database(prefix: str, *, max_connections: int | None = None) -> Iterator[dict[str, str]]:
    """DB_* settings of an empty PostgreSQL database: on $CAMPUS_TEST_POSTGRES_URL's server (dropped
    afterwards), or on a throwaway server started here, trusting every connection as
    scripts/lib/common.sh's start_postgres does ($CAMPUS_TEST_PG_PORT picks its port), stopped afterwards."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    url = os.environ.get("CAMPUS_TEST_POSTGRES_URL")
    if url:
        import pg8000.native
        u = urlparse(url)
        settings = {"DB_HOST": u.hostname or "127.0.0.1", "DB_PORT": str(u.port or 5432),
                    "DB_USER": unquote(u.username or "postgres"), "DB_PASSWORD": unquote(u.password or "")}
        admin = pg8000.native.Connection(settings["DB_USER"], host=settings["DB_HOST"], port=int(settings["DB_PORT"]),
                                         password=settings["DB_PASSWORD"] or None, database=u.path.lstrip("/") or "postgres")
        admin.run(f"CREATE DATABASE {name}")
        try:
            yield {**settings, "DB_NAME": name}
        finally:
            admin.run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.close()
        return
    port = os.environ.get("CAMPUS_TEST_PG_PORT")
    with ThrowawayCluster(Path(tempfile.mkdtemp(prefix="campus-pg.", dir="/tmp")),
                          settings={"max_connections": str(max_connections)} if max_connections else None,
                          port=int(port) if port else None) as cluster:
        yield {**cluster.db_settings(cluster.create_database(name)), "DB_PASSWORD": ""}
