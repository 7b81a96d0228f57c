"""Many clients on a low file limit: `campus serve` raises its soft limit of open files to the hard
one at start, so 600 WebSocket clients fit where the shell's soft limit would allow about 300
descriptors for the whole process (every service of it). With the limit left as it was, the
process runs out of descriptors and stops accepting anything, the API included."""
from __future__ import annotations

import asyncio
import resource

import pytest

from support.campus import CampusServer
from support.tokens import mint

SOFT_LIMIT = 300
CLIENTS = 600


def low_soft_limit() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (SOFT_LIMIT, hard))


def test_six_hundred_websocket_clients_under_a_soft_limit_of_three_hundred():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard < CLIENTS * 2 + 200:
        pytest.fail(f"this machine's hard limit of open files ({hard}) is too low for the test; it needs {CLIENTS * 2 + 200}")
    # The test's own sockets need room too.
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, CLIENTS * 2 + 200)), hard))
    with CampusServer(services=("users", "maintenance"), preexec=low_soft_limit) as server:
        limits = open(f"/proc/{server.process.pid}/limits").read()
        line = next(l for l in limits.splitlines() if l.startswith("Max open files"))
        assert line.split()[3] == line.split()[4] == str(hard), f"the soft limit was not raised: {line}"
        asyncio.run(fan_out(server))


async def fan_out(server: CampusServer) -> None:
    import websockets  # from e2e/requirements.txt

    secret = server.env["JWT_SECRET_KEY"]
    url = f"ws://127.0.0.1:{server.ports['maintenance']}/ws"
    sockets = []
    try:
        for index in range(CLIENTS):
            ws = await websockets.connect(f"{url}?token={mint(secret, 70_000 + index, 'technician')}", open_timeout=30,
                                          ping_interval=None, max_queue=None)
            sockets.append(ws)
            assert '"ready"' in await asyncio.wait_for(ws.recv(), 30)
        # The API still answers with all of them connected, and every client hears of the new ticket.
        reporter = mint(secret, 3, "student")
        response = await asyncio.to_thread(server.session.post, f"http://127.0.0.1:{server.ports['maintenance']}/tickets",
                                           json={"title": "Door sticks", "description": "The door to B12 sticks", "location": "B12"},
                                           headers={"Authorization": f"Bearer {reporter}"}, timeout=30)
        assert response.status_code == 201, response.text

        async def heard(ws) -> bool:
            while True:
                if '"ticket.created"' in await ws.recv():
                    return True
        results = await asyncio.wait_for(asyncio.gather(*(heard(ws) for ws in sockets)), 60)
        assert len(results) == CLIENTS and all(results)
    finally:
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
