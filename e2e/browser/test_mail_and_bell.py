"""One journey across the page, the live bell, e-mail and the subscribed calendar (issue 16): a
booking made through the gateway arrives as an e-mail with a calendar invitation at a real SMTP
server and on the open page, and the subscribed feed reflects its cancellation.

This module has its own `campus serve` (it overrides the suite's `campus`), pointed with SMTP_HOST /
SMTP_PORT / SMTP_TLS=none at a real SMTP server in this process (support/smtp.py: aiosmtpd on
loopback, every accepted message kept as raw bytes). A fresh student, in Chromium:
  1. signs in, waits for the bell's socket to be live, and books a room through the booking form;
     the bell's unread count goes up by one on the open page, without a reload, within the bound
     test_live_bell.py gives a booking's confirmation (15 s);
  2. exactly one e-mail reaches the SMTP server for the student: its text/calendar part, read with
     `icalendar`, is METHOD:REQUEST with one VEVENT, UID booking-<id>.<created>@campus-services-hub, DTSTART the
     booking's start (the booking as GET /api/bookings gives it to the student);
  3. copies the calendar subscription address on My bookings (its Copy button, read back from the
     clipboard) — the feed, fetched without a token, lists the booking, not cancelled — and cancels
     the booking on that page: a second e-mail arrives, METHOD:CANCEL, the same UID, STATUS:CANCELLED;
  4. the subscribed feed (no token, read with `icalendar`) shows that UID STATUS:CANCELLED with a
     SEQUENCE higher than the first invitation's;
  5. the bell went up once more on the same open page.
Awaited states are polled (60 s for mail and the feed; the bell's bound is test_live_bell.py's).
"Exactly one" / "exactly two" e-mails are watched for SETTLE seconds after the awaited one arrived
(as e2e/mail does): a watch that fails at once on a second copy.
"""
from __future__ import annotations

import re
import time
import uuid
from datetime import datetime, timedelta

import icalendar
import pytest

from support.campus import CampusServer
from support.services import distinct_ports
from support.smtp import Received, SMTPReceiver
from support.slots import booking_uid
from test_booking import open_day
from test_calendar_feed import (ADDRESS, calendar_at, campus_zone, events_by_uid, grant_clipboard, path_of,
                                read_clipboard, shown_address, status_says)
from test_live_bell import bell_state, label_count, same_document

BELL_BOUND = 15   # test_live_bell.py: a booking's confirmation reaches the open page's bell within 15 s
DEADLINE = 60     # seconds any other awaited state (mail, the feed, the page's answers) may take
SETTLE = 2.0      # seconds a second copy of an awaited e-mail is watched for (as e2e/mail does)
MAIL_SETTINGS = ("SMTP_HOST", "SMTP_PORT", "SMTP_TLS", "SMTP_TLS_CA_FILE", "SMTP_USERNAME", "SMTP_PASSWORD",
                 "SMTP_PASSWORD_FILE", "SMTP_FROM", "PUBLIC_URL")




@pytest.fixture(scope="module")
def smtp():
    with SMTPReceiver() as receiver:  # 127.0.0.1, a free port, plain SMTP, no AUTH
        yield receiver


@pytest.fixture(scope="module")
def campus(smtp):
    """This module's own campus (overrides the suite's, which has no SMTP_HOST): it mails the SMTP
    server above; every other mail setting is the product's default (none inherited from here)."""
    mail = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.port), "SMTP_TLS": "none"}
    server = CampusServer(env={"LOGIN_RATE_PER_MINUTE": "10000", "SLA_CHECK_SECONDS": "1", "LOG_LEVEL": "info", **mail},
                          ports=distinct_ports(), log_name="browser-mail-bell")
    for name in MAIL_SETTINGS:
        if name in server.env and name not in mail:
            del server.env[name]
    server.start()
    yield server
    server.close()


# helpers ----------------------------------------------------------------------------------------

def fresh_student(campus) -> dict:
    word = uuid.uuid4().hex[:10]
    email, password, name = f"mailbell-{word}@example.com", "mail-bell-pass-1", f"Mailbell Student {word}"
    r = campus.post("gateway", "/api/users", token=campus.token("admin"),
                    json={"email": email, "name": name, "password": password, "role": "student"})
    assert r.status_code == 201, r.text
    return {"email": email, "password": password, "name": name, "id": r.json()["id"], "token": campus.login(email, password)}


def mail_log(campus, lines: int = 25) -> str:
    """The campus log's last lines about mail (for failure messages)."""
    try:
        text = campus.log_path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    about = [line for line in text.splitlines() if re.search(r"mail|smtp", line, re.I)]
    return "\n".join(about[-lines:]) or "(no log line about mail)"


def wait_mails(smtp: SMTPReceiver, campus, address: str, count: int) -> list[Received]:
    """Every accepted message to `address`, once there are at least `count`."""
    def enough():
        found = smtp.messages_to(address)
        return found if len(found) >= count else None
    try:
        return smtp.wait_for(enough, f"{count} message(s) to {address}", DEADLINE)
    except AssertionError as error:
        raise AssertionError(f"{error}\ncampus log about mail:\n{mail_log(campus)}") from None


def watch_no_more(smtp: SMTPReceiver, address: str, expected: list[Received], until: float) -> None:
    """Until time.time() reaches `until`, the messages to `address` stay exactly `expected`; fails at once otherwise."""
    while True:
        now = smtp.messages_to(address)
        assert now == expected, (f"{len(now)} messages to {address}, expected exactly {len(expected)}:\n  "
                                 + "\n  ".join(m.short() for m in now))
        if time.time() >= until:
            return
        time.sleep(0.05)


def invitation(mail: Received, method: str) -> icalendar.Event:
    """The one VEVENT of the message's one text/calendar part, read with icalendar; its METHOD is `method`."""
    parts = [part for part in mail.message.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1, f"{mail.short()}: {len(parts)} text/calendar parts, expected one; parts: " \
        f"{[p.get_content_type() for p in mail.message.walk()]}"
    calendar = icalendar.Calendar.from_ical(parts[0].get_payload(decode=True))
    assert str(calendar.get("METHOD", "")).upper() == method, f"{mail.short()}: METHOD {calendar.get('METHOD')!r}, expected {method}"
    events = calendar.walk("VEVENT")
    assert len(events) == 1, f"{mail.short()}: {len(events)} VEVENTs, expected one for one booking"
    return events[0]


def poll(found, what, timeout: float = DEADLINE, interval: float = 0.2):
    """found() until it returns something truthy (returned); fails with what() after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = found()
        if result:
            return result
        assert time.monotonic() < deadline, f"not within {timeout:.0f} s: {what()}"
        time.sleep(interval)


# the journey ------------------------------------------------------------------------------------

def test_a_booking_made_on_the_page_is_mailed_rung_and_its_cancellation_reaches_the_feed(browsers, campus, smtp):
    student = fresh_student(campus)
    prefs = campus.get("gateway", "/api/notifications/preferences", token=student["token"])
    assert prefs.status_code == 200, prefs.text
    assert prefs.json()["email_available"] is True and prefs.json()["email"]["booking_updates"] is True, \
        f"the test's premise: this server mails and the student gets booking mail; {prefs.json()}"
    zone = campus_zone(campus)
    rooms = campus.get("gateway", "/api/rooms", token=student["token"], params={"limit": 200}).json()
    room = next(r for r in rooms if not r["faculty_only"])
    day = (datetime.now(zone).date() + timedelta(days=2)).isoformat()
    start, end, purpose = "10:00", "11:00", f"Mail and bell {uuid.uuid4().hex[:6]}"

    # signed in on the page, the bell's socket live and its count loaded
    app = browsers()
    app.login(email=student["email"], password=student["password"])
    app.wait(15).until(lambda d: bell_state(app) == "live", "the bell's socket never became live")
    app.wait().until(lambda d: label_count(app) is not None, "the bell never loaded its count")
    app.driver.execute_script("window.__marker = 1")  # gone if the page is reloaded
    before = label_count(app)
    assert smtp.messages_to(student["email"]) == [], "mail to the new student before anything was booked"

    # 1. a booking through the page's booking form: the open page's bell goes up without a reload
    open_day(app, day)
    app.click(f'#availability button.slot-free[data-room="{room["id"]}"][data-date="{day}"][data-start="{start}"]')
    app.find("#booking-panel form")
    app.select('#booking-panel select[name="end"]', end)
    app.type('#booking-panel input[name="purpose"]', purpose)
    app.click("#booking-submit")
    app.text_in("#booking-success", f"{start}–{end}", timeout=DEADLINE)
    app.wait(BELL_BOUND).until(lambda d: label_count(app) == before + 1,
                               f"the bell did not go from {before} to {before + 1} within {BELL_BOUND} s of the booking")
    assert same_document(app), "the page was reloaded"

    # the booking, as the gateway gives it to the student
    r = campus.get("gateway", "/api/bookings", token=student["token"])
    assert r.status_code == 200, r.text
    mine = r.json()
    assert len(mine) == 1, f"the fresh student has {len(mine)} bookings after one booking on the page: {mine}"
    booking = mine[0]
    assert (booking["room_id"], booking["date"], booking["start_time"][:5], booking["end_time"][:5], booking["purpose"], booking["status"]) \
        == (room["id"], day, start, end, purpose, "confirmed"), booking
    uid = booking_uid(booking)
    starts = datetime.fromisoformat(f"{booking['date']}T{booking['start_time']}").replace(tzinfo=zone)

    # 2. one e-mail with an invitation (METHOD:REQUEST) for that booking
    [first] = wait_mails(smtp, campus, student["email"], 1)
    request = invitation(first, "REQUEST")
    assert str(request["UID"]) == uid, f"invitation UID {request['UID']!r}, expected {uid}"
    assert isinstance(request.decoded("DTSTART"), datetime) and request.decoded("DTSTART") == starts, \
        f"invitation DTSTART {request.decoded('DTSTART')!r}, the booking starts {starts.isoformat()}"
    first_sequence = int(request.get("SEQUENCE", 0))

    # 3. the subscription address, copied from My bookings; the feed (no token) has the booking, not cancelled
    app.go("bookings")
    app.find(f'[data-booking-id="{booking["id"]}"] [data-action="cancel"]', timeout=DEADLINE)
    shown = shown_address(app, timeout=DEADLINE)
    grant_clipboard(app)
    app.click("#calendar-feed-url-copy")
    status_says(app, "Copied your calendar address", "#calendar-feed-url-status")
    address = read_clipboard(app)
    assert address == shown, f"the clipboard has {address!r}, the page shows {shown!r}"
    assert ADDRESS.match(path_of(address)), f"not a subscription address: {address}"
    listed = events_by_uid(calendar_at(address))
    assert uid in listed, f"the subscribed feed does not list {uid}: {list(listed)}"
    assert str(listed[uid].get("STATUS", "")).upper() != "CANCELLED", "the booking is cancelled in the feed before it was cancelled"

    # still exactly one e-mail, SETTLE seconds after it arrived
    watch_no_more(smtp, student["email"], [first], first.accepted_at + SETTLE)

    # cancelled through the page
    app.click(f'[data-booking-id="{booking["id"]}"] [data-action="cancel"]')
    app.click('dialog [data-action="confirm"]')
    app.text_in("#bookings-status", "Booking cancelled", timeout=DEADLINE)

    # 5. (first: it is the one with a bound) the bell, on the same open page, once more
    app.wait(BELL_BOUND).until(lambda d: label_count(app) == before + 2,
                               f"the bell did not go from {before + 1} to {before + 2} within {BELL_BOUND} s of the cancellation")
    assert same_document(app), "the page was reloaded"

    # 3. a second e-mail: the cancellation of the same event
    mails = wait_mails(smtp, campus, student["email"], 2)
    assert len(mails) == 2 and mails[0] is first, "expected the invitation, then one more:\n  " + "\n  ".join(m.short() for m in mails)
    second = mails[1]
    cancel = invitation(second, "CANCEL")
    assert str(cancel["UID"]) == uid, f"cancellation UID {cancel['UID']!r}, expected {uid}"
    assert str(cancel.get("STATUS", "")).upper() == "CANCELLED", f"cancellation STATUS {cancel.get('STATUS')!r}"

    # 4. the subscribed feed, fetched as a calendar app does, reflects the cancellation
    seen = {}

    def cancelled_in_feed():
        event = events_by_uid(calendar_at(address)).get(uid)
        seen["event"] = event
        return event is not None and str(event.get("STATUS", "")).upper() == "CANCELLED" and event

    event = poll(cancelled_in_feed, lambda: f"{uid} STATUS:CANCELLED in the subscribed feed; last seen: "
                 f"{seen['event'].to_ical().decode() if seen.get('event') is not None else 'not listed'}")
    assert int(event.get("SEQUENCE", 0)) > first_sequence, \
        f"feed SEQUENCE {event.get('SEQUENCE')!r} is not above the first invitation's {first_sequence}"
    assert event.decoded("DTSTART") == starts, f"feed DTSTART {event.decoded('DTSTART')!r}, the booking starts {starts.isoformat()}"

    # exactly two e-mails in all, SETTLE seconds after the second arrived; the page was never reloaded
    watch_no_more(smtp, student["email"], [first, second], second.accepted_at + SETTLE)
    assert label_count(app) == before + 2 and same_document(app)
