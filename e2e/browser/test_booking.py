"""Booking journeys: a student books a free slot and the confirmation notice arrives (outbox →
notification service → bell); refusals are shown inline; rooms with open tickets carry a warning;
a faculty member books a weekly series and cancels it."""
from selenium.webdriver.common.by import By

from support.slots import days_ahead


def open_day(app, date: str):
    app.go("book")
    date_input = app.find("#availability table") and app.driver.find_element(By.CSS_SELECTOR, 'input[type="date"]')
    app.driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'))", date_input, date)
    app.wait().until(lambda d: d.find_elements(By.CSS_SELECTOR, f'#availability button.slot-free[data-date="{date}"]'), f"grid for {date}")


def test_student_books_a_slot_and_gets_the_notice(browser, campus):
    day = days_ahead(3)
    browser.login("student")
    # the bell's count once the page has loaded it (its label says so): read at once, the badge may
    # still be the empty one of the page as served, and "rose" would not need the new notice
    browser.wait().until(lambda d: d.find_element(By.ID, "bell").get_attribute("aria-label") != "Notifications",
                         "the bell never loaded its count")
    before = browser.bell_count()
    open_day(browser, day)
    browser.click(f'#availability button.slot-free[data-room="4"][data-date="{day}"][data-start="09:00"]')
    browser.find("#booking-panel form")
    browser.select('#booking-panel select[name="end"]', "11:00")
    browser.type('#booking-panel input[name="purpose"]', "Exam revision")
    browser.click("#booking-submit")
    browser.text_in("#booking-success", "09:00–11:00")
    # the slot is now taken in the grid
    browser.wait().until(lambda d: not d.find_elements(By.CSS_SELECTOR, f'#availability button.slot-free[data-room="4"][data-date="{day}"][data-start="09:00"]'))
    # the confirmation notice comes through the outbox; the bell picks it up by itself
    browser.wait(20).until(lambda d: browser.bell_count() > before, "bell count never rose")
    browser.click("#bell")
    notice = browser.text_in("#notification-list", "Booking confirmed", timeout=15)
    assert "Study Room L2" in notice.text
    # my bookings lists it
    browser.go("bookings")
    row = browser.text_in("#booking-list", "Study Room L2")
    assert "09:00–11:00" in row.text and "Exam revision" in row.text
    # mark it read: the bell goes down
    count = browser.bell_count()
    browser.go("notifications")
    browser.click("#mark-all-read")
    browser.wait().until(lambda d: browser.bell_count() == 0)
    assert count > 0


def test_refusal_is_shown_inline(browser, campus):
    day = days_ahead(4)
    browser.login("student")
    open_day(browser, day)
    slot = f'#availability button.slot-free[data-room="1"][data-date="{day}"][data-start="13:00"]'
    browser.find(slot)
    # someone else takes the slot after the grid was loaded
    faculty = campus.token("faculty")
    assert campus.post("gateway", "/api/bookings", token=faculty, json={"room_id": 1, "date": day, "start_time": "13:00", "end_time": "14:00", "purpose": "Office hours"}).status_code == 201
    browser.click(slot)
    browser.click("#booking-submit")
    error = browser.text_in("#booking-error", "13:00")
    assert error.is_displayed() and error.text.strip() != ""
    assert not browser.all("#booking-success")


def test_room_with_open_ticket_carries_a_warning(browser, campus):
    faculty = campus.token("faculty")
    r = campus.post("gateway", "/api/tickets", token=faculty, json={"title": "Door lock broken", "description": "The door of the study room does not lock any more.", "location": "Library, Study Room L1", "room_id": 3})
    assert r.status_code == 201
    priority = r.json()["priority"]
    browser.login("student")
    browser.go("book")
    badge = browser.find('[data-room-warning="3"]')
    assert "open issue" in badge.text and priority in badge.text
    assert not browser.all('[data-room-warning="10"]'), "a room without tickets shows a warning"


def test_faculty_books_a_weekly_series_and_cancels_it(browser, campus):
    day = days_ahead(5)
    browser.login("faculty")
    open_day(browser, day)
    browser.click(f'#availability button.slot-free[data-room="8"][data-date="{day}"][data-start="10:00"]')
    browser.select('#booking-panel select[name="end"]', "12:00")
    browser.type('#booking-panel input[name="purpose"]', "Intro lecture")
    browser.click('#booking-panel input[name="repeat"]')
    browser.type('#booking-panel input[name="weeks"]', "4")
    browser.click("#booking-submit")
    browser.text_in("#booking-success", "4 bookings")
    browser.go("bookings")
    browser.wait().until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "[data-booking-id][data-series]:not([data-series=''])")) == 4)
    series = browser.find("[data-booking-id][data-series]:not([data-series=''])").get_attribute("data-series")
    browser.click('[data-action="cancel-series"]')
    browser.click('dialog [data-action="confirm"]')
    browser.wait().until(lambda d: not d.find_elements(By.CSS_SELECTOR, f'[data-series="{series}"]'), "series still listed")
    token = campus.token("faculty")
    mine = campus.get("gateway", "/api/bookings", token=token).json()
    assert [b["status"] for b in mine if b["series_id"] == series] == ["cancelled"] * 4


def test_student_cancels_a_booking(browser, campus):
    day = days_ahead(6)
    student = campus.token("student")
    r = campus.post("gateway", "/api/bookings", token=student, json={"room_id": 5, "date": day, "start_time": "15:00", "end_time": "16:00", "purpose": "Club meeting"})
    assert r.status_code == 201
    booking_id = r.json()["id"]
    browser.login("student")
    browser.go("bookings")
    browser.click(f'[data-booking-id="{booking_id}"] [data-action="cancel"]')
    browser.click('dialog [data-action="confirm"]')
    browser.wait().until(lambda d: not d.find_elements(By.CSS_SELECTOR, f'[data-booking-id="{booking_id}"]'))
    cancelled = campus.get("gateway", "/api/bookings?status=cancelled", token=student).json()
    assert booking_id in [b["id"] for b in cancelled]


def test_calendar_feed_link(browser, campus):
    """The .ics link needs the bearer token: the page fetches the feed and hands it over as a file."""
    day = days_ahead(7)
    student = campus.token("student")
    assert campus.post("gateway", "/api/bookings", token=student, json={"room_id": 10, "date": day, "start_time": "08:00", "end_time": "09:00", "purpose": "Feed check"}).status_code == 201
    browser.login("student")
    browser.go("bookings")
    link = browser.find("#ics-link")
    assert link.get_attribute("href").endswith("/api/bookings/calendar.ics")
    # capture the file the click produces
    browser.driver.execute_script("""
        window.__ics = null;
        const original = URL.createObjectURL;
        URL.createObjectURL = (blob) => { blob.text().then((t) => { window.__ics = t; }); return original(blob); };
        HTMLAnchorElement.prototype.click = function () { window.__downloaded = this.download; };""")
    link.click()
    ics = browser.wait().until(lambda d: d.execute_script("return window.__ics"), "no calendar file")
    assert ics.startswith("BEGIN:VCALENDAR") and "Feed check" in ics
    assert browser.driver.execute_script("return window.__downloaded") == "campus-bookings.ics"
