"""Ids (docs/contract.md §11): users, rooms, bookings, tickets, comments and notifications have JSON integer
ids in every answer of every service (series_id is a string); every input that takes an id accepts
the integer and its string form; anything else is a 422 naming the field. Ids are always taken from
what the services answered (GET /users, the 201 bodies) and echoed back, never made up."""
from __future__ import annotations

import secrets

import pytest

from edges.harness import Feed, assert_problem, is_id

FORMS = {"integer": lambda value: value, "string": str}


def ids_of(items, *keys):
    return [(item.get("id"), *(item.get(key) for key in keys)) for item in items]


def test_users_login_and_me_answer_integer_ids(campus, via):
    admin = campus.tokens["admin"]
    listed = campus.get("users", "/users", admin, via, params={"limit": 200})
    assert listed.status_code == 200, listed.text
    users = listed.json()
    assert users and all(is_id(user["id"]) for user in users), [user["id"] for user in users]
    for role, (email, password) in {"student": ("student@example.com", "student123"),
                                    "technician": ("tech@example.com", "tech123")}.items():
        user_id = next(user["id"] for user in users if user["email"] == email)
        one = campus.get("users", f"/users/{user_id}", admin, via)
        assert one.status_code == 200 and one.json()["id"] == user_id and is_id(one.json()["id"]), one.text
        login = campus.post("gateway", "/auth/login", via=via, json={"email": email, "password": password})
        assert login.status_code == 200, login.text
        assert is_id(login.json()["user"]["id"]) and login.json()["user"]["id"] == user_id, login.json()["user"]
        me = campus.get("gateway", "/auth/me", login.json()["access_token"], via)
        assert me.status_code == 200 and is_id(me.json()["id"]) and me.json()["id"] == user_id, me.text
    created = campus.post("users", "/users", admin, via, json={"email": f"ids-{secrets.token_hex(5)}@example.com",
                                                                "name": "Id Check", "password": "edges-password", "role": "faculty"})
    assert created.status_code == 201, created.text
    new_id = created.json()["id"]
    assert is_id(new_id), created.json()
    updated = campus.call("PUT", "users", f"/users/{new_id}", admin, via, json={"name": "Id Check Renamed"})
    assert updated.status_code == 200 and updated.json()["id"] == new_id and is_id(updated.json()["id"]), updated.text
    assert campus.call("DELETE", "users", f"/users/{new_id}", admin, via).status_code == 204


def test_status_page_answers_integer_user_ids(campus):
    admin_id = campus.ids["admin"]
    campus.login_token("admin@example.com", "admin123")
    status = campus.get("gateway", "/api/status", campus.tokens["admin"])
    assert status.status_code == 200, status.text
    logins = status.json()["recent_logins"]
    assert logins, status.json()
    assert all(entry["user_id"] is None or is_id(entry["user_id"]) for entry in logins), [entry["user_id"] for entry in logins]
    assert any(entry["user_id"] == admin_id for entry in logins if entry.get("outcome") == "success"), logins


def test_rooms_and_bookings_answer_integer_ids_and_take_room_id_in_both_forms(campus, via):
    student = campus.new_user("student")
    rooms = campus.get("booking", "/rooms", student.token, via, params={"limit": 200})
    assert rooms.status_code == 200 and all(is_id(room["id"]) for room in rooms.json()), rooms.text
    room = campus.post("booking", "/rooms", campus.tokens["admin"], via,
                       json={"name": f"Edge Room {secrets.token_hex(4)}", "building": "Edges", "capacity": 4})
    assert room.status_code == 201 and is_id(room.json()["id"]), room.text
    room_id = room.json()["id"]
    again = campus.get("booking", f"/rooms/{room_id}", student.token, via)
    assert again.status_code == 200 and again.json()["id"] == room_id, again.text
    assert campus.call("DELETE", "booking", f"/rooms/{room_id}", campus.tokens["admin"], via).status_code == 204

    made = []
    for form, convert in FORMS.items():
        slot = campus.next_slot()
        r = campus.post("booking", "/bookings", student.token, via, json={**slot, "room_id": convert(slot["room_id"]), "purpose": f"ids {form}"})
        assert r.status_code == 201, f"room_id as {form}: {r.status_code} {r.text[:300]}"
        booking = r.json()
        assert is_id(booking["id"]) and booking["room_id"] == slot["room_id"] and is_id(booking["room_id"]), booking
        assert booking["user_id"] == student.id and is_id(booking["user_id"]), booking
        assert booking["series_id"] is None or isinstance(booking["series_id"], str), booking
        made.append(booking)
        one = campus.get("booking", f"/bookings/{booking['id']}", student.token, via)
        assert one.status_code == 200, one.text
        assert (one.json()["id"], one.json()["room_id"], one.json()["user_id"]) == (booking["id"], slot["room_id"], student.id), one.json()
        free = campus.get("booking", "/bookings/available", student.token, via, params={"room_id": str(slot["room_id"]), "date": slot["date"]})
        assert free.status_code == 200, free.text
    mine = campus.get("booking", "/bookings", student.token, via)
    assert mine.status_code == 200, mine.text
    assert sorted(ids_of(mine.json(), "room_id", "user_id")) == sorted(ids_of(made, "room_id", "user_id"))
    assert all(is_id(b["id"]) and is_id(b["room_id"]) and is_id(b["user_id"]) for b in mine.json()), mine.json()
    every_room = campus.get("booking", "/bookings/available", student.token, via, params={"date": made[0]["date"]})
    assert every_room.status_code == 200 and all(is_id(entry["room_id"]) for entry in every_room.json()), every_room.text
    for booking in made:
        assert campus.call("DELETE", "booking", f"/bookings/{booking['id']}", student.token, via).status_code == 204


def test_a_weekly_series_has_a_string_series_id_and_integer_ids(campus, via):
    faculty = campus.new_user("faculty")
    slot = campus.next_series_slot()
    r = campus.post("booking", "/bookings", faculty.token, via,
                    json={**slot, "room_id": str(slot["room_id"]), "purpose": "weekly seminar", "repeat_weeks": 2})
    assert r.status_code == 201, r.text
    series = r.json()
    assert isinstance(series["series_id"], str) and series["series_id"], series
    assert len(series["bookings"]) == 2
    for booking in series["bookings"]:
        assert is_id(booking["id"]) and booking["room_id"] == slot["room_id"] and is_id(booking["room_id"]), booking
        assert booking["user_id"] == faculty.id and booking["series_id"] == series["series_id"], booking
    cancel = campus.call("DELETE", "booking", f"/bookings/series/{series['series_id']}", faculty.token, via)
    assert cancel.status_code == 204, cancel.text


def test_tickets_and_comments_answer_integer_ids_and_take_ids_in_both_forms(campus, via):
    student, technician = campus.tokens["student"], campus.tokens["technician"]
    student_id, technician_id = campus.ids["student"], campus.ids["technician"]
    room_id = campus.open_rooms[0]
    tickets = []
    for form, convert in FORMS.items():
        r = campus.post("maintenance", "/tickets", student, via,
                        json={"title": "Flickering light", "description": f"room_id as {form}", "location": "Library", "room_id": convert(room_id)})
        assert r.status_code == 201, f"room_id as {form}: {r.status_code} {r.text[:300]}"
        ticket = r.json()
        assert is_id(ticket["id"]) and ticket["created_by"] == student_id and is_id(ticket["created_by"]), ticket
        assert ticket["room_id"] == room_id and is_id(ticket["room_id"]) and ticket["assignee_id"] is None, ticket
        tickets.append(ticket)
    for ticket, (form, convert) in zip(tickets, FORMS.items()):
        r = campus.call("PATCH", "maintenance", f"/tickets/{ticket['id']}", technician, via, json={"assignee_id": convert(technician_id)})
        assert r.status_code == 200, f"assignee_id as {form}: {r.status_code} {r.text[:300]}"
        assert r.json()["assignee_id"] == technician_id and is_id(r.json()["assignee_id"]), r.json()
        one = campus.get("maintenance", f"/tickets/{ticket['id']}", student, via)
        assert one.status_code == 200, one.text
        body = one.json()
        assert (body["id"], body["created_by"], body["assignee_id"], body["room_id"]) == (ticket["id"], student_id, technician_id, room_id)
        assert all(is_id(body[key]) for key in ("id", "created_by", "assignee_id", "room_id")), body
    wanted = {ticket["id"] for ticket in tickets}
    for params in ({"assignee_id": str(technician_id), "limit": 200}, {"room_id": str(room_id), "limit": 200}):
        listed = campus.get("maintenance", "/tickets", technician, via, params=params)
        assert listed.status_code == 200, listed.text
        found = {t["id"] for t in listed.json()}
        assert wanted <= found, f"{params}: {wanted - found} missing"
        for t in listed.json():
            assert is_id(t["id"]) and is_id(t["created_by"]) and (t["assignee_id"] is None or is_id(t["assignee_id"])), t
            assert t["room_id"] is None or is_id(t["room_id"]), t
        if "assignee_id" in params:
            assert all(t["assignee_id"] == technician_id for t in listed.json()), ids_of(listed.json(), "assignee_id")
    health = campus.get("maintenance", "/tickets/room-health", student, via)
    assert health.status_code == 200 and all(is_id(entry["room_id"]) for entry in health.json()), health.text
    assert room_id in [entry["room_id"] for entry in health.json()], health.json()

    comment = campus.post("maintenance", f"/tickets/{tickets[0]['id']}/comments", student, via, json={"body": "still flickering"})
    assert comment.status_code == 201, comment.text
    made = comment.json()
    assert is_id(made["id"]) and made["ticket_id"] == tickets[0]["id"] and made["author_id"] == student_id and is_id(made["author_id"]), made
    listed = campus.get("maintenance", f"/tickets/{tickets[0]['id']}/comments", student, via)
    assert listed.status_code == 200, listed.text
    assert [(c["id"], c["ticket_id"], c["author_id"]) for c in listed.json()] == [(made["id"], tickets[0]["id"], student_id)]


def test_notifications_answer_integer_ids_and_take_user_id_in_both_forms(campus, via):
    recipient = campus.new_user("student")
    made = []
    for form, convert in FORMS.items():
        r = campus.post("notification", "/notifications", campus.tokens["admin"], via,
                        json={"title": f"ids {form}", "message": "hello", "level": "info", "audience": {"user_id": convert(recipient.id)}})
        assert r.status_code == 201, f"user_id as {form}: {r.status_code} {r.text[:300]}"
        body = r.json()
        assert is_id(body["id"]) and body["audience"] == {"user_id": recipient.id} and is_id(body["audience"]["user_id"]), body
        made.append(body)
    mine = campus.get("notification", "/notifications", recipient.token, via)
    assert mine.status_code == 200, mine.text
    mine_by_id = {n["id"]: n for n in mine.json()}
    assert all(is_id(key) for key in mine_by_id), list(mine_by_id)
    for body in made:
        assert mine_by_id[body["id"]]["audience"] == {"user_id": recipient.id}, mine_by_id.get(body["id"])
        one = campus.get("notification", f"/notifications/{body['id']}", recipient.token, via)
        assert one.status_code == 200 and one.json()["id"] == body["id"], one.text
        read = campus.call("PUT", "notification", f"/notifications/{body['id']}", recipient.token, via, json={"read": True})
        assert read.status_code == 200 and read.json()["id"] == body["id"] and read.json()["read"] is True, read.text
        assert read.json()["audience"] == {"user_id": recipient.id}, read.json()


@pytest.mark.parametrize("bad", ["abc", 1.5, True, "1.5"], ids=["abc", "1.5", "true", "string-1.5"])
def test_body_values_that_are_not_ids_are_422_naming_the_field(campus, via, bad):
    admin, student, technician = campus.tokens["admin"], campus.tokens["student"], campus.tokens["technician"]
    ticket = campus.new_ticket()
    tickets_before = campus.total("maintenance", "/tickets", technician)
    notifications_before = campus.total("notification", "/notifications", student)
    slot = campus.next_slot()
    cases = [
        ("notification", "POST", "/notifications", admin, {"title": "t", "message": "m", "level": "info", "audience": {"user_id": bad}}, "user_id"),
        ("maintenance", "PATCH", f"/tickets/{ticket['id']}", technician, {"assignee_id": bad}, "assignee_id"),
        ("booking", "POST", "/bookings", student, {**slot, "room_id": bad, "purpose": "not an id"}, "room_id"),
        ("maintenance", "POST", "/tickets", student, {"title": "Broken chair", "description": "d", "location": "l", "room_id": bad}, "room_id"),
    ]
    for service, method, path, token, body, field in cases:
        r = campus.call(method, service, path, token, via, json=body, validate_request=False)  # not an id, on purpose
        assert_problem(r, 422, names=field)
    assert campus.get("maintenance", f"/tickets/{ticket['id']}", technician).json()["assignee_id"] is None
    assert campus.total("maintenance", "/tickets", technician) == tickets_before
    assert campus.total("notification", "/notifications", student) == notifications_before


def test_websocket_events_carry_integer_ids(campus, via):
    technician_id, student_id = campus.ids["technician"], campus.ids["student"]
    room_id = campus.open_rooms[1 % len(campus.open_rooms)]
    with Feed(campus.ws_url(via, f"?token={campus.tokens['technician']}")) as feed:
        created = campus.new_ticket(room_id=str(room_id), title="Dripping tap in the kitchen")
        event = feed.wait_for("ticket.created", created["id"])
        ticket = event["ticket"]
        assert ticket["id"] == created["id"] and is_id(ticket["id"]), ticket
        assert ticket["created_by"] == student_id and is_id(ticket["created_by"]), ticket
        assert ticket["room_id"] == room_id and is_id(ticket["room_id"]) and ticket["assignee_id"] is None, ticket
        r = campus.call("PATCH", "maintenance", f"/tickets/{created['id']}", campus.tokens["technician"], json={"assignee_id": str(technician_id)})
        assert r.status_code == 200, r.text
        updated = feed.wait_for("ticket.updated", created["id"])["ticket"]
        assert updated["assignee_id"] == technician_id and is_id(updated["assignee_id"]), updated
        assert is_id(updated["id"]) and is_id(updated["created_by"]) and is_id(updated["room_id"]), updated


@pytest.mark.parametrize("bad", ["abc", "1.5", "true"])
def test_query_values_that_are_not_ids_are_422_naming_the_parameter(campus, via, bad):
    day = campus.next_slot()["date"]
    for service, path, params, field, token in (
            ("maintenance", "/tickets", {"assignee_id": bad}, "assignee_id", campus.tokens["technician"]),
            ("maintenance", "/tickets", {"room_id": bad}, "room_id", campus.tokens["technician"]),
            ("booking", "/bookings/available", {"room_id": bad, "date": day}, "room_id", campus.tokens["student"])):
        r = campus.get(service, path, token, via, params=params, validate_request=False)  # not an id, on purpose
        assert_problem(r, 422, names=field)
