"""Changing a booking through the page (issue 19, point 1): on My bookings a faculty member moves a
booking to another time, is refused inside the dialog when the new time is someone else's (the dialog
stays open, the time is marked taken), then moves it to a free time; moves the rest of a weekly series
to another room with "This and the following weeks"; "Keep as it is" changes nothing. Every step is
checked against the API, and the booker's bell gets the "Booking changed" notice."""
import datetime as dt
import uuid

import requests


def fresh_user(campus, role: str) -> tuple[str, str, requests.Session]:
    """A new account of `role` (its own upcoming-booking limit): (email, password, signed-in session)."""
    tag = uuid.uuid4().hex[:8]
    email, password = f"change-{role}-{tag}@example.com", "change-booking-123"
    r = campus.post("gateway", "/api/users", token=campus.token("admin"),
                    json={"email": email, "name": f"Change {role.title()} {tag}", "password": password, "role": role})
    assert r.status_code == 201, r.text
    http = requests.Session()
    http.trust_env = False
    http.headers["Authorization"] = f"Bearer {campus.login(email, password)}"
    return email, password, http


def fresh_room(campus, name: str) -> int:
    r = campus.post("gateway", "/api/rooms", token=campus.token("admin"),
                    json={"name": f"{name} {uuid.uuid4().hex[:6]}", "building": "Change Building", "capacity": 12})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def book(campus, http: requests.Session, body: dict) -> dict:
    r = http.post(f"{campus.gateway}/api/bookings", json=body, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()


def set_date(browser, css: str, value: str) -> None:
    """A date input's value as the page reads it (typing into one depends on the browser's locale)."""
    element = browser.find(css)
    browser.driver.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}))", element, value)


def test_move_refused_then_moved_and_series_moved(browsers, campus):
    config = requests.get(f"{campus.gateway}/auth/config", timeout=10).json()
    from zoneinfo import ZoneInfo
    today = dt.datetime.now(ZoneInfo(config.get("time_zone") or "UTC")).date()
    day = (today + dt.timedelta(days=3)).isoformat()
    room, other_room = fresh_room(campus, "Change room"), fresh_room(campus, "Other room")
    email, password, faculty = fresh_user(campus, "faculty")
    _, _, student = fresh_user(campus, "student")
    single = book(campus, faculty, {"room_id": room, "date": day, "start_time": "10:00", "end_time": "11:00", "purpose": "Office hours"})
    series = book(campus, faculty, {"room_id": room, "date": day, "start_time": "14:00", "end_time": "15:00", "purpose": "Reading group",
                                    "repeat_weeks": 3})
    book(campus, student, {"room_id": room, "date": day, "start_time": "12:00", "end_time": "13:00", "purpose": "Taken by a student"})

    page = browsers()
    page.login(email=email, password=password)
    page.go("bookings")
    row = f'#booking-list [data-booking-id="{single["id"]}"]'
    page.find(row)

    # "Keep as it is" changes nothing and gives focus back.
    page.click(f'{row} [data-action="change"]')
    page.find("dialog[open] select[name=room_id]")
    page.click("dialog[open] [data-action=cancel]")
    page.wait().until(lambda d: not page.all("dialog[open]"), "the dialog stayed open")
    assert page.driver.switch_to.active_element.get_attribute("data-action") == "change"
    assert faculty.get(f"{campus.gateway}/api/bookings/{single['id']}", timeout=10).json()["updated_at"] is None

    # Onto the student's hour: refused inside the dialog, which keeps what was entered.
    page.click(f'{row} [data-action="change"]')
    page.wait().until(lambda d: any("(taken)" in o.text for o in page.all("dialog[open] select[name=start_time] option")),
                      "the student's hour is not marked taken")
    page.select("dialog[open] select[name=start_time]", "12:00")
    page.select("dialog[open] select[name=end_time]", "13:00")
    page.click("dialog[open] [data-action=confirm]")
    page.text_in("dialog[open] .form-error", "already booked")
    assert page.find("dialog[open] select[name=start_time]").get_attribute("value") == "12:00"
    stored = faculty.get(f"{campus.gateway}/api/bookings/{single['id']}", timeout=10).json()
    assert (stored["start_time"], stored["end_time"], stored["updated_at"]) == ("10:00", "11:00", None)

    # A free hour: saved, the list says so and shows the new time.
    page.select("dialog[open] select[name=start_time]", "16:00")
    page.select("dialog[open] select[name=end_time]", "17:00")
    page.type("dialog[open] input[name=purpose]", "Office hours (moved)")
    page.click("dialog[open] [data-action=confirm]")
    page.wait().until(lambda d: not page.all("dialog[open]"), "the dialog stayed open after saving")
    page.text_in("#bookings-status", "Booking changed: now")
    page.text_in(row, "16:00")
    page.text_in(row, "Office hours (moved)")
    page.text_in(row, "Changed")
    stored = faculty.get(f"{campus.gateway}/api/bookings/{single['id']}", timeout=10).json()
    assert (stored["start_time"], stored["end_time"], stored["purpose"]) == ("16:00", "17:00", "Office hours (moved)")
    assert stored["updated_at"] is not None

    # The series, from its first week on, into the other room.
    first = series["bookings"][0]
    page.click(f'#booking-list [data-booking-id="{first["id"]}"] [data-action="change"]')
    page.select("dialog[open] select[name=room_id]", str(other_room))
    page.click("dialog[open] input[name=apply_to][value=following]")
    page.click("dialog[open] [data-action=confirm]")
    page.wait().until(lambda d: not page.all("dialog[open]"), "the dialog stayed open after saving the series")
    page.text_in("#bookings-status", "3 bookings changed")
    mine = faculty.get(f"{campus.gateway}/api/bookings", params={"limit": 100}, timeout=10).json()
    by_id = {b["id"]: b for b in mine}
    assert [by_id[b["id"]]["room_id"] for b in series["bookings"]] == [other_room] * 3
    assert [by_id[b["id"]]["start_time"] for b in series["bookings"]] == ["14:00"] * 3
    # The freed hours of the first room can be booked again.
    book(campus, student, {"room_id": room, "date": day, "start_time": "14:00", "end_time": "15:00", "purpose": "Freed"})

    # The booker is told: two "Booking changed" notices beside the two confirmations, and the open page's bell counts them.
    def changed_notices():
        items = faculty.get(f"{campus.gateway}/api/notifications", params={"limit": 50}, timeout=10).json()
        return [n for n in items if n["title"] == "Booking changed"]
    page.wait(15).until(lambda d: len(changed_notices()) == 2, "the 'Booking changed' notices did not arrive")
    assert any("is now" in n["message"] and "Office hours (moved)" in n["message"] for n in changed_notices())
    page.wait(15).until(lambda d: page.bell_count() >= 4, "the bell does not count the notices")


def test_reminder_lead_time_is_chosen_on_my_bookings_and_kept(browsers, campus):
    """Issue 19, point 6: "Remind me" on My bookings saves as it changes, says so, and comes back after a reload."""
    email, password, http = fresh_user(campus, "student")
    assert http.get(f"{campus.gateway}/api/bookings/reminders", timeout=10).json()["minutes_before"] == 60
    page = browsers()
    page.login(email=email, password=password)
    page.go("bookings")
    page.wait().until(lambda d: page.find("#booking-reminders").is_enabled(), "the reminder choice never loaded")
    assert page.find("#booking-reminders").get_attribute("value") == "60"
    page.select("#booking-reminders", "1440")
    page.text_in("#booking-reminders-status", "Saved: reminders 1 day before.")
    assert http.get(f"{campus.gateway}/api/bookings/reminders", timeout=10).json()["minutes_before"] == 1440
    page.select("#booking-reminders", "off")
    page.text_in("#booking-reminders-status", "Saved: no reminders.")
    assert http.get(f"{campus.gateway}/api/bookings/reminders", timeout=10).json()["minutes_before"] is None
    page.driver.refresh()
    page.wait().until(lambda d: page.find("#booking-reminders").is_enabled(), "the reminder choice never loaded")
    assert page.find("#booking-reminders").get_attribute("value") == "off"
