"""The public API documents the gateway publishes (docs/contract.md §1): `GET /api/<service>/openapi.json`
for users, booking, gpa, notification and maintenance is that service's document with its paths renamed
to the gateway's `/api/...` names (§4) and its internal, health and metrics paths left out, under a
relative server; every path in it is one the gateway really routes. Unknown service names are a 404
problem. And every service's own `/openapi.json` names the relative server `/`, not a host.

Checked with openapi-spec-validator (a tool we did not write); the documents are fetched with plain
requests (they are the subject here), the calls their paths describe go through the suite's checked
session (support/openapi_check.py), so each answer is also held to the documents.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import requests
from openapi_spec_validator import OpenAPIV31SpecValidator

from support.openapi_check import gateway_path
from support.services import SERVICES

from contract_support import METHODS, assert_problem

PUBLIC = ("users", "booking", "gpa", "notification", "maintenance")
ROLES = ("admin", "faculty", "student", "technician")
# No public path may name these (docs/contract.md §1: internal, health and metrics paths are left out;
# the documents and pages themselves are served by the gateway, not described as part of the API), as whole
# path segments: /api/tickets/room-health is public.
HIDDEN = re.compile(r"(^|/)(internal|health|metrics|openapi\.json|docs)(/|$)")


def plain_get(server, service: str, path: str) -> requests.Response:
    with requests.Session() as http:
        http.trust_env = False  # loopback only
        return http.get(server.url(service, path), timeout=15)


def document_at(server, service: str, path: str) -> dict:
    r = plain_get(server, service, path)
    assert r.status_code == 200, f"{service} {path} -> {r.status_code}: {r.text[:300]}"
    assert r.headers.get("Content-Type", "").startswith("application/json"), f"{service} {path}: {r.headers.get('Content-Type')}"
    return r.json()


def public_document(server, service: str) -> dict:
    return document_at(server, "gateway", f"/api/{service}/openapi.json")


def relative_server_problems(document: dict, where: str) -> list[str]:
    servers = document.get("servers")
    if not isinstance(servers, list) or not servers:
        return [f"{where}: servers is {servers!r}, wanted [{{'url': '/'}}]"]
    problems = []
    for server in servers:
        url = server.get("url", "") if isinstance(server, dict) else server
        split = urlsplit(url)
        if not url.startswith("/") or url.startswith("//") or split.scheme or split.netloc:
            problems.append(f"{where}: server url {url!r} is not relative (it names a scheme or host)")
    return problems


def operation_keys(document: dict) -> dict[tuple[str, str], str | None]:
    """(METHOD, path) -> operationId of every operation."""
    return {(method.upper(), path): item[method].get("operationId")
            for path, item in document.get("paths", {}).items() for method in METHODS if method in item}


@pytest.mark.parametrize("service", PUBLIC)
def test_public_document_is_valid_and_names_only_public_gateway_paths(campus_server, service):
    document = public_document(campus_server, service)
    assert str(document.get("openapi", "")).startswith("3.1."), f"/api/{service}/openapi.json: openapi={document.get('openapi')!r}"
    errors = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
              for e in OpenAPIV31SpecValidator(document).iter_errors()]
    assert not errors, f"openapi-spec-validator finds {len(errors)} errors in /api/{service}/openapi.json:\n" + "\n".join(errors[:30])
    paths = list(document.get("paths") or {})
    assert paths, f"/api/{service}/openapi.json has no paths"
    # The gateway's public paths: /api/... and, for booking, the subscribed calendars under /calendar/.
    public = ("/api/", "/calendar/") if service == "booking" else ("/api/",)
    assert not [p for p in paths if not p.startswith(public)], f"/api/{service}/openapi.json: paths outside {public}: {paths}"
    assert not [p for p in paths if HIDDEN.search(p)], \
        f"/api/{service}/openapi.json names internal/health/metrics/document paths: {[p for p in paths if HIDDEN.search(p)]}"
    assert not relative_server_problems(document, f"/api/{service}/openapi.json"), relative_server_problems(document, f"/api/{service}/openapi.json")


@pytest.mark.parametrize("service", PUBLIC)
def test_public_document_is_the_services_document_under_its_gateway_names(campus_server, service):
    """Every operation the gateway forwards to the service (docs/contract.md §4, as support/services.py
    encodes it) is in the public document under its gateway path, with the same operationId, and the
    public document has nothing else."""
    own = operation_keys(document_at(campus_server, service, "/openapi.json"))
    public = operation_keys(public_document(campus_server, service))
    expected = {}
    for (method, path), operation_id in own.items():
        routed = gateway_path(service, path)
        if routed is not None and not HIDDEN.search(path):
            expected[(method, routed)] = operation_id
    missing = sorted(set(expected) - set(public))
    extra = sorted(set(public) - set(expected))
    assert not missing and not extra, \
        f"/api/{service}/openapi.json vs {service}'s own document renamed by the gateway's routes: missing {missing}, not expected {extra}"
    renamed = {key: (expected[key], public[key]) for key in expected if expected[key] != public[key]}
    assert not renamed, f"/api/{service}/openapi.json: operationIds differ from the service's own: {renamed}"


@pytest.mark.parametrize("service", PUBLIC)
def test_every_public_get_path_answers_through_the_gateway(campus_server, service):
    """Each GET path without parameters, as each default account (docs/contract.md §3): never the gateway's
    404 for an unknown route, never a 5xx, and at least one role is answered 2xx."""
    document = public_document(campus_server, service)
    tokens = {role: campus_server.token(role) for role in ROLES}
    paths = [p for p, item in document["paths"].items() if "get" in item and "{" not in p]
    assert paths, f"/api/{service}/openapi.json has no GET path without parameters"
    wrong = []
    for path in paths:
        statuses = {role: campus_server.get("gateway", path, token=tokens[role]).status_code for role in ROLES}
        if any(s == 404 or s >= 500 for s in statuses.values()) or not any(200 <= s < 300 for s in statuses.values()):
            wrong.append(f"GET {path}: {statuses}")
    assert not wrong, f"/api/{service}/openapi.json documents paths the gateway does not serve:\n" + "\n".join(wrong)


def problem_code(response) -> str | None:
    try:
        return response.json().get("code")
    except ValueError:
        return None


@pytest.mark.parametrize("service", PUBLIC)
def test_every_public_operation_is_routed_and_guarded(campus_server, service):
    """Every operation of the public document, sent without a token (ids filled with 1): the gateway knows
    the route and asks for a token (401), as the document's security says, rather than 404."""
    document = public_document(campus_server, service)
    global_security = document.get("security")
    wrong = []
    for path, item in document["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            concrete = re.sub(r"\{[^}]+\}", "1", path)
            secured = bool(item[method].get("security", global_security))
            r = campus_server.request(method.upper(), "gateway", concrete, validate_request=False)
            # A 404 is a route the gateway does not know (code not_found); a service's own 404 for the
            # made-up id (calendar_not_found for an unknown feed) shows the route was reached.
            unrouted = r.status_code == 404 and problem_code(r) == "not_found"
            if (secured and r.status_code != 401) or unrouted or r.status_code >= 500:
                wrong.append(f"{method.upper()} {concrete} (secured={secured}) -> {r.status_code}: {r.text[:160]}")
    assert not wrong, f"/api/{service}/openapi.json operations not routed as documented:\n" + "\n".join(wrong)


@pytest.mark.parametrize("what", ["openapi.json", "docs"])
def test_only_the_five_services_are_published(campus_server, what):
    """/api/<name>/openapi.json and /api/<name>/docs answer for the five public services and are a 404
    problem for any other name (the gateway's own API is at /openapi.json and /docs)."""
    for name in PUBLIC:
        r = plain_get(campus_server, "gateway", f"/api/{name}/{what}")
        assert r.status_code == 200, f"GET /api/{name}/{what} -> {r.status_code}: {r.text[:200]}"
    for name in ("nosuch", "gateway", "Booking"):
        assert_problem(plain_get(campus_server, "gateway", f"/api/{name}/{what}"), 404)


@pytest.mark.parametrize("service", list(SERVICES))
def test_own_document_names_a_relative_server(campus_server, service):
    document = document_at(campus_server, service, "/openapi.json")
    problems = relative_server_problems(document, f"{service} /openapi.json")
    assert not problems, problems
