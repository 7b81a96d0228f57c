"""GPA calculator: rows, grade picker, the live result with points per course, cumulative GPA and
the target planner."""
from selenium.webdriver.common.by import By


def test_gpa_live_result_and_planner(browser):
    browser.login("student")
    browser.go("gpa")
    # the two starter rows: A- (3.7) × 4 and B+ (3.3) × 3 → (14.8 + 9.9) / 7 = 3.528… → 3.53
    browser.text_in("#term-gpa", "3.53")
    rows = browser.all("#course-rows .course-row")
    assert len(rows) == 2
    assert "3.7 × 4 = 14.80" in rows[0].find_element(By.CSS_SELECTOR, ".course-points").text
    # change a grade: A- → C (2.0): (8 + 9.9) / 7 = 2.557 → 2.56
    browser.select("#course-rows .course-row:nth-child(1) .course-grade", "C")
    browser.text_in("#term-gpa", "2.56")
    # add a pass/fail course: it counts toward no GPA
    browser.click("#add-course")
    browser.select("#course-rows .course-row:nth-child(3) .course-grade", "P")
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
    # planner (it starts from the calculator's result; typed values replace it):
    # 3.0 over 30, target 3.5 over 30 more → 4.00 needed, achievable
    planner_inputs = browser.all("#plan-result")[0].find_elements(By.XPATH, "../div//input")
    for field, value in zip(planner_inputs, ["3.0", "30", "3.5", "30"]):
        field.clear()
        field.send_keys(value)
    browser.text_in("#plan-result", "You need 4.00")
    planner_inputs[2].clear()
    planner_inputs[2].send_keys("3.9")
    browser.text_in("#plan-result", "Out of reach")
