"""One real `campus serve` (all six services, temporary SQLite data) for the whole security suite."""
from __future__ import annotations

import secrets

import pytest

from support.campus import CampusServer
from support.problems import assert_problem  # noqa: F401 - the suite's tests import it from here
from support.services import GATEWAY_PREFIX
from support.slots import Slots


class Campus:
    """The running server plus helpers the tests share."""

    def __init__(self, server: CampusServer):
        self.server = server
        self.tokens = {role: server.token(role) for role in ("admin", "faculty", "student", "technician")}
        self.ids = {role: str(server.get("gateway", "/auth/me", token=tok).json()["id"]) for role, tok in self.tokens.items()}
        rooms = server.get("booking", "/rooms", token=self.tokens["student"], params={"limit": 200}).json()
        self.open_rooms = [r["id"] for r in rooms if not r["faculty_only"]]
        self._slots = Slots(self.open_rooms)

    def __getattr__(self, name):
        return getattr(self.server, name)

    def call(self, method: str, service: str, path: str, token: str | None = None, via: str = "direct", **kwargs):
        """`via="gateway"` sends the same request to the gateway's `/api` route for `service`."""
        if via == "gateway":
            return self.server.request(method, "gateway", GATEWAY_PREFIX[service] + path, token, **kwargs)
        return self.server.request(method, service, path, token, **kwargs)

    def next_slot(self) -> dict:
        """A distinct free slot (room, date, hour) inside the student limits: 1–13 days ahead, 08:00–18:00."""
        return self._slots.next()

    def new_user(self, role: str = "student") -> tuple[str, str, str]:
        """Creates an account (as admin); returns (id, email, token)."""
        email = f"sec-{secrets.token_hex(4)}@example.com"
        password = "correct-horse-battery"
        r = self.server.post("users", "/users", token=self.tokens["admin"],
                             json={"email": email, "name": "Security Test", "password": password, "role": role})
        assert r.status_code == 201, r.text
        return str(r.json()["id"]), email, self.server.login(email, password)


@pytest.fixture(scope="session")
def campus():
    # The per-address login rate (60/min) would otherwise be spent by this suite's own sign-ins
    # from 127.0.0.1; the lockout tests still run with the contract's per-account rules.
    server = CampusServer(env={"LOGIN_RATE_PER_MINUTE": "100000"}, log_name="security")
    server.start()
    try:
        yield Campus(server)
    finally:
        if server.process and server.process.poll() is not None:
            print(server.log_tail())
        server.close()
