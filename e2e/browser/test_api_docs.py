"""The Swagger UI pages (docs/contract.md §1): every service's `GET /docs` and the gateway's
`GET /api/<service>/docs` load swagger-ui-dist 5.33.1 from jsDelivr with Subresource Integrity, under a
Content-Security-Policy that allows scripts only from that CDN path and the page's inline start script.

The reference files are npm's swagger-ui-dist 5.33.1 as the PyPI package drf-spectacular-sidecar ships
it verbatim (e2e/requirements.txt): the integrity attributes and the CSP's script hash are computed here
with hashlib, independently of the product's constants. The browser has no network: Chromium's
requests to cdn.jsdelivr.net are paused with the DevTools Protocol's Fetch domain (over Chromium's
DevTools WebSocket, beside chromedriver's own connection) and answered with those bytes — or with one
byte changed, which Subresource Integrity must refuse.
"""
from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
import threading
from html.parser import HTMLParser
from pathlib import Path

import drf_spectacular_sidecar
import pytest
import requests
import websocket  # websocket-client, a dependency of selenium
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from browser_support import Api

VERSION = "5.33.1"
CDN = f"https://cdn.jsdelivr.net/npm/swagger-ui-dist@{VERSION}/"
DIST = Path(drf_spectacular_sidecar.__file__).parent / "static" / "drf_spectacular_sidecar" / "swagger-ui-dist"
BUNDLE, CSS = "swagger-ui-bundle.js", "swagger-ui.css"
SERVICES = ("gateway", "users", "booking", "gpa", "notification", "maintenance")
PUBLIC = ("users", "booking", "gpa", "notification", "maintenance")
# Every docs page: (label, service that serves it, path)
PAGES = [(f"{s} /docs", s, "/docs") for s in SERVICES] + [(f"gateway /api/{s}/docs", "gateway", f"/api/{s}/docs") for s in PUBLIC]
SRI_PATTERN = re.compile(r"integrity", re.I)
CSP_PATTERN = re.compile(r"Content Security Policy|Refused to (execute|apply|load|connect|frame)", re.I)  # as conftest.py
RENDER_TIMEOUT = 20


def reference(name: str) -> bytes:
    data = (DIST / name).read_bytes()
    if name == BUNDLE:  # the sidecar release we pin must be the swagger-ui-dist the pages name
        assert f'PACKAGE_VERSION:"{VERSION}"' in data.decode("utf-8", "replace"), \
            f"{DIST / name} is not swagger-ui-dist {VERSION}: pin the drf-spectacular-sidecar that ships it"
    return data


def sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# ---- the page as HTML ---------------------------------------------------------------------------
class DocsPage(HTMLParser):
    """The page's <link rel=stylesheet>, external <script>s and inline scripts."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.stylesheets: list[dict] = []
        self.scripts: list[dict] = []
        self.inline: list[str] = []
        self._in_inline = False
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and "stylesheet" in (attributes.get("rel") or "").split():
            self.stylesheets.append(attributes)
        elif tag == "script":
            if attributes.get("src"):
                self.scripts.append(attributes)
            else:
                self._in_inline, self._text = True, []

    def handle_data(self, data):
        if self._in_inline:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._in_inline:
            self.inline.append("".join(self._text))
            self._in_inline = False


def directives(policy: str) -> dict[str, list[str]]:
    found = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            found[words[0].lower()] = words[1:]
    return found


def fetch_page(campus, service: str, path: str) -> requests.Response:
    with requests.Session() as http:
        http.trust_env = False
        r = http.get(campus.url(service, path), timeout=15)
    assert r.status_code == 200, f"{service} {path} -> {r.status_code}: {r.text[:300]}"
    assert r.headers.get("Content-Type", "").startswith("text/html"), r.headers.get("Content-Type")
    return r


@pytest.mark.parametrize("label,service,path", PAGES, ids=[p[0] for p in PAGES])
def test_page_pins_swagger_ui_with_sri_and_a_strict_csp(campus, label, service, path):
    r = fetch_page(campus, service, path)
    page = DocsPage(r.text)
    assert [s.get("href") for s in page.stylesheets] == [CDN + CSS], f"{label}: stylesheets {page.stylesheets}"
    assert [s.get("src") for s in page.scripts] == [CDN + BUNDLE], f"{label}: scripts {page.scripts}"
    for element, name in ((page.stylesheets[0], CSS), (page.scripts[0], BUNDLE)):
        assert element.get("integrity") == sri(reference(name)), \
            f"{label}: integrity of {name} is {element.get('integrity')!r}; npm's swagger-ui-dist {VERSION} is {sri(reference(name))}"
        assert "crossorigin" in element and element["crossorigin"] in (None, "", "anonymous"), \
            f"{label}: {name} needs crossorigin (anonymous) for SRI across origins: {element}"
    assert len(page.inline) == 1 and "SwaggerUIBundle" in page.inline[0], f"{label}: inline scripts {page.inline}"

    policy = r.headers.get("Content-Security-Policy")
    assert policy, f"{label}: no Content-Security-Policy header"
    csp = directives(policy)
    script_src = csp.get("script-src", csp.get("default-src"))
    assert script_src is not None, f"{label}: CSP without script-src: {policy}"
    assert sorted(script_src) == sorted([CDN, csp_hash(page.inline[0])]), \
        f"{label}: script-src should be exactly the CDN path and the inline script's hash {csp_hash(page.inline[0])}: {policy}"
    assert csp.get("connect-src") == ["'self'"], f"{label}: connect-src: {policy}"
    assert csp.get("frame-ancestors") == ["'none'"], f"{label}: frame-ancestors: {policy}"
    style_src = csp.get("style-src", csp.get("default-src")) or []
    assert CDN in style_src or "https://cdn.jsdelivr.net" in " ".join(style_src), f"{label}: the stylesheet's origin is not allowed: {policy}"


# ---- the page in Chromium, its CDN answered from the sidecar's files ----------------------------
class CdnStub:
    """Answers the page's requests to cdn.jsdelivr.net through the DevTools Protocol (Fetch domain):
    the pinned URLs with `files`, anything else failed (and recorded). Talks to the page target over
    Chromium's DevTools WebSocket (chromedriver's debuggerAddress), since selenium's sync API sends CDP
    commands but delivers no events."""

    def __init__(self, driver, files: dict[str, bytes]):
        self.files = files
        self.served: list[str] = []
        self.refused: list[str] = []
        self.errors: list[str] = []
        address = driver.capabilities["goog:chromeOptions"]["debuggerAddress"]
        with requests.Session() as http:
            http.trust_env = False
            targets = http.get(f"http://{address}/json/list", timeout=10).json()
        page = next(t for t in targets if t.get("type") == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], suppress_origin=True, timeout=30)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._enabled = threading.Event()
        self._enable_id = self._send("Fetch.enable", {"patterns": [{"urlPattern": "https://cdn.jsdelivr.net/*"}]})
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        assert self._enabled.wait(10), f"Fetch.enable was not acknowledged: {self.errors}"

    def _send(self, method: str, params: dict) -> int:
        with self._lock:
            number = next(self._ids)
            self.ws.send(json.dumps({"id": number, "method": method, "params": params}))
            return number

    def _run(self):
        while True:
            try:
                message = json.loads(self.ws.recv())
            except Exception:  # noqa: BLE001 - closed at the end of the test
                return
            if message.get("id") == self._enable_id:
                if "error" in message:
                    self.errors.append(f"Fetch.enable: {message['error']}")
                self._enabled.set()
            elif "error" in message:
                self.errors.append(str(message["error"]))
            elif message.get("method") == "Fetch.requestPaused":
                self._answer(message["params"])

    def _answer(self, paused: dict):
        url = paused["request"]["url"]
        body = self.files.get(url)
        if body is None:
            self.refused.append(url)
            self._send("Fetch.failRequest", {"requestId": paused["requestId"], "errorReason": "InternetDisconnected"})
            return
        self.served.append(url)
        kind = "text/css; charset=utf-8" if url.endswith(".css") else "application/javascript; charset=utf-8"
        self._send("Fetch.fulfillRequest", {
            "requestId": paused["requestId"], "responseCode": 200,
            "responseHeaders": [{"name": "Content-Type", "value": kind},
                                {"name": "Access-Control-Allow-Origin", "value": "*"},  # as jsDelivr answers
                                {"name": "Cache-Control", "value": "no-store"}],
            "body": base64.b64encode(body).decode()})

    def close(self):
        try:
            self.ws.close()
        finally:
            self.thread.join(5)


def pristine() -> dict[str, bytes]:
    return {CDN + BUNDLE: reference(BUNDLE), CDN + CSS: reference(CSS)}


def tampered(name: str) -> dict[str, bytes]:
    files = pristine()
    data = bytearray(files[CDN + name])
    middle = len(data) // 2
    data[middle] = ord("x") if data[middle] != ord("x") else ord("y")  # one byte changed
    files[CDN + name] = bytes(data)
    return files


@pytest.fixture
def docs_browser(browsers):
    """(App, stub factory): stub(files) starts answering the CDN for that App's Chromium."""
    app = browsers()
    stubs: list[CdnStub] = []

    def stub(files: dict[str, bytes]) -> CdnStub:
        made = CdnStub(app.driver, files)
        stubs.append(made)
        return made

    yield app, stub
    for made in stubs:
        made.close()


def rendered_paths(app) -> list[str]:
    return app.driver.execute_script(
        "return [...document.querySelectorAll('.opblock-summary-path[data-path]')].map(e => e.dataset.path)")


def wait_rendered(app, path: str | None, label: str):
    """Swagger UI has rendered the operation at `path` (any operation when None), within a deadline;
    else the assertion says what the page shows instead."""
    css = ".opblock .opblock-summary-path[data-path]" + (f'[data-path="{path}"]' if path else "")
    try:
        WebDriverWait(app.driver, RENDER_TIMEOUT, poll_frequency=0.1).until(lambda d: d.find_elements(By.CSS_SELECTOR, css))
    except Exception as error:  # noqa: BLE001 - say what the page showed instead
        shown = app.driver.execute_script("return document.body.innerText.slice(0, 400)")
        raise AssertionError(f"{label}: {'operation ' + path if path else 'no operation'} not rendered within {RENDER_TIMEOUT}s; the page shows {shown!r}; "
                             f"console: {[e['message'] for e in app.logs()][-5:]}") from error


def console_problems(app) -> list[str]:
    """CSP violations, SRI failures and any other error in the console, except a missing /favicon.ico."""
    problems = []
    for entry in app.logs():
        message = entry.get("message", "")
        if CSP_PATTERN.search(message) or SRI_PATTERN.search(message):
            problems.append(message)
        elif entry.get("level") == "SEVERE" and "/favicon.ico" not in message:
            problems.append(message)
    return problems


BOOKING_PAGES = [("gateway /api/booking/docs", "gateway", "/api/booking/docs", "/api/rooms", "/api/rooms"),
                 ("booking /docs", "booking", "/docs", "/rooms", "/rooms")]


@pytest.mark.parametrize("label,service,path,operation,example", BOOKING_PAGES, ids=[p[0] for p in BOOKING_PAGES])
def test_swagger_ui_renders_under_its_csp_and_sri(docs_browser, campus, label, service, path, operation, example):
    app, stub = docs_browser
    cdn = stub(pristine())
    app.driver.get(campus.url(service, path))
    wait_rendered(app, operation, label)
    paths = rendered_paths(app)
    assert f"{'/api' if service == 'gateway' else ''}/bookings" in paths, f"{label}: rendered {paths}"
    if service == "gateway":
        hidden = [p for p in paths if re.search(r"(^|/)(internal|health|metrics|openapi\.json|docs)(/|$)", p) or not (p.startswith("/api/") or p.startswith("/calendar/"))]
        assert not hidden, f"{label}: the public page shows non-public paths {hidden}"
    assert sorted(cdn.served) == sorted(pristine()), f"{label}: the page loaded {cdn.served} from the CDN"
    assert not cdn.refused, f"{label}: the page asked the CDN for unpinned URLs {cdn.refused}"
    assert app.driver.execute_script("return typeof window.SwaggerUIBundle") == "function"
    assert app.driver.execute_script(
        "return [...document.styleSheets].some(s => s.href === arguments[0] && s.cssRules.length > 0)", CDN + CSS), \
        f"{label}: the pinned stylesheet was not applied"
    assert not console_problems(app), f"{label}: console: {console_problems(app)}"
    assert not cdn.errors, cdn.errors


def test_every_docs_page_renders(docs_browser, campus):
    """All eleven pages (six services' /docs, five /api/<service>/docs) render at least one operation."""
    app, stub = docs_browser
    cdn = stub(pristine())
    for label, service, path in PAGES:
        app.driver.get(campus.url(service, path))
        wait_rendered(app, None, label)
    assert not cdn.refused, f"unpinned CDN URLs requested: {cdn.refused}"
    assert not console_problems(app), f"console: {console_problems(app)}"


@pytest.mark.parametrize("label,service,path", [("gateway /api/booking/docs", "gateway", "/api/booking/docs"),
                                                ("booking /docs", "booking", "/docs")], ids=["gateway", "booking"])
def test_a_tampered_bundle_is_refused(docs_browser, campus, label, service, path):
    app, stub = docs_browser
    cdn = stub(tampered(BUNDLE))
    app.driver.get(campus.url(service, path))
    WebDriverWait(app.driver, RENDER_TIMEOUT, poll_frequency=0.1).until(
        lambda d: any(SRI_PATTERN.search(e.get("message", "")) and BUNDLE in e.get("message", "") for e in app.logs()),
        f"{label}: no integrity failure for the tampered {BUNDLE} in the console")
    assert CDN + BUNDLE in cdn.served, f"{label}: the tampered bundle was never requested: {cdn.served}"
    assert app.driver.execute_script("return typeof window.SwaggerUIBundle") == "undefined", \
        f"{label}: the tampered bundle ran"
    assert not rendered_paths(app), f"{label}: Swagger UI rendered from a tampered bundle"
    assert not app.all(".swagger-ui"), f"{label}: Swagger UI rendered from a tampered bundle"
    blocked = [e["message"] for e in app.logs() if SRI_PATTERN.search(e["message"])]
    assert any("blocked" in m.lower() for m in blocked), f"{label}: the console does not say the resource was blocked: {blocked}"


def test_a_tampered_stylesheet_is_refused(docs_browser, campus):
    app, stub = docs_browser
    stub(tampered(CSS))
    app.driver.get(campus.url("gateway", "/api/booking/docs"))
    WebDriverWait(app.driver, RENDER_TIMEOUT, poll_frequency=0.1).until(
        lambda d: any(SRI_PATTERN.search(e.get("message", "")) and CSS in e.get("message", "") for e in app.logs()),
        f"no integrity failure for the tampered {CSS} in the console")
    assert not app.driver.execute_script(
        "return [...document.styleSheets].some(s => s.href === arguments[0])", CDN + CSS), "the tampered stylesheet was applied"


# ---- 'Try it out' goes to the page's own origin ------------------------------------------------
def authorize(app, token: str):
    """Authorize → bearerAuth value → Authorize → Close, as a person does it."""
    app.click(".auth-wrapper .btn.authorize")
    app.find(".modal-ux input").send_keys(token)
    app.click(".modal-ux .auth-btn-wrapper .btn.authorize")
    app.click(".modal-ux .btn-done")


@pytest.mark.parametrize("label,service,path,operation,example", BOOKING_PAGES, ids=[p[0] for p in BOOKING_PAGES])
def test_try_it_out_calls_the_pages_own_origin(docs_browser, campus, label, service, path, operation, example):
    app, stub = docs_browser
    stub(pristine())
    app.driver.get(campus.url(service, path))
    wait_rendered(app, operation, label)
    servers = app.driver.execute_script(
        "return {servers: window.ui.specSelectors.servers().toJS(), selected: window.ui.oas3Selectors.selectedServer()}")
    assert [s["url"] for s in servers["servers"]] == ["/"] and servers["selected"] == "/", f"{label}: servers {servers}"
    assert [o.get_attribute("value") for o in app.all(".servers select option")] == ["/"], f"{label}: the Servers dropdown"

    authorize(app, Api(campus, "student").http.headers["Authorization"].split(" ", 1)[1])
    block = app.find(f'.opblock-get:has(.opblock-summary-path[data-path="{operation}"])')
    app.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", block)
    block.find_element(By.CSS_SELECTOR, ".opblock-summary-control").click()
    app.click(f'.opblock-get:has(.opblock-summary-path[data-path="{operation}"]) .try-out__btn')
    app.click(f'.opblock-get:has(.opblock-summary-path[data-path="{operation}"]) .execute')
    origin = campus.url(service)
    url = app.text_in(f'.opblock-get:has(.opblock-summary-path[data-path="{operation}"]) .request-url pre', example).text
    assert url == origin + example, f"{label}: 'Try it out' called {url!r}, not the page's origin {origin + example!r}"
    status = app.find(f'.opblock-get:has(.opblock-summary-path[data-path="{operation}"]) .live-responses-table tr.response .response-col_status').text
    assert status.strip() == "200", f"{label}: GET {example} answered {status!r} in Swagger UI"
    assert not console_problems(app), f"{label}: console: {console_problems(app)}"
