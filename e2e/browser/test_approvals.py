"""Approval for restricted rooms through the page (issue 19, point 4): the admin ticks "Requires
approval" on a room and names a faculty approver by e-mail; a student's booking there is a request
the grid holds for them and My bookings shows as awaiting approval; the approver sees it on
Approvals with who asked and the deadline, approves one and declines another with a reason; the
student reads both outcomes, and the declined slot is free again. A request nobody decides
expires by the service's own sweep (RELEASE_CHECK_SECONDS=1 here)."""
import sqlite3
import time
from pathlib import Path

import requests
from selenium.webdriver.common.by import By

from support.slots import days_ahead
from test_booking import open_day
from test_booking_change import book, fresh_room, fresh_user


def wait_status(campus, http, booking_id: int, status: str, timeout: float = 20) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        answer = http.get(f"{campus.gateway}/api/bookings/{booking_id}", timeout=10).json()
        if answer["status"] == status or time.monotonic() > deadline:
            return answer
        time.sleep(0.2)


def test_admin_names_an_approver_who_approves_one_request_and_declines_another(browsers, campus):
    day = days_ahead(4)
    room = fresh_room(campus, "Approval room")
    approver_email, approver_password, approver_http = fresh_user(campus, "faculty")
    approver_name = approver_http.get(f"{campus.gateway}/auth/me", timeout=10).json()["name"]

    admin = browsers()
    admin.login("admin")
    admin.go("rooms")
    row = f'#room-list [data-room-id="{room}"]'
    admin.click(f'{row} [data-action="approval-required"]')
    admin.text_in(f"{row} .approver-line", "decided by any administrator")
    admin.type(f'{row} [data-action="approver-email"]', "nobody-here@example.com")
    admin.click(f'{row} [data-action="save-approver"]')
    admin.text_in(f"{row} .approver-form .form-error", "No account has the e-mail nobody-here@example.com")
    admin.type(f'{row} [data-action="approver-email"]', approver_email)
    admin.click(f'{row} [data-action="save-approver"]')
    admin.text_in(f"{row} .approver-line", f"decided by {approver_name}")
    stored = requests.get(f"{campus.gateway}/api/rooms/{room}", headers={"Authorization": f"Bearer {campus.token('admin')}"}, timeout=10).json()
    assert stored["approval_required"] is True and stored["approver"]["name"] == approver_name, stored

    # The student books through the page: the room says it needs approval, and the answer says it is a request.
    email, password, student = fresh_user(campus, "student")
    page = browsers()
    page.login(email=email, password=password)
    open_day(page, day)
    page.find(f'.room-card[data-room-id="{room}"] [data-approval]')
    page.click(f'#availability button.slot-free[data-room="{room}"][data-date="{day}"][data-start="10:00"]')
    page.text_in("#booking-panel .approval-required", f"needs approval by {approver_name}")
    assert page.find("#booking-submit").text == "Send request"
    page.type('#booking-panel input[name="purpose"]', "Society committee")
    page.click("#booking-submit")
    page.text_in("#booking-success", f"needs approval by {approver_name}")
    # Held for them: the grid shows it as theirs, not free.
    page.find(f'#availability [data-room="{room}"][data-date="{day}"][data-start="10:00"][data-state="mine"]', timeout=15)
    mine = student.get(f"{campus.gateway}/api/bookings", params={"from": day, "to": day}, timeout=10).json()
    first = next(b for b in mine if b["room_id"] == room)
    assert first["status"] == "pending" and first["approval"]["requested_by"]["email"] == email, first
    second = book(campus, student, {"room_id": room, "date": day, "start_time": "14:00", "end_time": "15:00", "purpose": "Band practice"})
    assert second["status"] == "pending", second

    page.driver.execute_script("location.hash = arguments[0]", f"#/bookings?id={first['id']}")
    row_first = f'[data-booking-id="{first["id"]}"]'
    page.text_in(f"{row_first} .chip-warning", "Awaiting approval")
    page.text_in(f"{row_first} .approval-note", f"Waiting for approval by {approver_name}")
    assert page.find(f'{row_first} [data-action="cancel"]').text == "Withdraw"

    # The approver's queue: both, with who asked and until when.
    judge = browsers()
    judge.login(email=approver_email, password=approver_password)
    assert "approvals" in judge.nav_links()
    judge.go("approvals")
    judge.text_in(f'#approval-list [data-booking-id="{first["id"]}"]', f"({email})")
    judge.text_in(f'#approval-list [data-booking-id="{first["id"]}"] .decide-by', "Decide by")
    judge.click(f'#approval-list [data-booking-id="{first["id"]}"] [data-action="approve"]')
    judge.text_in("#approvals-status", "Approved")
    judge.wait().until(lambda d: not d.find_elements(By.CSS_SELECTOR, f'#approval-list [data-booking-id="{first["id"]}"]'))
    judge.click(f'#approval-list [data-booking-id="{second["id"]}"] [data-action="decline"]')
    judge.click('dialog [data-action="confirm"]')
    judge.text_in("dialog .form-error", "Say why")
    judge.type("dialog textarea", "The room is kept for the open day")
    judge.click('dialog [data-action="confirm"]')
    judge.text_in("#approvals-status", "Declined")
    judge.text_in("#approval-list", "Nothing to decide")

    assert wait_status(campus, student, first["id"], "confirmed")["status"] == "confirmed"
    declined = wait_status(campus, student, second["id"], "cancelled")
    assert declined["cancelled_by"] == "approver" and declined["cancel_reason"] == f"Declined by {approver_name}: The room is kept for the open day", declined
    # The student reads both on My bookings, and is told by notice.
    page.driver.execute_script("location.hash = arguments[0]", "#/home")
    page.driver.execute_script("location.hash = arguments[0]", f"#/bookings?id={second['id']}")
    page.text_in(f'[data-booking-id="{second["id"]}"] .cancel-reason', "kept for the open day")
    page.text_in(f'[data-booking-id="{second["id"]}"] .chips', "Declined")
    page.driver.execute_script("location.hash = arguments[0]", "#/home")
    page.driver.execute_script("location.hash = arguments[0]", f"#/bookings?id={first['id']}")
    page.text_in(f'[data-booking-id="{first["id"]}"] .chips', "Confirmed")
    page.text_in(f'[data-booking-id="{first["id"]}"] .approval-note', f"Approved by {approver_name}")
    page.wait(15).until(lambda d: {"Booking approved", "Booking declined"} <= {n["title"] for n in student.get(f"{campus.gateway}/api/notifications", timeout=10).json()},
                        "the student was not told both decisions")
    # The declined slot is free again for someone else.
    _, _, other = fresh_user(campus, "student")
    assert book(campus, other, {"room_id": room, "date": day, "start_time": "14:00", "end_time": "15:00", "purpose": "Reading"})["status"] == "pending"


def test_a_request_nobody_decides_expires_and_its_booker_reads_why(browsers, campus):
    day = days_ahead(2)
    room = fresh_room(campus, "Expiring approval room")
    r = campus.request("PUT", "gateway", f"/api/rooms/{room}", campus.token("admin"), json={"approval_required": True})
    assert r.status_code == 200 and r.json()["approver"] is None, r.text
    email, password, student = fresh_user(campus, "student")
    request = book(campus, student, {"room_id": room, "date": day, "start_time": "09:00", "end_time": "10:00", "purpose": "Rehearsal"})
    # Its deadline moved into the past in the booking service's file, as a clock would.
    with sqlite3.connect(Path(campus.data_dir) / "bookings.db", timeout=10) as db:
        kind, sample = db.execute("SELECT typeof(decide_by), decide_by FROM bookings WHERE id = ?", (request["id"],)).fetchone()
        past = time.time() - 60
        value = past if kind in ("real", "integer") else time.strftime("%Y-%m-%dT%H:%M:%S" + (".000Z" if "." in sample else "Z"), time.gmtime(past))
        db.execute("UPDATE bookings SET decide_by = ? WHERE id = ?", (value, request["id"]))
    expired = wait_status(campus, student, request["id"], "cancelled")
    assert expired["cancelled_by"] == "no_decision" and expired["cancel_reason"].startswith("Not approved in time"), expired
    page = browsers()
    page.login(email=email, password=password)
    page.driver.execute_script("location.hash = arguments[0]", f"#/bookings?id={request['id']}")
    page.text_in(f'[data-booking-id="{request["id"]}"] .cancel-reason', "Not approved in time")
    page.wait(15).until(lambda d: any(n["title"] == "Booking request expired" for n in student.get(f"{campus.gateway}/api/notifications", timeout=10).json()),
                        "the booker was not told")
    # An admin's queue no longer lists it.
    admin = requests.get(f"{campus.gateway}/api/bookings/approvals", headers={"Authorization": f"Bearer {campus.token('admin')}"}, timeout=10).json()
    assert all(b["id"] != request["id"] for b in admin), admin
