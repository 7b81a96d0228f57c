"""Access ends with the account (docs/contract.md §11), as a person at the page meets it: changing your own
password keeps this tab signed in (it signs in again) and ends every older token; a session whose
role an administrator changed returns to sign-in saying why."""
import uuid

from browser_support import ROLE_LINKS


def make_user(campus, role: str, password: str) -> tuple[str, int]:
    email = f"profile-{uuid.uuid4().hex[:10]}@example.com"
    admin = campus.token("admin")
    created = campus.post("users", "/users", token=admin, json={"email": email, "name": "Pat Profile", "password": password, "role": role})
    assert created.status_code == 201, created.text
    return email, created.json()["id"]


def test_changing_your_password_keeps_this_tab_and_ends_older_tokens(browser, campus):
    email, _ = make_user(campus, "student", "first-password")
    elsewhere = campus.login(email, "first-password")  # another device's session
    browser.login(email=email, password="first-password")
    before = browser.token()
    browser.go("profile")
    browser.type("#profile-current", "first-password")
    browser.type("#profile-new", "second-password")
    browser.driver.find_element("css selector", "form[aria-label='Password'] button[type='submit']").click()
    browser.wait().until(lambda d: browser.token() not in (None, before), "the tab never signed in again")
    # The tab goes on working with its new token: another page loads, still signed in.
    browser.go("bookings")
    browser.page("bookings")
    assert browser.find("#app-shell").is_displayed()
    assert browser.nav_links() == ROLE_LINKS["student"]
    # Every token from before the change is ended at the gateway; the new password signs in.
    for old in (before, elsewhere):
        answer = campus.get("gateway", "/auth/me", token=old)
        assert answer.status_code == 401 and answer.json()["code"] == "token_ended", answer.text
    assert campus.get("gateway", "/auth/me", token=browser.token()).status_code == 200
    assert campus.login(email, "second-password")


def test_a_demoted_session_returns_to_sign_in_saying_why(browser, campus):
    email, user_id = make_user(campus, "technician", "tech-password")
    browser.login(email=email, password="tech-password")
    assert "queue" in browser.nav_links()
    demoted = campus.request("PUT", "users", f"/users/{user_id}", token=campus.token("admin"), json={"role": "student"})
    assert demoted.status_code == 200, demoted.text
    # The gateway remembers an account's standing for half a second: once it refuses the old token,
    # the page's next call is refused too. (The page used to make a later call by itself, polling
    # the bell; the bell is live now and asks nothing more.)
    old = browser.token()
    browser.wait().until(lambda d: campus.get("gateway", "/auth/me", token=old).status_code == 401, "the old token still counts")
    # The next call of the old session is refused; the page says why instead of acting as a technician.
    browser.driver.execute_script("location.hash = '#/queue'")
    browser.text_in("#login-message", "role or password was changed", timeout=15)
    assert browser.find("#login-screen").is_displayed()
    assert browser.token() is None
