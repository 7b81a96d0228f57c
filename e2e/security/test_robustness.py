"""Hostile but well-formed input to every service: extreme paging values, broken encodings and
deep nesting → a clear 4xx (or an empty page), never a 5xx, never a crash of the process."""
from __future__ import annotations

import pytest

from conftest import assert_problem

INT64_MAX = 2**63 - 1
LISTS = [("users", "/users", "admin"), ("booking", "/rooms", "student"), ("booking", "/bookings", "student"),
         ("notification", "/notifications", "student"), ("maintenance", "/tickets", "technician")]


def all_alive(campus):
    for service in ("gateway", "users", "booking", "gpa", "notification", "maintenance"):
        assert campus.get(service, "/health", timeout=5).status_code == 200, service


@pytest.mark.parametrize("via", ["direct", "gateway"])
@pytest.mark.parametrize("service,path,role", LISTS, ids=[f"{s}{p}" for s, p, _ in LISTS])
@pytest.mark.parametrize("query", [{"offset": INT64_MAX}, {"offset": INT64_MAX - 1, "limit": 200}, {"limit": INT64_MAX},
                                   {"offset": INT64_MAX, "limit": INT64_MAX}], ids=["offset max", "offset max-1", "limit max", "both max"])
def test_extreme_paging_is_an_empty_page_not_a_crash(campus, service, path, role, via, query):
    r = campus.call("GET", service, path, token=campus.tokens[role], via=via, params=query, timeout=10)
    assert r.status_code == 200, r.text
    if query.get("offset", 0) > 0:
        assert r.json() == []
    else:
        assert len(r.json()) <= 200
    assert int(r.headers["X-Total-Count"]) >= 0
    all_alive(campus)


@pytest.mark.parametrize("service,path,role", LISTS, ids=[f"{s}{p}" for s, p, _ in LISTS])
@pytest.mark.parametrize("value", [str(2**63), "-1", "1e3", "ten", ""], ids=["2^63", "negative", "exponent", "word", "empty"])
def test_bad_paging_values_are_422(campus, service, path, role, value):
    for name in ("limit", "offset"):
        r = campus.get(service, path, token=campus.tokens[role], params={name: value}, validate_request=False)  # off-schema on purpose
        body = assert_problem(r, 422)
        assert body["detail"].startswith(name), body


BROKEN_BODIES = {
    "invalid UTF-8": b'{"title":"\xff\xfe","description":"d","location":"l"}',
    "lone surrogate": b'{"title":"\\ud800","description":"d","location":"l"}',
    "deeply nested arrays": b"[" * 100_000,
    "deeply nested objects": b'{"a":' * 50_000,
    "number out of range": b'{"title":"t","description":"d","location":"l","room_id":1e999}',
    "truncated": b'{"title":"t","descr',
    "not JSON": b"title=t&description=d",
}


@pytest.mark.parametrize("name", list(BROKEN_BODIES))
def test_broken_bodies_are_client_errors(campus, name):
    for service, path, role in (("maintenance", "/tickets", "student"), ("booking", "/bookings", "student"),
                                ("users", "/users", "admin"), ("gpa", "/calculate", "student"),
                                ("notification", "/notifications", "admin"), ("gateway", "/auth/login", None)):
        r = campus.request("POST", service, path, token=campus.tokens[role] if role else None,
                           data=BROKEN_BODIES[name], headers={"Content-Type": "application/json"}, timeout=10,
                           validate_request=False)  # broken on purpose: only the answer is checked
        assert r.status_code in (400, 422), f"{service}{path} {name}: {r.status_code} {r.text[:200]}"
        assert_problem(r, r.status_code)
    all_alive(campus)
