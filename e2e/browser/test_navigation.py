"""Role-based navigation (docs/contract.md §3): each role sees exactly its links, every allowed page
renders without script errors and passes axe-core (no serious or critical violations), and typing
a forbidden page's address does not show it."""
import pytest
from selenium.webdriver.common.by import By

from browser_support import ALL_PAGES, PAGES_OF, ROLE_LINKS
from test_accessibility import READY, serious


@pytest.mark.parametrize("role", ["admin", "faculty", "student", "technician"])
def test_role_sees_exactly_its_pages(browser, role):
    browser.login(role)
    assert browser.nav_links() == ROLE_LINKS[role]
    axe_problems = {}
    for page in PAGES_OF[role]:
        browser.go(page)
        browser.find(READY[page], timeout=15)
        assert browser.driver.find_element(By.CSS_SELECTOR, "#page-title").text.strip() != ""
        assert not browser.all('[data-page="not-available"]')
        found = serious(browser)
        if found:
            axe_problems[page] = found
    assert axe_problems == {}, "axe-core: serious or critical violations"
    for page in sorted(set(ALL_PAGES) - set(PAGES_OF[role])):
        browser.go("home")
        browser.driver.execute_script("location.hash = arguments[0]", f"#/{page}")
        browser.find('[data-page="not-available"]')
        assert not browser.all(f'.page[data-page="{page}"]'), f"{role} can open #{page}"
        assert page not in browser.nav_links()
    # typed into the address bar (a full load), too
    forbidden = sorted(set(ALL_PAGES) - set(PAGES_OF[role]))[0]
    browser.open(forbidden)
    browser.find('[data-page="not-available"]')
    assert not browser.all(f'.page[data-page="{forbidden}"]')
    errors = [e["message"] for e in browser.logs() if e["level"] == "SEVERE" and "favicon" not in e["message"] and "/auth/config" not in e["message"]]
    assert not errors, errors
