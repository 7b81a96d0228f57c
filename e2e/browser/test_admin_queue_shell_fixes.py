"""Stumbles a first-time user found on the admin pages, the queue and the shell (issue 17):
cancelling a ticket and sending a notice to many people ask first; the live dot belongs to the
person signed in now; the admin tables at 320 px; role sentences, the users count after creating
someone, one spelling of "In progress"; "Why this priority?" stays open while typing; a
technician's ticket page sits under "Queue"."""
from __future__ import annotations

import uuid

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from support.campus import CampusServer
from browser_support import Api


@pytest.fixture(scope="module")
def campus():
    """Their own server: a notice sent to everyone here would reach the accounts other tests make."""
    server = CampusServer(env={"LOGIN_RATE_PER_MINUTE": "10000", "SLA_CHECK_SECONDS": "1"}, log_name="browser-fixes")
    server.start()
    yield server
    server.close()


def tag() -> str:
    return uuid.uuid4().hex[:8]


def toasts(app) -> str:
    return app.driver.execute_script("return document.getElementById('toasts').textContent")


def open_ticket(app, ticket_id):
    app.driver.execute_script("location.hash = arguments[0]", f"#/tickets?id={ticket_id}")
    app.find(f'#ticket-view[data-ticket-id="{ticket_id}"] #ticket-view-title')


def sign_out(app):
    app.click("#logout")
    app.find("#login-form")


# 1. Cancelling a ticket on the queue asks first and says where the ticket went ------------------

def test_cancelling_a_ticket_on_the_queue_asks_first(browser, campus):
    word = f"cancel{tag()}"
    ticket = Api(campus, "student").post("/api/tickets", {"title": f"Broken blind {word}", "description": "The blind in the reading room will not go down.", "location": "Library, 1st floor"})
    tid = ticket["id"]
    tech = Api(campus, "technician")
    browser.login("technician")
    browser.go("queue")
    browser.search_queue(word, showing=[str(tid)])
    card = f'#queue-board [data-ticket-id="{tid}"]'
    browser.select(f"{card} .ctl-status", "cancelled")
    browser.click(f"{card} .ctl-status-apply")
    # a confirmation naming the ticket, with plain choices; keeping it changes nothing
    dialog = browser.find("dialog[open]")
    assert f"#{tid}" in dialog.text and f"Broken blind {word}" in dialog.text, dialog.text
    assert [b.text for b in dialog.find_elements(By.CSS_SELECTOR, "button")] == ["Keep ticket", "Cancel ticket"]
    browser.click('dialog[open] [data-action="cancel"]')
    browser.wait().until(lambda d: not d.find_elements(By.CSS_SELECTOR, "dialog[open]"))
    assert browser.find(card)
    assert tech.get(f"/api/tickets/{tid}").json()["status"] == "open"
    # confirmed: gone from the board, and the page says where it went
    browser.click(f"{card} .ctl-status-apply")
    browser.click('dialog[open] [data-action="confirm"]')
    browser.wait().until(lambda d: not d.find_elements(By.CSS_SELECTOR, card), "the cancelled ticket stayed on the board")
    browser.wait().until(lambda d: f"#{tid} is cancelled; it no longer shows on the board — its page keeps its history" in toasts(browser))
    assert tech.get(f"/api/tickets/{tid}").json()["status"] == "cancelled"
    # the keyboard is not thrown to the top of the page
    assert browser.driver.execute_script("return document.getElementById('queue-board').contains(document.activeElement)")


def test_a_live_change_keeps_the_keyboard_on_a_tickets_number_and_on_a_column_heading(browser, campus):
    """Where the keyboard is after a cancel (a ticket's number, else the column's heading) survives
    the board being drawn again for a live change — the cancel's own event may arrive after its reply."""
    word = f"focus{tag()}"
    student = Api(campus, "student")
    first, second = (student.post("/api/tickets", {"title": f"Loose tile {n} {word}", "description": "A floor tile rocks underfoot.", "location": "Library, ground floor"}) for n in (1, 2))
    levels = [p for p in ("P1", "P2", "P3", "P4") if p != second["priority"]][:2]  # each a real change
    first, second = first["id"], second["id"]
    tech = Api(campus, "technician")
    browser.login("technician")
    browser.go("queue")
    browser.wait_live()
    browser.search_queue(word)
    browser.wait().until(lambda d: set(browser.board_ids()) == {str(first), str(second)}, "the search did not leave the two tickets")
    # what has the keyboard: "number <id>" for a ticket's number, else the element's id
    active = "const a = document.activeElement; return a.classList.contains('ticket-number') ? 'number ' + a.closest('[data-ticket-id]').dataset.ticketId : a.id"

    def change_live(level):
        assert tech.patch(f"/api/tickets/{second}", {"priority": level})["priority"] == level
        browser.find(f'#queue-board [data-ticket-id="{second}"][data-priority="{level}"]')

    browser.driver.execute_script("document.querySelector(arguments[0]).focus()", f'#queue-board [data-ticket-id="{first}"] .ticket-number')
    assert browser.driver.execute_script(active) == f"number {first}"
    change_live(levels[0])
    assert browser.driver.execute_script(active) == f"number {first}"
    browser.driver.execute_script("document.getElementById('col-open').focus()")
    change_live(levels[1])
    assert browser.driver.execute_script(active) == "col-open"


# 2. A notice to everyone or to a whole role asks first; to one person it does not ---------------

def test_notice_to_many_people_asks_first(browser, campus):
    word = tag()
    student = Api(campus, "student")
    tech = Api(campus, "technician")
    titles = lambda api: [n["title"] for n in api.get("/api/notifications", limit=200).json()]  # noqa: E731
    browser.login("admin")
    browser.go("notifications")
    assert browser.find("#send-audience").get_attribute("value") == "all"
    title = f"Library closes early {word}"
    browser.type("#send-title", title)
    browser.type("#send-message", "The library closes at 16:00 on Friday.")
    browser.click("#send-submit")
    assert f"Send “{title}” to everyone?" in browser.find("dialog[open]").text
    browser.click('dialog[open] [data-action="cancel"]')
    browser.wait().until(lambda d: not d.find_elements(By.CSS_SELECTOR, "dialog[open]"))
    assert browser.find("#send-title").get_attribute("value") == title  # nothing sent, nothing lost
    assert title not in titles(student)
    browser.click("#send-submit")
    browser.click('dialog[open] [data-action="confirm"]')
    browser.wait().until(lambda d: d.find_element(By.ID, "send-title").get_attribute("value") == "")
    assert title in titles(student) and title in titles(tech)

    # a whole role
    role_title = f"Tool store closed {word}"
    browser.select("#send-audience", "role")
    browser.select("#send-role", "technician")
    browser.type("#send-title", role_title)
    browser.type("#send-message", "Collect what you need on Thursday.")
    browser.click("#send-submit")
    assert f"Send “{role_title}” to all technicians?" in browser.find("dialog[open]").text
    browser.click('dialog[open] [data-action="confirm"]')
    browser.wait().until(lambda d: d.find_element(By.ID, "send-title").get_attribute("value") == "")
    assert role_title in titles(tech) and role_title not in titles(student)

    # one person: sent straight away
    one_title = f"Your card is ready {word}"
    browser.select("#send-audience", "user")
    browser.type("#send-user", "student@example")
    browser.find('[role="listbox"] [role="option"][data-user-id]')
    browser.find("#send-user").send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    browser.wait().until(lambda d: d.find_element(By.ID, "send-user").get_attribute("data-user-id"))
    browser.type("#send-title", one_title)
    browser.type("#send-message", "Collect it at the front desk.")
    browser.click("#send-submit")
    browser.wait().until(lambda d: d.find_element(By.ID, "send-title").get_attribute("value") == "")
    assert not browser.all("dialog[open]")
    assert one_title in titles(student)


# 3. The live dot follows the person signed in now ---------------------------------------------

def test_live_dot_follows_who_is_signed_in(browser):
    browser.login("technician")
    browser.wait_live()
    assert browser.find("#live-status").is_displayed()
    sign_out(browser)
    assert not browser.driver.find_element(By.ID, "live-status").is_displayed()
    browser.login("admin")  # same tab, no reload: the admin has no live feed
    browser.find("#bell")
    browser.wait().until(lambda d: browser.driver.execute_script("return !!document.getElementById('bell').getAttribute('aria-label')"))
    dot = browser.driver.find_element(By.ID, "live-status")
    assert not dot.is_displayed(), (dot.get_attribute("data-state"), dot.get_attribute("title"))
    assert dot.get_attribute("data-state") is None
    sign_out(browser)
    browser.login("student")  # a feed again: it connects and says so
    browser.wait_live()
    assert browser.find("#live-status").get_attribute("title") == "Live updates on"


# 4. The admin tables at 320 px: every control within reach -----------------------------------

REACH = """
const el = arguments[0];
const box = el.closest('.table-wrap');
// bring the element into view by scrolling the page only (not the table box sideways)
const r0 = el.getBoundingClientRect();
window.scrollBy(0, r0.top - innerHeight / 2);
const r = el.getBoundingClientRect();
const x = r.left + r.width / 2, y = r.top + r.height / 2;
const hit = document.elementFromPoint(x, y);
const b = box.getBoundingClientRect();
return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, vw: innerWidth, vh: innerHeight,
        boxLeft: b.left, boxRight: b.right, hit: !!hit && (hit === el || el.contains(hit)),
        hitWhat: hit ? hit.outerHTML.slice(0, 80) : null};
"""


def assert_reachable(app, element, what: str):
    spot = app.driver.execute_script(REACH, element)
    assert spot["width"] > 0, (what, spot)
    assert 0 <= spot["left"] and spot["right"] <= spot["vw"] and 0 <= spot["top"] and spot["bottom"] <= spot["vh"], (what, spot)
    assert spot["boxLeft"] - 0.5 <= spot["left"] and spot["right"] <= spot["boxRight"] + 0.5, (what, spot)
    assert spot["hit"], (what, spot)


def test_users_table_reachable_at_320px(browsers, campus):
    admin_api = Api(campus, "admin")
    word = tag()
    person = admin_api.post("/api/users", {"name": f"Reach Tester {word}", "email": f"reach-{word}@example.com", "password": "reach-password", "role": "student"})
    app = browsers(320, 640)
    app.login("admin")
    app.go("users")
    app.type("#user-search", f"reach-{word}")
    row = f'#users-table tr[data-user-id="{person["id"]}"]'
    app.text_in("#user-total", f"Showing 1 of 1 users matching “reach-{word}”")
    app.find(row)
    assert app.driver.execute_script("return document.documentElement.scrollWidth") <= 320
    wrap = app.driver.find_element(By.ID, "users-table")
    assert app.driver.execute_script("return arguments[0].scrollWidth <= arguments[0].clientWidth + 1", wrap), "the users table hides columns sideways"
    controls = {
        "name": f"{row} .row-title",
        "role select": f"{row} .ctl-role",
        "save role": f'{row} [data-action="save-role"]',
        "created": f"{row} td:nth-child(3)",
        "delete": f'{row} [data-action="delete"]',
    }
    for what, css in controls.items():
        assert_reachable(app, app.driver.find_element(By.CSS_SELECTOR, css), what)
    # and they work there: change the role and save
    app.select(f"{row} .ctl-role", "technician")
    app.click(f'{row} [data-action="save-role"]')
    app.wait().until(lambda d: f"Reach Tester {word} is now a Technician." in toasts(app))


def test_recent_sign_ins_reachable_at_320px(browsers):
    app = browsers(320, 640)
    app.login("admin")
    app.go("status")
    app.find("#recent-logins tbody tr td")
    assert app.driver.execute_script("return document.documentElement.scrollWidth") <= 320
    wrap = app.driver.find_element(By.ID, "recent-logins")
    assert app.driver.execute_script("return arguments[0].scrollWidth <= arguments[0].clientWidth + 1", wrap), "the sign-ins table hides columns sideways"
    first = app.driver.find_elements(By.CSS_SELECTOR, "#recent-logins tbody tr:first-child td")
    assert len(first) == 4
    for index, cell in enumerate(first):
        assert_reachable(app, cell, ["when", "email", "outcome", "address"][index])


# 5. Words: the role sentence, the users count, one spelling of "In progress" --------------------

def test_role_sentence_for_every_role(browser, campus):
    word = tag()
    person = Api(campus, "admin").post("/api/users", {"name": f"Bella Good {word}", "email": f"bella-{word}@example.com", "password": "bella-password", "role": "student"})
    browser.login("admin")
    browser.go("users")
    browser.type("#user-search", f"bella-{word}")
    row = f'#users-table tr[data-user-id="{person["id"]}"]'
    browser.text_in("#user-total", f"Showing 1 of 1 users matching “bella-{word}”")  # the search's list, not the first one
    browser.find(row)
    expected = {"faculty": "is now Faculty.", "technician": "is now a Technician.", "student": "is now a Student.", "admin": "is now an Administrator."}
    for role, sentence in expected.items():
        browser.select(f"{row} .ctl-role", role)
        browser.click(f'{row} [data-action="save-role"]')
        if role == "admin":
            browser.click('dialog[open] [data-action="confirm"]')
        browser.wait().until(lambda d: f"Bella Good {word} {sentence}" in toasts(browser), f"never said {sentence!r}")
    assert "is now a Faculty" not in toasts(browser)


def test_users_count_is_true_after_creating_someone_the_search_leaves_out(browser, campus):
    admin_api = Api(campus, "admin")
    word = tag()
    browser.login("admin")
    browser.go("users")
    browser.type("#user-search", "TECH@")
    browser.text_in("#user-total", "matching “TECH@”")
    browser.click("#new-user")
    browser.type("#new-name", f"Quentin Other {word}")
    browser.type("#new-email", f"quentin-{word}@example.com")
    browser.type("#new-password", "quentin-password")
    browser.click("#create-submit")
    row = f'#users-table tr[data-user-email="quentin-{word}@example.com"]'
    browser.find(row)
    # the new user is shown first, and the count is the server's for what the page now asks
    assert browser.all("#users-table tbody tr")[0].get_attribute("data-user-email") == f"quentin-{word}@example.com"
    search = browser.find("#user-search").get_attribute("value").strip()
    params = {"limit": 1}
    if search:
        params["q"] = search
    server_total = int(admin_api.get("/api/users", **params).headers["X-Total-Count"])
    browser.wait().until(lambda d: browser.find("#user-total").get_attribute("data-total") == str(server_total),
                         f"count {browser.find('#user-total').text!r} is not the server's {server_total} for {search!r}")
    text = browser.find("#user-total").text
    assert not search or search.lower() in f"quentin other {word} quentin-{word}@example.com", (search, text)
    assert f"of {server_total} users" in text, text
    assert "TECH@" not in text, text


def test_in_progress_spelt_one_way(browsers, campus):
    student = Api(campus, "student")
    tech = Api(campus, "technician")
    word = tag()
    ticket = student.post("/api/tickets", {"title": f"Flickering light {word}", "description": "The ceiling light flickers.", "location": "Library, 2nd floor"})
    tech.patch(f"/api/tickets/{ticket['id']}", {"status": "in_progress"})
    app = browsers()
    app.login("student")
    open_ticket(app, ticket["id"])
    chip = app.find('#ticket-view .chip.status[data-status="in_progress"]')
    assert chip.text == "In progress", chip.text
    app.go("tickets")
    listed = app.find(f'#my-tickets [data-ticket-id="{ticket["id"]}"] .chip.status')
    assert listed.text == "In progress", listed.text


# 6. "Why this priority?" stays open while the preview updates ------------------------------------

def test_why_this_priority_stays_open_while_typing(browser):
    browser.login("student")
    browser.go("tickets")
    browser.type("#ticket-title", "Gas smell in the lab")
    browser.type("#ticket-description", "There is a strong smell of gas")
    browser.find('#triage-preview[data-priority="P0"] .why summary', timeout=15)
    browser.click("#triage-preview .why summary")
    browser.wait().until(lambda d: d.execute_script("return document.querySelector('#triage-preview .why').open"))
    browser.driver.execute_script("window.__oldWhy = document.querySelector('#triage-preview .why')")
    browser.type("#ticket-description", " near the fume cupboard", clear=False)
    browser.wait(15).until(lambda d: d.execute_script(
        "const w = document.querySelector('#triage-preview .why');"
        "return !!w && w !== window.__oldWhy && !document.getElementById('triage-preview').classList.contains('is-stale')"),
        "the preview never updated")
    state = browser.driver.execute_script(
        "const w = document.querySelector('#triage-preview .why');"
        "return {open: w.open, items: w.querySelectorAll('li').length, visible: w.querySelector('li').getClientRects().length > 0}")
    assert state == {"open": True, "items": state["items"], "visible": True} and state["items"] > 0, state
    # closed by the person, it stays closed
    browser.click("#triage-preview .why summary")
    browser.wait().until(lambda d: not d.execute_script("return document.querySelector('#triage-preview .why').open"))
    browser.driver.execute_script("window.__oldWhy = document.querySelector('#triage-preview .why')")
    browser.type("#ticket-description", " and the lab is empty", clear=False)
    browser.wait(15).until(lambda d: d.execute_script(
        "const w = document.querySelector('#triage-preview .why');"
        "return !!w && w !== window.__oldWhy && !document.getElementById('triage-preview').classList.contains('is-stale')"))
    assert not browser.driver.execute_script("return document.querySelector('#triage-preview .why').open")


# 7. A technician's ticket page sits under "Queue", with a way back --------------------------------

def test_technician_ticket_page_is_under_queue(browser, campus):
    word = tag()
    ticket = Api(campus, "student").post("/api/tickets", {"title": f"Sticky door {word}", "description": "The door sticks.", "location": "Library, entrance"})
    browser.login("technician")
    open_ticket(browser, ticket["id"])
    current = [a.get_attribute("data-route") for a in browser.all('#main-nav a[aria-current="page"]')]
    assert current == ["queue"], current
    back = browser.find('.page[data-page="tickets"] .page-header a[href="#/queue"]')
    assert back.text == "Back to the queue"
    back.click()
    browser.page("queue")
    assert [a.get_attribute("data-route") for a in browser.all('#main-nav a[aria-current="page"]')] == ["queue"]
    # a technician's own Maintenance page is still "Maintenance"
    browser.go("tickets")
    browser.find("#ticket-title")
    assert [a.get_attribute("data-route") for a in browser.all('#main-nav a[aria-current="page"]')] == ["tickets"]
