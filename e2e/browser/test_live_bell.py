"""The live bell: the page keeps one WebSocket (/api/notifications/ws) from sign-in to sign-out and
learns of every new notice addressed to its user the moment it is stored. The count on the bell
goes up without a reload and without asking the server, the notifications page puts the notice on
top (each notice once), and after a reconnect one fetch of the count (and of the list) catches up
with what was created while the socket was down. Nothing polls.

A probe added to every document before the page's own scripts (CDP, so the CSP does not apply to
it) counts the page's fetches and keeps a handle on its WebSockets, so a test can break the socket
and keep it from reconnecting until it lets it."""
from __future__ import annotations

import re
import uuid

import pytest
from selenium.webdriver.common.by import By

from support.campus import CampusServer, ROOT
from support.slots import days_ahead


@pytest.fixture(scope="module")
def campus():
    """This module's own campus (overrides the suite's): its notices to every student and every
    faculty member would otherwise be in the other tests' accounts, made later in the run."""
    server = CampusServer(env={"LOGIN_RATE_PER_MINUTE": "10000", "SLA_CHECK_SECONDS": "1"}, log_name="browser-live-bell")
    server.start()
    yield server
    server.close()

PROBE = r"""
(() => {
  if (window.__probe) return;
  const probe = window.__probe = { fetches: [], sockets: [], blocked: false };
  const NativeSocket = window.WebSocket;
  window.WebSocket = new Proxy(NativeSocket, {
    construct(target, args) {
      if (probe.blocked && String(args[0]).includes("/api/notifications/ws")) throw new SyntaxError("blocked by the test");
      const socket = new target(...args);
      probe.sockets.push(socket);
      return socket;
    },
  });
  const nativeFetch = window.fetch;
  window.fetch = function (input, init) {
    probe.fetches.push(String(input && input.url ? input.url : input));
    return nativeFetch.apply(this, arguments);
  };
})();
"""

BELL_SOCKETS = "return window.__probe.sockets.filter((s) => s.url.includes('/api/notifications/ws'))"


# helpers -------------------------------------------------------------------------------------

def fresh_user(campus, role: str) -> dict:
    """A new account (no notices of its own, no bookings), so other tests do not get in the way."""
    word = uuid.uuid4().hex[:10]
    email, password = f"bell-{word}@example.com", "bell-pass-1"
    r = campus.post("users", "/users", token=campus.token("admin"),
                    json={"email": email, "name": f"Bell {role.title()} {word}", "password": password, "role": role})
    assert r.status_code == 201, r.text
    return {"email": email, "password": password, "id": r.json()["id"]}


def label_count(app) -> int | None:
    """The exact unread count the bell says (its accessible label), None before it was loaded."""
    label = app.driver.find_element(By.ID, "bell").get_attribute("aria-label") or ""
    if label == "Notifications, none unread":
        return 0
    match = re.fullmatch(r"Notifications, (\d+) unread", label)
    return int(match.group(1)) if match else None


def fetches(app, part: str) -> int:
    return app.driver.execute_script("return window.__probe.fetches.filter((u) => u.includes(arguments[0])).length", part)


def list_fetches(app) -> int:
    """Loads of the notification list (not the count)."""
    return app.driver.execute_script(
        "return window.__probe.fetches.filter((u) => new URL(u, location.href).pathname === '/api/notifications').length")


def bell_state(app) -> str | None:
    return app.driver.find_element(By.ID, "bell").get_attribute("data-live")


def open_signed_in(browsers, user: dict, page: str | None = None):
    """A browser with the probe, signed in as `user`, its bell live and its count loaded."""
    app = browsers()
    app.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": PROBE})
    app.login(email=user["email"], password=user["password"])
    app.wait(15).until(lambda d: bell_state(app) == "live", "the bell's socket never became live")
    app.wait().until(lambda d: label_count(app) is not None, "the bell never loaded its count")
    if page:
        app.go(page)
    if page == "notifications":
        wait_list_loaded(app)
    app.driver.execute_script("window.__marker = 1")
    return app


def wait_list_loaded(app):
    app.wait().until(lambda d: d.execute_script(
        "const l = document.getElementById('notification-list'); return !!l && !l.querySelector('.skeleton') && l.children.length > 0"),
        "the notification list never loaded")


def list_ids(app) -> list[str]:
    return [a.get_attribute("data-notification-id") for a in app.all("#notification-list [data-notification-id]")]


def same_document(app) -> bool:
    return app.driver.execute_script("return window.__marker") == 1


def send(campus, audience: dict, title: str, event_id: str | None = None, expect: int = 201) -> dict:
    body = {"title": title, "message": f"{title}: sent by the live bell test.", "audience": audience}
    if event_id:
        body["event_id"] = event_id
    r = campus.post("gateway", "/api/notifications", token=campus.token("admin"), json=body)
    assert r.status_code == expect, r.text
    return r.json()


def announced(app) -> str:
    return app.driver.execute_script("return document.getElementById('announcer').textContent")


# 0. nothing polls ------------------------------------------------------------------------------

TIMER_CALL = re.compile(r"\bset(?:Interval|Timeout)\s*\(")
ABOUT_NOTICES = re.compile(r"bell|unread|notif", re.I)


def timer_calls(source: str) -> list[str]:
    """The text of every setInterval/setTimeout call in `source` (up to its closing parenthesis)."""
    calls = []
    for match in TIMER_CALL.finditer(source):
        depth, i = 0, match.end() - 1
        while i < len(source):
            depth += {"(": 1, ")": -1}.get(source[i], 0)
            i += 1
            if depth == 0:
                break
        calls.append(source[match.start():i])
    return calls


def test_no_timer_in_the_page_refreshes_the_bell_or_the_notices():
    # the check finds what the page did before the bell went live
    assert [c for c in timer_calls("state.bellTimer = setInterval(refreshBell, 5000); setTimeout(refreshBell, 1500);") if ABOUT_NOTICES.search(c)] == [
        "setInterval(refreshBell, 5000)", "setTimeout(refreshBell, 1500)"]
    offenders = []
    for path in sorted((ROOT / "Public").rglob("*.js")):
        for call in timer_calls(path.read_text()):
            if ABOUT_NOTICES.search(call):
                offenders.append(f"{path.relative_to(ROOT)}: {call}")
    assert offenders == [], offenders
    # the notifications page and the shell have no timers of their own for notices at all
    assert timer_calls((ROOT / "Public/js/pages/notifications.js").read_text()) == []
    assert "setInterval" not in (ROOT / "Public/js/app.js").read_text()


# 1. a notice to the role: the open page's bell, at once -------------------------------------------

def test_a_notice_to_the_role_rings_the_open_page_at_once(browsers, campus):
    student = fresh_user(campus, "student")
    app = open_signed_in(browsers, student)
    before = label_count(app)
    counts_before = fetches(app, "/unread-count")
    assert counts_before >= 1  # the one on connect
    assert len(app.driver.execute_script(BELL_SOCKETS)) == 1  # one socket for the page

    title = f"Library closes early {uuid.uuid4().hex[:6]}"
    send(campus, {"role": "student"}, title)
    app.wait(2).until(lambda d: label_count(app) == before + 1, "the bell did not go up within 2 s")
    # the new count came by the socket, not by asking the server, and the page was not reloaded
    assert fetches(app, "/unread-count") == counts_before
    assert same_document(app)
    assert app.find("#bell-count").text == str(before + 1)
    # said politely to screen readers
    assert app.driver.execute_script("return document.getElementById('announcer').getAttribute('aria-live')") == "polite"
    app.wait(2).until(lambda d: f"New notice: {title}" in announced(app))
    # still one socket: nothing reconnected for it
    assert len(app.driver.execute_script(BELL_SOCKETS)) == 1


# 2. a booking's confirmation arrives live ----------------------------------------------------------

def test_a_bookings_confirmation_notice_arrives_live(browsers, campus):
    student = fresh_user(campus, "student")
    app = open_signed_in(browsers, student)
    before = label_count(app)
    counts_before = fetches(app, "/unread-count")
    token = campus.login(student["email"], student["password"])
    booked = None
    for day in (11, 12, 13):
        for room in (1, 2, 3, 4, 5, 6):
            for start, end in (("15:00", "16:00"), ("16:00", "17:00"), ("17:00", "18:00")):
                r = campus.post("gateway", "/api/bookings", token=token,
                                json={"room_id": room, "date": days_ahead(day), "start_time": start, "end_time": end, "purpose": "Live bell check"})
                if r.status_code == 201:
                    booked = r.json()
                    break
            if booked:
                break
        if booked:
            break
    assert booked, "no free slot to book"
    # through the outbox to the notification service, and from there to the open page
    app.wait(15).until(lambda d: label_count(app) == before + 1, "the confirmation never reached the bell")
    app.wait(2).until(lambda d: "New notice: Booking confirmed" in announced(app))
    assert fetches(app, "/unread-count") == counts_before
    assert same_document(app)
    app.click("#bell")
    app.page("notifications")
    top = app.text_in("#notification-list", "Booking confirmed")
    assert "Booking confirmed" in app.all("#notification-list [data-notification-id]")[0].text, top.text


# 3. the notifications page: on top at once, each notice once -------------------------------------

def test_the_open_notifications_page_puts_a_new_notice_on_top_once(browsers, campus):
    student = fresh_user(campus, "student")
    app = open_signed_in(browsers, student, page="notifications")
    before = label_count(app)
    loads = list_fetches(app)
    event_id = f"live-bell-{uuid.uuid4().hex}"
    first = send(campus, {"user_id": student["id"]}, "Your locker is ready", event_id=event_id)
    app.wait(2).until(lambda d: list_ids(app)[:1] == [str(first["id"])], "the new notice is not on top")
    # the same event again: stored once (200, the same notice), shown once
    again = send(campus, {"user_id": student["id"]}, "Your locker is ready", event_id=event_id, expect=200)
    assert again["id"] == first["id"]
    # a later notice as a barrier: once it shows, anything the repeat could have caused has shown too
    barrier = send(campus, {"user_id": student["id"]}, "Locker keys at the front desk")
    app.wait(2).until(lambda d: list_ids(app)[:1] == [str(barrier["id"])])
    ids = list_ids(app)
    assert ids[:2] == [str(barrier["id"]), str(first["id"])]
    assert ids.count(str(first["id"])) == 1
    assert label_count(app) == before + 2
    assert list_fetches(app) == loads, "the list was loaded again instead of taking the notice live"
    assert same_document(app)
    summary = app.find("#notification-summary").text
    assert f"Showing {len(ids)} of {len(ids)}" in summary, summary

    # the same message twice on the socket (a server that repeated itself): still once, counted once
    app.driver.execute_script("""
        const socket = window.__probe.sockets.filter((s) => s.url.includes('/api/notifications/ws') && s.readyState === 1).at(-1);
        const data = JSON.stringify({type: 'notification.created', notification: arguments[0]});
        socket.dispatchEvent(new MessageEvent('message', {data}));
        socket.onmessage(new MessageEvent('message', {data}));""", first)
    ids = list_ids(app)
    assert ids.count(str(first["id"])) == 1 and ids[0] == str(barrier["id"])
    assert label_count(app) == before + 2

    # marking it read takes the count down here (as before)
    app.click(f'[data-notification-id="{first["id"]}"] [data-action="mark-read"]')
    app.wait().until(lambda d: label_count(app) == before + 1)


# 4. a reconnect catches up: what came while the socket was down, exactly once ----------------------

def test_after_a_reconnect_the_bell_and_the_list_catch_up_once(browsers, campus):
    student = fresh_user(campus, "student")
    app = open_signed_in(browsers, student, page="notifications")
    before = label_count(app)
    counts_before = fetches(app, "/unread-count")
    # the socket breaks and may not come back until the test lets it
    app.driver.execute_script("""
        window.__probe.blocked = true;
        for (const s of window.__probe.sockets) if (s.url.includes('/api/notifications/ws')) s.close(4000, 'test');""")
    app.wait(5).until(lambda d: bell_state(app) == "offline", "the page never noticed the socket was gone")

    missed = send(campus, {"user_id": student["id"]}, f"Sent while offline {uuid.uuid4().hex[:6]}")
    # nothing can bring it while the socket is down (the server has it: the page does not)
    assert campus.get("gateway", f"/api/notifications/{missed['id']}", token=campus.login(student["email"], student["password"])).status_code == 200
    assert label_count(app) == before and str(missed["id"]) not in list_ids(app)
    assert bell_state(app) != "live"

    app.driver.execute_script("window.__probe.blocked = false")
    app.wait(20).until(lambda d: bell_state(app) == "live", "the socket never came back")
    app.wait(5).until(lambda d: label_count(app) == before + 1, "the count did not catch up")
    app.wait(5).until(lambda d: str(missed["id"]) in list_ids(app), "the list did not catch up")
    assert fetches(app, "/unread-count") > counts_before  # the catch-up asked the server
    # a live one after it: counted once more, and the missed one still once
    after = send(campus, {"user_id": student["id"]}, "Sent after the reconnect")
    app.wait(2).until(lambda d: list_ids(app)[:1] == [str(after["id"])])
    assert label_count(app) == before + 2
    ids = list_ids(app)
    assert ids.count(str(missed["id"])) == 1 and ids.count(str(after["id"])) == 1
    assert ids[:2] == [str(after["id"]), str(missed["id"])]
    assert same_document(app)
    # one socket open at a time
    states = app.driver.execute_script(BELL_SOCKETS + ".map((s) => s.readyState)")
    assert states.count(1) == 1, states


# 5. a notice for another role is not shown ----------------------------------------------------

def test_a_notice_for_students_does_not_reach_a_faculty_page(browsers, campus):
    student = open_signed_in(browsers, fresh_user(campus, "student"))
    faculty = open_signed_in(browsers, fresh_user(campus, "faculty"), page="notifications")
    s_before, f_before = label_count(student), label_count(faculty)

    only_students = f"Student union vote {uuid.uuid4().hex[:6]}"
    send(campus, {"role": "student"}, only_students)
    student.wait(2).until(lambda d: label_count(student) == s_before + 1)
    # a notice for faculty after it: once the faculty page has that one, it has all it will get
    for_faculty = f"Senate meeting {uuid.uuid4().hex[:6]}"
    barrier = send(campus, {"role": "faculty"}, for_faculty)
    faculty.wait(2).until(lambda d: list_ids(faculty)[:1] == [str(barrier["id"])])
    assert label_count(faculty) == f_before + 1
    assert only_students not in faculty.find("#notification-list").text
    assert only_students not in announced(faculty) and for_faculty in announced(faculty)
    assert label_count(student) == s_before + 1 and for_faculty not in announced(student)


# 6. sign-out closes the socket; the next person gets their own -------------------------------------

def test_sign_out_closes_the_socket_and_the_next_person_gets_their_own(browsers, campus):
    first = fresh_user(campus, "student")
    app = open_signed_in(browsers, first)
    assert app.driver.execute_script(BELL_SOCKETS + ".map((s) => s.readyState)") == [1]
    app.click("#logout")
    app.find("#login-form")
    app.wait(5).until(lambda d: d.execute_script(BELL_SOCKETS + ".every((s) => s.readyState === 3)"), "the socket stayed open after sign-out")
    second = fresh_user(campus, "faculty")
    app.type("#email", second["email"])
    app.type("#password", second["password"])
    app.click("#login-submit")
    app.page("home")
    app.wait(15).until(lambda d: bell_state(app) == "live")
    states = app.driver.execute_script(BELL_SOCKETS + ".map((s) => s.readyState)")
    assert states.count(1) == 1 and len(states) == 2, states
    before = label_count(app)
    send(campus, {"user_id": first["id"]}, "For the first person only")
    barrier = send(campus, {"user_id": second["id"]}, "For the second person")
    app.wait(2).until(lambda d: f"New notice: {barrier['title']}" in announced(app))
    assert label_count(app) == before + 1
    assert "For the first person only" not in announced(app)


# 7. another tab marks read: this tab's bell follows ---------------------------------------------

def test_marking_read_in_one_tab_takes_the_other_tabs_bell_down(browsers, campus):
    student = fresh_user(campus, "student")
    app = open_signed_in(browsers, student)
    send(campus, {"user_id": student["id"]}, "Read me in the other tab")
    app.wait(2).until(lambda d: (label_count(app) or 0) >= 1)
    first_tab = app.driver.current_window_handle
    app.driver.switch_to.new_window("tab")
    app.open("notifications")
    app.page("notifications")
    wait_list_loaded(app)
    app.click("#mark-all-read")
    app.wait().until(lambda d: label_count(app) == 0)
    app.driver.switch_to.window(first_tab)
    app.wait(5).until(lambda d: label_count(app) == 0, "the first tab's bell kept its count")
