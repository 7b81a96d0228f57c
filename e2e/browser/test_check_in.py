"""Check-in and auto-release through the page (issue 19, point 3): the admin ticks "Requires check-in" on a
room; a student's booking there shows when to check in and, once the window is open, a Check in button
that records it; a booking nobody checked in to is released by the service's own sweep
(RELEASE_CHECK_SECONDS=1 here), its owner is told and reads why on My bookings.

The windows are moved into the present by writing the booking service's SQLite file, as a clock would:
a real window opens only minutes before a real slot."""
import datetime as dt
import sqlite3
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import requests

from test_booking_change import book, fresh_room, fresh_user


def move_window(campus, booking_id: int, opens: dt.datetime, closes: dt.datetime) -> None:
    """Sets a booking's check-in window in the file, in the form the service stores instants."""
    with sqlite3.connect(Path(campus.data_dir) / "bookings.db", timeout=10) as db:
        kind, sample = db.execute("SELECT typeof(check_in_opens_at), check_in_opens_at FROM bookings WHERE id = ?", (booking_id,)).fetchone()
        if kind in ("real", "integer"):
            values = (opens.timestamp(), closes.timestamp())
        else:  # text: keep the stored form (ISO 8601, with or without fractions)
            fmt = "%Y-%m-%dT%H:%M:%S.%fZ" if "." in sample else "%Y-%m-%dT%H:%M:%SZ"
            values = tuple(moment.astimezone(dt.timezone.utc).strftime(fmt) for moment in (opens, closes))
        db.execute("UPDATE bookings SET check_in_opens_at = ?, check_in_closes_at = ? WHERE id = ?", (*values, booking_id))


def test_admin_requires_check_in_student_checks_in_and_a_no_show_is_released(browsers, campus):
    config = requests.get(f"{campus.gateway}/auth/config", timeout=10).json()
    zone = ZoneInfo(config.get("time_zone") or "UTC")
    day = (dt.datetime.now(zone).date() + dt.timedelta(days=3)).isoformat()
    room = fresh_room(campus, "Check-in room")

    admin = browsers()
    admin.login("admin")
    admin.go("rooms")
    toggle = f'#room-list [data-room-id="{room}"] [data-action="check-in-required"]'
    admin.click(toggle)
    admin.wait().until(lambda d: requests.get(f"{campus.gateway}/api/rooms/{room}", headers={"Authorization": f"Bearer {campus.token('admin')}"},
                                              timeout=10).json()["check_in_required"] is True, "the room was not set to require check-in")
    assert admin.find(toggle).is_selected()

    email, password, student = fresh_user(campus, "student")
    present = book(campus, student, {"room_id": room, "date": day, "start_time": "10:00", "end_time": "11:00", "purpose": "Lab meeting"})
    absent = book(campus, student, {"room_id": room, "date": day, "start_time": "12:00", "end_time": "13:00", "purpose": "Nobody came"})
    assert present["check_in"] and present["check_in"]["checked_in_at"] is None, present
    now = dt.datetime.now(dt.timezone.utc)
    move_window(campus, present["id"], now - dt.timedelta(minutes=5), now + dt.timedelta(minutes=30))

    page = browsers()
    page.login(email=email, password=password)
    page.driver.execute_script("location.hash = arguments[0]", f"#/bookings?id={present['id']}")
    row = f'[data-booking-id="{present["id"]}"]'
    closes = (now + dt.timedelta(minutes=30)).astimezone(zone).strftime("%H:%M")
    page.text_in(f"{row} .check-in-note", f"and {closes}, or the booking is released")
    page.click(f'{row} [data-action="check-in"]')
    page.text_in(f"{row} .check-in-note", "Checked in at")
    stored = student.get(f"{campus.gateway}/api/bookings/{present['id']}", timeout=10).json()
    assert stored["check_in"]["checked_in_at"] is not None and stored["status"] == "confirmed", stored
    assert not page.driver.find_elements("css selector", f'{row} [data-action="check-in"]'), "Check in is still offered after checking in"

    # The other one's window closed a minute ago: the sweep releases it and its owner is told.
    move_window(campus, absent["id"], now - dt.timedelta(minutes=40), now - dt.timedelta(minutes=1))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and student.get(f"{campus.gateway}/api/bookings/{absent['id']}", timeout=10).json()["status"] != "cancelled":
        time.sleep(0.2)
    released = student.get(f"{campus.gateway}/api/bookings/{absent['id']}", timeout=10).json()
    assert released["status"] == "cancelled" and released["cancelled_by"] == "no_check_in", released
    page.wait(15).until(lambda d: any(n["title"] == "Booking released" and "Nobody checked in" in n["message"]
                                      for n in student.get(f"{campus.gateway}/api/notifications", timeout=10).json()), "the owner was not told")
    page.driver.execute_script("location.hash = arguments[0]", f"#/bookings?id={absent['id']}")
    gone = f'[data-booking-id="{absent["id"]}"]'
    page.text_in(f"{gone} .cancel-reason", "Released: nobody checked in by")
    assert "administrator" not in page.find(f"{gone} .cancel-reason").text
