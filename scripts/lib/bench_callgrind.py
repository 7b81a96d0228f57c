"""The instruction-count table behind `scripts/bench callgrind [REQUESTS]`: instructions per request
("Ir", counted by valgrind's callgrind) for a few routes of `campus serve` and for the bare Hummingbird
route (`campus bench-ceiling`). Instruction counts hardly depend on the machine's load, so unlike the
req/s table of scripts/bench two runs can be compared across hours (across machines only roughly: glibc
picks its memcpy/strlen variants by CPU).

How: each server runs under `valgrind --tool=callgrind --instr-atstart=no` (start-up runs without
instrumentation; `callgrind_control --instr=on` switches it on once the server answers). For each
route: WARMUP requests (not counted), the outboxes drain, `callgrind_control --zero`, REQUESTS
requests one at a time on one keep-alive connection, the outboxes drain again if the requests queued
events (so the deliveries a booking causes are in its window), `callgrind_control --dump`, and the
dump's `summary:` line.

The count covers the whole process, every thread: the gateway's calls to the other services, and
also the background pollers (the outbox deliverers query SQLite every second: about 5 M Ir/s). At
callgrind's speed a window lasts 50-100 times longer than natively, so those pollers would add
10-25 % to a route's count, in proportion to how slow the machine is that day. So the process is
also measured idle (before and after the routes), and "instructions per request" is the window's
count less idle rate × window length; the raw count is shown beside it.

Not removed: the gateway remembers an account's standing for 0.5 s of wall time, so through the
gateway one request in every 5-10 also pays a call to user management's token-validity (natively,
under load, almost none do). The last column shows it: HTTP requests answered by all services per
counted request (2.00 would be none).

Two workarounds for valgrind 3.19 (Debian 12), both leaving the measured code alone:
- it cannot read the DWARF 5 debug information of a Swift release binary ("unhandled dwarf2 abbrev
  form code 0x25 ... Giving up"), so it runs a copy without debug sections (`objcopy --strip-debug`:
  the same code; symbols stay, for callgrind_annotate);
- its rt_sigsuspend wrapper writes into the caller's signal mask, which libdispatch keeps in
  read-only memory (valgrind dies with SIGSEGV as soon as the main thread parks in dispatch_main),
  so an LD_PRELOAD shim hands sigsuspend a copy of the mask.

Usage: bench_callgrind.py BINARY [REQUESTS] [--warmup N] [--label TEXT]   (defaults 200 and 20)
       BENCH_KEEP_DATA=1 keeps the temporary folder (data, logs, the stripped binary).
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "e2e"))
from support.services import PORT_VARIABLE, free_port, wait_until_ready  # noqa: E402
from support.tokens import mint  # noqa: E402

STARTUP_TIMEOUT = 600   # seconds until all six /health answer under valgrind
REQUEST_TIMEOUT = 300   # one request under callgrind (the first ones after --instr=on translate code)
DRAIN_TIMEOUT = 300     # seconds for the outboxes to deliver what a batch queued
IDLE_SECONDS = 10       # each idle window
SETTLE_SECONDS = 2      # quiet time after the outboxes are empty (the receivers finish; timers fire)

SIGSUSPEND_SHIM = r"""
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
/* valgrind 3.19's rt_sigsuspend wrapper edits the mask in place; libdispatch's is read-only. */
int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    return (int)syscall(SYS_rt_sigsuspend, &copy, _NSIG / 8);
}
"""


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def tool(*names: str) -> str:
    """The first of `names` on PATH or beside the Swift toolchain's `swift`."""
    swift = shutil.which("swift")
    for name in names:
        found = shutil.which(name) or (swift and shutil.which(name, path=str(Path(swift).resolve().parent)))
        if found:
            return found
    raise SystemExit(f"none of {', '.join(names)} found (needed to run the binary under valgrind)")


class Callgrind:
    """One `campus` subcommand under callgrind, instrumentation off until `--instr=on`."""

    def __init__(self, name: str, binary: Path, args: list[str], env: dict[str, str], work: Path, shim: Path):
        self.name = name
        self.out = work / f"{name}.callgrind"
        self.prefix = f"--vgdb-prefix={work / name}.vgdb"
        self.log = work / f"{name}.log"
        self.seen: set[Path] = set()
        command = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={self.out}",
                   "--vgdb=yes", self.prefix, str(binary), *args]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env={**env, "LD_PRELOAD": str(shim)}, stdin=subprocess.DEVNULL,
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def died(self) -> str | None:
        if self.process.poll() is None:
            return None
        return f"{self.name} under valgrind exited ({self.process.returncode}):\n{self.log.read_text(errors='replace')[-4000:]}"

    def control(self, *args: str) -> float:
        """Runs callgrind_control; returns the moment (perf_counter) halfway through, when it took effect."""
        before = time.perf_counter()
        result = subprocess.run(["callgrind_control", self.prefix, *args, str(self.process.pid)],
                                capture_output=True, text=True, timeout=300)
        if result.returncode != 0 or "OK." not in result.stdout:
            raise SystemExit(f"callgrind_control {' '.join(args)} failed for {self.name}: {result.stdout}{result.stderr}"
                             f"{self.died() or ''}")
        return (before + time.perf_counter()) / 2

    def zero(self) -> float:
        return self.control("--zero")

    def dump(self) -> tuple[int, float]:
        """Dumps the counters since the last zero or dump: (their Ir, the moment)."""
        moment = self.control("--dump")
        new = [p for p in self.out.parent.glob(self.out.name + ".*") if p not in self.seen]
        if len(new) != 1:
            raise SystemExit(f"expected one new callgrind dump of {self.name}, found {sorted(map(str, new))}")
        self.seen.add(new[0])
        # `summary:` is callgrind's own count of the instructions since the zero. The `totals:` line at the
        # end (the sum of the file's cost lines) can be larger: after a busy period it also held costs
        # from before the zero (76.7 M against 57.5 M in one idle window), so it is not used.
        match = re.search(r"^summary:\s*(\d+)", new[0].read_text(errors="replace"), re.M)
        if not match:
            raise SystemExit(f"no summary line in {new[0]}")
        return int(match.group(1)), moment

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(90)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(30)


class Client:
    """Requests one at a time on one keep-alive connection."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)

    def send(self, method: str, path: str, token: str | None = None, body: dict | None = None) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.connection.request(method, path, body=json.dumps(body).encode() if body is not None else None, headers=headers)
        response = self.connection.getresponse()
        return response.status, response.read()

    def close(self) -> None:
        self.connection.close()


class Target:
    """A server under callgrind and what the bench knows of it: its ports and data folder (none for the ceiling)."""

    def __init__(self, server: Callgrind, ports: dict[str, int], data_dir: Path | None):
        self.server = server
        self.ports = ports
        self.data_dir = data_dir

    def pending_outbox(self) -> int:
        """Outbox events not yet delivered, read from the SQLite files (no request to the server)."""
        total = 0
        for file in sorted(self.data_dir.glob("*.db")) if self.data_dir else []:
            try:
                with sqlite3.connect(f"file:{file}?mode=ro", uri=True, timeout=10) as db:
                    total += db.execute("SELECT count(*) FROM outbox_events WHERE state = 'pending'").fetchone()[0]
            except sqlite3.OperationalError as error:
                if "no such table" not in str(error):
                    raise
        return total

    def settle(self, always: bool = True) -> None:
        """Waits until every outbox is empty, then SETTLE_SECONDS more (with `always=False`, only if
        something was pending: a window that queued nothing closes at once)."""
        deadline = time.monotonic() + DRAIN_TIMEOUT
        waited = False
        while (pending := self.pending_outbox()) > 0:
            if time.monotonic() > deadline:
                raise SystemExit(f"{pending} outbox events still pending after {DRAIN_TIMEOUT} s")
            if death := self.server.died():
                raise SystemExit(death)
            waited = True
            time.sleep(0.5)
        if always or waited:
            time.sleep(SETTLE_SECONDS)

    def served(self) -> dict[str, int]:
        """Requests answered so far, by service and route (each service's /metrics: http_requests_total
        less /metrics and /health), read outside the counted windows; empty for the ceiling (no /metrics)."""
        counts: dict[str, int] = {}
        for port in self.ports.values() if self.data_dir else []:
            client = Client(port)
            try:
                status, body = client.send("GET", "/metrics")
            finally:
                client.close()
            if status != 200:
                raise SystemExit(f"GET /metrics on port {port} answered {status}")
            for labels, value in re.findall(r'^http_requests_total\{(.*)\}\s+(\S+)$', body.decode(), re.M):
                fields = dict(re.findall(r'(\w+)="([^"]*)"', labels))
                route = fields.get("route", "")
                if route != "/metrics" and not route.startswith("/health"):
                    key = f"{fields.get('service')} {fields.get('method')} {route}"
                    counts[key] = counts.get(key, 0) + int(float(value))
        return counts

    def idle(self) -> float:
        """Ir per second with no request in flight: the background tasks."""
        self.settle()
        start = self.server.zero()
        time.sleep(IDLE_SECONDS)
        instructions, end = self.server.dump()
        return instructions / (end - start)


def measure(target: Target, name: str, port: int, request, count: int, warmup: int) -> dict:
    """`request(client, i)` sends request number i (the warm-up ones first) and returns (status, body).
    Every answer must be 2xx."""
    failures: list[str] = []
    client = Client(port)

    def run(indexes) -> None:
        for i in indexes:
            status, body = request(client, i)
            if not 200 <= status < 300:
                failures.append(f"{status} {body[:300].decode(errors='replace')}")

    try:
        run(range(warmup))
        target.settle()
        served_before = target.served()
        start = target.server.zero()
        run(range(warmup, warmup + count))
        target.settle(always=False)
        instructions, end = target.server.dump()
        served_after = target.served()
        served = {key: served_after[key] - served_before.get(key, 0) for key in served_after
                  if served_after[key] != served_before.get(key, 0)}
    finally:
        client.close()
    if failures:
        raise SystemExit(f"{name}: {len(failures)} of {warmup + count} answers were not 2xx; the first: {failures[0]}")
    say(f"  {name}: {instructions / count:,.0f} Ir/request raw, window {end - start:.1f} s; answered: "
        + (", ".join(f"{key} ×{value}" for key, value in sorted(served.items())) or "–"))
    return {"name": name, "raw": instructions, "count": count, "seconds": end - start, "served": sum(served.values())}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("requests", nargs="?", type=int, default=200, help="counted requests per route (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="requests per route before counting (default 20)")
    parser.add_argument("--label", default="")
    options = parser.parse_args()
    if options.requests < 1 or options.warmup < 0:
        raise SystemExit("REQUESTS must be at least 1 and --warmup at least 0")
    for name in ("valgrind", "callgrind_control"):
        if not shutil.which(name):
            raise SystemExit(f"{name} not found (Debian: apt-get install valgrind)")
    valgrind_version = subprocess.run(["valgrind", "--version"], capture_output=True, text=True).stdout.strip()
    begun = time.perf_counter()
    n, w = options.requests, options.warmup

    work = Path(tempfile.mkdtemp(prefix="campus-callgrind-"))
    servers: list[Callgrind] = []
    try:
        binary = work / "campus"
        subprocess.run([tool("objcopy", "llvm-objcopy"), "--strip-debug", options.binary, str(binary)], check=True)
        shim = work / "sigsuspend-shim.so"
        (work / "sigsuspend-shim.c").write_text(SIGSUSPEND_SHIM)
        subprocess.run([tool("cc", "gcc", "clang"), "-shared", "-fPIC", "-O2", "-o", str(shim), str(work / "sigsuspend-shim.c")],
                       check=True)
        data_dir = work / "data"
        data_dir.mkdir()
        ports = {name: free_port() for name in PORT_VARIABLE}
        secret = secrets.token_hex(32)
        env = {**os.environ, "APP_ENV": "development", "DATA_DIR": str(data_dir), "JWT_SECRET_KEY": secret,
               "LOG_LEVEL": "error", "LOGIN_RATE_PER_MINUTE": "100000", "BOOKING_OPEN": "06:00", "BOOKING_CLOSE": "22:00",
               "BOOKING_SLOT_MINUTES": "15", "SEED_DEFAULT_USERS": "true",
               **{PORT_VARIABLE[name]: str(port) for name, port in ports.items()}}

        # 1. The bare Hummingbird route, alone: the reference.
        say("== bench-ceiling under callgrind")
        ceiling_port = free_port()
        ceiling = Target(Callgrind("ceiling", binary, ["bench-ceiling", "--port", str(ceiling_port)], env, work, shim),
                         {"ceiling": ceiling_port}, None)
        servers.append(ceiling.server)
        wait(ceiling.server, ceiling.ports, "/")
        ceiling.server.control("--instr=on")
        ceiling_idle = ceiling.idle()
        rows = [measure(ceiling, "bare Hummingbird `GET /` (bench-ceiling)", ceiling_port, lambda c, i: c.send("GET", "/"), n, w)]
        rows[0]["idle"] = ceiling_idle
        ceiling.server.stop()

        # 2. `campus serve`: all six services, SQLite, the fresh data folder.
        say("== campus serve under callgrind (start-up without instrumentation, fresh data folder)")
        started = time.perf_counter()
        serve = Target(Callgrind("serve", binary, ["serve"], env, work, shim), ports, data_dir)
        servers.append(serve.server)
        wait(serve.server, ports, "/health")
        startup = time.perf_counter() - started
        say(f"  six /health green after {startup:.0f} s")

        # Outside the counted windows: the login (bcrypt), the room list.
        client = Client(ports["gateway"])
        status, body = client.send("POST", "/auth/login", body={"email": "student@example.com", "password": "student123"})
        client.close()
        if status != 200:
            raise SystemExit(f"POST /auth/login through the gateway answered {status}: {body[:300]!r}")
        student = json.loads(body)["access_token"]
        faculty = mint(secret, 2, "faculty")
        client = Client(ports["booking"])
        status, body = client.send("GET", "/rooms?limit=100", token=faculty)
        client.close()
        if status != 200:
            raise SystemExit(f"GET /rooms answered {status}: {body[:300]!r}")
        rooms = [room["id"] for room in json.loads(body)]
        slots = [(f"{m // 60:02d}:{m % 60:02d}", f"{(m + 15) // 60:02d}:{(m + 15) % 60:02d}") for m in range(6 * 60, 22 * 60, 15)]
        days = [(dt.date.today() + dt.timedelta(days=d)).isoformat() for d in range(2, 90)]
        if n + w > len(rooms) * len(slots) * len(days):
            raise SystemExit(f"only {len(rooms) * len(slots) * len(days)} distinct slots for {n + w} bookings")
        bookers: dict[int, str] = {}

        def book(c: Client, i: int):
            """POST /bookings on slot i (room fastest, then time, then day); a new faculty user every 20
            bookings (the faculty limit of upcoming bookings), as bench.py's wrk script does."""
            start, end = slots[(i // len(rooms)) % len(slots)]
            token = bookers.setdefault(i // 20, mint(secret, 1000 + i // 20, "faculty"))
            return c.send("POST", "/bookings", token=token, body={
                "room_id": rooms[i % len(rooms)], "date": days[i // (len(rooms) * len(slots))],
                "start_time": start, "end_time": end, "purpose": "bench"})

        calc = {"courses": [{"name": "Algorithms", "grade": "A", "credits": 4}, {"name": "Databases", "grade": "B+", "credits": 3},
                            {"name": "Ethics", "grade": "A-", "credits": 2}], "previous_gpa": 3.4, "previous_credits": 30}
        tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
        ticket = {"title": "Flickering light in corridor", "description": "The ceiling light outside room 204 flickers all day.",
                  "location": "Library 2nd floor"}

        serve.server.control("--instr=on")
        say("  idle window")
        idle_before = serve.idle()
        routes = [
            ("`POST /calculate` with a JWT (gpa)", "gpa", lambda c, i: c.send("POST", "/calculate", token=student, body=calc)),
            ("`GET /api/notifications/unread-count` through the gateway", "gateway",
             lambda c, i: c.send("GET", "/api/notifications/unread-count", token=student)),
            (f"`GET /bookings/available?date=` all {len(rooms)} rooms (booking)", "booking",
             lambda c, i: c.send("GET", f"/bookings/available?date={tomorrow}", token=faculty)),
            ("`POST /bookings` on distinct slots (booking, SQLite; outbox delivery included)", "booking", book),
            # Every POST /auth/login runs bcrypt (an unknown e-mail hashes a decoy password), so the
            # gateway's signed-in round trip to user management stands in for it.
            ("`GET /auth/me` through the gateway (→ users; login itself is bcrypt-bound)", "gateway",
             lambda c, i: c.send("GET", "/auth/me", token=student)),
            ("`POST /triage` preview of a short ticket (maintenance)", "maintenance",
             lambda c, i: c.send("POST", "/triage", token=student, body=ticket)),
        ]
        serve_rows = [measure(serve, name, ports[service], request, n, w) for name, service, request in routes]
        say("  idle window")
        idle_after = serve.idle()
        for row in serve_rows:
            row["idle"] = (idle_before + idle_after) / 2
        rows += serve_rows
    finally:
        for server in reversed(servers):
            server.stop()
        if os.environ.get("BENCH_KEEP_DATA"):
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    for row in rows:
        row["ir"] = (row["raw"] - row["idle"] * row["seconds"]) / row["count"]
    bare = rows[0]["ir"]
    print(f"\n### scripts/bench callgrind {options.label}".rstrip())
    print(f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC · `{options.binary}` · {valgrind_version} "
          f"(callgrind; Ir = instructions executed, all threads) · {w} warm-up + {n} counted requests per route, "
          f"one at a time on one keep-alive connection\n")
    print("| route | instructions per request | × bare route | requests counted | raw, with background | HTTP requests served per request |")
    print("|---|---:|---:|---:|---:|---:|")
    for row in rows:
        served = f"{row['served'] / row['count']:.2f}" if row["served"] else "–"
        print(f"| {row['name']} | {row['ir']:,.0f} | {row['ir'] / bare:.1f} | {row['count']} | "
              f"{row['raw'] / row['count']:,.0f} | {served} |")
    print()
    print(f"- background of `campus serve` with no request in flight (the outbox pollers): {idle_before:,.0f} Ir/s "
          f"before the routes, {idle_after:,.0f} Ir/s after; their mean × each window's length is taken off the raw count "
          f"(windows, s: " + ", ".join(f"{row['seconds']:.1f}" for row in rows) + f"; bench-ceiling idle: {rows[0]['idle']:,.0f} Ir/s)")
    print("- HTTP requests served per request: by all six services; through the gateway, the part above 2.00 is the gateway "
          "asking user management again after its 0.5 s memo of the account lapsed, which at callgrind's speed happens "
          "every few requests and natively almost never")
    print(f"- start to six `/health` green under valgrind (instrumentation off, fresh data folder): {startup:.0f} s; "
          f"whole run {time.perf_counter() - begun:.0f} s")


def wait(server: Callgrind, ports: dict[str, int], path: str) -> None:
    try:
        wait_until_ready(ports, timeout=STARTUP_TIMEOUT, path=path, exited=server.died, interval=0.5, request_timeout=10)
    except RuntimeError as error:
        raise SystemExit(f"{server.name}: {error}") from None


if __name__ == "__main__":
    main()
