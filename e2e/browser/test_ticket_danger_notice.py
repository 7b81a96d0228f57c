"""A Critical report keeps telling its reporter to call campus security after it is sent, not only
in the live preview: the ticket's own page shows the call while the ticket is open or being worked on,
and drops it once it is resolved, with its other present-tense facts ("stay clear", "not assigned
yet", "Response due"). A corridor is "One room or space", the rubric's word for it, not
"One room"."""
import uuid

from browser_support import Api

CALL = "If anyone is in danger, call campus security now."


def test_a_critical_ticket_page_says_call_security_until_it_is_resolved(browsers, campus):
    run = uuid.uuid4().hex[:6]
    student_api = Api(campus, "student")
    # In a lab, not a corridor: writers do not agree whether a corridor is a room or its floor.
    ticket = student_api.ticket(f"Cable crackling in lab {run}", "A cut cable hangs from the lab ceiling, crackling, students work under it", "Engineering Building, Lab E214")
    assert ticket["priority"] == "P0", ticket
    assert ticket["impact"]["scope"] == "room", ticket["impact"]

    app = browsers()
    app.login("student")
    app.driver.execute_script("location.hash = arguments[0]", f"#/tickets?id={ticket['id']}")
    app.text_in("#ticket-view .danger-notice", CALL)
    app.text_in("#ticket-view .ticket-facts", "One room or space")

    tech = Api(campus, "technician")
    tech.patch(f"/api/tickets/{ticket['id']}", {"status": "in_progress"})
    app.driver.refresh()
    app.text_in("#ticket-view-title", f"Cable crackling in lab {run}")
    app.text_in("#ticket-view .danger-notice", CALL)

    tech.patch(f"/api/tickets/{ticket['id']}", {"status": "resolved", "resolution": "Cable cut back and made safe"})
    app.driver.refresh()
    app.text_in("#ticket-view-resolution", "Cable cut back and made safe")
    assert not app.all("#ticket-view .danger-notice"), "a resolved ticket still says to call security"
    view = app.find("#ticket-view").text
    assert CALL not in view
    # What the page said in the present tense is over: no "stay clear", no one "not yet" assigned.
    assert "Yes, when it was reported" in view and "stay clear" not in view, view
    assert "Response was due" in view and "Nobody was assigned" in view and "Not assigned yet" not in view, view


def test_a_medium_ticket_page_has_no_call_to_security(browsers, campus):
    run = uuid.uuid4().hex[:6]
    ticket = Api(campus, "student").ticket(f"Projector flickers {run}", "The projector flickers now and then", "Library, ground floor")
    assert ticket["priority"] in ("P2", "P3", "P4"), ticket
    app = browsers()
    app.login("student")
    app.driver.execute_script("location.hash = arguments[0]", f"#/tickets?id={ticket['id']}")
    app.text_in("#ticket-view-title", f"Projector flickers {run}")
    assert not app.all("#ticket-view .danger-notice")



def why_reasons(browsers, campus, title: str, description: str, location: str, change: dict | None = None):
    """A student's Critical report, `change` PATCHed by the technician; the reasons its page lists
    under "Why this priority?", and the page."""
    ticket = Api(campus, "student").ticket(title, description, location)
    assert ticket["priority"] == "P0", ticket
    if change:
        Api(campus, "technician").patch(f"/api/tickets/{ticket['id']}", change)
    app = browsers()
    app.login("student")
    app.driver.execute_script("location.hash = arguments[0]", f"#/tickets?id={ticket['id']}")
    app.text_in("#ticket-view-title", title)
    app.find("#ticket-view details.why summary").click()
    return [li.text for li in app.all("#ticket-view details.why li")], app


def test_a_priority_staff_changed_says_so_above_the_triages_reasons(browsers, campus):
    """A technician lowering a Critical report to High: the page's badge says High, and "Why this
    priority?" no longer reads as if the ticket were still treated as Critical without a word."""
    run = uuid.uuid4().hex[:6]
    reasons, app = why_reasons(browsers, campus, f"Cable crackling by the stairs {run}",
                               "A cut cable hangs from the ceiling by the stairs, crackling, people walk under it", "Arts Building, stairwell B", {"priority": "P1"})
    assert reasons[0] == "Staff changed its priority to High (P1). The automatic triage had rated it Critical (P0), for the reasons below.", reasons
    assert len(reasons) > 1, reasons
    assert not app.all("#ticket-view .danger-notice"), "a High ticket still says to call security"


def test_a_priority_nobody_changed_has_no_such_line(browsers, campus):
    run = uuid.uuid4().hex[:6]
    reasons, _ = why_reasons(browsers, campus, f"Cable crackling in the foyer {run}",
                             "A cut cable hangs from the foyer ceiling, crackling, people walk under it", "Arts Building, foyer")
    assert reasons and not any(r.startswith("Staff changed") for r in reasons), reasons
