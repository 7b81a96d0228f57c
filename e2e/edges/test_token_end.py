"""Access ends with the account (docs/contract.md §11): deleting a technician, demoting them to student, or
their own password change ends every token issued before, through the gateway, within a second:
the old token's PATCH /api/tickets/{id} and POST /api/tickets/{id}/comments get 401 (the first 401
arrives within a second of the change's answer, and it stays 401). A token issued after a password
change or a demotion works (with the new role's powers).

Once on each backend against one `campus serve`, and once on PostgreSQL with nginx in front of two
gateway replicas: the change is made through replica A, the old token is then tried through nginx,
which alternates between the replicas, until both have answered 401.

Before every change both probes succeed on every replica, so each gateway has seen the account in
good standing (anything it remembers about it is the stale, pre-change state). Last, an account made
after a delete (on SQLite it may get the deleted one's id) must work, and must not revive the old
token."""
from __future__ import annotations

import secrets
import time

import pytest
import requests

from edges.cluster import EdgesCluster
from edges.harness import CUTOFF_SECONDS, PASSWORD, POLL_SLACK
from support.openapi_check import ContractChecker, ValidatedSession

CHANGES = ("delete", "demote", "password")
DEADLINE = 2.0          # how long the old token is tried after the change
OBSERVE_NEW = 1.5       # how long a token issued after the change is watched (past any one-second memory)


class Entry:
    """How requests reach the gateway: `probe` is where the old token is tried (the gateway, or
    nginx in front of both replicas), `change` where the change is made (the gateway, or replica A).
    Each answer is labelled with the replica that gave it. Every exchange is checked against the
    documents by `checker` (support/openapi_check.py)."""

    def __init__(self, probe: str, change: str, checker: ContractChecker, replicas: set[str] | None = None):
        self.probe, self.change, self.replicas = probe, change, replicas or {"gateway"}
        self.session = ValidatedSession(checker=checker)
        self.session.trust_env = False

    def call(self, method: str, path: str, token: str | None = None, base: str | None = None, **kwargs):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        r = self.session.request(method, (base or self.probe) + path, headers=headers, timeout=15, **kwargs)
        label = r.headers.get("X-Edges-Upstream", "gateway") if self.replicas != {"gateway"} else "gateway"
        return r, label

    def login(self, email: str, password: str) -> requests.Response:
        return self.call("POST", "/auth/login", json={"email": email, "password": password})[0]

    def token(self, email: str, password: str) -> str:
        r = self.login(email, password)
        assert r.status_code == 200, f"login {email}: {r.status_code} {r.text[:200]}"
        return r.json()["access_token"]


def probes_for(entry: Entry, ticket_id: int, token: str) -> dict:
    return {
        "PATCH /api/tickets/{id}": lambda: entry.call("PATCH", f"/api/tickets/{ticket_id}", token, json={"priority": "P2"}),
        "POST /api/tickets/{id}/comments": lambda: entry.call("POST", f"/api/tickets/{ticket_id}/comments", token, json={"body": "on my way"}),
    }


def each_replica_answers(entry: Entry, probes: dict, expect: set[int], attempts: int = 12) -> None:
    """Every probe answers one of `expect` on every replica (nginx alternates; at most `attempts` tries each)."""
    for name, probe in probes.items():
        seen: dict[str, int] = {}
        for _ in range(attempts):
            r, label = probe()
            assert r.status_code in expect, f"{name} via {label}: {r.status_code} {r.text[:200]}"
            seen[label] = r.status_code
            if set(seen) == entry.replicas:
                break
        assert set(seen) == entry.replicas, f"{name}: answered only by {sorted(seen)}, expected {sorted(entry.replicas)}"


def first_401s(entry: Entry, probes: dict, since: float) -> dict:
    """Tries every probe in turn until each has answered 401 on every replica, or DEADLINE seconds
    after `since`. Returns (probe, replica) → seconds from `since` to its first 401 (None: never);
    checks that after its first 401 a (probe, replica) never answered anything else."""
    first = {(name, label): None for name in probes for label in entry.replicas}
    later: dict = {key: [] for key in first}
    order = list(probes.items())
    while time.monotonic() - since < DEADLINE and any(value is None for value in first.values()):
        # nginx alternates between the replicas: reversing the order every round sends each probe
        # to both of them instead of always the same one.
        order.reverse()
        for name, probe in order:
            r, label = probe()
            elapsed = time.monotonic() - since
            key = (name, label)
            assert key in first, f"{name}: answered by unknown upstream {label}"
            if first[key] is None:
                if r.status_code == 401:
                    first[key] = elapsed
            else:
                later[key].append(r.status_code)
        time.sleep(0.02)
    for key, statuses in later.items():
        assert all(status == 401 for status in statuses), f"{key}: 401 and then {statuses}"
    return first


def run(entry: Entry, change: str, admin: str, student: str) -> None:
    email = f"ends-{change}-{secrets.token_hex(4)}@example.com"
    r, _ = entry.call("POST", "/api/users", admin, json={"email": email, "name": "Terry Temporary", "password": PASSWORD, "role": "technician"})
    assert r.status_code == 201, r.text
    user_id = r.json()["id"]
    token = entry.token(email, PASSWORD)
    r, _ = entry.call("POST", "/api/tickets", student, json={"title": "Door sticks at the library entrance", "description": "d", "location": "Library"})
    assert r.status_code == 201, r.text
    ticket_id = r.json()["id"]
    old = probes_for(entry, ticket_id, token)
    each_replica_answers(entry, {k: v for k, v in old.items() if k.startswith("PATCH")}, {200})
    each_replica_answers(entry, {k: v for k, v in old.items() if k.startswith("POST")}, {201})

    new_password = "a-brand-new-password"
    if change == "delete":
        r, _ = entry.call("DELETE", f"/api/users/{user_id}", admin, base=entry.change)
        assert r.status_code == 204, r.text
    elif change == "demote":
        r, _ = entry.call("PUT", f"/api/users/{user_id}", admin, base=entry.change, json={"role": "student"})
        assert r.status_code == 200 and r.json()["role"] == "student", r.text
    else:
        r, _ = entry.call("PUT", f"/api/users/{user_id}", token, base=entry.change, json={"password": new_password, "current_password": PASSWORD})
        assert r.status_code == 200, r.text
    changed_at = time.monotonic()

    first = first_401s(entry, old, changed_at)
    never = [key for key, value in first.items() if value is None]
    assert not never, f"after {change}: still not 401 {DEADLINE} s later: {never} (first 401s: {first})"
    late = {key: round(value, 2) for key, value in first.items() if value > CUTOFF_SECONDS + POLL_SLACK}
    assert not late, f"after {change}: first 401 later than {CUTOFF_SECONDS} s: {late}"

    if change == "delete":
        assert entry.login(email, PASSWORD).status_code == 401
    elif change == "demote":
        fresh = entry.token(email, PASSWORD)
        r, _ = entry.call("GET", "/auth/me", fresh)
        assert r.status_code == 200 and r.json()["role"] == "student", r.text
        r, _ = entry.call("PATCH", f"/api/tickets/{ticket_id}", fresh, json={"priority": "P1"})
        assert r.status_code in (403, 404), f"a student's PATCH of someone else's ticket: {r.status_code} {r.text[:200]}"
    else:
        assert entry.login(email, PASSWORD).status_code == 401, "the old password still signs in"
        fresh = entry.token(email, new_password)  # issued right after the change: must be accepted
        started = time.monotonic()
        new = probes_for(entry, ticket_id, fresh)
        seen: set[str] = set()
        while time.monotonic() - started < OBSERVE_NEW:
            for name, probe in new.items():
                r, label = probe()
                assert r.status_code in (200, 201), f"token issued after the change: {name} via {label}: {r.status_code} {r.text[:200]}"
                seen.add(label)
            time.sleep(0.05)
        assert seen == entry.replicas, seen


@pytest.mark.parametrize("change", CHANGES)
def test_old_tokens_end_within_a_second_through_the_gateway(campus, change):
    url = f"http://127.0.0.1:{campus.gateway_port}"
    run(Entry(url, url, campus.session.checker), change, campus.tokens["admin"], campus.tokens["student"])


@pytest.fixture(scope="module")
def cluster():
    cluster = EdgesCluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.close()


@pytest.mark.parametrize("change", CHANGES)
def test_old_tokens_end_on_both_gateway_replicas_behind_nginx(cluster, change):
    entry = Entry(cluster.front, f"http://127.0.0.1:{cluster.ports['gateway-a']}", cluster.checker, set(cluster.replicas.values()))
    admin = entry.token("admin@example.com", "admin123")
    student = entry.token("student@example.com", "student123")
    run(entry, change, admin, student)


def test_an_account_made_after_a_delete_neither_inherits_nor_revives_old_tokens(campus):
    """The next account may get the deleted one's id (SQLite reuses the highest rowid): its own token
    must work, and the deleted account's old token must stay ended (its `sub` now names someone else)."""
    url = f"http://127.0.0.1:{campus.gateway_port}"
    entry, admin = Entry(url, url, campus.session.checker), campus.tokens["admin"]
    gone = campus.new_user("technician", prefix="gone")
    ticket = campus.new_ticket()
    old = probes_for(entry, ticket["id"], gone.token)
    each_replica_answers(entry, old, {200, 201})
    r, _ = entry.call("DELETE", f"/api/users/{gone.id}", admin)
    assert r.status_code == 204, r.text
    first = first_401s(entry, old, time.monotonic())
    assert all(value is not None for value in first.values()), f"the deleted account's token still works: {first}"
    successor = campus.new_user("technician", prefix="next")
    new = probes_for(entry, ticket["id"], successor.token)
    for name, probe in new.items():
        r, _ = probe()
        assert r.status_code in (200, 201), f"new account {successor.id} (deleted one was {gone.id}): {name}: {r.status_code} {r.text[:200]}"
    for name, probe in old.items():
        r, _ = probe()
        assert r.status_code == 401, f"deleted account {gone.id}'s old token after account {successor.id} was made: {name}: {r.status_code}"
