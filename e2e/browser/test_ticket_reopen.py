"""Resolution and reopening through the page (issue 19, point 8): the technician resolves with a note
from the queue board; the reporter reads it on the ticket's page and reopens it ("still broken") with a
reason; the technician's board moves it back to work live and their bell rings; the reporter then finds
the closed ticket again in "Find a ticket" by a word of its resolution, its category and its day."""
import datetime as dt
import uuid

from browser_support import Api, new_user


def test_resolve_read_reopen_and_find(browsers, campus):
    run = uuid.uuid4().hex[:6]
    student_api = Api(campus, "student")
    # A technician of its own, with every notice read: every technician is told of the run's other
    # urgent tickets, and a bell already at "99+" cannot be seen to ring.
    fresh = new_user(campus, "technician", prefix="reopen")
    tech_api = Api(campus, email=fresh["email"], password=fresh["password"])
    tech_api.put("/api/notifications/read-all", {})
    ticket = student_api.ticket(f"Radiator cold in seminar room {run}", "The radiator stays cold all day", "Humanities Building, room 104")
    ticket_id = str(ticket["id"])
    tech_api.patch(f"/api/tickets/{ticket_id}", {"status": "in_progress", "assignee_id": tech_api.me["id"]})

    tech = browsers()
    tech.login(email=fresh["email"], password=fresh["password"])
    tech.go("queue")
    tech.wait_live()
    # Searched for, so that it is on the board whatever else the run has resolved: the resolved
    # column shows its first page in queue order, and other tests' P0s come first.
    tech.search_queue(run, showing=[ticket_id])
    card = f'#queue-board [data-ticket-id="{ticket_id}"]'
    tech.find(f'#queue-board [data-column=in_progress] [data-ticket-id="{ticket_id}"]')
    tech.select(f"{card} .ctl-status", "resolved")
    tech.click(f"{card} .ctl-status-apply")
    dialog = tech.find("dialog[open]")
    assert "Resolve ticket" in dialog.text and "14 days" in dialog.text
    # Cancel changes nothing.
    tech.click("dialog[open] [data-action=cancel]")
    tech.wait().until(lambda d: not tech.all("dialog[open]"), "the dialog stayed open")
    assert student_api.get(f"/api/tickets/{ticket_id}").json()["status"] == "in_progress"
    # ... and the card says so again: its status is back to what it is, with nothing to apply.
    tech.wait().until(lambda d: tech.find(f"{card} .ctl-status").get_attribute("value") == "in_progress", "the status did not go back")
    tech.select(f"{card} .ctl-status", "resolved")
    tech.click(f"{card} .ctl-status-apply")
    tech.type("dialog[open] textarea", f"Bled the radiator {run}; the valve was stuck")
    tech.click("dialog[open] [data-action=confirm]")
    tech.find(f'#queue-board [data-column=resolved] [data-ticket-id="{ticket_id}"]')
    bell_before = tech.bell_count()

    student = browsers()
    student.login("student")
    student.driver.execute_script("location.hash = arguments[0]", f"#/tickets?id={ticket_id}")
    student.find(f'#ticket-view[data-ticket-id="{ticket_id}"]')
    student.text_in("#ticket-view-resolution", f"Bled the radiator {run}; the valve was stuck")
    student.click("#reopen-ticket")
    student.type("dialog[open] textarea", "Still cold this morning")
    student.click("dialog[open] [data-action=confirm]")
    student.wait().until(lambda d: not student.all("#ticket-view-resolution") and not student.all("#reopen-ticket"),
                         "the page still offers the resolution or the reopen button")
    student.text_in("#ticket-view", "In progress")
    student.text_in("#ticket-view", "Reopened by the reporter")

    # The technician sees it back in progress without reloading, and is told.
    tech.find(f'#queue-board [data-column=in_progress] [data-ticket-id="{ticket_id}"]', timeout=15)
    tech.wait(15).until(lambda d: tech.bell_count() > bell_before, "the technician's bell did not ring")
    stored = student_api.get(f"/api/tickets/{ticket_id}").json()
    assert stored["status"] == "in_progress" and stored["resolution"] is None and stored["reopenable_until"] is None
    assert stored["sla_due_at"] > ticket["sla_due_at"], "the SLA clock did not start again"

    # Resolved again and closed, it stays findable.
    tech_api.patch(f"/api/tickets/{ticket_id}", {"status": "resolved", "resolution": f"New valve fitted {run}"})
    tech_api.patch(f"/api/tickets/{ticket_id}", {"status": "closed"})
    student.go("tickets")
    student.type("#archive-q", f"valve {run}")
    student.select("#archive-status", "closed")
    student.select("#archive-category", ticket["category"])
    today = dt.date.today().isoformat()
    student.driver.execute_script("document.getElementById('archive-from').value = arguments[0];"
                                  "document.getElementById('archive-to').value = arguments[0]", today)
    student.click("#archive-submit")
    student.find(f'#archive-results [data-ticket-id="{ticket_id}"]')
    student.text_in("#archive-summary", "1 ticket matches")
    student.text_in("#archive-results", f"Resolution: New valve fitted {run}")
    # A day before it was reported finds nothing; an impossible range says what is wrong.
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    student.driver.execute_script("document.getElementById('archive-from').value = arguments[0];"
                                  "document.getElementById('archive-to').value = arguments[0]", yesterday)
    student.click("#archive-submit")
    student.text_in("#archive-summary", "No ticket matches.")
    student.driver.execute_script("document.getElementById('archive-from').value = arguments[0];"
                                  "document.getElementById('archive-to').value = arguments[1]", today, yesterday)
    student.click("#archive-submit")
    student.text_in("#archive-results", "“Reported until” is before “Reported from”")
    assert student.find("#archive-to").get_attribute("aria-invalid") == "true"
