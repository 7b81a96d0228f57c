"""Every service's routes exercised through `validated_session`: each request and each response is
checked against the OpenAPI document of the service that served it (support/openapi_check.py), and
every id in every answer must be a JSON integer. Each journey runs against the service directly and
again through the gateway. Inputs that take an id are sent the integer and its string form ("228"),
docs/contract.md §11. Bad input is sent with `validate_request=False`; its answer is still checked."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from support.services import SERVICES

from contract_support import PASSWORD, Api, assert_problem

VIAS = ["direct", "gateway"]
JSON = {"Content-Type": "application/json"}


@pytest.fixture(params=VIAS)
def api(request, validated_session):
    return Api(validated_session, request.param)


def test_infrastructure_routes_of_every_service(validated_session):
    for service in SERVICES:
        for path, kind in (("/health", "application/json"), ("/health/ready", "application/json"),
                           ("/metrics", "text/plain"), ("/openapi.json", "application/json"), ("/docs", "text/html")):
            r = validated_session.call("GET", service, path)
            assert r.status_code == 200, f"{service} {path} -> {r.status_code}"
            assert r.headers["Content-Type"].startswith(kind), f"{service} {path}: {r.headers['Content-Type']}"
            assert r.headers.get("X-Request-ID"), f"{service} {path}: no X-Request-ID (docs/contract.md §2)"


def test_gateway_sign_in_and_status(validated_session, world):
    call = validated_session.call
    r = call("POST", "gateway", "/auth/login", json={"email": "student@example.com", "password": "student123"})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 86400 and body["user"]["id"] == world.user_ids["student"]
    assert_problem(call("POST", "gateway", "/auth/login", json={"email": "student@example.com"}, validate_request=False), 422)
    config = call("GET", "gateway", "/auth/config")
    # The suites leave CAMPUS_TIMEZONE unset: the page is told UTC, the name browsers know (not Foundation's "GMT").
    assert config.status_code == 200 and config.json()["time_zone"] == "UTC", config.text
    me = call("GET", "gateway", "/auth/me", token=world.tokens["faculty"])
    assert me.status_code == 200 and me.json()["id"] == world.user_ids["faculty"] and me.json()["role"] == "faculty"
    assert_problem(call("GET", "gateway", "/auth/me", validate_request=False), 401)
    status = call("GET", "gateway", "/api/status", token=world.tokens["admin"])
    assert status.status_code == 200 and status.json()["recent_logins"], status.text[:300]
    assert_problem(call("GET", "gateway", "/api/status", token=world.tokens["student"]), 403)
    leaving = world.new_user("student")
    assert call("POST", "gateway", "/auth/logout", token=leaving["token"]).status_code == 204
    assert_problem(call("GET", "gateway", "/auth/me", token=leaving["token"]), 401)


def test_users(api, world):
    admin = world.tokens["admin"]
    listed = api("GET", "users", "/users", admin, 200, params={"limit": 5})
    assert int(listed.headers["X-Total-Count"]) >= 4 and len(listed.json()) == 5
    email = f"exchange-{uuid.uuid4().hex[:10]}@example.com"
    user = api("POST", "users", "/users", admin, 201, json={"email": email, "name": "Ex Change", "password": PASSWORD, "role": "student"}).json()
    assert isinstance(user["id"], int) and "password" not in user and "password_hash" not in user
    assert api("GET", "users", f"/users/{user['id']}", admin, 200).json()["email"] == email
    found = api("GET", "users", "/users", admin, 200, params={"q": f"ex CHANGE {email.split('@')[0]}", "role": "student"})
    assert [u["id"] for u in found.json()] == [user["id"]] and found.headers["X-Total-Count"] == "1", found.text
    assert_problem(api("POST", "users", "/users", admin, json={"email": email.upper(), "name": "Again", "password": PASSWORD, "role": "student"}), 409)
    assert_problem(api("POST", "users", "/users", admin, json={"email": "not-an-email", "name": "X", "password": PASSWORD, "role": "student"},
                       validate_request=False), 422, detail_names="email")
    own = world.server.login(email, PASSWORD)
    assert api("GET", "users", f"/users/{user['id']}", own, 200).json()["id"] == user["id"]
    assert api("PUT", "users", f"/users/{user['id']}", own, 200, json={"name": "Renamed"}).json()["name"] == "Renamed"
    assert_problem(api("PUT", "users", f"/users/{user['id']}", own, json={"role": "admin"}), 403)
    assert_problem(api("PUT", "users", f"/users/{user['id']}", own, json={"password": "another-password"}), 422, detail_names="current_password")
    assert_problem(api("GET", "users", f"/users/{world.user_ids['faculty']}", own), 404)
    assert_problem(api("GET", "users", "/users", own), 403)
    assert api("DELETE", "users", f"/users/{user['id']}", admin, 204).content == b""
    assert_problem(api("GET", "users", f"/users/{user['id']}", admin), 404)


def test_rooms_and_bookings(api, world):
    admin, faculty = world.tokens["admin"], world.tokens["faculty"]
    student = world.new_user("student")["token"]
    rooms = api("GET", "booking", "/rooms", student, 200, params={"limit": 200}).json()
    assert int(api("GET", "booking", "/rooms", student, 200).headers["X-Total-Count"]) == len(rooms)
    open_room = next(room for room in rooms if not room["faculty_only"])
    closed_room = next(room for room in rooms if room["faculty_only"])
    assert api("GET", "booking", f"/rooms/{open_room['id']}", student, 200).json() == open_room
    assert_problem(api("GET", "booking", "/rooms/99999999", student), 404)

    first, second = world.next_slot(world.rooms), world.next_slot(world.rooms)
    slots = api("GET", "booking", "/bookings/available", student, 200, params={"room_id": first["room_id"], "date": first["date"]}).json()
    assert any(s["start_time"] == first["start_time"] and s["available"] for s in slots), slots
    every_room = api("GET", "booking", "/bookings/available", student, 200, params={"date": first["date"]}).json()
    assert {entry["room_id"] for entry in every_room} >= {first["room_id"]}
    assert_problem(api("GET", "booking", "/bookings/available", student, params={"room_id": 99999999, "date": first["date"]}), 404)

    booking = api("POST", "booking", "/bookings", student, 201, json={**first, "purpose": "Integer room id"}).json()
    assert booking["room_id"] == first["room_id"] and isinstance(booking["user_id"], int)
    assert_problem(api("POST", "booking", "/bookings", student, json={**first, "purpose": "Again"}), 409, "booking_conflict")
    as_text = api("POST", "booking", "/bookings", student, 201,
                  json={**second, "room_id": str(second["room_id"]), "purpose": "Room id as a string"}).json()
    assert as_text["room_id"] == second["room_id"], "the string form of a room id must name the same room (docs/contract.md §11)"
    mine = api("GET", "booking", "/bookings", student, 200)
    assert {b["id"] for b in mine.json()} == {booking["id"], as_text["id"]} and mine.headers["X-Total-Count"] == "2"
    limits = api("GET", "booking", "/bookings/limits", student, 200).json()
    assert limits == {"max_minutes": 120, "days_ahead": 14, "max_upcoming": 3, "upcoming": 2, "faculty_only_rooms": False, "series": False}, limits
    assert_problem(api("GET", "booking", "/bookings/limits", admin), 403)
    assert api("GET", "booking", f"/bookings/{booking['id']}", student, 200).json()["status"] == "confirmed"
    calendar = api("GET", "booking", "/bookings/calendar.ics", student, 200)
    assert calendar.headers["Content-Type"].startswith("text/calendar") and "BEGIN:VCALENDAR" in calendar.text
    assert api("DELETE", "booking", f"/bookings/{booking['id']}", student, 204).content == b""
    assert api("DELETE", "booking", f"/bookings/{as_text['id']}", student, 204).content == b""
    assert api("GET", "booking", f"/bookings/{booking['id']}", student, 200).json()["status"] == "cancelled"
    assert_problem(api("GET", "booking", f"/bookings/{booking['id']}", world.tokens["student"]), 404)

    yesterday = (world.day - timedelta(days=1)).isoformat()
    assert_problem(api("POST", "booking", "/bookings", student, json={**world.next_slot(world.rooms), "date": yesterday, "purpose": "Past"}), 422)
    assert_problem(api("POST", "booking", "/bookings", student, json={**world.next_slot([closed_room["id"]]), "purpose": "Hall"}),
                   403, "role_not_allowed")

    weekly = {**world.next_slot(world.rooms), "purpose": "Seminar", "repeat_weeks": 2}
    series = api("POST", "booking", "/bookings", faculty, 201, json=weekly).json()
    assert isinstance(series["series_id"], str) and len(series["bookings"]) == 2
    assert all(b["series_id"] == series["series_id"] for b in series["bookings"])
    assert api("DELETE", "booking", f"/bookings/series/{series['series_id']}", faculty, 204).content == b""

    room = api("POST", "booking", "/rooms", admin, 201, json={"name": f"Exchange room {uuid.uuid4().hex[:10]}", "building": "X",
                                                                 "capacity": 4, "features": ["projector"]}).json()
    assert isinstance(room["id"], int) and room["faculty_only"] is False
    assert api("PUT", "booking", f"/rooms/{room['id']}", admin, 200, json={"capacity": 6}).json()["capacity"] == 6
    assert_problem(api("PUT", "booking", f"/rooms/{room['id']}", student, json={"capacity": 7}), 403)
    assert api("DELETE", "booking", f"/rooms/{room['id']}", admin, 204).content == b""


def test_a_room_out_of_order_refuses_bookings_until_it_is_back(api, world):
    admin, tech = world.tokens["admin"], world.tokens["technician"]
    student = world.new_user("student")["token"]
    room = api("POST", "booking", "/rooms", admin, 201, json={"name": f"Out of order {uuid.uuid4().hex[:10]}", "building": "X", "capacity": 8}).json()
    ticket = api("POST", "maintenance", "/tickets", student, 201, json={
        "title": "Radiator leaking", "description": "Water on the floor", "location": room["name"], "room_id": room["id"]}).json()
    marked = api("PATCH", "maintenance", f"/tickets/{ticket['id']}", tech, 200, json={"room_out_of_order": True}).json()
    assert marked["room_out_of_order"] is True, marked
    slot = {**world.next_slot([room["id"]]), "purpose": "Revision"}
    assert_problem(api("POST", "booking", "/bookings", student, json=slot), 409, "room_out_of_order")
    day = api("GET", "booking", "/bookings/available", student, 200, params={"room_id": room["id"], "date": slot["date"]}).json()
    assert not any(s["available"] for s in day), day
    api("PATCH", "maintenance", f"/tickets/{ticket['id']}", tech, 200, json={"room_out_of_order": False})
    booking = api("POST", "booking", "/bookings", student, 201, json=slot).json()
    assert api("DELETE", "booking", f"/bookings/{booking['id']}", student, 204).content == b""


def test_gpa(api, world):
    student = world.tokens["student"]
    scale = api("GET", "gpa", "/scale", student, 200).json()
    assert {"grade": "B+", "points": 3.3} in scale and {"grade": "P", "points": None} in scale
    result = api("POST", "gpa", "/calculate", student, 200, json={
        "courses": [{"name": "Calculus", "grade": "B+", "credits": 3}, {"name": "Lab", "grade": "b-", "credits": 1},
                    {"name": "Choir", "grade": "P", "credits": 1}], "previous_gpa": 3.5, "previous_credits": 30}).json()
    assert (result["gpa"], result["total_credits"], result["cumulative_gpa"]) == (3.15, 4, 3.46), result
    assert result["courses"][2]["grade_points"] is None and result["courses"][2]["quality_points"] is None
    plan = api("POST", "gpa", "/plan", student, 200, json={"current_gpa": 3.0, "current_credits": 30, "target_gpa": 3.5, "remaining_credits": 30}).json()
    assert plan == {"required_gpa": 4.0, "achievable": True}, plan
    assert_problem(api("POST", "gpa", "/calculate", student, json={"courses": [{"name": "X", "grade": "Z", "credits": 3}]}), 422, detail_names="grade")


def test_notifications(api, world):
    admin = world.tokens["admin"]
    reader, other = world.new_user("faculty"), world.new_user("faculty")  # (every student has 200+ notices to students)
    to_id = api("POST", "notification", "/notifications", admin, 201, json={
        "title": "By integer id", "message": "Hello", "level": "success", "audience": {"user_id": reader["id"]}}).json()
    assert to_id["audience"] == {"user_id": reader["id"]}, "audience.user_id is echoed as the integer id /users returned"
    to_text = api("POST", "notification", "/notifications", admin, 201, json={
        "title": "By string id", "message": "Hello", "audience": {"user_id": str(reader["id"])}}).json()
    assert to_text["audience"] == {"user_id": reader["id"]}, "the string form of a user id names the same user, answered as an integer"
    api("POST", "notification", "/notifications", admin, 201, json={"title": "Technicians", "message": "Tools", "audience": {"role": "technician"}})
    api("POST", "notification", "/notifications", admin, 201, json={"title": "Everyone", "message": "Fire drill", "level": "warning", "audience": {"all": True}})

    listed = api("GET", "notification", "/notifications", reader["token"], 200, params={"unread": "true", "limit": 200})
    ids = [n["id"] for n in listed.json()]
    assert to_id["id"] in ids and to_text["id"] in ids and int(listed.headers["X-Total-Count"]) == len(ids)
    count = api("GET", "notification", "/notifications/unread-count", reader["token"], 200).json()["count"]
    assert count == len(ids)
    assert api("GET", "notification", f"/notifications/{to_id['id']}", reader["token"], 200).json()["id"] == to_id["id"]
    marked = api("PUT", "notification", f"/notifications/{to_id['id']}", reader["token"], 200, json={"read": True}).json()
    assert marked["read"] is True
    assert api("PUT", "notification", "/notifications/read-all", reader["token"], 200).json() == {"updated": count - 1}
    assert_problem(api("GET", "notification", f"/notifications/{to_id['id']}", other["token"]), 404)
    assert to_id["link"] is None
    linked = api("POST", "notification", "/notifications", admin, 201, json={
        "title": "About your ticket", "message": "See it", "audience": {"user_id": reader["id"]}, "link": {"kind": "ticket", "id": "7"}}).json()
    assert linked["link"] == {"kind": "ticket", "id": 7}
    assert_problem(api("POST", "notification", "/notifications", admin, json={
        "title": "t", "message": "m", "audience": {"all": True}, "link": {"kind": "room", "id": 1}}, validate_request=False), 422, detail_names="link.kind")


def test_tickets_and_triage(api, world):
    tech = world.tokens["technician"]
    owner, stranger = world.new_user("student"), world.new_user("student")
    report = {"title": "Water coming through the ceiling", "description": "Dripping onto the carpet by the window", "location": "Building B, room 201"}
    triage = api("POST", "maintenance", "/triage", owner["token"], 200, json=report).json()
    # How good the priority is, is `campus triage eval`'s business; the contract is the pairing.
    assert {"P0": 1, "P1": 4, "P2": 24, "P3": 72, "P4": 168}[triage["priority"]] == triage["sla_hours"]
    # The form's preview from the first words: only a title, no location yet.
    assert api("POST", "maintenance", "/triage", owner["token"], 200, json={"title": "Gas smell in the lab"}).json()["priority"] == "P0"
    assert_problem(api("POST", "maintenance", "/triage", owner["token"], json={"title": " ", "location": ""}), 422)
    room = world.rooms[1]
    ticket = api("POST", "maintenance", "/tickets", owner["token"], 201, json={**report, "room_id": room}).json()
    assert ticket["created_by"] == owner["id"] and ticket["room_id"] == room and ticket["assignee_id"] is None
    by_text = api("POST", "maintenance", "/tickets", owner["token"], 201, json={
        "title": "Flickering light", "description": "In the corridor", "location": "Building B", "room_id": str(room)}).json()
    assert by_text["room_id"] == room, "the string form of a room id names the same room, answered as an integer"

    technician = world.new_user("technician")
    assigned = api("PATCH", "maintenance", f"/tickets/{ticket['id']}", tech, 200,
                   json={"assignee_id": technician["id"], "status": "in_progress"}).json()
    assert assigned["assignee_id"] == technician["id"] and assigned["status"] == "in_progress"
    assert assigned["assignee_name"] == technician["name"] and assigned["created_by_name"] == owner["name"], assigned
    assert [line["change"] for line in assigned["history"]][1:] == ["Status changed from Open to In progress", f"Assigned to {technician['name']}"]
    assert isinstance(assigned["history"][-1]["by_name"], str) and assigned["history"][-1]["by_name"], assigned["history"]
    searched = api("GET", "maintenance", "/tickets", tech, 200, params={"q": "ceiling CARPET", "assignee_id": technician["id"]})
    assert [t["id"] for t in searched.json()] == [ticket["id"]] and searched.headers["X-Total-Count"] == "1"
    again = api("PATCH", "maintenance", f"/tickets/{by_text['id']}", tech, 200, json={"assignee_id": str(technician["id"])}).json()
    assert again["assignee_id"] == technician["id"]
    assert api("PATCH", "maintenance", f"/tickets/{by_text['id']}", tech, 200, json={"assignee_id": None}).json()["assignee_id"] is None
    assert_problem(api("PATCH", "maintenance", f"/tickets/{ticket['id']}", tech, json={"assignee_id": owner["id"]}), 422, detail_names="assignee_id")

    filtered = api("GET", "maintenance", "/tickets", tech, 200, params={"assignee_id": technician["id"]}).json()
    assert [t["id"] for t in filtered] == [ticket["id"]]
    assert [t["id"] for t in api("GET", "maintenance", "/tickets", tech, 200, params={"assignee_id": str(technician["id"]), "room_id": room}).json()] == [ticket["id"]]
    assert {t["id"] for t in api("GET", "maintenance", "/tickets", owner["token"], 200).json()} == {ticket["id"], by_text["id"]}
    assert api("GET", "maintenance", f"/tickets/{ticket['id']}", owner["token"], 200).json()["assignee_id"] == technician["id"]
    assert_problem(api("GET", "maintenance", f"/tickets/{ticket['id']}", stranger["token"]), 404)
    assert_problem(api("GET", "maintenance", "/tickets/99999999", tech), 404)

    comment = api("POST", "maintenance", f"/tickets/{ticket['id']}/comments", owner["token"], 201, json={"body": "Still dripping"}).json()
    assert comment["ticket_id"] == ticket["id"] and comment["author_id"] == owner["id"] and comment["author_name"] == owner["name"]
    api("POST", "maintenance", f"/tickets/{ticket['id']}/comments", technician["token"], 201, json={"body": "On my way"})
    comments = api("GET", "maintenance", f"/tickets/{ticket['id']}/comments", owner["token"], 200)
    assert [c["body"] for c in comments.json()] == ["Still dripping", "On my way"]
    # Waiting on the reporter: the clock stands still; the reporter's comment brings it back.
    waiting = api("PATCH", "maintenance", f"/tickets/{ticket['id']}", technician["token"], 200, json={"status": "waiting_on_reporter", "question": "Which door is it?"}).json()
    assert waiting["status"] == "waiting_on_reporter" and waiting["sla_paused_at"] is not None, waiting
    assert [t["id"] for t in api("GET", "maintenance", "/tickets", tech, 200, params={"status": "waiting_on_reporter", "room_id": room}).json()] == [ticket["id"]]
    # The question went with the move, as the technician's comment.
    asked = api("GET", "maintenance", f"/tickets/{ticket['id']}/comments", owner["token"], 200).json()
    assert asked[-1]["body"] == "Which door is it?" and asked[-1]["author_id"] == technician["id"], asked
    api("POST", "maintenance", f"/tickets/{ticket['id']}/comments", owner["token"], 201, json={"body": "The tap by the window"})
    back = api("GET", "maintenance", f"/tickets/{ticket['id']}", owner["token"], 200).json()
    assert back["status"] == "in_progress" and back["sla_paused_at"] is None and back["sla_due_at"] >= ticket["sla_due_at"], back
    health = api("GET", "maintenance", "/tickets/room-health", owner["token"], 200).json()
    assert any(entry["room_id"] == room and entry["open_tickets"] >= 1 for entry in health), health

