"""Fault injection against real `campus` processes: kill -9, a hanging downstream service, a full disk.

Services run as separate processes sharing one data folder and one key, as `scripts/start-all`
runs them, so one service can be killed, frozen or starved while the others keep serving.
Every exchange (`cluster.request`, and the CampusServers' own helpers) is checked against the
answering service's /openapi.json by openapi-core (support/openapi_check.py).
"""
from __future__ import annotations

import os
import re
import secrets
import signal
import sqlite3
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import pytest
import requests

from support.campus import CampusServer
from support.services import SERVICES, distinct_ports
from support.slots import slot
from support.openapi_check import ContractChecker, ValidatedSession
from support.tokens import mint

PROBLEM = "application/problem+json"


class Cluster:
    """Several `campus serve <services>` processes on one data folder, ports and key."""

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None):
        self.data_dir = data_dir
        self.ports = distinct_ports()
        self.secret = secrets.token_hex(32)
        # The breaker opens for 5 s instead of the default 60: the kill tests wait it out after each
        # restart; what they prove (no booking or notice lost or doubled) does not depend on its length.
        self.env = {"JWT_SECRET_KEY": self.secret, "REQUEST_RETRY_BACKOFF": "0.05", "CIRCUIT_BREAKER_OPEN_SECONDS": "5",
                    **(env or {})}
        self.servers: list[CampusServer] = []
        self.checker = ContractChecker(self.ports)  # whichever process serves a port, its document applies

    def server(self, services: tuple[str, ...], name: str, env: dict[str, str] | None = None) -> CampusServer:
        server = CampusServer(services=services, env={**self.env, **(env or {})}, data_dir=str(self.data_dir),
                              ports=self.ports, log_name=name)
        self.servers.append(server)
        return server

    def close(self) -> None:
        for server in self.servers:
            if server.process and server.process.poll() is None:
                os.kill(server.process.pid, signal.SIGCONT)  # a frozen process must be able to stop
            server.stop()
            server.session.close()

    def url(self, service: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}{path}"

    def request(self, method: str, service: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
        """One exchange on a fresh connection (as `requests.request` makes it), checked against the documents."""
        headers = dict(kwargs.pop("headers", None) or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        with ValidatedSession(checker=self.checker) as session:
            session.trust_env = False
            return session.request(method, self.url(service, path), headers=headers, **kwargs)


@pytest.fixture
def cluster(tmp_path):
    cluster = Cluster(tmp_path)
    yield cluster
    cluster.close()


def faculty_accounts(server: CampusServer, count: int, prefix: str) -> list[str]:
    """Tokens of `count` new faculty accounts, made by the admin through `server` (which runs the
    gateway and user management). Requests through the gateway need real accounts: it refuses a
    token whose account does not exist (401 account_deleted, docs/contract.md §11), whereas the services
    themselves only verify the signature (tokens minted for made-up users still work there)."""
    admin = server.token("admin")
    tokens = []
    for n in range(count):
        email = f"{prefix}-{n}-{secrets.token_hex(3)}@example.com"
        made = server.post("users", "/users", token=admin,
                           json={"email": email, "name": f"Fault faculty {n}", "password": "fault-password-1", "role": "faculty"})
        assert made.status_code == 201, made.text
        tokens.append(server.login(email, "fault-password-1"))
    return tokens


def read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)


def test_every_notice_is_delivered_exactly_once_across_a_kill_9_of_the_notification_service(cluster):
    notification = cluster.server(("notification",), "notification").start()
    rest = cluster.server(("gateway", "users", "booking", "gpa", "maintenance"), "rest").start()
    student = rest.token("student")
    rooms = [room["id"] for room in cluster.request("GET", "booking", "/rooms?limit=100", student, timeout=10).json()]

    def booking(i: int) -> int:
        token = mint(cluster.secret, 7000 + i, "faculty")  # one booking, so one notice, per user
        response = cluster.request("POST", "booking", "/bookings", token, timeout=15,
                                   json={**slot(i, rooms, first_day=2), "purpose": f"Fault booking {i}"})
        return response.status_code

    def ticket(i: int) -> int:
        response = cluster.request("POST", "maintenance", "/tickets", student, timeout=15,
                                   json={"title": f"Fault ticket {i}: sticky door hinge", "description": "The door hinge squeaks.",
                                         "location": f"Library room {i}"})
        return response.status_code

    # Each step comes after a count of answered requests, never after a time: the kill once 50 are
    # answered, the restart once 80 more were answered with the notification service down, and the
    # last 70 are sent only once it is back (so notices are still being created after the restart,
    # however fast the machine got through the first 130 while it restarted).
    jobs = [job for i in range(100) for job in ((booking, i), (ticket, i))]  # interleaved
    statuses = []
    with ThreadPoolExecutor(8) as pool:
        for done, future in enumerate(as_completed([pool.submit(*job) for job in jobs[:130]]), start=1):
            statuses.append(future.result())
            if done == 50:
                notification.kill()
        notification.start()
        statuses += [future.result() for future in [pool.submit(*job) for job in jobs[130:]]]
    assert statuses.count(201) == 200, sorted(set(statuses))

    def outbox_states() -> dict[str, int]:
        states: dict[str, int] = {}
        for service_db in ("bookings.db", "maintenance.db"):
            with read_only(cluster.data_dir / service_db) as db:
                for state, count in db.execute("SELECT state, COUNT(*) FROM outbox_events GROUP BY state"):
                    states[state] = states.get(state, 0) + count
        return states

    database = cluster.data_dir / "notifications.db"
    # Until the outbox has nothing left to send: then no delivery (and so no duplicate) can still be
    # under way. (The senders' circuit breaker may hold deliveries back for up to a minute.)
    deadline = time.monotonic() + 150
    while (states := outbox_states()).get("pending", 0) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not states.get("pending", 0), f"outbox events still pending after 150 s: {states}"
    with read_only(database) as db:
        per_user = dict(db.execute("SELECT audience_user_id, COUNT(*) FROM notifications WHERE title = 'Booking confirmed' "
                                   "GROUP BY audience_user_id").fetchall())
        per_ticket = dict(db.execute("SELECT title, COUNT(*) FROM notifications WHERE title LIKE 'New P_ ticket: Fault ticket %' "
                                     "GROUP BY title").fetchall())
    assert sorted(per_user) == sorted(str(7000 + i) for i in range(100))
    assert set(per_user.values()) == {1}, "a booking notice was delivered more than once"
    assert len(per_ticket) == 100 and set(per_ticket.values()) == {1}
    for service_db in ("bookings.db", "maintenance.db"):
        with read_only(cluster.data_dir / service_db) as db:
            states = dict(db.execute("SELECT state, COUNT(*) FROM outbox_events GROUP BY state").fetchall())
        assert set(states) == {"delivered"}, (service_db, states)


def test_acknowledged_bookings_survive_a_kill_9_of_the_booking_service_and_no_slot_is_double_booked(cluster):
    booking = cluster.server(("booking",), "booking").start()
    rest = cluster.server(("gateway", "users", "gpa", "notification", "maintenance"), "rest").start()
    # Three attempts want each slot, each from another account (attempt i books as accounts[i % 15];
    # at most 20 attempts per account, the faculty limit of upcoming bookings).
    accounts = faculty_accounts(rest, 15, "kill")
    rooms = [room["id"] for room in cluster.request("GET", "booking", "/rooms?limit=100", mint(cluster.secret, 1, "faculty"),
                                                    timeout=10).json()]
    # 300 requests over 100 slots: every slot is wanted by three different users at once.
    wanted = [slot(i, rooms, first_day=3) for i in range(100)]
    acknowledged: list[tuple[int, str]] = []
    refused: dict[int, int] = {}
    # Attempts refused 409 after a failed try: the failed try may have been committed by the booking
    # service just before the kill -9, its answer lost (a client cannot tell). Such a booking is
    # stored though never acknowledged; the client's retry then finds its own booking in the slot.
    ambiguous: set[int] = set()
    failed_attempts: list[float] = []  # when an attempt was answered 502/503/504 or not at all
    lock = threading.Lock()
    restarted_at = [float("inf")]
    acknowledged_after_restart = [0]
    abort = threading.Event()  # set when the test fails: the other attempts stop retrying

    def attempt(i: int) -> None:
        token = accounts[i % len(accounts)]
        # A client retries what was not acknowledged, as users do, until it is answered; within a
        # time, not a number of tries: after the kill the gateway's circuit breaker refuses booking
        # calls for up to a minute, and a count of tries used to run out inside it.
        give_up = time.monotonic() + 150
        failed_before = False
        while time.monotonic() < give_up and not abort.is_set():
            try:
                response = cluster.request("POST", "gateway", "/api/bookings", token,
                                           timeout=10, json={**wanted[i % 100], "purpose": f"Kill test {i}"})
            except requests.RequestException:
                failed_before = True
                with lock:
                    failed_attempts.append(time.monotonic())
                time.sleep(0.2)
                continue
            if response.status_code == 201:
                with lock:
                    acknowledged.append((response.json()["id"], token))
                    if time.monotonic() > restarted_at[0]:
                        acknowledged_after_restart[0] += 1
                return
            if response.status_code == 409:
                with lock:
                    refused[i] = 409
                    if failed_before:
                        ambiguous.add(i)
                return
            assert response.status_code in (502, 503, 504), response.text  # never a 500
            failed_before = True
            with lock:
                failed_attempts.append(time.monotonic())
            time.sleep(0.2)

    def failed_since(moment: float) -> int:
        with lock:
            return sum(1 for at in failed_attempts if at >= moment)

    with ThreadPoolExecutor(12) as pool:
        futures = [pool.submit(attempt, i) for i in range(300)]
        try:
            for done, future in enumerate(as_completed(futures), start=1):
                future.result()
                if done == 60:  # the load is running: 60 attempts answered
                    killed_at = time.monotonic()
                    booking.kill()
                    # down until the clients have felt it (5 failed attempts open the gateway's
                    # breaker), instead of for a fixed second
                    deadline = time.monotonic() + 30
                    while failed_since(killed_at) < 5 and time.monotonic() < deadline:
                        time.sleep(0.05)
                    assert failed_since(killed_at) >= 5, "no client noticed the booking service was down"
                    booking.start()
                    restarted_at[0] = time.monotonic()
        except BaseException:
            abort.set()
            for future in futures:
                future.cancel()
            raise
    assert len(acknowledged) >= 90, f"only {len(acknowledged)} bookings acknowledged"
    assert acknowledged_after_restart[0] > 0, "no booking was acknowledged after the restart"
    for booking_id, token in acknowledged:
        response = cluster.request("GET", "booking", f"/bookings/{booking_id}", token, timeout=10)
        assert response.status_code == 200 and response.json()["status"] == "confirmed", (booking_id, response.text)
    booking.stop()
    with read_only(cluster.data_dir / "bookings.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        overlaps = db.execute("""SELECT COUNT(*) FROM bookings a JOIN bookings b ON a.room_id = b.room_id AND a.id < b.id
                                 AND a.status = 'confirmed' AND b.status = 'confirmed'
                                 AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at""").fetchone()[0]
        confirmed = dict(db.execute("SELECT id, purpose FROM bookings WHERE status = 'confirmed' AND purpose LIKE 'Kill test %'").fetchall())
    assert overlaps == 0
    acknowledged_ids = {booking_id for booking_id, _ in acknowledged}
    assert acknowledged_ids <= set(confirmed) and len(confirmed) <= 100
    # Every stored booking was acknowledged, or is an ambiguous attempt's own (see `ambiguous`).
    unacknowledged = {booking_id: purpose for booking_id, purpose in confirmed.items() if booking_id not in acknowledged_ids}
    assert all(int(purpose.rsplit(" ", 1)[1]) in ambiguous for purpose in unacknowledged.values()), \
        f"stored but never acknowledged, and not by an attempt whose answer was lost: {unacknowledged} (ambiguous: {sorted(ambiguous)})"


def test_a_hanging_service_costs_the_gateway_at_most_the_request_timeout_and_opens_the_breaker(cluster):
    booking = cluster.server(("booking",), "booking").start()
    gateway = cluster.server(("gateway", "users", "gpa", "notification", "maintenance"), "rest",
                             env={"REQUEST_TIMEOUT": "1", "CIRCUIT_BREAKER_OPEN_SECONDS": "3"}).start()
    token = gateway.token("student")
    assert gateway.get("gateway", "/api/rooms", token=token).status_code == 200
    os.kill(booking.process.pid, signal.SIGSTOP)  # the process hangs: connections are accepted, nothing answers
    try:
        for _ in range(5):
            started = time.monotonic()
            response = gateway.get("gateway", "/api/rooms", token=token)
            elapsed = time.monotonic() - started
            assert response.status_code in (503, 504), response.text
            assert response.headers["Content-Type"].startswith(PROBLEM)
            assert 0.9 <= elapsed < 1.6, f"answered after {elapsed:.2f} s with REQUEST_TIMEOUT=1"
        started = time.monotonic()
        response = gateway.get("gateway", "/api/rooms", token=token)
        elapsed = time.monotonic() - started
        assert response.status_code == 503 and elapsed < 0.3, f"breaker not open: {response.status_code} after {elapsed:.2f} s"
        opened = started
        wait = re.search(r"try again in (\d+) s", response.json()["detail"])
        assert wait and 1 <= int(wait.group(1)) <= 3, response.json()["detail"]  # CIRCUIT_BREAKER_OPEN_SECONDS=3
        # Other services keep answering while booking hangs.
        assert gateway.get("gateway", "/api/notifications/unread-count", token=token).status_code == 200
    finally:
        os.kill(booking.process.pid, signal.SIGCONT)
    # Once the breaker's 3 s are over, one trial call finds booking answering again and closes it (on
    # a slow machine the trial may still time out, 504, and the breaker opens for another 3 s).
    deadline = time.monotonic() + 60
    while (response := gateway.get("gateway", "/api/rooms", token=token)).status_code != 200 and time.monotonic() < deadline:
        assert response.status_code in (503, 504), response.text
        time.sleep(0.2)
    assert response.status_code == 200, f"the breaker never closed again: {response.status_code} {response.text}"
    assert time.monotonic() - opened >= 2, "the breaker closed before its CIRCUIT_BREAKER_OPEN_SECONDS"


def as_root(command: list[str]) -> list[str]:
    return command if os.geteuid() == 0 else ["sudo", *command]


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "data"
    mount.mkdir()
    subprocess.run(as_root(["mount", "-t", "tmpfs", "-o", "size=24m,mode=0777", "tmpfs", str(mount)]), check=True)
    yield mount
    subprocess.run(as_root(["umount", "-l", str(mount)]), check=False)


def fill(path: Path) -> None:
    """Writes filler files until the file system refuses even 512 bytes more."""
    for index, size in enumerate((256 * 1024, 4096, 512)):
        try:
            descriptor = os.open(path / f"filler-{index}.bin", os.O_WRONLY | os.O_CREAT, 0o600)
        except OSError:
            return
        try:
            while True:
                os.write(descriptor, b"\0" * size)
        except OSError:
            pass
        finally:
            os.close(descriptor)


def test_a_full_disk_gives_clear_503s_no_corruption_and_recovery(small_disk):
    cluster = Cluster(small_disk)
    try:
        campus = cluster.server(tuple(SERVICES), "campus").start()
        student, admin = campus.token("student"), campus.token("admin")
        faculty = faculty_accounts(campus, 27, "disk")  # book(i) books as faculty[i // 15], i < 400
        rooms = [room["id"] for room in campus.get("booking", "/rooms?limit=100", token=student).json()]

        def book(i: int) -> requests.Response:
            return campus.post("gateway", "/api/bookings", token=faculty[i // 15], json={
                **slot(i, rooms, first_day=4), "purpose": "Disk test " + "x" * 150})

        before = book(0)
        assert before.status_code == 201
        fill(small_disk)
        refused = None
        for i in range(1, 400):  # WAL pages already on disk may take a few writes before the disk refuses
            response = book(i)
            assert response.status_code in (201, 503), f"{response.status_code}: {response.text}"
            if response.status_code == 503:
                refused = (i, response)
                break
        assert refused, "no write was refused on a full disk"
        index, response = refused
        assert response.headers["Content-Type"].startswith(PROBLEM)
        assert response.json()["code"] == "storage_unavailable"
        assert "Nothing was changed" in response.json()["detail"]
        ticket = campus.post("gateway", "/api/tickets", token=student, json={
            "title": "Broken chair", "description": "Leg snapped " + "y" * 2000, "location": "Library"})
        assert ticket.status_code in (201, 503) and ticket.status_code != 500
        # Reads keep working while the disk is full.
        assert campus.get("gateway", "/api/rooms", token=student).status_code == 200
        assert campus.get("gateway", f"/api/bookings/{before.json()['id']}", token=faculty[0]).status_code == 200

        for leftover in small_disk.glob("filler*.bin"):
            leftover.unlink()
        recovered = book(index)
        assert recovered.status_code == 201, recovered.text
        notice = campus.post("gateway", "/api/notifications", token=admin, json={
            "title": "Disk back", "message": "Space is back", "level": "info", "audience": {"all": True}})
        assert notice.status_code == 201, notice.text
        campus.stop()
        for name in ("bookings.db", "maintenance.db", "notifications.db", "users.db", "gateway.db"):
            with read_only(small_disk / name) as db:
                assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", name
        with read_only(small_disk / "bookings.db") as db:
            ids = {row[0] for row in db.execute("SELECT id FROM bookings")}
        assert before.json()["id"] in ids and recovered.json()["id"] in ids
    finally:
        cluster.close()
