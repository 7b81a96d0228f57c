"""Page helpers for the browser suite (the App wraps one Chromium session)."""
from __future__ import annotations

import itertools
import time

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

import requests

from support.campus import DEFAULT_USERS

ROLE_LINKS = {  # docs/contract.md §3 → the navigation each role must see, in order
    "admin": ["home", "approvals", "users", "rooms", "status"],
    "faculty": ["home", "book", "bookings", "approvals", "gpa", "tickets"],
    "student": ["home", "book", "bookings", "gpa", "tickets"],
    "technician": ["home", "tickets", "queue"],
}
ALL_PAGES = ["home", "book", "bookings", "approvals", "gpa", "tickets", "queue", "users", "rooms", "status", "notifications", "profile"]
PAGES_OF = {role: links + ["notifications", "profile"] for role, links in ROLE_LINKS.items()}


class App:
    def __init__(self, driver: WebDriver, campus):
        self.driver = driver
        self.campus = campus
        self._logs: list[dict] = []

    # waiting ---------------------------------------------------------------------------------
    def wait(self, timeout: float = 10) -> WebDriverWait:
        # A live page re-renders (a ticket event, a refreshed list) between finding an element and
        # looking at it: a stale element is looked up again, not a failure.
        return WebDriverWait(self.driver, timeout, poll_frequency=0.1, ignored_exceptions=(StaleElementReferenceException,))

    def find(self, css: str, timeout: float = 10):
        return self.wait(timeout).until(EC.visibility_of_element_located((By.CSS_SELECTOR, css)), f"not visible: {css}")

    def clickable(self, css: str, timeout: float = 10):
        return self.wait(timeout).until(EC.element_to_be_clickable((By.CSS_SELECTOR, css)), f"not clickable: {css}")

    def all(self, css: str):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text_in(self, css: str, text: str, timeout: float = 10):
        self.wait(timeout).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, css), text), f"{text!r} never in {css}")
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def click(self, css: str, timeout: float = 10):
        deadline = time.monotonic() + timeout
        while True:
            element = self.clickable(css, max(0.1, deadline - time.monotonic()))
            try:
                self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
                element.click()
                return element
            except StaleElementReferenceException:
                # Re-rendered between finding and clicking: click the element that replaced it.
                if time.monotonic() > deadline:
                    raise

    def type(self, css: str, text: str, clear: bool = True):
        element = self.find(css)
        if clear:
            element.clear()
        element.send_keys(text)
        return element

    def select(self, css: str, value: str):
        Select(self.find(css)).select_by_value(value)

    def logs(self) -> list[dict]:
        try:
            self._logs += self.driver.get_log("browser")
        except Exception:  # noqa: BLE001 - a closed window has no log
            pass
        return self._logs

    # app ----------------------------------------------------------------------------------------
    def open(self, hash_path: str = ""):
        self.driver.get(self.campus.gateway + "/" + (f"#/{hash_path}" if hash_path else ""))

    def go(self, page: str):
        self.driver.execute_script("location.hash = arguments[0]", f"#/{page}")
        return self.page(page)

    def page(self, page: str, timeout: float = 15):
        return self.find(f'.page[data-page="{page}"]', timeout)

    def login(self, role: str | None = None, email: str | None = None, password: str | None = None, expect_ok: bool = True):
        if role:
            email, password = DEFAULT_USERS[role]
        if not self.driver.current_url.startswith(self.campus.gateway):
            self.open()
        self.find("#login-form")
        self.type("#email", email)
        self.type("#password", password)
        self.click("#login-submit")
        if expect_ok:
            self.page("home")
        return self

    def nav_links(self) -> list[str]:
        return [a.get_attribute("data-route") for a in self.all("#main-nav a[data-route]")]

    def token(self) -> str:
        # the session is shared by the page's tabs: localStorage (Public/js/api.js)
        return self.driver.execute_script("return localStorage.getItem('campus.token')")

    def bell_count(self) -> int:
        text = self.driver.execute_script("const b = document.getElementById('bell-count'); return b.hidden ? '' : b.textContent")
        return int(text.rstrip("+")) if text.rstrip("+").isdigit() else 0

    def wait_live(self, timeout: float = 15):
        self.wait(timeout).until(lambda d: d.find_element(By.CSS_SELECTOR, "#live-status").get_attribute("data-state") == "live", "live feed never connected")

    def board_ids(self) -> list[str]:
        """The ticket ids on the queue board, column by column, in the order shown."""
        return self.driver.execute_script("return [...document.querySelectorAll('#queue-board [data-ticket-id]')].map((e) => e.dataset.ticketId)")

    def search_queue(self, words: str, showing: list[str] | None = None):
        """Types `words` into the queue's search and waits until the search went to the server and,
        given `showing`, until the board shows exactly those ticket ids: a card found before that
        may be from the unfiltered board, about to be replaced."""
        self.type("#queue-search", words)
        self.wait().until(lambda d: d.execute_script(
            "return performance.getEntriesByType('resource').some((e) => e.name.includes('q=' + encodeURIComponent(arguments[0])))", words),
            "the search never went to the server")
        if showing is not None:
            self.wait().until(lambda d: self.board_ids() == showing, f"the search did not leave just {showing} on the board")


_fresh_users = itertools.count(1)


def new_user(campus, role: str = "student", prefix: str = "browser") -> dict:
    """A fresh account made by the admin through the gateway: {email, password, name, id, token}.
    Tests that keep state on a person (saved courses, mail choices, feeds) use one of their own,
    so they neither see nor disturb another test's."""
    n = next(_fresh_users)
    email, password = f"{prefix}-{role}-{n}@example.com", f"{prefix}-password-123"
    name = f"{prefix.title()} {role.title()} {n}"
    r = campus.post("gateway", "/api/users", token=campus.token("admin"), json={"email": email, "name": name, "password": password, "role": role})
    assert r.status_code == 201, r.text
    return {"email": email, "password": password, "name": name, "id": r.json()["id"], "token": campus.login(email, password)}


class Api:
    """Plain requests to the gateway with a token from the real sign-in."""

    def __init__(self, campus, role: str | None = None, email: str | None = None, password: str | None = None):
        """Signed in as a seeded user (`role`) or as anyone by `email` and `password` (see new_user)."""
        self.base = campus.gateway
        self.http = requests.Session()
        self.http.trust_env = False
        if role:
            email, password = DEFAULT_USERS[role]
        r = self.http.post(f"{self.base}/auth/login", json={"email": email, "password": password}, timeout=10)
        r.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        self.me = self.http.get(f"{self.base}/auth/me", timeout=10).json()

    def get(self, path: str, **params):
        r = self.http.get(self.base + path, params=params, timeout=10)
        r.raise_for_status()
        return r

    def post(self, path: str, body: dict):
        r = self.http.post(self.base + path, json=body, timeout=10)
        assert r.status_code in (200, 201), r.text
        return r.json()

    def put(self, path: str, body: dict):
        r = self.http.put(self.base + path, json=body, timeout=10)
        assert r.status_code == 200, r.text
        return r.json()

    def patch(self, path: str, body: dict):
        r = self.http.patch(self.base + path, json=body, timeout=10)
        assert r.status_code == 200, r.text
        return r.json()

    def ticket(self, title: str, description: str, location: str = "Library, ground floor") -> dict:
        return self.post("/api/tickets", {"title": title, "description": description, "location": location})

    def total(self, **params) -> int:
        return int(self.get("/api/tickets", limit=1, **params).headers["X-Total-Count"])


def sideways_overflow(browser, section_id: str) -> tuple[int, list[str]]:
    """(the page's scroll width, what sticks out of section `section_id` on the right): a section that fits a
    phone has neither a page wider than the window nor a child wider than itself."""
    browser.driver.execute_script(f"document.getElementById('{section_id}').scrollIntoView()")
    width = browser.driver.execute_script("return document.documentElement.scrollWidth")
    overflowing = browser.driver.execute_script("""
        const section = document.getElementById(arguments[0]);
        return [...section.querySelectorAll('*')].filter((e) => e.getClientRects().length && e.getBoundingClientRect().right > section.getBoundingClientRect().right + 0.5)
          .map((e) => e.id || e.className || e.tagName)""", section_id)
    return width, overflowing
