"""README screenshots of the main pages (docs/screenshots/*.png): only with
`scripts/browser-test --screenshots` (BROWSER_SCREENSHOTS=1); each shot also checks its page rendered."""
import os

import pytest
import requests

from support.campus import ROOT
from support.slots import days_ahead

OUT = ROOT / "docs" / "screenshots"
pytestmark = pytest.mark.skipif(os.environ.get("BROWSER_SCREENSHOTS") != "1", reason="screenshots only with --screenshots")


def shot(app, name):
    OUT.mkdir(parents=True, exist_ok=True)
    app.driver.execute_script("window.scrollTo(0, 0)")
    path = OUT / f"{name}.png"
    app.driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000


def test_readme_screenshots(browsers, campus):
    student_token = campus.token("student")
    tech_token = campus.token("technician")
    # something to look at: a ticket on a room, a booking
    campus.post("gateway", "/api/tickets", token=student_token, json={
        "title": "Projector flickering in B201", "description": "The projector image flickers every few seconds.",
        "location": "Business School, B201", "room_id": 2}).raise_for_status()
    booked = campus.post("gateway", "/api/bookings", token=student_token, json={
        "room_id": 3, "date": days_ahead(2), "start_time": "14:00", "end_time": "16:00", "purpose": "Group project"})
    assert booked.status_code == 201 or booked.json().get("code") == "booking_limit", booked.text  # after the suite: 3 upcoming already
    requests.post(campus.gateway + "/api/tickets", headers={"Authorization": f"Bearer {tech_token}"}, json={
        "title": "Smoke coming from the socket", "description": "Sparks and a burning smell near the sockets",
        "location": "Library, 1st floor"}, timeout=10).raise_for_status()

    app = browsers(1280, 900)
    app.open()
    app.find("#login-hint .demo-account")
    shot(app, "login")
    app.login("student")
    shot(app, "home")
    app.go("book")
    app.find("#availability table")
    app.find("[data-room-warning]")
    shot(app, "booking")
    app.go("bookings")
    app.find("[data-booking-id]")
    shot(app, "my-bookings")
    app.go("gpa")
    # A new user starts with an empty course list: type a term's courses as a student would.
    for n, (name, grade, credits) in enumerate([("Calculus I", "A-", "4"), ("Academic Writing", "B+", "3"), ("Organic Chemistry", "B", "4")], 1):
        while len(app.all("#course-rows .course-row")) < n:
            app.click("#add-course")
        row = f"#course-rows .course-row:nth-child({n})"
        app.type(f"{row} .course-name", name)
        app.select(f"{row} .course-grade", grade)
        app.type(f"{row} .course-credits", credits)
    app.text_in("#term-gpa", ".")
    app.text_in("#plan-result", "You need")  # the planner follows the calculator's result
    shot(app, "gpa")
    app.go("tickets")
    app.type("#ticket-title", "Water leaking through the ceiling")
    app.type("#ticket-description", "Water is dripping onto the desks and spreading across the floor")
    app.type("#ticket-location", "Library, 2nd floor")
    app.find("#triage-preview .prio")
    shot(app, "maintenance")
    app.go("notifications")
    app.find("[data-notification-id]")
    shot(app, "notifications")

    tech = browsers(1280, 900)
    tech.login("technician")
    tech.go("queue")
    tech.find("#queue-board [data-ticket-id]")
    shot(tech, "queue")

    admin = browsers(1280, 900)
    admin.login("admin")
    admin.go("users")
    admin.find("#users-table table")
    shot(admin, "users")
    admin.go("status")
    admin.find("#services [data-service]")
    shot(admin, "status")

    tech.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    tech.driver.refresh()
    tech.find("#queue-board [data-ticket-id]")
    shot(tech, "queue-dark")

    phone = browsers(390, 844)
    phone.login("student")
    phone.go("book")
    phone.find("#availability table")
    shot(phone, "phone-booking")
    phone.go("tickets")
    phone.find("#my-tickets [data-ticket-id]")
    shot(phone, "phone-maintenance")
