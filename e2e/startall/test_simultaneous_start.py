"""Regression: processes started at the same moment without JWT_SECRET_KEY share one development
secret (DATA_DIR/.jwt-secret is now created with link(), which fails if the file exists)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile

import pytest

from support.campus import ROOT, campus_binary
from support.services import PORT_VARIABLE as PORTS, distinct_ports, wait_until_ready
from support.openapi_check import ContractChecker, ValidatedSession



def test_processes_started_at_the_same_moment_share_one_development_secret():
    """Processes started together must all trust the gateway's tokens (the sign-in itself fails with
    401 when the gateway and user management hold different secrets)."""
    failures = []
    for trial in range(12):
        if failures:
            break
        data_dir = tempfile.mkdtemp(prefix="campus-secret-race-")
        ports = distinct_ports(PORTS)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JWT_", "DB_"))}
        env.update({"DATA_DIR": data_dir, "APP_ENV": "development", "DATABASE_TYPE": "sqlite", "BCRYPT_COST": "4",
                    "LOG_LEVEL": "error", "SEED_DEFAULT_USERS": "true", **{PORTS[n]: str(p) for n, p in ports.items()}})
        processes = [subprocess.Popen([campus_binary(), "serve", name], env=env, cwd=ROOT,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for name in PORTS]
        try:
            # every process ready (a generous deadline: a slow machine must not pass for a disagreement)
            try:
                wait_until_ready(ports, timeout=90)
            except RuntimeError as error:
                raise AssertionError(f"trial {trial}: {error}") from None
            # From here every exchange is checked against the documents (support/openapi_check.py).
            session = ValidatedSession(checker=ContractChecker(ports))
            login = session.post(f"http://127.0.0.1:{ports['gateway']}/auth/login",
                                 json={"email": "student@example.com", "password": "student123"}, timeout=15)
            if login.status_code != 200:
                failures.append((trial, "login", login.status_code))
                continue
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
            for name, path in (("booking", "/bookings"), ("notification", "/notifications"), ("maintenance", "/tickets")):
                status = session.get(f"http://127.0.0.1:{ports[name]}{path}", headers=headers, timeout=15).status_code
                if status != 200:
                    failures.append((trial, name, status))
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                process.wait(30)
            shutil.rmtree(data_dir, ignore_errors=True)
    assert failures == [], f"processes disagreed on the development secret: {failures}"
