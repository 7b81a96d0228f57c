"""Connection timeouts (issue 14, point 7): HEADER_TIMEOUT and IDLE_TIMEOUT on every service and the
gateway, seen from the outside over raw loopback sockets.

- HEADER_TIMEOUT (seconds): once the first byte of a request has arrived, its request line and
  headers must be complete within this time, else `408` problem+json with `Connection: close`, and
  the connection is closed. A client dribbling its headers one byte every half second (slowloris)
  is cut off (the request line, a header line, or a second request on a keep-alive connection);
  normal requests on other connections are answered meanwhile, also with 300 such clients at once.
- IDLE_TIMEOUT (seconds): a connection with no request in progress that long (a socket that never
  sent anything, a keep-alive connection after its last response) is closed; a request sent on a
  keep-alive connection before then is answered and starts the wait again.
- A request in progress (its body still arriving, or the gateway still waiting on a slow service)
  and a WebSocket (gateway /api/ws, maintenance /ws) are never cut by either timeout: each is shown
  outliving a plain idle connection opened at the same moment, which is closed.
- All six services apply both (one dribbled head and one silent connection each, at once).
- An invalid value (environment or .env) stops start-up with a message naming the variable;
  `campus config` lists both settings, and the ends of their ranges start.

The suite's shared server (conftest.py) has no timeouts set, so this file starts its own
`campus serve` with HEADER_TIMEOUT=2 and IDLE_TIMEOUT=4 (and a gateway-only one in front of a
stand-in service that answers slowly). Every wait has a deadline; the bounds are generous
(SLACK seconds late, a little early) so a slow machine does not fail them and an absent timeout does.
"""
from __future__ import annotations

import http.client
import http.server
import json
import os
import select
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from requests.structures import CaseInsensitiveDict
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect as ws_connect

from support.campus import CampusServer, campus_binary
from support.problems import assert_problem
from support.services import PORT_VARIABLE, SERVICES, answers_200, free_port

HEADER_TIMEOUT = 2
IDLE_TIMEOUT = 4
SLACK = 6.0          # how late a close may come on a slow, busy machine
EARLY = 0.5          # how early (timers start when the server sees the byte or the connection, a little after us)
DRIBBLE_EVERY = 0.5  # seconds between two bytes of a dribbled request
MANY = 300           # dribbling connections at once

# A request head that never ends: the request line, then one header line that goes on and on.
ENDLESS_HEAD = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 4000

# The two servers the brief asks about (gateway and one service), plus how a normal request looks on each.
TARGETS = ["gateway", "booking"]
NORMAL = {"gateway": "/api/rooms", "booking": "/rooms"}


# ----------------------------------------------------------------------------------------------
# Raw HTTP over a socket (what went over the wire, no client library in between)

@dataclass
class RawResponse:
    status_code: int
    headers: CaseInsensitiveDict
    content: bytes
    where: str = ""

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.content)


def parse_response(data: bytes, where: str = "") -> RawResponse | None:
    """The first complete HTTP response in `data` (Content-Length or chunked), or None."""
    head, sep, rest = data.partition(b"\r\n\r\n")
    if not sep:
        return None
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise AssertionError(f"{where}: not an HTTP response: {data[:200]!r}")
    headers = CaseInsensitiveDict()
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip()] = value.strip()
    if "chunked" in headers.get("Transfer-Encoding", "").lower():
        body, pos = b"", 0
        while True:
            end = rest.find(b"\r\n", pos)
            if end < 0:
                return None
            size = int(rest[pos:end].split(b";")[0], 16)
            if size == 0:
                return RawResponse(int(parts[1]), headers, body, where)
            if len(rest) < end + 2 + size + 2:
                return None
            body += rest[end + 2:end + 2 + size]
            pos = end + 2 + size + 2
    length = int(headers.get("Content-Length", "0"))
    if len(rest) < length:
        return None
    return RawResponse(int(parts[1]), headers, rest[:length], where)


def connect(port: int) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def request_bytes(method: str, path: str, token: str | None = None, body: bytes | None = None,
                  close: bool = False) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Accept: application/json"]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


def read_response(s: socket.socket, timeout: float, where: str = "") -> RawResponse:
    """Reads one whole response from `s` (keeping the connection open)."""
    data = b""
    deadline = time.monotonic() + timeout
    while True:
        parsed = parse_response(data, where)
        if parsed is not None:
            return parsed
        left = deadline - time.monotonic()
        assert left > 0, f"{where}: no whole response within {timeout}s; got {data[:300]!r}"
        readable, _, _ = select.select([s], [], [], left)
        if readable:
            chunk = s.recv(65536)
            assert chunk, f"{where}: connection closed before a whole response; got {data[:300]!r}"
            data += chunk


def wait_closed(s: socket.socket, timeout: float) -> tuple[float | None, bytes]:
    """Reads until the peer closes (EOF or reset) or `timeout` passes: (seconds waited, or None if
    still open; the bytes received meanwhile)."""
    started = time.monotonic()
    data = b""
    while True:
        left = started + timeout - time.monotonic()
        if left <= 0:
            return None, data
        readable, _, _ = select.select([s], [], [], left)
        if readable:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, ConnectionAbortedError):
                return time.monotonic() - started, data
            if not chunk:
                return time.monotonic() - started, data
            data += chunk


def plain_get(port: int, path: str, token: str | None, timeout: float = 10) -> int:
    """One normal request on a fresh connection (no proxy, no keep-alive): its status."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Connection": "close", "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def gateway_post(port: int, path: str, token: str, body: bytes) -> "RawResponse":
    """One POST on a fresh connection, read whole."""
    c = connect(port)
    try:
        c.sendall(request_bytes("POST", path, token, body, close=True))
        return read_response(c, 20, f"POST {path}")
    finally:
        c.close()


class Prober(threading.Thread):
    """Sends normal requests, one after another, until stopped; records (status, seconds) of each."""

    def __init__(self, port: int, path: str, token: str | None):
        super().__init__(daemon=True)
        self.port, self.path, self.token = port, path, token
        self.results: list[tuple[object, float]] = []
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            started = time.monotonic()
            try:
                status: object = plain_get(self.port, self.path, self.token, timeout=10)
            except Exception as error:  # noqa: BLE001 - recorded, the test asserts on it
                status = repr(error)
            self.results.append((status, time.monotonic() - started))
            self.halt.wait(0.2)

    def finish(self) -> list[tuple[object, float]]:
        self.halt.set()
        self.join(15)
        return self.results

    def assert_served(self, during: str, minimum: int = 2, slowest: float = 5.0) -> None:
        results = self.finish()
        assert len(results) >= minimum, f"only {len(results)} normal requests completed {during}: {results}"
        bad = [r for r in results if r[0] != 200]
        assert bad == [], f"normal requests {during} failed: {bad} (of {len(results)})"
        worst = max(seconds for _, seconds in results)
        assert worst < slowest, f"a normal request {during} took {worst:.2f}s"


# ----------------------------------------------------------------------------------------------
# The server under test

@dataclass
class Timed:
    server: CampusServer
    tokens: dict = field(default_factory=dict)
    open_rooms: list = field(default_factory=list)

    def port(self, service: str) -> int:
        return self.server.ports[service]


@pytest.fixture(scope="module")
def timed():
    server = CampusServer(env={"HEADER_TIMEOUT": str(HEADER_TIMEOUT), "IDLE_TIMEOUT": str(IDLE_TIMEOUT),
                               "LOGIN_RATE_PER_MINUTE": "100000", "REQUEST_RETRY_BACKOFF": "0.1"},
                          log_name="timeouts")
    server.start()
    try:
        tokens = {role: server.token(role) for role in ("student", "technician")}
        rooms = server.get("booking", "/rooms", token=tokens["student"], params={"limit": 200}).json()
        yield Timed(server, tokens, [r["id"] for r in rooms if not r["faculty_only"]])
    finally:
        if server.process and server.process.poll() is not None:
            print(server.log_tail())
        server.close()


def dribble(port: int, limit: float, prefix: bytes = b"", at_once: int = 0) -> tuple[float | None, bytes]:
    """Sends ENDLESS_HEAD, its first `at_once` bytes together and then one byte every DRIBBLE_EVERY
    seconds (after `prefix`, a whole request whose answer is read first), until the server
    answers/closes or `limit` seconds after the head's first byte. Returns (seconds from that first
    byte to the close, or None if still open; every byte received after the prefix's answer)."""
    s = connect(port)
    try:
        if prefix:
            s.sendall(prefix)
            first = read_response(s, 15, f"port {port}: keep-alive request before the dribble")
            assert first.status_code == 200, first.text
            assert first.headers.get("Connection", "").lower() != "close", "the first answer closed the connection"
        started = time.monotonic()
        if at_once:
            s.sendall(ENDLESS_HEAD[:at_once])
        data, sent, sending, next_send = b"", at_once, True, started + (DRIBBLE_EVERY if at_once else 0)
        while True:
            now = time.monotonic()
            if now - started > limit:
                return None, data
            if sending and now >= next_send:
                try:
                    s.send(ENDLESS_HEAD[sent:sent + 1])
                    sent += 1
                except (BrokenPipeError, ConnectionResetError):
                    sending = False  # the server is gone: read what it said
                next_send = now + DRIBBLE_EVERY
            wait = max(0.0, min(next_send - time.monotonic(), started + limit - time.monotonic())) if sending else 0.2
            readable, _, _ = select.select([s], [], [], wait)
            if readable:
                try:
                    chunk = s.recv(65536)
                except (ConnectionResetError, ConnectionAbortedError):
                    return time.monotonic() - started, data
                if not chunk:
                    return time.monotonic() - started, data
                data += chunk
                sending = False  # answered: stop sending, wait for the close
    finally:
        s.close()


def assert_408(data: bytes, where: str) -> RawResponse:
    response = parse_response(data, where)
    assert response is not None, f"{where}: closed without a (whole) response; got {data[:300]!r}"
    assert_problem(response, 408)
    assert response.headers.get("Connection", "").lower() == "close", f"{where}: Connection {response.headers.get('Connection')!r}"
    assert response.headers.get("X-Content-Type-Options") == "nosniff", f"{where}: {dict(response.headers)}"  # contract §11
    return response


# ----------------------------------------------------------------------------------------------
# (1)+(2) a dribbled request head gets a 408 and is closed; others are served meanwhile

HEADERS_START = ENDLESS_HEAD.index(b"X-Slow: ") + len(b"X-Slow: ")
DRIBBLES = {  # what is dribbled: the request line itself, a header after a prompt request line, a second request
    "request-line": (False, 0),
    "header-line": (False, HEADERS_START),
    "after-a-keep-alive-answer": (True, 0),
}


@pytest.mark.parametrize("how", DRIBBLES)
@pytest.mark.parametrize("service", TARGETS)
def test_a_dribbled_request_head_gets_408_and_is_closed_while_others_are_served(timed, service, how):
    port = timed.port(service)
    keep_alive, at_once = DRIBBLES[how]
    prober = Prober(port, NORMAL[service], timed.tokens["student"])
    prober.start()
    prefix = request_bytes("GET", "/health") if keep_alive else b""
    closed_after, data = dribble(port, HEADER_TIMEOUT + SLACK, prefix, at_once)
    prober.assert_served(f"on {service} while a request head was dribbled")
    assert closed_after is not None, (f"{service}: a request head dribbled one byte every {DRIBBLE_EVERY}s was still open "
                                      f"{HEADER_TIMEOUT + SLACK}s after its first byte (HEADER_TIMEOUT={HEADER_TIMEOUT}); got {data[:200]!r}")
    assert closed_after >= HEADER_TIMEOUT - EARLY, f"{service}: closed after {closed_after:.2f}s, before HEADER_TIMEOUT={HEADER_TIMEOUT}"
    assert_408(data, f"{service} dribbled head")


# ----------------------------------------------------------------------------------------------
# (3) a socket that never sends anything is closed after IDLE_TIMEOUT

@pytest.mark.parametrize("service", TARGETS)
def test_a_silent_connection_is_closed_after_idle_timeout(timed, service):
    s = connect(timed.port(service))
    try:
        closed_after, data = wait_closed(s, IDLE_TIMEOUT + SLACK)
    finally:
        s.close()
    assert closed_after is not None, f"{service}: a silent connection was still open after {IDLE_TIMEOUT + SLACK}s (IDLE_TIMEOUT={IDLE_TIMEOUT})"
    # Not HEADER_TIMEOUT (2 s): nothing of a request has arrived yet.
    assert closed_after >= IDLE_TIMEOUT - EARLY, f"{service}: closed after {closed_after:.2f}s, before IDLE_TIMEOUT={IDLE_TIMEOUT}"
    print(f"{service}: silent connection closed after {closed_after:.2f}s, sending {data[:80]!r}")


def silent_close(port: int, timeout: float) -> float | None:
    s = connect(port)
    try:
        return wait_closed(s, timeout)[0]
    finally:
        s.close()


def test_every_service_applies_both_timeouts(timed):
    """All six at once: on each, a dribbled head gets its 408 after HEADER_TIMEOUT and a silent
    connection is closed after IDLE_TIMEOUT."""
    with ThreadPoolExecutor(max_workers=2 * len(SERVICES)) as pool:
        dribbled = {name: pool.submit(dribble, timed.port(name), HEADER_TIMEOUT + SLACK) for name in SERVICES}
        silent = {name: pool.submit(silent_close, timed.port(name), IDLE_TIMEOUT + SLACK) for name in SERVICES}
        problems = []
        for name in SERVICES:
            closed_after, data = dribbled[name].result()
            if closed_after is None or closed_after < HEADER_TIMEOUT - EARLY:
                when = "not" if closed_after is None else f"only after {closed_after:.2f}s, too early"
                problems.append(f"{name}: a dribbled head was {when} closed within {HEADER_TIMEOUT + SLACK}s (HEADER_TIMEOUT={HEADER_TIMEOUT})")
            else:
                response = parse_response(data, name)
                if response is None or response.status_code != 408:
                    problems.append(f"{name}: dribbled head closed without a 408: {data[:200]!r}")
            idle_after = silent[name].result()
            if idle_after is None or idle_after < IDLE_TIMEOUT - EARLY:
                when = "not" if idle_after is None else f"only after {idle_after:.2f}s, too early"
                problems.append(f"{name}: a silent connection was {when} closed within {IDLE_TIMEOUT + SLACK}s (IDLE_TIMEOUT={IDLE_TIMEOUT})")
    assert problems == [], "\n".join(problems)


# ----------------------------------------------------------------------------------------------
# (4) keep-alive: a request before IDLE_TIMEOUT is answered; then the connection is closed

@pytest.mark.parametrize("service", TARGETS)
def test_a_keep_alive_connection_is_closed_idle_timeout_after_its_last_answer(timed, service):
    port, path, token = timed.port(service), NORMAL[service], timed.tokens["student"]
    where = f"{service} keep-alive"
    calculation = json.dumps({"courses": [{"name": "Calculus", "grade": "A", "credits": 3}]}).encode()
    if service == "gateway":  # the gateway's connection to the GPA service is in use now, then idle
        assert gateway_post(port, "/api/gpa/calculate", token, calculation).status_code == 200
    s = connect(port)
    try:
        s.sendall(request_bytes("GET", path, token))
        first = read_response(s, 15, where)
        assert first.status_code == 200, first.text[:300]
        first_done = time.monotonic()
        # Halfway through the idle time, the same connection still serves a request …
        time.sleep(IDLE_TIMEOUT / 2)
        s.sendall(request_bytes("GET", path, token))
        second = read_response(s, 15, where + " (second request)")
        assert second.status_code == 200, second.text[:300]
        second_done = time.monotonic()
        # … which starts the idle time again: the close comes about IDLE_TIMEOUT after the second answer
        # (a timer counting from the first answer would close it IDLE_TIMEOUT/2 after the second).
        closed_after, data = wait_closed(s, IDLE_TIMEOUT + SLACK)
    finally:
        s.close()
    assert closed_after is not None, (f"{where}: still open {IDLE_TIMEOUT + SLACK}s after its last answer "
                                      f"(IDLE_TIMEOUT={IDLE_TIMEOUT}; first answer {second_done - first_done:.1f}s before that)")
    assert closed_after >= IDLE_TIMEOUT - EARLY, (f"{where}: closed {closed_after:.2f}s after its last answer, before "
                                                  f"IDLE_TIMEOUT={IDLE_TIMEOUT} (the idle time did not start again with the second request)")
    if service == "gateway":
        # The gateway's own connections to the services sat idle as long (nothing else ran meanwhile);
        # the services closed them. The next calls through the gateway, a GET and a POST, still work.
        time.sleep(1)  # clear of the moment booking closes the gateway's connection (that race is not the point here)
        r = plain_get(port, NORMAL["gateway"], token)
        assert r == 200, f"GET {NORMAL['gateway']} through the gateway after an idle pause: {r}"
        calc = gateway_post(port, "/api/gpa/calculate", token, calculation)
        assert calc.status_code == 200, f"POST /api/gpa/calculate through the gateway after an idle pause: {calc.status_code} {calc.text[:300]}"


# ----------------------------------------------------------------------------------------------
# (5) 300 dribbling connections at once: all cut off in bounded time, normal requests still served

@pytest.mark.parametrize("service", TARGETS)
def test_many_dribbling_connections_are_all_closed_while_normal_requests_succeed(timed, service):
    port = timed.port(service)
    sockets: list[socket.socket] = []
    started: dict[int, float] = {}   # fd -> time of its first byte
    position: dict[int, int] = {}
    data: dict[int, bytes] = {}
    closed: dict[int, float] = {}    # fd -> seconds from its first byte to the close
    prober = Prober(port, NORMAL[service], timed.tokens["student"])
    try:
        for _ in range(MANY):
            s = connect(port)
            s.setblocking(False)
            sockets.append(s)
        by_fd = {s.fileno(): s for s in sockets}
        for fd, s in by_fd.items():
            s.send(ENDLESS_HEAD[:1])
            started[fd], position[fd], data[fd] = time.monotonic(), 1, b""
        prober.start()
        poller = select.poll()
        for fd in by_fd:
            poller.register(fd, select.POLLIN)
        last_first_byte = max(started.values())
        deadline = last_first_byte + HEADER_TIMEOUT + SLACK + 4  # 300 at once: a little more slack
        next_round = time.monotonic() + DRIBBLE_EVERY
        while len(closed) < len(by_fd) and time.monotonic() < deadline:
            for fd, _ in poller.poll(50):
                try:
                    chunk = by_fd[fd].recv(65536)
                except BlockingIOError:
                    continue
                except (ConnectionResetError, ConnectionAbortedError):
                    chunk = b""
                if chunk:
                    data[fd] += chunk  # answered: sending stops below, the close follows
                    continue
                closed[fd] = time.monotonic() - started[fd]
                poller.unregister(fd)
            if time.monotonic() >= next_round:
                for fd, s in by_fd.items():
                    if fd in closed or data[fd]:
                        continue
                    try:
                        s.send(ENDLESS_HEAD[position[fd]:position[fd] + 1])
                        position[fd] += 1
                    except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                        pass
                next_round = time.monotonic() + DRIBBLE_EVERY
        prober.assert_served(f"on {service} while {MANY} connections dribbled request heads", minimum=3)
        open_left = len(by_fd) - len(closed)
        assert open_left == 0, (f"{service}: {open_left} of {MANY} dribbling connections still open "
                                f"{HEADER_TIMEOUT + SLACK + 4:.0f}s after the last one's first byte (HEADER_TIMEOUT={HEADER_TIMEOUT})")
        early = sorted(t for t in closed.values() if t < HEADER_TIMEOUT - EARLY)
        assert early == [], f"{service}: {len(early)} closed before HEADER_TIMEOUT: {early[:5]}"
        without_408 = []
        for fd, received in data.items():
            response = parse_response(received, f"{service} dribbler")
            if response is None or response.status_code != 408:
                without_408.append(received[:120])
        assert without_408 == [], f"{service}: {len(without_408)} of {MANY} closed without a 408, e.g. {without_408[:3]}"
        print(f"{service}: {MANY} dribblers closed after {min(closed.values()):.2f}–{max(closed.values()):.2f}s; "
              f"{len(prober.results)} normal requests, slowest {max(s for _, s in prober.results):.2f}s")
    finally:
        prober.halt.set()
        for s in sockets:
            s.close()
    assert answers_200(port, "/health", 10), f"{service} unhealthy afterwards"


# ----------------------------------------------------------------------------------------------
# (6) WebSockets outlive IDLE_TIMEOUT (a plain idle connection opened with them does not)

def open_ws(url: str):
    try:  # no client pings: the socket stays as quiet as the server lets it; loopback only, no proxy
        return ws_connect(url, open_timeout=10, close_timeout=2, ping_interval=None, proxy=None)
    except TypeError:
        return ws_connect(url, open_timeout=10, close_timeout=2)


def test_websockets_stay_open_and_usable_beyond_idle_timeout(timed):
    token = timed.tokens["technician"]
    urls = {"gateway /api/ws": f"ws://127.0.0.1:{timed.port('gateway')}/api/ws?token={token}",
            "maintenance /ws": f"ws://127.0.0.1:{timed.port('maintenance')}/ws?token={token}"}
    sockets = {}
    idle = {}
    try:
        opened = time.monotonic()
        for name, url in urls.items():
            sockets[name] = open_ws(url)
        for service in ("gateway", "maintenance"):
            idle[service] = connect(timed.port(service))
        for name, ws in sockets.items():
            assert json.loads(ws.recv(timeout=10)) == {"type": "ready"}, name
        # The plain connections opened at the same moment are closed after IDLE_TIMEOUT …
        for service, s in idle.items():
            closed_after, _ = wait_closed(s, max(0.1, opened + IDLE_TIMEOUT + SLACK - time.monotonic()))
            assert closed_after is not None, f"{service}: a silent connection was still open after {IDLE_TIMEOUT + SLACK}s"
        # … and the WebSockets, quiet all along, are still there well after it.
        while time.monotonic() < opened + IDLE_TIMEOUT + 2.5:
            for name, ws in sockets.items():
                try:
                    message = ws.recv(timeout=0.2)
                except TimeoutError:
                    continue
                except ConnectionClosed as error:
                    raise AssertionError(f"{name}: closed after {time.monotonic() - opened:.1f}s (IDLE_TIMEOUT={IDLE_TIMEOUT}): {error!r}") from None
                raise AssertionError(f"{name}: unexpected message while quiet: {message!r}")
        elapsed = time.monotonic() - opened
        r = timed.server.post("maintenance", "/tickets", token=timed.tokens["student"],
                              json={"title": "Flickering light in the corridor", "description": "It has flickered for days.",
                                    "location": "Building A, second floor"})
        assert r.status_code == 201, r.text
        ticket_id = r.json()["id"]
        for name, ws in sockets.items():
            deadline = time.monotonic() + 10
            while True:
                left = deadline - time.monotonic()
                assert left > 0, f"{name}: no ticket.created for ticket {ticket_id} after {elapsed:.1f}s open"
                try:
                    message = json.loads(ws.recv(timeout=left))
                except TimeoutError:
                    continue
                except Exception as error:  # noqa: BLE001 - the socket was closed under us
                    raise AssertionError(f"{name}: closed after {elapsed:.1f}s open (IDLE_TIMEOUT={IDLE_TIMEOUT}): {error!r}") from None
                if message.get("type") == "ticket.created" and str(message.get("ticket", {}).get("id")) == str(ticket_id):
                    break
    finally:
        for ws in sockets.values():
            ws.close()
        for s in idle.values():
            s.close()


# ----------------------------------------------------------------------------------------------
# A request in progress is never cut: its body arriving slowly, or the gateway waiting on a service

def test_a_request_whose_body_arrives_slowly_is_not_cut(timed):
    """Headers complete at once, the body trickles in over IDLE_TIMEOUT + 2 s (longer than both
    timeouts): the request is in progress all along and is answered normally, on the gateway
    (sign-in) and on booking (a booking) — while a silent connection opened with them is closed."""
    slot = {"room_id": timed.open_rooms[0], "date": time.strftime("%Y-%m-%d", time.gmtime(time.time() + 86400 * 9)),
            "start_time": "16:00", "end_time": "17:00", "purpose": "Slow upload"}
    uploads = {
        "gateway": ("POST", "/auth/login", None, {"email": "student@example.com", "password": "student123"}, 200),
        "booking": ("POST", "/bookings", timed.tokens["student"], slot, 201),
    }
    connections, positions, bodies, idle = {}, {}, {}, {}
    try:
        for service, (method, path, token, body, _) in uploads.items():
            raw = json.dumps(body).encode()
            c = connect(timed.port(service))
            head = request_bytes(method, path, token, raw)
            c.sendall(head[:len(head) - len(raw)])
            connections[service], bodies[service], positions[service] = c, raw, 0
            idle[service] = connect(timed.port(service))
        opened = time.monotonic()
        spread = IDLE_TIMEOUT + 2.0
        while any(positions[s] < len(bodies[s]) for s in uploads):
            progress = min(1.0, (time.monotonic() - opened) / spread)
            for service, c in connections.items():
                want = min(len(bodies[service]) - 1, int(progress * len(bodies[service]))) if progress < 1 else len(bodies[service])
                if want > positions[service]:
                    try:
                        c.sendall(bodies[service][positions[service]:want])
                    except OSError as error:
                        raise AssertionError(f"{service}: the connection was cut {time.monotonic() - opened:.1f}s into a "
                                             f"slow body (IDLE_TIMEOUT={IDLE_TIMEOUT}): {error!r}") from None
                    positions[service] = want
            # Until its body is complete, a request must get neither an answer nor a close.
            incomplete = [c for s, c in connections.items() if positions[s] < len(bodies[s])]
            readable, _, _ = select.select(incomplete, [], [], 0.05)
            if readable:
                name = next(s for s, c in connections.items() if c in readable)
                _, data = wait_closed(connections[name], 1)
                raise AssertionError(f"{name}: answered or closed {time.monotonic() - opened:.1f}s into a slow body, "
                                     f"before it was complete: {data[:300]!r}")
        for service, (method, path, _, _, status) in uploads.items():
            answer = read_response(connections[service], 20, f"{service} {method} {path} with a slow body")
            assert answer.status_code == status, f"{service} {method} {path}: {answer.status_code} {answer.text[:300]}"
        for service, s in idle.items():
            closed_after, _ = wait_closed(s, max(0.1, opened + IDLE_TIMEOUT + SLACK - time.monotonic()))
            assert closed_after is not None, f"{service}: a silent connection was still open after {IDLE_TIMEOUT + SLACK}s"
    finally:
        for s in [*connections.values(), *idle.values()]:
            s.close()


class SlowGpa(http.server.ThreadingHTTPServer):
    """A stand-in for the GPA service: /scale answers after `delay` seconds, everything else at once."""
    daemon_threads = True

    def __init__(self, delay: float):
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                if self.path.startswith("/scale"):
                    outer.asked.set()
                    time.sleep(outer.delay)
                    body = json.dumps([{"grade": "A", "points": 4.0}]).encode()
                else:
                    body = json.dumps({"status": "ok"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.delay = delay
        self.asked = threading.Event()
        super().__init__(("127.0.0.1", 0), Handler)


@pytest.mark.parametrize("service", ["gateway", "booking"])
def test_a_body_that_stops_arriving_is_closed_after_idle_timeout(timed, service):
    """A slowloris upload: the head and one byte of a 100-byte body, then nothing. The connection is
    closed once no byte has come for IDLE_TIMEOUT (it would otherwise hold a socket for ever)."""
    c = connect(timed.port(service))
    head = request_bytes("POST", "/auth/login" if service == "gateway" else "/bookings",
                         None if service == "gateway" else timed.tokens["student"], b"x" * 100)
    c.sendall(head[:len(head) - 100] + b"{")
    sent = time.monotonic()
    closed_after, data = wait_closed(c, IDLE_TIMEOUT + 8)
    assert closed_after is not None, f"{service}: a stalled body kept its connection open for {IDLE_TIMEOUT + 8}s"
    assert closed_after >= IDLE_TIMEOUT - 0.5, f"{service}: closed after {closed_after:.1f}s, before IDLE_TIMEOUT={IDLE_TIMEOUT}"
    assert time.monotonic() - sent < IDLE_TIMEOUT + 8
    assert plain_get(timed.port(service), "/health", None) == 200


def test_the_gateway_waiting_on_a_slow_service_does_not_cut_the_client(timed):
    """A gateway whose GPA service answers after IDLE_TIMEOUT + 2 s: the client's request is in
    progress all that time, and gets the answer; a silent connection opened with it is closed."""
    slow = SlowGpa(delay=IDLE_TIMEOUT + 2.0)
    threading.Thread(target=slow.serve_forever, daemon=True).start()
    ports = {**timed.server.ports, "gateway": free_port(), "gpa": slow.server_address[1]}
    gateway = CampusServer(services=("gateway",), ports=ports, log_name="slow-upstream",
                           env={"HEADER_TIMEOUT": str(HEADER_TIMEOUT), "IDLE_TIMEOUT": str(IDLE_TIMEOUT),
                                "JWT_SECRET_KEY": timed.server.jwt_secret, "REQUEST_TIMEOUT": "30",
                                "LOGIN_RATE_PER_MINUTE": "100000"})
    try:
        gateway.start()
        port = ports["gateway"]
        c = connect(port)
        silent = connect(port)
        try:
            c.sendall(request_bytes("GET", "/api/gpa/scale", timed.tokens["student"]))
            opened = time.monotonic()
            assert slow.asked.wait(10), "the gateway never asked the GPA stand-in"
            answer = read_response(c, IDLE_TIMEOUT + 2.0 + 20, "GET /api/gpa/scale (slow service)")
            waited = time.monotonic() - opened
            assert answer.status_code == 200, f"after {waited:.1f}s: {answer.status_code} {answer.text[:300]}"
            assert waited >= IDLE_TIMEOUT, f"answered after {waited:.1f}s: the stand-in was not that slow?"
            closed_after, _ = wait_closed(silent, max(0.1, opened + IDLE_TIMEOUT + SLACK - time.monotonic()))
            assert closed_after is not None, f"gateway: a silent connection was still open after {IDLE_TIMEOUT + SLACK}s"
        finally:
            c.close()
            silent.close()
    finally:
        if gateway.process and gateway.process.poll() is not None:
            print(gateway.log_tail())
        gateway.close()
        slow.shutdown()
        slow.server_close()


# ----------------------------------------------------------------------------------------------
# (7) invalid values stop start-up, naming the variable

BAD_VALUES = [("HEADER_TIMEOUT", "0", ()), ("HEADER_TIMEOUT", "301", ()), ("HEADER_TIMEOUT", "abc", ()),
              ("HEADER_TIMEOUT", "-3", ("booking",)), ("IDLE_TIMEOUT", "0", ()), ("IDLE_TIMEOUT", "3601", ()),
              ("IDLE_TIMEOUT", "soon", ("gateway",)), ("HEADER_TIMEOUT", "0", ".env"), ("IDLE_TIMEOUT", "99999", ".env")]


@pytest.mark.parametrize("variable,value,services", BAD_VALUES,
                         ids=[f"{v}={x}-" + ("in-.env" if s == ".env" else "+".join(s) or "all") for v, x, s in BAD_VALUES])
def test_an_invalid_timeout_stops_start_up_naming_it(variable, value, services):
    """From the environment, or (services == ".env") from a .env file in the working directory."""
    data_dir = tempfile.mkdtemp(prefix="campus-timeouts-bad-")
    ports = {name: free_port() for name in SERVICES}
    env = {k: v for k, v in os.environ.items() if k not in ("HEADER_TIMEOUT", "IDLE_TIMEOUT")}
    env.update({"APP_ENV": "development", "DATA_DIR": data_dir, "JWT_SECRET_KEY": "t" * 40, "BCRYPT_COST": "4",
                "LOG_LEVEL": "warning", **{PORT_VARIABLE[n]: str(p) for n, p in ports.items()}})
    if services == ".env":
        services = ()
        with open(os.path.join(data_dir, ".env"), "w") as dotenv:
            dotenv.write(f"{variable}={value}\n")
    else:
        env[variable] = value
    out_path, err_path = os.path.join(data_dir, "out.log"), os.path.join(data_dir, "err.log")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        process = subprocess.Popen([campus_binary(), "serve", *services], cwd=data_dir, env=env,
                                   stdout=out, stderr=err, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        served = None
        while process.poll() is None and time.monotonic() < deadline:
            served = next((n for n in (services or SERVICES) if answers_200(ports[n], "/health", 0.5)), None)
            if served:
                break
            time.sleep(0.1)
        assert served is None, f"{variable}={value}: {served} started and answers /health"
        assert process.poll() is not None, f"{variable}={value}: still running after 30s"
        stderr = open(err_path, errors="replace").read()
        stdout = open(out_path, errors="replace").read()
        assert process.returncode != 0, f"{variable}={value}: exit 0; stderr {stderr!r}"
        assert process.returncode > 0 and "crashed" not in stderr + stdout and "Fatal error" not in stderr + stdout, \
            f"{variable}={value}: not a clean stop (exit {process.returncode}): {stderr[:600]!r}"
        assert variable in stderr, f"{variable}={value}: stderr does not name {variable}: {stderr!r} (stdout {stdout[-500:]!r})"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        shutil.rmtree(data_dir, ignore_errors=True)


def test_the_timeouts_are_known_settings_and_their_limits_are_accepted():
    """`campus config` lists every settings variable the build reads (README): both are there; and
    the ends of the allowed ranges (1..300, 1..3600) start."""
    listed = subprocess.run([campus_binary(), "config"], capture_output=True, text=True, timeout=30)
    assert listed.returncode == 0, listed.stderr
    variables = {line.split()[0] for line in listed.stdout.splitlines() if line.strip()}  # the first word of each line
    assert {"HEADER_TIMEOUT", "IDLE_TIMEOUT"} <= variables, f"campus config does not list them: {listed.stdout[-600:]}"
    for header, idle in (("1", "1"), ("300", "3600")):
        server = CampusServer(services=("gpa",), env={"HEADER_TIMEOUT": header, "IDLE_TIMEOUT": idle}, log_name="limits")
        try:
            server.start()
            assert answers_200(server.ports["gpa"], "/health", 10)
        finally:
            server.close()
