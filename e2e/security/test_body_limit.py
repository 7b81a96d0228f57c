"""A body over 1 MiB → 413 problem+json and nothing stored, whether it declares its length or is
chunked; a body just under the limit is read normally."""
from __future__ import annotations

import json

import pytest

from conftest import assert_problem

LIMIT = 1024 * 1024

# (service, method, path, role, list path to count, a valid body whose padding field grows)
WRITES = [
    ("users", "POST", "/users", "admin", "/users", lambda pad: {"email": "big@example.com", "name": pad, "password": "long-enough-pw", "role": "student"}),
    ("booking", "POST", "/bookings", "student", "/bookings", lambda pad: {"room_id": 1, "date": "2030-01-01", "start_time": "09:00", "end_time": "10:00", "purpose": pad}),
    ("booking", "POST", "/rooms", "admin", "/rooms", lambda pad: {"name": pad, "building": "Annex", "capacity": 3}),
    ("notification", "POST", "/notifications", "admin", "/notifications", lambda pad: {"title": "t", "message": pad, "level": "info", "audience": {"all": True}}),
    ("maintenance", "POST", "/tickets", "student", "/tickets", lambda pad: {"title": "t", "description": pad, "location": "x"}),
    ("maintenance", "POST", "/triage", "student", None, lambda pad: {"title": "t", "description": pad, "location": "x"}),
    ("gpa", "POST", "/calculate", "student", None, lambda pad: {"courses": [{"name": pad, "grade": "A", "credits": 3}]}),
    ("gateway", "POST", "/auth/login", None, None, lambda pad: {"email": "admin@example.com", "password": pad}),
]
IDS = [f"{m} {s}{p}" for s, m, p, *_ in WRITES]


def oversized(make) -> bytes:
    return json.dumps(make("x" * (LIMIT + 10))).encode()


def total(campus, service, path, role):
    r = campus.get(service, path, token=campus.tokens[role], params={"limit": 1})
    assert r.status_code == 200, r.text
    return int(r.headers["X-Total-Count"])


def send(campus, service, method, path, role, body, chunked=False, via="direct"):
    """Bodies over (or, past a field's maxLength, just under) the limit are wrong on purpose: only
    the answer is checked against the document."""
    headers = {"Content-Type": "application/json"}
    data = iter([body[i:i + 65536] for i in range(0, len(body), 65536)]) if chunked else body
    token = campus.tokens[role] if role else None
    if via == "gateway":
        prefix = "/api/gpa" if service == "gpa" else "/api"
        return campus.request(method, "gateway", prefix + path, token=token, data=data, headers=headers, validate_request=False)
    return campus.request(method, service, path, token=token, data=data, headers=headers, validate_request=False)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize("service,method,path,role,listing,make", WRITES, ids=IDS)
def test_oversized_body_is_413_and_stores_nothing(campus, service, method, path, role, listing, make, chunked):
    count = total(campus, service, listing, role) if listing else None
    r = send(campus, service, method, path, role, oversized(make), chunked=chunked)
    assert_problem(r, 413)
    if listing:
        assert total(campus, service, listing, role) == count


@pytest.mark.parametrize("service,method,path,role,listing,make", [w for w in WRITES if w[0] != "gateway"],
                         ids=[i for i, w in zip(IDS, WRITES) if w[0] != "gateway"])
def test_oversized_body_through_the_gateway_is_413(campus, service, method, path, role, listing, make):
    count = total(campus, service, listing, role) if listing else None
    r = send(campus, service, method, path, role, oversized(make), via="gateway")
    assert_problem(r, 413)
    if listing:
        assert total(campus, service, listing, role) == count


def test_a_body_just_under_the_limit_is_read(campus):
    """Not a blanket refusal: 1 MiB less a little reaches validation (422 for a too-long name)."""
    body = json.dumps({"title": "t", "description": "d" * (LIMIT - 200), "location": "x"}).encode()
    assert len(body) < LIMIT
    r = send(campus, "maintenance", "POST", "/triage", "student", body)
    assert r.status_code in (200, 422), r.text


def noisy_jpeg(side: int) -> bytes:
    """A real JPEG of random pixels: big for its size, as a phone photo is."""
    import io
    import os
    from PIL import Image
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "JPEG", quality=95)
    return out.getvalue()


@pytest.mark.parametrize("via", ["direct", "gateway"])
def test_a_photo_may_be_8_mib_and_no_more_and_only_on_the_photo_route(campus, via):
    """Ticket photos (issue 19, point 7) are the one body allowed past 1 MiB: a 2-3 MiB phone-sized JPEG is
    stored, straight and through the gateway; over 8 MiB is 413 whether it declares its length or is chunked,
    and nothing is stored; the same 2-3 MiB body sent to the comment route is still 413."""
    student = campus.tokens["student"]
    ticket = campus.request("POST", "maintenance", "/tickets", token=student,
                            json={"title": "Cracked tile", "description": "photo limits", "location": "Annex"}).json()["id"]
    prefix = "/api" if via == "gateway" else ""
    target = "gateway" if via == "gateway" else "maintenance"
    photo = noisy_jpeg(1100)
    assert LIMIT < len(photo) < 8 * LIMIT, len(photo)
    r = campus.request("POST", target, f"{prefix}/tickets/{ticket}/photos", token=student, data=photo,
                       headers={"Content-Type": "image/jpeg"}, validate_request=False)
    assert r.status_code == 201, r.text[:300]
    assert r.json()["width"] == 1100
    huge = photo + b"\0" * (8 * LIMIT)
    for chunked in (False, True):
        data = iter([huge[i:i + 65536] for i in range(0, len(huge), 65536)]) if chunked else huge
        r = campus.request("POST", target, f"{prefix}/tickets/{ticket}/photos", token=student, data=data,
                           headers={"Content-Type": "image/jpeg"}, validate_request=False)
        assert_problem(r, 413)
    r = campus.request("POST", target, f"{prefix}/tickets/{ticket}/comments", token=student, data=photo,
                       headers={"Content-Type": "application/json"}, validate_request=False)
    assert_problem(r, 413)
    listed = campus.request("GET", "maintenance", f"/tickets/{ticket}/photos", token=student)
    assert listed.headers["X-Total-Count"] == "1"
