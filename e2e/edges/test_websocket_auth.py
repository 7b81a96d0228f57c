"""WebSocket sign-in (docs/contract.md §9, §11), on maintenance /ws and on the gateway's /api/ws.

- A real upgrade request with a bad `?token=` (garbage, expired, signed with another secret, and on
  the gateway also a signed-out one) is refused with 401 problem+json, not a bare 400 and no
  upgrade; a good token is upgraded (101 with the right Sec-WebSocket-Accept) and gets
  {"type":"ready"}.
- On /api/ws a first message {"type":"auth","token"} with a signed-out token, or the token of a
  deleted account, is closed with 4401: no {"type":"ready"}, no ticket events.
- /api/ws refuses a handshake from a foreign Origin (403, no upgrade) and accepts the gateway's
  own origin, the CORS_ORIGINS ones, and no Origin at all (non-browser clients).

Revocation (POST /auth/logout) is the gateway's (docs/contract.md §3: "later use through the gateway →
401"), so the signed-out token is tried on /api/ws only."""
from __future__ import annotations

import time

import pytest

from edges.harness import CORS_ORIGIN, CUTOFF_SECONDS, POLL_SLACK, Feed, assert_problem, ws_handshake
from support.tokens import mint

BAD_QUERY_TOKENS = [("direct", "garbage"), ("direct", "expired"), ("direct", "other secret"),
                    ("gateway", "garbage"), ("gateway", "expired"), ("gateway", "other secret"), ("gateway", "signed out")]


def bad_token(campus, kind: str) -> str:
    user_id = campus.ids["technician"]
    now = int(time.time())
    if kind == "garbage":
        return "garbage"
    if kind == "expired":
        return mint(campus.secret, user_id, "technician", iat=now - 7200, exp=now - 3600, email="tech@example.com")
    if kind == "other secret":
        return mint("another-secret-" + "x" * 40, user_id, "technician", email="tech@example.com")
    if kind == "signed out":
        account = campus.new_user("technician")
        r = campus.post("gateway", "/auth/logout", account.token)
        assert r.status_code == 204, r.text
        return account.token
    raise AssertionError(kind)


def ws_target(campus, via: str, query: str = "") -> tuple[int, str]:
    return (campus.port("maintenance"), f"/ws{query}") if via == "direct" else (campus.gateway_port, f"/api/ws{query}")


@pytest.mark.parametrize("via, kind", BAD_QUERY_TOKENS, ids=[f"{v}-{k.replace(' ', '-')}" for v, k in BAD_QUERY_TOKENS])
def test_a_bad_query_token_is_refused_with_401_problem_json(campus, via, kind):
    port, target = ws_target(campus, via, f"?token={bad_token(campus, kind)}")
    answer, _ = ws_handshake(port, target)
    assert answer.status_code != 101, f"{kind} token upgraded on {target}"
    assert "Sec-WebSocket-Accept" not in answer.headers
    assert_problem(answer, 401)


def test_a_good_query_token_is_upgraded_and_gets_ready(campus, via):
    port, target = ws_target(campus, via, f"?token={campus.tokens['technician']}")
    answer, accept = ws_handshake(port, target)
    assert answer.status_code == 101, f"{answer.status_code} {answer.text[:200]}"
    assert answer.headers.get("Sec-WebSocket-Accept") == accept, answer.headers
    assert answer.headers.get("Upgrade", "").lower() == "websocket", answer.headers
    with Feed(campus.ws_url(via, f"?token={campus.tokens['technician']}")):
        pass  # Feed asserts that the first message is {"type":"ready"}


# ---- first-message authentication on the gateway ----

def first_message_attempt(campus, token: str, timeout: float = 5) -> Feed:
    """/api/ws without a query token, {"type":"auth","token"} as the first message; returns once the
    socket closed or a first message arrived (the Feed stays open in the second case)."""
    feed = Feed(campus.ws_url("gateway"), first={"type": "auth", "token": token}, expect_ready=False)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not feed.closed.is_set() and not feed.messages:
        time.sleep(0.01)
    return feed


def assert_closed_4401_without_events(campus, token: str) -> None:
    """The first message is refused: close code 4401, and neither ready nor the ticket created
    meanwhile (which a technician would be sent) arrives."""
    feed = Feed(campus.ws_url("gateway"), first={"type": "auth", "token": token}, expect_ready=False)
    try:
        made = campus.new_ticket(title="Ceiling tile hanging loose in corridor")
        code = feed.wait_closed(5)
        kinds = [message.get("type") for message in feed.messages]
        assert code == 4401, f"close code {code}, messages {kinds}"
        assert "ready" not in kinds and not any(str(kind).startswith("ticket.") for kind in kinds), \
            f"messages before the close: {feed.messages} (ticket {made['id']} was created meanwhile)"
    finally:
        feed.close()


def test_first_message_with_a_good_token_gets_ready_and_events(campus):
    feed = first_message_attempt(campus, campus.tokens["technician"])
    try:
        assert feed.messages[:1] == [{"type": "ready"}], f"messages {feed.messages}, close code {feed.close_code}"
        made = campus.new_ticket(title="Weak Wi-Fi in the study room")
        feed.wait_for("ticket.created", made["id"])
    finally:
        feed.close()


def test_first_message_with_a_signed_out_token_is_closed_4401(campus):
    account = campus.new_user("technician")
    assert campus.get("maintenance", "/tickets", account.token, "gateway").status_code == 200
    r = campus.post("gateway", "/auth/logout", account.token)
    assert r.status_code == 204, r.text
    assert_closed_4401_without_events(campus, account.token)


def test_first_message_with_a_deleted_accounts_token_is_closed_4401(campus):
    account = campus.new_user("technician")
    warm = first_message_attempt(campus, account.token)  # the gateway has seen this account in good standing
    try:
        assert warm.messages[:1] == [{"type": "ready"}], f"before the delete: {warm.messages}, close {warm.close_code}"
    finally:
        warm.close()
    r = campus.call("DELETE", "users", f"/users/{account.id}", campus.tokens["admin"], "gateway")
    assert r.status_code == 204, r.text
    deleted_at = time.monotonic()
    # Within a second the account's tokens end (docs/contract.md §11): until then a ready is tolerated.
    refused_after = None
    while time.monotonic() - deleted_at < 2.0:
        attempt = first_message_attempt(campus, account.token)
        refused = attempt.closed.is_set() and not attempt.messages  # closed before any message
        attempt.close()
        if refused:
            refused_after = time.monotonic() - deleted_at
            break
        time.sleep(0.05)
    assert refused_after is not None, "the deleted account's token still got past the first message after 2 s"
    assert refused_after <= CUTOFF_SECONDS + POLL_SLACK, f"refused only {refused_after:.2f} s after the delete"
    assert_closed_4401_without_events(campus, account.token)


# ---- Origin ----

def origin_answer(campus, origin: str | None, with_query_token: bool = True, host: str | None = None) -> int:
    query = f"?token={campus.tokens['technician']}" if with_query_token else ""
    extra = {"Origin": origin} if origin is not None else {}
    if host is not None:
        extra["Host"] = host
    answer, accept = ws_handshake(campus.gateway_port, f"/api/ws{query}", extra)
    if answer.status_code == 101:
        assert answer.headers.get("Sec-WebSocket-Accept") == accept
    return answer.status_code


@pytest.mark.parametrize("origin", ["https://evil.example", "http://evil.example", "null",
                                    "http://127.0.0.1.evil.example"])
def test_a_foreign_origin_is_refused_on_api_ws(campus, origin):
    for with_query_token in (True, False):
        status = origin_answer(campus, origin, with_query_token)
        assert status == 403, f"Origin {origin} ({'query token' if with_query_token else 'first-message'}): {status}"


def test_own_cors_and_absent_origins_are_accepted_on_api_ws(campus):
    port = campus.gateway_port
    # The page's own origin, as a browser on it sends it (Host names the same host and port).
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        assert origin_answer(campus, f"http://{host}", host=host) == 101, f"own Origin http://{host} refused"
    for origin in (CORS_ORIGIN, None):
        assert origin_answer(campus, origin) == 101, f"Origin {origin} refused"
    with Feed(campus.ws_url("gateway", f"?token={campus.tokens['technician']}"), origin=f"http://127.0.0.1:{port}") as feed:
        made = campus.new_ticket(title="Squeaky door to the seminar room")
        feed.wait_for("ticket.created", made["id"])


# ---- an open socket ends with its token ----

@pytest.mark.parametrize("how", ["query", "first-message"])
@pytest.mark.parametrize("ending", ["sign-out", "delete", "demote"])
def test_an_open_gateway_socket_gets_no_event_after_its_token_ends(campus, how, ending):
    """A socket opened while the token counted is closed with 4401 at the next event once the
    token ends (sign-out, deletion, demotion), and that event — another person's ticket — never
    reaches it."""
    account = campus.new_user("technician")
    if how == "query":
        feed = Feed(campus.ws_url("gateway", f"?token={account.token}"))
    else:
        feed = Feed(campus.ws_url("gateway"), first={"type": "auth", "token": account.token})
    try:
        seen = campus.new_ticket(title="Radiator cold in the reading room")
        feed.wait_for("ticket.created", seen["id"])
        if ending == "sign-out":
            r = campus.post("gateway", "/auth/logout", account.token)
            assert r.status_code == 204, r.text
        elif ending == "delete":
            r = campus.call("DELETE", "users", f"/users/{account.id}", campus.tokens["admin"], "gateway")
            assert r.status_code == 204, r.text
        else:
            r = campus.call("PUT", "users", f"/users/{account.id}", campus.tokens["admin"], "gateway", json={"role": "student"})
            assert r.status_code == 200, r.text
        # Past the gateway's memory of the account (half a second), the next event ends the socket.
        deadline = time.monotonic() + 10
        secret = None
        while not feed.closed.is_set() and time.monotonic() < deadline:
            secret = campus.new_ticket(title="Exam papers room: lock broken")
            feed.closed.wait(0.3)
        code = feed.wait_closed(1)
        assert code == 4401, f"close code {code}"
        late = [m for m in feed.messages if isinstance(m.get("ticket"), dict) and secret and m["ticket"].get("id") == secret["id"]]
        assert late == [], f"the event that found the token ended was relayed: {late}"
    finally:
        feed.close()


def test_a_socket_that_never_authenticates_is_closed(campus):
    feed = Feed(campus.ws_url("gateway"), expect_ready=False)
    try:
        code = feed.wait_closed(20)
        assert code == 4401, f"close code {code}"
        assert feed.messages == [], feed.messages
    finally:
        feed.close()
