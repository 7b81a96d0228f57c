"""Machinery shared by e2e/edges: one real `campus serve` per storage backend (SQLite files, and a
fresh database on the PostgreSQL server that scripts/edges-test provides), raw HTTP and WebSocket
helpers that show exactly what went over the wire, and problem+json assertions.

Every exchange made with `Campus.call/get/post` goes through the server's session, so openapi-core
checks it against the answering service's /openapi.json (support/openapi_check.py); input that is
wrong on purpose is sent with `validate_request=False`. The raw-socket and WebSocket helpers below
are not checked (they bypass `requests`, on purpose).

PostgreSQL comes from the environment (scripts/edges-test sets it): EDGES_PG_HOST, EDGES_PG_PORT,
EDGES_PG_USER, EDGES_PG_PASSWORD (may be empty), EDGES_PSQL (a psql binary). Every database made
here is named ${EDGES_DB_PREFIX}_<purpose>_<random> and dropped at the end of the session.
EDGES_RUN_DIR (optional) gets the logs and a `pids` file listing every process started, so the
runner can clean up after a crash.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from support.problems import assert_problem  # noqa: F401 - the suite's tests import it from here
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect as ws_connect

from support.campus import CampusServer, DEFAULT_USERS
from support.slots import Slots
from support.services import GATEWAY_PREFIX  # how a service's own path is reached through the gateway
from support.tokens import mint

BACKENDS = ("sqlite", "postgresql")
VIAS = ("direct", "gateway")
ROLES = ("admin", "faculty", "student", "technician")
PASSWORD = "edges-correct-horse"
CORS_ORIGIN = "https://app.edges.example"   # listed in CORS_ORIGINS of every server started here
# "Within a second" (docs/contract.md §11), plus what one polling round trip can add to the measurement.
CUTOFF_SECONDS = 1.0
POLL_SLACK = 0.15


def run_dir() -> Path:
    path = Path(os.environ.get("EDGES_RUN_DIR") or "/tmp/campus-edges")
    path.mkdir(parents=True, exist_ok=True)
    return path


def record_pid(pid: int) -> None:
    with open(run_dir() / "pids", "a") as handle:
        handle.write(f"{pid}\n")


# --------------------------------------------------------------------------------------------
# PostgreSQL

class Postgres:
    """The server named by EDGES_PG_*; hands out fresh databases and drops them at the end."""

    def __init__(self) -> None:
        missing = [name for name in ("EDGES_PG_HOST", "EDGES_PG_PORT", "EDGES_PG_USER", "EDGES_PSQL") if not os.environ.get(name)]
        if missing:
            raise RuntimeError(f"{', '.join(missing)} not set: run this suite through scripts/edges-test "
                               "(it provides a throwaway PostgreSQL), the PostgreSQL half cannot run without one")
        self.host = os.environ["EDGES_PG_HOST"]
        self.port = os.environ["EDGES_PG_PORT"]
        self.user = os.environ["EDGES_PG_USER"]
        self.password = os.environ.get("EDGES_PG_PASSWORD", "")
        self.psql_bin = os.environ["EDGES_PSQL"]
        self.created: list[str] = []

    def psql(self, sql: str, database: str = "postgres") -> str:
        env = {**os.environ, "PGPASSWORD": self.password} if self.password else dict(os.environ)
        result = subprocess.run([self.psql_bin, "-h", self.host, "-p", str(self.port), "-U", self.user, "-d", database,
                                 "-At", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True, env=env, timeout=60)
        if result.returncode != 0:
            raise RuntimeError(f"psql {sql!r}: {result.stderr}")
        return result.stdout.strip()

    def new_database(self, purpose: str) -> dict[str, str]:
        name = f"{os.environ.get('EDGES_DB_PREFIX') or f'edges_{os.getpid()}'}_{purpose}_{secrets.token_hex(3)}"
        self.psql(f"CREATE DATABASE {name}")
        self.created.append(name)
        return {"DATABASE_TYPE": "postgresql", "DB_HOST": self.host, "DB_PORT": str(self.port), "DB_USER": self.user,
                "DB_PASSWORD": self.password, "DB_NAME": name, "DB_POOL_MIN": "1", "DB_POOL_MAX": "6"}

    def drop_all(self) -> None:
        for name in self.created:
            try:
                self.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            except Exception:  # noqa: BLE001 - cleanup goes on with the next one
                pass
        self.created.clear()


_POSTGRES: Postgres | None = None


def postgres() -> Postgres:
    global _POSTGRES
    if _POSTGRES is None:
        _POSTGRES = Postgres()
    return _POSTGRES


def common_env() -> dict[str, str]:
    """Settings every process started by this suite gets (besides ports, data and the database).
    A crash still writes its backtrace to the log, without the slow full symbolication."""
    return {"LOGIN_RATE_PER_MINUTE": "100000", "CORS_ORIGINS": CORS_ORIGIN, "REQUEST_RETRY_BACKOFF": "0.1",
            "BIND_ADDRESS": "127.0.0.1", "LOG_LEVEL": "warning",
            "SWIFT_BACKTRACE": "enable=yes,interactive=no,symbolicate=fast,threads=crashed,registers=none,images=none"}


# --------------------------------------------------------------------------------------------
# One campus per backend

@dataclass
class Account:
    id: int
    email: str
    password: str
    token: str
    role: str


class Campus:
    """A running `campus serve` (all six services) on one backend, plus the helpers tests share."""

    def __init__(self, backend: str, server: CampusServer):
        self.backend = backend
        self.server = server
        self.session = server.session  # checks every exchange against the documents (support/openapi_check.py)
        self.tokens = {role: server.token(role) for role in ROLES}
        listed = self.get("users", "/users", self.tokens["admin"], params={"limit": 200})
        assert listed.status_code == 200, listed.text
        by_email = {user["email"]: user["id"] for user in listed.json()}
        # The default accounts' ids exactly as user management answers them (echoed back, never made up).
        self.ids = {role: by_email[DEFAULT_USERS[role][0]] for role in ROLES}
        rooms = self.get("booking", "/rooms", self.tokens["student"], params={"limit": 200})
        assert rooms.status_code == 200, rooms.text
        self.open_rooms = [room["id"] for room in rooms.json() if not room["faculty_only"]]
        assert self.open_rooms, "no room open to students in the default catalogue"
        self._slots = Slots(self.open_rooms)                                # 1–13 days ahead
        self._series = Slots(self.open_rooms, first_day=20, days=None)     # 20–80 days ahead
        self.cache: dict = {}

    # ---- addresses ----
    def port(self, service: str) -> int:
        return self.server.ports[service]

    @property
    def gateway_port(self) -> int:
        return self.server.ports["gateway"]

    @property
    def secret(self) -> str:
        return self.server.jwt_secret

    def target(self, service: str, path: str, via: str) -> tuple[int, str]:
        """(port, path) of `path` of `service`, straight to the service or through the gateway."""
        if via == "gateway":
            return self.gateway_port, GATEWAY_PREFIX[service] + path
        assert via == "direct", via
        return self.port(service), path

    def ws_url(self, via: str, query: str = "") -> str:
        port, path = (self.port("maintenance"), "/ws") if via == "direct" else (self.gateway_port, "/api/ws")
        return f"ws://127.0.0.1:{port}{path}{query}"

    # ---- HTTP ----
    def call(self, method: str, service: str, path: str, token: str | None = None, via: str = "direct", **kwargs) -> requests.Response:
        """`validate_request=False` (a keyword) for input that is wrong on purpose: only the answer is checked."""
        port, full = self.target(service, path, via)
        headers = dict(kwargs.pop("headers", None) or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        kwargs.setdefault("timeout", 15)
        return self.session.request(method, f"http://127.0.0.1:{port}{full}", headers=headers, **kwargs)

    def get(self, service: str, path: str, token: str | None = None, via: str = "direct", **kwargs) -> requests.Response:
        return self.call("GET", service, path, token, via, **kwargs)

    def post(self, service: str, path: str, token: str | None = None, via: str = "direct", **kwargs) -> requests.Response:
        return self.call("POST", service, path, token, via, **kwargs)

    def total(self, service: str, path: str, token: str, **params) -> int:
        """X-Total-Count of a list (asked straight from the owning service)."""
        r = self.get(service, path, token, params={"limit": 1, **params})
        assert r.status_code == 200, f"GET {path}: {r.status_code} {r.text[:200]}"
        return int(r.headers["X-Total-Count"])

    def login(self, email: str, password: str) -> requests.Response:
        return self.post("gateway", "/auth/login", json={"email": email, "password": password})

    def login_token(self, email: str, password: str) -> str:
        r = self.login(email, password)
        assert r.status_code == 200, f"login {email}: {r.status_code} {r.text[:200]}"
        return r.json()["access_token"]

    def new_user(self, role: str = "student", prefix: str = "edges", login: bool = True) -> Account:
        email = f"{prefix}-{secrets.token_hex(5)}@example.com"
        r = self.post("users", "/users", self.tokens["admin"],
                      json={"email": email, "name": f"Edge {role}", "password": PASSWORD, "role": role})
        assert r.status_code == 201, f"create {role}: {r.status_code} {r.text[:300]}"
        user_id = r.json()["id"]
        return Account(user_id, email, PASSWORD, self.login_token(email, PASSWORD) if login else "", role)

    def service_token(self, service: str = "gateway") -> str:
        """What a service mints to call another: role `service`, sub the calling service."""
        return mint(self.secret, service, "service", lifetime=300, email=f"{service}@services.internal", name=service.capitalize())

    def new_ticket(self, token: str | None = None, **fields) -> dict:
        body = {"title": "Broken chair in the reading room", "description": "One leg is loose.",
                "location": "Library, reading room", **fields}
        r = self.post("maintenance", "/tickets", token or self.tokens["student"], json=body)
        assert r.status_code == 201, f"ticket: {r.status_code} {r.text[:300]}"
        return r.json()

    # ---- booking slots ----
    def next_slot(self) -> dict:
        """A distinct one-hour slot inside the student limits: an open room, 1–13 days ahead, 08:00–18:00."""
        return self._slots.next()

    def next_series_slot(self) -> dict:
        """A slot 20–80 days ahead (faculty only), far from next_slot's, for weekly series."""
        return self._series.next()


class Campuses:
    """Starts the SQLite and the PostgreSQL campus together on first use; stops both at the end."""

    def __init__(self) -> None:
        self._campuses: dict[str, Campus] = {}
        self._servers: list[CampusServer] = []
        self._errors: dict[str, BaseException] = {}
        self._lock = threading.Lock()

    def _start(self, backend: str) -> None:
        try:
            env = {**common_env(), "DATABASE_TYPE": "sqlite"}
            if backend == "postgresql":
                env.update(postgres().new_database("single"))
            data_dir = run_dir() / f"campus-{backend}-{secrets.token_hex(3)}"  # logs kept with the run
            data_dir.mkdir(parents=True)
            server = CampusServer(env=env, data_dir=str(data_dir), log_name=f"edges-{backend}")
            self._servers.append(server)
            server.start(timeout=120)
            record_pid(server.process.pid)
            self._campuses[backend] = Campus(backend, server)
        except BaseException as error:  # noqa: BLE001 - reported to every test that asks
            self._errors[backend] = error

    def get(self, backend: str) -> Campus:
        with self._lock:
            if not self._campuses and not self._errors:
                threads = [threading.Thread(target=self._start, args=(name,)) for name in BACKENDS]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
        if backend in self._errors:
            raise RuntimeError(f"the {backend} campus did not start: {self._errors[backend]}")
        return self._campuses[backend]

    def revive(self, backend: str) -> str | None:
        """If `backend`'s campus has died, restarts it on the same data, ports and settings (so the
        tests after a crash still run) and returns the end of its log; None when it is alive."""
        campus = self._campuses.get(backend)
        if campus is None or campus.server.process is None:
            return None
        process = campus.server.process
        if process.poll() is None:
            try:
                if requests.get(campus.server.url("gateway", "/health"), timeout=3).status_code == 200:
                    return None
            except requests.RequestException:
                pass
            try:  # not answering: a crash whose backtrace is still being written, or a hang
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        code = process.returncode
        crash = campus.server.log_tail(60)
        campus.server.process = None
        campus.server.start(timeout=120)
        record_pid(campus.server.process.pid)
        return f"campus serve ({backend}) exited with {code} during this test; restarted. Its log:\n{crash}"

    def close(self) -> None:
        for server in self._servers:
            try:
                if server.process and server.process.poll() is not None:
                    print(f"campus ({server.log_path}) had exited: {server.log_tail()}")
                server.close()
            except Exception:  # noqa: BLE001
                pass


# --------------------------------------------------------------------------------------------
# Assertions

def describe(response) -> str:
    request = getattr(response, "request", None)
    where = f"{request.method} {request.url}" if request is not None else getattr(response, "where", "")
    return f"{where}: {response.status_code} {response.text[:300]!r}"


def is_id(value) -> bool:
    """A JSON integer id (a bool is not one, although Python's bool is an int)."""
    return type(value) is int


# --------------------------------------------------------------------------------------------
# Raw HTTP: the exact status line, headers and body, with the request target sent as written

class RawResponse:
    def __init__(self, where: str, status: int, headers: dict[str, str], body: bytes):
        self.where = where
        self.status_code = status
        self.headers = requests.structures.CaseInsensitiveDict(headers)
        self.content = body

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.content)


def raw_request(port: int, method: str, target: str, headers: dict[str, str] | None = None, body: bytes = b"",
                timeout: float = 10) -> RawResponse:
    """One HTTP/1.1 request over a fresh socket. A 101 answer is returned as soon as its headers
    arrive (the socket is then closed).

    Not checked against the OpenAPI documents: these exchanges are sent byte for byte (dot-segments,
    WebSocket handshakes) precisely because no document or client library describes them."""
    headers = dict(headers or {})
    lines = [f"{method} {target} HTTP/1.1"] + ([] if "Host" in headers else [f"Host: 127.0.0.1:{port}"])
    if "Connection" not in headers:
        headers["Connection"] = "close"
    if body:
        headers["Content-Length"] = str(len(body))
    lines += [f"{name}: {value}" for name, value in headers.items()]
    data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
    where = f"{method} :{port}{target if len(target) <= 90 else target[:90] + '…'}"
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        buffer = b""
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in buffer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            buffer += chunk
            if time.monotonic() > deadline:
                raise TimeoutError(f"{where}: no complete answer within {timeout}s")
        head, _, rest = buffer.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        parts = status_line.split(" ", 2)
        assert len(parts) >= 2 and parts[0].startswith("HTTP/"), f"{where}: not an HTTP answer: {buffer[:200]!r}"
        status = int(parts[1])
        answer_headers: dict[str, str] = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            answer_headers[name.strip()] = value.strip()
        lowered = {k.lower(): v for k, v in answer_headers.items()}
        if status == 101 or method == "HEAD" or status in (204, 304):
            return RawResponse(where, status, answer_headers, b"")
        if "content-length" in lowered:
            length = int(lowered["content-length"])
            while len(rest) < length and time.monotonic() < deadline:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                rest += chunk
            return RawResponse(where, status, answer_headers, rest[:length])
        while time.monotonic() < deadline:  # chunked or until close
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            rest += chunk
            if "chunked" in lowered.get("transfer-encoding", "") and rest.endswith(b"0\r\n\r\n"):
                break
        if "chunked" in lowered.get("transfer-encoding", ""):
            rest = dechunk(rest)
        return RawResponse(where, status, answer_headers, rest)


def dechunk(data: bytes) -> bytes:
    out = b""
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += data[:size]
        data = data[size + 2:]
    return out


WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def ws_handshake(port: int, target: str, extra: dict[str, str] | None = None) -> tuple[RawResponse, str]:
    """A real WebSocket upgrade request (RFC 6455: Upgrade, Connection, a random key, version 13).
    Returns the answer and the Sec-WebSocket-Accept a 101 must carry."""
    key = base64.b64encode(secrets.token_bytes(16)).decode()
    accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
    headers = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": key, "Sec-WebSocket-Version": "13",
               **(extra or {})}
    return raw_request(port, "GET", target, headers), accept


# --------------------------------------------------------------------------------------------
# WebSocket client (the `websockets` package)

class Feed:
    """A WebSocket client that records every message it receives, and how the socket closed.
    WebSocket traffic is not checked against the OpenAPI documents (they describe only the handshake)."""

    def __init__(self, url: str, *, origin: str | None = None, first: dict | None = None, expect_ready: bool = True):
        self.url = url
        try:  # loopback only: never through a proxy from the environment (`proxy` is websockets ≥ 15)
            self.socket = ws_connect(url, open_timeout=10, close_timeout=2, origin=origin, proxy=None)
        except TypeError:
            self.socket = ws_connect(url, open_timeout=10, close_timeout=2, origin=origin)
        self.messages: list[dict] = []
        self.close_code: int | None = None
        self.closed = threading.Event()
        if first is not None:
            self.socket.send(json.dumps(first))
        if expect_ready:
            ready = json.loads(self.socket.recv(timeout=10))
            assert ready == {"type": "ready"}, f"{url}: first message {ready}"
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            for raw in self.socket:
                try:
                    self.messages.append(json.loads(raw))
                except ValueError:
                    self.messages.append({"unparsed": raw})
        except ConnectionClosed:
            pass
        except Exception:  # noqa: BLE001 - the socket went away; the close code tells the story
            pass
        finally:
            self.close_code = self.socket.close_code
            self.closed.set()

    def wait_for(self, kind: str, ticket_id, timeout: float = 10) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in list(self.messages):
                ticket = message.get("ticket") if isinstance(message.get("ticket"), dict) else {}
                if message.get("type") == kind and str(ticket.get("id")) == str(ticket_id):
                    return message
            if self.closed.is_set():
                break
            time.sleep(0.01)
        raise AssertionError(f"{self.url}: no {kind} for ticket {ticket_id} within {timeout}s; got {self.messages}")

    def wait_closed(self, timeout: float = 10) -> int | None:
        assert self.closed.wait(timeout), f"{self.url}: still open after {timeout}s; messages {self.messages}"
        return self.close_code

    def close(self) -> None:
        try:
            self.socket.close()
        except Exception:  # noqa: BLE001
            pass
        self.thread.join(5)

    def __enter__(self) -> "Feed":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
