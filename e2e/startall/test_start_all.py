"""scripts/start-all: six processes, one sign-in through the gateway that every process accepts
(the development secret shared through DATA_DIR/.jwt-secret), a clean stop."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import requests

from support.campus import ROOT, campus_binary
from support.services import PORT_VARIABLE, distinct_ports
from support.openapi_check import ContractChecker, ValidatedSession

SCRIPT = ROOT / "scripts" / "start-all"
PORTS = {variable: name for name, variable in PORT_VARIABLE.items()}  # port variable -> service


def environment(data_dir: str) -> tuple[dict, dict]:
    ports = distinct_ports(PORTS)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JWT_", "DB_")) and k not in PORTS}
    env.update({"CAMPUS_BIN": campus_binary(), "DATA_DIR": data_dir, "APP_ENV": "development", "DATABASE_TYPE": "sqlite",
                "BCRYPT_COST": "4", "LOG_LEVEL": "info", "SEED_DEFAULT_USERS": "true", "BIND_ADDRESS": "127.0.0.1",
                **{k: str(v) for k, v in ports.items()}})
    return env, ports


def pids(data_dir: str) -> dict[str, int]:
    lines = (Path(data_dir) / "start-all.pids").read_text().split("\n")
    return {name: int(pid) for name, pid in (line.split() for line in lines if line.strip())}


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie left for its parent counts as gone
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def cmdline(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_text().split("\0")[:-1]


def test_start_all_runs_six_processes_that_share_a_sign_in_and_stop_cleanly():
    data_dir = tempfile.mkdtemp(prefix="campus-start-all-")
    env, ports = environment(data_dir)
    started = time.monotonic()
    result = subprocess.run([str(SCRIPT)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    start_seconds = time.monotonic() - started
    processes = {}
    try:
        assert result.returncode == 0, result.stdout + result.stderr
        processes = pids(data_dir)
        assert sorted(processes) == sorted(PORTS.values())
        assert len(set(processes.values())) == 6
        for name, pid in processes.items():
            assert alive(pid), name
            assert cmdline(pid)[-2:] == ["serve", name], cmdline(pid)
        for variable, name in PORTS.items():
            assert f"http://127.0.0.1:{ports[variable]}" in result.stdout, f"{name}'s URL not printed: {result.stdout}"
            assert (Path(data_dir) / "logs" / f"{name}.log").exists()
        assert (Path(data_dir) / ".jwt-secret").stat().st_size >= 32

        gateway = f"http://127.0.0.1:{ports['GATEWAY_PORT']}"
        # Every exchange with the six processes checked against their documents (support/openapi_check.py).
        session = ValidatedSession(checker=ContractChecker({name: ports[variable] for variable, name in PORTS.items()}))
        login = session.post(gateway + "/auth/login", json={"email": "student@example.com", "password": "student123"}, timeout=15)
        assert login.status_code == 200, login.text
        token, me = login.json()["access_token"], login.json()["user"]
        headers = {"Authorization": f"Bearer {token}"}
        # one route of every service, through the gateway; each process verifies the token itself
        for path, service in [("/auth/me", "gateway"), (f"/api/users/{me['id']}", "users"), ("/api/rooms", "booking"),
                              ("/api/gpa/scale", "gpa"), ("/api/notifications", "notification"), ("/api/tickets", "maintenance")]:
            r = session.get(gateway + path, headers=headers, timeout=15)
            assert r.status_code == 200, f"{path} ({service}): {r.status_code} {r.text[:300]}"
        # and one straight to a service process, not through the gateway
        r = session.get(f"http://127.0.0.1:{ports['BOOKING_PORT']}/bookings", headers=headers, timeout=15)
        assert r.status_code == 200, r.text
        session.close()

        second = subprocess.run([str(SCRIPT)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode != 0 and "Already running" in second.stderr, second.stdout + second.stderr

        stopped = time.monotonic()
        stop = subprocess.run([str(SCRIPT), "stop"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        stop_seconds = time.monotonic() - stopped
        assert stop.returncode == 0, stop.stdout + stop.stderr
        assert "SIGKILL" not in stop.stdout + stop.stderr, "a service ignored SIGTERM"
        deadline = time.monotonic() + 5
        while any(alive(pid) for pid in processes.values()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [name for name, pid in processes.items() if alive(pid)] == []
        assert not (Path(data_dir) / "start-all.pids").exists()
        for variable in PORTS:
            try:  # nothing may answer any more (a connection error is the expected outcome)
                requests.get(f"http://127.0.0.1:{ports[variable]}/health", timeout=1)
                raise AssertionError(f"{variable} still answers after stop")
            except requests.ConnectionError:
                pass
        print(f"start-all: ready in {start_seconds:.1f}s, stopped in {stop_seconds:.1f}s")
    finally:
        for pid in processes.values():
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(data_dir, ignore_errors=True)


def test_start_all_run_stops_everything_on_ctrl_c():
    data_dir = tempfile.mkdtemp(prefix="campus-start-all-")
    env, ports = environment(data_dir)
    runner = subprocess.Popen([str(SCRIPT), "run"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    processes = {}
    try:
        deadline = time.monotonic() + 90
        output = ""
        while "Ctrl-C stops all" not in output:
            line = runner.stdout.readline()
            assert line or runner.poll() is None, f"start-all run ended early: {output}"
            output += line
            assert time.monotonic() < deadline, output
        processes = pids(data_dir)
        assert len(processes) == 6 and all(alive(pid) for pid in processes.values())
        runner.send_signal(signal.SIGINT)
        assert runner.wait(40) == 0
        assert [name for name, pid in processes.items() if alive(pid)] == []
    finally:
        if runner.poll() is None:
            runner.kill()
        for pid in processes.values():
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(data_dir, ignore_errors=True)
