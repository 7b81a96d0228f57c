"""The contract suite's server: one real `campus serve` per storage backend, with enough data to page.

SQLite always; PostgreSQL too when CAMPUS_TEST_POSTGRES_URL names a server (scripts/test exports it):
the suite then makes a database of its own there and drops it afterwards. Every session-scoped
fixture below is parametrized through `campus_server`, so each test runs once per backend.
"""
from __future__ import annotations

import os
import secrets
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote, urlparse

import pytest

from support.campus import CampusServer
from support.openapi_check import ValidatedSession
from support.slots import Slots, campus_today
from datetime import timedelta

from contract_support import PASSWORD

POSTGRES_URL = os.environ.get("CAMPUS_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
ROLES = ("admin", "faculty", "student", "technician")

# Rows made so that lists outgrow the default page (50) and, where it is cheap, the largest page (200).
EXTRA_USERS = 52          # + 4 seeded users
EXTRA_ROOMS = 52          # + the seeded catalogue (at least 8)
STUDENT_NOTICES = 205     # to the role student: the default student's list passes 200
LISTER_BOOKINGS = 53      # booked and cancelled by one faculty member (cancelled ones stay listed)
STUDENT_TICKETS = 53      # opened by the default student (technicians see them all)
TICKET_COMMENTS = 205     # on one ticket: its comment list passes 200
ROOM_BOOKINGS = 9         # confirmed, in the first extra room, by another faculty member (an admin's room list)
ROOM_CLOSURES = 9         # of the first extra room, 40 days ahead and on (past every slot the walkers book)
WAITING = ROOM_BOOKINGS   # the lister waits for each of those bookings' slots (their waiting list)


def postgres_env(url: str, database: str) -> dict[str, str]:
    parsed = urlparse(url)
    return {"DATABASE_TYPE": "postgresql", "DB_HOST": parsed.hostname or "127.0.0.1",
            "DB_PORT": str(parsed.port or 5432), "DB_NAME": database,
            "DB_USER": unquote(parsed.username or "postgres"), "DB_PASSWORD": unquote(parsed.password or ""),
            "DB_POOL_MIN": "1", "DB_POOL_MAX": "10"}


def _admin_connection(url: str):
    import pg8000.native
    parsed = urlparse(url)
    return pg8000.native.Connection(user=unquote(parsed.username or "postgres"), password=unquote(parsed.password or "") or None,
                                    host=parsed.hostname or "127.0.0.1", port=parsed.port or 5432, database="postgres")


@pytest.fixture(scope="session", params=BACKENDS)
def campus_server(request):
    """A started CampusServer (all six services) on SQLite, then on PostgreSQL when there is one."""
    env = {"LOGIN_RATE_PER_MINUTE": "100000"}  # this suite signs in far more than 60 times a minute
    database = None
    if request.param == "postgresql":
        database = f"campus_contract_{os.getpid()}_{secrets.token_hex(3)}"
        connection = _admin_connection(POSTGRES_URL)
        try:
            connection.run(f"CREATE DATABASE {database}")
        finally:
            connection.close()
        env.update(postgres_env(POSTGRES_URL, database))
    server = CampusServer(env=env, log_name=f"contract-{request.param}")
    try:
        server.start()
        yield server
    finally:
        if server.process and server.process.poll() is not None:
            print(server.log_tail())
        server.close()
        if database:
            connection = _admin_connection(POSTGRES_URL)
            try:
                connection.run(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            finally:
                connection.close()


def tiny_jpeg(shade: int = 0) -> bytes:
    """A real 16×12 JPEG (Pillow), a little different for each `shade`."""
    import io
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (16, 12), (40 * shade % 256, 120, 200)).save(out, "JPEG")
    return out.getvalue()


class World:
    """Tokens, ids and data on the server, made through CampusServer's helpers (whose exchanges are
    checked against the documents too, like those of every suite: support/campus.py)."""

    def __init__(self, server: CampusServer):
        self.server = server
        self.tokens = {role: server.token(role) for role in ROLES}
        self.user_ids = {role: self.ok("GET", "gateway", "/auth/me", role).json()["id"] for role in ROLES}
        self._slots = Slots()
        self.day = campus_today()
        self.path_ids: dict[str, object] = {}   # collection (the path segment before {param}) -> an id there
        self.list_tokens: dict[str, str] = {}   # role -> the token whose lists are the longest for that role

    # plain HTTP ------------------------------------------------------------------------------
    def token_of(self, who: str) -> str:
        return self.tokens.get(who, who)

    def ok(self, method: str, service: str, path: str, who: str, expect: int = 200, **kwargs):
        r = self.server.request(method, service, path, token=self.token_of(who), **kwargs)
        assert r.status_code == expect, f"set-up: {method} {service} {path} -> {r.status_code} (wanted {expect}): {r.text[:300]}"
        return r

    def new_user(self, role: str = "student", prefix: str = "contract") -> dict:
        """A fresh account (made by the admin): {"id", "email", "name", "token", "role"}."""
        email = f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"
        user = self.ok("POST", "users", "/users", "admin", expect=201,
                       json={"email": email, "name": f"Contract {role}", "password": PASSWORD, "role": role}).json()
        return {"id": user["id"], "email": email, "name": user["name"], "role": role, "token": self.server.login(email, PASSWORD)}

    def next_slot(self, rooms: list) -> dict:
        """A distinct 1-hour slot 1–13 days ahead, 08:00–18:00, in one of `rooms`."""
        return self._slots.next(rooms)

    # data --------------------------------------------------------------------------------------
    def seed(self) -> None:
        with ThreadPoolExecutor(4) as pool:
            users = list(pool.map(lambda n: self.ok("POST", "users", "/users", "admin", expect=201, json={
                "email": f"list-{n}-{uuid.uuid4().hex[:6]}@example.com", "name": f"List user {n}",
                "password": PASSWORD, "role": "technician" if n % 10 == 0 else "student"}).json(), range(EXTRA_USERS)))
            rooms = list(pool.map(lambda n: self.ok("POST", "booking", "/rooms", "admin", expect=201, json={
                "name": f"Contract room {n} {uuid.uuid4().hex[:6]}", "building": "Contract hall", "capacity": 12,
                "features": ["whiteboard"], "faculty_only": False}).json(), range(EXTRA_ROOMS)))
            self.rooms = [room["id"] for room in rooms]
            notices = list(pool.map(lambda n: self.ok("POST", "notification", "/notifications", "admin", expect=201, json={
                "title": f"Notice {n}", "message": "For paging", "level": "info", "audience": {"role": "student"}}).json(),
                range(STUDENT_NOTICES)))
            tickets = list(pool.map(lambda n: self.ok("POST", "maintenance", "/tickets", "student", expect=201, json={
                "title": f"Squeaky door {n}", "description": "It squeaks when opened", "location": f"Building C, room {n}"}).json(),
                range(STUDENT_TICKETS)))
            ticket = tickets[0]["id"]
            # Photos of the report (image bodies, GET /tickets/{id}/photos lists them).
            for n in range(2):
                r = self.server.request("POST", "maintenance", f"/tickets/{ticket}/photos", token=self.tokens["student"],
                                        data=tiny_jpeg(n), headers={"Content-Type": "image/jpeg"})
                assert r.status_code == 201, r.text
            list(pool.map(lambda n: self.ok("POST", "maintenance", f"/tickets/{ticket}/comments", "student", expect=201,
                                            json={"body": f"Comment {n}"}), range(TICKET_COMMENTS)))
            self.lister = self.new_user("faculty", "lister")
            slots = [self.next_slot(self.rooms) for _ in range(LISTER_BOOKINGS)]

            def book_and_cancel(slot):
                booking = self.ok("POST", "booking", "/bookings", self.lister["token"], expect=201,
                                  json={**slot, "purpose": "Paging"}).json()
                self.ok("DELETE", "booking", f"/bookings/{booking['id']}", self.lister["token"], expect=204)
                return booking
            bookings = list(pool.map(book_and_cancel, slots))
            keeper = self.new_user("faculty", "room-lister")
            room_slots = [self.next_slot([self.rooms[0]]) for _ in range(ROOM_BOOKINGS)]
            list(pool.map(lambda slot: self.ok("POST", "booking", "/bookings", keeper["token"], expect=201,
                                               json={**slot, "purpose": "An admin's room list"}), room_slots))
            waiting = list(pool.map(lambda slot: self.ok("POST", "booking", "/bookings/waitlist", self.lister["token"], expect=201,
                                                         json={**slot, "purpose": "Waiting"}).json(), room_slots[:WAITING]))
            # Requests waiting for approval, for the admin's queue (GET /bookings/approvals).
            self.ok("PUT", "booking", f"/rooms/{self.rooms[1]}", "admin", json={"approval_required": True})
            requester = self.new_user("faculty", "requester")
            list(pool.map(lambda slot: self.ok("POST", "booking", "/bookings", requester["token"], expect=201,
                                               json={**slot, "purpose": "Waiting for approval"}),
                          [self.next_slot([self.rooms[1]]) for _ in range(3)]))
            closures = list(pool.map(lambda n: self.ok("POST", "booking", f"/rooms/{self.rooms[0]}/closures", "admin", expect=201, json={
                "from_date": (self.day + timedelta(days=40 + 2 * n)).isoformat(), "to_date": (self.day + timedelta(days=40 + 2 * n)).isoformat(),
                "reason": f"Closure {n}"}).json(), range(ROOM_CLOSURES)))
        self.path_ids = {"users": users[0]["id"], "rooms": self.rooms[0], "bookings": bookings[0]["id"],
                         "notifications": notices[0]["id"], "tickets": ticket, "closures": closures[0]["id"],
                         "waitlist": waiting[0]["id"]}
        self.list_tokens = {"admin": self.tokens["admin"], "technician": self.tokens["technician"],
                            "faculty": self.lister["token"], "student": self.tokens["student"]}


@pytest.fixture(scope="session")
def world(campus_server) -> World:
    w = World(campus_server)
    w.seed()
    return w


@pytest.fixture
def validated_session(campus_server):
    """Every request and response checked against the serving service's document (support/openapi_check.py)."""
    with ValidatedSession(campus_server) as session:
        yield session
