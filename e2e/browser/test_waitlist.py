"""Waiting lists through the page (issue 19, point 2): a student finds a slot taken on the booking grid,
joins its waiting list from the slot itself asking to be booked, the slot then shows their place, as does
My bookings; when the holder cancels, the service's sweep (RELEASE_CHECK_SECONDS=1
here) books the slot for them and My bookings shows it booked."""
import time

import requests

from support.slots import days_ahead
from test_booking_change import book, fresh_room, fresh_user
from test_shell_second_pass import open_day


def test_wait_for_a_taken_slot_and_get_it_when_it_frees_up(browsers, campus):
    day = days_ahead(2)
    room = fresh_room(campus, "Waitlist room")
    _, _, holder = fresh_user(campus, "student")
    held = book(campus, holder, {"room_id": room, "date": day, "start_time": "10:00", "end_time": "11:00", "purpose": "Held"})
    email, password, waiter = fresh_user(campus, "student")

    app = browsers()
    app.login(email=email, password=password)
    open_day(app, day)
    taken = f'#availability button.slot-taken[data-room="{room}"][data-date="{day}"][data-start="10:00"]'
    assert "taken" in app.find(taken).get_attribute("aria-label")
    app.click(taken)
    app.text_in("dialog[open]", "Someone has booked")
    assert app.find('dialog[open] input[name="auto_book"]').is_selected(), "booking it for me is not offered by default"
    app.click("dialog[open] [data-action=confirm]")
    app.text_in(".toast", "First in line")
    # The slot now says so (and keeps the focus), so it is not joined twice from the grid; the API refuses it.
    marked = f'#availability [data-state="waiting"][data-room="{room}"][data-date="{day}"][data-start="10:00"]'
    assert "number 1 in line" in app.find(marked).get_attribute("aria-label")
    assert app.driver.execute_script("return document.activeElement.dataset.state") == "waiting"
    again = waiter.post(f"{campus.gateway}/api/bookings/waitlist", timeout=10,
                        json={"room_id": room, "date": day, "start_time": "10:00", "end_time": "11:00"})
    assert again.status_code == 409 and again.json()["code"] == "already_waiting", again.text

    app.go("bookings")
    app.text_in("#waitlist .waitlist-state", "First in line · will be booked for you")

    assert holder.delete(f"{campus.gateway}/api/bookings/{held['id']}", timeout=10).status_code == 204
    deadline = time.monotonic() + 20
    mine = []
    while time.monotonic() < deadline and not mine:
        mine = [b for b in waiter.get(f"{campus.gateway}/api/bookings", params={"status": "confirmed"}, timeout=10).json() if b["room_id"] == room]
        time.sleep(0.2)
    assert mine and mine[0]["start_time"] == "10:00" and mine[0]["date"] == day, "the freed slot was not booked for the first in line"
    app.go("home")
    app.go("bookings")
    app.text_in("#waitlist .waitlist-state", "Booked for you")
    app.find(f'[data-booking-id="{mine[0]["id"]}"]')
    entries = requests.get(f"{campus.gateway}/api/bookings/waitlist", headers={"Authorization": waiter.headers["Authorization"]}, timeout=10).json()
    assert entries[0]["status"] == "booked" and entries[0]["booking_id"] == mine[0]["id"], entries
