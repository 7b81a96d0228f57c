"""axe-core (bundled in the axe-selenium-python wheel, so it works offline): no serious or critical
violations on the sign-in page and at phone width (every page of every role: test_navigation.py)."""
import pytest
from axe_selenium_python import Axe

from browser_support import PAGES_OF

READY = {  # what each page shows once its data has loaded
    "home": ".tile", "book": "#availability table", "bookings": "#booking-list:not([aria-busy])",
    "approvals": "#approval-list:not([aria-busy])",
    "gpa": "#gpa-result .stat", "tickets": "#my-tickets", "queue": "#queue-board .board-col",
    "users": "#users-table table", "rooms": "#room-list .list-row", "status": "#services [data-service]",
    "notifications": "#notification-list:not(:empty)", "profile": "#profile-name",
}


def serious(app) -> list[str]:
    axe = Axe(app.driver)
    axe.inject()
    results = axe.run(options="{resultTypes: ['violations']}")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
            for v in results["violations"] if v["impact"] in ("serious", "critical")]


def test_axe_on_the_sign_in_page(browser):
    browser.open()
    browser.find("#login-hint .demo-account")
    assert serious(browser) == []
    browser.click("#login-submit")
    browser.text_in("#login-error", "Enter")
    assert serious(browser) == []


# Every page of every role is checked with axe in test_navigation.py (one sign-in per role).


def test_axe_phone_width_and_open_menu(browsers):
    app = browsers(390, 844)
    app.login("student")
    app.click("#menu-toggle")
    app.find("#main-nav.open a[data-route=book]")
    assert serious(app) == []
    app.click("#main-nav a[data-route=book]")
    app.find("#availability table")
    problems = {}
    for page in PAGES_OF["student"]:
        app.go(page)
        app.find(READY[page], timeout=15)
        width = app.driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390, f"#{page} scrolls sideways on a phone: {width}px"
        found = serious(app)
        if found:
            problems[page] = found
    assert problems == {}


@pytest.mark.parametrize("role", ["admin", "faculty", "student", "technician"])
def test_no_page_scrolls_sideways_on_a_320px_phone(browsers, role):
    """The smallest phone the issue names: every page of every role fits 320 px (lists, tables and
    the booking grid scroll inside their own boxes, never the page)."""
    app = browsers(320, 640)
    app.login(role)
    wide = {}
    for page in PAGES_OF[role]:
        app.go(page)
        app.find(READY[page], timeout=15)
        width = app.driver.execute_script("return document.documentElement.scrollWidth")
        if width > 320:
            wide[page] = width
    assert wide == {}, f"pages wider than the 320 px screen: {wide}"


def test_axe_detects_a_violation(browser):
    """The check can fail: an image without alt text and an unlabelled input are reported."""
    browser.login("student")
    browser.driver.execute_script("const i = document.createElement('input'); i.type = 'text'; document.querySelector('#main').append(i);"
                                  "const b = document.createElement('button'); document.querySelector('#main').append(b);")
    assert serious(browser) != []


def test_axe_in_dark_mode(browser, campus):
    student = campus.token("student")
    for title, text in (("Sparks from a socket", "Sparks and smoke from the wall socket"), ("Flickering light", "One ceiling light flickers")):
        assert campus.post("gateway", "/api/tickets", token=student, json={"title": title, "description": text, "location": "Library"}).status_code == 201
    browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    browser.login("technician")
    assert browser.driver.execute_script("return matchMedia('(prefers-color-scheme: dark)').matches")
    problems = {}
    for page in ("home", "tickets", "queue", "notifications"):
        browser.go(page)
        browser.find(READY[page], timeout=15)
        if page == "queue":
            browser.find("#queue-board [data-ticket-id]")
        found = serious(browser)
        if found:
            problems[page] = found
    assert problems == {}
