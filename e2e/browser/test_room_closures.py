"""Closures and the admin's side of bookings through the page (issue 19, point 5): removing a booked room
is refused and opens the room's "Bookings & closures" panel with everyone's bookings, names included;
the admin closes the room for two days, is told which booking falls inside, and cancels it with a reason
prefilled from the closure; the owner is told and reads the reason on My bookings; nobody can book into
the closure; with nothing left in its way the room is removed."""
import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import requests

from test_booking_change import book, fresh_room, fresh_user, set_date


def test_close_a_booked_room_cancel_with_a_reason_and_remove_it(browsers, campus):
    config = requests.get(f"{campus.gateway}/auth/config", timeout=10).json()
    today = dt.datetime.now(ZoneInfo(config.get("time_zone") or "UTC")).date()
    day, next_day = (today + dt.timedelta(days=3)).isoformat(), (today + dt.timedelta(days=4)).isoformat()
    room = fresh_room(campus, "Closure room")
    email, password, student = fresh_user(campus, "student")
    me = student.get(f"{campus.gateway}/auth/me", timeout=10).json()
    booking = book(campus, student, {"room_id": room, "date": day, "start_time": "10:00", "end_time": "11:00", "purpose": "Group project"})
    reason = f"Exams in the hall {uuid.uuid4().hex[:4]}"

    admin = browsers()
    admin.login("admin")
    admin.go("rooms")
    row = f'#room-list [data-room-id="{room}"]'
    admin.click(f'{row} [data-action="remove"]')
    admin.click("dialog[open] [data-action=confirm]")
    # Refused for its booking: the panel opens on it, with the booker's name.
    admin.text_in(f"{row} .room-admin-bookings", me["name"])
    admin.text_in(f"{row} .room-admin-bookings", "Group project")

    set_date(admin, f"{row} input[name=from_date]", day)
    set_date(admin, f"{row} input[name=to_date]", next_day)
    admin.type(f"{row} input[name=reason]", reason)
    admin.click(f'{row} [data-action="close-room"]')
    admin.text_in(f"{row} .room-admin-status", "1 booking falls inside the closure")
    admin.text_in(f"{row} .room-admin-closures", reason)
    admin.click(f'{row} [data-action="cancel-inside"]')
    area = admin.find("dialog[open] textarea")
    assert area.get_attribute("value") == f"The room is closed: {reason}"
    admin.click("dialog[open] [data-action=confirm]")
    admin.text_in(f"{row} .room-admin-status", "1 booking cancelled; its owner has been told.")
    admin.text_in(f"{row} .room-admin-bookings", "No upcoming bookings.")

    stored = student.get(f"{campus.gateway}/api/bookings/{booking['id']}", timeout=10).json()
    assert stored["status"] == "cancelled" and stored["cancel_reason"] == f"The room is closed: {reason}"
    # Nobody books into the closure.
    refused = student.post(f"{campus.gateway}/api/bookings", json={"room_id": room, "date": next_day, "start_time": "12:00", "end_time": "13:00", "purpose": "x"}, timeout=10)
    assert refused.status_code == 409 and refused.json()["code"] == "room_closed" and reason in refused.json()["detail"], refused.text

    # The owner is told, and reads why on My bookings.
    owner = browsers()
    owner.login(email=email, password=password)
    owner.wait(15).until(lambda d: any(n["title"] == "Booking cancelled by an administrator" and reason in n["message"]
                                       for n in student.get(f"{campus.gateway}/api/notifications", timeout=10).json()),
                         "the owner was not told")
    owner.driver.execute_script("location.hash = arguments[0]", f"#/bookings?id={booking['id']}")
    owner.text_in(f'#booking-list [data-booking-id="{booking["id"]}"]', f"Cancelled by an administrator: The room is closed: {reason}")

    # Nothing in its way now: the room goes.
    admin.click(f'{row} [data-action="remove"]')
    admin.click("dialog[open] [data-action=confirm]")
    admin.wait().until(lambda d: not admin.all(row), "the room is still listed")
    assert requests.get(f"{campus.gateway}/api/rooms/{room}", headers={"Authorization": f"Bearer {campus.token('admin')}"}, timeout=10).status_code == 404
