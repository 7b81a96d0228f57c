"""The calendar subscription address on My bookings (and, room calendars only, on the admin's Rooms
page): Public/js/calendar-feed.js over GET /api/bookings/feed and POST /api/bookings/feed/reset.

What a calendar app does is done here with plain `requests` (no token, no browser): it fetches the
address the page shows, and the answer is read with the `icalendar` library, not by matching text.
Every test signs in as a fresh user of its own (made through the admin API), so addresses reset
here and bookings made here touch no other test.

Clipboard: headless Chromium is granted clipboard access through CDP (Browser.grantPermissions),
and the copied text is read back with navigator.clipboard.readText(); the fallback (no clipboard:
the address is selected for the person to copy) is checked by taking navigator.clipboard away.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
import requests
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from browser_support import PAGES_OF, sideways_overflow
from browser_support import new_user as fresh_user
from support.slots import booking_uid
from test_accessibility import READY, serious

ADDRESS = re.compile(r"^/calendar/(?P<secret>[A-Za-z0-9_-]{43})\.ics$")
ROOM_ADDRESS = re.compile(r"^/calendar/(?P<secret>[A-Za-z0-9_-]{43})/rooms/(?P<room>\d+)\.ics$")

def new_user(campus, role: str) -> dict:
    return fresh_user(campus, role, prefix="calfeed")


@pytest.fixture
def app(browsers):
    """Factory: a browser signed in as a fresh user of `role` (the user is `browser.user`)."""
    def open_app(role: str = "student", width: int = 1280, height: int = 900, dark: bool = False):
        browser = browsers(width, height)
        if dark:
            browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
        user = new_user(browser.campus, role)
        browser.login(email=user["email"], password=user["password"])
        browser.user = user
        return browser
    return open_app


# helpers ----------------------------------------------------------------------------------------

def origin(browser) -> str:
    return browser.driver.execute_script("return location.origin")


def shown_address(browser, css: str = "#calendar-feed-url", other_than: str | None = None, timeout: float = 15) -> str:
    """The address in a read-only field once it is filled in (and differs from `other_than`)."""
    def filled(driver):
        fields = driver.find_elements(By.CSS_SELECTOR, css)
        value = fields[0].get_attribute("value") if fields else ""
        return value if value and value != other_than else False
    return browser.wait(timeout).until(filled, f"{css} never showed {'a new' if other_than else 'an'} address")


def path_of(address: str) -> str:
    return urlsplit(address).path


def feed_path(campus, token: str) -> dict:
    r = campus.get("gateway", "/api/bookings/feed", token=token)
    assert r.status_code == 200, r.text
    return r.json()


def subscribe(address: str) -> requests.Response:
    """What a calendar app does: GET the address, no token, no cookies."""
    session = requests.Session()
    session.trust_env = False
    return session.get(address, timeout=10)


def calendar_at(address: str) -> icalendar.Calendar:
    r = subscribe(address)
    assert r.status_code == 200, f"{address} answered {r.status_code}: {r.text[:300]}"
    assert r.headers["Content-Type"].split(";")[0].strip() == "text/calendar", r.headers["Content-Type"]
    return icalendar.Calendar.from_ical(r.content)


def calendar_name(calendar: icalendar.Calendar) -> str:
    """X-WR-CALNAME as a calendar app shows it. It is TEXT (RFC 5545 3.8.8.2: a non-standard property's
    default type; "Room A, Building" is sent as "Room A\\, Building"), but icalendar keeps an X-
    property as it came (vUnknown), so the TEXT escapes of RFC 5545 3.3.11 are undone here."""
    raw = calendar["X-WR-CALNAME"].to_ical().decode()
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], raw)


def events_by_uid(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def campus_zone(campus) -> ZoneInfo:
    return ZoneInfo(campus.get("gateway", "/auth/config").json()["time_zone"])


def book(campus, user: dict, room_id: int, days: int, purpose: str) -> tuple[dict, datetime]:
    """A one-hour booking through the API, in the room's first free slot `days` from today (the
    suite's other tests book in the same campus); returns it and when it starts (an aware datetime
    on the campus clock)."""
    zone = campus_zone(campus)
    day = (datetime.now(zone).date() + timedelta(days=days)).isoformat()
    slots = campus.get("gateway", "/api/bookings/available", token=user["token"], params={"room_id": room_id, "date": day}).json()
    free = [slot for slot in slots if slot["available"]]
    assert free, f"room {room_id} has no free slot on {day}"
    start, end = free[0]["start_time"], free[0]["end_time"]
    r = campus.post("gateway", "/api/bookings", token=user["token"], json={"room_id": room_id, "date": day, "start_time": start, "end_time": end, "purpose": purpose})
    assert r.status_code == 201, r.text
    return r.json(), datetime.fromisoformat(f"{day}T{start}").replace(tzinfo=zone)


def status_says(browser, text: str, css: str = "#calendar-feed-status", timeout: float = 10):
    """A sentence in a live region: the section's (reset), or a Copy button's (#<field id>-status)."""
    region = browser.text_in(css, text, timeout)
    assert region.get_attribute("role") == "status"
    return region


def grant_clipboard(browser):
    browser.driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": origin(browser), "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})


def read_clipboard(browser) -> str:
    return browser.driver.execute_async_script("const done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, (e) => done('error: ' + e))")


def press(browser, *keys):
    ActionChains(browser.driver).send_keys(*keys).perform()


def active_id(browser) -> str:
    return browser.driver.switch_to.active_element.get_attribute("id") or ""


def tab_to(browser, element_id: str, limit: int = 80):
    for _ in range(limit):
        if active_id(browser) == element_id:
            return
        press(browser, Keys.TAB)
    raise AssertionError(f"Tab never reached #{element_id} (stopped at #{active_id(browser)})")


# 1. the address, and a booking in it ------------------------------------------------------------

def test_student_sees_the_address_and_a_booking_appears_in_it(app, campus):
    browser = app("student")
    browser.go("bookings")
    address = shown_address(browser)
    site = origin(browser)
    path = feed_path(campus, browser.user["token"])["path"]
    assert ADDRESS.match(path), path
    assert address == site + path, "the field does not show the address the server gave"
    assert address.startswith(site + "/calendar/") and address.endswith(".ics")
    assert browser.find("#calendar-feed-url").get_attribute("readonly") is not None
    webcal = browser.find("#calendar-feed-url-webcal")
    assert webcal.get_attribute("href") == f"webcal://{urlsplit(site).netloc}{path}"
    assert "Open in calendar app" in webcal.text
    section = browser.find("#calendar-feed")
    assert "Subscribe in your calendar app" in section.find_element(By.TAG_NAME, "h2").text
    note = browser.find("#calendar-feed-private").text
    assert "private" in note and "anyone" in note and "15 minutes" in note, note

    before = calendar_at(address)
    assert before.walk("VEVENT") == []
    assert calendar_name(before) == f"Room bookings of {browser.user['name']}"

    booking, starts = book(campus, browser.user, room_id=2, days=3, purpose="Feed study group")
    after = events_by_uid(calendar_at(address))
    uid = booking_uid(booking)
    assert list(after) == [uid], f"expected only {uid}, got {list(after)}"
    event = after[uid]
    assert "Feed study group" in str(event["SUMMARY"])
    assert event.decoded("DTSTART") == starts, f"DTSTART {event.decoded('DTSTART')} is not {starts.isoformat()} on the campus clock"
    assert event.decoded("DTEND") == starts + timedelta(hours=1)
    assert str(event["STATUS"]) == "CONFIRMED"
    assert int(event["SEQUENCE"]) == 0


# 2. a cancellation stays in the feed, marked cancelled ----------------------------------------

def test_a_booking_cancelled_on_the_page_is_cancelled_in_the_feed(app, campus):
    browser = app("student")
    booking, starts = book(campus, browser.user, room_id=3, days=4, purpose="Feed cancel check")
    browser.go("bookings")
    address = shown_address(browser)
    uid = booking_uid(booking)
    assert str(events_by_uid(calendar_at(address))[uid]["STATUS"]) == "CONFIRMED"

    browser.click(f'[data-booking-id="{booking["id"]}"] [data-action="cancel"]')
    browser.click('dialog [data-action="confirm"]')
    browser.text_in("#bookings-status", "Booking cancelled")
    event = events_by_uid(calendar_at(address))[uid]
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == starts
    # the address did not change on the way
    assert shown_address(browser) == address


# 3. reset ---------------------------------------------------------------------------------------

def test_reset_through_the_confirmation_gives_a_new_address_and_ends_the_old(app, campus):
    browser = app("student")
    browser.go("bookings")
    old = shown_address(browser)
    assert calendar_at(old) is not None

    browser.click("#calendar-feed-reset")
    dialog = browser.find("dialog.dialog[open]")
    assert "stops working" in dialog.text
    browser.click('dialog [data-action="confirm"]')
    new = shown_address(browser, other_than=old)
    site = origin(browser)
    assert new.startswith(site + "/calendar/") and ADDRESS.match(path_of(new)), new
    assert new == site + feed_path(campus, browser.user["token"])["path"], "the page does not show the server's new address"
    assert browser.find("#calendar-feed-url-webcal").get_attribute("href") == f"webcal://{urlsplit(site).netloc}{path_of(new)}"
    status_says(browser, "old address has stopped working")
    assert "is-error" not in browser.find("#calendar-feed-status").get_attribute("class")

    gone = subscribe(old)
    assert gone.status_code == 404, gone.text
    assert gone.json()["code"] == "calendar_not_found"
    assert calendar_at(new) is not None  # 200, text/calendar


# 4. copy ----------------------------------------------------------------------------------------

def test_copy_puts_the_address_on_the_clipboard_and_falls_back_to_selecting_it(app):
    browser = app("student")
    browser.go("bookings")
    address = shown_address(browser)
    grant_clipboard(browser)
    browser.driver.execute_async_script("const done = arguments[arguments.length - 1]; navigator.clipboard.writeText('nothing yet').then(done, done)")
    assert read_clipboard(browser) == "nothing yet"

    browser.click("#calendar-feed-url-copy")
    status_says(browser, "Copied your calendar address", "#calendar-feed-url-status")
    assert read_clipboard(browser) == address

    # a click in the field selects the whole address, ready for the device's own Copy
    browser.click("#calendar-feed-url")
    selection = browser.driver.execute_script("const f = document.activeElement; return [f.id, f.selectionStart, f.selectionEnd]")
    assert selection == ["calendar-feed-url", 0, len(address)], selection

    # no clipboard (an insecure origin, an old browser): the address is selected instead
    browser.driver.execute_script("Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true })")
    browser.driver.execute_script("const f = document.getElementById('calendar-feed-url'); f.setSelectionRange(0, 0); f.blur()")
    browser.click("#calendar-feed-url-copy")
    status_says(browser, "is selected", "#calendar-feed-url-status")
    selection = browser.driver.execute_script("const f = document.activeElement; return [f.id, f.selectionStart, f.selectionEnd, f.value]")
    assert selection == ["calendar-feed-url", 0, len(address), address], selection


# 5. room calendars ------------------------------------------------------------------------------

def test_faculty_picks_a_room_and_its_calendar_is_served(app, campus):
    browser = app("faculty")
    browser.go("bookings")
    own = shown_address(browser)
    secret = ADDRESS.match(path_of(own))["secret"]
    rooms = campus.get("gateway", "/api/rooms", token=browser.user["token"], params={"limit": 200}).json()
    picker = Select(browser.find("#calendar-feed-room"))
    assert [o.get_attribute("value") for o in picker.options] == [str(r["id"]) for r in rooms]

    room = next(r for r in rooms if r["faculty_only"])
    other = new_user(campus, "faculty")
    booking, starts = book(campus, other, room_id=room["id"], days=11, purpose="Private lecture prep")
    first_room = shown_address(browser, "#calendar-feed-room-url")
    assert ROOM_ADDRESS.match(path_of(first_room))["room"] == str(rooms[0]["id"])
    picker.select_by_value(str(room["id"]))
    address = shown_address(browser, "#calendar-feed-room-url", other_than=first_room)
    site = origin(browser)
    assert address == f"{site}/calendar/{secret}/rooms/{room['id']}.ics"
    template = feed_path(campus, browser.user["token"])["room_path_template"]
    assert address == site + template.replace("{room_id}", str(room["id"]))
    assert browser.find("#calendar-feed-room-url-webcal").get_attribute("href") == f"webcal://{urlsplit(site).netloc}{path_of(address)}"

    calendar = calendar_at(address)
    assert calendar_name(calendar) == f"{room['name']}, {room['building']}"
    event = events_by_uid(calendar)[booking_uid(booking)]
    assert event.decoded("DTSTART") == starts
    assert "Private lecture prep" not in calendar.to_ical().decode(), "a room's calendar tells who booked it and why"

    # its own Copy button copies the room's address
    grant_clipboard(browser)
    browser.click("#calendar-feed-room-url-copy")
    status_says(browser, "Copied the room calendar address", "#calendar-feed-room-url-status")
    assert read_clipboard(browser) == address


def test_a_student_has_no_room_picker(app):
    browser = app("student")
    browser.go("bookings")
    shown_address(browser)
    browser.find("#calendar-feed-reset")
    assert browser.all("#calendar-feed-rooms, #calendar-feed-room, #calendar-feed-room-url") == []


def test_an_admin_follows_rooms_on_the_rooms_page(app, campus):
    """Admins have no bookings page (docs/contract.md §3) and their own feed is always empty: the
    Rooms page offers the room calendars only."""
    browser = app("admin")
    browser.go("rooms")
    address = shown_address(browser, "#calendar-feed-room-url")
    assert ROOM_ADDRESS.match(path_of(address)), address
    assert browser.all("#calendar-feed-url") == []
    rooms = campus.get("gateway", "/api/rooms", token=browser.user["token"], params={"limit": 200}).json()
    room = rooms[-1]
    Select(browser.find("#calendar-feed-room")).select_by_value(str(room["id"]))
    address = shown_address(browser, "#calendar-feed-room-url", other_than=address)
    assert path_of(address) == feed_path(campus, browser.user["token"])["room_path_template"].replace("{room_id}", str(room["id"]))
    assert calendar_name(calendar_at(address)) == f"{room['name']}, {room['building']}"


# 6. technicians ---------------------------------------------------------------------------------

WATCH_FEED_CALLS = """
window.__feedUrls = [];
const watched = window.fetch;
window.fetch = (url, options) => {
  if (String(url).includes('/api/bookings/feed')) window.__feedUrls.push(String(url));
  return watched(url, options);
};
"""


def test_a_technician_sees_no_section_and_no_error(app, campus):
    """Technicians have no address (403) and no page that would show one: no section, no error
    about it, and the page never even asks for one (so no refused request either)."""
    browser = app("technician")
    assert campus.get("gateway", "/api/bookings/feed", token=browser.user["token"]).status_code == 403
    browser.driver.execute_script(WATCH_FEED_CALLS)
    for page in PAGES_OF["technician"]:
        browser.go(page)
        browser.find(READY[page], timeout=15)
        assert browser.all("#calendar-feed") == [], f"#{page} shows the calendar section to a technician"
        errors = [e.text for e in browser.all("#main .alert-error, #main .is-error")]
        assert not [e for e in errors if re.search(r"calendar|book|not allowed", e, re.I)], f"#{page} shows an error about the address: {errors}"
    browser.go("home")
    browser.find(READY["home"])
    assert browser.all("#main .alert-error") == []
    browser.driver.execute_script("location.hash = '#/bookings'")
    browser.find('[data-page="not-available"]')
    assert browser.all("#calendar-feed, #main .alert-error") == []
    assert browser.driver.execute_script("return window.__feedUrls") == [], "a technician's page asked for a calendar address"


FEED_ANSWERS = """
window.__feedCalls = 0;
const original = window.fetch;
window.fetch = async (url, options) => {
  if (!String(url).endsWith('/api/bookings/feed')) return original(url, options);
  window.__feedCalls += 1;
  const status = __STATUS__;
  return new Response(JSON.stringify({ type: 'about:blank', title: 'x', status, detail: 'Simulated refusal ' + status, code: 'simulated' }),
                      { status, headers: { 'Content-Type': 'application/problem+json' } });
};
"""


@pytest.mark.parametrize("status", [403, 503])
def test_a_refused_address_hides_the_section_and_a_failure_shows_an_error(app, status):
    """The page's own handling of GET /feed answers: 403 (a role without an address) leaves no
    section and no error; any other failure is shown in the section, as the page shows errors."""
    browser = app("student")
    browser.driver.execute_script(FEED_ANSWERS.replace("__STATUS__", str(status)))
    browser.go("bookings")
    browser.find(READY["bookings"], timeout=15)
    browser.wait().until(lambda d: d.execute_script("return window.__feedCalls") >= 1, "the page never asked for the address")
    if status == 403:
        browser.wait().until(lambda d: not d.find_elements(By.CSS_SELECTOR, "#calendar-feed"), "the section stayed after a 403")
        assert browser.all("#main .alert-error, #main [role=alert]:not(:empty)") == []
    else:
        error = browser.find("#calendar-feed .alert-error")
        assert "Simulated refusal 503" in error.text
        assert browser.all("#calendar-feed-url") == []


# 7. accessibility, phone width, dark mode, keyboard ---------------------------------------------

@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_section_passes_axe_and_fits_a_320px_phone(app, dark):
    browser = app("faculty", 320, 640, dark=dark)
    assert browser.driver.execute_script("return matchMedia('(prefers-color-scheme: dark)').matches") is dark
    browser.go("bookings")
    shown_address(browser)
    shown_address(browser, "#calendar-feed-room-url")
    browser.find(READY["bookings"])
    width, overflowing = sideways_overflow(browser, "calendar-feed")
    assert width <= 320, f"the bookings page scrolls sideways at 320 px: {width}px"
    assert overflowing == [], f"sticking out of the section at 320 px: {overflowing}"
    assert serious(browser) == []
    # the confirmation too
    browser.click("#calendar-feed-reset")
    browser.find("dialog.dialog[open]")
    assert serious(browser) == []
    browser.click('dialog [data-action="cancel"]')


def test_the_section_works_with_the_keyboard_alone(app, campus):
    browser = app("student")
    browser.go("bookings")
    address = shown_address(browser)
    grant_clipboard(browser)
    browser.find(READY["bookings"])
    assert active_id(browser) == "page-title"

    tab_to(browser, "calendar-feed-url")
    selected = browser.driver.execute_script("const f = document.activeElement; return [f.selectionStart, f.selectionEnd]")
    assert selected == [0, len(address)], "Tab into the address does not select all of it"
    press(browser, Keys.TAB)
    assert active_id(browser) == "calendar-feed-url-copy"
    press(browser, Keys.ENTER)
    status_says(browser, "Copied", "#calendar-feed-url-status")
    assert read_clipboard(browser) == address
    press(browser, Keys.TAB)
    assert active_id(browser) == "calendar-feed-url-webcal"
    press(browser, Keys.TAB)
    assert active_id(browser) == "calendar-feed-reset"

    # Escape keeps the address, and focus comes back to the button
    press(browser, Keys.ENTER)
    browser.find("dialog.dialog[open]")
    press(browser, Keys.ESCAPE)
    browser.wait().until(lambda d: not d.find_elements(By.CSS_SELECTOR, "dialog"), "the dialog stayed open")
    assert active_id(browser) == "calendar-feed-reset"
    assert browser.find("#calendar-feed-url").get_attribute("value") == address
    assert origin(browser) + feed_path(campus, browser.user["token"])["path"] == address

    # Enter, Tab to "Reset address", Enter: a new address
    press(browser, Keys.ENTER)
    browser.find("dialog.dialog[open]")
    press(browser, Keys.TAB)
    assert browser.driver.switch_to.active_element.get_attribute("data-action") == "confirm"
    press(browser, Keys.ENTER)
    new = shown_address(browser, other_than=address)
    status_says(browser, "old address has stopped working")
    assert active_id(browser) == "calendar-feed-reset"
    assert subscribe(address).status_code == 404
    assert calendar_at(new) is not None
