"""10,000 idle TCP connections (loopback only) do not stop a service answering others quickly."""
from __future__ import annotations

import resource
import select
import socket
import time

import pytest

IDLE = 10_000
OPEN_WITHIN = 60  # seconds to open them all: the test is bounded in time


def open_idle(port: int, count: int) -> list[socket.socket]:
    sockets = []
    deadline = time.monotonic() + OPEN_WITHIN
    for _ in range(count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        sockets.append(s)
        if time.monotonic() > deadline:
            break
    return sockets


def wait_connected(sockets: list[socket.socket], timeout: float = 60) -> int:
    """Waits until every connection attempt has finished (its socket is writable), or `timeout`
    (the server accepts at its own pace, which no fixed pause can know); how many connected."""
    poller = select.poll()
    for s in sockets:
        poller.register(s, select.POLLOUT)
    finished: set[int] = set()
    deadline = time.monotonic() + timeout
    while len(finished) < len(sockets) and time.monotonic() < deadline:
        for fd, _ in poller.poll(100):
            poller.unregister(fd)
            finished.add(fd)
    return sum(1 for s in sockets if s.fileno() in finished and s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0)


@pytest.mark.parametrize("service,path", [("booking", "/rooms"), ("gateway", "/api/rooms")])
def test_service_answers_while_10000_connections_idle(campus, service, path):
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert soft >= IDLE + 500, f"ulimit -n is {soft}; scripts/security-test raises it (run the suite through it)"
    token = campus.tokens["student"]
    sockets = open_idle(campus.ports[service], IDLE)
    try:
        assert len(sockets) == IDLE, f"opened only {len(sockets)} connections in {OPEN_WITHIN}s"
        connected = wait_connected(sockets)  # instead of a pause of one second
        assert connected >= IDLE * 0.99, f"only {connected} of {IDLE} connections were established"
        for _ in range(5):
            started = time.monotonic()
            r = campus.get(service, path, token=token, timeout=5)
            elapsed = time.monotonic() - started
            assert r.status_code == 200, r.text
            assert elapsed < 2, f"a normal request took {elapsed:.2f}s with {IDLE} idle connections open"
    finally:
        for s in sockets:
            s.close()
    # And afterwards the service is still healthy.
    assert campus.get(service, "/health").status_code == 200
