"""Waiting on the reporter through the page (issue 19, point 9): the technician asks the reporter a
question from the queue board and the ticket moves to "Waiting on reporter" with its response clock
standing still; the reporter sees "Waiting on you" on the ticket's page and answers in the comments;
the ticket goes back in progress on both screens without a reload, the technician is told, and the
deadline has moved later by the wait. A P0 is never offered the wait."""
import uuid

from browser_support import Api


def technician_on_queue(browsers, ticket_id: str):
    """A technician's browser on the live queue board, and the CSS of the ticket's card there."""
    tech = browsers()
    tech.login("technician")
    tech.go("queue")
    tech.wait_live()
    return tech, f'#queue-board [data-ticket-id="{ticket_id}"]'


def test_ask_the_reporter_and_resume_on_their_answer(browsers, campus):
    run = uuid.uuid4().hex[:6]
    student_api = Api(campus, "student")
    tech_api = Api(campus, "technician")
    ticket = student_api.ticket(f"Door lock sticks {run}", "The lock of the seminar room door sticks", "Humanities Building, room 104")
    assert ticket["priority"] != "P0"
    ticket_id = str(ticket["id"])
    tech_api.patch(f"/api/tickets/{ticket_id}", {"status": "in_progress", "assignee_id": tech_api.me["id"]})
    emergency = student_api.ticket(f"Gas smell in the chemistry lab {run}", "Strong smell of gas near the benches", "Science Building, lab 3")
    assert emergency["priority"] == "P0"
    tech_api.patch(f"/api/tickets/{emergency['id']}", {"status": "in_progress"})
    # Every notice read first: technicians are told of every urgent ticket of the run, and a bell
    # already at "99+" cannot be seen to ring.
    tech_api.put("/api/notifications/read-all", {})

    tech, card = technician_on_queue(browsers, ticket_id)
    tech.find(f'#queue-board [data-column=in_progress] [data-ticket-id="{ticket_id}"]')
    # A P0's status choices have no wait; the ordinary ticket's have.
    p0_options = [o.get_attribute("value") for o in tech.all(f'#queue-board [data-ticket-id="{emergency["id"]}"] .ctl-status option')]
    assert "waiting_on_reporter" not in p0_options and "resolved" in p0_options
    tech.select(f"{card} .ctl-status", "waiting_on_reporter")
    tech.click(f"{card} .ctl-status-apply")
    dialog = tech.find("dialog[open]")
    assert "Ask the reporter" in dialog.text and "stands still" in dialog.text
    # An empty question is refused in the dialog, and nothing is sent.
    tech.click("dialog[open] [data-action=confirm]")
    tech.text_in("dialog[open]", "Say what you need")
    assert student_api.get(f"/api/tickets/{ticket_id}").json()["status"] == "in_progress"
    tech.type("dialog[open] textarea", f"Which door exactly {run}? The east or the west one?")
    tech.click("dialog[open] [data-action=confirm]")
    tech.find(f'#queue-board [data-column=waiting_on_reporter] [data-ticket-id="{ticket_id}"]')
    tech.text_in(f"{card} [data-sla]", "Clock paused")
    waiting = student_api.get(f"/api/tickets/{ticket_id}").json()
    assert waiting["status"] == "waiting_on_reporter" and waiting["sla_paused_at"] is not None
    bell_before = tech.bell_count()

    student = browsers()
    student.login("student")
    student.driver.execute_script("location.hash = arguments[0]", f"#/tickets?id={ticket_id}")
    student.find(f'#ticket-view[data-ticket-id="{ticket_id}"]')
    student.text_in("#ticket-view-waiting", "Waiting on you")
    student.text_in("#ticket-view-due", "On hold since")
    student.text_in("#ticket-view", f"Which door exactly {run}?")
    student.type("#ticket-view .comment-input", "The east door, next to the lift.")
    student.click("#ticket-view .comment-form [type=submit]")
    # Back in progress on the reporter's page without a reload.
    student.wait(15).until(lambda d: not student.all("#ticket-view-waiting"), "the page still says it waits on the reporter")
    student.text_in("#ticket-view .ticket-detail", "In progress")
    student.text_in("#ticket-history", "The reporter answered")

    # ... and on the technician's board, who is told.
    tech.find(f'#queue-board [data-column=in_progress] [data-ticket-id="{ticket_id}"]', timeout=15)
    tech.wait(15).until(lambda d: tech.bell_count() > bell_before, "the technician's bell did not ring")
    resumed = student_api.get(f"/api/tickets/{ticket_id}").json()
    assert resumed["status"] == "in_progress" and resumed["sla_paused_at"] is None
    assert resumed["sla_due_at"] > ticket["sla_due_at"], "the deadline did not move later by the wait"


def test_raised_to_p0_while_waiting_it_goes_back_in_progress_and_the_queue_says_why(browsers, campus):
    run = uuid.uuid4().hex[:6]
    student_api = Api(campus, "student")
    tech_api = Api(campus, "technician")
    ticket = student_api.ticket(f"Wobbly chair {run}", "One leg is loose", "Library, reading room")
    assert ticket["priority"] != "P0"
    ticket_id = str(ticket["id"])
    tech_api.patch(f"/api/tickets/{ticket_id}", {"status": "in_progress", "assignee_id": tech_api.me["id"]})
    tech_api.patch(f"/api/tickets/{ticket_id}", {"status": "waiting_on_reporter", "question": "Which chair?"})

    tech, card = technician_on_queue(browsers, ticket_id)
    tech.find(f'#queue-board [data-column=waiting_on_reporter] [data-ticket-id="{ticket_id}"]')
    tech.select(f"{card} .ctl-priority", "P0")
    tech.click(f"{card} .ctl-priority-apply")
    tech.text_in("#toasts", "Back in progress: a P0 does not wait on its reporter.")
    tech.find(f'#queue-board [data-column=in_progress] [data-ticket-id="{ticket_id}"]')
    assert tech_api.get(f"/api/tickets/{ticket_id}").json()["status"] == "in_progress"
