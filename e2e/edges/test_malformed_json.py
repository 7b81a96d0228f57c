"""Malformed JSON (docs/contract.md §2, §11): every operation with a request body in every service's
/openapi.json, straight and through the gateway, answers a trailing comma and bytes that are not
UTF-8 with 400 problem+json `malformed_json`, called with a token of a role that may use the route,
and stores nothing: every list's X-Total-Count and every touched record are unchanged afterwards.

Each malformed body is a valid body spoiled in one place, so a parser that let it through would
have created, renamed or changed something, which the counts and read-backs would show."""
from __future__ import annotations

import json
import secrets

import pytest

from edges.harness import ROLES, assert_problem
from support.services import SERVICES

JSON_HEADERS = {"Content-Type": "application/json"}
BAD = "@@edges-not-utf8@@"


def trailing_comma(body: dict) -> bytes:
    text = json.dumps(body)
    assert text.endswith("}")
    return (text[:-1] + ",}").encode()


def not_utf8(body: dict) -> bytes:
    """The first string value (depth first) replaced by the bytes FF FE; a body without strings gets
    an extra string member holding them."""
    def spoil(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, str):
                    return {**value, key: BAD}
                spoiled = spoil(item)
                if spoiled is not None:
                    return {**value, key: spoiled}
        if isinstance(value, list):
            for index, item in enumerate(value):
                spoiled = spoil(item) if not isinstance(item, str) else BAD
                if spoiled is not None:
                    return value[:index] + [spoiled] + value[index + 1:]
        return None
    spoiled = spoil(body) or {**body, "note": BAD}
    raw = json.dumps(spoiled).encode()
    assert raw.count(f'"{BAD}"'.encode()) == 1
    return raw.replace(f'"{BAD}"'.encode(), b'"\xff\xfe"')


class Fixture:
    """The records one run works on: a fresh student with a ticket and a notification, a user and a
    room for the PUTs; and the counts that must not move."""

    def __init__(self, campus):
        self.campus = campus
        admin = campus.tokens["admin"]
        self.student = campus.new_user("student")
        self.victim = campus.new_user("faculty", login=False)
        room = campus.post("booking", "/rooms", admin, json={"name": f"Malformed {secrets.token_hex(4)}", "building": "Edges", "capacity": 3})
        assert room.status_code == 201, room.text
        self.room = room.json()
        self.ticket = campus.new_ticket(self.student.token, title="Squeaky door in the corridor")
        note = campus.post("notification", "/notifications", admin,
                           json={"title": "Before", "message": "m", "level": "info", "audience": {"user_id": self.student.id}})
        assert note.status_code == 201, note.text
        self.notification = note.json()
        self.tokens = {**campus.tokens, "student": self.student.token, "service": campus.service_token(),
                       "maintenance service": campus.service_token("maintenance"), None: None}

    def role_for(self, service: str, method: str, template: str):
        """(role, path, valid body) of an operation with a request body; None for an unknown one."""
        s, slot = self, self.campus.next_slot()
        known = {
            ("gateway", "POST", "/auth/login"): (None, template, {"email": s.student.email, "password": s.student.password}),
            ("users", "POST", "/users"): ("admin", template, {"email": f"malformed-{secrets.token_hex(4)}@example.com",
                                                             "name": "Not Stored", "password": "edges-password", "role": "student"}),
            ("users", "PUT", "/users/{id}"): ("admin", f"/users/{s.victim.id}", {"name": "Renamed By Malformed"}),
            # one's own saved courses: only their owner gets as far as the body
            ("users", "PUT", "/users/{id}/courses"): ("student", f"/users/{s.student.id}/courses",
                                                     {"courses": [{"name": "Not Stored", "grade": "A", "credits": 3}]}),
            ("users", "POST", "/internal/credentials/verify"): ("service", template, {"email": s.student.email, "password": s.student.password}),
            ("booking", "PUT", "/internal/rooms/out-of-order"): ("maintenance service", template, {"rooms": []}),
            ("booking", "POST", "/rooms"): ("admin", template, {"name": f"Not Stored {secrets.token_hex(4)}", "building": "Edges", "capacity": 5}),
            ("booking", "PUT", "/rooms/{id}"): ("admin", f"/rooms/{s.room['id']}", {"name": "Renamed By Malformed"}),
            ("booking", "POST", "/bookings"): ("student", template, {**slot, "purpose": "not stored"}),
            ("gpa", "POST", "/calculate"): ("student", template, {"courses": [{"name": "Calculus", "grade": "B+", "credits": 3}]}),
            ("gpa", "POST", "/plan"): ("student", template, {"current_gpa": 3.0, "current_credits": 30, "target_gpa": 3.5, "remaining_credits": 30}),
            ("notification", "POST", "/notifications"): ("admin", template, {"title": "Not Stored", "message": "m", "level": "info",
                                                                             "audience": {"user_id": s.student.id}}),
            ("notification", "PUT", "/notifications/{id}"): ("student", f"/notifications/{s.notification['id']}", {"read": True}),
            ("maintenance", "POST", "/triage"): ("student", template, {"title": "Broken chair", "description": "d", "location": "l"}),
            ("maintenance", "POST", "/tickets"): ("student", template, {"title": "Not Stored", "description": "d", "location": "l"}),
            ("maintenance", "PATCH", "/tickets/{id}"): ("technician", f"/tickets/{s.ticket['id']}", {"status": "in_progress", "priority": "P1"}),
            ("maintenance", "POST", "/tickets/{id}/comments"): ("student", f"/tickets/{s.ticket['id']}/comments", {"body": "not stored"}),
        }
        return known.get((service, method, template))

    def state(self) -> dict:
        c, s = self.campus, self
        admin, technician = c.tokens["admin"], c.tokens["technician"]
        return {
            "users": c.total("users", "/users", admin),
            "rooms": c.total("booking", "/rooms", admin),
            "bookings": c.total("booking", "/bookings", s.student.token),
            "notifications": c.total("notification", "/notifications", s.student.token),
            "unread": c.get("notification", "/notifications/unread-count", s.student.token).json()["count"],
            "tickets": c.total("maintenance", "/tickets", technician),
            "comments": c.total("maintenance", f"/tickets/{s.ticket['id']}/comments", s.student.token),
            "victim": c.get("users", f"/users/{s.victim.id}", admin).json()["name"],
            "saved courses": c.get("users", f"/users/{s.student.id}/courses", s.student.token).json()["courses"],
            "room": c.get("booking", f"/rooms/{s.room['id']}", admin).json()["name"],
            "ticket": {key: c.get("maintenance", f"/tickets/{s.ticket['id']}", technician).json()[key] for key in ("status", "priority")},
        }


def body_operations(campus, service: str) -> list[tuple[str, str]]:
    document = campus.get(service, "/openapi.json")
    assert document.status_code == 200, document.text
    # Routes that read a JSON body; the one-click unsubscribe takes a form body (RFC 8058) and reads none of it.
    operations = [(method.upper(), path) for path, item in document.json()["paths"].items()
                  for method, operation in item.items() if isinstance(operation, dict)
                  and "application/json" in (operation.get("requestBody") or {}).get("content", {})]
    return operations


@pytest.mark.parametrize("service", list(SERVICES))
def test_every_json_route_answers_malformed_json_with_400_and_stores_nothing(campus, via, service):
    fixture = Fixture(campus)
    operations = body_operations(campus, service)
    assert operations, f"{service}: /openapi.json lists no operation with a request body"
    before = fixture.state()
    failures, checked = [], []
    for method, template in operations:
        if via == "gateway" and template.startswith("/internal/"):
            # Service-to-service routes are not part of the gateway's /api surface (test_gateway_surface).
            continue
        known = fixture.role_for(service, method, template)
        for kind, spoil in (("trailing comma", trailing_comma), ("not UTF-8", not_utf8)):
            label = f"{method} {template} ({kind})"
            if known is not None:
                role, path, body = known
                r = campus.call(method, service, path, fixture.tokens[role], via, data=spoil(body), headers=JSON_HEADERS,
                                validate_request=False)  # malformed on purpose: only the answer is checked
                answers = {role: r}
            else:
                # An operation this suite does not know yet: any role may be the allowed one; one must get the 400.
                path = template.replace("{id}", "1")
                answers = {role: campus.call(method, service, path, fixture.tokens[role], via, data=spoil({"name": "x"}), headers=JSON_HEADERS,
                                             validate_request=False)
                           for role in ROLES}
            good = [role for role, r in answers.items() if r.status_code == 400]
            try:
                assert good, "; ".join(f"{role}: {r.status_code} {r.text[:160]}" for role, r in answers.items())
                assert_problem(answers[good[0]], 400, code="malformed_json")
                others = {role: r.status_code for role, r in answers.items() if r.status_code not in (400, 401, 403, 404)}
                assert not others, f"refused other than before reading the body: {others}"
            except AssertionError as error:
                failures.append(f"{label}: {error}")
            checked.append(label)
    after = fixture.state()
    assert not failures, f"{len(failures)} of {len(checked)} malformed bodies not answered 400 malformed_json:\n" + "\n".join(failures)
    assert after == before, f"something changed although every body was malformed: before {before}, after {after}"


def test_a_trailing_comma_does_not_rename_a_user(campus, via):
    victim = campus.new_user("student", login=False)
    admin = campus.tokens["admin"]
    r = campus.call("PUT", "users", f"/users/{victim.id}", admin, via, data=b'{"name":"X",}', headers=JSON_HEADERS, validate_request=False)
    assert_problem(r, 400, code="malformed_json")
    assert campus.get("users", f"/users/{victim.id}", admin).json()["name"] == "Edge student"
    r = campus.post("maintenance", "/tickets", campus.tokens["student"], via,
                    data=b'{"title": "\xff\xfe", "description": "d", "location": "l"}', headers=JSON_HEADERS, validate_request=False)
    assert_problem(r, 400, code="malformed_json")
