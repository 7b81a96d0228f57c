"""E-mail delivery of notices over SMTP, as a real mail server receives it (the mail spec, issue 16 point 1).

A real SMTP server runs in this process (support/smtp.py: aiosmtpd on loopback, every accepted message
kept as raw bytes with its envelope, whether the session was TLS and the AUTH login) and `campus serve`
is pointed at it with SMTP_HOST / SMTP_PORT / SMTP_TLS. Messages are read with Python's `email`
package (policy.default) and the invitations with `icalendar`, never by matching text. Then:
  - plain SMTP: a booking mails the booker once — headers (From, To, Subject, Date, Message-ID,
    MIME-Version, List-Unsubscribe(-Post), Auto-Submitted), multipart/mixed > multipart/alternative
    (text/plain + text/html naming the room) + text/calendar METHOD:REQUEST (invite.ics) whose VEVENT
    has the feed's UID, the booking's DTSTART/DTEND in UTC, SUMMARY, LOCATION, ORGANIZER, ATTENDEE;
    cancelling mails METHOD:CANCEL (cancel.ics), same UID, SEQUENCE 1, STATUS:CANCELLED; a weekly series
    is one mail with one VEVENT per booking;
  - the wire format: 7-bit, CRLF, lines within 998, no MIME defects, base64 bodies;
  - mail owed while the server is down arrives once it is back (the booking answers 201 at once), and
    a preference switched off meanwhile is honoured (checked again just before sending); 451 only delays;
  - 550 for one recipient: not retried over several back-off intervals, logged; the others get theirs;
  - preferences: defaults per role, partial PUT, 422 problem+json naming an unknown key or a non-boolean,
    401 without a token; booking_updates off means no booking mail (absence proved by a later marker);
    `email_available` false without SMTP_HOST;
  - one-click unsubscribe (RFC 8058): POST without a token turns all five off, GET changes nothing and
    offers a form, an unknown or malformed secret is 404 problem+json;
  - ticket updates to the reporter and "assigned to you" to the technician are mailed; new-ticket and
    account notices are not;
  - non-ASCII subjects and display names are RFC 2047 words decoding to exactly the text; message lines
    "." / ".x" / "..x" survive byte for byte (dot-stuffing); HTML in a message is escaped in text/html;
  - STARTTLS + AUTH with a throwaway CA (SMTP_TLS_CA_FILE, SMTP_PASSWORD_FILE): TLS session, the configured
    login, PLAIN; a server offering no STARTTLS, a certificate from another CA, or one naming another
    host gets nothing — no MAIL, no AUTH in clear — and the product keeps running; implicit TLS
    (SMTP_TLS=tls) with AUTH LOGIN when PLAIN is not offered; AUTH over plain SMTP to a loopback host;
  - SIGTERM while a slow server holds a message: that message is finished, the restarted process (same
    DATA_DIR) sends the rest, and every mail arrives exactly once;
  - bad settings stop start-up with exit 78 naming the variable (and never print the password).
Run: scripts/test, or from e2e/:
    CAMPUS_BIN=… ../.build/pyenv/bin/python -m pytest mail -q
"""
from __future__ import annotations

import html
import itertools
import re
import secrets
import signal
import subprocess
import time
from dataclasses import dataclass
from datetime import date as Date
from datetime import datetime, time as Time, timedelta, timezone
from email.message import EmailMessage
from urllib.parse import urljoin, urlsplit

import icalendar
import pytest

from support.campus import CampusServer, campus_binary
from support.problems import assert_problem
from support.services import distinct_ports, free_port
from support.slots import Slots, booking_uid
from support.smtp import Received, SMTPReceiver, TestPKI

DEADLINE = 60        # seconds any awaited state may take
SETTLE = 2.0         # seconds to keep watching after the awaited mail, for a duplicate
ABSENCE = 4.0        # seconds a mail that must not come is watched for after the product has tried
PREFERENCES = "/api/notifications/preferences"
KEYS = ("booking_updates", "ticket_updates", "assignments", "sla_breaches", "broadcasts")
DEFAULTS = {
    "student": {"booking_updates": True, "ticket_updates": True, "assignments": False, "sla_breaches": False, "broadcasts": False},
    "faculty": {"booking_updates": True, "ticket_updates": True, "assignments": False, "sla_breaches": False, "broadcasts": False},
    "admin": {"booking_updates": True, "ticket_updates": True, "assignments": False, "sla_breaches": False, "broadcasts": False},
    "technician": {"booking_updates": True, "ticket_updates": True, "assignments": True, "sla_breaches": True, "broadcasts": False},
}
MAIL_SETTINGS = ("SMTP_HOST", "SMTP_PORT", "SMTP_TLS", "SMTP_TLS_CA_FILE", "SMTP_USERNAME", "SMTP_PASSWORD",
                 "SMTP_PASSWORD_FILE", "SMTP_FROM", "PUBLIC_URL")
DEFAULT_FROM = ("Campus Services Hub", "campus@localhost")
MESSAGE_ID = re.compile(r"<notice-\d+\.\d+\.user-\d+@[^<>@\s]+>")
UNSUBSCRIBE_PATH = re.compile(r"^/api/notifications/unsubscribe/(?P<secret>[^/?#]+)$")


# ---- the campus and its people ------------------------------------------------------------------------------------------
def mail_campus(env: dict[str, str], log_name: str, **kwargs) -> CampusServer:
    """A CampusServer whose mail settings are exactly those in `env` (none inherited from this process)."""
    server = CampusServer(env={"LOGIN_RATE_PER_MINUTE": "10000", "LOG_LEVEL": "info", **env},
                          ports=kwargs.pop("ports", None) or distinct_ports(), log_name=log_name, **kwargs)
    for name in MAIL_SETTINGS:
        if name in server.env and name not in env:
            del server.env[name]
    return server


@dataclass(frozen=True)
class User:
    id: int
    email: str
    name: str
    role: str
    token: str


class Hub:
    """One campus and its mail server, with the few API calls the tests make."""

    def __init__(self, campus: CampusServer, smtp: SMTPReceiver, tag: str,
                 sender: tuple[str, str] = DEFAULT_FROM, public_url: str | None = None):
        self.campus, self.smtp, self.tag = campus, smtp, tag
        self.from_name, self.from_address = sender
        self.public_url = public_url or f"http://localhost:{campus.ports['gateway']}"
        self._numbers = itertools.count(1)
        self._admin: str | None = None
        self._rooms: dict[int, dict] | None = None
        self.slots = Slots(first_day=1)
        self.never_mailed: list[tuple[str, str]] = []  # (address, why): checked by the module's last test

    # people -------------------------------------------------------------------------------------------------------
    @property
    def admin(self) -> str:
        if self._admin is None:
            self._admin = self.campus.token("admin")
        return self._admin

    def user(self, role: str = "student", name: str | None = None, email: str | None = None) -> User:
        n = next(self._numbers)
        email = email or f"mail-{self.tag}-{role}-{n}@example.com"
        name = name or f"Mail {role.title()} {self.tag.title()} {n}"
        password = "mail-test-password"
        r = self.campus.post("gateway", "/api/users", token=self.admin,
                             json={"email": email, "name": name, "password": password, "role": role})
        assert r.status_code == 201, r.text
        return User(r.json()["id"], email, name, role, self.campus.login(email, password))

    # preferences --------------------------------------------------------------------------------------------------
    def preferences(self, user: User) -> dict:
        r = self.campus.get("gateway", PREFERENCES, token=user.token)
        assert r.status_code == 200, r.text
        return r.json()

    def set_preferences(self, user: User, **changes: bool) -> dict:
        r = self.campus.request("PUT", "gateway", PREFERENCES, token=user.token, json={"email": changes})
        assert r.status_code == 200, f"PUT {changes}: {r.status_code} {r.text}"
        return r.json()

    # rooms and bookings -------------------------------------------------------------------------------------------
    @property
    def rooms(self) -> dict[int, dict]:
        if self._rooms is None:
            r = self.campus.get("gateway", "/api/rooms", token=self.admin, params={"limit": 200})
            assert r.status_code == 200, r.text
            self._rooms = {room["id"]: room for room in r.json()}
        return self._rooms

    def book(self, user: User, purpose: str, **extra) -> tuple[dict, float]:
        """(the 201 body, seconds the request took): a free one-hour slot of a room open to students."""
        open_rooms = sorted(i for i, room in self.rooms.items() if not room["faculty_only"])
        started = time.monotonic()
        r = self.campus.post("gateway", "/api/bookings", token=user.token,
                             json={**self.slots.next(open_rooms), "purpose": purpose, **extra})
        took = time.monotonic() - started
        assert r.status_code == 201, r.text
        return r.json(), took

    def cancel(self, user: User, booking_id: int) -> None:
        r = self.campus.request("DELETE", "gateway", f"/api/bookings/{booking_id}", token=user.token)
        assert r.status_code == 204, r.text

    # notices ------------------------------------------------------------------------------------------------------
    def notices(self, user: User) -> list[dict]:
        r = self.campus.get("gateway", "/api/notifications", token=user.token, params={"limit": 200})
        assert r.status_code == 200, r.text
        return r.json()

    def wait_notice(self, user: User, found, what: str) -> dict:
        """The newest of `user`'s notices for which found(notice) holds, polled through GET /api/notifications."""
        deadline = time.monotonic() + DEADLINE
        while True:
            matching = [n for n in self.notices(user) if found(n)]
            if matching:
                return matching[0]
            assert time.monotonic() < deadline, f"{user.email} has no notice {what} within {DEADLINE} s: {self.notices(user)[:5]}"
            time.sleep(0.1)

    def booking_notice(self, user: User, booking_id: int, other_than: tuple[int, ...] = ()) -> dict:
        return self.wait_notice(user, lambda n: (n.get("link") or {}).get("kind") == "booking"
                                and (n.get("link") or {}).get("id") == booking_id and n["id"] not in other_than,
                                f"about booking {booking_id}")

    def broadcast(self, title: str, message: str, audience: dict) -> dict:
        r = self.campus.post("gateway", "/api/notifications", token=self.admin,
                             json={"title": title, "message": message, "level": "info", "audience": audience})
        assert r.status_code == 201, r.text
        return r.json()

    def message_id(self, notice: dict, user: User) -> str:
        """<notice-<id>.<its creation, Unix seconds>.user-<id>@<SMTP_FROM domain>>: the same on every attempt,
        another for another installation's notice with the same id."""
        domain = self.from_address.rsplit("@", 1)[1]
        created = int(datetime.fromisoformat(notice["created_at"].replace("Z", "+00:00")).timestamp())
        return f"<notice-{notice['id']}.{created}.user-{user.id}@{domain}>"

    # mail ---------------------------------------------------------------------------------------------------------
    def mail_for(self, notice: dict, user: User, settle: float = SETTLE) -> Received:
        """The one message of `notice` to `user`: awaited, then watched `settle` seconds for a second copy.
        A message to `user` whose Message-ID is not of the spec's form fails at once (not after the deadline)."""
        wanted = self.message_id(notice, user)

        def arrived():
            mails = self.smtp.messages_to(user.email)
            odd = [m.short() for m in mails if not MESSAGE_ID.fullmatch(m.message_id)]
            assert not odd, f"waiting for {wanted}: a message to {user.email} whose Message-ID is not <notice-N.T.user-M@domain>: {odd}"
            return [m for m in mails if m.message_id == wanted]
        self.smtp.wait_for(arrived, f"the message {wanted} to {user.email}", DEADLINE)
        time.sleep(settle)
        copies = [m for m in self.smtp.messages_to(user.email) if m.message_id == wanted]
        assert len(copies) == 1, f"{len(copies)} copies of {wanted} to {user.email}:\n" + "\n".join(m.short() for m in copies)
        return copies[0]

    def marker(self, user: User) -> Received:
        """A broadcast to `user` (who has broadcasts on), awaited: mail owed before it has been dealt with."""
        notice = self.broadcast(f"Marker {secrets.token_hex(4)}", "A marker message.", {"user_id": user.id})
        return self.mail_for(notice, user, settle=0)

    def log_since(self, offset: int) -> str:
        with open(self.campus.log_path, "rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")

    def log_size(self) -> int:
        return self.campus.log_path.stat().st_size if self.campus.log_path.exists() else 0


# ---- reading a message -------------------------------------------------------------------------------------------------
def check_wire_format(mail: Received) -> None:
    """7-bit, CRLF line ends, no line over 998 octets (RFC 5322 2.1.1), no MIME defect in any part."""
    raw = mail.raw
    high = [i for i, byte in enumerate(raw) if byte > 127]
    assert not high, f"{mail.short()}: 8-bit byte at offset {high[0]}: {raw[max(0, high[0] - 60):high[0] + 20]!r}"
    body = raw.replace(b"\r\n", b"")
    assert b"\n" not in body and b"\r" not in body, f"{mail.short()}: a line does not end with CRLF: {raw[:400]!r}"
    longest = max(len(line) for line in raw.split(b"\r\n"))
    assert longest <= 998, f"{mail.short()}: a line of {longest} octets"
    for part in mail.message.walk():
        assert not part.defects, f"{mail.short()}: MIME defects in {part.get_content_type()}: {part.defects}"


def check_headers(hub: Hub, mail: Received, user: User, notice: dict) -> EmailMessage:
    """The spec's envelope and headers for `notice` mailed to `user`; returns the parsed message."""
    check_wire_format(mail)
    msg = mail.message
    assert mail.mail_from == hub.from_address, f"MAIL FROM {mail.mail_from!r}, expected {hub.from_address!r}"
    assert [r.lower() for r in mail.rcpt_tos] == [user.email.lower()], f"RCPT TO {mail.rcpt_tos}: one message per recipient"
    [sender] = msg["From"].addresses
    assert (sender.display_name, sender.addr_spec) == (hub.from_name, hub.from_address), f"From: {msg['From']!r}"
    [to] = msg["To"].addresses
    assert (to.display_name, to.addr_spec.lower()) == (user.name, user.email.lower()), f"To: {msg['To']!r}, expected {user.name} <{user.email}>"
    assert msg["Subject"] == notice["title"], f"Subject {msg['Subject']!r}, the notice's title is {notice['title']!r}"
    sent = msg["Date"].datetime if msg["Date"] is not None else None
    assert sent is not None and sent.tzinfo is not None, f"Date: {msg['Date']!r} is not an RFC 5322 date with a zone"
    assert abs((sent - datetime.now(timezone.utc)).total_seconds()) < 600, f"Date {msg['Date']!r} is not now"
    assert mail.message_id == hub.message_id(notice, user), f"Message-ID {mail.message_id!r}, expected {hub.message_id(notice, user)!r}"
    assert str(msg["MIME-Version"]).strip() == "1.0", f"MIME-Version: {msg['MIME-Version']!r}"
    assert str(msg["Auto-Submitted"]).strip().lower() == "auto-generated", f"Auto-Submitted: {msg['Auto-Submitted']!r}"
    url = unsubscribe_url(msg)
    assert url.startswith(hub.public_url + "/api/notifications/unsubscribe/"), f"List-Unsubscribe {url!r} is not under PUBLIC_URL {hub.public_url}"
    assert UNSUBSCRIBE_PATH.match(urlsplit(url).path), url
    assert str(msg["List-Unsubscribe-Post"]).strip() == "List-Unsubscribe=One-Click", f"List-Unsubscribe-Post: {msg['List-Unsubscribe-Post']!r}"
    # A booking's or a ticket's mails are one thread in mail programs (References / In-Reply-To).
    link = notice.get("link")
    domain = hub.from_address.rsplit("@", 1)[1]
    thread = f"<{link['kind']}-{link['id']}.user-{user.id}@{domain}>" if link else None
    assert msg["References"] == thread and msg["In-Reply-To"] == thread, \
        f"References {msg['References']!r}, In-Reply-To {msg['In-Reply-To']!r}, expected {thread!r}"
    return msg


def unsubscribe_url(msg: EmailMessage) -> str:
    header = str(msg.get("List-Unsubscribe", "")).strip()
    match = re.fullmatch(r"<(https?://[^<>\s]+)>", header)
    assert match, f"List-Unsubscribe {header!r} is not one <http(s) URL>"
    return match.group(1)


def bodies(hub: Hub, msg: EmailMessage, notice: dict, calendar: str | None) -> tuple[str, str, EmailMessage | None]:
    """(text/plain, text/html, the text/calendar part or None): multipart/mixed holding multipart/alternative
    (text/plain then text/html, utf-8, base64), then for bookings the invitation; both texts carry the notice's
    message, a link to the page and the unsubscribe address."""
    assert msg.get_content_type() == "multipart/mixed", f"Content-Type {msg.get_content_type()}, expected multipart/mixed"
    top = list(msg.iter_parts())
    types = [p.get_content_type() for p in top]
    assert types == ["multipart/alternative"] + (["text/calendar"] if calendar else []), f"multipart/mixed holds {types}"
    alternatives = list(top[0].iter_parts())
    assert [p.get_content_type() for p in alternatives] == ["text/plain", "text/html"], \
        f"multipart/alternative holds {[p.get_content_type() for p in alternatives]}"
    for part in alternatives + top[1:]:
        assert part.get_content_charset() == "utf-8", f"{part.get_content_type()} charset {part.get_content_charset()!r}"
        assert str(part.get("Content-Transfer-Encoding", "")).lower() == "base64", \
            f"{part.get_content_type()} Content-Transfer-Encoding {part.get('Content-Transfer-Encoding')!r} (the spec: base64 bodies)"
    text, page = alternatives[0].get_content(), alternatives[1].get_content()
    url = unsubscribe_url(msg)
    assert notice["message"] in text, f"text/plain does not carry the notice's message {notice['message']!r}:\n{text}"
    assert hub.public_url in text, f"text/plain has no link to the page ({hub.public_url}):\n{text}"
    link = notice.get("link")
    # The link opens the booking or ticket itself, as the bell's does.
    page_link = f"{hub.public_url}/#/{link['kind']}s?id={link['id']}" if link else f"{hub.public_url}/#/notifications"
    assert page_link in text and page_link in html.unescape(page), f"the texts do not link to {page_link}:\n{text}"
    assert url in text, f"text/plain has no unsubscribe link ({url}):\n{text}"
    shown = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert re.search(r"<html|<body|<p\b|<div\b", page, re.I), f"text/html is not HTML:\n{page[:500]}"
    assert " ".join(notice["message"].split()) in " ".join(shown.split()), \
        f"text/html does not carry the notice's message {notice['message']!r}:\n{page}"
    assert hub.public_url in html.unescape(page) and url in html.unescape(page), \
        f"text/html lacks the page link or the unsubscribe link ({url}):\n{page}"
    if not calendar:
        return text, page, None
    invite = top[1]
    assert str(invite.get_param("method", "")).upper() == calendar, f"text/calendar method={invite.get_param('method')!r}, expected {calendar}"
    assert invite.get_content_disposition() == "attachment", f"Content-Disposition {invite.get('Content-Disposition')!r}"
    expected_name = "invite.ics" if calendar == "REQUEST" else "cancel.ics"
    assert invite.get_filename() == expected_name, f"filename {invite.get_filename()!r}, expected {expected_name}"
    return text, page, invite


def parse_calendar(part: EmailMessage, method: str) -> icalendar.Calendar:
    cal = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    assert str(cal.get("METHOD")) == method, f"METHOD {cal.get('METHOD')!r}, expected {method}"
    assert str(cal.get("VERSION")) == "2.0", f"VERSION {cal.get('VERSION')!r}"
    assert cal.get("PRODID"), "no PRODID"
    return cal


def mailto(value) -> str:
    text = str(value)
    assert text.lower().startswith("mailto:"), f"{text!r} is not a mailto: address"
    return text[len("mailto:"):]


def check_event(hub: Hub, event, booking: dict, user: User, sequence: int, cancelled: bool) -> None:
    room = hub.rooms[booking["room_id"]]
    assert str(event["UID"]) == booking_uid(booking), f"UID {event['UID']!r}"
    day = Date.fromisoformat(booking["date"])
    for key, wall in (("DTSTART", booking["start_time"]), ("DTEND", booking["end_time"])):
        expected = datetime.combine(day, Time.fromisoformat(wall), timezone.utc)  # the campus clock is UTC here
        assert event.decoded(key) == expected, f"{key} {event.decoded(key)!r}, the booking says {expected.isoformat()}"
        assert event[key].to_ical().endswith(b"Z") and "TZID" not in event[key].params, \
            f"{key} {event[key].to_ical()!r} is not UTC (…Z)"
    assert str(event["SUMMARY"]) == f"{room['name']}: {booking['purpose']}", f"SUMMARY {event['SUMMARY']!r}"
    assert str(event["LOCATION"]) == f"{room['name']}, {room['building']}", f"LOCATION {event['LOCATION']!r}"
    organizer = event["ORGANIZER"]
    assert mailto(organizer) == hub.from_address and organizer.params.get("CN") == hub.from_name, \
        f"ORGANIZER {organizer.to_ical()!r}, expected CN={hub.from_name}:mailto:{hub.from_address}"
    attendee = event["ATTENDEE"]
    assert not isinstance(attendee, list), f"several ATTENDEEs: {attendee}"
    assert mailto(attendee).lower() == user.email.lower() and attendee.params.get("CN") == user.name, \
        f"ATTENDEE {attendee.to_ical()!r}, expected CN={user.name}:mailto:{user.email}"
    assert int(event.get("SEQUENCE", 0)) == sequence, f"SEQUENCE {event.get('SEQUENCE')!r}, expected {sequence}"
    status = str(event.get("STATUS", "")).upper()
    if cancelled:
        assert status == "CANCELLED", f"STATUS {status!r}, expected CANCELLED"
    else:
        assert status in ("", "CONFIRMED"), f"STATUS {status!r} on a confirmation"


def wait_quiet(smtp: SMTPReceiver, seconds: float, must_not) -> None:
    """Watches for `seconds`; fails at once when must_not() returns something."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = must_not()
        assert not found, f"{found}; the SMTP server saw {smtp.describe()}"
        time.sleep(0.1)


# =================================================================================================================
# 1. plain SMTP (SMTP_TLS=none): one campus for the scenarios that need no TLS
# =================================================================================================================
@pytest.fixture(scope="module")
def plain():
    with SMTPReceiver() as smtp:
        campus = mail_campus({"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.port), "SMTP_TLS": "none"}, log_name="mail-plain")
        with campus:
            yield Hub(campus, smtp, "plain")


@pytest.fixture(scope="module")
def confirmed(plain):
    """A student's booking and its confirmation mail: (user, booking, notice, mail)."""
    hub = plain
    user = hub.user("student")
    booking, _ = hub.book(user, "Thesis defence rehearsal")
    notice = hub.booking_notice(user, booking["id"])
    return user, booking, notice, hub.mail_for(notice, user)


def test_a_booking_mails_the_booker_once_with_an_invitation(plain, confirmed):
    hub = plain
    user, booking, notice, mail = confirmed
    assert "confirmed" in notice["title"].lower(), f"the booking's notice is {notice['title']!r}"
    msg = check_headers(hub, mail, user, notice)
    text, page, invite = bodies(hub, msg, notice, "REQUEST")
    room = hub.rooms[booking["room_id"]]
    assert room["name"] in text and room["name"] in html.unescape(page), f"the texts do not name the room {room['name']!r}"
    cal = parse_calendar(invite, "REQUEST")
    [event] = cal.walk("VEVENT")
    check_event(hub, event, booking, user, sequence=0, cancelled=False)
    assert len(hub.smtp.messages_to(user.email)) == 1, [m.short() for m in hub.smtp.messages_to(user.email)]
    # The same UID as the subscribed calendar (/calendar/<secret>.ics) the booker may already use.
    feed = hub.campus.get("gateway", "/api/bookings/feed", token=user.token)
    assert feed.status_code == 200, feed.text
    subscribed = hub.campus.get("gateway", feed.json()["path"])
    assert subscribed.status_code == 200, subscribed.text[:300]
    uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(subscribed.content).walk("VEVENT")}
    assert str(event["UID"]) in uids, f"the invitation's UID {event['UID']} is not in the subscribed feed: {uids}"


def test_cancelling_mails_a_cancellation_of_the_same_event(plain, confirmed):
    hub = plain
    user, booking, first_notice, first = confirmed
    hub.cancel(user, booking["id"])
    notice = hub.booking_notice(user, booking["id"], other_than=(first_notice["id"],))
    assert "cancel" in notice["title"].lower(), f"the cancellation's notice is {notice['title']!r}"
    mail = hub.mail_for(notice, user)
    msg = check_headers(hub, mail, user, notice)
    assert mail.message_id != first.message_id
    _, _, invite = bodies(hub, msg, notice, "CANCEL")
    cal = parse_calendar(invite, "CANCEL")
    [event] = cal.walk("VEVENT")
    [original] = parse_calendar(bodies(hub, first.message, first_notice, "REQUEST")[2], "REQUEST").walk("VEVENT")
    assert str(event["UID"]) == str(original["UID"]), f"UID {event['UID']} is not the invitation's {original['UID']}"
    assert int(event.get("SEQUENCE", 0)) > int(original.get("SEQUENCE", 0)), "SEQUENCE did not go up"
    check_event(hub, event, booking, user, sequence=1, cancelled=True)
    assert len(hub.smtp.messages_to(user.email)) == 2, [m.short() for m in hub.smtp.messages_to(user.email)]


def test_changing_a_booking_mails_the_updated_invitation_of_the_same_event(plain):
    """PATCH /bookings/{id} (issue 19): the booker's mail program moves the event it holds: a REQUEST with
    the same UID, a higher SEQUENCE and the new room and times, read by icalendar; the feed agrees."""
    hub = plain
    user = hub.user("student")
    booking, _ = hub.book(user, "Lab meeting")
    first_notice = hub.booking_notice(user, booking["id"])
    first = hub.mail_for(first_notice, user)
    open_rooms = sorted(i for i, room in hub.rooms.items() if not room["faculty_only"])
    target = hub.slots.next(open_rooms)
    r = hub.campus.request("PATCH", "gateway", f"/api/bookings/{booking['id']}", token=user.token,
                           json={**target, "purpose": "Lab meeting (moved)"})
    assert r.status_code == 200, r.text
    changed = r.json()
    assert (changed["room_id"], changed["date"], changed["start_time"]) == (target["room_id"], target["date"], target["start_time"])
    notice = hub.booking_notice(user, booking["id"], other_than=(first_notice["id"],))
    assert notice["title"] == "Booking changed", f"the change's notice is {notice['title']!r}"
    assert "is now" in notice["message"] and hub.rooms[target["room_id"]]["name"] in notice["message"], notice["message"]
    mail = hub.mail_for(notice, user)
    msg = check_headers(hub, mail, user, notice)
    _, _, invite = bodies(hub, msg, notice, "REQUEST")
    [event] = parse_calendar(invite, "REQUEST").walk("VEVENT")
    [original] = parse_calendar(bodies(hub, first.message, first_notice, "REQUEST")[2], "REQUEST").walk("VEVENT")
    assert str(event["UID"]) == str(original["UID"]), f"UID {event['UID']} is not the invitation's {original['UID']}"
    check_event(hub, event, changed, user, sequence=1, cancelled=False)
    feed = hub.campus.get("gateway", "/api/bookings/feed", token=user.token).json()["path"]
    [subscribed] = [e for e in icalendar.Calendar.from_ical(hub.campus.get("gateway", feed).content).walk("VEVENT")
                    if str(e["UID"]) == str(event["UID"])]
    assert int(subscribed["SEQUENCE"]) == 1 and subscribed.decoded("DTSTART") == event.decoded("DTSTART")
    assert len(hub.smtp.messages_to(user.email)) == 2, [m.short() for m in hub.smtp.messages_to(user.email)]


def test_a_weekly_series_is_one_mail_with_one_event_per_booking(plain):
    hub = plain
    user = hub.user("faculty")
    hall = min(i for i, room in hub.rooms.items() if room["faculty_only"])  # no student slot can collide
    first_day = (datetime.now(timezone.utc).date() + timedelta(days=20)).isoformat()
    r = hub.campus.post("gateway", "/api/bookings", token=user.token, json={
        "room_id": hall, "date": first_day, "start_time": "10:00", "end_time": "12:00",
        "purpose": "Weekly seminar", "repeat_weeks": 3})
    assert r.status_code == 201, r.text
    series = r.json()["bookings"]
    assert len(series) == 3, r.text
    notice = hub.wait_notice(user, lambda n: (n.get("link") or {}).get("kind") == "booking"
                             and (n.get("link") or {}).get("id") in {b["id"] for b in series}, "about the series")
    mail = hub.mail_for(notice, user)
    _, _, invite = bodies(hub, check_headers(hub, mail, user, notice), notice, "REQUEST")
    events = {str(e["UID"]): e for e in parse_calendar(invite, "REQUEST").walk("VEVENT")}
    assert set(events) == {booking_uid(b) for b in series}, f"VEVENT UIDs {sorted(events)}"
    for booking in series:
        check_event(hub, events[booking_uid(booking)], booking, user, sequence=0, cancelled=False)
    # Cancelling the rest of the series: one CANCEL carrying every booking.
    r = hub.campus.request("DELETE", "gateway", f"/api/bookings/series/{r.json()['series_id']}", token=user.token)
    assert r.status_code == 204, r.text
    cancel = hub.wait_notice(user, lambda n: n["id"] != notice["id"] and (n.get("link") or {}).get("kind") == "booking",
                             "cancelling the series")
    mail = hub.mail_for(cancel, user)
    _, _, invite = bodies(hub, check_headers(hub, mail, user, cancel), cancel, "CANCEL")
    events = {str(e["UID"]): e for e in parse_calendar(invite, "CANCEL").walk("VEVENT")}
    assert set(events) == {booking_uid(b) for b in series}, f"VEVENT UIDs {sorted(events)}"
    for booking in series:
        check_event(hub, events[booking_uid(booking)], booking, user, sequence=1, cancelled=True)


def test_mail_owed_while_the_server_is_down_arrives_when_it_is_back(plain):
    hub, smtp = plain, plain.smtp
    keeps, changes_mind = hub.user("student"), hub.user("student")
    smtp.stop()
    try:
        down_since = time.time()
        # changes_mind books, then switches booking mail off before any mail could leave: the preference
        # is checked again just before sending.
        second, took = hub.book(changes_mind, "Booked, then mail switched off")
        assert took < 5, f"the booking took {took:.1f} s with the mail server down"
        hub.booking_notice(changes_mind, second["id"])
        assert hub.set_preferences(changes_mind, booking_updates=False)["email"]["booking_updates"] is False
        first, took = hub.book(keeps, "Booked while the mail server is down")
        assert took < 5, f"the booking took {took:.1f} s with the mail server down"
        notice = hub.booking_notice(keeps, first["id"])
        time.sleep(3)  # the outage: the first tries are refused
        assert not smtp.messages_to(keeps.email) and not smtp.messages_to(changes_mind.email)
        assert hub.campus.process.poll() is None, f"campus exited while the mail server was down: {hub.campus.log_tail()}"
    finally:
        smtp.start()  # the same port
    back = time.time()
    mail = hub.mail_for(notice, keeps)
    check_headers(hub, mail, keeps, notice)
    # With back-off doubling (1, 2, 4 … s) the next try of changes_mind's mail comes at the latest
    # (back - down_since) + 1 s after the server is back: watch that long, and a little more.
    wait_quiet(smtp, max(0.0, back + (back - down_since) + 3 - time.time()),
               lambda: [m.short() for m in smtp.messages_to(changes_mind.email)])


def test_a_temporary_failure_only_delays_the_mail(plain):
    hub, smtp = plain, plain.smtp
    user = hub.user("student")
    smtp.defer(2)  # 451 to the next two MAIL FROM
    booking, _ = hub.book(user, "Deferred twice")
    notice = hub.booking_notice(user, booking["id"])
    mail = hub.mail_for(notice, user)
    assert smtp.deferrals_left == 0, "the product never met the 451s (the test's own premise)"
    check_headers(hub, mail, user, notice)


def test_a_recipient_refused_with_550_is_not_retried_and_the_others_get_theirs(plain):
    hub, smtp = plain, plain.smtp
    first, refused, third = (hub.user("student") for _ in range(3))
    for user in (first, refused, third):
        hub.set_preferences(user, broadcasts=True)
    smtp.reject.add(refused.email)
    offset = hub.log_size()
    notice = hub.broadcast(f"Library closed {secrets.token_hex(3)}", "The library is closed on Friday.", {"role": "student"})
    for user in (first, third):
        check_headers(hub, hub.mail_for(notice, user, settle=0), user, notice)
    smtp.wait_for(lambda: [r for r in smtp.rejections if r[0].lower() == refused.email.lower()], f"RCPT TO {refused.email}")
    first_refusal = min(at for address, at in smtp.rejections if address.lower() == refused.email.lower())
    # Back-off 1, 2, 4 s: a retry would come within 7 s; watch 9.
    wait_quiet(smtp, max(0.0, first_refusal + 9 - time.time()),
               lambda: (len([r for r in smtp.rejections if r[0].lower() == refused.email.lower()]) > 1
                        and f"{refused.email} was tried again after 550: {smtp.rejections}"))
    assert not smtp.messages_to(refused.email), [m.short() for m in smtp.messages_to(refused.email)]
    logged = [line for line in hub.log_since(offset).splitlines() if "550" in line]
    assert logged, f"no log line gives the 550 reason; the log since the broadcast:\n{hub.log_since(offset)[-3000:]}"
    hub.never_mailed.append((refused.email, "refused with 550 once"))


@pytest.mark.parametrize("role", ["student", "faculty", "admin", "technician"])
def test_preferences_default_by_role(plain, role):
    hub = plain
    user = hub.user(role)
    assert hub.preferences(user) == {"email": DEFAULTS[role], "email_available": True}


def test_preferences_change_in_part_and_refuse_what_is_not_a_boolean_key(plain):
    hub = plain
    user = hub.user("student")
    after = hub.set_preferences(user, broadcasts=True)
    assert after == {"email": {**DEFAULTS["student"], "broadcasts": True}, "email_available": True}, after
    after = hub.set_preferences(user, ticket_updates=False)
    expected = {"email": {**DEFAULTS["student"], "broadcasts": True, "ticket_updates": False}, "email_available": True}
    assert after == expected, f"a partial PUT changed more than it named: {after}"
    assert hub.preferences(user) == expected
    for body, names in (({"email": {"carrier_pigeon": True}}, "carrier_pigeon"),
                        ({"email": {"broadcasts": "yes"}}, "broadcasts"),
                        ({"email": {"booking_updates": 1}}, "booking_updates"),
                        ({"email": {"assignments": None}}, "assignments")):
        r = hub.campus.request("PUT", "gateway", PREFERENCES, token=user.token, json=body, validate_request=False)
        assert_problem(r, 422, names=names)
    assert hub.preferences(user) == expected, "a refused PUT changed the preferences"
    assert_problem(hub.campus.get("gateway", PREFERENCES, validate_request=False), 401)


def test_no_booking_mail_when_booking_updates_are_off(plain):
    hub, smtp = plain, plain.smtp
    user = hub.user("student")
    hub.set_preferences(user, booking_updates=False, broadcasts=True)
    booking, _ = hub.book(user, "Nobody mails me about this")
    hub.booking_notice(user, booking["id"])  # the notice exists (in-app) before the marker is sent
    marker = hub.marker(user)
    mails = smtp.messages_to(user.email)
    assert [m.message_id for m in mails] == [marker.message_id], "mail about a booking with booking_updates off:\n" + "\n".join(m.short() for m in mails)


def test_one_click_unsubscribe(plain):
    hub, smtp = plain, plain.smtp
    user, witness = hub.user("student"), hub.user("student")
    hub.set_preferences(witness, broadcasts=True)
    booking, _ = hub.book(user, "Then I unsubscribe")
    mail = hub.mail_for(hub.booking_notice(user, booking["id"]), user, settle=0)
    url = unsubscribe_url(mail.message)
    path = urlsplit(url).path
    # GET shows a page with a button (a form POSTing to the same address) and changes nothing.
    page = hub.campus.get("gateway", path)
    assert page.status_code == 200, page.text[:300]
    assert page.headers.get("Content-Type", "").startswith("text/html"), page.headers.get("Content-Type")
    forms = re.findall(r"<form\b[^>]*>", page.text, re.I)
    assert any(re.search(r"""method\s*=\s*["']?post""", form, re.I) for form in forms), f"no POST form on the page: {forms}"
    for form in forms:
        action = re.search(r"""action\s*=\s*["']([^"']*)["']""", form, re.I)
        target = urljoin(url, html.unescape(action.group(1))) if action else url  # relative to the page's own address
        assert urlsplit(target).path == path, f"the form posts elsewhere ({target}): {form}"
    assert hub.preferences(user)["email"] == DEFAULTS["student"], "GET of the unsubscribe address changed the preferences"
    # The page says which address it is about and links to the profile; a link checker's HEAD finds it too.
    assert user.email.lower() in html.unescape(page.text).lower(), f"the page does not name {user.email}:\n{page.text}"
    assert f'href="{hub.public_url}/#/profile"' in page.text, page.text
    head = hub.campus.request("HEAD", "gateway", path, validate_request=False)
    assert head.status_code == 200 and head.content == b"", (head.status_code, head.content[:100])
    # POST, as a mail client does it (RFC 8058): no token, the one-click body.
    r = hub.campus.post("gateway", path, data="List-Unsubscribe=One-Click",
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 200, r.text[:300]
    assert r.headers.get("Content-Type", "").startswith("text/html"), r.headers.get("Content-Type")
    assert hub.preferences(user)["email"] == {key: False for key in KEYS}, hub.preferences(user)
    # Mail is no longer sent: a second booking sends none (absence proved by a later marker to someone else).
    again, _ = hub.book(user, "After unsubscribing")
    hub.booking_notice(user, again["id"])
    hub.marker(witness)
    assert [m.message_id for m in smtp.messages_to(user.email)] == [mail.message_id], \
        "mail after one-click unsubscribe:\n" + "\n".join(m.short() for m in smtp.messages_to(user.email))
    # Unknown or malformed secrets.
    unknown = secrets.token_urlsafe(32)
    assert unknown != UNSUBSCRIBE_PATH.match(path)["secret"]
    for bad in (unknown, "not-a-secret", "x" * 100):
        address = f"/api/notifications/unsubscribe/{bad}"
        assert_problem(hub.campus.post("gateway", address, data="List-Unsubscribe=One-Click", validate_request=False,
                                       headers={"Content-Type": "application/x-www-form-urlencoded"}), 404)
        assert_problem(hub.campus.get("gateway", address, validate_request=False), 404)
        # Opened in a browser (a link cut short by a mail program), it is a page, not JSON.
        browser = hub.campus.get("gateway", address, validate_request=False, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
        assert browser.status_code == 404 and browser.headers.get("Content-Type", "").startswith("text/html"), \
            (browser.status_code, browser.headers.get("Content-Type"), browser.text[:200])
        assert "not known" in browser.text and "/#/profile" in browser.text, browser.text


def test_non_ascii_and_dot_lines_arrive_exactly(plain):
    hub = plain
    user = hub.user("student", name="Zoë Ångström")
    hub.set_preferences(user, broadcasts=True)
    title = "Café ☕ — closed"
    lines = ["Le café est fermé aujourd'hui.", ".", ".hidden line", "..two dots", "Fish & chips <b>not bold</b>", "end."]
    notice = hub.broadcast(title, "\n".join(lines), {"user_id": user.id})
    mail = hub.mail_for(notice, user)
    msg = mail.message
    check_wire_format(mail)
    assert msg["Subject"] == title, f"Subject decodes to {msg['Subject']!r}"
    [to] = msg["To"].addresses
    assert to.display_name == "Zoë Ångström", f"To display name decodes to {to.display_name!r}"
    raw_headers = mail.raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    subject = re.search(r"^Subject:(.*(?:\r\n[ \t].*)*)", raw_headers, re.M | re.I)
    assert subject and re.search(r"=\?utf-8\?[bq]\?", subject.group(1), re.I), f"Subject is not RFC 2047 UTF-8 words: {subject and subject.group(0)!r}"
    to_header = re.search(r"^To:(.*(?:\r\n[ \t].*)*)", raw_headers, re.M | re.I)
    assert to_header and re.search(r"=\?utf-8\?[bq]\?", to_header.group(1), re.I), f"To is not RFC 2047 UTF-8 words: {to_header and to_header.group(0)!r}"
    assert msg["From"].addresses[0].addr_spec == hub.from_address
    text_part = next(p for p in msg.walk() if p.get_content_type() == "text/plain")
    text = text_part.get_content()
    got = text.splitlines()
    start = next((i for i in range(len(got)) if got[i:i + len(lines)] == lines), None)
    assert start is not None, f"the text/plain part does not carry the message's lines exactly:\n{text!r}"
    page = next(p for p in msg.walk() if p.get_content_type() == "text/html").get_content()
    assert "<b>not bold</b>" not in page and "&lt;b&gt;not bold&lt;/b&gt;" in page, f"HTML in the message is not escaped:\n{page}"
    assert "Fish &amp; chips" in page, f"& is not escaped in text/html:\n{page}"
    assert not [p for p in msg.walk() if p.get_content_type() == "text/calendar"], "a broadcast carries a calendar"


def test_ticket_updates_and_assignments_are_mailed(plain):
    hub, smtp = plain, plain.smtp
    reporter = hub.user("student")
    assignee = hub.user("technician")
    dispatcher = hub.campus.token("technician")
    r = hub.campus.post("gateway", "/api/tickets", token=reporter.token, json={
        "title": "Squeaky door", "description": "The door of the reading room squeaks when opened.",
        "location": "Library, reading room"})
    assert r.status_code == 201, r.text
    ticket = r.json()
    is_ticket = lambda n: (n.get("link") or {}).get("kind") == "ticket" and (n.get("link") or {}).get("id") == ticket["id"]
    created = hub.wait_notice(assignee, is_ticket, "about the new ticket")  # technicians hear of it in-app only
    r = hub.campus.request("PATCH", "gateway", f"/api/tickets/{ticket['id']}", token=dispatcher, json={"assignee_id": assignee.id})
    assert r.status_code == 200, r.text
    assigned = hub.wait_notice(assignee, lambda n: is_ticket(n) and n["id"] != created["id"], "assigning the ticket")
    assert "assigned" in assigned["title"].lower(), assigned
    check_headers(hub, hub.mail_for(assigned, assignee), assignee, assigned)
    r = hub.campus.request("PATCH", "gateway", f"/api/tickets/{ticket['id']}", token=assignee.token, json={"status": "in_progress"})
    assert r.status_code == 200, r.text
    r = hub.campus.post("gateway", f"/api/tickets/{ticket['id']}/comments", token=assignee.token, json={"body": "Oil is on its way."})
    assert r.status_code == 201, r.text
    deadline = time.monotonic() + DEADLINE
    while len([n for n in hub.notices(reporter) if is_ticket(n)]) < 2:  # the status change and the comment
        assert time.monotonic() < deadline, f"the reporter's notices: {hub.notices(reporter)}"
        time.sleep(0.1)
    time.sleep(1)  # any further notice about the ticket has come by now
    updates = [n for n in hub.notices(reporter) if is_ticket(n)]
    for notice in updates:
        check_headers(hub, hub.mail_for(notice, reporter, settle=0), reporter, notice)
    time.sleep(SETTLE)
    assert len(smtp.messages_to(reporter.email)) == len(updates), [m.short() for m in smtp.messages_to(reporter.email)]
    assigned_mail = [m for m in smtp.messages_to(assignee.email)]
    assert [m.message_id for m in assigned_mail] == [hub.message_id(assigned, assignee)], \
        "the technician was mailed more than the assignment (a new-ticket notice is not mailed):\n" + "\n".join(m.short() for m in assigned_mail)


def test_account_and_new_ticket_notices_are_not_mailed(plain):
    hub, smtp = plain, plain.smtp
    hub.user("student")  # "user created" goes to the admins
    admin = User(0, "admin@example.com", "", "admin", hub.admin)
    assert any("user" in (n["title"] + n["message"]).lower() for n in hub.notices(admin)), "the admins got no account notice"
    witness = hub.user("student")
    hub.set_preferences(witness, broadcasts=True)
    hub.marker(witness)
    quiet = ["admin@example.com", "tech@example.com"] + [address for address, _ in hub.never_mailed]
    mailed = {address: [m.short() for m in smtp.messages_to(address)] for address in quiet if smtp.messages_to(address)}
    assert not mailed, f"mailed notices that are not e-mailed: {mailed}"


# =================================================================================================================
# 2. STARTTLS + AUTH with a throwaway CA; and what must not get mail
# =================================================================================================================
@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mail-pki")
    ca, other = TestPKI(folder / "ca"), TestPKI(folder / "other", "Another test CA")
    return {
        "ca": ca.ca,
        "good": ca.server_certificate("good"),                                        # 127.0.0.1 and localhost
        "other_ca": other.server_certificate("other-ca"),                             # right names, wrong CA
        "other_name": ca.server_certificate("other-name", ["mail.example.test"]),     # right CA, wrong name
        "folder": folder,
    }


SECURE_FROM = ("Facilities Desk", "noreply@campus.example.edu")
SECURE_URL = "https://campus.example.edu"
MAILER = ("campus-mailer", "s3cret-" + secrets.token_hex(6))


@pytest.fixture(scope="module")
def secure(pki):
    password_file = pki["folder"] / "smtp-password"
    password_file.write_text(MAILER[1] + "\n")  # a secrets file: the trailing newline is not part of it
    password_file.chmod(0o600)
    with SMTPReceiver(tls="starttls", certificate=pki["good"], auth=MAILER) as smtp:
        campus = mail_campus({"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.port), "SMTP_TLS": "starttls",
                              "SMTP_TLS_CA_FILE": str(pki["ca"]), "SMTP_USERNAME": MAILER[0],
                              "SMTP_PASSWORD_FILE": str(password_file),
                              "SMTP_FROM": f"{SECURE_FROM[0]} <{SECURE_FROM[1]}>", "PUBLIC_URL": SECURE_URL},
                             log_name="mail-starttls")
        with campus:
            yield Hub(campus, smtp, "tls", sender=SECURE_FROM, public_url=SECURE_URL)


def test_starttls_with_the_test_ca_and_auth(secure):
    hub, smtp = secure, secure.smtp
    user = hub.user("student")
    booking, _ = hub.book(user, "Over TLS")
    notice = hub.booking_notice(user, booking["id"])
    mail = hub.mail_for(notice, user)
    assert mail.tls, f"the session was not TLS: {mail.short()}"
    assert mail.auth_login == MAILER[0], f"AUTH login {mail.auth_login!r}, expected {MAILER[0]!r}"
    assert mail.auth_mechanism == "PLAIN", f"AUTH {mail.auth_mechanism}: PLAIN is offered, so PLAIN is used"
    msg = check_headers(hub, mail, user, notice)  # From, Message-ID domain and List-Unsubscribe from SMTP_FROM / PUBLIC_URL
    _, _, invite = bodies(hub, msg, notice, "REQUEST")
    [event] = parse_calendar(invite, "REQUEST").walk("VEVENT")
    check_event(hub, event, booking, user, sequence=0, cancelled=False)
    [connection] = [c for c in smtp.connections if c.number == mail.connection]
    commands = [line for line in connection.transcript if line.startswith("C: ")]
    first_secret = next(i for i, line in enumerate(commands) if line.startswith(("C: AUTH", "C: MAIL")))
    assert "C: STARTTLS" in commands[:first_secret], f"AUTH or MAIL before STARTTLS: {commands}"


@pytest.mark.parametrize("case", ["no STARTTLS offered", "a certificate from another CA", "a certificate naming another host"])
def test_nothing_is_sent_over_an_untrusted_connection(secure, pki, case):
    hub, smtp = secure, secure.smtp
    smtp.stop()
    if case == "no STARTTLS offered":
        smtp.tls, smtp.certificate, smtp.auth = "none", None, None   # would take anything in clear
    else:
        smtp.tls, smtp.certificate, smtp.auth = "starttls", pki["other_ca" if "CA" in case else "other_name"], MAILER
    smtp.start()
    try:
        seen = len(smtp.connections)
        accepted = len(smtp.messages)
        user = hub.user("student")
        booking, took = hub.book(user, f"Untrusted: {case}")
        assert took < 5, f"the booking took {took:.1f} s"
        hub.booking_notice(user, booking["id"])
        # The product tries (a connection that ends; with a certificate to judge, after asking for STARTTLS),
        # and then nothing is accepted for a while.
        if case == "no STARTTLS offered":
            smtp.wait_for(lambda: [c for c in smtp.connections[seen:] if c.closed_at], "a connection from the product that ended")
        else:
            smtp.wait_for(lambda: [c for c in smtp.connections[seen:] if c.closed_at and c.starttls_requested],
                          "a connection on which the product asked for STARTTLS (so that the certificate was judged)")
        wait_quiet(smtp, ABSENCE, lambda: [m.short() for m in smtp.messages[accepted:]])
        clear = [line for c in smtp.connections[seen:] for line in c.transcript
                 if line.startswith(("C: MAIL", "C: AUTH", "C: RCPT", "C: DATA"))]
        assert not clear, f"{case}: the product went on without a trusted TLS session: {clear}"
        assert hub.campus.process.poll() is None, f"campus exited: {hub.campus.log_tail()}"
        r = hub.campus.get("notification", "/health/ready")
        assert r.status_code == 200, r.text
    finally:
        smtp.stop()
        smtp.tls, smtp.certificate, smtp.auth = "starttls", pki["good"], MAILER
        smtp.start()


def test_implicit_tls_with_auth_login_when_plain_is_not_offered(pki):
    with SMTPReceiver(tls="tls", certificate=pki["good"], auth=MAILER, auth_mechanisms=("LOGIN",)) as smtp:
        with mail_campus({"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.port), "SMTP_TLS": "tls",
                          "SMTP_TLS_CA_FILE": str(pki["ca"]), "SMTP_USERNAME": MAILER[0], "SMTP_PASSWORD": MAILER[1]},
                         log_name="mail-implicit-tls") as campus:
            hub = Hub(campus, smtp, "implicit")
            user = hub.user("student")
            booking, _ = hub.book(user, "Implicit TLS")
            notice = hub.booking_notice(user, booking["id"])
            mail = hub.mail_for(notice, user)
            assert mail.tls and mail.auth_login == MAILER[0] and mail.auth_mechanism == "LOGIN", mail.short() + f" via {mail.auth_mechanism}"
            check_headers(hub, mail, user, notice)
            assert MAILER[1] not in campus.log_path.read_text(errors="replace"), "the SMTP password is in the log"


@pytest.mark.parametrize("case", ["a certificate from another CA", "a certificate naming another host"])
def test_implicit_tls_refuses_an_untrusted_certificate(pki, case):
    certificate = pki["other_ca" if "CA" in case else "other_name"]
    with SMTPReceiver(tls="tls", certificate=certificate, auth=MAILER) as smtp:
        with mail_campus({"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.port), "SMTP_TLS": "tls",
                          "SMTP_TLS_CA_FILE": str(pki["ca"]), "SMTP_USERNAME": MAILER[0], "SMTP_PASSWORD": MAILER[1]},
                         log_name="mail-implicit-untrusted") as campus:
            hub = Hub(campus, smtp, "untrusted")
            user = hub.user("student")
            booking, took = hub.book(user, f"Implicit TLS, {case}")
            assert took < 5, f"the booking took {took:.1f} s"
            hub.booking_notice(user, booking["id"])
            # A connection is accepted (TCP) but, the handshake refused by the product, no SMTP command follows.
            smtp.wait_for(lambda: smtp.connections, "a connection from the product")
            wait_quiet(smtp, ABSENCE, lambda: smtp.messages and [m.short() for m in smtp.messages])
            talked = [c.short() for c in smtp.connections if any(line.startswith("C: ") for line in c.transcript)]
            assert not talked, f"{case}: the product finished the TLS handshake and spoke SMTP: {talked}"
            assert campus.process.poll() is None, f"campus exited: {campus.log_tail()}"


def test_auth_over_plain_smtp_to_a_loopback_host():
    with SMTPReceiver(auth=MAILER) as smtp:
        with mail_campus({"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.port), "SMTP_TLS": "none",
                          "SMTP_USERNAME": MAILER[0], "SMTP_PASSWORD": MAILER[1]}, log_name="mail-loopback-auth") as campus:
            hub = Hub(campus, smtp, "loopback")
            user = hub.user("student")
            booking, _ = hub.book(user, "Loopback relay")
            mail = hub.mail_for(hub.booking_notice(user, booking["id"]), user)
            assert not mail.tls and mail.auth_login == MAILER[0], mail.short()
            assert mail.auth_mechanism == "PLAIN", f"AUTH {mail.auth_mechanism}: the server offers LOGIN and PLAIN, so PLAIN is used"


def test_without_smtp_host_preferences_work_and_email_is_not_available():
    with mail_campus({}, log_name="mail-none") as campus:
        with SMTPReceiver() as smtp:
            hub = Hub(campus, smtp, "nomail")
            user = hub.user("technician")
            assert hub.preferences(user) == {"email": DEFAULTS["technician"], "email_available": False}
            assert hub.set_preferences(user, broadcasts=True) == {
                "email": {**DEFAULTS["technician"], "broadcasts": True}, "email_available": False}


# =================================================================================================================
# 3. SIGTERM while a slow server holds a message; restart on the same DATA_DIR
# =================================================================================================================
def test_a_restart_mid_delivery_sends_every_mail_exactly_once():
    count = 10
    with SMTPReceiver() as smtp:
        campus = mail_campus({"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.port), "SMTP_TLS": "none"}, log_name="mail-restart")
        try:
            campus.start()
            hub = Hub(campus, smtp, "restart")
            users = [hub.user("student") for _ in range(count)]
            for user in users:
                hub.set_preferences(user, broadcasts=True)
            smtp.data_delay = 1.0  # each message waits a second for its 250
            notice = hub.broadcast("Campus closed for the holiday", "All buildings close at noon.", {"all": True})
            expected = {hub.message_id(notice, user): user for user in users}
            ours = lambda: [m for m in smtp.messages if m.message_id in expected]
            held = lambda: [p for p in smtp.in_flight() if p.message_id in expected]
            smtp.wait_for(lambda: held() and (ours() or len(held()) > 1),
                          "delivery under way: a message held by the slow server, and another accepted or held")
            holding = {p.message_id for p in smtp.in_flight()}
            process = campus.process
            process.send_signal(signal.SIGTERM)
            try:
                code = process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                pytest.fail(f"campus did not stop within 20 s of SIGTERM; log: {campus.log_tail()}")
            stopped = time.time()
            campus.process = None
            before = {m.message_id: m for m in ours()}
            unfinished = holding - {mid for mid, m in before.items() if m.accepted_at <= stopped}
            assert not unfinished, (f"SIGTERM cut the message in flight instead of finishing it (exit {code}): {unfinished}; "
                                    f"aborted {[(p.message_id, why) for p, why in smtp.aborted]}")
            assert len(before) < count, "every mail was sent before the stop ended: nothing was left for the restart to prove"
            smtp.data_delay = 0
            campus.start()  # same DATA_DIR, ports and secret
            restarted = time.time()
            smtp.wait_for(lambda: {m.message_id for m in ours()} >= set(expected), f"all {count} mails of the broadcast")
            time.sleep(SETTLE * 2)
            got = ours()
            ids = [m.message_id for m in got]
            duplicates = sorted({mid for mid in ids if ids.count(mid) > 1})
            assert not duplicates, f"sent twice: {duplicates}\n" + "\n".join(m.short() for m in got)
            for mid, user in expected.items():
                [mail] = [m for m in got if m.message_id == mid]
                assert [r.lower() for r in mail.rcpt_tos] == [user.email.lower()], mail.short()
            assert any(m.accepted_at >= restarted for m in got), "the restarted process delivered nothing"
        finally:
            campus.close()


# =================================================================================================================
# 4. bad settings: exit 78 naming the variable
# =================================================================================================================
BAD_PASSWORD = "pw-" + secrets.token_hex(8)


@pytest.mark.parametrize("settings, names", [
    ({"SMTP_TLS": "bogus"}, ("SMTP_TLS",)),
    ({"SMTP_USERNAME": "mailer"}, ("SMTP_PASSWORD", "SMTP_USERNAME")),
    ({"SMTP_PASSWORD": BAD_PASSWORD}, ("SMTP_USERNAME", "SMTP_PASSWORD")),
    ({"SMTP_FROM": "not an address"}, ("SMTP_FROM",)),
    ({"SMTP_FROM": "Campus <campus@>"}, ("SMTP_FROM",)),
    ({"SMTP_PORT": "smtp"}, ("SMTP_PORT",)),
    ({"SMTP_PORT": "70000"}, ("SMTP_PORT",)),
    ({"PUBLIC_URL": "ftp://campus.example.edu"}, ("PUBLIC_URL",)),
    ({"SMTP_HOST": "mail.example.com", "SMTP_USERNAME": "mailer", "SMTP_PASSWORD": BAD_PASSWORD}, ("SMTP_USERNAME", "SMTP_TLS")),
    ({"SMTP_TLS": "starttls", "SMTP_TLS_CA_FILE": "/nonexistent/campus-e2e-ca.pem"}, ("SMTP_TLS_CA_FILE",)),
    ({"SMTP_USERNAME": "mailer", "SMTP_PASSWORD": BAD_PASSWORD, "SMTP_PASSWORD_FILE": "/nonexistent/smtp-password"}, ("SMTP_PASSWORD",)),
], ids=["tls-bogus", "username-without-password", "password-without-username", "from-not-an-address",
        "from-no-domain", "port-not-a-number", "port-out-of-range", "public-url-ftp", "username-in-clear-to-a-remote-host",
        "ca-file-missing", "password-and-password-file"])
def test_a_bad_mail_setting_stops_start_up_with_78_naming_it(settings, names):
    env = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(free_port()), "SMTP_TLS": "none", **settings}
    server = mail_campus(env, log_name="mail-misconfigured")
    try:
        result = subprocess.run([campus_binary(), "serve"], cwd=server.cwd, env=server.env,
                                capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired as running:
        pytest.fail(f"{settings}: `campus serve` was still running after 30 s (killed); output: {running.stderr!r}")
    finally:
        server.close()
    output = result.stdout + result.stderr
    assert result.returncode == 78, f"{settings}: exit {result.returncode}; output: {output[-1500:]}"
    named = [line for line in output.splitlines() if any(re.search(rf"\b{n}\b", line) for n in names)]
    assert named, f"{settings}: no line names {' or '.join(names)}: {output[-1500:]}"
    assert BAD_PASSWORD not in output, f"the start-up message prints the SMTP password: {output[-1500:]}"
