"""The six services as the end-to-end suites (and scripts/lib/bench.py) see them: one table.

    from support.services import SERVICES, PORT_VARIABLE, GATEWAY_PREFIX, free_port, wait_until_ready
    for name in SERVICES: ...                      # gateway, users, booking, gpa, notification, maintenance
    env[PORT_VARIABLE["booking"]] = str(free_port())
    "/api" + "/rooms" == GATEWAY_PREFIX["booking"] + "/rooms"
    wait_until_ready({"booking": port}, timeout=60, exited=lambda: process.poll() is not None and "exited")

Standard library only (scripts/lib/common.sh's free_port runs it with the system python3).
docs/contract.md §1 (names, port variables, default ports) and §4 (what the gateway forwards, under which prefix).
"""
from __future__ import annotations

import http.client
import re
import socket
import sys
import time
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Service:
    name: str
    port_variable: str
    host_variable: str
    default_port: int
    gateway_prefix: str              # the gateway reaches the service's path P at gateway_prefix + P ("" for the gateway)
    gateway_route: re.Pattern | None  # gateway paths that belong to the service (None: the gateway's own)
    forwarded: re.Pattern | None      # the service's own paths the gateway forwards (None: the gateway's own)


SERVICES: dict[str, Service] = {s.name: s for s in (
    Service("gateway", "GATEWAY_PORT", "GATEWAY_HOST", 5001, "", None, None),
    Service("users", "USER_MGMT_PORT", "USER_MGMT_HOST", 8002, "/api",
            re.compile(r"^/api/(users)(/|$)"), re.compile(r"^/users(/|$)")),
    Service("booking", "BOOKING_PORT", "BOOKING_HOST", 8001, "/api",
            re.compile(r"^/api/(rooms|bookings)(/|$)"), re.compile(r"^/(rooms|bookings)(/|$)")),
    Service("gpa", "GPA_PORT", "GPA_HOST", 8003, "/api/gpa",
            re.compile(r"^/api/gpa(/|$)"), re.compile(r"^/(?!health|metrics|openapi\.json|docs)[^/]")),
    Service("notification", "NOTIFICATION_PORT", "NOTIFICATION_HOST", 8004, "/api",
            re.compile(r"^/api/(notifications)(/|$)"), re.compile(r"^/notifications(/|$)")),
    Service("maintenance", "MAINTENANCE_PORT", "MAINTENANCE_HOST", 8080, "/api",
            re.compile(r"^/api/(tickets|triage)(/|$)"), re.compile(r"^/(tickets|triage)(/|$)")),
)}

PORT_VARIABLE = {name: s.port_variable for name, s in SERVICES.items()}
HOST_VARIABLE = {name: s.host_variable for name, s in SERVICES.items()}
DEFAULT_PORT = {name: s.default_port for name, s in SERVICES.items()}
GATEWAY_PREFIX = {name: s.gateway_prefix for name, s in SERVICES.items()}
# Gateway paths a service serves at the same path, outside /api (docs/contract.md §4): the subscribed calendars.
SAME_PATH_ROUTES = ((re.compile(r"^/calendar/"), "booking"),)


def free_port() -> int:
    """An unused TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers_200(port: int, path: str, timeout: float, host: str = "127.0.0.1") -> bool:
    """True when GET http://host:port{path} answers 200 (a bare connection: no proxy from the environment)."""
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", path)
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def wait_until_ready(ports: dict[str, int], timeout: float = 60, path: str = "/health/ready", *,
                     exited: Callable[[], str | None] | None = None, interval: float = 0.05,
                     request_timeout: float = 1.0) -> None:
    """Polls GET path on every port until each has answered 200 once. Raises RuntimeError naming the
    ones still pending after `timeout` seconds, or at once when `exited()` returns a message (the
    process being waited for has died; the message says how). Not checked against the documents:
    a starting process serves no document yet."""
    deadline = time.monotonic() + timeout
    pending = dict(ports)
    while pending:
        if exited is not None:
            death = exited()
            if death:
                raise RuntimeError(death)
        for name, port in list(pending.items()):
            if answers_200(port, path, request_timeout):
                del pending[name]
        if not pending:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"not ready after {timeout}s: {sorted(pending)}")
        time.sleep(interval)



def distinct_ports(names=None) -> dict[str, int]:
    """A free loopback port for each name (default: each service), all different: the sockets are held open
    until every port is chosen (free_port() per name releases each at once, so two can draw the same one)."""
    names = list(SERVICES if names is None else names)
    held = []
    try:
        for _ in names:
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            held.append(sock)
        return {name: sock.getsockname()[1] for name, sock in zip(names, held)}
    finally:
        for sock in held:
            sock.close()


if __name__ == "__main__":  # python3 e2e/support/services.py free-port
    if sys.argv[1:] == ["free-port"]:
        print(free_port())
    else:
        raise SystemExit("usage: services.py free-port")
