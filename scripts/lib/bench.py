"""The benchmark run behind scripts/bench: starts a release `campus serve` on a temporary data folder,
drives it with wrk (and a WebSocket client for the fan-out), and prints one Markdown table.

Usage: bench.py BINARY [--duration SECONDS] [--connections N] [--clients N] [--label TEXT]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import resource
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "e2e"))
from support.services import PORT_VARIABLE as PORT_VARIABLES, free_port, wait_until_ready  # noqa: E402
from support.tokens import mint  # noqa: E402  (one token minter for benchmarks and tests)


def http(method: str, url: str, body: dict | None = None, token: str | None = None, timeout: float = 10):
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, json.loads(response.read() or b"null")


def rss_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class Server:
    def __init__(self, binary: str, env: dict[str, str], args: list[str], log: Path):
        self.process = subprocess.Popen([binary, *args], cwd=ROOT, env=env, stdout=open(log, "ab"), stderr=subprocess.STDOUT)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def parse_wrk(output: str) -> dict:
    def duration(text: str) -> float:
        value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
              "requests": int(re.search(r"(\d+) requests in", output).group(1))}
    for percent in ("50", "99"):
        match = re.search(rf"^\s+{percent}(?:\.000)?%\s+(\S+)", output, re.M)
        result[f"p{percent}"] = duration(match.group(1)) if match else float("nan")
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    result["errors"] = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0)
    return result


def wrk(url: str, duration: int, connections: int, threads: int = 1, script: str | None = None,
        env: dict[str, str] | None = None) -> dict:
    command = ["wrk", "--latency", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--timeout", "5s"]
    if script:
        command += ["-s", script]
    output = subprocess.run(command + [url], capture_output=True, text=True, env={**os.environ, **(env or {})},
                            timeout=duration + 60).stdout
    try:
        return parse_wrk(output)
    except (AttributeError, ValueError) as error:
        raise SystemExit(f"could not read wrk's output for {url}: {error}\n{output}")


LUA_REQUEST = """
local body = os.getenv("BENCH_BODY")
local token = os.getenv("BENCH_TOKEN")
wrk.method = os.getenv("BENCH_METHOD") or "GET"
if body and body ~= "" then wrk.body = body end
wrk.headers["Content-Type"] = "application/json"
if token and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
"""

# POST /bookings on distinct (room, day, slot): thread t takes indexes t, t+T, t+2T, ...; every
# faculty token makes exactly 20 bookings (the faculty limit of upcoming bookings).
LUA_BOOKINGS = """
local data = dofile(os.getenv("BENCH_DATA"))
local threads = {}
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  index = id
  step = tonumber(os.getenv("BENCH_THREADS"))
end
function request()
  local i = index
  index = index + step
  local rooms, slots = #data.rooms, #data.slots
  local room = data.rooms[(i % rooms) + 1]
  local slot = data.slots[(math.floor(i / rooms) % slots) + 1]
  local day = data.days[math.floor(i / (rooms * slots)) % #data.days + 1]
  local token = data.tokens[math.floor(i / 20) % #data.tokens + 1]
  local body = string.format('{"room_id":%d,"date":"%s","start_time":"%s","end_time":"%s","purpose":"bench"}',
                             room, day, slot[1], slot[2])
  return wrk.format("POST", "/bookings", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
"""


def websocket_fanout(url_base: str, tokens: list[str], create, server_pid: int | None = None) -> dict:
    """One ticket event to len(tokens) clients of `url_base`, measured from several client processes
    (scripts/lib/ws_fanout.py): {"connected", "delivered", "p50", "p99", "connect_s", "workers", ...}."""
    from ws_fanout import fanout  # scripts/lib, next to this file
    return fanout(url_base, tokens, create, server_pid=server_pid)


def bookings_row(booking_url: str, secret: str, data_dir: Path, duration: int, connections: int) -> dict:
    """POST /bookings on distinct (room, day, slot) for `duration` seconds: every 201 is committed."""
    faculty_token = mint(secret, 2, "faculty")
    rooms = [room["id"] for room in http("GET", booking_url + "/rooms?limit=100", token=faculty_token)[1]]
    slots = [(f"{m // 60:02d}:{m % 60:02d}", f"{(m + 15) // 60:02d}:{(m + 15) % 60:02d}") for m in range(6 * 60, 22 * 60, 15)]
    days = [(dt.date.today() + dt.timedelta(days=n)).isoformat() for n in range(2, 90)]
    tokens = [mint(secret, 1000 + n, "faculty") for n in range(len(rooms) * len(slots) * len(days) // 20 + 1)]
    data = data_dir / "bookings-data.lua"
    data.write_text("return {rooms = {%s}, slots = {%s}, days = {%s}, tokens = {%s}}" % (
        ",".join(map(str, rooms)), ",".join('{"%s","%s"}' % s for s in slots),
        ",".join(f'"{x}"' for x in days), ",".join(f'"{t}"' for t in tokens)))
    script = data_dir / "bookings.lua"
    script.write_text(LUA_BOOKINGS)
    return wrk(booking_url, duration, connections, script=str(script), env={"BENCH_DATA": str(data), "BENCH_THREADS": "1"})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--clients", type=int, default=10000)
    parser.add_argument("--label", default="")
    options = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))

    data_dir = Path(tempfile.mkdtemp(prefix="campus-bench-"))
    ports = {name: free_port() for name in PORT_VARIABLES}
    secret = secrets.token_hex(32)
    env = {**os.environ, "APP_ENV": "development", "DATA_DIR": str(data_dir), "JWT_SECRET_KEY": secret,
           "LOG_LEVEL": "error", "LOGIN_RATE_PER_MINUTE": "100000", "BOOKING_OPEN": "06:00", "BOOKING_CLOSE": "22:00",
           "BOOKING_SLOT_MINUTES": "15", "SEED_DEFAULT_USERS": "true",
           **{PORT_VARIABLES[name]: str(port) for name, port in ports.items()}}
    url = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    rows: list[tuple[str, dict]] = []
    notes: list[str] = []

    def start_and_wait() -> tuple[Server, float]:
        """Starts `campus serve` and returns it with the seconds until all six /health answer 200."""
        started = time.perf_counter()
        server = Server(options.binary, env, ["serve"], data_dir / "serve.log")
        try:  # a short request timeout: a SYN lost while the port opens costs 50 ms, not 1 s
            wait_until_ready(ports, timeout=30, path="/health", interval=0.002, request_timeout=0.05, exited=lambda: (
                f"campus serve stopped: {(data_dir / 'serve.log').read_text()}" if server.process.poll() is not None else None))
        except RuntimeError as error:
            raise SystemExit(str(error)) from None
        return server, time.perf_counter() - started

    # Start to six healthy: first on a fresh data folder (migrations, seeding with bcrypt), then a restart.
    server, first_start = start_and_wait()
    server.stop()
    server, startup = start_and_wait()
    ceiling_port = free_port()
    ceiling = Server(options.binary, env, ["bench-ceiling", "--port", str(ceiling_port)], data_dir / "ceiling.log")
    try:
        time.sleep(2)
        idle_rss = rss_kib(server.process.pid, "VmRSS")
        student = http("POST", url["gateway"] + "/auth/login", {"email": "student@example.com", "password": "student123"})[1]["access_token"]
        faculty_token = mint(secret, 2, "faculty")
        lua = data_dir / "request.lua"
        lua.write_text(LUA_REQUEST)
        c, d = options.connections, options.duration

        rows.append(("bare Hummingbird `GET /` (ceiling)", wrk(f"http://127.0.0.1:{ceiling_port}/", d, c)))
        rows.append(("`GET /health` (gpa-calculator)", wrk(url["gpa"] + "/health", d, c)))
        calc = {"courses": [{"name": "Algorithms", "grade": "A", "credits": 4}, {"name": "Databases", "grade": "B+", "credits": 3},
                            {"name": "Ethics", "grade": "A-", "credits": 2}], "previous_gpa": 3.4, "previous_credits": 30}
        rows.append(("`POST /calculate` with a JWT (gpa-calculator)", wrk(url["gpa"] + "/calculate", d, c, script=str(lua), env={
            "BENCH_METHOD": "POST", "BENCH_BODY": json.dumps(calc), "BENCH_TOKEN": student})))
        rows.append(("`GET /api/notifications/unread-count` through the gateway", wrk(
            url["gateway"] + "/api/notifications/unread-count", d, c, script=str(lua), env={"BENCH_TOKEN": student})))
        day = (dt.date.today() + dt.timedelta(days=1)).isoformat()
        rows.append((f"`GET /bookings/available?date=` all rooms (booking)", wrk(
            url["booking"] + f"/bookings/available?date={day}", d, c, script=str(lua), env={"BENCH_TOKEN": faculty_token})))

        rows.append(("`POST /bookings` on distinct slots (booking, SQLite)", bookings_row(url["booking"], secret, data_dir, d, c)))

        # Login is bcrypt-bound: compare it with cores ÷ hash time (one login at a time ≈ one hash).
        login_body = json.dumps({"email": "student@example.com", "password": "student123"})
        single = []
        for _ in range(5):
            t = time.perf_counter()
            http("POST", url["gateway"] + "/auth/login", {"email": "student@example.com", "password": "student123"})
            single.append(time.perf_counter() - t)
        hash_seconds = statistics.median(single)
        login = wrk(url["gateway"] + "/auth/login", d, 8, script=str(lua), env={"BENCH_METHOD": "POST", "BENCH_BODY": login_body})
        bound = (os.cpu_count() or 1) / hash_seconds
        rows.append((f"`POST /auth/login` (bcrypt cost 12; bound {bound:.1f}/s = {os.cpu_count()} cores ÷ {hash_seconds * 1000:.0f} ms)", login))

        # WebSocket fan-out: one ticket event to N technicians connected to maintenance's /ws.
        ws_tokens = [mint(secret, 50_000 + n, "technician") for n in range(options.clients)]
        reporter = mint(secret, 3, "student")
        fanout = websocket_fanout(url["maintenance"].replace("http", "ws") + "/ws", ws_tokens, lambda: http(
            "POST", url["maintenance"] + "/tickets", {"title": "Flickering light in corridor", "description": "Bench ticket",
                                                    "location": "Library 2nd floor"}, token=reporter), server_pid=server.process.pid)
        peak_rss = rss_kib(server.process.pid, "VmHWM")
    finally:
        ceiling.stop()
        server.stop()
        if not os.environ.get("BENCH_KEEP_DATA"):
            shutil.rmtree(data_dir, ignore_errors=True)

    # The same bookings on PostgreSQL (scripts/bench starts a server with fsync on and names it in BENCH_PG_*).
    if os.environ.get("BENCH_PG_PORT"):
        pg_env = {**env, "DATABASE_TYPE": "postgresql", "DB_HOST": "127.0.0.1", "DB_PORT": os.environ["BENCH_PG_PORT"],
                  "DB_USER": os.environ["BENCH_PG_USER"], "DB_NAME": os.environ.get("BENCH_PG_DB", "campus_test")}
        pg_data = Path(tempfile.mkdtemp(prefix="campus-bench-pg-"))
        pg_env["DATA_DIR"] = str(pg_data)
        pg_server = Server(options.binary, pg_env, ["serve"], pg_data / "serve.log")
        try:
            wait_until_ready(ports, timeout=60, path="/health", interval=0.01, exited=lambda: (
                f"campus serve (PostgreSQL) stopped: {(pg_data / 'serve.log').read_text()}" if pg_server.process.poll() is not None else None))
            rows.append(("`POST /bookings` on distinct slots (booking, PostgreSQL 15, fsync on)",
                         bookings_row(url["booking"], secret, pg_data, options.duration, options.connections)))
        finally:
            pg_server.stop()
            shutil.rmtree(pg_data, ignore_errors=True)

    ceiling_rps = rows[0][1]["rps"]
    print(f"\n### scripts/bench {options.label}".rstrip())
    print(f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC · {os.cpu_count()} cores · wrk -t1 -c{options.connections} "
          f"-d{options.duration}s (login -c8) · load generator on the same machine\n")
    print("| route | req/s | % of ceiling | p50 | p99 | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(f"| {name} | {r['rps']:,.0f} | {100 * r['rps'] / ceiling_rps:.1f} % | {r['p50']:.2f} ms | {r['p99']:.2f} ms | {r['errors']} |")
    print(f"| WebSocket fan-out: one ticket event to {fanout['connected']:,} connected clients (of {options.clients:,}) | – | – | "
          f"{fanout['p50']:.1f} ms | {fanout['p99']:.1f} ms | {options.clients - fanout['delivered']:,} undelivered |")
    print()
    print(f"- start to six `/health` green: **{startup * 1000:.0f} ms** (restart on existing data); "
          f"first start on a fresh data folder (migrations, default users from their published hashes): **{first_start * 1000:.0f} ms**")
    print(f"- RSS of the whole `campus serve` process: idle **{idle_rss / 1024:.1f} MiB**, peak **{peak_rss / 1024:.1f} MiB**")
    cpu = (f"; CPU during delivery: server {fanout['server_cpu_s']:.2f} s, clients {fanout['clients_cpu_s']:.2f} s"
           if fanout.get("server_cpu_s") is not None else "")
    print(f"- WebSocket fan-out: {fanout['workers']} client processes; {fanout['connected']:,} clients connected and ready in "
          f"**{fanout.get('connect_s', float('nan')):.1f} s**; delay from just before `POST /tickets` to the frame read by each client "
          f"(last {fanout.get('max', float('nan')):.1f} ms; the `POST` answered after {fanout.get('create_ms', float('nan')):.1f} ms){cpu}"
          + (f"; connect errors: {fanout['connect_errors']}" if fanout.get("connect_errors") else ""))


if __name__ == "__main__":
    main()
