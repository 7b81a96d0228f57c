"""Every answer of every service says `nosniff`; answers to signed-in requests and to sign-in (it
returns a token) say `Cache-Control: no-store`, errors included, directly and through the gateway;
the SQLite files are the owner's alone (issue 14, point 8)."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import requests

from support.services import SERVICES

SIGNED_IN = [  # (service, method, path, role, body): one signed-in answer of each service
    ("gateway", "GET", "/auth/me", "student", None),
    ("users", "GET", "/users", "admin", None),
    ("booking", "GET", "/bookings", "student", None),
    ("gpa", "POST", "/calculate", "student", {"courses": [{"name": "Calculus", "grade": "A", "credits": 3}]}),
    ("notification", "GET", "/notifications", "student", None),
    ("maintenance", "GET", "/tickets", "technician", None),
]


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_says_nosniff_even_on_health_and_errors(campus, service):
    # Plain requests: a route that does not exist is in no OpenAPI document to check the exchange against.
    plain = requests.Session()
    plain.trust_env = False  # loopback only: never through a proxy from the environment
    for path in ("/health", "/no-such-route"):
        r = plain.get(campus.server.url(service, path), timeout=10)
        assert r.headers.get("X-Content-Type-Options") == "nosniff", f"{service} {path} -> {r.status_code} {dict(r.headers)}"


CASES = [(*case, via) for case in SIGNED_IN for via in ("direct", "gateway") if not (case[0] == "gateway" and via == "gateway")]


@pytest.mark.parametrize("service,method,path,role,body,via", CASES, ids=[f"{c[0]}-{c[-1]}" for c in CASES])
def test_signed_in_answers_are_never_stored(campus, service, method, path, role, body, via):
    r = campus.call(method, service, path, campus.tokens[role], via=via, json=body)
    assert r.status_code == 200, f"{service} {path} ({via}) -> {r.status_code} {r.text[:200]}"
    assert r.headers.get("Cache-Control") == "no-store", f"{service} {path} ({via}): {r.headers.get('Cache-Control')}"
    assert r.headers.get("X-Content-Type-Options") == "nosniff"


@pytest.mark.parametrize("via", ["direct", "gateway"])
def test_a_refusal_to_a_signed_in_request_is_not_stored_either(campus, via):
    r = campus.call("GET", "users", "/users/999999999", campus.tokens["admin"], via=via)
    assert r.status_code == 404
    assert r.headers.get("Cache-Control") == "no-store" and r.headers.get("X-Content-Type-Options") == "nosniff", dict(r.headers)


def test_sign_in_answers_are_never_stored(campus):
    ok = campus.server.request("POST", "gateway", "/auth/login", json={"email": "student@example.com", "password": "student123"})
    assert ok.status_code == 200 and "access_token" in ok.json()
    wrong = campus.server.request("POST", "gateway", "/auth/login", json={"email": "student@example.com", "password": "not-it"})
    assert wrong.status_code == 401
    for r in (ok, wrong):
        assert r.headers.get("Cache-Control") == "no-store", dict(r.headers)
        assert r.headers.get("X-Content-Type-Options") == "nosniff"


def test_sqlite_files_are_the_owners_alone(campus):
    files = sorted(Path(campus.server.data_dir).glob("*.db*"))
    assert {f.name for f in files} >= {"users.db", "bookings.db", "notifications.db", "maintenance.db", "gateway.db"}, files
    loose = {f.name: oct(stat.S_IMODE(os.stat(f).st_mode)) for f in files if stat.S_IMODE(os.stat(f).st_mode) & 0o077}
    assert loose == {}, f"readable by others: {loose}"
