"""U+0000 in text (docs/contract.md §11): "nul\\u0000after" in every free-text field is either stored whole
(the answer and a later read give back exactly that string) or refused 422 with the field named and
nothing stored; never shortened. The outcome is the same on SQLite and PostgreSQL, straight and
through the gateway (PostgreSQL text cannot hold NUL, so "stored on SQLite, refused on PostgreSQL"
would be two different products)."""
from __future__ import annotations

import secrets

import pytest

from edges.harness import BACKENDS, VIAS, assert_problem

TEXT = "nul\u0000after"


def check_outcome(response, field: str, read_back, count_before: int | None, count_after) -> str:
    """'stored' or 'refused'; asserts what each outcome requires."""
    if 200 <= response.status_code < 300:
        assert response.json()[field] == TEXT, f"{field}: answered {response.json()[field]!r}, sent {TEXT!r}"
        stored = read_back(response.json())
        assert stored == TEXT, f"{field}: read back {stored!r}, sent {TEXT!r}"
        return "stored"
    assert_problem(response, 422, names=field)
    if count_before is not None:
        assert count_after() == count_before, f"{field}: refused, but something was stored"
    return "refused"


def ticket_field(field):
    def run(campus, via):
        technician = campus.tokens["technician"]
        before = campus.total("maintenance", "/tickets", technician)
        body = {"title": "Broken chair", "description": "A leg is loose.", "location": "Library", field: TEXT}
        r = campus.post("maintenance", "/tickets", campus.tokens["student"], via, json=body)
        return check_outcome(r, field, lambda made: campus.get("maintenance", f"/tickets/{made['id']}", technician).json()[field],
                             before, lambda: campus.total("maintenance", "/tickets", technician))
    return run


def comment_body(campus, via):
    student = campus.tokens["student"]
    ticket = campus.new_ticket()
    path = f"/tickets/{ticket['id']}/comments"
    r = campus.post("maintenance", path, student, via, json={"body": TEXT})

    def read(made):
        return next(c["body"] for c in campus.get("maintenance", path, student).json() if c["id"] == made["id"])
    return check_outcome(r, "body", read, 0, lambda: campus.total("maintenance", path, student))


def notification_field(field):
    def run(campus, via):
        recipient = campus.new_user("student")
        before = campus.total("notification", "/notifications", recipient.token)
        body = {"title": "Library hours", "message": "Open late.", "level": "info", "audience": {"user_id": recipient.id}, field: TEXT}
        r = campus.post("notification", "/notifications", campus.tokens["admin"], via, json=body)
        return check_outcome(r, field, lambda made: campus.get("notification", f"/notifications/{made['id']}", recipient.token).json()[field],
                             before, lambda: campus.total("notification", "/notifications", recipient.token))
    return run


def user_name_created(campus, via):
    admin = campus.tokens["admin"]
    before = campus.total("users", "/users", admin)
    r = campus.post("users", "/users", admin, via, json={"email": f"nul-{secrets.token_hex(4)}@example.com", "name": TEXT,
                                                         "password": "edges-password", "role": "student"})
    return check_outcome(r, "name", lambda made: campus.get("users", f"/users/{made['id']}", admin).json()["name"],
                         before, lambda: campus.total("users", "/users", admin))


def user_name_updated(campus, via):
    account = campus.new_user("student")
    r = campus.call("PUT", "users", f"/users/{account.id}", account.token, via, json={"name": TEXT})

    def read(_):
        return campus.get("users", f"/users/{account.id}", campus.tokens["admin"]).json()["name"]
    outcome = check_outcome(r, "name", read, None, None)
    if outcome == "refused":
        assert read(None) == "Edge student", "name changed although the update was refused"
    return outcome


def booking_purpose(campus, via):
    student = campus.new_user("student")
    slot = campus.next_slot()
    before = campus.total("booking", "/bookings", student.token)
    r = campus.post("booking", "/bookings", student.token, via, json={**slot, "purpose": TEXT})
    return check_outcome(r, "purpose", lambda made: campus.get("booking", f"/bookings/{made['id']}", student.token).json()["purpose"],
                         before, lambda: campus.total("booking", "/bookings", student.token))


def room_name_created(campus, via):
    admin = campus.tokens["admin"]
    before = campus.total("booking", "/rooms", admin)
    name = f"{TEXT} {secrets.token_hex(3)}"
    r = campus.post("booking", "/rooms", admin, via, json={"name": name, "building": "Edges", "capacity": 3})
    if 200 <= r.status_code < 300:  # the name carries a unique tail: compare the whole of it
        assert r.json()["name"] == name, f"name: answered {r.json()['name']!r}, sent {name!r}"
        assert campus.get("booking", f"/rooms/{r.json()['id']}", admin).json()["name"] == name
        return "stored"
    assert_problem(r, 422, names="name")
    assert campus.total("booking", "/rooms", admin) == before, "name: refused, but a room was stored"
    return "refused"


def room_name_updated(campus, via):
    admin = campus.tokens["admin"]
    original = f"NUL target {secrets.token_hex(4)}"
    room = campus.post("booking", "/rooms", admin, json={"name": original, "building": "Edges", "capacity": 3})
    assert room.status_code == 201, room.text
    room_id = room.json()["id"]
    r = campus.call("PUT", "booking", f"/rooms/{room_id}", admin, via, json={"name": TEXT})

    def read(_):
        return campus.get("booking", f"/rooms/{room_id}", admin).json()["name"]
    outcome = check_outcome(r, "name", read, None, None)
    if outcome == "refused":
        assert read(None) == original, "room renamed although the update was refused"
    return outcome


CASES = {
    "ticket title": ticket_field("title"),
    "ticket description": ticket_field("description"),
    "ticket location": ticket_field("location"),
    "comment body": comment_body,
    "notification title": notification_field("title"),
    "notification message": notification_field("message"),
    "user name (create)": user_name_created,
    "user name (update own)": user_name_updated,
    "booking purpose": booking_purpose,
    "room name (create)": room_name_created,
    "room name (update)": room_name_updated,
}


@pytest.mark.parametrize("case", list(CASES))
def test_text_with_nul_is_kept_whole_or_refused_the_same_way_on_both_backends(campuses, case):
    outcomes = {}
    for backend in BACKENDS:
        campus = campuses.get(backend)
        for via in VIAS:
            outcomes[(backend, via)] = CASES[case](campus, via)
    assert len(set(outcomes.values())) == 1, f"{case}: different outcomes: {outcomes}"
