"""The exchange checker (support/openapi_check.py) itself: it maps every address to the right
document, and it does fail — on an undocumented status, a body off its schema, a string id, a
request the document does not allow — so a green contract suite means something."""
from __future__ import annotations

import json

import pytest

from support.openapi_check import ContractChecker, ContractViolation, Exchange, ValidatedSession, gateway_path, id_violations, spec_route

PROBLEM = json.dumps({"type": "about:blank", "title": "Unprocessable", "status": 422, "detail": "limit: bad", "code": "validation_error"}).encode()


def test_gateway_paths_map_to_the_owning_document():
    assert spec_route("gateway", "/api/users") == ("users", "/users")
    assert spec_route("gateway", "/api/users/7") == ("users", "/users/7")
    assert spec_route("gateway", "/api/rooms") == ("booking", "/rooms")
    assert spec_route("gateway", "/api/bookings/available") == ("booking", "/bookings/available")
    assert spec_route("gateway", "/api/gpa/calculate") == ("gpa", "/calculate")
    assert spec_route("gateway", "/api/notifications/read-all") == ("notification", "/notifications/read-all")
    assert spec_route("gateway", "/api/tickets/3/comments") == ("maintenance", "/tickets/3/comments")
    assert spec_route("gateway", "/api/triage") == ("maintenance", "/triage")
    assert spec_route("gateway", "/api/status") == ("gateway", "/api/status")
    assert spec_route("gateway", "/auth/login") == ("gateway", "/auth/login")
    assert spec_route("gateway", "/api/usersx") == ("gateway", "/api/usersx")
    assert spec_route("booking", "/rooms") == ("booking", "/rooms")
    assert gateway_path("gpa", "/scale") == "/api/gpa/scale"
    assert gateway_path("maintenance", "/tickets/1/comments") == "/api/tickets/1/comments"
    assert gateway_path("maintenance", "/health") is None
    assert gateway_path("users", "/internal/credentials/verify") is None


def test_id_rule_flags_string_ids_only():
    body = [{"id": 1, "room_id": None, "series_id": "abc", "request_id": "r-1", "audience": {"user_id": "4"},
             "created_by": "3", "assignee_id": 9, "name": "x"}]
    found = id_violations(body)
    assert len(found) == 2, found
    assert any("$[0].audience.user_id" in line for line in found)
    assert any("$[0].created_by" in line for line in found)
    assert id_violations({"id": True}), "a boolean is not an integer id"


def exchange(server, method: str, service: str, path: str, status: int, body: bytes, content_type: str = "application/json",
             headers: dict | None = None) -> Exchange:
    return Exchange(method, server.url(service, path), {"Authorization": "Bearer x"}, None, status,
                    {"Content-Type": content_type, **(headers or {})}, body)


def test_checker_fails_on_what_the_document_does_not_allow(campus_server):
    checker = ContractChecker.for_server(campus_server)
    ok = exchange(campus_server, "GET", "users", "/users", 200, b"[]", headers={"X-Total-Count": "0"})
    checker.check(ok)  # allowed: passes

    with pytest.raises(ContractViolation, match="Unknown response http status: 599"):
        checker.check(exchange(campus_server, "GET", "users", "/users", 599, b"{}"))
    with pytest.raises(ContractViolation, match="'email' is a required property"):
        checker.check(exchange(campus_server, "GET", "users", "/users", 200,
                               b'[{"id": 1, "name": "n", "role": "admin", "created_at": "2026-01-01T00:00:00Z"}]'))
    with pytest.raises(ContractViolation, match="application/problem\\+json"):
        checker.check(exchange(campus_server, "GET", "users", "/users", 422, PROBLEM, content_type="text/plain"))
    with pytest.raises(ContractViolation, match="X-Total-Count|integer"):
        checker.check(exchange(campus_server, "GET", "users", "/users", 200, b"[]", headers={"X-Total-Count": "many"}))
    with pytest.raises(ContractViolation, match="Path not found"):
        checker.check(exchange(campus_server, "GET", "users", "/no-such-route", 200, b"{}"))
    # Through the gateway, the owner's document applies: a gateway 200 for /api/gpa/calculate must be a CalculateResponse.
    with pytest.raises(ContractViolation, match="document of gpa .*through the gateway"):
        checker.check(Exchange("POST", campus_server.url("gateway", "/api/gpa/calculate"),
                               {"Authorization": "Bearer x", "Content-Type": "application/json"},
                               b'{"courses": [{"grade": "A", "credits": 3}]}', 200,
                               {"Content-Type": "application/json"}, b'{"gpa": "4.0"}'))
    # The id rule applies to success bodies of every service.
    with pytest.raises(ContractViolation, match="ids are JSON integers"):
        checker.check(exchange(campus_server, "GET", "gateway", "/auth/config", 200,
                               b'{"environment": "development", "demo_accounts": true, "user_id": "1"}'))


def test_session_refuses_undocumented_requests_and_checks_every_response(campus_server):
    token = campus_server.token("student")
    with ValidatedSession(campus_server) as session:
        with pytest.raises(ContractViolation, match="request does not match"):
            session.call("POST", "gpa", "/calculate", token=token, json={"courses": "not a list"})
        # On purpose: the request check is skipped, the (documented) 422 answer is still checked.
        r = session.call("POST", "gpa", "/calculate", token=token, json={"courses": "not a list"}, validate_request=False)
        assert r.status_code == 422
        with pytest.raises(ContractViolation, match="Security not found"):
            session.call("GET", "users", "/users")  # no token: the document requires bearerAuth
        r = session.call("GET", "gateway", "/health")
        assert r.status_code == 200


def test_gateway_answers_of_its_own_on_forwarded_routes(campus_server):
    """Through the gateway an answer is the owning service's (its document) or, for the statuses the
    gateway gives on its own (401, 404, 413, and 503 for a service it cannot reach), the gateway's
    (/api/{path} in its document). Nothing else passes: not a proxy's 502 page relayed as it came."""
    checker = ContractChecker.for_server(campus_server)

    def problem(status: int, code: str) -> bytes:
        return json.dumps({"type": "about:blank", "title": "t", "status": status, "detail": "d", "code": code}).encode()
    checker.check(exchange(campus_server, "GET", "gateway", "/api/gpa/scale", 503, problem(503, "dependency_unavailable"),
                           content_type="application/problem+json"))
    with pytest.raises(ContractViolation, match="Unknown response http status: 503"):  # not the gateway's code
        checker.check(exchange(campus_server, "POST", "gateway", "/api/gpa/calculate", 503, problem(503, "storage_unavailable"),
                               content_type="application/problem+json"), validate_request=False)
    with pytest.raises(ContractViolation, match="Unknown response http status: 502"):
        checker.check(exchange(campus_server, "POST", "gateway", "/api/tickets", 502, b"<html>502 Bad Gateway</html>",
                               content_type="text/html"), validate_request=False)
