"""GPA calculator: rows, grade picker, the live result with points per course, cumulative GPA and
the target planner; a new user starts with an empty row and no GPA, and an input that cannot be
calculated shows no number (never the last one), before and after a reload."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browser_support import new_user


def sign_in_fresh(browser, role: str = "student") -> dict:
    """A person of their own: the courses are saved to the profile, and another test's must not show."""
    user = new_user(browser.campus, role, prefix="gpa")
    browser.login(email=user["email"], password=user["password"])
    return user


def fill_course(browser, n: int, name: str, grade: str, credits: str):
    """Type course `n` (1-based) into its row, adding rows as needed."""
    while len(browser.all("#course-rows .course-row")) < n:
        browser.click("#add-course")
    row = f"#course-rows .course-row:nth-child({n})"
    browser.type(f"{row} .course-name", name)
    browser.select(f"{row} .course-grade", grade)
    browser.type(f"{row} .course-credits", credits)


def text_of(browser, element_id: str) -> str:
    """The text of #element_id now (read in the page: the cards are redrawn on every answer)."""
    return browser.driver.execute_script("const el = document.getElementById(arguments[0]); return el ? el.textContent : null", element_id)


def wait_saved(browser):
    """Until the page says the profile holds what is on screen."""
    browser.wait().until(lambda d: browser.find("#courses-saved").get_attribute("data-state") == "saved", "the courses were never saved")


def planner_inputs(browser):
    return browser.find("#plan-result").find_elements(By.XPATH, "../div//input")


def test_gpa_live_result_and_planner(browser):
    sign_in_fresh(browser)
    browser.go("gpa")
    fill_course(browser, 1, "Calculus I", "A-", "4")
    fill_course(browser, 2, "Academic Writing", "B+", "3")
    # A- (3.7) × 4 and B+ (3.3) × 3 → (14.8 + 9.9) / 7 = 3.528… → 3.53
    browser.text_in("#term-gpa", "3.53")
    rows = browser.all("#course-rows .course-row")
    assert len(rows) == 2
    assert "3.7 × 4 = 14.80" in rows[0].find_element(By.CSS_SELECTOR, ".course-points").text
    # change a grade: A- → C (2.0): (8 + 9.9) / 7 = 2.557 → 2.56
    browser.select("#course-rows .course-row:nth-child(1) .course-grade", "C")
    browser.text_in("#term-gpa", "2.56")
    # add a pass/fail course: it counts toward no GPA
    fill_course(browser, 3, "Sports", "P", "2")
    browser.text_in("#course-rows .course-row:nth-child(3) .course-points", "not graded")
    browser.text_in("#term-gpa", "2.56")
    # remove the first: only B+ remains → 3.30
    browser.click("#course-rows .course-row:nth-child(1) .remove-course")
    browser.text_in("#term-gpa", "3.30")
    # previous terms: 3.3×3 + 3.0×30 = 99.9 / 33 = 3.027 → 3.03
    browser.type("#prev-gpa", "3.0")
    browser.type("#prev-credits", "30")
    browser.text_in("#cumulative-gpa", "3.03")
    # an invalid credit value gives a readable message
    browser.type("#course-rows .course-row:nth-child(1) .course-credits", "45")
    browser.wait().until(lambda d: d.find_element(By.ID, "gpa-error").text.strip() != "")
    # planner (typed values replace the calculator's): 3.0 over 30, target 3.5 over 30 more → 4.00 needed
    fields = planner_inputs(browser)
    for field, value in zip(fields, ["3.0", "30", "3.5", "30"]):
        field.clear()
        field.send_keys(value)
    browser.text_in("#plan-result", "You need 4.00")
    fields[2].clear()
    fields[2].send_keys("3.9")
    browser.text_in("#plan-result", "Out of reach")


def test_a_late_error_does_not_pull_the_caret_out_of_the_planner(browser):
    """Bad credits are answered after the calculator's pause; a user who has already moved on to the
    planner keeps typing there (the CI run where '3.0' half landed in the course row)."""
    sign_in_fresh(browser)
    browser.go("gpa")
    fill_course(browser, 1, "Calculus I", "A-", "4")
    browser.text_in("#term-gpa", "3.70")
    browser.type("#course-rows .course-row:nth-child(1) .course-credits", "45")
    current_gpa = planner_inputs(browser)[0]
    # leaving the field is a change: the calculator answers it after its pause, while the user is here
    current_gpa.click()
    browser.wait().until(lambda d: "is-stale" not in browser.find("#gpa-result").get_attribute("class") and text_of(browser, "gpa-error").strip() != "")
    credits = browser.find("#course-rows .course-row:nth-child(1) .course-credits")
    assert credits.get_attribute("aria-invalid") == "true", "the bad credits are not marked"
    assert browser.driver.switch_to.active_element == current_gpa, "the error answer moved the caret out of the planner"
    current_gpa.send_keys("2.5")
    assert current_gpa.get_attribute("value") == "2.5"
    assert credits.get_attribute("value") == "45", "keystrokes meant for the planner landed in the course row"


def test_a_new_user_starts_with_an_empty_course_list_and_no_gpa(browser):
    sign_in_fresh(browser)
    browser.go("gpa")
    browser.find("#gpa-result .stat")
    rows = browser.all("#course-rows .course-row")
    assert len(rows) == 1, f"a new user starts with {len(rows)} course rows"
    values = [rows[0].find_element(By.CSS_SELECTOR, css).get_attribute("value") for css in (".course-name", ".course-grade", ".course-credits")]
    assert values == ["", "", ""], f"the first row holds values nobody typed: {values}"
    assert browser.find("#course-rows .course-credits").get_attribute("placeholder"), "the credits field has no example"
    assert text_of(browser, "term-gpa") == "—" and text_of(browser, "cumulative-gpa") == "—"
    assert "to see your GPA" in browser.find("#gpa-result").text
    assert "Calculus" not in browser.driver.page_source
    # nothing from the calculator in the planner either
    assert planner_inputs(browser)[0].get_attribute("value") == ""
    browser.text_in("#plan-result", "Enter your current GPA")
    # a grade alone is not a course yet; with its credits it is
    browser.select("#course-rows .course-row:nth-child(1) .course-grade", "B")
    browser.text_in("#gpa-result", "Pick a grade and enter the credits")
    assert text_of(browser, "term-gpa") == "—"
    browser.type("#course-rows .course-row:nth-child(1) .course-credits", "3")
    browser.text_in("#term-gpa", "3.00")
    browser.wait().until(lambda d: planner_inputs(browser)[0].get_attribute("value") == "3.00")
    # a second row added and left half-filled is not counted, and the card says so
    browser.click("#add-course")
    browser.select("#course-rows .course-row:nth-child(2) .course-grade", "A")
    browser.text_in("#gpa-result", "Course 2 is not counted until it has a grade and credits")
    assert text_of(browser, "term-gpa") == "3.00"
    # only pass/fail courses: no GPA, said plainly
    browser.click("#course-rows .course-row:nth-child(2) .remove-course")
    browser.select("#course-rows .course-row:nth-child(1) .course-grade", "P")
    browser.text_in("#gpa-result", "letter grade")
    # an answer given without asking the service is not shown dimmed as if one were coming
    browser.wait().until(lambda d: "is-stale" not in browser.find("#gpa-result").get_attribute("class"), "the card stays dimmed")
    assert text_of(browser, "term-gpa") == "—"
    assert text_of(browser, "gpa-error") == ""


def test_a_course_that_cannot_be_calculated_shows_no_stale_gpa_before_or_after_a_reload(browser):
    sign_in_fresh(browser)
    browser.go("gpa")
    fill_course(browser, 1, "Calculus I", "A-", "4")
    fill_course(browser, 2, "Academic Writing", "B+", "3")
    browser.text_in("#term-gpa", "3.53")
    current_gpa = planner_inputs(browser)[0]
    browser.wait().until(lambda d: current_gpa.get_attribute("value") == "3.53")

    def assert_no_number(why: str):
        # the card is dimmed from a keystroke until the answer for the input as typed is shown:
        # the error of the credits typed before ("0") must not pass for the one of "40"
        browser.wait().until(lambda d: "is-stale" not in browser.find("#gpa-result").get_attribute("class"), f"{why}: the result never settled")
        browser.text_in("#gpa-error", "Course 2 (Academic Writing): credits must be more than 0 and at most 30.")
        browser.text_in("#gpa-result", "Fix the marked course to see your GPA")
        assert text_of(browser, "term-gpa") == "—", f"{why}: the term GPA still shows {text_of(browser, 'term-gpa')}"
        assert text_of(browser, "cumulative-gpa") == "—", f"{why}: the cumulative GPA still shows {text_of(browser, 'cumulative-gpa')}"
        credits = browser.find("#course-rows .course-row:nth-child(2) .course-credits")
        assert credits.get_attribute("aria-invalid") == "true"
        assert planner_inputs(browser)[0].get_attribute("value") == "", f"{why}: the planner still uses a GPA"
        browser.text_in("#plan-link", "Fix the marked course")

    wait_saved(browser)
    for bad in ("0", "40"):
        browser.type("#course-rows .course-row:nth-child(2) .course-credits", bad)
        browser.wait().until(lambda d: text_of(browser, "term-gpa") == "—", f"credits {bad}: the GPA card kept its number")
        assert_no_number(f"credits {bad}")
        # the profile refuses it too, and says it keeps the list as it was
        browser.wait().until(lambda d: browser.find("#courses-saved").get_attribute("data-state") == "error")
        browser.text_in("#courses-saved", "Not saved until the marked values are fixed")
    # fixed: the number and the planner come back
    browser.type("#course-rows .course-row:nth-child(2) .course-credits", "3")
    browser.text_in("#term-gpa", "3.53")
    browser.wait().until(lambda d: text_of(browser, "gpa-error") == "")
    browser.wait().until(lambda d: planner_inputs(browser)[0].get_attribute("value") == "3.53")


def points_of(browser, n: int) -> str:
    return browser.find(f"#course-rows .course-row:nth-child({n}) .course-points").text


def test_a_retake_counts_as_the_campus_policy_says_and_comes_back_after_a_reload(browser):
    sign_in_fresh(browser)
    browser.go("gpa")
    fill_course(browser, 1, "Calculus I", "D", "3")
    fill_course(browser, 2, "Physics", "A", "4")
    fill_course(browser, 3, "Calculus I", "B", "3")
    # both attempts count until the second is marked a retake: 1.0×3 + 4.0×4 + 3.0×3 = 28 / 10 = 2.80
    browser.text_in("#term-gpa", "2.80")
    first = browser.find("#course-rows .course-row:nth-child(1) .course-retake")
    assert not first.is_enabled(), "the first course can retake nothing above it"
    retake = Select(browser.find("#course-rows .course-row:nth-child(3) .course-retake"))
    offered = [option.text for option in retake.options]
    assert offered == ["Not a retake", "Course 1 (Calculus I, D)", "Course 2 (Physics, A)"], offered
    retake.select_by_visible_text("Course 1 (Calculus I, D)")
    # the campus policy (replace, the default): the D no longer counts: 3.0×3 + 4.0×4 = 25 / 7 = 3.57
    browser.text_in("#term-gpa", "3.57")
    browser.text_in("#course-rows .course-row:nth-child(1) .course-points", "not counted")
    assert "Replaced by the retake graded B." in points_of(browser, 1)
    assert "Replaces the earlier D." in points_of(browser, 3)
    assert "3.0 × 3 = 9.00" in points_of(browser, 3)
    browser.text_in("#retake-policy", "a retake's grade replaces the earlier attempt's")
    # the D is retaken once: Physics cannot also name it
    physics = Select(browser.find("#course-rows .course-row:nth-child(2) .course-retake"))
    assert [option.get_attribute("disabled") is not None for option in physics.options] == [False, True]
    assert physics.options[1].text.endswith("already retaken")
    # saved to the profile: a reload (or another device) brings the rows and the link back
    wait_saved(browser)
    browser.driver.refresh()
    browser.page("gpa")
    browser.text_in("#term-gpa", "3.57")
    again = Select(browser.find("#course-rows .course-row:nth-child(3) .course-retake"))
    assert again.first_selected_option.text == "Course 1 (Calculus I, D)"
    # removing the first attempt leaves a course taken once, counted in full: 3.0×3 + 4.0×4 = 3.57 still,
    # and its retake choice is gone with it
    browser.click("#course-rows .course-row:nth-child(1) .remove-course")
    browser.wait().until(lambda d: len(browser.all("#course-rows .course-row")) == 2)
    assert Select(browser.find("#course-rows .course-row:nth-child(2) .course-retake")).first_selected_option.text == "Not a retake"
    browser.wait().until(lambda d: "Replaces" not in points_of(browser, 2))


def test_courses_kept_in_this_browser_before_are_carried_to_the_profile(browsers):
    first = browsers()
    user = sign_in_fresh(first)
    # a list this browser kept before the courses were saved to the profile
    kept = {"courses": [{"name": "Old Course", "grade": "B", "credits": "3"}], "previous_gpa": "3.0", "previous_credits": "12"}
    first.driver.execute_script("localStorage.setItem(arguments[0], JSON.stringify(arguments[1]))", f"campus.gpa.{user['id']}", kept)
    first.go("gpa")
    first.text_in("#term-gpa", "3.00")
    wait_saved(first)
    assert first.driver.execute_script("return localStorage.getItem(arguments[0])", f"campus.gpa.{user['id']}") is None
    # another device sees them
    second = browsers()
    second.login(email=user["email"], password=user["password"])
    second.go("gpa")
    second.wait().until(lambda d: second.find("#course-rows .course-name").get_attribute("value") == "Old Course")
    assert second.find("#prev-credits").get_attribute("value") == "12"
    second.text_in("#cumulative-gpa", "3.00")


def test_removing_the_middle_attempt_keeps_the_chain(browser):
    sign_in_fresh(browser)
    browser.go("gpa")
    for n, grade in enumerate(["F", "D", "B"], 1):
        fill_course(browser, n, "Chemistry", grade, "3")
    for n in (2, 3):
        Select(browser.find(f"#course-rows .course-row:nth-child({n}) .course-retake")).select_by_index(n - 1)
    browser.text_in("#term-gpa", "3.00")  # replace: only the B counts
    browser.click("#course-rows .course-row:nth-child(2) .remove-course")
    browser.wait().until(lambda d: len(browser.all("#course-rows .course-row")) == 2)
    # the B now retakes the F: still 3.00, not (0 + 9) / 6 = 1.50
    assert Select(browser.find("#course-rows .course-row:nth-child(2) .course-retake")).first_selected_option.text == "Course 1 (Chemistry, F)"
    browser.text_in("#course-rows .course-row:nth-child(2) .course-points", "Replaces the earlier F.")
    assert text_of(browser, "term-gpa") == "3.00"


def test_two_devices_do_not_overwrite_each_other(browsers):
    first, second = browsers(), browsers()
    user = sign_in_fresh(first)
    second.login(email=user["email"], password=user["password"])
    for device in (first, second):
        device.go("gpa")
        device.find("#gpa-result .stat")
    fill_course(first, 1, "From the laptop", "A", "3")
    wait_saved(first)
    # the phone still shows the list as it loaded it; its change is not saved over the laptop's
    fill_course(second, 1, "From the phone", "B", "3")
    second.wait().until(lambda d: second.find("#courses-saved").get_attribute("data-state") == "conflict", "the second device saved over the first")
    second.text_in("#courses-saved", "changed on another device or tab")
    second.click("#courses-load-theirs")
    second.wait().until(lambda d: second.find("#course-rows .course-name").get_attribute("value") == "From the laptop")
    second.text_in("#term-gpa", "4.00")
    # from there its changes save again, and the laptop gets them on its next load
    second.type("#course-rows .course-row:nth-child(1) .course-credits", "4")
    wait_saved(second)
    first.driver.refresh()
    first.page("gpa")
    first.wait().until(lambda d: first.find("#course-rows .course-credits").get_attribute("value") == "4")
