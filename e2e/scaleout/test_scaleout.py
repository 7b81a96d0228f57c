"""Two booking and two maintenance instances on one PostgreSQL behind nginx (round robin):
one winner among 50 racing requests, WebSocket events across instances, and no acknowledged
request lost when an instance is stopped (SIGTERM) or killed (SIGKILL) mid-stream.
HTTP goes through `cluster.session()`: every exchange checked against the documents
(support/openapi_check.py); the WebSocket listeners are not checked (the documents describe only
the handshake)."""
from __future__ import annotations

import base64
import itertools
import json
import signal
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import requests
from websockets.sync.client import connect

from support.slots import days_ahead, slot

RACERS = 50
STREAM_WORKERS = 4          # below the gateway's circuit-breaker threshold (5 consecutive failures)
BOOKINGS_PER_ACCOUNT = 18   # faculty may hold 20 upcoming bookings
# The stop-and-restart streams are paced, and each step of a stop is triggered by what the stream
# has done, never by a clock. (A stream capped by count, with the stop at a share of a fixed window,
# had ended before the stop on a fast machine: nothing left to acknowledge after it.) Requests go
# out at a steady rate whatever the machine (slower only if the workers cannot keep up), and the
# stream runs until every step below has been seen to happen.
STREAM_RATE = 40.0          # requests per second, bookings and tickets alternating (about the old stream's volume)
WARMUP_ACKS = 20            # of each kind acknowledged before the stop: the stream is running
OUTAGE_ACKS = 12            # of each kind, first sent after the victims exited, acknowledged before they restart
AFTER_RESTART_ACKS = 20     # of each kind, first sent after the victims were ready again, acknowledged at the end
STEP_TIMEOUT = 60.0         # generous deadline for each step; a step that does not happen fails the test


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def user_id(token: str) -> str:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]


def test_fifty_requests_for_one_slot_across_two_booking_instances_make_one_booking(cluster, summary):
    token = cluster.login("faculty@example.com", "faculty123")
    with cluster.session() as session:
        rooms = session.get(cluster.front + "/api/rooms", headers=auth(token), timeout=10).json()
    room = rooms[0]["id"]
    day = days_ahead(3)
    body = {"room_id": room, "date": day, "start_time": "10:00", "end_time": "11:00", "purpose": "race"}
    pair = [cluster.instances["booking-a"], cluster.instances["booking-b"]]
    before = [i.request_count("/bookings", "POST") for i in pair]
    barrier = threading.Barrier(RACERS)

    def book(_):
        with cluster.session() as session:
            barrier.wait(timeout=30)
            r = session.post(cluster.front + "/api/bookings", json=body, headers=auth(token), timeout=60)
            return r.status_code, r.text

    started = time.monotonic()
    with ThreadPoolExecutor(RACERS) as pool:
        results = list(pool.map(book, range(RACERS)))
    elapsed = time.monotonic() - started
    per_instance = [i.request_count("/bookings", "POST") - b for i, b in zip(pair, before)]
    statuses = Counter(status for status, _ in results)
    stored = cluster.psql(
        f"SELECT count(*) FROM booking.bookings WHERE room_id = {int(room)} AND date = '{day}' "
        "AND start_time = '10:00' AND status = 'confirmed'")
    summary["race"] = {"requests": RACERS, "statuses": dict(statuses), "booking_a": per_instance[0],
                       "booking_b": per_instance[1], "stored_bookings": int(stored), "seconds": round(elapsed, 2)}

    assert statuses == Counter({201: 1, 409: RACERS - 1}), [r for r in results if r[0] not in (201, 409)][:3]
    assert all('"booking_conflict"' in text for status, text in results if status == 409)
    assert per_instance[0] > 0 and per_instance[1] > 0, f"round robin reached only one instance: {per_instance}"
    assert sum(per_instance) == RACERS, f"instances saw {per_instance} POST /bookings, expected {RACERS} in all"
    assert stored == "1"


class Listener:
    """A WebSocket client that records every message with the time it arrived."""

    def __init__(self, url: str):
        self.socket = connect(url, open_timeout=10, close_timeout=2)
        first = json.loads(self.socket.recv(timeout=10))
        assert first == {"type": "ready"}, first
        self.messages: list[tuple[float, dict]] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        try:
            for raw in self.socket:
                self.messages.append((time.monotonic(), json.loads(raw)))
        except Exception:
            pass

    def wait_for(self, kind: str, ticket_id, timeout: float = 10) -> float | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for arrived, message in list(self.messages):
                if message.get("type") == kind and str(message.get("ticket", {}).get("id")) == str(ticket_id):
                    return arrived
            time.sleep(0.01)
        return None

    def close(self):
        self.socket.close()


def test_websocket_clients_receive_tickets_created_on_the_other_instance(cluster, summary):
    technician = cluster.login("tech@example.com", "tech123")
    student = cluster.login("student@example.com", "student123")
    a, b = cluster.instances["maintenance-a"], cluster.instances["maintenance-b"]
    on_a = Listener(f"ws://127.0.0.1:{a.port}/ws?token={technician}")
    via_gateway = Listener(f"ws://127.0.0.1:{cluster.ports['front']}/api/ws?token={technician}")
    latencies = {}
    try:
        for creator in (b, a):  # B is the other instance for on_a; one of the two is for the gateway's relay
            sent = time.monotonic()
            with cluster.session() as session:
                r = session.post(creator.url + "/tickets", headers=auth(student), timeout=15, json={
                    "title": f"flickering light {uuid.uuid4().hex[:6]}", "description": "the light flickers",
                    "location": "Building A, room 101"})
            answered = time.monotonic()
            assert r.status_code == 201, r.text
            ticket_id = r.json()["id"]
            for name, listener in (("maintenance-a /ws", on_a), ("gateway /api/ws via nginx", via_gateway)):
                arrived = listener.wait_for("ticket.created", ticket_id)
                assert arrived is not None, f"{name} never received ticket {ticket_id} created on {creator.label}"
                # from the POST's start, and from its 201 (the event may even beat the answer: then 0)
                latencies[f"{name} <- {creator.label}"] = {
                    "from_post_ms": round((arrived - sent) * 1000, 1),
                    "after_201_ms": round(max(0.0, arrived - answered) * 1000, 1)}
    finally:
        on_a.close()
        via_gateway.close()
    summary["websocket_latency_ms"] = latencies


# ---- stop an instance mid-stream -------------------------------------------------------------
_slot = itertools.count()
_slot_lock = threading.Lock()
_accounts: list[str] = []   # faculty tokens, BOOKINGS_PER_ACCOUNT slots each, shared by both streams
_accounts_lock = threading.Lock()


def next_slot() -> int:
    with _slot_lock:
        return next(_slot)


def make_account(cluster, admin: str) -> str:
    email = f"load-{uuid.uuid4().hex[:10]}@example.com"
    with cluster.session() as session:
        r = session.post(cluster.front + "/api/users", headers=auth(admin), timeout=15,
                         json={"email": email, "name": f"Load {email[5:15]}", "password": "load-password-1", "role": "faculty"})
    assert r.status_code == 201, r.text
    return cluster.login(email, "load-password-1")


def account_for(cluster, slot: int) -> str:
    """The faculty account that books `slot` (made when first needed: the stream is not capped by count)."""
    index = slot // BOOKINGS_PER_ACCOUNT
    with _accounts_lock:
        if index >= len(_accounts):
            admin = cluster.login("admin@example.com", "admin123")
            while index >= len(_accounts):
                _accounts.append(make_account(cluster, admin))
        return _accounts[index]


class Pacer:
    """Hands out send times at a steady rate. A worker that falls behind sends at once, but missed
    turns are not made up in a burst: never more than `rate` requests a second, whatever the machine."""

    def __init__(self, rate: float):
        self.interval = 1.0 / rate
        self.lock = threading.Lock()
        self.next_at = time.monotonic()
        self.turns = 0

    def next_turn(self, done: threading.Event) -> int | None:
        """Waits for the next turn; its number, or None once `done` is set."""
        with self.lock:
            at = max(self.next_at, time.monotonic())
            self.next_at = at + self.interval
            turn = self.turns
            self.turns += 1
        delay = at - time.monotonic()
        if delay > 0:
            done.wait(delay)
        return None if done.is_set() else turn


class Stream:
    """Bookings and tickets through nginx at a steady rate, each retried until acknowledged (as a
    client would), with the time each was first sent and acknowledged."""

    def __init__(self, cluster, summary_key: str):
        self.cluster = cluster
        self.summary_key = summary_key
        self.student = cluster.login("student@example.com", "student123")
        with cluster.session() as session:
            self.rooms = [r["id"] for r in session.get(cluster.front + "/api/rooms", headers=auth(self.student), timeout=10).json()]
        self.pacer = Pacer(STREAM_RATE)
        self.done = threading.Event()
        self.changed = threading.Condition()
        self.acked = {"booking": [], "ticket": []}   # (id, first sent, acknowledged)
        self.ambiguous = Counter()
        self.ambiguous_slots = []  # (body, token) of bookings refused with 409 after a failed attempt
        self.refused = Counter()   # failed attempts the client retried, by status or error
        self.wrong = []            # answers that are neither success nor a retryable failure
        self.abandoned = Counter() # requests never acknowledged within their 20 s
        self.errors = []           # exceptions in a worker (they would vanish with its thread)
        self.threads = [threading.Thread(target=self.worker, args=(n,), daemon=True) for n in range(STREAM_WORKERS)]
        with _accounts_lock:
            ready = len(_accounts) * BOOKINGS_PER_ACCOUNT
        account_for(cluster, ready + 4 * BOOKINGS_PER_ACCOUNT)  # most of what a stream books, made beforehand

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self, timeout: float = 60) -> bool:
        """Ends the stream: no new request; those under way finish. False if a worker is still busy."""
        self.done.set()
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(thread.is_alive() for thread in self.threads)

    def count(self, kind: str, sent_after: float = float("-inf")) -> int:
        with self.changed:
            return sum(1 for _, sent, _ in self.acked[kind] if sent >= sent_after)

    def wait_until(self, condition, what: str, timeout: float = STEP_TIMEOUT) -> float:
        """Waits for `condition()` (checked after every acknowledgement, and at least every 0.25 s);
        returns the seconds it took. Fails after `timeout`, or as soon as a worker has failed."""
        started = time.monotonic()
        deadline = started + timeout
        while not condition():
            with self.changed:
                if self.errors:
                    raise AssertionError(f"a stream worker failed while waiting for {what}: {self.errors[0]!r}")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"{what}: not within {timeout:.0f} s; acknowledged so far "
                                         f"{ {k: len(v) for k, v in self.acked.items()} }, retried failures {dict(self.refused)}")
                self.changed.wait(min(remaining, 0.25))
        return time.monotonic() - started

    def worker(self, number: int) -> None:
        try:
            with self.cluster.session() as session:
                while (turn := self.pacer.next_turn(self.done)) is not None:
                    self.send(session, "booking" if turn % 2 == 0 else "ticket")
        except BaseException as error:  # surfaced by wait_until and the test's asserts
            with self.changed:
                self.errors.append(error)
                self.changed.notify_all()

    def send(self, session: requests.Session, kind: str) -> None:
        if kind == "booking":
            index = next_slot()
            body = {**slot(index, self.rooms, first_day=5), "purpose": f"stream {index}"}
            token = account_for(self.cluster, index)
            path = "/api/bookings"
        else:
            body = {"title": f"dripping tap {self.summary_key} {uuid.uuid4().hex}", "description": "the tap drips",
                    "location": "Building C, kitchen"}
            token = self.student
            path = "/api/tickets"
        sent = time.monotonic()
        give_up = sent + 20
        attempt = 0
        while time.monotonic() < give_up:
            try:
                r = session.post(self.cluster.front + path, json=body, headers=auth(token), timeout=10)
            except requests.RequestException as error:
                with self.changed:
                    self.refused[type(error).__name__] += 1
                attempt += 1
                time.sleep(0.1)
                continue
            if r.status_code in (200, 201):
                with self.changed:
                    self.acked[kind].append((r.json()["id"], sent, time.monotonic()))
                    self.changed.notify_all()
                return
            if kind == "booking" and r.status_code == 409 and attempt > 0:
                # An earlier attempt may have been committed before its answer was lost: the
                # slot is taken, by this very request. Not acknowledged, so not counted.
                with self.changed:
                    self.ambiguous[kind] += 1
                    self.ambiguous_slots.append((body, token))
                return
            if r.status_code >= 500 or r.status_code == 429:
                with self.changed:
                    self.refused[r.status_code] += 1
                attempt += 1
                time.sleep(0.1)
                continue
            with self.changed:
                self.wrong.append((kind, r.status_code, r.text[:200]))
            return
        with self.changed:
            self.abandoned[kind] += 1


POST_ROUTE = {"booking": "/bookings", "maintenance": "/tickets"}


def run_stream(cluster, victims: list[str], sig: int, summary_key: str, summary: dict):
    """A paced stream through nginx; once it is seen running, `sig` to `victims` (one instance of each
    pair); they stay down until their twins have acknowledged requests sent after they exited; then
    they restart, and the stream goes on until each of them serves again and requests sent after
    the restart are acknowledged. Every step waits for what it needs, with a generous deadline."""
    counts_before = cluster.upstream_counts('"POST /bookings ')
    tickets_before = cluster.upstream_counts('"POST /tickets ')
    stream = Stream(cluster, summary_key)
    kinds = ("booking", "ticket")
    times = {}        # step -> seconds since the stream started
    waited = {}       # step -> seconds the step waited for the stream
    exit_codes = {}
    served_after_restart = {}

    def each_kind(count: int, sent_after: float = float("-inf")):
        return lambda: all(stream.count(k, sent_after) >= count for k in kinds)

    polled = [0.0]

    def victims_serve_again() -> bool:
        if time.monotonic() - polled[0] < 0.2:  # their /metrics, five times a second at most
            return False
        polled[0] = time.monotonic()
        for label in victims:
            if not served_after_restart.get(label):
                instance = cluster.instances[label]
                try:
                    served_after_restart[label] = instance.request_count(POST_ROUTE[instance.service], "POST")
                except requests.RequestException:
                    pass
        return all(served_after_restart.get(label) for label in victims)

    control_error = None
    stop_at = stopped_at = ready_at = float("inf")
    started = time.monotonic()
    stream.start()
    try:
        # 1. the stream is running: requests of both kinds are being acknowledged
        waited["running"] = stream.wait_until(each_kind(WARMUP_ACKS), f"{WARMUP_ACKS} bookings and tickets acknowledged before the stop")
        # 2. stop one instance of each pair while the stream goes on
        stop_at = time.monotonic()
        times["signal"] = stop_at - started
        for label in victims:  # both at once
            cluster.instances[label].process.send_signal(sig)
        for label in victims:
            exit_codes[label] = cluster.instances[label].wait_exit(sig, timeout=30)
        stopped_at = time.monotonic()
        times["exited"] = stopped_at - started
        # 3. the twins alone serve requests sent after the victims exited
        waited["outage"] = stream.wait_until(each_kind(OUTAGE_ACKS, stopped_at),
                                             f"{OUTAGE_ACKS} bookings and tickets sent after the stop acknowledged while {victims} were down")
        # 4. back again while the stream goes on
        times["restart"] = time.monotonic() - started
        for label in victims:
            cluster.instances[label].start()
        for label in victims:
            cluster.instances[label].wait_ready(STEP_TIMEOUT)
        ready_at = time.monotonic()
        times["ready"] = ready_at - started
        # 5. the stream goes on until the restarted instances serve again, and requests sent after
        #    the restart are acknowledged
        waited["rejoined"] = stream.wait_until(victims_serve_again, f"{victims} serving POSTs again after the restart")
        times["rejoined"] = time.monotonic() - started
        waited["after_restart"] = stream.wait_until(each_kind(AFTER_RESTART_ACKS, ready_at),
                                                    f"{AFTER_RESTART_ACKS} bookings and tickets sent after the restart acknowledged")
    except BaseException as error:  # surfaced below, after the stream and the cluster are back in order
        control_error = error
    finally:
        finished = stream.stop()
        times["end"] = time.monotonic() - started
        for label in victims:  # the next test needs the whole cluster, whatever happened here
            instance = cluster.instances[label]
            if not instance.alive():
                if label not in exit_codes and instance.process is not None and instance.process.poll() is not None:
                    exit_codes[label] = instance.process.returncode
                instance.start()
                instance.wait_ready(STEP_TIMEOUT)
    elapsed = time.monotonic() - started

    acked = {k: [i for i, _, _ in v] for k, v in stream.acked.items()}

    def phase(sent_from: float, sent_before: float = float("inf")) -> dict:
        return {k: sum(1 for _, sent, _ in stream.acked[k] if sent_from <= sent < sent_before) for k in kinds}

    acked_after_stop = phase(stop_at)
    lost = {}
    for kind, table in (("booking", "booking.bookings"), ("ticket", "maintenance.tickets")):
        ids = [int(i) for i in acked[kind]]
        found = set()
        if ids:
            found = {int(x) for x in cluster.psql(f"SELECT id FROM {table} WHERE id IN ({','.join(map(str, ids))})").split()}
        lost[kind] = sorted(set(ids) - found)
    # A 409 after a failed attempt must be that request's own earlier, committed attempt (the
    # slots are unique to each request), never someone else's booking.
    foreign = []
    for body, token in stream.ambiguous_slots:
        owner = cluster.psql(f"SELECT user_id FROM booking.bookings WHERE room_id = {int(body['room_id'])} AND date = '{body['date']}' "
                             f"AND start_time = '{body['start_time']}' AND status = 'confirmed'")
        if owner != user_id(token):
            foreign.append((body, owner))
    # A ticket POST retried after its answer was lost may have been stored twice (POST is not idempotent).
    duplicates = int(cluster.psql(f"SELECT count(*) FROM (SELECT title FROM maintenance.tickets WHERE title LIKE 'dripping tap {summary_key} %' "
                                  "GROUP BY title HAVING count(*) > 1) AS twice") or 0)
    bookings_by_upstream = {k: v - counts_before.get(k, 0) for k, v in cluster.upstream_counts('"POST /bookings ').items()}
    tickets_by_upstream = {k: v - tickets_before.get(k, 0) for k, v in cluster.upstream_counts('"POST /tickets ').items()}
    summary[summary_key] = {
        "signal": signal.Signals(sig).name, "victims": victims, "exit_codes": exit_codes, "seconds": round(elapsed, 1),
        "rate_per_second": STREAM_RATE, "sent": stream.pacer.turns,
        "steps_at_seconds": {k: round(v, 2) for k, v in times.items()},
        "steps_waited_seconds": {k: round(v, 2) for k, v in waited.items()},
        "acknowledged": {k: len(v) for k, v in acked.items()},
        "acknowledged_before_stop": phase(float("-inf"), stop_at),
        "acknowledged_after_stop": acked_after_stop,
        "in_flight_at_the_signal": {k: sum(1 for _, sent, done in stream.acked[k] if sent < stop_at <= done) for k in kinds},
        "acknowledged_during_outage": phase(stopped_at, ready_at),
        "acknowledged_after_restart": phase(ready_at),
        "victims_served_after_restart": served_after_restart,
        "lost_acknowledged": {k: len(v) for k, v in lost.items()}, "ambiguous_409_after_retry": dict(stream.ambiguous),
        "duplicate_tickets_from_retries": duplicates, "abandoned": dict(stream.abandoned),
        "retried_failures": {str(k): v for k, v in stream.refused.items()}, "unexpected_answers": len(stream.wrong),
        "bookings_by_upstream": bookings_by_upstream, "tickets_by_upstream": tickets_by_upstream,
    }

    assert control_error is None, f"stopping or restarting {victims} during the stream failed: {control_error!r}"
    assert not stream.errors, f"a stream worker failed: {stream.errors[0]!r}"
    assert finished, "the stream did not finish in time"
    assert not stream.wrong, stream.wrong[:5]
    assert not foreign, f"a 409 after retry named someone else's booking: {foreign}"
    assert lost == {"booking": [], "ticket": []}, f"acknowledged but missing: {lost}"
    assert len(acked["booking"]) >= 20 and len(acked["ticket"]) >= 20, f"the stream was too thin to prove anything: {summary[summary_key]}"
    assert acked_after_stop["booking"] > 0 and acked_after_stop["ticket"] > 0, "nothing was acknowledged after the stop"
    for label in victims:
        expected = 0 if sig == signal.SIGTERM else -signal.SIGKILL
        assert exit_codes[label] == expected, f"{label} exited with {exit_codes[label]} after {signal.Signals(sig).name}"
    pair_ports = {label: str(cluster.ports[label]) for label in ("booking-a", "booking-b", "maintenance-a", "maintenance-b")}
    for label, port in pair_ports.items():
        counts = bookings_by_upstream if label.startswith("booking") else tickets_by_upstream
        assert counts.get(f"127.0.0.1:{port}", 0) > 0, f"{label} received no requests in the stream: {counts}"


def test_sigterm_of_one_instance_of_each_pair_loses_no_acknowledged_request(cluster, summary):
    run_stream(cluster, ["booking-a", "maintenance-a"], signal.SIGTERM, "sigterm", summary)


def test_kill_9_of_one_instance_of_each_pair_loses_no_acknowledged_request(cluster, summary):
    run_stream(cluster, ["booking-b", "maintenance-b"], signal.SIGKILL, "sigkill", summary)
