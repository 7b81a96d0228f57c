"""Every HTTP exchange with a campus service, checked against that service's own OpenAPI document.

The documents are fetched from the running services (`GET /openapi.json`) and read by openapi-core,
a maintained validator we did not write. A request is checked before it is sent, its response when
it arrives; a request or response the document does not allow — an undocumented path or status,
a body or header that differs from its schema, a content type the operation does not list — raises
`ContractViolation` (an AssertionError) in the test that made it, naming the exchange, the operation
and every difference.

    from support.openapi_check import ValidatedSession
    session = ValidatedSession(server)                       # a started support.campus.CampusServer
    r = session.call("GET", "users", "/users", token=admin)  # or session.get(server.url("users", "/users"), ...)
    r = session.call("POST", "gateway", "/api/tickets", token=student, data=b"{,}",
                     headers={"Content-Type": "application/json"},
                     validate_request=False)                 # bad input on purpose: only the response is checked

Which document: the port says which service answered. Through the gateway (docs/contract.md §4),
`/api/users...` is checked against user management's `/users...`, `/api/rooms|bookings...` against
booking, `/api/gpa/X` against the GPA calculator's `/X`, `/api/notifications...` against notification,
`/api/tickets...` and `/api/triage` against maintenance; the gateway's own paths (`/auth/*`,
`/api/status`, `/health`...) against the gateway's document.

Besides the documents, one contract rule is checked on every JSON success response (docs/contract.md §11,
"each kind of id has one JSON type in every response of every service"): ids of users, rooms,
bookings, tickets, comments and notifications are JSON integers (`check_ids=False` turns it off).

Every end-to-end suite gets it without asking: `support.campus.CampusServer.session` is a
ValidatedSession, so `server.request/get/post/login/token` (and every suite helper built on them:
e2e/security's and e2e/edges' `Campus.call`, e2e/copydb, e2e/faults) are checked. Processes
started one by one, with replicas or behind nginx (e2e/faults, e2e/edges/cluster.py,
e2e/scaleout) get a checker from their own port table:
    checker = ContractChecker(ports={"gateway": 5001, ...}, aliases={front_port: "gateway", ...})
    session = ValidatedSession(checker=checker)
Input that is wrong on purpose (a forged or missing token, a broken or oversized body, a value the
schema refuses) is sent with `validate_request=False` on that call; its answer is still checked.
Not checked here: requests sent over a raw socket and WebSocket traffic (they bypass `requests`; the
sites say so), the readiness polls while a process starts (its document is not served yet), and
schemathesis (e2e/fuzz validates on its own) and Selenium's browser (e2e/browser).

`COUNTS` counts what was checked; e2e/conftest.py prints it at the end of every pytest run.

A suite may still ask for the `validated_session` fixture, which uses its `campus_server` fixture
(a CampusServer) or its `campus` fixture (a CampusServer, or an object with `.server`). A suite
whose server fixture is parametrized (e2e/contract runs on SQLite and PostgreSQL) defines the
fixture itself, naming the server fixture as an argument:
    @pytest.fixture
    def validated_session(campus_server):
        with ValidatedSession(campus_server) as session:
            yield session
"""
from __future__ import annotations

import copy
import json
import threading
from dataclasses import dataclass
from typing import Any, Iterable
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

from support.services import SAME_PATH_ROUTES, SERVICES

# Gateway path prefixes and the service that owns them (docs/contract.md §4), from support/services.py:
# (pattern, service, prefix to strip).
GATEWAY_ROUTES = tuple((s.gateway_route, s.name, s.gateway_prefix) for s in SERVICES.values() if s.gateway_route)
# The inverse: service paths the gateway forwards, and the prefix they take there.
FORWARDED = {s.name: (s.forwarded, s.gateway_prefix) for s in SERVICES.values() if s.forwarded}
# JSON keys that hold an id of a user, room, booking, ticket, comment or notification (docs/contract.md §5, §6, §8, §9, §11).
# series_id (a string), request_id and event_id are not such ids.
ID_KEYS = frozenset({"id", "user_id", "room_id", "booking_id", "ticket_id", "comment_id", "notification_id",
                     "assignee_id", "created_by", "author_id"})
# Responses that are documents, not domain objects (their `id` keys are schema names).
ID_RULE_EXEMPT_PATHS = frozenset({"/openapi.json"})
MAX_LINES = 15
# Statuses the gateway answers itself on a forwarded /api/... route (its token check, its body limit,
# an unknown prefix, a service it cannot reach): such an answer is the gateway's, described by the
# gateway's document (/api/{path}), whichever service the path belongs to. A 503 is the gateway's only
# with the codes it gives a service it cannot reach (a service's own 503, storage_unavailable say,
# must be in that service's document).
GATEWAY_OWN_STATUSES = frozenset({401, 404, 413, 503})
GATEWAY_503_CODES = frozenset({"dependency_unavailable"})


class Counts:
    """How many exchanges were checked, for the end-of-run line (thread-safe)."""

    KINDS = ("requests", "responses", "requests_on_purpose_unchecked")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts = dict.fromkeys(self.KINDS, 0)

    def add(self, kind: str, n: int = 1) -> None:
        with self._lock:
            self._counts[kind] = self._counts.get(kind, 0) + n

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def summary(self) -> str | None:
        counts = self.snapshot()
        if not any(counts.values()):
            return None
        return (f"openapi-core checked {counts['requests']} requests and {counts['responses']} responses against the "
                f"services' /openapi.json ({counts['requests_on_purpose_unchecked']} requests wrong on purpose were "
                f"sent without the request check; their responses are among those checked)")


COUNTS = Counts()


class ContractViolation(AssertionError):
    """An exchange that its service's OpenAPI document (or the id rule) does not allow."""

    def __init__(self, message: str, response: Any = None):
        super().__init__(message)
        self.response = response


def spec_route(service: str, path: str) -> tuple[str, str]:
    """(service whose document describes it, path in that document) for `path` as sent to `service`."""
    if service != "gateway":
        return service, path
    for pattern, owner in SAME_PATH_ROUTES:
        if pattern.match(path):
            return owner, path
    for pattern, owner, prefix in GATEWAY_ROUTES:
        if pattern.match(path):
            return owner, path[len(prefix):] or "/"
    return "gateway", path


def gateway_path(service: str, path: str) -> str | None:
    """The gateway path that reaches `path` of `service` (docs/contract.md §4), or None if the gateway does not route it."""
    if any(owner == service and pattern.match(path) for pattern, owner in SAME_PATH_ROUTES):
        return path
    rule = FORWARDED.get(service)
    if rule is None or not rule[0].match(path):
        return None
    return rule[1] + path


def id_violations(value: Any, where: str = "$") -> list[str]:
    """Ids in a JSON value that are not JSON integers (null is left to the schema)."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{where}.{key}"
            if key in ID_KEYS and item is not None and (not isinstance(item, int) or isinstance(item, bool)):
                found.append(f"{here} is {json.dumps(item)} ({type(item).__name__}); ids are JSON integers (docs/contract.md §11)")
            elif isinstance(item, (dict, list)):
                found.extend(id_violations(item, here))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(id_violations(item, f"{where}[{index}]"))
    return found


@dataclass
class Exchange:
    """One request and (when it has been answered) its response, independent of the HTTP library."""
    method: str
    url: str
    request_headers: dict[str, str]
    request_body: bytes | None
    status: int | None = None
    response_headers: dict[str, str] | None = None
    response_body: bytes = b""


class _Request:
    """openapi-core's request protocol for one exchange, addressed to the document's own server."""

    def __init__(self, exchange: Exchange, host_url: str, path: str):
        split = urlsplit(exchange.url)
        self.host_url = host_url
        self.path = path
        self.method = exchange.method.lower()
        self.body = exchange.request_body
        headers = Headers(dict(exchange.request_headers))
        self.content_type = headers.get("Content-Type", "")
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qs(split.query, keep_blank_values=True)),
            header=headers, cookie=ImmutableMultiDict({}))


class _Response:
    def __init__(self, exchange: Exchange):
        self.status_code = exchange.status
        self.data = exchange.response_body
        self.headers = Headers(dict(exchange.response_headers or {}))
        self.content_type = self.headers.get("Content-Type", "")


def _header(headers: dict[str, str] | None, name: str) -> str:
    """A header's value from a plain dict, whatever the case of its name (httpx gives lower case)."""
    return next((value for key, value in (headers or {}).items() if key.lower() == name.lower()), "")


def _json_loads(value: bytes, **_parameters: str) -> Any:
    return json.loads(value)


def _text_loads(value: bytes, **parameters: str) -> str:
    return value.decode(parameters.get("charset", "utf-8"))


def _media_types(node: Any) -> set[str]:
    """Every media type named under a `content` object anywhere in a document."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "content" and isinstance(value, dict):
                found.update(k for k in value if isinstance(k, str))
            found |= _media_types(value)
    elif isinstance(node, list):
        for item in node:
            found |= _media_types(item)
    return found


def _describe(error: BaseException) -> list[str]:
    """openapi-core's error and, for schema errors, each difference with where it is."""
    lines = [f"{type(error).__name__}: {error}"]
    cause = error.__cause__
    for schema_error in getattr(cause, "schema_errors", None) or ():
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in schema_error.absolute_path)
        lines.append(f"  at ${where}: {schema_error.message}")
        for sub in (getattr(schema_error, "context", None) or ())[:6]:
            sub_where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in sub.absolute_path)
            lines.append(f"    (a branch) at ${sub_where}: {sub.message}")
    if len(lines) == 1 and cause is not None and str(cause) not in lines[0]:
        lines.append(f"  cause: {cause!r}"[:400])
    return lines


_PARSED: dict[tuple[str, str], OpenAPI] = {}
_PARSED_LOCK = threading.Lock()


def _parsed(service: str, document: dict) -> OpenAPI:
    """openapi-core's reading of a document, parsed once per process for each distinct document (every
    server of a run started from one binary serves the same six documents)."""
    key = (service, json.dumps(document, sort_keys=True))
    with _PARSED_LOCK:
        if key not in _PARSED:
            # problem+json is JSON; every text/* type the document uses (text/calendar...) is text, not bytes.
            text_types = {media: _text_loads for media in _media_types(document) if media.startswith("text/")}
            config = Config(extra_media_type_deserializers={**text_types, "application/problem+json": _json_loads})
            try:
                _PARSED[key] = OpenAPI.from_dict(copy.deepcopy(document), config=config)
            except Exception as error:  # an invalid document cannot check anything: say so plainly
                raise ContractViolation(f"the OpenAPI document of {service} cannot be used by openapi-core: "
                                        f"{type(error).__name__}: {str(error)[:1500]}") from error
        return _PARSED[key]


class ContractChecker:
    """The six services' documents (fetched once from the running services) and the checks of an exchange."""

    def __init__(self, ports: dict[str, int], host: str = "127.0.0.1", aliases: dict[int, str] | None = None):
        """`ports`: one port per service, where its document is fetched. `aliases`: further ports and
        the service answering there (a second replica, nginx in front of a pair)."""
        self.ports = dict(ports)
        self.host = host
        self.service_of_port = {port: name for name, port in self.ports.items()}
        self.service_of_port.update(aliases or {})
        self._documents: dict[str, dict] = {}
        self._apis: dict[str, OpenAPI] = {}
        self._lock = threading.Lock()

    @classmethod
    def for_server(cls, server: Any) -> "ContractChecker":
        """One checker per server (documents fetched and parsed once)."""
        checker = getattr(server, "_contract_checker", None)
        if checker is None:
            checker = cls(server.ports)
            server._contract_checker = checker
        return checker

    # documents ---------------------------------------------------------------------------
    def document(self, service: str) -> dict:
        with self._lock:
            if service not in self._documents:
                r = requests.get(f"http://{self.host}:{self.ports[service]}/openapi.json", timeout=15)
                assert r.status_code == 200, f"{service} /openapi.json answered {r.status_code}: {r.text[:300]}"
                self._documents[service] = r.json()
            return self._documents[service]

    def api(self, service: str) -> OpenAPI:
        document = self.document(service)
        with self._lock:
            if service not in self._apis:
                self._apis[service] = _parsed(service, document)
            return self._apis[service]

    def server_url(self, service: str) -> str:
        servers = self.document(service).get("servers") or [{"url": f"http://{self.host}:{self.ports[service]}"}]
        return servers[0]["url"].rstrip("/")

    # checks ------------------------------------------------------------------------------
    def locate(self, url: str) -> tuple[str, str, str]:
        """(service that answers url, service whose document applies, path in that document)."""
        split = urlsplit(url)
        served_by = self.service_of_port.get(split.port)
        if served_by is None:
            raise ContractViolation(f"{url}: port {split.port} is none of the campus services {self.ports}")
        owner, path = spec_route(served_by, split.path)
        return served_by, owner, path

    def request_errors(self, exchange: Exchange) -> list[str]:
        _, owner, path = self.locate(exchange.url)
        request = _Request(exchange, self.server_url(owner), path)
        return [line for error in self.api(owner).iter_request_errors(request) for line in _describe(error)]

    def response_errors(self, exchange: Exchange, check_ids: bool = True) -> list[str]:
        served_by, owner, path = self.locate(exchange.url)
        request = _Request(exchange, self.server_url(owner), path)
        errors = [line for error in self.api(owner).iter_response_errors(request, _Response(exchange))
                  for line in _describe(error)]
        if errors and served_by == "gateway" and owner != "gateway" and self.may_be_gateways_own(exchange) \
                and not self.gateway_own_errors(exchange):
            errors = []  # the gateway's own answer on a forwarded route, as the gateway's document has it
        content_type = _header(exchange.response_headers, "Content-Type")
        if check_ids and exchange.status is not None and exchange.status < 300 and "json" in content_type \
                and path not in ID_RULE_EXEMPT_PATHS and exchange.response_body:
            try:
                body = json.loads(exchange.response_body)
            except ValueError:
                body = None  # the document check above reports a body that is not JSON
            errors.extend(id_violations(body))
        return errors

    @staticmethod
    def may_be_gateways_own(exchange: Exchange) -> bool:
        if exchange.status not in GATEWAY_OWN_STATUSES:
            return False
        if exchange.status != 503:
            return True
        try:
            return json.loads(exchange.response_body).get("code") in GATEWAY_503_CODES
        except (ValueError, AttributeError):
            return False

    def gateway_own_errors(self, exchange: Exchange) -> list[str]:
        """The response checked as the gateway's own answer to a forwarded route: against the gateway
        document's `/api/{path}` operation, where that status must be listed (not just `default`)."""
        split_path = urlsplit(exchange.url).path
        operation = self.document("gateway").get("paths", {}).get("/api/{path}", {}).get(exchange.method.lower(), {})
        if str(exchange.status) not in operation.get("responses", {}):
            return [f"the gateway's /api/{{path}} does not list {exchange.status} for {exchange.method}"]
        # {path} stands for the rest of the path; openapi-core matches it against one segment.
        first = split_path[len("/api/"):].split("/", 1)[0] or "x"
        request = _Request(exchange, self.server_url("gateway"), f"/api/{first}")
        return [line for error in self.api("gateway").iter_response_errors(request, _Response(exchange))
                for line in _describe(error)]

    def explain(self, exchange: Exchange, stage: str, errors: list[str]) -> str:
        served_by, owner, path = self.locate(exchange.url)
        via = "" if served_by == owner else f", through the {served_by}"
        status = f" -> {exchange.status}" if exchange.status is not None else ""
        head = (f"{exchange.method} {exchange.url}{status}: the {stage} does not match the OpenAPI document of "
                f"{owner} ({exchange.method.upper()} {path}{via})")
        shown = errors[:MAX_LINES] + ([f"... and {len(errors) - MAX_LINES} more"] if len(errors) > MAX_LINES else [])
        lines = [head, *("  " + line for line in shown)]
        if stage == "request" and exchange.request_body:
            lines.append(f"  request body: {exchange.request_body[:300]!r}")
        if stage == "response":
            lines.append(f"  Content-Type: {_header(exchange.response_headers, 'Content-Type') or '(none)'}")
            lines.append(f"  body: {exchange.response_body[:500].decode('utf-8', 'replace')}")
        return "\n".join(lines)

    def check(self, exchange: Exchange, validate_request: bool = True, check_ids: bool = True,
              response: Any = None) -> None:
        """Raises ContractViolation for the first side (request, then response) that differs."""
        if validate_request:
            self.check_request(exchange)
        if exchange.status is not None:
            COUNTS.add("responses")
            errors = self.response_errors(exchange, check_ids)
            if errors:
                raise ContractViolation(self.explain(exchange, "response", errors), response)

    def check_request(self, exchange: Exchange) -> None:
        """Raises ContractViolation if the document does not allow the request."""
        COUNTS.add("requests")
        errors = self.request_errors(exchange)
        if errors:
            raise ContractViolation(self.explain(exchange, "request", errors))


# requests --------------------------------------------------------------------------------------
def _requests_exchange(prepared: requests.PreparedRequest, response: requests.Response | None = None) -> Exchange:
    body = prepared.body.encode() if isinstance(prepared.body, str) else prepared.body
    exchange = Exchange(prepared.method or "GET", prepared.url or "", dict(prepared.headers), body)
    if response is not None:
        exchange.status = response.status_code
        exchange.response_headers = dict(response.headers)
        exchange.response_body = response.content
    return exchange


class ValidatedSession(requests.Session):
    """A requests.Session whose every request and response is checked against the services' documents.

    `validate_request=False` on a call (for input that is wrong on purpose) skips the request check;
    the response is still checked. `check_ids=False` (per session) leaves out the integer-id rule.
    """

    def __init__(self, server: Any = None, check_ids: bool = True, *, checker: ContractChecker | None = None):
        """On a started CampusServer (`server`), or on any set of processes (`checker`)."""
        super().__init__()
        if checker is None and server is None:
            raise TypeError("ValidatedSession needs a server or a checker")
        self.server = server
        self.checker = checker or ContractChecker.for_server(server)
        self.check_ids = check_ids
        self._call = threading.local()

    def request(self, method, url, *args, validate_request: bool = True, **kwargs):  # type: ignore[override]
        self._call.validate_request = validate_request
        try:
            return super().request(method, url, *args, **kwargs)
        finally:
            self._call.validate_request = True

    def send(self, request: requests.PreparedRequest, **kwargs):  # type: ignore[override]
        validate_request = getattr(self._call, "validate_request", True)
        if validate_request:
            self.checker.check_request(_requests_exchange(request))  # not sent if the document does not allow it
        else:
            COUNTS.add("requests_on_purpose_unchecked")
        response = super().send(request, **kwargs)
        self.checker.check(_requests_exchange(request, response), validate_request=False,
                           check_ids=self.check_ids, response=response)
        return response

    # conveniences in the manner of CampusServer ------------------------------------------
    def url(self, service: str, path: str) -> str:
        if self.server is not None:
            return self.server.url(service, path)
        return f"http://{self.checker.host}:{self.checker.ports[service]}{path}"

    def call(self, method: str, service: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
        headers = dict(kwargs.pop("headers", None) or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        kwargs.setdefault("timeout", 15)
        return self.request(method, self.url(service, path), headers=headers, **kwargs)


# httpx (the clients openapi-python-client generates) ------------------------------------------
def httpx_event_hooks(checker: ContractChecker, check_ids: bool = True) -> dict[str, list]:
    """Event hooks for an httpx.Client: every request and response checked like ValidatedSession's."""

    def exchange_of(request) -> Exchange:
        return Exchange(request.method, str(request.url), dict(request.headers), request.content or None)

    def on_request(request) -> None:
        checker.check_request(exchange_of(request))

    def on_response(response) -> None:
        response.read()
        exchange = exchange_of(response.request)
        exchange.status = response.status_code
        exchange.response_headers = dict(response.headers)
        exchange.response_body = response.content
        checker.check(exchange, validate_request=False, check_ids=check_ids, response=response)

    return {"request": [on_request], "response": [on_response]}


# pytest -------------------------------------------------------------------------------------------
def _server_of(request: pytest.FixtureRequest) -> Any:
    for name in ("campus_server", "campus"):
        try:
            value = request.getfixturevalue(name)
        except pytest.FixtureLookupError:
            continue
        return value if hasattr(value, "ports") else value.server
    raise LookupError("validated_session needs a `campus_server` (or `campus`) fixture with a started CampusServer")


@pytest.fixture
def validated_session(request: pytest.FixtureRequest) -> Iterable[ValidatedSession]:
    """A ValidatedSession on the suite's running server; see the module's doc."""
    session = ValidatedSession(_server_of(request))
    try:
        yield session
    finally:
        session.close()
