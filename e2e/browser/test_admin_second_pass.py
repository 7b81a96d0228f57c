"""Admin pages, second pass (issue 17): role changes only on an explicit save, with an accessible
confirmation before making someone an Administrator; role wording; users, rooms and notices that
page past 200 (server-side search); notices that link to their ticket or booking; plain-English
messages; focus that stays where the person was; a keyboard-only admin journey.

These tests run against their own `campus serve` (the module's `campus` fixture): they create more
than 200 users and rooms, which the rest of the suite should not have to page through."""
from __future__ import annotations

import datetime
import secrets
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.action_chains import ActionChains

from support.campus import CampusServer

MANY_USERS = 210
MANY_ROOMS = 205


@pytest.fixture(scope="module")
def campus():
    server = CampusServer(env={"LOGIN_RATE_PER_MINUTE": "10000", "SLA_CHECK_SECONDS": "1"}, log_name="browser-admin")
    server.start()
    yield server
    server.close()


def _session() -> requests.Session:
    s = requests.Session()
    s.trust_env = False
    return s


def _post_all(campus, path: str, token: str, bodies: list[dict], threads: int = 4) -> list[dict]:
    """POSTs in a few parallel threads (plain requests: one session per call), every one 201."""
    def one(body):
        with _session() as s:
            r = s.post(campus.gateway + path, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=60)
            assert r.status_code == 201, (r.status_code, r.text)
            return r.json()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(one, bodies))


def _total(campus, path: str, token: str, **params) -> int:
    with _session() as s:
        r = s.get(campus.gateway + path, params=params, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        r.raise_for_status()
        return int(r.headers["X-Total-Count"])


def _user(campus, token: str, user_id) -> dict:
    return campus.get("gateway", f"/api/users/{user_id}", token=token).json()


def _new_user(campus, token: str, name: str, role: str = "student") -> dict:
    email = f"{name.lower().replace(' ', '.')}.{secrets.token_hex(3)}@example.com"
    r = campus.post("gateway", "/api/users", token=token, json={"email": email, "name": name, "password": "long-enough-1", "role": role})
    assert r.status_code == 201, r.text
    return r.json()


@pytest.fixture(scope="module")
def many_users(campus):
    """More than 200 users, made through the API; the last one has a name no one else has."""
    token = campus.token("admin")
    run = secrets.token_hex(3)
    bodies = [{"email": f"bulk{i:03d}.{run}@example.com", "name": f"Bulk Person {i:03d}", "password": "bulk-password", "role": "student"}
              for i in range(MANY_USERS - 1)]
    made = _post_all(campus, "/api/users", token, bodies)
    last = _post_all(campus, "/api/users", token, [{"email": f"zephyrine.last.{run}@example.com", "name": "Zephyrine Lastcreated",
                                                    "password": "bulk-password", "role": "faculty"}], threads=1)[0]
    return {"made": made, "last": last}


def active(app):
    return app.driver.switch_to.active_element


def keys(app, *sequence):
    ActionChains(app.driver).send_keys(*sequence).perform()


def search_users(app, text: str, expect_rows: int | None = 1):
    app.type("#user-search", text)
    if expect_rows is not None:
        app.wait().until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#users-table tbody tr")) == expect_rows
                         and text.lower() in d.find_element(By.ID, "user-total").text.lower(), f"search for {text!r} never showed {expect_rows} row(s)")


# 1 -----------------------------------------------------------------------------------------------

def test_role_changes_only_on_save_and_admin_asks_first(browser, campus):
    token = campus.token("admin")
    grace = _new_user(campus, token, "Grace Roleswap")
    browser.login("admin")
    browser.go("users")
    search_users(browser, grace["email"])
    row = f'#users-table tr[data-user-id="{grace["id"]}"]'
    select = browser.find(f"{row} .ctl-role")
    save = browser.find(f'{row} [data-action="save-role"]')
    assert not save.is_enabled()  # nothing to save yet

    # Three ↑ presses on the role select: nothing is sent, the Save button turns on.
    select.send_keys(Keys.ARROW_UP, Keys.ARROW_UP, Keys.ARROW_UP)
    browser.wait().until(lambda d: save.is_enabled(), "Save role never turned on after a change")
    assert select.get_attribute("value") == "admin"
    assert _user(campus, token, grace["id"])["role"] == "student"

    # Save → an accessible dialog naming the person; Escape cancels and nothing changes.
    browser.click(f'{row} [data-action="save-role"]')
    dialog = browser.find("dialog[open]")
    assert dialog.get_attribute("aria-labelledby")
    assert "Grace Roleswap" in dialog.text and "Administrator" in dialog.text
    assert {b.text for b in dialog.find_elements(By.CSS_SELECTOR, "button")} >= {"Cancel", "Make administrator"}
    keys(browser, Keys.ESCAPE)
    browser.wait().until(lambda d: not d.find_elements(By.CSS_SELECTOR, "dialog[open]"))
    assert _user(campus, token, grace["id"])["role"] == "student"
    assert active(browser).get_attribute("data-action") == "save-role"

    # Cancel does not change it either; Confirm does, and focus stays on that row's role.
    browser.click(f'{row} [data-action="save-role"]')
    browser.click('dialog[open] [data-action="cancel"]')
    assert _user(campus, token, grace["id"])["role"] == "student"
    browser.click(f'{row} [data-action="save-role"]')
    browser.click('dialog[open] [data-action="confirm"]')
    browser.wait().until(lambda d: _user(campus, token, grace["id"])["role"] == "admin")
    browser.wait().until(lambda d: not save.is_enabled())
    focused = active(browser)
    assert "ctl-role" in focused.get_attribute("class") and focused.get_attribute("data-user-id") == str(grace["id"])

    # Another role: an explicit save, no dialog.
    browser.select(f"{row} .ctl-role", "faculty")
    browser.click(f'{row} [data-action="save-role"]')
    browser.wait().until(lambda d: _user(campus, token, grace["id"])["role"] == "faculty")
    assert not browser.all("dialog[open]")


def test_focus_stays_after_create_and_delete(browser, campus):
    token = campus.token("admin")
    first = _new_user(campus, token, "Focus Deleteone")
    second = _new_user(campus, token, "Focus Deletetwo")
    browser.login("admin")
    browser.go("users")
    search_users(browser, "Focus Delete", expect_rows=2)
    browser.click(f'tr[data-user-id="{first["id"]}"] [data-action="delete"]')
    browser.find("dialog[open]")
    keys(browser, Keys.ESCAPE)
    browser.wait().until(lambda d: not d.find_elements(By.CSS_SELECTOR, "dialog[open]"))
    assert active(browser).get_attribute("aria-label") == "Delete Focus Deleteone"
    browser.click(f'tr[data-user-id="{first["id"]}"] [data-action="delete"]')
    browser.click('dialog[open] [data-action="confirm"]')
    browser.wait().until(lambda d: not d.find_elements(By.CSS_SELECTOR, f'tr[data-user-id="{first["id"]}"]'))
    # Focus moved to the next person's Delete, not to the top of the page.
    browser.wait().until(lambda d: active(browser).get_attribute("aria-label") == "Delete Focus Deletetwo")
    assert campus.get("gateway", f"/api/users/{first['id']}", token=token).status_code == 404
    assert second

    browser.click("#new-user")
    browser.type("#new-name", "Focus Created")
    browser.type("#new-email", f"focus.created.{secrets.token_hex(3)}@example.com")
    browser.type("#new-password", "created-password")
    browser.find("#new-password").send_keys(Keys.ENTER)
    browser.find('#users-table tr.row-new')
    browser.wait().until(lambda d: active(browser).get_attribute("id") == "new-user", "focus did not return to the New user button")
    assert "Focus Created" in browser.find("#users-table tbody tr:first-child").text


# 2 -----------------------------------------------------------------------------------------------

def test_role_wording_is_plural_english(browser):
    browser.login("admin")
    browser.go("users")
    browser.find("#users-table table")
    assert [o.text for o in browser.all("#role-filter option")] == ["Everyone", "Administrators", "Faculty", "Students", "Technicians"]
    assert [o.text for o in browser.all("#users-table tbody tr:first-child .ctl-role option")] == ["Administrator", "Faculty", "Student", "Technician"]
    browser.go("notifications")
    browser.select("#send-audience", "role")
    assert [o.text for o in browser.all("#send-role option")] == ["Administrators", "Faculty", "Students", "Technicians"]
    for page in ("users", "notifications"):
        browser.go(page)
        browser.find("#page-title")
        assert "Facultys" not in browser.driver.find_element(By.ID, "main").get_attribute("textContent")


# 3 -----------------------------------------------------------------------------------------------

def test_users_search_and_page_past_200(browser, campus, many_users):
    token = campus.token("admin")
    server_total = _total(campus, "/api/users", token)
    assert server_total > 200
    last = many_users["last"]
    browser.login("admin")
    browser.go("users")
    browser.find("#users-table table")
    browser.wait().until(lambda d: d.find_element(By.ID, "user-total").get_attribute("data-total") == str(server_total))
    assert f"of {server_total} users" in browser.find("#user-total").text

    # Search goes to the server: the user created last is found.
    search_users(browser, "zephyrine")
    assert browser.find(f'tr[data-user-id="{last["id"]}"]')
    requested = browser.driver.execute_script("return performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('/api/users?'))")
    assert any("q=zephyrine" in url for url in requested), requested
    # Filter by role on the server too.
    browser.select("#role-filter", "faculty")
    browser.wait().until(lambda d: d.find_element(By.ID, "user-total").get_attribute("data-total") == str(_total(campus, "/api/users", token, q="zephyrine", role="faculty")))
    browser.select("#role-filter", "")

    # Without a search, "Show more" reaches the last one; focus stays on the button meanwhile.
    browser.type("#user-search", "")
    browser.find("#user-search").send_keys(Keys.ENTER)
    browser.wait().until(lambda d: d.find_element(By.ID, "user-total").get_attribute("data-total") == str(server_total)
                         and len(d.find_elements(By.CSS_SELECTOR, "#users-table tbody tr")) < server_total)
    clicks = 0
    while not browser.all(f'tr[data-user-id="{last["id"]}"]'):
        before = len(browser.all("#users-table tbody tr"))
        more = browser.clickable("#users-more")
        more.send_keys(Keys.ENTER) if clicks else browser.click("#users-more")
        browser.wait().until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#users-table tbody tr")) > before)
        clicks += 1
        if not browser.all("#users-more[hidden]"):  # more to come: focus stayed on the button
            assert active(browser).get_attribute("id") == "users-more"
        assert clicks < 10
    assert len(browser.all("#users-table tbody tr")) == server_total
    assert browser.all("#users-more[hidden]")


def test_person_picker_searches_as_you_type(browsers, campus, many_users):
    last = many_users["last"]
    admin = browsers()
    admin.login("admin")
    admin.go("notifications")
    admin.select("#send-audience", "user")
    picker = admin.find("#send-user")
    assert picker.get_attribute("role") == "combobox"
    label = admin.driver.find_element(By.CSS_SELECTOR, 'label[for="send-user"]')
    assert label.text == "Person"
    picker.send_keys("zephyr")
    admin.wait().until(lambda d: picker.get_attribute("aria-expanded") == "true")
    listbox = admin.find(f'#{picker.get_attribute("aria-controls")}[role="listbox"]')
    options = listbox.find_elements(By.CSS_SELECTOR, '[role="option"]')
    assert len(options) == 1 and "Zephyrine Lastcreated" in options[0].text
    picker.send_keys(Keys.ARROW_DOWN)
    assert picker.get_attribute("aria-activedescendant") == options[0].get_attribute("id")
    picker.send_keys(Keys.ENTER)
    admin.wait().until(lambda d: picker.get_attribute("data-user-id") == str(last["id"]))
    assert picker.get_attribute("aria-expanded") == "false"
    admin.type("#send-title", "Welcome, Zephyrine")
    admin.type("#send-message", "Your staff card is ready.")
    admin.click("#send-submit")
    admin.wait().until(lambda d: d.find_element(By.ID, "send-title").get_attribute("value") == "")
    token = campus.login(last["email"], "bulk-password")
    assert any(n["title"] == "Welcome, Zephyrine" for n in campus.get("gateway", "/api/notifications", token=token).json())
    # Sending without picking someone is refused in words.
    admin.type("#send-title", "To nobody")
    admin.type("#send-message", "Nobody picked.")
    admin.type("#send-user", "zzzz-no-such-person")
    admin.text_in("#send-user-hint", "No one matches")
    admin.click("#send-submit")
    assert "Choose the person" in admin.text_in("#send-error", "Choose").text


def test_rooms_catalogue_shows_every_room(browser, campus):
    token = campus.token("admin")
    run = secrets.token_hex(3)
    made = _post_all(campus, "/api/rooms", token, [{"name": f"Seminar {run} {i:03d}", "building": "Annex", "capacity": 12, "features": ["whiteboard"], "faculty_only": False}
                                                  for i in range(MANY_ROOMS)], threads=4)
    server_total = _total(campus, "/api/rooms", token)
    assert server_total > 200
    browser.login("admin")
    browser.go("rooms")
    browser.wait(20).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#room-list .list-row")) == server_total)
    assert browser.find(f'#room-list [data-room-id="{made[-1]["id"]}"]')
    assert browser.find("#room-count").text == f"{server_total} rooms."


# 4 -----------------------------------------------------------------------------------------------

def test_notices_page_with_show_older_and_keep_focus(browser, campus):
    token = campus.token("admin")
    admin_id = campus.get("gateway", "/auth/me", token=token).json()["id"]
    run = secrets.token_hex(2)
    _post_all(campus, "/api/notifications", token, [{"title": f"Bulletin {run} {i:03d}", "message": f"Number {i}.", "level": "info", "audience": {"user_id": admin_id}}
                                                   for i in range(110)], threads=4)
    server_total = _total(campus, "/api/notifications", token)
    assert server_total > 100
    browser.login("admin")
    browser.go("notifications")
    browser.find("#notification-list [data-notification-id]")
    assert len(browser.all("#notification-list [data-notification-id]")) < server_total
    while not browser.all("#notices-older[hidden]"):
        before = len(browser.all("#notification-list [data-notification-id]"))
        browser.click("#notices-older")
        browser.wait().until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#notification-list [data-notification-id]")) > before)
        if not browser.all("#notices-older[hidden]"):
            assert active(browser).get_attribute("id") == "notices-older"
    assert len(browser.all("#notification-list [data-notification-id]")) == server_total
    assert f"Bulletin {run} 000" in browser.find("#notification-list").text  # the oldest of them
    assert f"of {server_total} notices" in browser.find("#notification-summary").text

    # Mark read: focus stays on that notice (not the top of the page), even far down the list.
    target = browser.all("#notification-list .notice.unread")[-1]
    notice_id = target.get_attribute("data-notification-id")
    browser.click(f'[data-notification-id="{notice_id}"] [data-action="mark-read"]')
    browser.wait().until(lambda d: not d.find_elements(By.CSS_SELECTOR, f'[data-notification-id="{notice_id}"] [data-action="mark-read"]'))
    browser.wait().until(lambda d: d.execute_script("return document.activeElement.closest('[data-notification-id]')?.dataset.notificationId") == notice_id)
    assert browser.driver.execute_script("return window.scrollY") > 500
    # Mark all read: focus stays on the button.
    browser.click("#mark-all-read")
    browser.wait().until(lambda d: not d.find_elements(By.CSS_SELECTOR, "#notification-list .notice.unread"))
    assert active(browser).get_attribute("id") == "mark-all-read"
    assert campus.get("gateway", "/api/notifications/unread-count", token=token).json()["count"] == 0


def _booking_body(campus, token):
    rooms = campus.get("gateway", "/api/rooms", token=token, params={"limit": 200}).json()
    room = next(r for r in rooms if not r["faculty_only"] and r["capacity"] >= 2 and r["building"] != "Annex")
    day = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    return {"room_id": room["id"], "date": day, "start_time": "10:00", "end_time": "11:00", "purpose": "Study group"}


def test_notices_link_to_their_booking_and_opening_marks_read(browser, campus):
    student = campus.token("student")
    r = campus.post("gateway", "/api/bookings", token=student, json=_booking_body(campus, student))
    assert r.status_code == 201, r.text
    created = r.json()
    booking = created["bookings"][0] if "bookings" in created else created
    def linked():
        for n in campus.get("gateway", "/api/notifications", token=student).json():
            if (n.get("link") or {}).get("kind") == "booking" and str(n["link"]["id"]) == str(booking["id"]):
                return n
        return None
    browser.wait(20).until(lambda d: linked() is not None, "no notice links to the booking")
    notice = linked()
    browser.login("student")
    browser.go("notifications")
    link = browser.find(f'[data-notification-id="{notice["id"]}"] a.notice-link')
    assert link.get_attribute("href").endswith(f"#/bookings?id={booking['id']}")
    link.send_keys(Keys.ENTER)
    browser.wait().until(lambda d: d.execute_script("return location.hash") == f"#/bookings?id={booking['id']}")
    browser.wait().until(lambda d: campus.get("gateway", f"/api/notifications/{notice['id']}", token=student).json()["read"] is True)


# 5 -----------------------------------------------------------------------------------------------

def test_messages_on_admin_pages_are_sentences(browsers, campus):
    admin = browsers()
    admin.login("admin")
    admin.go("users")
    admin.find("#users-table table")
    admin.click("#new-user")
    admin.type("#new-name", "Bad Email")
    admin.type("#new-email", "not-an-email")
    admin.type("#new-password", "long-enough-1")
    admin.click("#create-submit")
    text = admin.wait().until(lambda d: d.find_element(By.ID, "create-error").text.strip() or None)
    assert text.startswith("The email address") and "email:" not in text and text.endswith("."), text
    admin.type("#new-email", "short.password@example.com")
    admin.type("#new-password", "short")
    admin.click("#create-submit")
    admin.wait().until(lambda d: d.find_element(By.ID, "create-error").text.startswith("The password must be at least 8"))

    admin.go("rooms")
    admin.find("#room-list")
    admin.type("#room-name", "Tiny room")
    admin.type("#room-building", "Annex")
    admin.type("#room-capacity", "0")
    admin.click('form[aria-label="New room"] button[type="submit"]')
    text = admin.wait().until(lambda d: d.find_element(By.CSS_SELECTOR, 'form[aria-label="New room"] .form-error').text.strip() or None)
    assert text.startswith("The capacity must be") and ":" not in text, text

    # The status page: services, counts and sign-in outcomes in words.
    outsider = browsers()
    outsider.open()
    outsider.login(email="admin@example.com", password="wrong-password", expect_ok=False)
    outsider.wait().until(lambda d: d.find_element(By.ID, "login-error").text.strip() != "")
    admin.go("status")
    admin.wait().until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#services [data-service]")) == 6)
    services = admin.find("#services").text
    assert "User accounts" in services and "user-management" not in services
    assert "Healthy" in services
    logins = admin.text_in("#recent-logins", "Wrong email or password").text
    assert "invalid" not in logins.lower() and "_" not in logins
    counts = admin.find("#counts").get_attribute("textContent")
    assert "24 hours" in counts and "_" not in counts


def test_plain_message_function(browser):
    """The shared helper turns `field: problem` details into sentences."""
    browser.login("admin")
    result = browser.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        import('/js/plain.js').then((m) => done([
          m.plainMessage({message: 'role: "boss" is not one of admin, faculty, student, technician'}),
          m.plainMessage({message: 'email: must not be empty'}),
          m.plainMessage({message: 'features[2]: "x y" is not a feature name'}),
          m.plainMessage({message: 'audience.user_id: there is no user 99'}),
          m.plainMessage('An account with the email a@b.c already exists.'),
        ]));""")
    assert result == [
        'The role "boss" is not one of Administrator, Faculty, Student or Technician.',
        "The email address must not be empty.",
        'Item 3 of the features "x y" is not a feature name.',
        "The person: there is no user 99.",
        "An account with the email a@b.c already exists.",
    ]


# 6 -----------------------------------------------------------------------------------------------

def test_keyboard_only_admin_journey(browser, campus):
    token = campus.token("admin")
    person = _new_user(campus, token, "Keyboard Onlyperson")
    browser.login("admin")
    browser.go("users")
    browser.find("#users-table table")
    browser.wait().until(lambda d: active(browser).get_attribute("id") == "page-title")
    # From the page title: Tab to "New user", Tab to the search field.
    keys(browser, Keys.TAB)
    assert active(browser).get_attribute("id") == "new-user"
    keys(browser, Keys.TAB)
    assert active(browser).get_attribute("id") == "user-search"
    keys(browser, "Onlyperson")
    browser.wait().until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#users-table tbody tr")) == 1
                         and d.find_elements(By.CSS_SELECTOR, f'tr[data-user-id="{person["id"]}"]'))
    keys(browser, Keys.TAB)  # the role filter
    assert active(browser).get_attribute("id") == "role-filter"
    keys(browser, Keys.TAB)  # the person's role
    assert active(browser).get_attribute("data-user-id") == str(person["id"])
    keys(browser, Keys.ARROW_UP, Keys.ARROW_UP)  # Student → Faculty → Administrator
    browser.wait().until(lambda d: active(browser).get_attribute("value") == "admin")
    keys(browser, Keys.TAB)
    assert active(browser).get_attribute("data-action") == "save-role"
    keys(browser, Keys.ENTER)
    dialog = browser.find("dialog[open]")
    assert "Keyboard Onlyperson" in dialog.text
    assert active(browser).get_attribute("data-action") == "cancel"  # the safe choice first
    keys(browser, Keys.TAB)
    assert active(browser).get_attribute("data-action") == "confirm"
    keys(browser, Keys.ENTER)
    browser.wait().until(lambda d: _user(campus, token, person["id"])["role"] == "admin")
    browser.wait().until(lambda d: not d.find_elements(By.CSS_SELECTOR, "dialog[open]"))
    browser.wait().until(lambda d: active(browser).get_attribute("data-user-id") == str(person["id"]))
    # Put it back, still by keyboard (no dialog for a lesser role).
    keys(browser, Keys.ARROW_DOWN, Keys.ARROW_DOWN)
    keys(browser, Keys.TAB, Keys.ENTER)
    browser.wait().until(lambda d: _user(campus, token, person["id"])["role"] == "student")


def test_admin_pages_fit_a_phone(browsers, campus, many_users):
    """At 320 px nothing scrolls sideways, even with long unbroken words (email addresses) in notices."""
    token = campus.token("admin")
    admin_id = campus.get("gateway", "/auth/me", token=token).json()["id"]
    assert campus.post("gateway", "/api/notifications", token=token, json={
        "title": "Account check", "message": "Please confirm averyveryverylongmailboxname.with.dots@departments.example.com today.",
        "level": "info", "audience": {"user_id": admin_id}}).status_code == 201
    app = browsers(320, 700)
    app.login("admin")
    ready = {"users": "#users-table table", "rooms": "#room-list .list-row", "status": "#services [data-service]", "notifications": "#notification-list:not(:empty)"}
    for page, css in ready.items():
        app.go(page)
        app.find(css, timeout=15)
        if page == "notifications":
            app.select("#send-audience", "user")
            app.type("#send-user", "a")
            app.find('[role="listbox"]:not([hidden])')
        width = app.driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= 320, f"#{page} scrolls sideways at 320 px: {width}px"
