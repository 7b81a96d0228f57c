"""Booking, My bookings and GPA, second pass (issue 17).

This module runs its own `campus serve` whose campus time zone is chosen when the module starts:
one where it is now late morning or early afternoon (so today has past slots and free ones), and
every browser here runs in another time zone whose calendar date differs from the campus's. So
"today", the date limits and past slots are only right when the page follows the campus clock
(GET /auth/config → time_zone), never the browser's. Each test books as a fresh user of its own
(created through the admin API), so the upcoming-booking limits of one test do not touch another.
"""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from browser_support import new_user
from support.campus import CampusServer

# Zones without daylight saving time, one for (nearly) every whole-hour offset from UTC-11 to UTC+14.
ZONES = ["Pacific/Pago_Pago", "Pacific/Honolulu", "Pacific/Gambier", "Pacific/Pitcairn", "America/Phoenix",
         "America/Regina", "America/Bogota", "America/La_Paz", "America/Sao_Paulo", "Atlantic/South_Georgia",
         "Atlantic/Cape_Verde", "Africa/Abidjan", "Africa/Lagos", "Africa/Johannesburg", "Europe/Moscow",
         "Asia/Dubai", "Asia/Karachi", "Asia/Dhaka", "Asia/Bangkok", "Asia/Shanghai", "Asia/Tokyo",
         "Australia/Brisbane", "Pacific/Noumea", "Pacific/Tarawa", "Pacific/Tongatapu", "Pacific/Kiritimati"]


def _offset_hours(zone: str, now: datetime) -> float:
    return now.astimezone(ZoneInfo(zone)).utcoffset().total_seconds() / 3600


def pick_zones(now: datetime) -> tuple[str, str]:
    """(campus zone, browser zone): on campus it is 10:00–15:00 now (some of today's slots are past,
    some still free), the browser's calendar date differs from the campus's, and the two are as far
    apart as that allows."""
    best = None
    for campus_zone, browser_zone in itertools.product(ZONES, ZONES):
        local = now.astimezone(ZoneInfo(campus_zone))
        if not 10 * 60 <= local.hour * 60 + local.minute <= 15 * 60:
            continue
        if now.astimezone(ZoneInfo(browser_zone)).date() == local.date():
            continue
        score = (abs(_offset_hours(campus_zone, now)) >= 3, abs(_offset_hours(campus_zone, now) - _offset_hours(browser_zone, now)))
        if best is None or score > best[0]:
            best = (score, campus_zone, browser_zone)
    assert best, f"no pair of zones fits {now.isoformat()}"
    return best[1], best[2]


# chosen when this module's campus starts (not at collection: the suite may run long before it)
ZONE = {"campus": "UTC", "browser": "UTC"}


def campus_now() -> datetime:
    return datetime.now(timezone.utc).astimezone(ZoneInfo(ZONE["campus"]))


def campus_day(days: int = 0) -> str:
    return (campus_now().date() + timedelta(days=days)).isoformat()


@pytest.fixture(scope="module")
def campus():
    """This module's own campus, on the chosen campus time zone (overrides the suite's `campus`)."""
    ZONE["campus"], ZONE["browser"] = pick_zones(datetime.now(timezone.utc))
    server = CampusServer(env={"LOGIN_RATE_PER_MINUTE": "10000", "SLA_CHECK_SECONDS": "1", "CAMPUS_TIMEZONE": ZONE["campus"]},
                          log_name="browser-second-pass")
    server.start()
    yield server
    server.close()


@pytest.fixture
def app(browsers):
    """Factory: a browser in the browser zone, signed in as a fresh user of `role`."""
    def open_app(role: str = "student", width: int = 1280, height: int = 900):
        browser = browsers(width, height)
        browser.driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": ZONE["browser"]})
        user = new_user(browser.campus, role, prefix="pass2")
        email, password, token, user_id = user["email"], user["password"], user["token"], user["id"]
        browser.login(email=email, password=password)
        browser.user = {"email": email, "password": password, "token": token, "id": user_id}
        return browser
    return open_app


# helpers ----------------------------------------------------------------------------------------

WATCH_FETCH = """
window.__grid = [];
window.__slowDone = false;
const original = window.fetch;
window.fetch = async (url, options) => {
  const text = String(url);
  if (!text.includes('/api/bookings/available')) return original(url, options);
  window.__grid.push(text);
  const response = await original(url, options);
  if (window.__slowDate && text.includes('date=' + window.__slowDate)) {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    setTimeout(() => { window.__slowDone = true; }, 300);
  }
  return response;
};
"""


def set_date(app, day: str):
    date_input = app.find('input[type="date"]')
    app.driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'))", date_input, day)


def wait_grid(app, day: str, timeout: float = 10):
    app.wait(timeout).until(lambda d: d.find_elements(By.CSS_SELECTOR, f'#availability [data-date="{day}"]')
                            and not d.find_elements(By.CSS_SELECTOR, f'#availability [data-date]:not([data-date="{day}"])'),
                            f"the grid never showed {day} alone")


def open_day(app, day: str):
    app.go("book")
    app.find("#availability table")
    set_date(app, day)
    wait_grid(app, day)


def press(app, *keys):
    ActionChains(app.driver).send_keys(*keys).perform()


def active(app):
    return app.driver.switch_to.active_element


def tab_to(app, predicate, what: str, backwards: bool = False, limit: int = 400):
    """Press Tab (or Shift+Tab) until the focused element satisfies `predicate`."""
    for _ in range(limit):
        element = active(app)
        if predicate(element):
            return element
        if backwards:
            ActionChains(app.driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        else:
            press(app, Keys.TAB)
    raise AssertionError(f"Tab never reached {what}")


def type_date_keys(app, day: str):
    """Type a date into the focused date field as a person does (en-US: month, day, year)."""
    year, month, dom = day.split("-")
    press(app, month + dom + year)


def focused_attr(app, name: str) -> str | None:
    return active(app).get_attribute(name)


# 1. typing a date ---------------------------------------------------------------------------------

def test_typed_date_loads_the_grid_once_and_an_older_answer_never_wins(app, campus):
    browser = app()
    browser.go("book")
    browser.find("#availability table")
    browser.driver.execute_script(WATCH_FETCH)
    target = campus_day(5)
    date_input = browser.find('input[type="date"]')
    browser.driver.execute_script("arguments[0].focus()", date_input)
    type_date_keys(browser, target)
    wait_grid(browser, target)
    requests = browser.driver.execute_script("return window.__grid")
    assert len(requests) == 1, f"typing one date made {len(requests)} grid requests: {requests}"
    assert f"date={target}" in requests[0]
    assert date_input.get_attribute("value") == target

    # an answer for an older date that arrives late must not replace the newer date's grid
    older, newer = campus_day(6), campus_day(7)
    faculty = campus.token("faculty")
    assert campus.post("gateway", "/api/bookings", token=faculty, json={"room_id": 1, "date": newer, "start_time": "09:00", "end_time": "10:00", "purpose": "Taken on the newer day"}).status_code == 201
    browser.driver.execute_script("window.__slowDate = arguments[0]", older)
    set_date(browser, older)
    browser.wait().until(lambda d: any(f"date={older}" in url for url in d.execute_script("return window.__grid")), "no request for the older date")
    set_date(browser, newer)
    wait_grid(browser, newer)
    browser.wait().until(lambda d: d.execute_script("return window.__slowDone"), "the slow answer never came")
    wait_grid(browser, newer)
    assert not browser.all(f'#availability button.slot-free[data-room="1"][data-date="{newer}"][data-start="09:00"]'), \
        "the older date's answer (09:00 free) replaced the newer date's grid (09:00 taken)"
    assert browser.all(f'#availability button.slot-free[data-room="2"][data-date="{newer}"][data-start="09:00"]')


# 2. the campus clock ----------------------------------------------------------------------------

def test_today_past_slots_and_date_limits_follow_the_campus_clock(app):
    browser = app()
    browser.go("book")
    browser.find("#availability table")
    today = campus_day(0)
    browser_today = browser.driver.execute_script("const d = new Date(); return [d.getFullYear(), String(d.getMonth() + 1).padStart(2, '0'), String(d.getDate()).padStart(2, '0')].join('-')")
    assert browser_today != today, f"the test needs a browser date other than the campus's ({ZONE['campus']} vs {ZONE['browser']})"
    date_input = browser.find('input[type="date"]')
    assert date_input.get_attribute("min") == today
    assert date_input.get_attribute("max") == campus_day(14)
    assert date_input.get_attribute("value") == campus_day(1)

    before = campus_now().strftime("%H:%M")
    set_date(browser, today)
    wait_grid(browser, today)
    after = campus_now().strftime("%H:%M")
    checked_past = checked_free = 0
    for hour in range(8, 18):
        start = f"{hour:02d}:00"
        cell = browser.driver.find_element(By.CSS_SELECTOR, f'#availability [data-room="1"][data-date="{today}"][data-start="{start}"]')
        if start <= before:
            assert cell.get_attribute("data-state") == "past" and cell.text == "Past", f"{start} on campus (now {before}) is not shown as past"
            assert "past" in cell.get_attribute("aria-label") and cell.tag_name != "button"
            checked_past += 1
        elif start > after:
            assert cell.tag_name == "button", f"{start} on campus (now {after}) is not bookable"
            checked_free += 1
    assert checked_past >= 2 and checked_free >= 2
    assert "Past" in browser.find(".legend").text


# 3. a 409 refreshes the grid ------------------------------------------------------------------------

def test_a_conflict_refreshes_the_grid(app, campus):
    day = campus_day(4)
    browser = app()
    open_day(browser, day)
    slot = f'#availability button.slot-free[data-room="1"][data-date="{day}"][data-start="13:00"]'
    browser.find(slot)
    assert campus.post("gateway", "/api/bookings", token=campus.token("faculty"), json={"room_id": 1, "date": day, "start_time": "13:00", "end_time": "14:00", "purpose": "Office hours"}).status_code == 201
    browser.click(slot)
    browser.click("#booking-submit")
    error = browser.text_in("#booking-error", "13:00")
    assert error.is_displayed()
    browser.wait().until(lambda d: not d.find_elements(By.CSS_SELECTOR, slot), "the grid still offers the slot someone else took")
    taken = browser.find(f'#availability [data-room="1"][data-date="{day}"][data-start="13:00"]')
    assert taken.get_attribute("data-state") == "taken"
    assert browser.all(f'#availability button.slot-free[data-room="1"][data-date="{day}"][data-start="14:00"]'), "the rest of the grid is gone"
    assert focused_attr(browser, "id") == "booking-error", "focus did not stay with the refusal"


# 4. limits before a refusal ------------------------------------------------------------------------

def test_limits_are_shown_before_a_refusal_and_follow_bookings(app, campus):
    day = campus_day(3)
    browser = app()
    browser.go("book")
    line = browser.text_in("#booking-limits", "0 of 3 upcoming bookings used")
    assert "2 h max · 14 days ahead · 0 of 3 upcoming bookings used" in line.text
    set_date(browser, day)
    wait_grid(browser, day)
    browser.click(f'#availability button.slot-free[data-room="5"][data-date="{day}"][data-start="08:00"]')
    browser.click("#booking-submit")
    browser.find("#booking-success")
    browser.text_in("#booking-limits", "1 of 3 upcoming bookings used")
    browser.go("bookings")
    browser.text_in("#booking-limits", "1 of 3 upcoming bookings used")
    browser.click('#booking-list [data-action="cancel"]')
    browser.click('dialog [data-action="confirm"]')
    browser.text_in("#booking-limits", "0 of 3 upcoming bookings used")


# 5. focus after booking and cancelling; nothing covers the next "Book it" ------------------------------

def covered_by(app, element):
    """What the user sees at the middle of `element` (None when it is the element itself)."""
    return app.driver.execute_script("""
        const el = arguments[0];
        el.scrollIntoView({block: 'end'});
        const r = el.getBoundingClientRect();
        const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return top && (top === el || el.contains(top)) ? null : (top ? top.outerHTML.slice(0, 120) : 'nothing');""", element)


def test_focus_stays_put_after_booking_and_cancelling(app):
    day = campus_day(2)
    browser = app(width=390, height=800)
    open_day(browser, day)
    browser.click(f'#availability button.slot-free[data-room="2"][data-date="{day}"][data-start="09:00"]')
    browser.click("#booking-submit")
    browser.text_in("#booking-success", "09:00–10:00")
    browser.wait().until(lambda d: focused_attr(browser, "data-room") == "2", "focus left the row that was booked")
    assert focused_attr(browser, "data-date") == day and focused_attr(browser, "data-start") == "10:00"
    # the next booking from the keyboard: nothing (no toast) hides its "Book it"
    press(browser, Keys.ENTER)
    submit = browser.find("#booking-submit")
    assert covered_by(browser, submit) is None, f"the next Book it button is covered by {covered_by(browser, submit)}"
    browser.click("#booking-submit")
    browser.text_in("#booking-success", "10:00–11:00")
    assert focused_attr(browser, "data-start") == "11:00"

    browser.go("bookings")
    browser.wait().until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#booking-list [data-booking-id]")) == 2)
    first, second = [row.get_attribute("data-booking-id") for row in browser.all("#booking-list [data-booking-id]")]
    browser.click(f'[data-booking-id="{first}"] [data-action="cancel"]')
    browser.click('dialog [data-action="confirm"]')
    browser.wait().until(lambda d: not d.find_elements(By.CSS_SELECTOR, f'[data-booking-id="{first}"]'))
    browser.text_in("#bookings-status", "Booking cancelled")
    browser.wait().until(lambda d: active(browser).get_attribute("data-action") == "cancel", "focus left the list")
    assert active(browser).find_element(By.XPATH, "ancestor::*[@data-booking-id]").get_attribute("data-booking-id") == second


# 6. phones -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("width", [390, 320])
def test_phone_grid_keeps_the_room_column_and_the_page_does_not_scroll_sideways(app, width):
    browser = app(width=width, height=780)
    browser.go("book")
    browser.find("#availability table")
    browser.wait().until(lambda d: d.execute_script("return document.fonts.status") == "loaded")
    assert browser.driver.execute_script("return document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    state = browser.driver.execute_script("""
        const wrap = document.getElementById('availability');
        wrap.scrollLeft = 400;
        const th = wrap.querySelector('tbody th');
        const w = wrap.getBoundingClientRect(), r = th.getBoundingClientRect();
        return {scrolls: wrap.scrollWidth > wrap.clientWidth, scrolled: wrap.scrollLeft, wrapLeft: w.left, wrapRight: w.right, left: r.left, right: r.right,
                page: document.documentElement.scrollWidth, text: th.innerText};""")
    assert state["scrolls"] and state["scrolled"] > 0, state
    assert state["left"] >= state["wrapLeft"] - 1 and state["right"] <= state["wrapRight"] + 1, f"the room column scrolled away: {state}"
    assert state["text"].strip()
    assert state["page"] <= width
    browser.driver.execute_script("window.scrollTo(0, 0)")
    assert browser.driver.execute_script("return window.scrollX") == 0


# 7. GPA ---------------------------------------------------------------------------------------------

def course_names(app):
    return [row.find_element(By.CSS_SELECTOR, ".course-name").get_attribute("value") for row in app.all("#course-rows .course-row")]


def fill_course(app, n: int, name: str, grade: str, credits: str):
    """Type course `n` (1-based) into its row, adding rows as needed."""
    while len(app.all("#course-rows .course-row")) < n:
        app.click("#add-course")
    row = f"#course-rows .course-row:nth-child({n})"
    app.type(f"{row} .course-name", name)
    app.select(f"{row} .course-grade", grade)
    app.type(f"{row} .course-credits", credits)


def two_courses(app):
    """A- × 4 and B+ × 3: (14.8 + 9.9) / 7 = 3.53."""
    fill_course(app, 1, "Calculus I", "A-", "4")
    fill_course(app, 2, "Academic Writing", "B+", "3")
    app.text_in("#term-gpa", "3.53")


def test_gpa_keeps_courses_on_the_profile_per_user_until_cleared(app):
    browser = app()
    browser.go("gpa")
    two_courses(browser)
    fill_course(browser, 3, "Chemistry", "A", "3")
    browser.type("#prev-gpa", "3.2")
    browser.type("#prev-credits", "20")
    browser.text_in("#cumulative-gpa", ".")
    # saved to the profile ("Saved" only once what is on screen is what the profile holds)
    browser.wait().until(lambda d: browser.find("#courses-saved").get_attribute("data-state") == "saved")
    browser.text_in("#courses-saved", "Saved to your profile at")
    browser.driver.refresh()
    browser.page("gpa")
    browser.wait().until(lambda d: course_names(browser) == ["Calculus I", "Academic Writing", "Chemistry"])
    assert browser.find("#prev-gpa").get_attribute("value") == "3.2"
    assert browser.find("#prev-credits").get_attribute("value") == "20"
    # another user on the same browser does not see them
    browser.click("#logout")
    browser.login("faculty")
    browser.go("gpa")
    browser.find("#gpa-result .stat")
    assert course_names(browser) == [""]
    assert browser.find("#term-gpa").text == "—"
    browser.click("#logout")
    browser.login(email=browser.user["email"], password=browser.user["password"])
    browser.go("gpa")
    browser.wait().until(lambda d: course_names(browser) == ["Calculus I", "Academic Writing", "Chemistry"])
    # cleared (after saying what goes): gone after a reload too
    browser.click("#clear-courses")
    assert "all 3 courses" in browser.find("dialog[open]").text
    browser.click('dialog[open] [data-action="confirm"]')
    browser.wait().until(lambda d: course_names(browser) == [])
    browser.wait().until(lambda d: browser.find("#courses-saved").get_attribute("data-state") == "saved")
    browser.driver.refresh()
    browser.page("gpa")
    browser.text_in("#gpa-result", "Add a course")
    assert course_names(browser) == []


def test_gpa_planner_uses_the_result_and_asks_for_missing_values(app):
    browser = app()
    browser.go("gpa")
    two_courses(browser)
    planner = browser.find("#plan-result").find_elements(By.XPATH, "../div//input")
    current_gpa, current_credits, target, remaining = planner
    # the planner starts from the calculator's result: 3.53 over 7 credits
    browser.wait().until(lambda d: current_gpa.get_attribute("value") == "3.53" and current_credits.get_attribute("value") == "7")
    # previous terms join the result: (24.7 + 3.0 × 30) / 37 = 3.10
    browser.type("#prev-gpa", "3.0")
    browser.type("#prev-credits", "30")
    browser.text_in("#cumulative-gpa", "3.10")
    browser.wait().until(lambda d: current_gpa.get_attribute("value") == "3.10" and current_credits.get_attribute("value") == "37")
    # typed own values, then back to the result with the button
    # typed over as a person would (select all, type): the first key unlinks the field from the result,
    # so a calculation still finishing cannot fill it again under the typing
    current_gpa.send_keys(Keys.CONTROL, "a")
    current_gpa.send_keys("3.4")  # (3.5 × 67 − 3.4 × 37) / 30 = 3.62
    browser.text_in("#plan-result", "You need 3.62")
    browser.click("#use-result")
    browser.wait().until(lambda d: current_gpa.get_attribute("value") == "3.10")
    # an empty field: the planner asks for it instead of "Already there!"
    target.clear()
    browser.text_in("#plan-result", "Enter your target GPA")
    assert "Already there" not in browser.find("#plan-result").text
    remaining.clear()
    browser.text_in("#plan-result", "Enter your target GPA and credits remaining")
    target.send_keys("3.5")
    remaining.send_keys("30")
    browser.text_in("#plan-result", "You need 3.99")  # (3.5 × 67 − 3.10 × 37) / 30
    # a planner error is a sentence naming the field, which is marked
    target.clear()
    target.send_keys("5")
    message = browser.text_in("#plan-result", "Target GPA: must be between 0 and 4")
    assert "target_gpa" not in message.text
    assert target.get_attribute("aria-invalid") == "true"


def test_gpa_errors_name_the_course_and_field_and_focus_it(app):
    browser = app()
    browser.go("gpa")
    two_courses(browser)
    for _ in range(3):  # rows 3 and 4 stay empty: the service is not sent them, the message still says "Course 5"
        browser.click("#add-course")
    browser.type("#course-rows .course-row:nth-child(5) .course-name", "Chemistry")
    browser.select("#course-rows .course-row:nth-child(5) .course-grade", "B")
    credits = browser.find("#course-rows .course-row:nth-child(5) .course-credits")
    credits.clear()
    credits.send_keys("45", Keys.TAB)  # focus moves on before the answer comes
    error = browser.text_in("#gpa-error", "Course 5 (Chemistry)")
    assert error.text == "Course 5 (Chemistry): credits must be more than 0 and at most 30."
    assert credits.get_attribute("aria-invalid") == "true"
    browser.wait().until(lambda d: active(browser) == credits, "the invalid field did not get focus")
    credits.clear()
    credits.send_keys("4")
    browser.wait().until(lambda d: d.find_element(By.ID, "gpa-error").text == "")
    assert credits.get_attribute("aria-invalid") is None
    browser.type("#prev-credits", "30")
    prev = browser.type("#prev-gpa", "5")
    browser.text_in("#gpa-error", "Previous GPA: must be between 0 and 4")
    assert "previous_gpa" not in browser.find("#gpa-error").text
    assert prev.get_attribute("aria-invalid") == "true"


# 9. keyboard only ------------------------------------------------------------------------------------

def test_keyboard_only_booking_journey(app):
    day = campus_day(8)
    browser = app()
    # from the page title, back up into the navigation: "Book a room"
    tab_to(browser, lambda el: el.get_attribute("data-route") == "book", "the Book a room link", backwards=True)
    press(browser, Keys.ENTER)
    browser.page("book")
    browser.find("#availability table")
    browser.wait().until(lambda d: active(browser).get_attribute("id") == "page-title")
    tab_to(browser, lambda el: el.get_attribute("type") == "date", "the date field")
    type_date_keys(browser, day)
    wait_grid(browser, day)
    tab_to(browser, lambda el: el.get_attribute("data-room") == "3" and el.get_attribute("data-date") == day and el.get_attribute("data-start") == "10:00", "the 10:00 slot of room 3")
    press(browser, Keys.ENTER)
    browser.find("#booking-panel form")
    assert focused_attr(browser, "name") == "purpose"
    press(browser, "Keyboard study")
    tab_to(browser, lambda el: el.get_attribute("id") == "booking-submit", "Book it")
    press(browser, Keys.ENTER)
    browser.text_in("#booking-success", "10:00–11:00")
    tab_to(browser, lambda el: el.tag_name == "a" and (el.get_attribute("href") or "").endswith("#/bookings") and el.find_elements(By.XPATH, "ancestor::*[@id='booking-success']"), "See my bookings")
    press(browser, Keys.ENTER)
    browser.page("bookings")
    row = browser.text_in("#booking-list", "Keyboard study")
    assert "10:00–11:00" in row.text
    booking_id = browser.find("#booking-list [data-booking-id]").get_attribute("data-booking-id")
    tab_to(browser, lambda el: el.get_attribute("data-action") == "cancel", "Cancel")
    press(browser, Keys.ENTER)
    browser.find("dialog[open]")
    tab_to(browser, lambda el: el.get_attribute("data-action") == "confirm", "Cancel booking")
    press(browser, Keys.ENTER)
    browser.wait().until(lambda d: not d.find_elements(By.CSS_SELECTOR, f'[data-booking-id="{booking_id}"]'))
    browser.text_in("#bookings-status", "Booking cancelled")
    assert active(browser).tag_name != "body", "focus dropped to the page after cancelling"
    token = browser.user["token"]
    mine = browser.campus.get("gateway", "/api/bookings", token=token).json()
    assert [b["status"] for b in mine] == ["cancelled"]


# 10. issue 17 fixes: faculty-only rooms, dates out of range, the cancel dialog, days in words ---------

def day_words(iso: str) -> str:
    """"2026-12-02" → "Wed, Dec 2", as the page writes days (en-US browsers)."""
    d = datetime.fromisoformat(iso).date()
    return f"{d:%a}, {d:%b} {d.day}"


def test_a_student_sees_faculty_only_rooms_but_no_slot_of_them_can_be_booked(app):
    browser = app()
    limits = browser.campus.get("gateway", "/api/bookings/limits", token=browser.user["token"]).json()
    assert limits["faculty_only_rooms"] is False
    browser.go("book")
    browser.find("#availability table")
    assert not browser.all('#availability [data-room="8"]'), "faculty-only rooms are shown before asking"
    browser.click('.filters input[type="checkbox"]')
    day = campus_day(1)
    cells = browser.wait().until(lambda d: d.find_elements(By.CSS_SELECTOR, f'#availability [data-room="8"][data-date="{day}"]'), "Lecture Hall 1 never appeared")
    assert not browser.all('#availability button.slot-free[data-room="8"]'), "a slot of a faculty-only room is a button"
    for room in ("6", "7", "8", "9"):
        assert not browser.all(f'#availability button.slot-free[data-room="{room}"]'), f"room {room} (faculty only) offers slots to a student"
    cell = browser.find(f'#availability [data-room="8"][data-date="{day}"][data-start="10:00"]')
    assert cell.get_attribute("data-state") == "faculty-only" and cell.text == "Faculty only"
    assert "faculty only" in cell.get_attribute("aria-label") and "cannot book" in cell.get_attribute("aria-label")
    assert len(cells) >= 10
    row = cell.find_element(By.XPATH, "ancestor::tr/th")
    assert "faculty only" in row.text.lower()
    browser.text_in("#grid-note", "faculty only")
    assert "Faculty only" in browser.find(".legend").text
    # clicking it opens no form
    browser.driver.execute_script("arguments[0].click()", cell)
    assert browser.driver.find_element(By.ID, "booking-panel").get_attribute("hidden") is not None
    assert not browser.all("#booking-panel form")
    # the rooms the student may book still offer their slots
    assert browser.all(f'#availability button.slot-free[data-room="1"][data-date="{day}"]')

    # a faculty member books those rooms as before
    faculty = app("faculty")
    faculty.go("book")
    faculty.find(f'#availability button.slot-free[data-room="8"][data-date="{day}"][data-start="10:00"]')
    assert not faculty.all('#availability [data-state="faculty-only"]')


def test_a_date_out_of_range_empties_the_grid_and_says_which_dates_can_be_booked(app):
    browser = app()
    browser.go("book")
    browser.find("#availability table")
    browser.driver.execute_script(WATCH_FETCH)
    far, last = campus_day(25), campus_day(14)
    set_date(browser, far)
    browser.wait().until(lambda d: not d.find_elements(By.CSS_SELECTOR, "#availability table"), "the grid still shows the old day while the box says another")
    date_input = browser.find('input[type="date"]')
    assert date_input.get_attribute("value") == far
    assert date_input.get_attribute("aria-invalid") == "true"
    note = browser.text_in("#grid-note", f"Pick a date up to {day_words(last)}")
    assert day_words(far) in note.text and far not in note.text
    assert not browser.all("#availability [data-date]")
    assert day_words(far) in browser.find(".book-grid-section .section-title").text
    assert not any(f"date={far}" in url for url in browser.driver.execute_script("return window.__grid"))
    # another filter does not bring the old day back
    browser.select('.filters select[aria-label="Room"]', "1")
    browser.select('.filters select[aria-label="Room"]', "all")
    browser.text_in("#grid-note", "Pick a date up to")
    assert not browser.all("#availability [data-date]")
    # a day in the past: said so
    set_date(browser, campus_day(-2))
    browser.text_in("#grid-note", f"{day_words(campus_day(-2))} has passed")
    assert not browser.all("#availability [data-date]")
    # a date that can be booked: the grid is back and the box is no longer marked
    good = campus_day(3)
    set_date(browser, good)
    wait_grid(browser, good)
    assert date_input.get_attribute("aria-invalid") is None
    assert "Pick a date" not in browser.driver.find_element(By.ID, "grid-note").text


def test_the_cancel_dialog_says_keep_or_cancel_and_fits_a_320px_phone(app):
    browser = app(width=320, height=700)
    day = campus_day(5)
    r = browser.campus.post("gateway", "/api/bookings", token=browser.user["token"], json={"room_id": 3, "date": day, "start_time": "14:00", "end_time": "15:00", "purpose": "Reading group"})
    assert r.status_code == 201, r.text
    booking_id = r.json()["id"]
    browser.go("bookings")
    browser.click(f'[data-booking-id="{booking_id}"] [data-action="cancel"]')
    dialog = browser.find("dialog[open]")
    buttons = dialog.find_elements(By.CSS_SELECTOR, "button")
    assert [b.text for b in buttons] == ["Keep booking", "Cancel booking"]
    fit = browser.driver.execute_script("""
        const d = arguments[0].getBoundingClientRect();
        return [...arguments[0].querySelectorAll('button')].map((b) => {
          const r = b.getBoundingClientRect();
          return r.left >= d.left - 0.5 && r.right <= d.right + 0.5 && r.top >= d.top - 0.5 && r.bottom <= d.bottom + 0.5;
        }).concat([d.right <= window.innerWidth, document.documentElement.scrollWidth <= 320]);""", dialog)
    assert all(fit), f"a button sticks out of the dialog at 320 px: {fit}"
    # keeping it keeps it
    browser.click('dialog[open] [data-action="cancel"]')
    browser.wait().until(lambda d: not d.find_elements(By.CSS_SELECTOR, "dialog[open]"))
    assert browser.all(f'[data-booking-id="{booking_id}"]')
    assert active(browser).get_attribute("data-action") == "cancel"
    assert browser.campus.get("gateway", "/api/bookings?status=confirmed", token=browser.user["token"]).json()[0]["id"] == booking_id


def test_booking_days_read_the_same_in_every_message(app):
    browser = app()
    browser.go("book")
    browser.find("#availability table")
    today_words = day_words(campus_day(0))
    hint = browser.find('input[type="date"]').get_attribute("aria-describedby")
    assert browser.find(f"#{hint}").text == f"Today on campus is {today_words}."
    day = campus_day(4)
    words = day_words(day)
    set_date(browser, day)
    wait_grid(browser, day)
    assert browser.find(".book-grid-section .section-title").text == f"All rooms — {words}"
    browser.click(f'#availability button.slot-free[data-room="1"][data-date="{day}"][data-start="11:00"]')
    assert f"{words} · from 11:00" in browser.find("#booking-panel form").text
    browser.click("#booking-submit")
    success = browser.text_in("#booking-success", "Booked").text
    assert success.startswith(f"Booked Seminar Room A101, {words}, 11:00–12:00.")
    browser.go("bookings")
    row = browser.text_in("#booking-list", "Seminar Room A101").text
    assert f"{words}, 11:00–12:00" in row
    browser.click('#booking-list [data-action="cancel"]')
    assert browser.find("dialog[open] p").text == f"Seminar Room A101, {words}, 11:00–12:00."
    browser.click('dialog[open] [data-action="confirm"]')
    status = browser.text_in("#bookings-status", "Booking cancelled").text
    assert status == f"Booking cancelled: Seminar Room A101, {words}, 11:00–12:00."
    long_names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    for text in (success, row, status):
        assert not any(name in text for name in long_names) and day not in text, text


# 8. paging past 200 and ?id= (last: it adds 201 rooms to this module's campus) -------------------------

def test_my_bookings_reads_every_page_and_highlights_a_booking(app, campus):
    admin = campus.token("admin")
    rooms = []
    for n in range(201):
        r = campus.post("gateway", "/api/rooms", token=admin, json={"name": f"Paging Room {n:03d}", "building": "Annex", "capacity": 4, "features": [], "faculty_only": False})
        assert r.status_code == 201, r.text
        rooms.append(r.json()["id"])
    browser = app("faculty")
    token = browser.user["token"]
    # 17 weekly series of 12 (204 bookings), each cancelled, and one confirmed booking in the last room
    for k in range(17):
        r = campus.post("gateway", "/api/bookings", token=token, json={"room_id": rooms[k], "date": campus_day(1 + k % 7), "start_time": "10:00", "end_time": "11:00", "purpose": f"Series {k}", "repeat_weeks": 12})
        assert r.status_code == 201, r.text
        assert campus.request("DELETE", "gateway", f"/api/bookings/series/{r.json()['series_id']}", token=token).status_code == 204
    r = campus.post("gateway", "/api/bookings", token=token, json={"room_id": rooms[-1], "date": campus_day(2), "start_time": "12:00", "end_time": "13:00", "purpose": "Far room"})
    assert r.status_code == 201, r.text
    browser.go("bookings")
    row = browser.text_in("#booking-list", "Far room")
    assert "Paging Room 200" in row.text, "the room beyond the first 200 has no name"
    browser.select(".toolbar select", "all")
    browser.wait().until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#booking-list [data-booking-id]")) == 205, "not every booking is listed")

    # a link to one booking in the middle of the full list (cancelled: not among the upcoming ones)
    mine = campus.get("gateway", "/api/bookings?status=cancelled&limit=200", token=token).json()
    target = sorted(mine, key=lambda b: (b["date"], b["start_time"]))[100]
    browser.go("home")
    browser.driver.execute_script("location.hash = arguments[0]", f"#/bookings?id={target['id']}")
    highlighted = browser.find(f'#booking-list [data-booking-id="{target["id"]}"].is-highlighted')
    browser.wait().until(lambda d: d.execute_script("""
        const r = arguments[0].getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight && window.scrollY > 0;""", highlighted), "the booking was not scrolled into view")
    browser.wait().until(lambda d: active(browser) == highlighted, "the booking did not get focus")
    assert len(browser.all("#booking-list .is-highlighted")) == 1
