"""The booking benchmark behind `scripts/bench booking` (formerly scripts/bench-booking): starts
`campus serve booking users gateway` on a temporary data folder (SQLite) with free ports, then drives
it with a small standard-library client:
  1. POST /bookings on distinct slots (no conflicts) at a fixed concurrency,
  2. GET /bookings/available for all rooms,
  3. the same availability query through the gateway (/api/bookings/available).
Prints requests/s, p50/p99 latency and errors per phase, and the peak RSS of the process.

Usage: bench_booking.py BINARY [BOOKINGS] [CONCURRENCY]   (defaults 2000 and 16)
"""
from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "e2e"))
from support.services import PORT_VARIABLE, free_port, wait_until_ready  # noqa: E402
from support.tokens import mint  # noqa: E402


def token(user_id: int, role: str) -> str:
    """An HS256 token with the contract's claims, as any JWT library would make it (sub: a user id,
    as the services require; these accounts need not exist when the services are called directly)."""
    return mint(SECRET, user_id, role, email=f"{user_id}@bench.example", name=f"Bench {user_id}")

local = threading.local()


def request(port, method, path, token, body=None):
    """One request on this thread's keep-alive connection; returns (status, seconds)."""
    key = f"conn{port}"
    if not hasattr(local, key):
        setattr(local, key, http.client.HTTPConnection("127.0.0.1", port, timeout=30))
    conn = getattr(local, key)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    start = time.perf_counter()
    try:
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = conn.getresponse()
        response.read()
        status = response.status
    except Exception:
        conn.close()
        delattr(local, key)
        status = 0
    return status, time.perf_counter() - start


def peak_rss_mb():
    with open(f"/proc/{PID}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def run(name, jobs, ok):
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=C) as pool:
        results = list(pool.map(lambda job: job(), jobs))
    elapsed = time.perf_counter() - started
    latencies = sorted(seconds for _, seconds in results)
    errors = sum(1 for status, _ in results if status != ok)
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    print(f"{name:<34} {len(results):>6} req  {len(results) / elapsed:>8.1f} req/s  "
          f"p50 {pick(0.50):>7.2f} ms  p99 {pick(0.99):>7.2f} ms  errors {errors}")
    return errors


def measure() -> int:
    # A real sign-in through the gateway, to show the whole path works (bcrypt is not benchmarked here).
    conn = http.client.HTTPConnection("127.0.0.1", GATEWAY, timeout=30)
    conn.request("POST", "/auth/login", body=json.dumps({"email": "faculty@example.com", "password": "faculty123"}),
                 headers={"Content-Type": "application/json"})
    login = conn.getresponse()
    assert login.status == 200, f"login failed: {login.status} {login.read()}"
    signed_in = json.loads(login.read())["access_token"]

    probe = http.client.HTTPConnection("127.0.0.1", BOOKING, timeout=30)
    probe.request("GET", "/rooms?limit=200", headers={"Authorization": f"Bearer {signed_in}"})
    room_ids = [room["id"] for room in json.loads(probe.getresponse().read())]
    slots = [(f"{hour:02d}:00", f"{hour + 1:02d}:00") for hour in range(8, 18)]

    # Distinct (room, day, slot) for every booking; faculty may hold 20 upcoming, so 20 per user.
    plan = []
    for index in range(N):
        room = room_ids[index % len(room_ids)]
        slot = slots[(index // len(room_ids)) % len(slots)]
        day = date.today() + timedelta(days=1 + index // (len(room_ids) * len(slots)))
        plan.append((10_000 + index // 20, {"room_id": room, "date": day.isoformat(), "start_time": slot[0],
                                               "end_time": slot[1], "purpose": f"Benchmark {index}"}))
    tokens = {user: token(user, "faculty") for user, _ in plan}
    days = sorted({body["date"] for _, body in plan})

    print(f"concurrency {C}, {len(room_ids)} rooms, bookings over {len(days)} days")
    errors = run("POST /bookings (distinct slots)", [lambda u=u, b=b: request(BOOKING, "POST", "/bookings", tokens[u], b) for u, b in plan], 201)
    reader = token(9_999, "student")
    queries = [lambda d=days[i % len(days)]: request(BOOKING, "GET", f"/bookings/available?date={d}", reader) for i in range(N)]
    errors += run("GET /bookings/available (all rooms)", queries, 200)
    via_gateway = [lambda d=days[i % len(days)]: request(GATEWAY, "GET", f"/api/bookings/available?date={d}", signed_in) for i in range(N // 2)]
    errors += run("  same, through the gateway", via_gateway, 200)
    print(f"peak RSS of campus (booking + users + gateway in one process): {peak_rss_mb():.1f} MiB")
    raise SystemExit(1 if errors else 0)

def main() -> None:
    global BOOKING, GATEWAY, SECRET, PID, N, C
    if len(sys.argv) < 2:
        raise SystemExit("usage: bench_booking.py BINARY [BOOKINGS] [CONCURRENCY]")
    binary = sys.argv[1]
    N = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    C = int(sys.argv[3]) if len(sys.argv) > 3 else 16
    data_dir = Path(tempfile.mkdtemp(prefix="campus-bench."))
    ports = {name: free_port() for name in ("booking", "users", "gateway", "notification")}
    SECRET = secrets.token_hex(32)
    env = {**os.environ, "DATA_DIR": str(data_dir), "APP_ENV": "development", "LOG_LEVEL": os.environ.get("LOG_LEVEL", "warning"),
           "DATABASE_TYPE": "sqlite", "JWT_SECRET_KEY": SECRET, **{PORT_VARIABLE[name]: str(port) for name, port in ports.items()}}
    BOOKING, GATEWAY = ports["booking"], ports["gateway"]
    log = data_dir / "serve.log"
    server = subprocess.Popen([binary, "serve", "booking", "users", "gateway"], cwd=ROOT, env=env,
                              stdout=open(log, "ab"), stderr=subprocess.STDOUT)
    PID = server.pid
    try:
        try:
            wait_until_ready({name: ports[name] for name in ("booking", "users", "gateway")}, timeout=20, path="/health",
                             interval=0.2, exited=lambda: f"campus serve stopped:\n{log.read_text(errors='replace')}"
                             if server.poll() is not None else None)
        except RuntimeError as error:
            raise SystemExit(str(error)) from None
        print(f"== Serving: booking :{BOOKING}, users :{ports['users']}, gateway :{GATEWAY} (pid {PID}, data {data_dir})")
        errors = measure()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(data_dir, ignore_errors=True)
    raise SystemExit(1 if errors else 0)


if __name__ == "__main__":
    main()
