"""Rooms and tickets know each other, through the page (issue 19, point 10): a fault reported in a room
booked before its deadline is raised and says why; the technician sees the room's next bookings on the
ticket, marks the room out of order, and the booking's owner is told of the nearest free room of the same
kind and sees the room out of order on the booking grid, until the ticket is resolved."""
import time
import uuid

from selenium.webdriver.common.by import By

from browser_support import Api
from support.slots import days_ahead
from test_booking_change import book, fresh_user
from test_shell_second_pass import open_day


def test_a_booked_room_raises_its_fault_and_out_of_order_reaches_owners_and_grid(browsers, campus):
    run = uuid.uuid4().hex[:6]
    building = f"Rooms and tickets {run}"

    def room(name: str, seats: int) -> int:
        r = campus.post("gateway", "/api/rooms", token=campus.token("admin"), json={"name": f"{name} {run}", "building": building, "capacity": seats})
        assert r.status_code == 201, r.text
        return r.json()["id"]

    broken, spare = room("Seminar", 20), room("Spare seminar", 30)
    day = days_ahead(1)
    email, password, owner = fresh_user(campus, "student")
    book(campus, owner, {"room_id": broken, "date": day, "start_time": "10:00", "end_time": "11:00", "purpose": f"Study group {run}"})

    reporter = Api(campus, "student")
    words = reporter.post("/api/triage", {"title": "Projector flickers", "location": "Room"})
    assert words["priority"] == "P3", words
    ticket = reporter.post("/api/tickets", {"title": "Projector flickers", "description": "", "location": f"Seminar {run}", "room_id": broken})
    # Booked tomorrow at 10:00, well within a P3's 72 hours: one level up, and why.
    assert ticket["priority"] == "P2", ticket
    assert [b["seats"] for b in ticket["impact"]["bookings"]] == [20]
    assert all("purpose" not in b for b in ticket["impact"]["bookings"]), "a reporter must not read why others booked the room"

    tech = browsers()
    tech.login("technician")
    tech.driver.execute_script("location.hash = arguments[0]", f"#/tickets?id={ticket['id']}")
    tech.text_in("#ticket-view-bookings", "· 20 seats")
    assert f"Study group {run}" not in tech.find("#ticket-view-bookings").text
    tech.click("#ticket-view details.why summary")
    tech.text_in("#ticket-view details.why", "Its room is booked before this would be due (20 seats), so it is raised from Low (P3) to Medium (P2).")
    tech.click("#room-out-of-order")
    tech.text_in("dialog[open]", "nearest free room of the same kind")
    tech.click("dialog[open] [data-action=confirm]")
    tech.text_in("#ticket-view-out-of-order", "Out of order")
    tech.text_in("#room-out-of-order", "Room back in order")

    # The owner is told where they could go instead.
    expected = f"Spare seminar {run} ({building}, 30 seats) is free then"
    deadline = time.monotonic() + 20
    told = []
    while time.monotonic() < deadline and not told:
        notices = owner.get(f"{campus.gateway}/api/notifications", timeout=10).json()
        told = [n for n in notices if n["title"] == f"Room out of order: Seminar {run}"]
        if not told:
            time.sleep(0.3)
    assert told, "the booking's owner was not told"
    assert expected in told[0]["message"], told[0]["message"]

    # ... and sees the room out of order on the booking grid, not offered.
    app = browsers()
    app.login(email=email, password=password)
    open_day(app, day)
    out = f'#availability [data-state="out-of-order"][data-room="{broken}"][data-date="{day}"]'
    assert "out of order" in app.find(out).get_attribute("aria-label")
    assert not app.all(f'#availability button.slot-free[data-room="{broken}"]'), "an out-of-order room's slots are offered"
    assert app.all(f'#availability button.slot-free[data-room="{spare}"]'), "the spare room is not offered"

    # Booking itself refuses the room, whatever client asks ...
    refused = owner.post(f"{campus.gateway}/api/bookings", json={"room_id": broken, "date": day, "start_time": "14:00", "end_time": "15:00", "purpose": "Another"}, timeout=10)
    assert refused.status_code == 409 and refused.json()["code"] == "room_out_of_order", refused.text
    assert f"out of order until maintenance ticket #{ticket['id']} is resolved" in refused.json()["detail"]
    # ... and My bookings flags the booking that is in it.
    app.go("bookings")
    app.text_in(".list-row.booking [data-out-of-order]", "Room out of order")
    app.text_in(".list-row.booking .out-of-order-note", "Change the booking to another room, or cancel it.")

    # Resolved, the room is offered again the next time the grid is drawn.
    Api(campus, "technician").patch(f"/api/tickets/{ticket['id']}", {"status": "in_progress"})
    Api(campus, "technician").patch(f"/api/tickets/{ticket['id']}", {"status": "resolved", "resolution": "New projector lamp"})
    app.go("bookings")
    open_day(app, day)
    app.find(f'#availability button.slot-free[data-room="{broken}"][data-date="{day}"]')
    assert not app.all(out)


def test_choosing_a_room_on_the_report_form_says_where_unless_the_reporter_did(browsers, campus):
    run = uuid.uuid4().hex[:6]
    r = campus.post("gateway", "/api/rooms", token=campus.token("admin"), json={"name": f"Form room {run}", "building": f"Form building {run}", "capacity": 12})
    assert r.status_code == 201, r.text
    room_id = str(r.json()["id"])
    app = browsers()
    app.login("student")
    app.go("tickets")
    app.find(f'#ticket-room option[value="{room_id}"]')

    def choose(value: str):
        app.driver.execute_script(
            "const s = document.querySelector('#ticket-room'); s.value = arguments[0]; s.dispatchEvent(new Event('change'))", value)

    place = app.driver.find_element(By.CSS_SELECTOR, "#ticket-location")
    choose(room_id)
    assert place.get_attribute("value") == f"Form room {run}, Form building {run}"
    # Back to "not a bookable room": the place it filled in goes with it.
    choose("")
    assert place.get_attribute("value") == ""
    # A place the reporter wrote stays theirs.
    place.send_keys("By the back door")
    choose(room_id)
    assert place.get_attribute("value") == "By the back door"
