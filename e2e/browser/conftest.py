"""Fixtures for the browser suite: one `campus serve` for the whole run, headless Chromium
sessions (Debian's /usr/bin/chromium + /usr/bin/chromedriver, nothing downloaded), screenshots
of every open browser when a test fails, and a CSP check after every test."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from support.campus import CampusServer, ROOT
from browser_support import App

SCREENSHOT_DIR = ROOT / ".build" / "browser-screenshots"
CHROMIUM = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver")


@pytest.fixture(scope="session")
def campus():
    server = CampusServer(env={"LOGIN_RATE_PER_MINUTE": "10000", "SLA_CHECK_SECONDS": "1", "RELEASE_CHECK_SECONDS": "1"}, log_name="browser")
    server.start()
    yield server
    server.close()


def make_driver(width: int = 1280, height: int = 900) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--disable-extensions", "--no-first-run", "--disable-background-networking",
                "--lang=en-US", f"--window-size={width},{height}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    if width < 600:  # headless Chromium keeps windows at least ~500 px wide: emulate the phone's viewport
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    return driver


CSP_PATTERN = re.compile(r"Content Security Policy|Refused to (execute|apply|load|connect|frame)", re.I)


def csp_violations(logs: list[dict]) -> list[str]:
    return [entry["message"] for entry in logs if CSP_PATTERN.search(entry.get("message", ""))]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def browsers(request, campus):
    """Factory: browsers() → a new App (own Chromium, own sessionStorage). All are closed after the
    test; on failure each one's screenshot goes to .build/browser-screenshots/."""
    opened: list[App] = []

    def open_browser(width: int = 1280, height: int = 900) -> App:
        app = App(make_driver(width, height), campus)
        opened.append(app)
        return app

    yield open_browser
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    problems = []
    for index, app in enumerate(opened):
        try:
            if failed:
                SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
                name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
                app.driver.save_screenshot(str(SCREENSHOT_DIR / f"{name}-{index}.png"))
            logs = app.logs()
            problems += csp_violations(logs)
        finally:
            app.driver.quit()
    if not failed:
        assert not problems, f"CSP violations in the browser console: {problems}"


@pytest.fixture
def browser(browsers) -> App:
    return browsers()
