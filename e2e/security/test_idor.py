"""Another user's booking, ticket, notification or user record answers 404 to a non-admin — never
403, never the data — and the attempt changes nothing (docs/contract.md §2)."""
from __future__ import annotations

import pytest

from conftest import assert_problem

VIAS = ("direct", "gateway")


@pytest.fixture(scope="module")
def intruder(campus):
    """A second student, and a second faculty member."""
    return {"student": campus.new_user("student")[2], "faculty": campus.new_user("faculty")[2]}


@pytest.mark.parametrize("via", VIAS)
def test_someone_elses_booking(campus, intruder, via):
    owner = campus.tokens["student"]
    created = campus.post("booking", "/bookings", token=owner, json={**campus.next_slot(), "purpose": "private study"})
    assert created.status_code == 201, created.text
    booking = created.json()
    try:
        for who in ("student", "faculty"):
            token = intruder[who]
            assert_problem(campus.call("GET", "booking", f"/bookings/{booking['id']}", token=token, via=via), 404)
            assert_problem(campus.call("DELETE", "booking", f"/bookings/{booking['id']}", token=token, via=via), 404)
            mine = campus.call("GET", "booking", "/bookings", token=token, via=via)
            assert mine.status_code == 200 and booking["id"] not in [b["id"] for b in mine.json()]
        after = campus.get("booking", f"/bookings/{booking['id']}", token=owner)
        assert after.status_code == 200 and after.json()["status"] == "confirmed" and after.json() == booking | {"status": "confirmed"}
    finally:
        campus.request("DELETE", "booking", f"/bookings/{booking['id']}", token=owner)


@pytest.mark.parametrize("via", VIAS)
def test_someone_elses_booking_series(campus, intruder, via):
    owner = campus.tokens["faculty"]
    slot = campus.next_slot()
    created = campus.post("booking", "/bookings", token=owner, json={**slot, "purpose": "weekly seminar", "repeat_weeks": 2})
    assert created.status_code == 201, created.text
    series = created.json()["series_id"]
    try:
        assert_problem(campus.call("DELETE", "booking", f"/bookings/series/{series}", token=intruder["faculty"], via=via), 404)
        mine = campus.get("booking", "/bookings", token=owner, params={"status": "confirmed", "limit": 200}).json()
        assert sum(1 for b in mine if b["series_id"] == series) == 2
    finally:
        campus.request("DELETE", "booking", f"/bookings/series/{series}", token=owner)


@pytest.mark.parametrize("via", VIAS)
def test_someone_elses_ticket(campus, intruder, via):
    owner = campus.tokens["student"]
    created = campus.post("maintenance", "/tickets", token=owner,
                          json={"title": "Broken lock", "description": "my office lock is broken", "location": "Arts Building, room 12"})
    assert created.status_code == 201, created.text
    ticket = created.json()
    for who in ("student", "faculty"):
        token = intruder[who]
        assert_problem(campus.call("GET", "maintenance", f"/tickets/{ticket['id']}", token=token, via=via), 404)
        assert_problem(campus.call("GET", "maintenance", f"/tickets/{ticket['id']}/comments", token=token, via=via), 404)
        assert_problem(campus.call("POST", "maintenance", f"/tickets/{ticket['id']}/comments", token=token, via=via,
                                   json={"body": "I am not the owner"}), 404)
        listed = campus.call("GET", "maintenance", "/tickets", token=token, via=via, params={"limit": 200})
        assert listed.status_code == 200 and ticket["id"] not in [t["id"] for t in listed.json()]
    assert campus.get("maintenance", f"/tickets/{ticket['id']}/comments", token=owner).json() == []
    after = campus.get("maintenance", f"/tickets/{ticket['id']}", token=owner).json()
    assert {k: v for k, v in after.items() if k != "history"} == ticket and len(after["history"]) == 1


@pytest.mark.parametrize("via", VIAS)
def test_someone_elses_notification(campus, intruder, via):
    created = campus.post("notification", "/notifications", token=campus.tokens["admin"],
                          json={"title": "Your result", "message": "for the student only", "level": "info",
                                "audience": {"user_id": campus.ids["student"]}})
    assert created.status_code == 201, created.text
    notification = created.json()
    for who in ("student", "faculty"):
        token = intruder[who]
        assert_problem(campus.call("GET", "notification", f"/notifications/{notification['id']}", token=token, via=via), 404)
        assert_problem(campus.call("PUT", "notification", f"/notifications/{notification['id']}", token=token, via=via,
                                   json={"read": True}), 404)
        listed = campus.call("GET", "notification", "/notifications", token=token, via=via, params={"limit": 200})
        assert listed.status_code == 200 and notification["id"] not in [n["id"] for n in listed.json()]
    seen = campus.get("notification", f"/notifications/{notification['id']}", token=campus.tokens["student"])
    assert seen.status_code == 200 and seen.json()["read"] is False


@pytest.mark.parametrize("via", VIAS)
def test_someone_elses_user_record(campus, intruder, via):
    victim = campus.ids["faculty"]
    before = campus.get("users", f"/users/{victim}", token=campus.tokens["admin"]).json()
    token = intruder["student"]
    assert_problem(campus.call("GET", "users", f"/users/{victim}", token=token, via=via), 404)
    assert_problem(campus.call("PUT", "users", f"/users/{victim}", token=token, via=via, json={"name": "Hijacked"}), 404)
    assert_problem(campus.call("PUT", "users", f"/users/{victim}", token=token, via=via,
                               json={"password": "hijacked-password", "current_password": "x"}), 404)
    assert campus.get("users", f"/users/{victim}", token=campus.tokens["admin"]).json() == before
    campus.login("faculty@example.com", "faculty123")  # the password still works
