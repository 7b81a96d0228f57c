"""TRUSTED_PROXIES through the real nginx of deploy/nginx/campus.conf.template (which sets
`X-Forwarded-For: $proxy_add_x_forwarded_for`): a gateway of its own (`TRUSTED_PROXIES=127.0.0.1/32`,
a small `LOGIN_RATE_PER_MINUTE`) on the cluster's services and database, behind an nginx of its
own, so the other scale-out tests keep their generous limit.

Clients are told apart by the source address of their sockets (127.0.0.2, 127.0.0.3, ... — all
loopback): through nginx each one gets its own sign-in limit and is audited under its own address
(`GET /api/status`, `recent_logins[].client_address`); straight to the gateway (an untrusted peer),
forged `X-Forwarded-For` / `Forwarded` headers change nothing. A bad TRUSTED_PROXIES value stops
start-up naming the variable.

Every exchange goes through a session checked against the documents (cluster.checker)."""
from __future__ import annotations

import ipaddress
import itertools
import re
import secrets
import subprocess
import time

import pytest
from requests.adapters import HTTPAdapter

from support.campus import ROOT, campus_binary
from support.problems import assert_problem
from support.openapi_check import ValidatedSession
from support.services import PORT_VARIABLE, answers_200, free_port

LIMIT = 4                   # LOGIN_RATE_PER_MINUTE of the gateway under test
MAX_ATTEMPTS = 3 * LIMIT    # a limited client is refused well before this (even across a window's edge)
PASSWORD = "trusted-proxy-password"
CLIENT_A, CLIENT_B, CLIENT_D = "127.0.0.2", "127.0.0.3", "127.0.0.4"


class SourceAddressAdapter(HTTPAdapter):
    """Connections whose source address is `source` (any 127.x.y.z reaches 127.0.0.1 on Linux)."""

    def __init__(self, source: str, **kwargs):
        self.source = source
        super().__init__(**kwargs)

    def init_poolmanager(self, connections, maxsize, block=False, **pool_kwargs):
        pool_kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(connections, maxsize, block=block, **pool_kwargs)


def client(cluster, source: str | None = None) -> ValidatedSession:
    """A checked session; its connections come from `source` when given (else 127.0.0.1)."""
    session = cluster.session()
    if source:
        adapter = SourceAddressAdapter(source)
        session.mount("http://", adapter)
    return session


class Setup:
    def __init__(self, cluster):
        self.cluster = cluster
        self.gateway = cluster.add_gateway("gateway-trusting", {
            "TRUSTED_PROXIES": "127.0.0.1/32", "LOGIN_RATE_PER_MINUTE": str(LIMIT), "LOG_LEVEL": "info"})
        self.front, self.nginx = cluster.add_front("nginx-trusting", self.gateway)
        self.direct = self.gateway.url
        # The admin signs in on the cluster's own front (its generous limit), never on the gateway under test.
        self.admin = cluster.login("admin@example.com", "admin123")

    def new_account(self, name: str) -> str:
        """A student account of its own, so its audit lines are told apart by email."""
        email = f"tp-{name}-{secrets.token_hex(4)}@example.com"
        with self.cluster.session() as session:
            r = session.post(self.cluster.front + "/api/users", headers={"Authorization": f"Bearer {self.admin}"},
                             json={"email": email, "name": f"Proxy test {name}", "password": PASSWORD, "role": "student"},
                             timeout=15)
        assert r.status_code == 201, r.text
        return email

    def audit(self, email: str) -> list[dict]:
        """The admin's view of the sign-in audit (GET /api/status), the lines of `email`."""
        with self.cluster.session() as session:
            r = session.get(self.cluster.front + "/api/status", headers={"Authorization": f"Bearer {self.admin}"}, timeout=15)
        assert r.status_code == 200, r.text
        lines = r.json()["recent_logins"]
        return [line for line in lines if str(line.get("email", "")).lower() == email.lower()]


@pytest.fixture(scope="module")
def setup(cluster):
    setup = Setup(cluster)
    try:
        yield setup
    finally:  # not left running for the suites after this module (the cluster itself lives on)
        setup.gateway.stop()
        cluster.stop_nginx(setup.nginx)


def login(session, base: str, email: str, headers: dict | None = None):
    return session.post(base + "/auth/login", json={"email": email, "password": PASSWORD},
                        headers=headers or {}, timeout=15)


def until_refused(attempt, what: str) -> tuple[int, object]:
    """Calls `attempt(i)` until it answers 429; returns (answers before it that were 200, the 429).
    Fails when anything else than 200 or 429 comes back, or no 429 within MAX_ATTEMPTS."""
    accepted = 0
    for i in range(MAX_ATTEMPTS):
        r = attempt(i)
        if r.status_code == 429:
            return accepted, r
        assert r.status_code == 200, f"{what}: attempt {i + 1} answered {r.status_code}: {r.text[:300]}"
        accepted += 1
    raise AssertionError(f"{what}: {MAX_ATTEMPTS} sign-ins in a row were all accepted; "
                         f"LOGIN_RATE_PER_MINUTE={LIMIT} should have refused one with 429")


def assert_rate_limited(response) -> int:
    """A 429 problem+json with a positive Retry-After; returns Retry-After."""
    assert_problem(response, 429)
    retry_after = response.headers.get("Retry-After", "")
    assert retry_after.isdigit() and int(retry_after) > 0, f"Retry-After {retry_after!r}"
    return int(retry_after)


def addresses(lines: list[dict]) -> list:
    return [line.get("client_address", "<no client_address>") for line in lines]


def same_address(value, expected: str) -> bool:
    try:
        return ipaddress.ip_address(str(value).strip("[]")) == ipaddress.ip_address(expected)
    except ValueError:
        return False


def wait_for_audit(setup: Setup, email: str, count: int, timeout: float = 10) -> list[dict]:
    """The audit lines of `email` once there are at least `count` (the audit is written as the sign-in is answered)."""
    deadline = time.monotonic() + timeout
    while True:
        lines = setup.audit(email)
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.2)


def logged(setup: Setup, response, timeout: float = 10) -> str:
    """The gateway's log line about `response` (the one carrying its request id): the rate-limit warning."""
    request_id = response.headers.get("X-Request-ID", "")
    assert request_id, response.headers
    deadline = time.monotonic() + timeout
    while True:
        lines = [line for line in setup.gateway.log_path.read_text(errors="replace").splitlines() if request_id in line]
        if lines or time.monotonic() > deadline:
            assert lines, f"no line of the gateway's log carries request id {request_id}: {setup.gateway.log_tail(10)}"
            return "\n".join(lines)
        time.sleep(0.2)


def logs_client(lines: str, address: str) -> bool:
    """Every `client_address` in the log lines (text `client_address=…` or JSON `"client_address":"…"`) is `address`."""
    found = re.findall(r"""client_address["']?\s*[=:]\s*["']?([0-9A-Fa-f.:]+)""", lines)
    return bool(found) and all(same_address(value, address) for value in found)


def test_each_client_behind_nginx_has_its_own_sign_in_limit_and_is_audited_under_its_address(setup):
    email_a, email_b = setup.new_account("a"), setup.new_account("b")
    with client(setup.cluster, CLIENT_A) as a, client(setup.cluster, CLIENT_B) as b:
        # 127.0.0.2 spends its limit through nginx …
        accepted_a, refused = until_refused(lambda i: login(a, setup.front, email_a), "127.0.0.2 through nginx")
        refused_at = time.monotonic()
        assert 1 <= accepted_a <= 2 * LIMIT, accepted_a
        retry_after = assert_rate_limited(refused)
        # … while 127.0.0.3, behind the same nginx (same TCP peer of the gateway), is answered normally.
        r = login(b, setup.front, email_b)
        assert r.status_code == 200, (
            f"127.0.0.3 through nginx answered {r.status_code} right after 127.0.0.2 spent its limit: the limit "
            f"is shared by everyone behind the trusted proxy: {r.text[:300]}")
        assert r.json()["user"]["email"] == email_b
        # Still refused for 127.0.0.2, as long as its Retry-After has not passed.
        again = login(a, setup.front, email_a)
        if time.monotonic() - refused_at < retry_after - 1:
            assert again.status_code == 429, f"127.0.0.2 answered {again.status_code} within its Retry-After"
    lines_a = wait_for_audit(setup, email_a, accepted_a)
    lines_b = wait_for_audit(setup, email_b, 1)
    assert lines_a, "no audit line for 127.0.0.2's sign-ins"
    assert lines_b, "no audit line for 127.0.0.3's sign-in"
    assert all(same_address(line.get("client_address"), CLIENT_A) for line in lines_a), addresses(lines_a)
    assert all(same_address(line.get("client_address"), CLIENT_B) for line in lines_b), addresses(lines_b)
    # The log says who was refused.
    line = logged(setup, refused)
    assert logs_client(line, CLIENT_A), f"the gateway's log of the refusal does not name 127.0.0.2: {line}"


def test_forged_forwarding_headers_straight_to_the_gateway_change_nothing(setup):
    email = setup.new_account("d")
    forged = itertools.count(1)

    def forged_headers(i: int) -> dict:
        n = next(forged)
        if i % 2:
            return {"Forwarded": f"for=198.51.100.{n}"}
        return {"X-Forwarded-For": f"198.51.100.{n}, 127.0.0.{100 + n}"}

    with client(setup.cluster, CLIENT_D) as d:
        # Through nginx first, with a forged X-Forwarded-For of its own: nginx appends the real peer
        # (127.0.0.4), the right-most address that is not a trusted proxy, so that is the client.
        r = login(d, setup.front, email, headers={"X-Forwarded-For": "198.51.100.250"})
        assert r.status_code == 200, r.text
        through_nginx = wait_for_audit(setup, email, 1)
        assert through_nginx and all(same_address(line.get("client_address"), CLIENT_D) for line in through_nginx), (
            f"a sign-in of 127.0.0.4 through nginx with a forged X-Forwarded-For is audited as {addresses(through_nginx)}")
        # Straight to the gateway (127.0.0.4 is no trusted proxy): a new forged address every time,
        # and the limit still comes, as 127.0.0.4's.
        accepted, refused = until_refused(lambda i: login(d, setup.direct, email, headers=forged_headers(i)),
                                          "127.0.0.4 straight to the gateway with forged headers")
        assert accepted <= 2 * LIMIT, accepted
        assert_rate_limited(refused)
    lines = wait_for_audit(setup, email, 1 + accepted)
    assert len(lines) >= 1 + accepted, lines
    assert all(same_address(line.get("client_address"), CLIENT_D) for line in lines), addresses(lines)
    assert not any("198.51.100." in str(line) for line in lines), lines
    line = logged(setup, refused)
    assert logs_client(line, CLIENT_D) and "198.51.100." not in line, line


def test_the_trusted_proxy_chain_is_walked_from_the_right(setup):
    """127.0.0.1 (the test's own address, and a trusted proxy) speaks for its clients straight to the gateway:
    X-Forwarded-For and RFC 7239 Forwarded, trusted hops skipped from the right, IPv6 included."""
    cases = [
        ({"X-Forwarded-For": "198.51.100.20, 127.0.0.1"}, "198.51.100.20"),
        ({"X-Forwarded-For": "203.0.113.9, 198.51.100.21"}, "198.51.100.21"),
        ({"Forwarded": 'for=198.51.100.22;proto=http, for="127.0.0.1"'}, "198.51.100.22"),
        ({"Forwarded": 'for="[2001:db8::22]:4711"'}, "2001:db8::22"),
    ]
    with client(setup.cluster) as session:
        for headers, expected in cases:
            email = setup.new_account("chain")
            r = login(session, setup.direct, email, headers=headers)
            assert r.status_code == 200, (headers, r.status_code, r.text[:300])
            lines = wait_for_audit(setup, email, 1)
            assert lines and all(same_address(line.get("client_address"), expected) for line in lines), (
                f"{headers}: audited as {addresses(lines)}, expected {expected}")


@pytest.mark.parametrize("value", ["10.0.0.0/99", "not-an-address", "127.0.0.1/33", "::1/129", "127.0.0.1,,10.0.0.300"])
def test_a_bad_trusted_proxies_value_stops_start_up_naming_it(cluster, tmp_path, value):
    port = free_port()
    env = {**cluster.instances["gateway"].env, PORT_VARIABLE["gateway"]: str(port), "TRUSTED_PROXIES": value}
    log = tmp_path / "gateway.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([campus_binary(), "serve", "gateway"], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            assert not answers_200(port, "/health", 0.5), \
                f"TRUSTED_PROXIES={value!r}: the gateway started and serves: {log.read_text(errors='replace')[-800:]}"
            time.sleep(0.2)
        assert process.poll() is not None, f"TRUSTED_PROXIES={value!r}: still running after 60 s"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    output = log.read_text(errors="replace")
    assert process.returncode != 0, output
    assert "TRUSTED_PROXIES" in output, f"start-up stopped without naming TRUSTED_PROXIES: {output[-800:]}"
