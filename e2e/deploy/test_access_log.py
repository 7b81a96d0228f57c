"""The access log as an operator's log pipeline reads it (LOG_FORMAT=json, docs/contract.md "Logs").

A `campus serve` with LOG_FORMAT=json and LOG_LEVEL=info gets a few requests through the gateway: a
sign-in, GET /api/rooms with its token and a query string, a 404 for a path that is no route (with a
secret-looking query string), GET /api/rooms with a bad token, and a sign-in with a wrong password.
Then the process is stopped (so every line is written) and its output, standard output and error
together, is read:
  - every line is one JSON object, and every timestamp is UTC with milliseconds;
  - the gateway wrote exactly one access line per request — those and no others — with method,
    route (a route template: no query string, no raw path, no token), status and bytes as sent,
    duration_ms, request_id equal to the X-Request-ID the client got, client_address, and the
    signed-in user's id on the signed-in request only;
  - the request id carries on to the service behind the gateway;
  - no token, password or query string value is anywhere in the log.
Requests go through a plain `requests` session, not the OpenAPI-checked one: its document fetches
would be gateway requests of their own, and the test must know every request the gateway saw.
"""
from __future__ import annotations

import json
import re
import secrets
import time

import jwt
import pytest
import requests

from support.services import distinct_ports
from support.campus import DEFAULT_USERS, CampusServer

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
ACCESS_FIELDS = ("method", "route", "status", "duration_ms", "bytes", "request_id", "client_address")


def is_access_line(entry: dict) -> bool:
    return all(key in entry for key in ("method", "route", "status", "request_id"))


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def logged_by_gateway(text: str) -> set[str]:
    """Request ids of the gateway's access lines so far (lines that are not JSON are skipped here)."""
    ids = set()
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(entry, dict) and is_access_line(entry) and entry.get("service") == "gateway":
            ids.add(entry["request_id"])
    return ids


@pytest.fixture(scope="module")
def logged():
    """(sent, text): the requests sent (name, method, response, expected user id or None) and the log."""
    server = CampusServer(env={"LOG_FORMAT": "json", "LOG_LEVEL": "info"}, log_name="access-log", ports=distinct_ports())
    with server:
        http = requests.Session()
        http.trust_env = False  # loopback only
        gateway = server.gateway
        email, password = DEFAULT_USERS["student"]
        secret_query = "q" + secrets.token_hex(8)
        sent = []

        signed_in = http.post(f"{gateway}/auth/login", json={"email": email, "password": password}, timeout=15)
        assert signed_in.status_code == 200, signed_in.text
        token = signed_in.json()["access_token"]
        user_id = str(jwt.decode(token, options={"verify_signature": False})["sub"])
        sent.append(("sign-in", "POST", signed_in, user_id))

        rooms = http.get(f"{gateway}/api/rooms?limit=2&offset=0", headers={"Authorization": f"Bearer {token}"}, timeout=15)
        assert rooms.status_code == 200, rooms.text
        sent.append(("rooms with a token", "GET", rooms, user_id))

        missing = http.get(f"{gateway}/no-such-page/{secret_query}?token={secret_query}x", timeout=15)
        assert missing.status_code == 404, missing.text
        sent.append(("404", "GET", missing, None))

        bad_token = "not-a-jwt-" + secrets.token_hex(8)
        refused = http.get(f"{gateway}/api/rooms", headers={"Authorization": f"Bearer {bad_token}"}, timeout=15)
        assert refused.status_code == 401, refused.text
        sent.append(("bad token", "GET", refused, None))

        wrong_password = "wrong-" + secrets.token_hex(6)
        failed = http.post(f"{gateway}/auth/login", json={"email": email, "password": wrong_password}, timeout=15)
        assert failed.status_code == 401, failed.text
        sent.append(("failed sign-in", "POST", failed, None))

        # Wait (with a deadline) until the gateway has logged every request, then stop the process so
        # nothing is still buffered when the log is read.
        ids = {response.headers["X-Request-ID"] for _, _, response, _ in sent}
        deadline = time.monotonic() + 20
        while not ids <= logged_by_gateway(server.log_path.read_text(errors="replace")):
            assert time.monotonic() < deadline, f"not every request was logged in 20 s:\n{server.log_tail(30)}"
            time.sleep(0.1)
        server.stop()
        http.close()
        text = server.log_path.read_text(errors="replace")
    yield sent, text, {"token": token, "bad token": bad_token, "query string": secret_query,
                       "password": password, "wrong password": wrong_password}


def entries(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_every_line_is_one_json_object_with_a_millisecond_utc_timestamp(logged):
    _, text, _ = logged
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) > 10, text
    not_json, not_objects, bad_times = [], [], []
    for line in lines:
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            not_json.append(line)
            continue
        if not isinstance(entry, dict):
            not_objects.append(line)
        elif not isinstance(entry.get("timestamp"), str) or not TIMESTAMP.match(entry["timestamp"]):
            bad_times.append(line)
    assert not_json == [], f"{len(not_json)} of {len(lines)} lines are not JSON: {not_json[:5]}"
    assert not_objects == []
    assert bad_times == [], f"timestamps without milliseconds or not UTC: {bad_times[:5]}"
    for entry in entries(text):
        assert entry.get("level") and isinstance(entry.get("message"), str), entry


def test_the_gateway_writes_one_access_line_per_request(logged):
    sent, text, _ = logged
    gateway_lines = [e for e in entries(text) if is_access_line(e) and e.get("service") == "gateway"]
    sent_ids = sorted(response.headers["X-Request-ID"] for _, _, response, _ in sent)
    assert sorted(e["request_id"] for e in gateway_lines) == sent_ids, gateway_lines
    for name, method, response, user_id in sent:
        [line] = [e for e in gateway_lines if e["request_id"] == response.headers["X-Request-ID"]]
        missing = [key for key in ACCESS_FIELDS if key not in line]
        assert missing == [], f"{name}: the access line has no {missing}: {line}"
        assert line["method"] == method, (name, line)
        assert line["status"] == response.status_code and is_number(line["status"]), (name, line)
        assert is_number(line["duration_ms"]) and 0 <= line["duration_ms"] < 15_000, (name, line)
        assert is_number(line["bytes"]) and line["bytes"] == len(response.content), (name, len(response.content), line)
        assert line["client_address"] == "127.0.0.1", (name, line)
        route = line["route"]
        assert isinstance(route, str) and route and "?" not in route and "limit" not in route, (name, line)
        if user_id is None:
            assert line.get("user_id") is None, f"{name}: nobody is signed in, yet user_id is {line.get('user_id')!r}"
        elif name != "sign-in":
            assert str(line.get("user_id")) == user_id, f"{name}: user_id {line.get('user_id')!r}, want {user_id}"
    [rooms_line] = [e for e in gateway_lines if e["request_id"] == sent[1][2].headers["X-Request-ID"]]
    assert "user_id" in rooms_line


def test_routes_are_templates_never_raw_paths(logged):
    sent, text, secret = logged
    for entry in entries(text):
        if is_access_line(entry):
            route = entry["route"]
            assert secret["query string"] not in route and "no-such-page" not in route, entry
            assert "?" not in route, entry
    # The 404 for /no-such-page/<secret> is logged under a name, not under its path.
    _, _, missing, _ = sent[2]
    [line] = [e for e in entries(text) if is_access_line(e) and e["request_id"] == missing.headers["X-Request-ID"]]
    assert line["status"] == 404 and "/no-such-page" not in line["route"], line


def test_the_request_id_follows_the_request_to_the_service_behind(logged):
    sent, text, _ = logged
    _, _, rooms, user_id = sent[1]
    lines = [e for e in entries(text) if is_access_line(e) and e["request_id"] == rooms.headers["X-Request-ID"]]
    by_service = {e.get("service"): e for e in lines}
    assert {"gateway", "booking"} <= set(by_service), lines
    assert by_service["booking"]["route"] == "/rooms" and by_service["booking"]["status"] == 200, lines
    assert str(by_service["booking"].get("user_id")) == user_id, lines


def test_no_secret_reaches_the_log(logged):
    _, text, secret = logged
    leaked = [name for name, value in secret.items() if value in text]
    assert leaked == [], f"the log holds the {leaked}"
