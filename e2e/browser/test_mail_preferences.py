"""The "E-mail" section of the profile page: Public/js/mail-preferences.js over
GET/PUT /api/notifications/preferences (the mail spec: five keys, defaults by role, `email_available`
false while the server has no SMTP_HOST).

Every test signs in as a fresh user of its own (made through the admin API), so the defaults are
the server's, and a choice saved here touches no other test. What the page shows is compared with
what the API says for the same user (through campus.get, so the answers are also checked against
the notification service's OpenAPI document).

One test starts a second `campus serve` with SMTP_HOST set (to a loopback port nothing listens on:
no mail is owed there, and a mail server that is down only delays mail) to see the "not set up"
note go away when the server can send e-mail.
"""
from __future__ import annotations


import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from browser_support import sideways_overflow
from browser_support import new_user as fresh_user
from support.campus import CampusServer
from support.services import free_port
from test_accessibility import serious

PREFERENCES = "/api/notifications/preferences"
KEYS = ["booking_updates", "ticket_updates", "assignments", "sla_breaches", "broadcasts"]
LABELS = {
    "booking_updates": "Booking confirmations and cancellations",
    "ticket_updates": "Updates on my tickets",
    "assignments": "Tickets assigned to me",
    "sla_breaches": "SLA breaches",
    "broadcasts": "Announcements from administrators",
}
DEFAULTS = {  # the spec's defaults, until the person changes them
    "student": {"booking_updates": True, "ticket_updates": True, "assignments": False, "sla_breaches": False, "broadcasts": False},
    "faculty": {"booking_updates": True, "ticket_updates": True, "assignments": False, "sla_breaches": False, "broadcasts": False},
    "admin": {"booking_updates": True, "ticket_updates": True, "assignments": False, "sla_breaches": False, "broadcasts": False},
    "technician": {"booking_updates": True, "ticket_updates": True, "assignments": True, "sla_breaches": True, "broadcasts": False},
}
LOADED = "#mail-prefs:not([aria-busy]) #mail-prefs-choices"
NOTE = "#mail-prefs-unavailable"

def new_user(campus, role: str) -> dict:
    return fresh_user(campus, role, prefix="mailpref")


@pytest.fixture
def app(browsers):
    """Factory: a browser signed in as a fresh user of `role` (the user is `browser.user`), on the profile page."""
    def open_app(role: str = "student", width: int = 1280, height: int = 900):
        browser = browsers(width, height)
        user = new_user(browser.campus, role)
        browser.login(email=user["email"], password=user["password"])
        browser.user = user
        open_profile(browser)
        return browser
    return open_app


# helpers ----------------------------------------------------------------------------------------

def open_profile(browser):
    browser.go("profile")
    browser.find(LOADED, timeout=15)


def api_view(campus, token: str) -> dict:
    r = campus.get("gateway", PREFERENCES, token=token)
    assert r.status_code == 200, r.text
    view = r.json()
    assert sorted(view["email"]) == sorted(KEYS), view
    return view


def shown(browser) -> dict[str, bool]:
    """What the page's five boxes say, by preference key."""
    return {key: browser.find(f"#mail-pref-{key}").is_selected() for key in KEYS}


def saved(browser, timeout: float = 10):
    region = browser.text_in("#mail-prefs-status", "Saved", timeout)
    assert region.get_attribute("role") == "status"
    assert region.get_attribute("aria-live") == "polite"
    assert text_of(browser, "#mail-prefs-error") == ""


def text_of(browser, css: str) -> str:
    """The text of an element that may be empty (and so not displayed): `browser.find` waits for it to show."""
    return browser.driver.execute_script("return document.querySelector(arguments[0]).textContent", css).strip()


def boxes_enabled(browser) -> list[bool]:
    """Whether each box can be changed (`:disabled` also counts a disabled fieldset around it)."""
    return browser.driver.execute_script("return [...document.querySelectorAll('#mail-prefs-choices input[type=checkbox]')].map((b) => !b.matches(':disabled'))")


# PUT /preferences held until the test lets it go (window.__releasePut()), or answered with a refusal.
HOLD_PUT = """
window.__puts = [];
const held = window.fetch;
window.fetch = (url, options) => {
  if (!String(url).endsWith('/api/notifications/preferences') || (options?.method ?? 'GET') !== 'PUT') return held(url, options);
  window.__puts.push(JSON.parse(options.body));
  return new Promise((resolve, reject) => { window.__releasePut = () => held(url, options).then(resolve, reject); });
};
"""
REFUSE_PUT = """
window.__puts = [];
const refused = window.fetch;
window.fetch = async (url, options) => {
  if (!String(url).endsWith('/api/notifications/preferences') || (options?.method ?? 'GET') !== 'PUT') return refused(url, options);
  window.__puts.push(JSON.parse(options.body));
  return new Response(JSON.stringify({ type: 'about:blank', title: 'x', status: 503, detail: 'Simulated refusal 503', code: 'simulated' }),
                      { status: 503, headers: { 'Content-Type': 'application/problem+json' } });
};
"""


# 1. a student: the defaults, a choice saved, still there after a reload --------------------------

def test_a_student_sees_the_defaults_and_an_unticked_choice_is_saved(app, campus):
    browser = app("student")
    token = browser.user["token"]
    assert api_view(campus, token)["email"] == DEFAULTS["student"]
    assert shown(browser) == DEFAULTS["student"]

    # five labelled boxes in a fieldset with a legend, all shown to a student too
    section = browser.find("#mail-prefs")
    assert section.find_element(By.TAG_NAME, "h2").text.strip() == "E-mail"
    fieldset = browser.find("fieldset#mail-prefs-choices")
    assert fieldset.find_element(By.TAG_NAME, "legend").text.strip()
    for key in KEYS:
        box = browser.find(f"#mail-pref-{key}")
        assert box.get_attribute("type") == "checkbox"
        label = browser.find(f'label[for="mail-pref-{key}"]')
        assert label.text.strip() == LABELS[key], f"{key} is labelled {label.text!r}"
        assert box.is_enabled()

    # untick "Updates on my tickets" (by its label): saved, the API says so, the others are as they were
    browser.click('label[for="mail-pref-ticket_updates"] span')
    saved(browser)
    assert not browser.find("#mail-pref-ticket_updates").is_selected()
    expected = {**DEFAULTS["student"], "ticket_updates": False}
    assert api_view(campus, token)["email"] == expected
    assert boxes_enabled(browser) == [True] * 5

    # a reload shows what the server has
    browser.driver.refresh()
    browser.page("profile")
    browser.find(LOADED, timeout=15)
    assert shown(browser) == expected
    assert text_of(browser, "#mail-prefs-status") == ""

    # and ticking one on saves that too
    browser.click("#mail-pref-broadcasts")
    saved(browser)
    assert api_view(campus, token)["email"] == {**expected, "broadcasts": True}


# 2. defaults by role ----------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["technician", "faculty", "admin"])
def test_the_defaults_follow_the_role(app, campus, role):
    """Technicians get assignments and SLA breaches ticked; everyone sees all five boxes."""
    browser = app(role)
    assert api_view(campus, browser.user["token"])["email"] == DEFAULTS[role]
    assert shown(browser) == DEFAULTS[role]
    assert len(browser.all("#mail-prefs-choices input[type=checkbox]")) == 5
    if role == "technician":
        assert browser.find("#mail-pref-assignments").is_selected()
        assert browser.find("#mail-pref-sla_breaches").is_selected()


# 3. the "not set up" note -----------------------------------------------------------------------

def test_the_note_shows_when_the_server_has_no_smtp_host(app, campus):
    assert not campus.env.get("SMTP_HOST"), "the suite's server was started with SMTP_HOST from the environment"
    browser = app("student")
    assert api_view(campus, browser.user["token"])["email_available"] is False
    note = browser.find(NOTE)
    assert "does not send e-mail yet" in note.text and "take effect once it does" in note.text, note.text
    # the boxes stay usable: a choice is saved all the same
    assert boxes_enabled(browser) == [True] * 5
    browser.click("#mail-pref-booking_updates")
    saved(browser)
    assert api_view(campus, browser.user["token"])["email"]["booking_updates"] is False
    assert browser.find(NOTE).is_displayed()


def test_no_note_when_the_server_sends_e_mail(browsers):
    smtp = CampusServer(env={"LOGIN_RATE_PER_MINUTE": "10000", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(free_port()), "SMTP_TLS": "none"},
                        log_name="browser-smtp")
    smtp.start()
    try:
        browser = browsers()
        browser.campus = smtp  # this browser talks to the server with SMTP_HOST
        browser.login("student")
        open_profile(browser)
        assert api_view(smtp, smtp.token("student"))["email_available"] is True
        assert shown(browser) == DEFAULTS["student"]
        assert browser.all(f"{NOTE}:not([hidden])") == []
        assert not browser.driver.find_element(By.CSS_SELECTOR, NOTE).is_displayed()
    finally:
        smtp.close()


# 4. while saving, and when saving fails ---------------------------------------------------------

def test_the_boxes_are_disabled_while_saving_and_focus_stays(app, campus):
    browser = app("student")
    browser.driver.execute_script(HOLD_PUT)
    box = browser.find("#mail-pref-broadcasts")
    browser.driver.execute_script("arguments[0].focus()", box)
    box.send_keys(Keys.SPACE)  # the keyboard's way
    browser.wait().until(lambda d: d.execute_script("return window.__puts.length") == 1, "no PUT was sent")
    assert browser.driver.execute_script("return window.__puts") == [{"email": {"broadcasts": True}}]
    assert boxes_enabled(browser) == [False] * 5, "the boxes can be changed while a choice is saved"
    assert text_of(browser, "#mail-prefs-status") == ""
    browser.driver.execute_script("window.__releasePut()")
    saved(browser)
    assert boxes_enabled(browser) == [True] * 5
    assert browser.driver.switch_to.active_element.get_attribute("id") == "mail-pref-broadcasts", "focus left the box that was saved"
    assert api_view(campus, browser.user["token"])["email"]["broadcasts"] is True

    # a click on another box while a choice is saved changes nothing, and sends nothing
    browser.click("#mail-pref-booking_updates")
    browser.wait().until(lambda d: d.execute_script("return window.__puts.length") == 2, "no second PUT was sent")
    browser.driver.find_element(By.CSS_SELECTOR, 'label[for="mail-pref-sla_breaches"]').click()
    assert not browser.find("#mail-pref-sla_breaches").is_selected(), "a box changed while another choice was saved"
    browser.driver.execute_script("window.__releasePut()")
    browser.wait().until(lambda d: boxes_enabled(browser) == [True] * 5, "the boxes stayed disabled")
    assert browser.driver.execute_script("return window.__puts") == [{"email": {"broadcasts": True}}, {"email": {"booking_updates": False}}]
    assert api_view(campus, browser.user["token"])["email"] == {**DEFAULTS["student"], "broadcasts": True, "booking_updates": False}
    assert shown(browser) == {**DEFAULTS["student"], "broadcasts": True, "booking_updates": False}


def test_a_refused_save_is_shown_and_the_box_goes_back(app, campus):
    browser = app("student")
    browser.driver.execute_script(REFUSE_PUT)
    browser.click("#mail-pref-booking_updates")
    error = browser.text_in("#mail-prefs-error", "Simulated refusal 503")
    assert error.get_attribute("role") == "alert"
    browser.wait().until(lambda d: d.find_element(By.CSS_SELECTOR, "#mail-pref-booking_updates").is_selected(), "the box did not go back to what the server has")
    assert "Saved" not in text_of(browser, "#mail-prefs-status")
    assert boxes_enabled(browser) == [True] * 5
    assert browser.driver.execute_script("return window.__puts") == [{"email": {"booking_updates": False}}]
    assert api_view(campus, browser.user["token"])["email"] == DEFAULTS["student"]


def test_the_api_refuses_unknown_keys_and_non_booleans(campus):
    """What the page relies on: a PUT names only the five keys, with booleans (422 problem+json otherwise)."""
    user = new_user(campus, "student")
    for body in ({"email": {"newsletters": True}}, {"email": {"broadcasts": "yes"}}):
        r = campus.request("PUT", "gateway", PREFERENCES, token=user["token"], json=body, validate_request=False)
        assert r.status_code == 422, f"{body} → {r.status_code} {r.text}"
        assert r.headers["Content-Type"].startswith("application/problem+json"), r.headers["Content-Type"]
    assert api_view(campus, user["token"])["email"] == DEFAULTS["student"]
    r = campus.request("PUT", "gateway", PREFERENCES, token=user["token"], json={"email": {"broadcasts": True, "ticket_updates": False}})
    assert r.status_code == 200, r.text
    assert r.json()["email"] == {**DEFAULTS["student"], "broadcasts": True, "ticket_updates": False}
    assert r.json() == api_view(campus, user["token"])


# 5. accessibility and a 320 px phone ------------------------------------------------------------

def test_the_section_passes_axe_and_fits_a_320px_phone(app):
    browser = app("technician", 320, 640)
    width, overflowing = sideways_overflow(browser, "mail-prefs")
    assert width <= 320, f"the profile page scrolls sideways at 320 px: {width}px"
    assert overflowing == [], f"sticking out of the section at 320 px: {overflowing}"
    assert serious(browser) == []
