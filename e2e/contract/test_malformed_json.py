"""docs/contract.md §2, §11: malformed JSON (trailing commas, bytes that are not UTF-8, anything RFC 8259
refuses) → 400 problem+json with code `malformed_json`, and nothing is stored. Walked over every
operation that takes a JSON body in any service's document, directly and through the gateway."""
from __future__ import annotations

import datetime
import json
import uuid

import pytest

from support.services import SERVICES
from support.openapi_check import ContractChecker, ContractViolation, ValidatedSession
from support.tokens import mint

from contract_support import PASSWORD, fill_path, operations, resolve, via_target

JSON = {"Content-Type": "application/json"}
# Who may call each operation (docs/contract.md §3), so that the body is the only thing wrong with the request.
# An operation of a document missing here fails the walk: add it with the role that may call it.
# "owner": the person whose id fills the path (their saved courses are theirs alone).
CALLER = {
    "login": None, "createUser": "admin", "updateUser": "admin", "verifyCredentials": "service:gateway",
    "createRoom": "admin", "updateRoom": "admin", "createBooking": "student", "changeBooking": "faculty", "closeRoom": "admin", "adminCancelBooking": "admin", "setReminders": "student",
    "joinWaitlist": "student", "stateRoomsOutOfOrder": "service:maintenance", "approveBooking": "admin", "declineBooking": "admin",
    "calculate": "student", "plan": "student", "saveCourses": "owner",
    "sendNotification": "admin", "markRead": "student", "changeMailPreferences": "student",
    "triage": "student", "createTicket": "student", "updateTicket": "technician", "reopenTicket": "student", "addComment": "student",
}
MALFORMED = {
    "a trailing comma": b'{"title": "Malformed", "email": "malformed@example.com",}',
    "bytes that are not UTF-8": b'{"title": "\xff\xfe\xfd", "email": "x\xc3@example.com"}',
    "an unterminated object": b'{"title": "Malformed"',
    "a single quote string": b"{'title': 'Malformed'}",
}


def caller_token(world, server, who: str | None, targets: dict) -> str | None:
    if who is None:
        return None
    if who == "owner":
        return targets["owner_token"]
    if who.startswith("service:"):
        name = who.split(":", 1)[1]
        return mint(server.jwt_secret, name, "service", email=f"{name}@services.internal", name=name)
    return world.tokens[who]


def json_operations(document: dict):
    for path, method, operation, _ in operations(document):
        content = resolve(document, operation.get("requestBody", {})).get("content", {})
        if any("json" in media_type for media_type in content):
            yield path, method, operation


@pytest.fixture(scope="module")
def targets(world) -> dict:
    """Ids for the paths of the walk, made for it: a service that wrongly accepts a malformed update
    changes these, not the data other tests use."""
    admin = world.tokens["admin"]
    room = world.ok("POST", "booking", "/rooms", admin, expect=201, json={
        "name": f"Malformed target {uuid.uuid4().hex[:8]}", "building": "M", "capacity": 3}).json()["id"]
    owner = world.new_user("student", "malformed")
    return {
        "users": owner["id"],
        "owner_token": owner["token"],
        "rooms": room,
        "bookings": world.ok("POST", "booking", "/bookings", "faculty", expect=201, json={
            "room_id": room, "date": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
            "start_time": "10:00", "end_time": "11:00", "purpose": "Malformed target"}).json()["id"],
        "tickets": world.ok("POST", "maintenance", "/tickets", "student", expect=201, json={
            "title": "Malformed target", "description": "A target for malformed bodies", "location": "Building M"}).json()["id"],
        "notifications": world.ok("POST", "notification", "/notifications", admin, expect=201, json={
            "title": "Malformed target", "message": "x", "audience": {"role": "student"}}).json()["id"],
    }


@pytest.mark.parametrize("service", list(SERVICES))
def test_malformed_json_is_a_400_problem(campus_server, world, targets, service):
    document = ContractChecker.for_server(campus_server).document(service)
    # The id rule is left to the other tests: here a wrongly accepted body should read "200, wanted 400".
    session = ValidatedSession(campus_server, check_ids=False)
    walked, failures = 0, []
    for path, method, operation in json_operations(document):
        name = f"{method.upper()} {path} ({operation.get('operationId')})"
        if operation.get("operationId") not in CALLER:
            failures.append(f"{name}: not in CALLER; say which role may call it so the walk can send it malformed bodies")
            continue
        filled, missing = fill_path(path, targets)
        if missing:
            failures.append(f"{name}: cannot fill {', '.join(missing)}")
            continue
        token = caller_token(world, campus_server, CALLER[operation["operationId"]], targets)
        vias = ["direct"] + (["gateway"] if service != "gateway" and via_target_ok(service, filled) else [])
        for via in vias:
            target, routed = via_target(via, service, filled)
            for label, body in MALFORMED.items():
                walked += 1
                where = f"{method.upper()} {routed} ({via}) with {label}"
                try:
                    r = session.call(method.upper(), target, routed, token=token, data=body, headers=JSON,
                                                     validate_request=False)
                except ContractViolation as violation:
                    failures.append(f"{where}: {violation}")
                    continue
                problem = r.json() if r.headers.get("Content-Type", "").startswith("application/problem+json") else {}
                if r.status_code != 400 or problem.get("code") != "malformed_json":
                    failures.append(f"{where} -> {r.status_code} {r.headers.get('Content-Type')} code={problem.get('code')!r}, "
                                    f"wanted 400 malformed_json: {r.text[:200]}")
    session.close()
    assert walked or failures, f"{service}: no operation takes a JSON body?"
    assert not failures, f"{service}: {len(failures)} of {walked} malformed requests were not refused as docs/contract.md §11 says:\n" + \
        "\n".join(failures)


def via_target_ok(service: str, path: str) -> bool:
    try:
        via_target("gateway", service, path)
        return True
    except AssertionError:
        return False


def test_malformed_json_stores_nothing(campus_server, world):
    """A lenient parser that reads a trailing comma as the end of the object would store these."""
    server = campus_server
    marker = uuid.uuid4().hex[:12]
    reader = world.new_user("student")
    slot = world.next_slot(world.rooms)
    sent = {
        ("users", "/users", "admin"): {"email": f"stored-{marker}@example.com", "name": f"Stored {marker}",
                                       "password": PASSWORD, "role": "student"},
        ("maintenance", "/tickets", reader["token"]): {"title": f"Stored {marker}", "description": "x", "location": "Building A"},
        # (newest first: if it were stored, it would lead the reader's list)
        ("notification", "/notifications", "admin"): {"title": f"Stored {marker}", "message": "x", "audience": {"role": "student"}},
        ("booking", "/bookings", reader["token"]): {**slot, "purpose": f"Stored {marker}"},
    }
    statuses = {}
    for (service, path, who), body in sent.items():
        malformed = json.dumps(body)[:-1] + ",}"  # the same object with a trailing comma
        r = server.request("POST", service, path, token=world.tokens.get(who, who), data=malformed.encode(),
                           headers={"Content-Type": "application/json"}, validate_request=False)  # malformed on purpose
        statuses[path] = r.status_code
    stored = []
    users = server.get("users", "/users", token=world.tokens["admin"], params={"limit": 200}).json()
    stored += [f"user {u['email']}" for u in users if marker in u["email"]]
    for service, path in (("maintenance", "/tickets"), ("notification", "/notifications"), ("booking", "/bookings")):
        items = server.get(service, path, token=reader["token"], params={"limit": 200}).json()
        stored += [f"{path[1:-1]} {item}" for item in items if marker in str(item.get("title", item.get("purpose", "")))]
    assert not stored, f"malformed JSON was stored (statuses {statuses}):\n" + "\n".join(map(str, stored))
    assert all(status == 400 for status in statuses.values()), f"malformed JSON must be refused with 400: {statuses}"
