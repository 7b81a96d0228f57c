"""The list rules of docs/contract.md §2 (and §11: "every list endpoint follows §2's list rules, comments
included"), checked on every list route the documents declare — every GET whose 200 answer is a JSON
array — directly and through the gateway:

  - `limit` defaults to 50; above 200 it is clamped to 200;
  - `limit` or `offset` negative or not a number -> 422 problem+json whose `detail` names the parameter;
  - `X-Total-Count` is a non-negative integer, the same on every page, and the number of items across pages.

Path parameters are filled with ids the suite made (a route it cannot fill fails; it is never
skipped). The only routes left out are in UNPAGED below, each with the contract's own words.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

import pytest

from support.services import SERVICES
from support.openapi_check import ContractChecker, ContractViolation, ValidatedSession

from contract_support import fill_path, is_array_schema, operations, resolve, via_target

# The routes the contract itself says are not paged, with its words. Nothing else may be missing here.
UNPAGED = {
    ("maintenance", "/tickets/room-health"):
        'docs/contract.md §9: "GET /tickets/room-health (any signed-in user) -> [{room_id, open_tickets, highest_priority, out_of_order}] '
        'for rooms with tickets in open, in_progress or waiting_on_reporter; not paged."',
}
# The list routes docs/contract.md §2, §5, §6, §8, §9 and §11 name: the documents must declare each as a JSON array.
NAMED_LISTS = {("users", "/users"), ("booking", "/rooms"), ("booking", "/bookings"), ("notification", "/notifications"),
               ("maintenance", "/tickets"), ("maintenance", "/tickets/{id}/comments")}
DEFAULT_PAGE, MAX_PAGE = 50, 200
BAD_VALUES = (("limit", "abc"), ("limit", "-1"), ("offset", "x"), ("offset", "-1"))
OVER_MAX = (201, 1000)
COUNT = re.compile(r"^[0-9]+$")


@dataclass
class ListRoute:
    service: str
    template: str
    path: str = ""
    role: str = ""
    token: str = ""
    size: int = -1                 # the largest list among the roles that may read it (at most 200 seen)
    problems: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.service} GET {self.template}"

    def targets(self) -> list[tuple[str, str, str]]:
        """(via, service to call, path there): the service itself and, where it routes it, the gateway."""
        found = [("direct", self.service, self.path)]
        if self.service != "gateway":
            try:
                found.append(("gateway", *via_target("gateway", self.service, self.path)))
            except AssertionError:
                pass
        return found


def discover(server, world) -> list[ListRoute]:
    checker = ContractChecker.for_server(server)
    routes = []
    for service in SERVICES:
        document = checker.document(service)
        for path, method, operation, _ in operations(document):
            if method != "get":
                continue
            ok = resolve(document, (operation.get("responses") or {}).get("200", {}))
            media = (ok.get("content") or {}).get("application/json")
            if media and is_array_schema(media.get("schema")):
                routes.append(ListRoute(service, path))
    for route in routes:
        route.path, missing = fill_path(route.template, world.path_ids)
        if missing:
            route.problems.append(f"cannot fill {', '.join(missing)}: the walker knows ids for {sorted(world.path_ids)}")
            continue
        statuses = {}
        for role, token in world.list_tokens.items():
            r = server.get(route.service, route.path, token=token, params={"limit": MAX_PAGE})
            statuses[role] = r.status_code
            if r.status_code == 200 and isinstance(r.json(), list):
                size = int(r.headers["X-Total-Count"]) if COUNT.match(r.headers.get("X-Total-Count", "")) else len(r.json())
                if size > route.size:
                    route.role, route.token, route.size = role, token, size
        if not route.token:
            route.problems.append(f"no role reads it with a 200 JSON array: {statuses}")
    return routes


@pytest.fixture(scope="session")
def list_routes(campus_server, world) -> list[ListRoute]:
    return discover(campus_server, world)


@pytest.fixture(scope="session")
def paged_routes(list_routes) -> list[ListRoute]:
    return [route for route in list_routes if (route.service, route.template) not in UNPAGED and not route.problems]


@pytest.fixture
def session(campus_server):
    # Documents are checked on every exchange; the id rule is left to the exchange tests.
    with ValidatedSession(campus_server, check_ids=False) as s:
        yield s


def get(session, target: str, path: str, token: str, params: dict | None = None, strict: bool = True):
    return session.call("GET", target, path, token=token, params=params or {}, validate_request=strict)


def identity(item) -> str:
    return json.dumps(item, sort_keys=True) if not (isinstance(item, dict) and "id" in item) else f"id={item['id']}"


def report(failures: list[str], what: str) -> None:
    assert not failures, f"{len(failures)} list-rule failures ({what}):\n" + "\n".join(failures)


# ---- the walk itself ----------------------------------------------------------------------------------
def test_the_documents_declare_the_lists_the_contract_names(list_routes):
    found = {(route.service, route.template) for route in list_routes}
    missing = sorted(NAMED_LISTS - found)
    assert not missing, f"no GET with a JSON-array 200 answer in the documents for {missing}; found {sorted(found)}"
    stale = sorted(set(UNPAGED) - found)
    assert not stale, f"UNPAGED names routes that are not list routes of the documents: {stale}"


def test_every_list_route_can_be_walked(list_routes):
    failures = [f"{route.name}: {problem}" for route in list_routes for problem in route.problems]
    report(failures, "routes the walker cannot call")
    assert len(list_routes) >= len(NAMED_LISTS)


def test_list_routes_document_limit_offset_and_total(campus_server, paged_routes):
    checker = ContractChecker.for_server(campus_server)
    failures = []
    for route in paged_routes:
        document = checker.document(route.service)
        item = document["paths"][route.template]
        parameters = [resolve(document, p) for p in item.get("parameters", []) + item["get"].get("parameters", [])]
        names = {p.get("name") for p in parameters if p.get("in") == "query"}
        for wanted in ("limit", "offset"):
            if wanted not in names:
                failures.append(f"{route.name}: the document declares no `{wanted}` query parameter")
        headers = {name.lower() for name in (resolve(document, item["get"]["responses"]["200"]).get("headers") or {})}
        if "x-total-count" not in headers:
            failures.append(f"{route.name}: the document's 200 answer declares no X-Total-Count header")
    report(failures, "documents")


def test_default_limit_is_50_and_limit_is_honoured(session, paged_routes):
    failures = []
    for route in paged_routes:
        for via, target, path in route.targets():
            where = f"{route.name} via {via} ({path}) as {route.role}"
            try:
                unbounded = len(get(session, target, path, route.token, {"limit": MAX_PAGE}).json())
                total = route.size if route.size > MAX_PAGE else unbounded
                plain = get(session, target, path, route.token).json()
                if len(plain) != min(total, DEFAULT_PAGE):
                    failures.append(f"{where}: no limit gave {len(plain)} items, wanted {min(total, DEFAULT_PAGE)} "
                                    f"(default page 50; {total} in all)")
                for limit in (1, 7):
                    page = get(session, target, path, route.token, {"limit": limit}).json()
                    if len(page) != min(total, limit):
                        failures.append(f"{where}: limit={limit} gave {len(page)} items, wanted {min(total, limit)}")
                if total == 0:
                    failures.append(f"{where}: the list is empty; the walker must make rows for it")
            except ContractViolation as violation:
                failures.append(f"{where}: {violation}")
    report(failures, "default page of 50, limit honoured")


def test_limit_above_200_is_clamped_to_200(session, paged_routes):
    failures = []
    over = [route for route in paged_routes if route.size > MAX_PAGE]
    if not over:
        failures.append("no list has more than 200 rows: the walker must make them (notifications, comments)")
    for route in paged_routes:
        for via, target, path in route.targets():
            where = f"{route.name} via {via} ({path}) as {route.role}"
            for limit in OVER_MAX:
                try:
                    r = get(session, target, path, route.token, {"limit": limit})
                except ContractViolation as violation:
                    failures.append(f"{where}: limit={limit}: {violation}")
                    continue
                if r.status_code != 200:
                    failures.append(f"{where}: limit={limit} -> {r.status_code}, wanted 200 (clamped): {r.text[:200]}")
                elif len(r.json()) != min(route.size, MAX_PAGE):
                    failures.append(f"{where}: limit={limit} gave {len(r.json())} items, wanted {min(route.size, MAX_PAGE)} "
                                    f"({route.size} in all; clamped to 200)")
    report(failures, "limit above 200 clamped")


def test_bad_limit_and_offset_are_422_naming_the_parameter(session, paged_routes):
    failures = []
    for route in paged_routes:
        for via, target, path in route.targets():
            for name, value in BAD_VALUES:
                where = f"{route.name} via {via} ({path}?{name}={value})"
                try:
                    r = get(session, target, path, route.token, {name: value}, strict=False)
                except ContractViolation as violation:
                    failures.append(f"{where}: {violation}")
                    continue
                content_type = r.headers.get("Content-Type", "")
                if r.status_code != 422 or not content_type.startswith("application/problem+json"):
                    failures.append(f"{where} -> {r.status_code} {content_type}, wanted 422 problem+json: {r.text[:160]}")
                    continue
                detail = r.json().get("detail", "")
                if name not in detail:
                    failures.append(f"{where}: detail {detail!r} does not name {name}")
    report(failures, "bad limit/offset")


def walk_pages(session, target: str, path: str, token: str, page: int) -> tuple[list, set[str], int]:
    """Pages of `page` items until a short one: (items, X-Total-Count values seen, requests made)."""
    items, totals, offset, made = [], set(), 0, 0
    while True:
        r = get(session, target, path, token, {"limit": page, "offset": offset})
        made += 1
        totals.add(r.headers.get("X-Total-Count", "(none)"))
        chunk = r.json()
        items += chunk
        if len(chunk) < page or made > 40:
            return items, totals, made
        offset += page


def test_total_count_is_the_total_across_pages(session, paged_routes):
    failures = []
    for route in paged_routes:
        for via, target, path in route.targets():
            where = f"{route.name} via {via} ({path}) as {route.role}"
            try:
                header = get(session, target, path, route.token).headers.get("X-Total-Count")
                if header is None or not COUNT.match(header):
                    failures.append(f"{where}: X-Total-Count is {header!r}, not a non-negative integer")
                    continue
                total = int(header)
                page = max(1, math.ceil(total / 3))  # about three pages, the last one short or empty
                for _attempt in range(3):  # a list another writer grows meanwhile is walked again
                    items, totals, _ = walk_pages(session, target, path, route.token, page)
                    if len(totals) == 1:
                        break
                if totals != {str(len(items))}:
                    failures.append(f"{where}: pages of {page} held {len(items)} items; X-Total-Count said {sorted(totals)}")
                keys = [identity(item) for item in items]
                if len(set(keys)) != len(keys):
                    failures.append(f"{where}: pages of {page} repeat items: {sorted({k for k in keys if keys.count(k) > 1})[:5]}")
                beyond = get(session, target, path, route.token, {"offset": len(items) + 5})
                if beyond.json() != [] or beyond.headers.get("X-Total-Count") != str(len(items)):
                    failures.append(f"{where}: offset past the end gave {len(beyond.json())} items, "
                                    f"X-Total-Count {beyond.headers.get('X-Total-Count')!r}")
            except ContractViolation as violation:
                failures.append(f"{where}: {violation}")
    report(failures, "X-Total-Count across pages")


def test_unpaged_routes_are_only_the_contracts_exceptions(list_routes):
    """The visible table: each exception is a list route of the documents and carries the contract's words."""
    exempt = [route for route in list_routes if (route.service, route.template) in UNPAGED]
    assert len(exempt) == len(UNPAGED), f"UNPAGED {sorted(UNPAGED)} vs list routes {[r.name for r in list_routes]}"
    for route in exempt:
        reason = UNPAGED[(route.service, route.template)]
        assert reason.startswith("docs/contract.md §") and "not paged" in reason, reason
        assert not route.problems, f"{route.name}: {route.problems}"
