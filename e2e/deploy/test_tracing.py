"""OpenTelemetry tracing as an operator's collector receives it (docs/contract.md "Tracing", README).

A real OTLP/HTTP receiver runs in this process (support/otlp.py: http.server on loopback, every POST
decoded with opentelemetry-proto's ExportTraceServiceRequest) and `campus serve` is pointed at it with
OTEL_EXPORTER_OTLP_ENDPOINT (OTEL_BSP_SCHEDULE_DELAY=200 so spans come quickly). Then:
  - one booking through the gateway is ONE trace: the gateway's SERVER span (the root), its CLIENT
    call, the booking service's SERVER span under that call, the database spans under it
    (`create bookings`), and later the outbox delivery, a PRODUCER span under the booking span and
    linked to it, with the CLIENT POST under it, the notification service's SERVER span under that,
    and database spans under that — checked id by id, not by names;
  - every service's SERVER span carries campus.service and the HTTP attributes; SQL statements are
    CLIENT spans with db.system.name / db.namespace / db.query.text and no bound values;
  - the access-log lines of that request carry the trace's trace_id and their span's span_id (text
    format here, JSON in the one-service case);
  - a client's traceparent is ignored at the gateway (fresh trace, no parent), taken by an internal
    service, and taken at the gateway from an address in TRUSTED_PROXIES;
  - OTEL_SERVICE_NAME, `campus-<service>` for one service, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT verbatim;
  - a bad endpoint or OTEL_EXPORTER_OTLP_PROTOCOL=grpc stops start-up with 78 naming the variable;
  - without an endpoint (or with OTEL_SDK_DISABLED=true) a booking exports nothing and no log line
    carries trace_id;
  - on PostgreSQL the booking's SQL spans say db.system.name=postgresql.
Run: scripts/deploy-check (all of e2e/deploy), or from e2e/:
    CAMPUS_BIN=… ../.build/pyenv/bin/python -m pytest deploy/test_tracing.py -q
"""
from __future__ import annotations

import json
import re
import secrets
import subprocess
import time
from dataclasses import dataclass
from datetime import timedelta

import pytest
import requests

from support.campus import CampusServer, campus_binary
from support.otlp import OTLPReceiver, Span
from support.postgres import empty_database
from support.services import SERVICES, distinct_ports, free_port
from support.slots import campus_today, slot

CAMPUS_SERVICES = {"gateway", "booking", "users", "notification", "maintenance", "gpa"}
DELIVERY = "outbox deliver notification /notifications"
BOOKING_PATH = ("gateway", "users", "booking", "notification")  # what a booking and its notification need
DEADLINE = 30  # seconds any awaited state may take


# ---- helpers ------------------------------------------------------------------------------------------
def tracing_server(env: dict[str, str], services: tuple[str, ...] = (), log_name: str = "tracing") -> CampusServer:
    """A CampusServer whose OTEL_* settings are exactly those in `env` (none inherited from this process)."""
    server = CampusServer(services=services, env=env, ports=distinct_ports(), log_name=log_name)
    for name in [k for k in server.env if k.startswith("OTEL_") and k not in env]:
        del server.env[name]
    return server


def plain_session() -> requests.Session:
    """A bare session for requests outside the services' documents (404s, readiness with headers)."""
    session = requests.Session()
    session.trust_env = False  # loopback only
    return session


def weekday_booking(purpose: str, room: int = 2) -> dict:
    """A one-hour booking of `room` on the first weekday at least three days ahead (support/slots.py)."""
    days = next(d for d in range(3, 10) if (campus_today() + timedelta(days=d)).weekday() < 5)
    return {**slot(0, [room], first_day=days), "purpose": purpose}


def book(campus: CampusServer, token: str, purpose: str) -> requests.Response:
    response = campus.post("gateway", "/api/bookings", token=token, json=weekday_booking(purpose))
    assert response.status_code == 201, response.text
    return response


def wait_for_notification(campus: CampusServer, token: str, booking_id: int) -> dict:
    """The notification the booking's outbox delivery made, polled through GET /api/notifications."""
    deadline = time.monotonic() + DEADLINE
    while True:
        response = campus.get("gateway", "/api/notifications", token=token, params={"limit": 200})
        assert response.status_code == 200, response.text
        found = [n for n in response.json() if (n.get("link") or {}).get("kind") == "booking"
                 and (n.get("link") or {}).get("id") == booking_id]
        if found:
            return found[0]
        assert time.monotonic() < deadline, f"no notification of booking {booking_id} in {DEADLINE} s: {response.text[:500]}"
        time.sleep(0.1)


FIELD = re.compile(r"(?:^|\s)([A-Za-z_][\w.]*)=(\S+)")


def log_fields(line: str) -> dict:
    """A log line's metadata: a JSON object's fields, or the key=value pairs of a text line."""
    try:
        entry = json.loads(line)
        if isinstance(entry, dict):
            return entry
    except json.JSONDecodeError:
        pass
    return dict(FIELD.findall(line))


def wait_for_access_line(campus: CampusServer, request_id: str, service: str) -> dict:
    """The access line (method, route, status, request_id) `service` wrote for `request_id`."""
    deadline = time.monotonic() + DEADLINE
    while True:
        for line in campus.log_path.read_text(errors="replace").splitlines():
            fields = log_fields(line)
            if (fields.get("request_id") == request_id and fields.get("service") == service
                    and all(k in fields for k in ("method", "route", "status"))):
                return fields
        assert time.monotonic() < deadline, f"no access line of {service} for {request_id} in {DEADLINE} s:\n{campus.log_tail(20)}"
        time.sleep(0.1)


def is_database_span(span: Span) -> bool:
    return span.name == "fluent.query" or "db.system.name" in span.attributes


def children(spans: list[Span], parent: Span) -> list[Span]:
    return [s for s in spans if s.parent_span_id == parent.span_id]


def listing(spans: list[Span]) -> str:
    return "\n".join(s.short() for s in spans)


def traceparent(trace_id: str, parent_id: str) -> str:
    return f"00-{trace_id}-{parent_id}-01"


# ---- the traced campus: all six services, one booking ----------------------------------------------------
@dataclass
class Traced:
    receiver: OTLPReceiver
    campus: CampusServer
    token: str
    booking: requests.Response
    request_id: str
    purpose: str
    notification: dict


@pytest.fixture(scope="module")
def traced():
    with OTLPReceiver() as receiver:
        campus = tracing_server({"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.base_url, "OTEL_BSP_SCHEDULE_DELAY": "200",
                                 "LOG_LEVEL": "info"}, log_name="tracing")
        with campus:
            token = campus.token("student")
            purpose = "Trace check " + secrets.token_hex(6)
            booking = book(campus, token, purpose)
            notification = wait_for_notification(campus, token, booking.json()["id"])
            yield Traced(receiver, campus, token, booking, booking.headers["X-Request-ID"], purpose, notification)


def notification_reached(trace: list[Span]) -> bool:
    """The trace has the notification service's SERVER span that took the delivery (201), with a database span under it."""
    notification = {s.span_id for s in trace if s.kind == "SERVER" and s.attributes.get("campus.service") == "notification"
                    and s.attributes.get("http.response.status_code") == 201}
    return any(is_database_span(s) and s.parent_span_id in notification for s in trace)


def wait_for_trace(receiver: OTLPReceiver, request_id: str, complete) -> list[Span]:
    """The spans of the trace whose gateway SERVER span answered `request_id`, once `complete(spans)` holds
    and every parent is there, or whatever arrived within the deadline (the caller's assertions then
    say what is missing)."""
    gateway = receiver.wait_for(lambda: receiver.server_span(request_id, "gateway"),
                                f"the gateway's SERVER span of request {request_id}")

    def ready():
        spans = receiver.trace(gateway.trace_id)
        ids = {s.span_id for s in spans}
        if complete(spans) and all(not s.parent_span_id or s.parent_span_id in ids for s in spans):
            return spans
        return None

    return receiver.wait_for(ready, "the whole trace", DEADLINE, required=False) or receiver.trace(gateway.trace_id)


@pytest.fixture(scope="module")
def booking_trace(traced) -> list[Span]:
    """Every span of the booking's trace, once the delivery's part has arrived and every parent is there."""
    return wait_for_trace(traced.receiver, traced.request_id,
                          lambda spans: any(s.name == DELIVERY for s in spans) and notification_reached(spans))


def delivered_notification(trace: list[Span]) -> Span:
    """The notification service's SERVER span that took the delivery (201)."""
    return only([s for s in trace if s.kind == "SERVER" and s.attributes.get("campus.service") == "notification"
                 and s.attributes.get("http.response.status_code") == 201], "notification SERVER span answering 201", trace)


def only(spans: list[Span], what: str, trace: list[Span]) -> Span:
    assert len(spans) == 1, f"want exactly one {what}, got {len(spans)}:\n{listing(spans)}\n-- the trace:\n{listing(trace)}"
    return spans[0]


def gateway_span(trace: list[Span], request_id: str) -> Span:
    return only([s for s in trace if s.kind == "SERVER" and s.attributes.get("campus.service") == "gateway"
                 and s.attributes.get("http.response.header.x_request_id") == request_id],
                "gateway SERVER span", trace)


def server_span_of(trace: list[Span], service: str) -> Span:
    return only([s for s in trace if s.kind == "SERVER" and s.attributes.get("campus.service") == service],
                f"{service} SERVER span", trace)


# ---- 1. one booking, one trace ----------------------------------------------------------------------------------
def test_a_booking_is_one_trace_from_the_gateway_to_the_notification(traced, booking_trace):
    trace = booking_trace
    rid = traced.request_id
    gateway = gateway_span(trace, rid)
    by_id = {s.span_id: s for s in trace}
    assert len(by_id) == len(trace), f"span ids repeat in the trace:\n{listing(trace)}"

    # The gateway's span is the root, and the only one.
    assert gateway.parent_span_id == "", gateway.short()
    assert [s.span_id for s in trace if not s.parent_span_id] == [gateway.span_id], listing(trace)
    orphans = [s for s in trace if s.parent_span_id and s.parent_span_id not in by_id]
    assert orphans == [], f"spans whose parent is not in the trace:\n{listing(orphans)}\n-- the trace:\n{listing(trace)}"
    assert gateway.attributes.get("http.request.method") == "POST" and gateway.attributes.get("url.path") == "/api/bookings", gateway.short()
    assert gateway.attributes.get("http.response.status_code") == 201, gateway.attributes

    # gateway SERVER → gateway CLIENT → booking SERVER.
    booking = server_span_of(trace, "booking")
    call = by_id.get(booking.parent_span_id)
    assert call is not None and call.kind == "CLIENT", f"the booking span's parent is {call and call.short()}"
    assert call.parent_span_id == gateway.span_id, f"the CLIENT call {call.short()} is not the gateway span's child"
    assert booking.attributes.get("http.request.method") == "POST" and booking.attributes.get("url.path") == "/bookings", booking.short()
    assert booking.attributes.get("http.response.status_code") == 201, booking.attributes
    assert booking.attributes.get("http.response.header.x_request_id") == rid, booking.attributes

    # The booking's database work, under the booking span.
    database = [s for s in children(trace, booking) if is_database_span(s)]
    assert any(s.attributes.get("fluent.query.summary") == "create bookings"
               or str(s.attributes.get("db.query.text", "")).upper().startswith("INSERT INTO \"BOOKINGS\"")
               or str(s.attributes.get("db.query.text", "")).upper().startswith("INSERT INTO BOOKINGS")
               for s in database), f"no database span writes the booking under the booking span:\n{listing(database)}"
    for span in (s for s in database if s.name == "fluent.query"):
        assert span.kind == "CLIENT" and span.attributes.get("fluent.query.summary"), span.short()

    # Later: the outbox delivery, a PRODUCER span in the same trace, child of and linked to the booking span
    # (a retried delivery would be a second such span; each must be placed the same way).
    deliveries = [s for s in trace if s.name == DELIVERY]
    assert deliveries, f"no {DELIVERY!r} span in the booking's trace:\n{listing(trace)}"
    for delivery in deliveries:
        assert delivery.kind == "PRODUCER", delivery.short()
        assert delivery.parent_span_id == booking.span_id, f"{delivery.short()} is not under {booking.short()}"
        assert (booking.trace_id, booking.span_id) in delivery.links, f"the delivery's links {delivery.links} miss {booking.span_id}"
        assert delivery.start_ns >= booking.start_ns, (delivery.start_ns, booking.start_ns)

    # delivery → CLIENT POST → notification SERVER → its database spans.
    notifications = [s for s in trace if s.kind == "SERVER" and s.attributes.get("campus.service") == "notification"]
    assert notifications, f"no notification SERVER span in the booking's trace:\n{listing(trace)}"
    for notification in notifications:
        post = by_id.get(notification.parent_span_id)
        assert post is not None and post.kind == "CLIENT", f"the notification span's parent is {post and post.short()}"
        assert post.parent_span_id in {d.span_id for d in deliveries}, f"the CLIENT POST {post.short()} is not under a delivery span"
        assert post.attributes.get("http.request.method") == "POST", post.attributes
        assert notification.attributes.get("http.request.method") == "POST", notification.short()
        assert notification.attributes.get("url.path") == "/notifications", notification.short()
    notification = delivered_notification(trace)
    notification_database = [s for s in children(trace, notification) if is_database_span(s)]
    assert notification_database, f"no database span under the notification span:\n{listing(trace)}"

    # One process runs every service: one resource name.
    assert {s.resource.get("service.name") for s in trace} == {"campus"}


def test_sql_spans_name_the_database_and_never_carry_bound_values(traced, booking_trace):
    trace = booking_trace
    statements = [s for s in traced.receiver.spans if "db.system.name" in s.attributes]
    assert statements, "no SQL statement span was exported at all"
    in_trace = [s for s in trace if "db.system.name" in s.attributes]
    assert in_trace, f"no SQL statement span in the booking's trace:\n{listing(trace)}"
    bound = {traced.purpose, traced.request_id, traced.booking.json()["date"], "student@example.com",
             *(v for s in trace if s.name == DELIVERY for k, v in s.attributes.items() if k == "messaging.message.id")}
    for span in statements:
        attributes = span.attributes
        assert span.kind == "CLIENT", span.short()
        assert attributes["db.system.name"] == "sqlite", span.short()
        assert isinstance(attributes.get("db.namespace"), str) and attributes["db.namespace"], span.short()
        text = attributes.get("db.query.text")
        assert isinstance(text, str) and text.strip(), span.short()
        leaked = [value for value in bound if value and value in text]
        assert leaked == [], f"db.query.text carries bound values {leaked}: {text}"
    # The notification's INSERT binds the event id: it must show as a placeholder.
    inserts = [s.attributes["db.query.text"] for s in in_trace if s.attributes["db.query.text"].upper().startswith("INSERT")]
    assert inserts and all(re.search(r"\?\d*|\$\d+", text) for text in inserts), inserts


# ---- 2. every service's SERVER spans, and what went over the wire ----------------------------------------------------
def test_every_service_s_server_span_carries_campus_service_and_the_http_attributes(traced):
    receiver, campus = traced.receiver, traced.campus
    session = plain_session()
    asked, probes = {}, []
    for name in SERVICES:
        # Load balancers' and Prometheus's calls are not traced (docs/deploy.md, "Reading a trace").
        for probe in ("/health/ready", "/metrics"):
            answer = session.get(campus.url(name, probe), timeout=15)
            assert answer.status_code == 200, (name, probe, answer.text[:200])
            probes.append(answer.headers["X-Request-ID"])
        response = session.get(campus.url(name, "/openapi.json"), timeout=15)
        assert response.status_code == 200, (name, response.text[:200])
        asked[name] = response.headers["X-Request-ID"]
    for name, rid in asked.items():
        span = receiver.wait_for(lambda: receiver.server_span(rid), f"{name}'s SERVER span of GET /openapi.json ({rid})")
        attributes = span.attributes
        assert attributes.get("campus.service") == name, span.short()
        assert attributes.get("http.request.method") == "GET", span.short()
        assert attributes.get("url.path") == "/openapi.json", span.short()
        assert attributes.get("http.response.status_code") == 200, span.short()
    # Exported in order with the later /openapi.json spans, which have all arrived: no probe span came.
    assert [rid for rid in probes if receiver.server_span(rid)] == []
    server_spans = [s for s in receiver.spans if s.kind == "SERVER"]
    assert {s.attributes.get("campus.service") for s in server_spans} == CAMPUS_SERVICES
    for span in server_spans:
        attributes = span.attributes
        assert isinstance(attributes.get("http.request.method"), str), span.short()
        assert isinstance(attributes.get("url.path"), str) and attributes["url.path"].startswith("/"), span.short()
        assert isinstance(attributes.get("http.response.status_code"), int), span.short()
        assert isinstance(attributes.get("http.response.header.x_request_id"), str) and attributes["http.response.header.x_request_id"], span.short()
    assert {s.resource.get("service.name") for s in receiver.spans} == {"campus"}
    exports = receiver.exports
    assert receiver.errors == [] and exports
    assert {e.path for e in exports} == {"/v1/traces"}, exports[:5]
    assert all(e.content_type.split(";")[0].strip() == "application/x-protobuf" for e in exports), {e.content_type for e in exports}


# ---- 3. log lines carry the trace ------------------------------------------------------------------------------------
def test_the_booking_s_log_lines_carry_its_trace_and_span_ids(traced, booking_trace):
    trace = booking_trace
    gateway = gateway_span(trace, traced.request_id)
    for service, span in (("gateway", gateway), ("booking", server_span_of(trace, "booking"))):
        line = wait_for_access_line(traced.campus, traced.request_id, service)
        assert line.get("trace_id") == gateway.trace_id, f"{service}'s access line: {line}"
        assert line.get("span_id") == span.span_id, f"{service}'s access line: {line}"
    notification = delivered_notification(trace)
    line = wait_for_access_line(traced.campus, notification.attributes["http.response.header.x_request_id"], "notification")
    assert line.get("trace_id") == gateway.trace_id and line.get("span_id") == notification.span_id, line


# ---- 4. traceparent: ignored from clients at the gateway, taken inside and from trusted proxies -----------------------
def test_the_gateway_ignores_a_client_s_traceparent_and_internal_services_take_it(traced):
    receiver, campus = traced.receiver, traced.campus
    sent_trace, sent_parent = secrets.token_hex(16), secrets.token_hex(8)
    response = campus.get("gateway", "/api/rooms", token=traced.token,
                          headers={"traceparent": traceparent(sent_trace, sent_parent), "tracestate": "vendor=sent"})
    assert response.status_code == 200, response.text
    rid = response.headers["X-Request-ID"]
    gateway = receiver.wait_for(lambda: receiver.server_span(rid, "gateway"), f"the gateway's span of GET /api/rooms ({rid})")
    booking = receiver.wait_for(lambda: receiver.server_span(rid, "booking"), f"the booking span of GET /rooms ({rid})")
    assert gateway.trace_id != sent_trace, f"the gateway adopted the client's trace id: {gateway.short()}"
    assert gateway.parent_span_id == "", f"the gateway span has the client's parent: {gateway.short()}"
    assert gateway.trace_state == "", gateway.trace_state
    assert booking.trace_id == gateway.trace_id, (booking.short(), gateway.short())
    assert receiver.trace(sent_trace) == []
    line = wait_for_access_line(campus, rid, "gateway")
    assert line.get("trace_id") == gateway.trace_id, line
    assert sent_trace not in campus.log_path.read_text(errors="replace")

    # The same header, sent to a service behind the gateway, is taken: so the header above was well formed.
    inner_trace, inner_parent = secrets.token_hex(16), secrets.token_hex(8)
    inner = plain_session().get(campus.url("booking", "/openapi.json"), timeout=15,
                                headers={"traceparent": traceparent(inner_trace, inner_parent)})
    assert inner.status_code == 200, inner.text
    inner_rid = inner.headers["X-Request-ID"]
    span = receiver.wait_for(lambda: receiver.server_span(inner_rid, "booking"), f"the booking span of {inner_rid}")
    assert (span.trace_id, span.parent_span_id) == (inner_trace, inner_parent), span.short()


def test_a_trusted_proxy_s_traceparent_is_taken_and_OTEL_SERVICE_NAME_names_the_resource():
    name = "campus-edge-" + secrets.token_hex(3)
    with OTLPReceiver() as receiver:
        with tracing_server({"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.base_url, "OTEL_BSP_SCHEDULE_DELAY": "200",
                             "OTEL_SERVICE_NAME": name, "TRUSTED_PROXIES": "127.0.0.1"},
                            services=("gateway",), log_name="tracing-proxy") as campus:
            sent_trace, sent_parent = secrets.token_hex(16), secrets.token_hex(8)
            response = plain_session().get(campus.url("gateway", "/openapi.json"), timeout=15,
                                           headers={"traceparent": traceparent(sent_trace, sent_parent),
                                                    "tracestate": "vendor=proxy"})
            assert response.status_code == 200, response.text
            rid = response.headers["X-Request-ID"]
            span = receiver.wait_for(lambda: receiver.server_span(rid, "gateway"), f"the gateway's span of {rid}")
        assert (span.trace_id, span.parent_span_id) == (sent_trace, sent_parent), span.short()
        assert span.trace_state == "vendor=proxy", span.trace_state
        assert {s.resource.get("service.name") for s in receiver.spans} == {name}


def test_one_service_is_campus_dash_service_and_the_traces_endpoint_is_used_verbatim():
    path = "/collector/" + secrets.token_hex(4) + "/traces"
    with OTLPReceiver() as receiver:
        with tracing_server({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": receiver.base_url + path,
                             "OTEL_BSP_SCHEDULE_DELAY": "200", "LOG_FORMAT": "json", "LOG_LEVEL": "info"},
                            services=("gpa",), log_name="tracing-gpa") as campus:
            response = plain_session().get(campus.url("gpa", "/no-such-page"), timeout=15)
            assert response.status_code == 404, response.text
            rid = response.headers["X-Request-ID"]
            span = receiver.wait_for(lambda: receiver.server_span(rid, "gpa"), f"the GPA service's span of {rid}")
            line = wait_for_access_line(campus, rid, "gpa-calculator")
        assert span.attributes.get("http.response.status_code") == 404, span.short()
        assert {s.resource.get("service.name") for s in receiver.spans} == {"campus-gpa"}
        assert {e.path for e in receiver.exports} == {path}, receiver.exports[:5]
        # LOG_FORMAT=json: trace_id and span_id are fields of the line's object.
        assert (line.get("trace_id"), line.get("span_id")) == (span.trace_id, span.span_id), line


# ---- 5. misconfiguration ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("variable, value", [
    ("OTEL_EXPORTER_OTLP_ENDPOINT", "localhost:4318"),
    ("OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://127.0.0.1:4318"),
    ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "127.0.0.1:4318/v1/traces"),
    ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
])
def test_a_bad_tracing_setting_stops_start_up_with_78_naming_it(variable, value):
    settings = {variable: value}
    if "ENDPOINT" not in variable:  # the protocol is the only thing wrong
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = f"http://127.0.0.1:{free_port()}"
    server = tracing_server(settings, log_name="tracing-misconfigured")
    try:
        result = subprocess.run([campus_binary(), "serve"], cwd=server.cwd, env=server.env,
                                capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired as running:
        pytest.fail(f"{variable}={value}: `campus serve` was still running after 20 s (killed); stderr: {running.stderr!r}")
    finally:
        server.close()
    assert result.returncode == 78, f"exit {result.returncode}; stderr: {result.stderr[-1500:]}"
    assert variable in result.stderr, f"stderr does not name {variable}: {result.stderr[-1500:]}"


# ---- 6. off unless configured ---------------------------------------------------------------------------------------------
def default_receivers() -> list[OTLPReceiver]:
    """Receivers where an exporter with no endpoint would send (localhost:4318, IPv4 and IPv6), where those
    ports are free; else one on a free port (then only the log lines can show tracing was on)."""
    receivers = []
    for host in ("127.0.0.1", "::1"):
        try:
            receivers.append(OTLPReceiver(host, 4318))
        except OSError:
            pass
    return receivers or [OTLPReceiver()]


@pytest.mark.parametrize("case", ["no endpoint", "OTEL_SDK_DISABLED=true"])
def test_without_an_endpoint_or_with_the_sdk_disabled_nothing_is_exported(case):
    env = {"OTEL_BSP_SCHEDULE_DELAY": "200", "LOG_LEVEL": "info"}
    if case == "no endpoint":
        receivers = default_receivers()
    else:  # an endpoint that works (the receiver's own address), switched off
        receivers = [OTLPReceiver()]
        env.update(OTEL_EXPORTER_OTLP_ENDPOINT=receivers[0].base_url, OTEL_SDK_DISABLED="true")
    try:
        with tracing_server(env, services=BOOKING_PATH, log_name="tracing-off") as campus:
            token = campus.token("student")
            booking = book(campus, token, "Untraced " + secrets.token_hex(4))
            wait_for_notification(campus, token, booking.json()["id"])
            line = wait_for_access_line(campus, booking.headers["X-Request-ID"], "gateway")
            time.sleep(1)  # a bounded window after the delivery for a late export to arrive (not a condition)
            log = campus.log_path.read_text(errors="replace")
        sent = {r.base_url: r.requests() for r in receivers}
        assert all(count == 0 for count in sent.values()), f"{case}: the receivers got requests: {sent}"
        assert "trace_id" not in line and "span_id" not in line, line
        assert "trace_id=" not in log and '"trace_id"' not in log, [l for l in log.splitlines() if "trace_id" in l][:3]
    finally:
        for receiver in receivers:
            receiver.close()


# ---- 7. PostgreSQL -----------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def postgres():
    """DB_* settings of an empty database (support/postgres.py)."""
    with empty_database("campus_tracing") as settings:
        yield settings


def test_on_postgresql_the_booking_s_sql_spans_say_postgresql(postgres):
    with OTLPReceiver() as receiver:
        env = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.base_url, "OTEL_BSP_SCHEDULE_DELAY": "200",
               "DATABASE_TYPE": "postgresql", "DB_POOL_MIN": "1", **postgres}
        with tracing_server(env, services=BOOKING_PATH, log_name="tracing-pg") as campus:
            token = campus.token("student")
            purpose = "PostgreSQL trace " + secrets.token_hex(4)
            booking = book(campus, token, purpose)
            trace = wait_for_trace(receiver, booking.headers["X-Request-ID"], notification_reached)
    booking_span = server_span_of(trace, "booking")
    statements = [s for s in trace if "db.system.name" in s.attributes]
    assert statements, f"no SQL statement span in the booking's trace:\n{listing(trace)}"
    by_id = {s.span_id: s for s in trace}

    def under(span: Span, ancestor: Span) -> bool:
        parent = by_id.get(span.parent_span_id)
        while parent is not None:
            if parent.span_id == ancestor.span_id:
                return True
            parent = by_id.get(parent.parent_span_id)
        return False

    assert any(under(s, booking_span) for s in statements), f"no SQL span under the booking span:\n{listing(trace)}"
    for span in statements:
        assert span.kind == "CLIENT", span.short()
        assert span.attributes["db.system.name"] == "postgresql", span.short()
        assert isinstance(span.attributes.get("db.namespace"), str) and span.attributes["db.namespace"], span.short()
        text = span.attributes.get("db.query.text")
        assert isinstance(text, str) and text.strip() and purpose not in text, span.short()
    assert any(re.search(r"\$\d+", s.attributes["db.query.text"]) for s in statements), listing(statements)
