"""A scaled-out campus on one machine: separate `campus serve <service>` processes on one
PostgreSQL database (two booking, two maintenance, one of each other service) behind nginx.

Driven by scripts/scaleout-test, which provides PostgreSQL and nginx through the environment:
SCALEOUT_DB_HOST, SCALEOUT_DB_PORT, SCALEOUT_DB_USER, SCALEOUT_DB_NAME, SCALEOUT_DB_PASSWORD
(optional), SCALEOUT_PSQL (psql binary), NGINX_BIN, SCALEOUT_RUN_DIR (logs, nginx prefix, pid list).

Every exchange the tests make goes through `cluster.session()` (or `cluster.login`), whose responses
and requests openapi-core checks against the answering service's /openapi.json
(support/openapi_check.py): both instances of a pair and nginx in front of them answer as that
service, nginx's front as the gateway. Not checked: the readiness polls while a process starts.
"""
from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

import requests

from support.campus import ROOT, campus_binary
from support.services import HOST_VARIABLE, PORT_VARIABLE, distinct_ports, free_port, wait_until_ready
from support.openapi_check import ContractChecker, ValidatedSession

NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "campus.conf.template"


def require_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: run this suite through scripts/scaleout-test")
    return value


@dataclass
class Instance:
    """One `campus serve <service>` process."""
    label: str            # booking-a, booking-b, gateway, ...
    service: str
    port: int
    env: dict[str, str]
    log_path: Path
    pid_file: Path
    process: subprocess.Popen | None = None
    exit_codes: list[int] = field(default_factory=list)
    checker: ContractChecker | None = None  # the cluster's: checks /metrics answers against the document

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen([campus_binary(), "serve", self.service], cwd=ROOT, env=self.env,
                                        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        with open(self.pid_file, "a") as pids:
            pids.write(f"{self.process.pid}\n")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_ready(self, timeout: float = 60) -> None:
        def exited() -> str | None:
            if self.alive():
                return None
            return f"{self.label} exited ({self.process.returncode if self.process else None}): {self.log_tail()}"
        try:
            wait_until_ready({self.label: self.port}, timeout, exited=exited)
        except RuntimeError as error:
            if not self.alive():
                raise
            raise RuntimeError(f"{self.label}: {error}: {self.log_tail()}") from None

    def signal_and_wait(self, sig: int, timeout: float = 30) -> int:
        """Sends `sig`, waits for the exit, returns the exit code (negative: killed by a signal)."""
        assert self.process is not None
        self.process.send_signal(sig)
        return self.wait_exit(sig, timeout)

    def wait_exit(self, sig: int, timeout: float = 30) -> int:
        """Waits for the exit after `sig` was sent; the exit code (negative: killed by a signal)."""
        assert self.process is not None
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
            raise AssertionError(f"{self.label} did not exit within {timeout}s of signal {sig}")
        finally:
            self.exit_codes.append(self.process.returncode)
        return code

    def stop(self) -> None:
        if self.alive():
            try:
                self.signal_and_wait(signal.SIGTERM, timeout=20)
            except AssertionError:
                pass

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def request_count(self, route: str, method: str) -> int:
        """Requests this instance answered on `route` (its own /metrics, all statuses)."""
        with ValidatedSession(checker=self.checker) as session:
            text = session.get(self.url + "/metrics", timeout=5).text
        total = 0
        for line in text.splitlines():
            if line.startswith("http_requests_total{") and f'route="{route}"' in line and f'method="{method}"' in line:
                total += int(float(line.rsplit(" ", 1)[1]))
        return total


class Cluster:
    def __init__(self) -> None:
        self.run_dir = Path(require_env("SCALEOUT_RUN_DIR"))
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.pid_file = self.run_dir / "pids"
        self.db = {
            "DB_HOST": require_env("SCALEOUT_DB_HOST"), "DB_PORT": require_env("SCALEOUT_DB_PORT"),
            "DB_USER": require_env("SCALEOUT_DB_USER"), "DB_NAME": require_env("SCALEOUT_DB_NAME"),
            "DB_PASSWORD": os.environ.get("SCALEOUT_DB_PASSWORD", ""),
        }
        self.psql_bin = require_env("SCALEOUT_PSQL")
        self.nginx_bin = require_env("NGINX_BIN")
        # Drawn together, so no two processes are given one port (one did, and its instance never started).
        self.ports = distinct_ports([
            "front", "booking-lb", "maintenance-lb", "gateway", "users", "gpa", "notification",
            "booking-a", "booking-b", "maintenance-a", "maintenance-b",
        ])
        # Where every process reaches each service: the singletons directly, the pairs through nginx.
        reach = {"gateway": self.ports["gateway"], "users": self.ports["users"], "gpa": self.ports["gpa"],
                 "notification": self.ports["notification"], "booking": self.ports["booking-lb"],
                 "maintenance": self.ports["maintenance-lb"]}
        base = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DB_", "JWT_"))},
            "APP_ENV": "development", "DATABASE_TYPE": "postgresql", **self.db,
            "DB_POOL_MIN": "1", "DB_POOL_MAX": "8",
            "JWT_SECRET_KEY": secrets.token_hex(32), "BCRYPT_COST": "4", "LOG_LEVEL": "warning",
            "SEED_DEFAULT_USERS": "true", "LOGIN_RATE_PER_MINUTE": "100000", "BIND_ADDRESS": "127.0.0.1",
            "DATA_DIR": str(self.run_dir / "data"), "REQUEST_RETRY_BACKOFF": "0.1", "REQUEST_TIMEOUT": "15",
            "SLA_CHECK_SECONDS": "1", "REMINDER_CHECK_SECONDS": "1", "RELEASE_CHECK_SECONDS": "1",
            **{HOST_VARIABLE[s]: "127.0.0.1" for s in HOST_VARIABLE},
            **{PORT_VARIABLE[s]: str(p) for s, p in reach.items()},
        }
        # Which service answers on which port, for checking every exchange against its document.
        self.checker = ContractChecker(
            ports={**{s: self.ports[s] for s in ("gateway", "users", "gpa", "notification")},
                   "booking": self.ports["booking-lb"], "maintenance": self.ports["maintenance-lb"]},
            aliases={self.ports["front"]: "gateway", self.ports["booking-a"]: "booking", self.ports["booking-b"]: "booking",
                     self.ports["maintenance-a"]: "maintenance", self.ports["maintenance-b"]: "maintenance"})
        self.instances: dict[str, Instance] = {}
        for label in ("users", "notification", "gpa", "booking-a", "booking-b", "maintenance-a", "maintenance-b", "gateway"):
            service = label.split("-")[0]
            env = {**base, PORT_VARIABLE[service]: str(self.ports[label])}  # listens on its own port
            self.instances[label] = Instance(label, service, self.ports[label], env,
                                             self.run_dir / f"{label}.log", self.pid_file, checker=self.checker)
        self.nginx: subprocess.Popen | None = None
        self.extra_nginx: list[subprocess.Popen] = []  # add_front's

    # ---- lifecycle ----
    def start(self) -> "Cluster":
        for instance in self.instances.values():
            instance.start()
        for instance in self.instances.values():
            instance.wait_ready(90)
        self.start_nginx()
        return self

    def start_nginx(self) -> None:
        self.nginx = self.launch_nginx(self.run_dir / "nginx", self.ports)
        self.wait_nginx(self.nginx, self.run_dir / "nginx", self.front, self.ports["booking-lb"])

    def launch_nginx(self, prefix: Path, ports: dict[str, int]) -> subprocess.Popen:
        """nginx from deploy/nginx/campus.conf.template with `ports` filled in, under `prefix`."""
        (prefix / "tmp").mkdir(parents=True, exist_ok=True)
        user = ""
        if os.geteuid() == 0:  # workers would drop to nobody, who cannot write our temp folders
            import pwd, grp
            user = f"user {pwd.getpwuid(0).pw_name} {grp.getgrgid(0).gr_name};"
        config = Template(NGINX_TEMPLATE.read_text()).safe_substitute(
            PREFIX=str(prefix), USER_DIRECTIVE=user, FRONT_PORT=ports["front"],
            BOOKING_LB_PORT=ports["booking-lb"], MAINTENANCE_LB_PORT=ports["maintenance-lb"],
            GATEWAY_PORT=ports["gateway"], BOOKING_A_PORT=ports["booking-a"], BOOKING_B_PORT=ports["booking-b"],
            MAINTENANCE_A_PORT=ports["maintenance-a"], MAINTENANCE_B_PORT=ports["maintenance-b"],
        )
        leftover = re.findall(r"\$\{[A-Z_]+\}", config)
        assert not leftover, f"unfilled nginx placeholders: {leftover}"
        (prefix / "nginx.conf").write_text(config)
        check = subprocess.run([self.nginx_bin, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                               capture_output=True, text=True)
        assert check.returncode == 0, f"nginx -t: {check.stderr}"
        process = subprocess.Popen([self.nginx_bin, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
                                   stdout=open(prefix / "stdout.log", "ab"), stderr=subprocess.STDOUT, start_new_session=True)
        with open(self.pid_file, "a") as pids:
            pids.write(f"{process.pid}\n")
        return process

    @staticmethod
    def wait_nginx(process: subprocess.Popen, prefix: Path, front: str, booking_lb_port: int) -> None:
        deadline = time.monotonic() + 15
        while True:
            try:  # not checked: nginx is still starting
                if requests.get(front + "/health/ready", timeout=1).status_code == 200:
                    if requests.get(f"http://127.0.0.1:{booking_lb_port}/health/ready", timeout=1).status_code == 200:
                        return
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not come up: {(prefix / 'error.log').read_text(errors='replace') if (prefix / 'error.log').exists() else ''}")
            time.sleep(0.05)

    # ---- more gateways, each behind an nginx of its own (e2e/scaleout/test_trusted_proxies.py) ----
    def add_gateway(self, label: str, settings: dict[str, str]) -> Instance:
        """Another gateway process on the cluster's services and database, with `settings` on top of
        the cluster's gateway settings and a port of its own; started, ready, stopped with the cluster."""
        assert label not in self.instances, label
        port = free_port()
        env = {**self.instances["gateway"].env, PORT_VARIABLE["gateway"]: str(port), **settings}
        instance = Instance(label, "gateway", port, env, self.run_dir / f"{label}.log", self.pid_file, checker=self.checker)
        self.instances[label] = instance
        self.checker.service_of_port[port] = "gateway"
        instance.start()
        instance.wait_ready(90)
        return instance

    def add_front(self, label: str, gateway: Instance) -> tuple[str, subprocess.Popen]:
        """Another nginx from the same template (deploy/nginx/campus.conf.template) whose front leads
        to `gateway`; stopped with the cluster (or earlier with stop_nginx). Returns the front's URL
        and the nginx process."""
        ports = {**self.ports, **distinct_ports(["front", "booking-lb", "maintenance-lb"]), "gateway": gateway.port}
        prefix = self.run_dir / label
        process = self.launch_nginx(prefix, ports)
        self.extra_nginx.append(process)
        front = f"http://127.0.0.1:{ports['front']}"
        self.checker.service_of_port[ports["front"]] = "gateway"
        self.wait_nginx(process, prefix, front, ports["booking-lb"])
        return front, process

    def close(self) -> None:
        for instance in self.instances.values():
            instance.stop()
        for nginx in (self.nginx, *self.extra_nginx):
            self.stop_nginx(nginx)

    @staticmethod
    def stop_nginx(nginx: subprocess.Popen | None) -> None:
        if nginx and nginx.poll() is None:
            nginx.send_signal(signal.SIGQUIT)  # graceful for nginx
            try:
                nginx.wait(10)
            except subprocess.TimeoutExpired:
                nginx.kill()
                nginx.wait()

    # ---- access ----
    @property
    def front(self) -> str:
        return f"http://127.0.0.1:{self.ports['front']}"

    def session(self) -> ValidatedSession:
        """A requests session whose every exchange is checked against the documents."""
        session = ValidatedSession(checker=self.checker)
        session.trust_env = False  # loopback only
        return session

    def login(self, email: str, password: str) -> str:
        with self.session() as session:
            r = session.post(self.front + "/auth/login", json={"email": email, "password": password}, timeout=15)
        assert r.status_code == 200, f"login {email}: {r.status_code} {r.text}"
        return r.json()["access_token"]

    def psql(self, sql: str) -> str:
        env = {**os.environ, "PGPASSWORD": self.db["DB_PASSWORD"]} if self.db["DB_PASSWORD"] else dict(os.environ)
        result = subprocess.run([self.psql_bin, "-h", self.db["DB_HOST"], "-p", self.db["DB_PORT"], "-U", self.db["DB_USER"],
                                 "-d", self.db["DB_NAME"], "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                                capture_output=True, text=True, env=env, timeout=30)
        assert result.returncode == 0, f"psql {sql!r}: {result.stderr}"
        return result.stdout.strip()

    def upstream_counts(self, path_fragment: str) -> dict[str, int]:
        """Requests nginx sent to each upstream address for request lines containing `path_fragment`."""
        counts: dict[str, int] = {}
        log = self.run_dir / "nginx" / "access.log"
        for line in log.read_text(errors="replace").splitlines():
            if path_fragment in line:
                upstreams = re.search(r"upstream=(.*?) upstream_status=", line)
                for one in re.findall(r"\d+\.\d+\.\d+\.\d+:\d+", upstreams.group(1) if upstreams else ""):
                    counts[one] = counts.get(one, 0) + 1
        return counts
