"""Start and stop a real `campus serve` for the Python end-to-end suites.

    from support.campus import CampusServer
    with CampusServer() as campus:                 # all six services, temporary data folder
        token = campus.login("student@example.com", "student123")
        r = campus.get("gateway", "/auth/me", token=token)

Every service gets a free loopback port; the binary is $CAMPUS_BIN or .build/debug/campus
(scripts/test builds it). The working directory is the repository, so the gateway serves Public/.

Every request sent through `request/get/post/login/token` (or `campus.session` itself) and every
response is checked against the answering service's own /openapi.json by openapi-core
(support/openapi_check.py): an exchange the document does not allow fails the test that made it.
Input that is wrong on purpose goes with `validate_request=False`; its response is still checked:
    r = campus.post("gateway", "/auth/login", data=b"{not json", validate_request=False)
"""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import requests

from support.openapi_check import ValidatedSession
from support.services import PORT_VARIABLE, SERVICES, distinct_ports, wait_until_ready

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_USERS = {
    "admin": ("admin@example.com", "admin123"),
    "faculty": ("faculty@example.com", "faculty123"),
    "student": ("student@example.com", "student123"),
    "technician": ("tech@example.com", "tech123"),
}


def campus_binary() -> str:
    """$CAMPUS_BIN, else .build/debug/campus, else .build/release/campus (whichever exists)."""
    binary = os.environ.get("CAMPUS_BIN") or str(ROOT / ".build" / "debug" / "campus")
    if not os.environ.get("CAMPUS_BIN") and not Path(binary).exists() and (ROOT / ".build" / "release" / "campus").exists():
        binary = str(ROOT / ".build" / "release" / "campus")
    if not Path(binary).exists():
        raise RuntimeError(f"campus binary not found at {binary}; run `swift build` first or set CAMPUS_BIN")
    return binary


def stop_process(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
    """Sends `sig` to a process still running and waits for it; kill -9 if it outlives `timeout`."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class CampusServer:
    """One `campus serve` process (all services unless `services` names some) on a temporary data folder."""

    def __init__(self, services: tuple[str, ...] = (), env: dict[str, str] | None = None,
                 data_dir: str | None = None, ports: dict[str, int] | None = None, cwd: Path = ROOT,
                 log_name: str = "campus", preexec=None):
        self.services = services or tuple(SERVICES)
        # Drawn together: free_port() per service could hand two services one port (it did).
        self.ports = ports or distinct_ports()
        self._own_data_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="campus-e2e-")
        self.cwd = cwd
        self.preexec = preexec  # run in the child before exec (e.g. a lower file limit)
        self.env = {
            **os.environ,
            "APP_ENV": "development",
            "DATA_DIR": self.data_dir,
            "JWT_SECRET_KEY": secrets.token_hex(32),
            "BCRYPT_COST": "4",
            "LOG_LEVEL": "warning",
            "SEED_DEFAULT_USERS": "true",
            "SLA_CHECK_SECONDS": "2",
            **{PORT_VARIABLE[name]: str(port) for name, port in self.ports.items()},
            **(env or {}),
        }
        self.log_path = Path(self.data_dir) / f"{log_name}.log"
        self.process: subprocess.Popen | None = None
        # Every exchange checked against the documents (fetched from the services on first use).
        self.session = ValidatedSession(self)
        self.session.trust_env = False  # loopback only: never through a proxy from the environment

    # lifecycle -----------------------------------------------------------------------------
    def start(self, timeout: float = 60) -> "CampusServer":
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen([campus_binary(), "serve", *self.services], cwd=self.cwd,
                                        env=self.env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=self.preexec)
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        def exited() -> str | None:
            if self.process and self.process.poll() is not None:
                return f"campus serve exited with {self.process.returncode}; log: {self.log_tail()}"
            return None
        try:
            wait_until_ready({name: self.ports[name] for name in self.services}, timeout, exited=exited)
        except RuntimeError as error:
            if exited():
                raise
            raise RuntimeError(f"{error}; log: {self.log_tail()}") from None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        if self.process:
            stop_process(self.process, sig, timeout)
        self.process = None

    def kill(self) -> None:
        """kill -9: no graceful shutdown at all."""
        self.stop(signal.SIGKILL)

    def close(self) -> None:
        self.stop()
        self.session.close()
        if self._own_data_dir and not os.environ.get("CAMPUS_KEEP_DATA"):
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> "CampusServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    # HTTP ----------------------------------------------------------------------------------
    def url(self, service: str, path: str = "") -> str:
        return f"http://127.0.0.1:{self.ports[service]}{path}"

    @property
    def gateway(self) -> str:
        return self.url("gateway")

    def request(self, method: str, service: str, path: str, token: str | None = None, *,
                validate_request: bool = True, **kwargs) -> requests.Response:
        """One exchange, checked against the documents; `validate_request=False` for input that is
        wrong on purpose (only the response is checked then)."""
        headers = dict(kwargs.pop("headers", None) or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        kwargs.setdefault("timeout", 15)
        return self.session.request(method, self.url(service, path), headers=headers,
                                    validate_request=validate_request, **kwargs)

    def get(self, service: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
        return self.request("GET", service, path, token, **kwargs)

    def post(self, service: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
        return self.request("POST", service, path, token, **kwargs)

    def login(self, email: str, password: str) -> str:
        r = self.post("gateway", "/auth/login", json={"email": email, "password": password})
        r.raise_for_status()
        return r.json()["access_token"]

    def token(self, role: str) -> str:
        """A token for the seeded default user of `role` (admin, faculty, student, technician)."""
        return self.login(*DEFAULT_USERS[role])

    @property
    def jwt_secret(self) -> str:
        return self.env["JWT_SECRET_KEY"]
