"""Through the gateway only each service's public API is reachable (docs/contract.md §4): the GPA
calculator's /metrics, /health and /health/ready are not under /api/gpa/, and no dot-segment,
encoded or not, climbs from /api/<name>/ to a service's /metrics or /health. Every such request
is a 404 problem+json, never the service's own answer. /api/gpa/openapi.json and /api/gpa/docs are
the gateway's own publication of GPA's public API (docs/contract.md §1): GPA's document rewritten
to its /api/gpa paths, never the service's own document with its internal paths. The request
targets are sent byte for byte (raw socket), so no client library tidies the dot-segments away first."""
from __future__ import annotations

import json

import pytest

from edges.harness import assert_problem, raw_request

GPA_INTERNALS = ["/api/gpa/metrics", "/api/gpa/health", "/api/gpa/health/ready"]
TRAVERSALS = [
    "/api/users/../metrics", "/api/users/%2e%2e/metrics", "/api/users/%2E%2E/metrics", "/api/users/..%2fmetrics",
    "/api/users/%2e%2e%2fmetrics", "/api/users/../health", "/api/tickets/../health", "/api/tickets/%2e%2e/metrics",
    "/api/notifications/%2e%2e/metrics", "/api/notifications/../metrics", "/api/rooms/../metrics",
    "/api/bookings/%2e%2e/health/ready", "/api/gpa/../metrics", "/api/gpa/%2e%2e/metrics", "/api/gpa/./metrics",
    "/api/gpa/%2e/metrics", "/api/gpa//metrics", "/api/users/..;/metrics", "/api/triage/../metrics",
    "/api/users/%252e%252e/metrics", "/api/tickets/..%5cmetrics",
]
SERVICE_ANSWERS = ("# HELP", "# TYPE", "http_requests_total", '"status":"healthy"', '"checks"', '"openapi":', "<html")


def assert_not_reached(campus, target: str, token: str) -> None:
    r = raw_request(campus.gateway_port, "GET", target, {"Authorization": f"Bearer {token}"})
    assert_problem(r, 404)
    for marker in SERVICE_ANSWERS:
        assert marker not in r.text, f"GET {target}: a service's own answer leaked ({marker!r}): {r.text[:200]!r}"


@pytest.mark.parametrize("target", GPA_INTERNALS)
def test_gpa_internals_are_not_under_api_gpa(campus, target):
    for role in ("student", "admin"):
        assert_not_reached(campus, target, campus.tokens[role])


def test_gpa_documentation_under_api_gpa_is_the_public_api_not_the_services_own(campus):
    r = raw_request(campus.gateway_port, "GET", "/api/gpa/openapi.json", {})
    assert r.status_code == 200, r.text[:300]
    paths = json.loads(r.content)["paths"]
    assert paths and all(path.startswith("/api/gpa/") for path in paths), sorted(paths)
    for internal in ("/metrics", "/health", "/health/ready", "/openapi.json", "/docs"):
        assert internal not in paths and f"/api/gpa{internal}" not in paths, f"{internal} published: {sorted(paths)}"
    docs = raw_request(campus.gateway_port, "GET", "/api/gpa/docs", {})
    assert docs.status_code == 200 and "swagger-ui" in docs.text and "Content-Security-Policy" in docs.headers, docs.text[:300]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_dot_segments_never_reach_a_services_metrics_or_health(campus, target):
    assert_not_reached(campus, target, campus.tokens["admin"])


def test_the_gpa_public_api_still_works_through_the_gateway(campus):
    student = campus.tokens["student"]
    scale = campus.get("gpa", "/scale", student, "gateway")
    assert scale.status_code == 200 and {"grade": "A", "points": 4.0} in scale.json(), scale.text
    calculated = campus.post("gpa", "/calculate", student, "gateway", json={"courses": [{"name": "Calculus", "grade": "B+", "credits": 3}]})
    assert calculated.status_code == 200 and calculated.json()["gpa"] == 3.3, calculated.text
    plan = campus.post("gpa", "/plan", student, "gateway",
                       json={"current_gpa": 3.0, "current_credits": 30, "target_gpa": 3.5, "remaining_credits": 30})
    assert plan.status_code == 200 and plan.json()["required_gpa"] == 4.0 and plan.json()["achievable"] is True, plan.text
    # The services themselves still answer their own /metrics and /health (the refusal is the gateway's).
    assert campus.get("gpa", "/metrics").status_code == 200
    assert campus.get("gpa", "/health").status_code == 200
