"""WebSocket fan-out measured from several client processes: how long one server event takes to
reach N connected clients (scripts/lib/bench.py's "WebSocket fan-out" row).

    from ws_fanout import fanout
    result = fanout("ws://127.0.0.1:8080/ws", tokens, create=lambda: post_a_ticket())
    # {"connected": 10000, "delivered": 10000, "p50": 61.2, "p99": 140.8, "connect_s": 9.8, "workers": 8, ...}

One asyncio process parsing 10,000 frames one after the other measures Python, not the server, so
the clients are spread over worker processes (multiprocessing, 'spawn'; by default one per 1,250
clients, at most 8), each an asyncio loop holding its share of connections (the `websockets`
library, >= 14: `websockets.asyncio.client.connect`). The protocol between the parent and a worker,
over one multiprocessing Pipe each:

    worker -> parent  ("hello", monotonic)         started (a check that both read the same clock)
    worker -> parent  ("ready", {...})             its clients connected (paced) and got {"type":"ready"}
    parent -> worker  ("go",)                      the event is about to be triggered
    (parent)          t0 = time.monotonic(); create()
    worker -> parent  ("done", {...})              arrival times of "ticket.created", CPU spent meanwhile
    parent -> worker  ("close",)                   close every connection and exit
    worker -> parent  ("closed", n)

Arrival times are `time.monotonic()`: clock_gettime(CLOCK_MONOTONIC) on Linux, one system-wide
clock (not per process), so a worker's readings and the parent's t0 compare directly. The parent
checks it anyway: each worker's first reading must fall between the parent's readings before the
worker started and after its hello arrived.

A client's arrival is taken in its connection's data_received, when the loop reads the bytes
that contain "ticket.created" (a substring test, no JSON parsing). By default those bytes go on to
the library's frame parser only after every client has them (defer_parsing): a worker's CPU then
goes to reading its sockets, not to parsing frames it has already timed, and the library still
sees every byte in order (one message per worker is parsed afterwards as a check). With
defer_parsing=False each client parses at once and the time recv() returned is kept too
(`p50_recv`/`p99_recv`): the difference is the workers' own queueing.

Standalone: ws_fanout.py URL --tokens FILE (one token a line) --trigger-url URL --trigger-token T
(POSTs a bench ticket there), prints the result as JSON.
"""
from __future__ import annotations

import asyncio
import math
import multiprocessing
import multiprocessing.connection
import os
import resource
import sys
import time
import traceback
from collections import Counter
from typing import Callable

TICKET_CREATED = b'"ticket.created"'
READY = b'"ready"'

# ---------------------------------------------------------------------------------------------
# Worker side (runs in a spawned process; everything it needs comes through its arguments).


def _raise_nofile(needed: int) -> tuple[int, int]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = needed if hard == resource.RLIM_INFINITY else min(hard, needed)
    if soft != resource.RLIM_INFINITY and soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _worker(conn, index: int, url_base: str, tokens: list[str], options: dict) -> None:
    try:
        conn.send(("hello", time.monotonic()))
        asyncio.run(_worker_main(conn, index, url_base, tokens, options))
    except BaseException:  # the parent must hear about it rather than time out
        try:
            conn.send(("error", f"worker {index}: {traceback.format_exc()}"))
        except Exception:
            pass
    finally:
        conn.close()


async def _worker_main(conn, index: int, url_base: str, tokens: list[str], options: dict) -> None:
    from websockets.asyncio.client import ClientConnection, connect

    defer = options["defer_parsing"]

    class TimedConnection(ClientConnection):
        """Notes when the bytes carrying "ticket.created" are read, before any frame parsing. With
        `defer`, those bytes (and any after them) are handed to the library only after the
        measurement (flush), so a worker's CPU goes to reading its sockets, not to parsing frames."""
        arrived: float | None = None
        deferred: list[bytes] | None = None

        def data_received(self, data: bytes) -> None:
            if self.deferred is not None:
                self.deferred.append(data)
                return
            if self.arrived is None and TICKET_CREATED in data:
                self.arrived = time.monotonic()
                note_arrival(self.arrived)
                if defer:
                    self.deferred = [data]
                    return
            super().data_received(data)

        def flush(self) -> None:
            chunks, self.deferred = self.deferred or [], None
            for chunk in chunks:
                super().data_received(chunk)

    loop = asyncio.get_running_loop()
    nofile = _raise_nofile(len(tokens) + 256)
    connect_deadline = time.monotonic() + options["connect_timeout"]
    open_timeout = options["open_timeout"]
    interval = 1.0 / options["rate"] if options["rate"] else 0.0
    in_flight = asyncio.Semaphore(options["in_flight"])
    errors: Counter[str] = Counter()
    connections: list = []
    ready = 0
    arrivals: list[float] = []       # data_received read the bytes (or recv() returned, when they were split)
    recv_arrivals: list[float] = []  # recv() returned (only without `defer`)
    sample: list[bytes] = []         # one ticket.created message, parsed after the measurement
    all_delivered = asyncio.Event()
    armed = False

    def note_arrival(at: float) -> None:
        arrivals.append(at)
        if armed and len(arrivals) >= ready:
            all_delivered.set()

    def note_error(error: BaseException) -> None:
        text = f"{type(error).__name__}: {error}"
        errors[text[:160]] += 1

    async def client(token: str) -> None:
        nonlocal ready
        handshaking.add(asyncio.current_task())
        try:
            try:
                ws = await connect(
                    f"{url_base}?token={token}", create_connection=TimedConnection, proxy=None, compression=None,
                    user_agent_header=None, open_timeout=open_timeout, ping_interval=None, close_timeout=2,
                    max_size=2**20)
            except Exception as error:
                note_error(error)
                return
            connections.append(ws)
            try:
                first = await asyncio.wait_for(ws.recv(decode=False), max(0.1, connect_deadline - time.monotonic()))
            except Exception as error:
                note_error(error)
                return
            if READY not in first:
                errors[f"first message is not ready: {first[:80]!r}"] += 1
                return
            ready += 1
        except asyncio.CancelledError:  # still in its handshake at the connect deadline (counted there)
            return
        finally:
            handshaking.discard(asyncio.current_task())
            in_flight.release()
        try:
            while True:
                message = await ws.recv(decode=False)
                if TICKET_CREATED in message:
                    now = time.monotonic()
                    if ws.arrived is None:  # "ticket.created" was split between two reads
                        ws.arrived = now
                        note_arrival(now)
                    if not defer:
                        recv_arrivals.append(now)
                    if not sample:
                        sample.append(message)
                    return
        except Exception as error:  # closed by the server before the event (or while closing at the end)
            if not closing:
                note_error(error)

    closing = False
    handshaking: set[asyncio.Task] = set()
    tasks: list[asyncio.Task] = []
    started = time.monotonic()
    for number, token in enumerate(tokens):
        # Paced: at most `rate` new connections a second and `in_flight` handshakes at once per worker.
        if interval:
            delay = started + number * interval - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
        remaining = connect_deadline - time.monotonic()
        if remaining <= 0:
            errors["not attempted: connect phase over"] += len(tokens) - number
            break
        try:
            await asyncio.wait_for(in_flight.acquire(), remaining)
        except asyncio.TimeoutError:
            errors["not attempted: connect phase over"] += len(tokens) - number
            break
        tasks.append(asyncio.create_task(client(token)))
    # Every started handshake ends (ready, failed, or timed out at the deadline) before reporting.
    for _ in range(options["in_flight"]):
        remaining = connect_deadline - time.monotonic()
        if remaining <= 0:
            break
        try:
            await asyncio.wait_for(in_flight.acquire(), remaining)
        except asyncio.TimeoutError:
            break
    if handshaking:  # the connect phase is over: what has not become ready by now does not count
        errors["handshake unfinished at the connect deadline"] += len(handshaking)
        for task in list(handshaking):
            task.cancel()
        await asyncio.sleep(0)
    connect_s = time.monotonic() - started
    conn.send(("ready", {"ready": ready, "attempted": len(tasks), "errors": dict(errors), "connect_s": connect_s,
                         "nofile": nofile, "pid": os.getpid()}))

    message = await loop.run_in_executor(None, conn.recv)
    if message[0] == "go":
        cpu_before = _cpu_seconds()
        armed = True
        if len(arrivals) >= ready:
            all_delivered.set()
        try:
            await asyncio.wait_for(all_delivered.wait(), options["delivery_timeout"])
        except asyncio.TimeoutError:
            pass
        cpu = _cpu_seconds() - cpu_before
        for ws in connections:
            try:
                ws.flush()
            except Exception as error:  # e.g. the connection was lost meanwhile
                note_error(error)
        await asyncio.sleep(0)
        valid = None
        for _ in range(50):  # the flushed messages reach their recv() (a sample to check)
            if sample:
                break
            await asyncio.sleep(0.01)
        if sample:
            import json
            try:
                valid = json.loads(sample[0]).get("type") == "ticket.created"
            except ValueError:
                valid = False
        conn.send(("done", {"arrivals": arrivals, "recv_arrivals": recv_arrivals, "cpu_s": cpu, "ready": ready,
                            "message_ok": valid, "errors": dict(errors)}))
        message = await loop.run_in_executor(None, conn.recv)

    # "close" (or "abort"): close every connection, briefly, and leave.
    closing = True
    for task in tasks:
        task.cancel()
    closed = 0

    async def close(ws) -> None:
        nonlocal closed
        try:
            await ws.close()
            closed += 1
        except Exception:
            pass

    try:
        await asyncio.wait_for(asyncio.gather(*(close(ws) for ws in connections)), options["close_timeout"])
    except asyncio.TimeoutError:
        pass
    for ws in connections:  # whatever did not finish its closing handshake
        if ws.transport is not None and not ws.transport.is_closing():
            ws.transport.abort()
    await asyncio.gather(*tasks, return_exceptions=True)
    conn.send(("closed", closed))


# ---------------------------------------------------------------------------------------------
# Parent side.


def default_workers(clients: int) -> int:
    """One worker per 1,250 clients, between 1 and 8."""
    return max(1, min(8, math.ceil(clients / 1250)))


def process_cpu_seconds(pid: int) -> float | None:
    """utime + stime of a process (all its threads), from /proc; None when unreadable."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list (nan when empty)."""
    if not sorted_values:
        return float("nan")
    return sorted_values[max(0, math.ceil(fraction * len(sorted_values)) - 1)]


class WorkerFailed(RuntimeError):
    pass


def _receive(conns: list, kind: str, deadline: float) -> dict[int, object]:
    """The `kind` message of every worker (by index), or WorkerFailed when one errs, dies or is late."""
    pending = {id(c): i for i, c in enumerate(conns)}
    got: dict[int, object] = {}
    while pending:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise WorkerFailed(f"no {kind!r} from worker(s) {sorted(pending.values())} in time")
        for c in multiprocessing.connection.wait([conns[i] for i in pending.values()], remaining):
            index = pending[id(c)]
            try:
                message = c.recv()
            except EOFError:
                raise WorkerFailed(f"worker {index} exited before {kind!r}") from None
            if message[0] == "error":
                raise WorkerFailed(message[1])
            if message[0] != kind:
                raise WorkerFailed(f"worker {index} sent {message[0]!r}, expected {kind!r}")
            got[index] = message[1]
            del pending[id(c)]
    return got


def fanout(url_base: str, tokens: list[str], create: Callable[[], object], *, workers: int | None = None,
           connect_timeout: float = 120, delivery_timeout: float = 30, rate: float = 2000, in_flight: int = 192,
           server_pid: int | None = None, defer_parsing: bool = True) -> dict:
    """Connects len(tokens) clients to `url_base` (?token= each) from `workers` processes, calls
    `create()` once all are ready, and measures the delay until each client has the ticket.created
    event. `rate` (new connections a second) and `in_flight` (handshakes at once) are totals over
    all workers, kept under the server's accept backlog. Returns {"connected", "delivered", "p50",
    "p99"} in ms from just before create() plus details (connect_s, workers, CPU seconds of clients
    and server during delivery when `server_pid` is given, errors). `defer_parsing` (the default)
    leaves the event's frame to the client library until every client has it; False lets each
    client parse it at once and adds p50_recv/p99_recv (the delay until recv() returned)."""
    count = len(tokens)
    workers = max(1, min(workers or default_workers(count), max(1, count)))
    context = multiprocessing.get_context("spawn")
    shares = [tokens[i::workers] for i in range(workers)]
    options = {"connect_timeout": connect_timeout, "open_timeout": min(30.0, connect_timeout),
               "delivery_timeout": delivery_timeout, "close_timeout": 20.0, "defer_parsing": defer_parsing,
               "rate": rate / workers if rate else 0.0, "in_flight": max(1, in_flight // workers)}
    processes, conns = [], []
    result: dict = {"connected": 0, "delivered": 0, "p50": float("nan"), "p99": float("nan"), "workers": workers,
                    "defer_parsing": defer_parsing}
    try:
        spawned = time.monotonic()
        for index, share in enumerate(shares):
            parent_end, child_end = context.Pipe()
            process = context.Process(target=_worker, args=(child_end, index, url_base, share, options),
                                      name=f"ws-fanout-{index}", daemon=True)
            process.start()
            child_end.close()
            processes.append(process)
            conns.append(parent_end)
        hellos = _receive(conns, "hello", time.monotonic() + 60)
        heard = time.monotonic()
        result["clock_check"] = all(spawned <= t <= heard for t in hellos.values())
        if not result["clock_check"]:
            raise WorkerFailed(f"a worker's time.monotonic() is outside the parent's: {spawned} .. {heard}: {hellos}")

        connect_started = time.monotonic()
        ready = _receive(conns, "ready", connect_started + connect_timeout + 30)
        result["connect_s"] = time.monotonic() - connect_started
        result["connected"] = sum(r["ready"] for r in ready.values())
        errors: Counter[str] = Counter()
        for r in ready.values():
            errors.update(r["errors"])
        result["connect_errors"] = dict(errors)
        result["worker_nofile"] = ready[0]["nofile"]

        for c in conns:
            c.send(("go",))
        server_cpu_before = process_cpu_seconds(server_pid) if server_pid else None
        t0 = time.monotonic()
        create()
        result["create_ms"] = (time.monotonic() - t0) * 1000
        result["t0"] = t0  # time.monotonic() just before create(), e.g. to line up with `perf record -k mono`
        done = _receive(conns, "done", t0 + delivery_timeout + 30)
        delivery_end = time.monotonic()
        if server_cpu_before is not None:
            after = process_cpu_seconds(server_pid)
            result["server_cpu_s"] = after - server_cpu_before if after is not None else None
        result["delivery_wall_s"] = delivery_end - t0
        result["clients_cpu_s"] = sum(d["cpu_s"] for d in done.values())
        delays = sorted((t - t0) * 1000 for d in done.values() for t in d["arrivals"])
        recv_delays = sorted((t - t0) * 1000 for d in done.values() for t in d["recv_arrivals"])
        result.update(delivered=len(delays), p50=percentile(delays, 0.50), p99=percentile(delays, 0.99),
                      max=delays[-1] if delays else float("nan"), first=delays[0] if delays else float("nan"),
                      p50_recv=percentile(recv_delays, 0.50), p99_recv=percentile(recv_delays, 0.99),
                      message_ok=all(d["message_ok"] in (True, None) for d in done.values()))
        late = Counter()
        for d in done.values():
            late.update(d["errors"])
        late.subtract(errors)
        result["delivery_errors"] = {k: v for k, v in late.items() if v > 0}

        for c in conns:
            c.send(("close",))
        closed = _receive(conns, "closed", time.monotonic() + options["close_timeout"] + 15)
        result["closed"] = sum(closed.values())
    finally:
        for c in conns:
            try:
                c.send(("abort",))
            except (OSError, ValueError):
                pass
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()
        for c in conns:
            c.close()
    return result


def main() -> None:
    import argparse
    import json
    import urllib.request

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="ws://host:port/ws")
    parser.add_argument("--tokens", required=True, help="a file with one token a line")
    parser.add_argument("--trigger-url", required=True, help="POST a bench ticket here, e.g. http://host:port/tickets")
    parser.add_argument("--trigger-token", required=True)
    parser.add_argument("--workers", type=int)
    parser.add_argument("--server-pid", type=int)
    options = parser.parse_args()
    tokens = open(options.tokens).read().split()

    def create() -> None:
        body = json.dumps({"title": "Flickering light in corridor", "description": "Bench ticket", "location": "Library 2nd floor"})
        request = urllib.request.Request(options.trigger_url, method="POST", data=body.encode(), headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {options.trigger_token}"})
        urllib.request.urlopen(request, timeout=30).read()

    print(json.dumps(fanout(options.url, tokens, create, workers=options.workers, server_pid=options.server_pid), indent=2))


if __name__ == "__main__":
    main()
