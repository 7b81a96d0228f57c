"""Every role × every route of docs/contract.md §3's table: allowed (the route's success status) or 403
problem+json, exactly as the table says — on each service's own port and through the gateway."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Callable

import pytest

from conftest import assert_problem

ROLES = ("admin", "faculty", "student", "technician")
EVERYONE = set(ROLES)

# docs/contract.md §3, transcribed: capability → the roles with "yes".
CONTRACT_TABLE = {
    "manage users": {"admin"},
    "own profile": EVERYONE,
    "own notifications": EVERYONE,
    "send notifications": {"admin"},
    "system status": {"admin"},
    "manage the room catalogue": {"admin"},
    "decide booking requests": {"admin", "faculty"},
    "book rooms": {"faculty", "student"},
    "GPA calculator": {"faculty", "student"},
    "open tickets": {"faculty", "student", "technician"},
    "work the queue": {"technician"},
    # Not rows of the table but fixed elsewhere in the contract: §9 "GET /tickets/room-health
    # (any signed-in user)"; §6 the catalogue everyone books from (GET /rooms, availability).
    "any signed-in user": EVERYONE,
}


@dataclass
class Route:
    capability: str
    method: str
    service: str
    path: str  # may hold {own_id}, {room}, {booking}, {ticket}, {notification}, {user}, {entry}
    success: int
    body: Callable | None = None  # (campus, role) -> JSON body
    setup: Callable | None = None  # (campus, role) -> dict of path values
    gateway: bool = True  # also reachable as /api/... (docs/contract.md §4)


def booking_body(campus, role):
    return {**campus.next_slot(), "purpose": f"matrix {role}"}


def own_booking(campus, role):
    booker = role if role in ("faculty", "student") else "student"
    r = campus.post("booking", "/bookings", token=campus.tokens[booker], json=booking_body(campus, booker))
    assert r.status_code == 201, r.text
    return {"booking": r.json()["id"], "booker": booker}


def held_slot(campus, role):
    """A slot someone other than `role`'s account holds (a fresh faculty member books it)."""
    _, _, holder = campus.new_user("faculty")
    slot = campus.next_slot()
    r = campus.post("booking", "/bookings", token=holder, json={**slot, "purpose": "held for a waiting list"})
    assert r.status_code == 201, r.text
    return slot


def own_entry(campus, role):
    joiner = role if role in ("faculty", "student") else "student"
    r = campus.post("booking", "/bookings/waitlist", token=campus.tokens[joiner], json=held_slot(campus, joiner))
    assert r.status_code == 201, r.text
    return {"entry": r.json()["id"]}


def own_ticket(campus, role):
    opener = role if role in ("faculty", "student", "technician") else "student"
    r = campus.post("maintenance", "/tickets", token=campus.tokens[opener],
                    json={"title": "Squeaky door", "description": "the door squeaks", "location": "Library, room 2"})
    assert r.status_code == 201, r.text
    return {"ticket": r.json()["id"]}


def fresh_room(campus, role):
    r = campus.post("booking", "/rooms", token=campus.tokens["admin"], json={"name": f"Matrix room {role} {secrets.token_hex(3)}", "building": "Annex", "capacity": 5})
    assert r.status_code == 201, r.text
    return {"room": r.json()["id"]}


def fresh_user(campus, role):
    user_id, _, _ = campus.new_user("student")
    return {"user": user_id}


def broadcast(campus, role):
    r = campus.post("notification", "/notifications", token=campus.tokens["admin"],
                    json={"title": "Matrix", "message": "for everyone", "level": "info", "audience": {"all": True}})
    assert r.status_code == 201, r.text
    return {"notification": r.json()["id"]}


def own_id(campus, role):
    return {"own_id": campus.ids[role]}


def notice_body(campus, role):
    return {"title": "Matrix notice", "message": f"sent by {role}", "level": "info", "audience": {"role": "student"}}


ROUTES = [
    Route("manage users", "GET", "users", "/users", 200),
    Route("manage users", "POST", "users", "/users", 201,
          body=lambda c, r: {"email": f"matrix-{r}-{secrets.token_hex(4)}@example.com", "name": "Matrix", "password": "long-enough-pw", "role": "student"}),
    Route("manage users", "DELETE", "users", "/users/{user}", 204, setup=fresh_user),
    Route("own profile", "GET", "users", "/users/{own_id}", 200, setup=own_id),
    Route("own profile", "PUT", "users", "/users/{own_id}", 200, setup=own_id, body=lambda c, r: {"name": f"Matrix {r}"}),
    Route("own profile", "GET", "gateway", "/auth/me", 200, gateway=False),
    Route("own notifications", "GET", "notification", "/notifications", 200),
    Route("own notifications", "GET", "notification", "/notifications/unread-count", 200),
    Route("own notifications", "PUT", "notification", "/notifications/read-all", 200),
    Route("own notifications", "GET", "notification", "/notifications/{notification}", 200, setup=broadcast),
    Route("own notifications", "PUT", "notification", "/notifications/{notification}", 200, setup=broadcast, body=lambda c, r: {"read": True}),
    Route("send notifications", "POST", "notification", "/notifications", 201, body=notice_body),
    Route("system status", "GET", "gateway", "/api/status", 200, gateway=False),
    Route("manage the room catalogue", "POST", "booking", "/rooms", 201,
          body=lambda c, r: {"name": f"Matrix {r} {secrets.token_hex(3)}", "building": "Annex", "capacity": 12, "features": ["whiteboard"]}),
    Route("manage the room catalogue", "PUT", "booking", "/rooms/{room}", 200, setup=fresh_room, body=lambda c, r: {"capacity": 6}),
    Route("manage the room catalogue", "DELETE", "booking", "/rooms/{room}", 204, setup=fresh_room),
    # Taking a room out of use (issue 19): its bookings, everyone's; closures; cancelling any booking with a reason.
    Route("manage the room catalogue", "GET", "booking", "/rooms/{room}/bookings", 200, setup=fresh_room),
    Route("manage the room catalogue", "GET", "booking", "/rooms/{room}/closures", 200, setup=fresh_room),
    Route("manage the room catalogue", "POST", "booking", "/rooms/{room}/closures", 201, setup=fresh_room,
          body=lambda c, r: (lambda day: {"from_date": day, "to_date": day, "reason": f"matrix {r}"})(c.next_slot()["date"])),
    Route("manage the room catalogue", "POST", "booking", "/bookings/{booking}/cancel", 200, setup=own_booking,
          body=lambda c, r: {"reason": f"cancelled by {r}"}),
    # Approval for restricted rooms (issue 19, point 4): the queue of requests one decides (admins every room's,
    # faculty those of the rooms naming them; a decision on a room one does not approve is 403 by the room, not the role).
    Route("decide booking requests", "GET", "booking", "/bookings/approvals", 200),
    Route("any signed-in user", "GET", "booking", "/rooms", 200),
    Route("any signed-in user", "GET", "maintenance", "/tickets/room-health", 200),
    Route("book rooms", "POST", "booking", "/bookings", 201, body=booking_body),
    Route("book rooms", "GET", "booking", "/bookings", 200),
    Route("book rooms", "GET", "booking", "/bookings/{booking}", 200, setup=own_booking),
    Route("book rooms", "DELETE", "booking", "/bookings/{booking}", 204, setup=own_booking),
    Route("book rooms", "PATCH", "booking", "/bookings/{booking}", 200, setup=own_booking, body=lambda c, r: {"purpose": f"changed by {r}"}),
    Route("book rooms", "GET", "booking", "/bookings/calendar.ics", 200),
    # Waiting lists and check-in (issue 19, points 2 and 3). Checking in to a booking whose room requires none is
    # 409 check_in_not_required: past the role check, which is what this table is about.
    Route("book rooms", "POST", "booking", "/bookings/waitlist", 201, body=lambda c, r: held_slot(c, r)),
    Route("book rooms", "GET", "booking", "/bookings/waitlist", 200),
    Route("book rooms", "DELETE", "booking", "/bookings/waitlist/{entry}", 204, setup=own_entry),
    Route("book rooms", "POST", "booking", "/bookings/{booking}/check-in", 409, setup=own_booking, body=lambda c, r: {}),
    Route("GPA calculator", "GET", "gpa", "/scale", 200),
    Route("GPA calculator", "POST", "gpa", "/calculate", 200, body=lambda c, r: {"courses": [{"name": "Calculus", "grade": "B+", "credits": 3}]}),
    Route("GPA calculator", "POST", "gpa", "/plan", 200,
          body=lambda c, r: {"current_gpa": 3.0, "current_credits": 30, "target_gpa": 3.5, "remaining_credits": 30}),
    # Courses saved to one's profile for the calculator (issue 19, point 11): those who may use it, their own only.
    Route("GPA calculator", "GET", "users", "/users/{own_id}/courses", 200, setup=own_id),
    Route("GPA calculator", "PUT", "users", "/users/{own_id}/courses", 200, setup=own_id,
          body=lambda c, r: {"courses": [{"name": "Calculus", "grade": "B+", "credits": 3, "retake_of": None}], "previous_gpa": None}),
    Route("open tickets", "POST", "maintenance", "/triage", 200,
          body=lambda c, r: {"title": "Flickering light", "description": "in the corridor", "location": "Library"}),
    Route("open tickets", "POST", "maintenance", "/tickets", 201,
          body=lambda c, r: {"title": "Broken chair", "description": f"reported by {r}", "location": "Library, room 3"}),
    Route("open tickets", "GET", "maintenance", "/tickets", 200),
    Route("open tickets", "GET", "maintenance", "/tickets/{ticket}", 200, setup=own_ticket),
    Route("open tickets", "POST", "maintenance", "/tickets/{ticket}/comments", 201, setup=own_ticket, body=lambda c, r: {"body": "any news?"}),
    Route("open tickets", "GET", "maintenance", "/tickets/{ticket}/comments", 200, setup=own_ticket),
    Route("work the queue", "PATCH", "maintenance", "/tickets/{ticket}", 200, setup=own_ticket, body=lambda c, r: {"status": "in_progress"}),
]

CASES = [(route, role, via) for route in ROUTES for role in ROLES for via in (("direct", "gateway") if route.gateway else ("direct",))]


def case_id(case):
    route, role, via = case
    return f"{route.method} {route.service}{route.path} as {role} ({via})"


def test_every_capability_of_the_table_has_routes():
    assert {route.capability for route in ROUTES} == set(CONTRACT_TABLE)


@pytest.mark.parametrize("route,role,via", CASES, ids=[case_id(c) for c in CASES])
def test_role_matrix(campus, route: Route, role: str, via: str):
    values = route.setup(campus, role) if route.setup else {}
    path = route.path.format(**values)
    kwargs = {"json": route.body(campus, role)} if route.body else {}
    r = campus.call(route.method, route.service, path, token=campus.tokens[role], via=via, **kwargs)
    if role in CONTRACT_TABLE[route.capability]:
        assert r.status_code == route.success, f"{role} should be allowed: {r.status_code} {r.text[:300]}"
        if route.method == "POST" and route.path == "/bookings":  # keep the student under the 3-booking limit
            campus.request("DELETE", "booking", f"/bookings/{r.json()['id']}", token=campus.tokens[role])
    else:
        body = assert_problem(r, 403)
        assert body["code"], body
    if "booker" in values:
        campus.request("DELETE", "booking", f"/bookings/{values['booking']}", token=campus.tokens[values["booker"]])
