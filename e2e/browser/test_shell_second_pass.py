"""The shell, second pass (issue 17): one session for all tabs (sign-in, sign-out and a session the
gateway ended reach every tab), a session that ends under the person keeps their page and what
they had typed, icons that need no emoji font, buttons readable in both colour schemes, toasts that
leave the page's controls clickable, a helper that keeps focus across a re-render, and tab titles
that name the page."""
import uuid

import pytest
from selenium.webdriver.common.by import By
from selenium.common.exceptions import ElementNotInteractableException, StaleElementReferenceException

from support.slots import days_ahead

APP_NAME = "Campus Services Hub"

# What counts as an emoji here: pictographs, dingbats, arrows, symbols, and the emoji variation selector.
EMOJI_JS = r"/[\u{1F000}-\u{1FAFF}\u{2190}-\u{21FF}\u{2300}-\u{23FF}\u{2600}-\u{27BF}\u{2B00}-\u{2BFF}\u{FE0F}]/u"


def make_user(campus, role: str = "student", password: str = "shell-pass-1") -> tuple[str, str]:
    """A fresh account (no notices, no bookings), so limits and other tests do not get in the way."""
    email = f"shell-{uuid.uuid4().hex[:10]}@example.com"
    created = campus.post("users", "/users", token=campus.token("admin"),
                          json={"email": email, "name": "Sam Shell", "password": password, "role": role})
    assert created.status_code == 201, created.text
    return email, password


def sign_in_form(app, email: str, password: str):
    """Fills and sends the sign-in form without expecting Home (the page may return elsewhere)."""
    app.find("#login-form")
    app.type("#email", email)
    app.type("#password", password)
    app.click("#login-submit")


def emoji_text(app) -> list[str]:
    return app.driver.execute_script(f"""
        const emoji = {EMOJI_JS};
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        const found = [];
        while (walker.nextNode()) if (emoji.test(walker.currentNode.nodeValue)) found.push(walker.currentNode.nodeValue.trim());
        return found;""")


def zero_sized_icons(app, css: str) -> list[str]:
    """The icons under css that do not render (no box), and raise if there are none at all."""
    result = app.driver.execute_script("""
        const icons = [...document.querySelectorAll(arguments[0])];
        return {count: icons.length, empty: icons.filter((i) => { const r = i.getBoundingClientRect(); return !(r.width > 0 && r.height > 0); })
                                                .map((i) => i.dataset.icon)};""", css)
    assert result["count"] > 0, f"no icons at {css}"
    return result["empty"]


# 1. One session for all tabs -----------------------------------------------------------------------

def test_a_new_tab_is_signed_in_and_signing_out_signs_out_every_tab(browser):
    browser.login("student")
    first = browser.driver.current_window_handle
    browser.driver.switch_to.new_window("tab")
    browser.open("bookings")
    browser.page("bookings")  # signed in in the new tab, on the page it was opened at
    assert browser.find("#user-name").text.strip() != ""
    assert not browser.driver.find_element(By.ID, "login-screen").is_displayed()
    second = browser.driver.current_window_handle
    browser.driver.switch_to.window(first)
    browser.click("#logout")
    browser.text_in("#login-message", "You have signed out.")
    browser.driver.switch_to.window(second)
    browser.text_in("#login-message", "signed out in another tab")
    assert browser.find("#login-screen").is_displayed()
    assert not browser.driver.find_element(By.ID, "app-shell").is_displayed()
    assert browser.token() is None
    # signing in again in one tab signs the other in as well
    sign_in_form(browser, "student@example.com", "student123")
    browser.page("home")
    browser.driver.switch_to.window(first)
    browser.page("home")


def test_a_session_the_gateway_ended_ends_in_every_tab(browser, campus):
    email, password = make_user(campus)
    browser.login(email=email, password=password)
    first = browser.driver.current_window_handle
    browser.driver.switch_to.new_window("tab")
    browser.open("gpa")
    browser.page("gpa")
    # an administrator makes the account a technician: every token of it ends (token_ended)
    user_id = campus.get("gateway", "/auth/me", token=browser.token()).json()["id"]
    changed = campus.request("PUT", "users", f"/users/{user_id}", token=campus.token("admin"), json={"role": "technician"})
    assert changed.status_code == 200, changed.text
    # The gateway remembers an account's standing for half a second: once it refuses the old token,
    # the page's next call is refused too (the bell no longer polls, so that call is this one).
    old = browser.token()
    browser.wait().until(lambda d: campus.get("gateway", "/auth/me", token=old).status_code == 401, "the old token still counts")
    browser.driver.execute_script("location.hash = '#/bookings'")
    browser.text_in("#login-message", "role or password was changed", timeout=15)
    assert browser.token() is None
    browser.driver.switch_to.window(first)
    # the first tab says the same, whichever of the two noticed first
    browser.text_in("#login-message", "role or password was changed", timeout=15)
    assert browser.find("#login-screen").is_displayed()


def test_a_password_change_in_one_tab_keeps_the_other_tab_signed_in(browser, campus):
    email, password = make_user(campus)
    browser.login(email=email, password=password)
    first = browser.driver.current_window_handle
    browser.driver.switch_to.new_window("tab")
    browser.open("profile")
    browser.find("#profile-current")
    before = browser.token()
    browser.type("#profile-current", password)
    browser.type("#profile-new", "shell-pass-2")
    browser.driver.find_element(By.CSS_SELECTOR, "form[aria-label='Password'] button[type='submit']").click()
    browser.wait().until(lambda d: browser.token() not in (None, before), "the tab never signed in again")
    browser.driver.switch_to.window(first)
    browser.go("bookings")  # the first tab uses the renewed token
    browser.find("#booking-list:not([aria-busy])", timeout=15)
    assert browser.find("#app-shell").is_displayed()
    assert campus.get("gateway", "/auth/me", token=browser.token()).status_code == 200


# 2. An ended session keeps the page and the typed text ---------------------------------------------

def test_an_ended_session_returns_to_the_page_with_the_typed_text(browser, campus):
    email, password = make_user(campus)
    browser.login(email=email, password=password)
    browser.go("tickets")
    browser.type("#ticket-title", "Radiator cold in seminar room")
    browser.type("#ticket-description", "The radiator under the window has been cold since Monday morning.")
    browser.type("#ticket-location", "Arts building, room A2")
    # signed out elsewhere: this tab's token is revoked at the gateway
    assert campus.post("gateway", "/auth/logout", token=browser.token()).status_code == 204
    # Refused (401): back to sign-in. The live triage preview of the last words typed may be refused first
    # (its request waits for a pause in the typing); either way the page returns to sign-in keeping the text.
    try:
        browser.driver.find_element(By.ID, "ticket-submit").click()
    except (ElementNotInteractableException, StaleElementReferenceException):
        pass
    browser.text_in("#login-message", "signed out elsewhere", timeout=15)
    saved = browser.driver.execute_script("return sessionStorage.getItem('campus.resume')")
    assert "Radiator cold" in saved and password not in saved
    sign_in_form(browser, email, password)
    browser.page("tickets")
    assert browser.driver.execute_script("return location.hash") == "#/tickets"
    browser.wait().until(lambda d: d.find_element(By.ID, "ticket-title").get_attribute("value") == "Radiator cold in seminar room",
                         "the title never came back")
    assert browser.find("#ticket-description").get_attribute("value") == "The radiator under the window has been cold since Monday morning."
    assert browser.find("#ticket-location").get_attribute("value") == "Arts building, room A2"
    assert browser.driver.execute_script("return sessionStorage.getItem('campus.resume')") is None
    # nothing was reported while signed out
    mine = campus.get("gateway", "/api/tickets", token=campus.login(email, password)).json()
    assert mine == []


def test_password_fields_are_never_saved_and_another_person_gets_home(browser, campus):
    email, password = make_user(campus)
    browser.login(email=email, password=password)
    browser.go("profile")
    browser.type("#profile-name", "Sam Renamed")
    browser.type("#profile-current", "secret-typed-here")
    assert campus.post("gateway", "/auth/logout", token=browser.token()).status_code == 204
    browser.click("form[aria-label='Name'] button[type='submit']")  # refused (401): sign-in again
    browser.text_in("#login-message", "signed out elsewhere", timeout=15)
    saved = browser.driver.execute_script("return sessionStorage.getItem('campus.resume') || ''")
    assert "Sam Renamed" in saved and "secret-typed-here" not in saved
    # someone else signs in at this tab: they land on Home, the saved place is dropped
    browser.login("faculty")
    assert browser.driver.execute_script("return location.hash") == "#/home"
    assert browser.driver.execute_script("return sessionStorage.getItem('campus.resume')") is None


def test_an_address_opened_while_signed_out_is_where_signing_in_goes(browser):
    browser.open("gpa")
    sign_in_form(browser, "student@example.com", "student123")
    browser.page("gpa")


# 3. Icons without an emoji font ---------------------------------------------------------------------

def test_shell_home_and_profile_show_svg_icons_not_emoji(browser, campus):
    email, password = make_user(campus)  # no notices: Home shows its empty state too
    browser.open()
    browser.find("#login-hint .demo-account")
    assert emoji_text(browser) == []
    assert zero_sized_icons(browser, ".login-hero svg.icon") == []
    browser.login(email=email, password=password)
    browser.find(".tile svg.icon")
    browser.find(".empty .empty-icon svg.icon")
    assert emoji_text(browser) == []
    assert zero_sized_icons(browser, ".tile svg.icon, .empty svg.icon, #bell svg.icon") == []
    browser.go("profile")
    browser.find("#profile-name")
    assert emoji_text(browser) == []
    # the phone's menu button draws its icon too
    browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    browser.find("#menu-toggle svg.icon")
    assert zero_sized_icons(browser, "#menu-toggle svg.icon") == []


def test_icon_helper_builds_accessible_svg_for_every_name(browser):
    browser.open()
    browser.find("#login-form")
    result = browser.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        import('/js/icons.js').then(({ icon, ICON_NAMES }) => {
          const box = document.createElement('div');
          box.className = 'login-card';
          document.body.append(box);
          const sizes = ICON_NAMES.map((name) => { const svg = icon(name); box.append(svg); const r = svg.getBoundingClientRect();
                                                   return [name, r.width, r.height, svg.namespaceURI, svg.getAttribute('aria-hidden'), svg.getAttribute('stroke')]; });
          const labelled = icon('warning', { label: 'Warning' });
          box.append(labelled);
          let unknown = '';
          try { icon('no-such-icon'); } catch (e) { unknown = e.message; }
          done({ sizes, role: labelled.getAttribute('role'), title: labelled.querySelector('title')?.textContent,
                 named: labelled.getAttribute('aria-labelledby') === labelled.querySelector('title')?.id, hidden: labelled.getAttribute('aria-hidden'), unknown });
        }).catch((e) => done({ error: String(e) }));""")
    assert "error" not in result, result
    names = {row[0] for row in result["sizes"]}
    for wanted in ("calendar", "clock", "timer", "book", "graduation-cap", "wrench", "queue", "users", "door", "pulse", "bell", "check",
                   "warning", "comment", "party", "search", "chevron-down", "close", "external-link", "inbox", "sparkles", "toolbox"):
        assert wanted in names, wanted
    for name, width, height, ns, hidden, stroke in result["sizes"]:
        assert width > 0 and height > 0, name
        assert ns == "http://www.w3.org/2000/svg" and hidden == "true" and stroke == "currentColor", name
    assert result["role"] == "img" and result["title"] == "Warning" and result["named"] and result["hidden"] is None
    assert "no-such-icon" in result["unknown"]


# 4. Buttons readable in both colour schemes ---------------------------------------------------------

CONTRAST_JS = """
const parse = (text) => {
  let m = text.match(/rgba?\\(([\\d.]+),\\s*([\\d.]+),\\s*([\\d.]+)(?:,\\s*([\\d.]+))?\\)/);
  if (m) return [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
  m = text.match(/color\\(srgb ([\\d.]+) ([\\d.]+) ([\\d.]+)(?: \\/ ([\\d.]+))?\\)/);
  if (m) return [m[1] * 255, m[2] * 255, m[3] * 255, m[4] === undefined ? 1 : +m[4]];
  return null;
};
const over = (top, bottom) => { const a = top[3]; return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1); };
const luminance = (c) => { const [r, g, b] = c.slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                           return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
function background(el) {
  const layers = [];
  for (let e = el; e; e = e.parentElement) {
    const style = getComputedStyle(e);
    if (style.backgroundImage !== 'none') return null;  // a gradient: not measured here
    const c = parse(style.backgroundColor);
    if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
  }
  let result = [255, 255, 255, 1];
  if (!layers.length || layers[layers.length - 1][3] < 1) result = parse(getComputedStyle(document.documentElement).backgroundColor) ?? result;
  for (const layer of layers.reverse()) result = over(layer, result);
  return result;
}
const rows = [];
for (const el of document.querySelectorAll(arguments[0])) {
  if (el.disabled || !el.getClientRects().length) continue;
  const bg = background(el);
  if (!bg) continue;
  const fg = over(parse(getComputedStyle(el).color), bg);
  const [a, b] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
  rows.push([el.className.baseVal ?? el.className, el.textContent.trim().slice(0, 30), Math.round((a + 0.05) / (b + 0.05) * 100) / 100]);
}
return rows;
"""

VARIANTS_JS = """
const card = document.createElement('section');
card.className = 'card';
card.id = 'variant-check';
for (const cls of ['btn btn-primary', 'btn btn-ghost', 'btn btn-danger', 'btn btn-danger-ghost', 'btn btn-primary btn-small',
                   'btn btn-danger btn-small', 'btn btn-ghost btn-small', 'btn btn-danger-ghost btn-small', 'icon-btn']) {
  const b = document.createElement('button');
  b.type = 'button'; b.className = cls; b.textContent = cls.replace('btn ', '');
  card.append(b);
}
document.querySelector('#main').prepend(card);
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_button_variant_has_enough_contrast(browser, scheme):
    browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    browser.open()
    browser.find("#login-hint .demo-account")
    assert browser.driver.execute_script(f"return matchMedia('(prefers-color-scheme: {scheme})').matches")
    low = [row for row in browser.driver.execute_script(CONTRAST_JS, "button") if row[2] < 4.5]
    browser.login("student")
    browser.go("profile")
    browser.find("#profile-name")
    browser.driver.execute_script(VARIANTS_JS)
    browser.driver.execute_script("window.campusToast('Saved.', 'success')")
    browser.find("#toasts .toast")
    rows = browser.driver.execute_script(CONTRAST_JS, "#variant-check button, #app-shell button, #app-shell .btn, #toasts button")
    assert len([r for r in rows if "variant" not in r[0]]) >= 1
    assert {r[1] for r in rows} >= {"btn-danger", "btn-primary", "btn-ghost", "btn-danger-ghost"}
    low += [row for row in rows if row[2] < 4.5]
    assert low == [], f"{scheme}: buttons below 4.5:1 — {low}"


# 5. Toasts leave the page's controls clickable -----------------------------------------------------

def open_day(app, date: str):
    app.go("book")
    app.find("#availability table")
    date_input = app.driver.find_element(By.CSS_SELECTOR, 'input[type="date"]')
    app.driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'))", date_input, date)
    app.wait().until(lambda d: d.find_elements(By.CSS_SELECTOR, f'#availability button.slot-free[data-date="{date}"]'), f"grid for {date}")


def free_slots(app, date: str) -> list[str]:
    return app.driver.execute_script("""
        return [...document.querySelectorAll(`#availability button.slot-free[data-date="${arguments[0]}"]`)]
          .map((b) => `#availability button.slot-free[data-room="${b.dataset.room}"][data-date="${b.dataset.date}"][data-start="${b.dataset.start}"]`);""", date)


@pytest.mark.parametrize("width,height,day", [(1280, 900, 9), (390, 844, 10)], ids=["desktop", "phone"])
def test_a_toast_does_not_cover_the_next_book_it_button(browsers, campus, width, height, day):
    app = browsers(width, height)
    email, password = make_user(campus)
    date = days_ahead(day)
    app.login(email=email, password=password)
    open_day(app, date)
    slots = free_slots(app, date)
    assert len(slots) >= 12
    app.click(slots[0])
    app.click("#booking-submit")
    app.find("#booking-success")
    # The booking page confirms inline now; a toast any page raises after an action (here through
    # ui.js, as every page raises them) must leave the next action's button uncovered.
    app.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        import('/js/ui.js').then((m) => { m.toast('Booked: Seminar Room B201, 10:00–11:00', 'success'); done(); });""")
    app.find("#toasts .toast-success")
    # the next booking: a slot further down the grid; its form's "Book it" must be clickable
    app.wait().until(lambda d: len(free_slots(app, date)) == len(slots) - 1)
    app.click(free_slots(app, date)[-1])
    button = app.find("#booking-submit")

    def clickable_with_toast(_):
        return app.driver.execute_script("""
            const button = document.getElementById('booking-submit');
            const r = button.getBoundingClientRect();
            const x = r.left + r.width / 2, y = r.top + r.height / 2;
            const inView = y > 0 && y < innerHeight && x > 0 && x < innerWidth;
            const toast = document.querySelector('#toasts .toast:not(.toast-out)');
            return inView && toast !== null && document.elementFromPoint(x, y) === button;""")
    app.wait(8).until(clickable_with_toast, "the Book it button is covered (or the toast left before the check)")
    # the toast takes clicks only on itself, and it can be closed
    assert app.driver.execute_script("return getComputedStyle(document.getElementById('toasts')).pointerEvents") == "none"
    assert app.driver.execute_script("return document.documentElement.scrollWidth") <= width
    app.click("#toasts .toast-close")
    app.wait().until(lambda d: not d.find_elements(By.CSS_SELECTOR, "#toasts .toast"))
    button.click()
    app.text_in("#booking-success", "Booked")


# 6. Focus kept across a re-render -------------------------------------------------------------------

def test_with_focus_kept_refocuses_the_replacement(browser):
    browser.login("student")
    result = browser.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        import('/js/ui.js').then(async ({ h, clear, withFocusKept }) => {
          const root = h('div', { id: 'focus-root', tabindex: '-1' });
          document.querySelector('#main').append(root);
          const draw = (n) => clear(root, h('button', { type: 'button', 'data-focus-key': 'save', text: `Save ${n}` }),
                                          h('input', { type: 'text', id: 'focus-input', value: `text ${n}` }));
          draw(1);
          root.querySelector('[data-focus-key=save]').focus();
          withFocusKept(root, () => draw(2));                               // synchronous render
          const byKey = document.activeElement.textContent;
          const input = root.querySelector('#focus-input');
          input.focus(); input.setSelectionRange(2, 4);
          await withFocusKept(root, () => new Promise((r) => setTimeout(() => { draw(3); r(); }, 20)));  // asynchronous
          const byId = [document.activeElement.id, document.activeElement.value, document.activeElement.selectionStart, document.activeElement.selectionEnd];
          root.querySelector('[data-focus-key=save]').focus();
          withFocusKept(root, () => clear(root, h('p', { text: 'gone' })));  // no replacement: the root
          done({ byKey, byId, fallback: document.activeElement.id });
        }).catch((e) => done({ error: String(e) }));""")
    assert result == {"byKey": "Save 2", "byId": ["focus-input", "text 3", 2, 4], "fallback": "focus-root"}


# 7. Tab titles name the page ---------------------------------------------------------------------

def test_tab_title_names_the_page(browser):
    browser.open()
    browser.find("#login-form")
    browser.wait().until(lambda d: d.title == f"Sign in · {APP_NAME}")
    browser.login("student")
    browser.wait().until(lambda d: d.title == f"Home · {APP_NAME}")
    browser.go("book")
    browser.wait().until(lambda d: d.title == f"Book a room · {APP_NAME}")
    browser.go("tickets")
    browser.wait().until(lambda d: d.title == f"Maintenance · {APP_NAME}")
    browser.driver.execute_script("location.hash = '#/users'")
    browser.find('[data-page="not-available"]')
    browser.wait().until(lambda d: d.title == f"Not available · {APP_NAME}")
