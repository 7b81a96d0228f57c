"""Admin journeys: create a user (and find them with search), change a role, delete with
confirmation, send a notice that the recipient sees; the system status page."""
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys


def test_admin_creates_user_and_sends_a_notice(browsers, campus):
    admin = browsers()
    admin.login("admin")
    admin.go("users")
    admin.find("#users-table table")
    admin.click("#new-user")
    admin.type("#new-name", "Ada Lovelace")
    admin.type("#new-email", "ada@example.com")
    admin.type("#new-password", "short")
    admin.select("#new-role", "student")
    admin.click("#create-submit")
    assert admin.text_in("#create-error", "password").text  # too short: readable 422
    admin.type("#new-password", "analytical-engine")
    admin.click("#create-submit")
    admin.find('tr[data-user-email="ada@example.com"]')
    admin.type("#user-search", "lovelace")
    admin.wait().until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#users-table tbody tr")) == 1)
    admin.type("#user-search", "", clear=True)
    admin.driver.find_element(By.CSS_SELECTOR, "#user-search").clear()
    # duplicate email: readable conflict
    admin.click("#new-user")
    admin.type("#new-name", "Ada Again")
    admin.type("#new-email", "ADA@example.com")
    admin.type("#new-password", "analytical-engine")
    admin.click("#create-submit")
    admin.wait().until(lambda d: d.find_element(By.ID, "create-error").text.strip() != "")

    # send a notice to that one user
    admin.go("notifications")
    admin.select("#send-audience", "user")
    admin.type("#send-user", "ada@example")  # search-as-you-type: pick her from the list
    admin.find('[role="listbox"] [role="option"][data-user-id]')
    admin.find("#send-user").send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    admin.wait().until(lambda d: d.find_element(By.ID, "send-user").get_attribute("data-user-id"))
    admin.type("#send-title", "Welcome, Ada")
    admin.type("#send-message", "Your library card is ready at the front desk.")
    admin.select("#send-level", "success")
    admin.click("#send-submit")
    admin.wait().until(lambda d: d.find_element(By.ID, "send-title").get_attribute("value") == "")

    ada = browsers()
    ada.login(email="ada@example.com", password="analytical-engine")
    assert ada.nav_links() == ["home", "book", "bookings", "gpa", "tickets"]
    ada.wait(15).until(lambda d: ada.bell_count() >= 1)
    ada.go("notifications")
    notice = ada.text_in("#notification-list", "Welcome, Ada")
    assert "library card" in notice.text
    ada.click('[data-action="mark-read"]')
    ada.wait().until(lambda d: ada.bell_count() == 0)
    # the student did not get Ada's notice
    student = campus.token("student")
    assert all(n["title"] != "Welcome, Ada" for n in campus.get("gateway", "/api/notifications", token=student).json())


def test_admin_changes_role_and_deletes_with_confirmation(browser, campus):
    admin_token = campus.token("admin")
    r = campus.post("gateway", "/api/users", token=admin_token, json={"email": "grace@example.com", "name": "Grace Hopper", "password": "compiler-1952", "role": "student"})
    assert r.status_code == 201
    browser.login("admin")
    browser.go("users")
    row = '#users-table tr[data-user-email="grace@example.com"]'
    browser.type("#user-search", "grace@example.com")
    browser.wait().until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#users-table tbody tr")) == 1)
    browser.select(f"{row} .ctl-role", "faculty")
    browser.click(f'{row} [data-action="save-role"]')  # a role changes on an explicit save only
    browser.wait().until(lambda d: campus.get("gateway", f"/api/users/{r.json()['id']}", token=admin_token).json()["role"] == "faculty")
    browser.click(f'{row} [data-action="delete"]')
    browser.click('dialog [data-action="cancel"]')
    assert browser.find(row)
    browser.click(f'{row} [data-action="delete"]')
    browser.click('dialog [data-action="confirm"]')
    browser.wait().until(lambda d: not d.find_elements(By.CSS_SELECTOR, row))
    assert campus.get("gateway", f"/api/users/{r.json()['id']}", token=admin_token).status_code == 404


def test_admin_sends_to_a_role(browsers, campus):
    admin = browsers()
    admin.login("admin")
    admin.go("notifications")
    admin.select("#send-audience", "role")
    admin.select("#send-role", "technician")
    admin.type("#send-title", "Tool store closed Friday")
    admin.type("#send-message", "Collect what you need on Thursday.")
    admin.click("#send-submit")
    # a whole role: the page asks first (issue 17)
    admin.text_in("dialog", "Send “Tool store closed Friday” to all technicians?")
    admin.click('dialog [data-action="confirm"]')
    admin.wait().until(lambda d: d.find_element(By.ID, "send-title").get_attribute("value") == "")
    tech = campus.token("technician")
    student = campus.token("student")
    assert any(n["title"] == "Tool store closed Friday" for n in campus.get("gateway", "/api/notifications", token=tech).json())
    assert not any(n["title"] == "Tool store closed Friday" for n in campus.get("gateway", "/api/notifications", token=student).json())


def test_status_page(browser, campus):
    users = campus.get("gateway", "/api/users", token=campus.token("admin")).headers["X-Total-Count"]
    browser.login("admin")
    browser.go("status")
    browser.wait().until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#services [data-service]")) == 6)
    names = [el.get_attribute("data-service") for el in browser.all("#services [data-service]")]
    assert {"gateway", "booking", "user-management"} <= set(names)
    assert all("healthy" in el.text.lower() for el in browser.all("#services [data-service]"))
    assert f"USERS\n{users}" in browser.find("#counts").text.upper()
    browser.text_in("#recent-logins", "admin@example.com")
