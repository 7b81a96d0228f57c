"""Two gateway replicas behind nginx (round robin, no retries to the other replica), one instance of
every other service, each a separate `campus serve <service>` process on one fresh PostgreSQL
database. nginx adds `X-Edges-Upstream: <replica address>` to every answer, so a test sees which
replica answered each request.

nginx: $EDGES_NGINX_BIN, else `nginx` on PATH, else /usr/sbin/nginx (scripts/edges-test installs it).
"""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import time
from pathlib import Path

import requests

from edges.harness import common_env, postgres, record_pid, run_dir
from support.campus import ROOT, campus_binary
from support.services import HOST_VARIABLE, PORT_VARIABLE, free_port, wait_until_ready
from support.openapi_check import ContractChecker

LABELS = ("users", "notification", "gpa", "booking", "maintenance", "gateway-a", "gateway-b")

NGINX_CONFIG = """
{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    upstream campus_gateways {{
        server 127.0.0.1:{gateway_a};
        server 127.0.0.1:{gateway_b};
    }}
    server {{
        listen 127.0.0.1:{front};
        add_header X-Edges-Upstream $upstream_addr always;
        location / {{
            proxy_pass http://campus_gateways;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_next_upstream off;
            proxy_connect_timeout 2s;
        }}
    }}
}}
"""


def nginx_binary() -> str:
    candidate = os.environ.get("EDGES_NGINX_BIN") or shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(candidate).exists():
        raise RuntimeError(f"nginx not found ({candidate}): run through scripts/edges-test, which installs it")
    return candidate


class EdgesCluster:
    def __init__(self) -> None:
        self.dir = run_dir() / f"cluster-{secrets.token_hex(3)}"
        self.dir.mkdir(parents=True)
        self.ports = {label: free_port() for label in (*LABELS, "front")}
        self.secret = secrets.token_hex(32)
        database = postgres().new_database("cluster")
        reach = {"users": self.ports["users"], "notification": self.ports["notification"], "gpa": self.ports["gpa"],
                 "booking": self.ports["booking"], "maintenance": self.ports["maintenance"], "gateway": self.ports["front"]}
        self.base = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DB_", "JWT_"))},
            "APP_ENV": "development", **database, "JWT_SECRET_KEY": self.secret, "BCRYPT_COST": "4",
            "SEED_DEFAULT_USERS": "true", "DATA_DIR": str(self.dir / "data"), "SLA_CHECK_SECONDS": "5",
            **common_env(),
            **{HOST_VARIABLE[s]: "127.0.0.1" for s in HOST_VARIABLE},
            **{PORT_VARIABLE[s]: str(p) for s, p in reach.items()},
        }
        self.processes: dict[str, subprocess.Popen] = {}
        self.nginx: subprocess.Popen | None = None
        # Where each service answers, for checking exchanges against the documents: both replicas and
        # nginx's front are the gateway (support/openapi_check.py).
        self.checker = ContractChecker(
            ports={"gateway": self.ports["gateway-a"], **{s: self.ports[s] for s in ("users", "notification", "gpa", "booking", "maintenance")}},
            aliases={self.ports["gateway-b"]: "gateway", self.ports["front"]: "gateway"})
        # Only for polling nginx's front while it starts (not checked against the documents).
        self.session = requests.Session()
        self.session.trust_env = False

    # ---- lifecycle ----
    def start_process(self, label: str) -> None:
        service = label.split("-")[0]
        env = {**self.base, PORT_VARIABLE[service]: str(self.ports[label])}
        log = open(self.dir / f"{label}.log", "ab")
        process = subprocess.Popen([campus_binary(), "serve", service], cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        record_pid(process.pid)
        self.processes[label] = process

    def wait_ready(self, label: str, timeout: float = 120) -> None:
        process = self.processes[label]
        try:
            wait_until_ready({label: self.ports[label]}, timeout,
                             exited=lambda: f"{label} exited: {self.log_tail(label)}" if process.poll() is not None else None)
        except RuntimeError as error:
            if process.poll() is not None:
                raise
            raise RuntimeError(f"{label}: {error}: {self.log_tail(label)}") from None

    def start(self) -> "EdgesCluster":
        # The second gateway starts once the first has migrated the shared database.
        for label in LABELS[:-1]:
            self.start_process(label)
        for label in LABELS[:-1]:
            self.wait_ready(label)
        self.start_process("gateway-b")
        self.wait_ready("gateway-b")
        self.start_nginx()
        return self

    def start_nginx(self) -> None:
        prefix = self.dir / "nginx"
        (prefix / "tmp").mkdir(parents=True)
        user = ""
        if os.geteuid() == 0:  # workers would drop to nobody, who cannot write the temp folders
            import grp
            import pwd
            user = f"user {pwd.getpwuid(0).pw_name} {grp.getgrgid(0).gr_name};"
        config = NGINX_CONFIG.format(user=user, prefix=prefix, gateway_a=self.ports["gateway-a"],
                                     gateway_b=self.ports["gateway-b"], front=self.ports["front"])
        (prefix / "nginx.conf").write_text(config)
        binary = nginx_binary()
        check = subprocess.run([binary, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")], capture_output=True, text=True)
        assert check.returncode == 0, f"nginx -t: {check.stderr}"
        self.nginx = subprocess.Popen([binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
                                      stdout=open(prefix / "stdout.log", "ab"), stderr=subprocess.STDOUT, start_new_session=True)
        record_pid(self.nginx.pid)
        deadline = time.monotonic() + 15
        seen = set()
        while seen != set(self.replicas.values()):
            try:
                r = self.session.get(self.front + "/health/ready", timeout=1)
                if r.status_code == 200:
                    seen.add(r.headers.get("X-Edges-Upstream"))
            except requests.RequestException:
                pass
            if self.nginx.poll() is not None or time.monotonic() > deadline:
                error_log = prefix / "error.log"
                raise RuntimeError(f"nginx did not reach both replicas (saw {seen}): "
                                   f"{error_log.read_text(errors='replace') if error_log.exists() else ''}")
            time.sleep(0.02)

    def close(self) -> None:
        if self.nginx and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)
            try:
                self.nginx.wait(10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
                self.nginx.wait()
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.session.close()

    def log_tail(self, label: str, lines: int = 30) -> str:
        try:
            return "\n".join((self.dir / f"{label}.log").read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    # ---- access ----
    @property
    def front(self) -> str:
        return f"http://127.0.0.1:{self.ports['front']}"

    @property
    def replicas(self) -> dict[str, str]:
        """Replica label → the upstream address nginx reports for it."""
        return {label: f"127.0.0.1:{self.ports[label]}" for label in ("gateway-a", "gateway-b")}
