import CampusKit
import CampusTesting
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MaintenanceService

/// "Waiting on reporter" (issue 19, point 9): the SLA clock stands still while a ticket waits on
/// its reporter and the deadline moves later by the wait; deadlines worked out by hand in the comments.
@Suite struct TicketPauseTests {
    let reported = Date(timeIntervalSince1970: 1_800_000_000)
    let reporter = TicketActor(id: "3", name: "Sam Student")
    let technician = TicketActor(id: "4", name: "Tina Tech")
    let hour: TimeInterval = 3600

    func ticket(_ priority: Priority = .p3, status: TicketStatus = .inProgress, at opened: Date? = nil, clock: SLAClock = .aroundTheClock) -> Ticket {
        let opened = opened ?? reported
        return Ticket(
            id: 7, title: "Door lock sticks", description: "", location: "Library 2", roomID: nil, category: "doors_windows", priority: priority,
            status: status, slaDueAt: clock.due(from: opened, priority: priority), slaBreached: false,
            triage: TriageResult(
                priority: priority, category: "doors_windows", slaHours: priority.slaHours,
                impact: Impact(systems: [], safetyRisk: false, scope: .room, peopleAffectedEstimate: 1), confidence: 0.5, signals: []),
            createdBy: reporter.id, assigneeID: technician.id, createdAt: opened, updatedAt: opened, assigneeName: technician.name)
    }

    @Test func theClockStandsStillWhileWaitingAndTheDeadlineMovesByTheWait() throws {
        var working = ticket()
        // P3: 72 h from the report. Waiting from hour 10 to hour 30: 20 h stood still → due at hour 92.
        let asked = try TicketChange(status: .waitingOnReporter).apply(to: &working, now: reported + 10 * hour)
        #expect(asked == ["Status changed from In progress to Waiting on reporter", "The SLA clock stands still until the reporter answers"])
        #expect(working.slaPausedAt == reported + 10 * hour)
        #expect(!working.status.clockRuns && working.status.isActive)

        // Somebody else's comment (the technician's follow-up) changes nothing.
        var untouched = working
        #expect(try TicketReply(by: technician, body: "Any news?").apply(to: &untouched, now: reported + 20 * hour).isEmpty)
        #expect(untouched == working)

        let answered = try TicketReply(by: reporter, body: "It is the east door.").apply(to: &working, now: reported + 30 * hour)
        #expect(
            answered == [
                "The reporter answered (Waiting on reporter → In progress)",
                "The SLA clock runs again; it stood still for 20 h, so the deadline moves as much later",
            ])
        #expect(working.status == .inProgress && working.slaPausedAt == nil && working.slaPausedSeconds == 20 * 3600)
        #expect(working.slaDueAt == reported + 92 * hour)
        #expect(working.updatedAt == reported + 30 * hour)

        // A second wait adds to the first (2 h more → hour 94), and a priority change keeps both:
        // P2, 24 h + 22 h stood still → hour 46.
        _ = try TicketChange(status: .waitingOnReporter).apply(to: &working, now: reported + 40 * hour)
        let resumed = try TicketChange(status: .inProgress).apply(to: &working, now: reported + 42 * hour)
        #expect(resumed.last == "The SLA clock runs again; it stood still for 2 h, so the deadline moves as much later")
        #expect(working.slaDueAt == reported + 94 * hour)
        _ = try TicketChange(priority: .p2).apply(to: &working, now: reported + 43 * hour)
        #expect(working.slaDueAt == reported + 46 * hour && !working.slaBreached)

        // A reply on a ticket that is not waiting changes nothing.
        let before = working
        #expect(try TicketReply(by: reporter, body: "Thanks!").apply(to: &working, now: reported + 44 * hour).isEmpty)
        #expect(working == before)
    }

    @Test func aPriorityChangeWhileWaitingCountsThePauseSoFar() throws {
        var waiting = ticket(.p4)
        _ = try TicketChange(status: .waitingOnReporter).apply(to: &waiting, now: reported + 5 * hour)
        // Raised to P2 at hour 30 while still waiting: 24 h + 25 h stood still so far → hour 49, not breached.
        _ = try TicketChange(priority: .p2).apply(to: &waiting, now: reported + 30 * hour)
        #expect(waiting.slaDueAt == reported + 49 * hour && !waiting.slaBreached)
        #expect(waiting.slaPausedAt == reported + 5 * hour)
        // Back to work at hour 31: 26 h stood still in all → hour 50.
        _ = try TicketChange(status: .inProgress).apply(to: &waiting, now: reported + 31 * hour)
        #expect(waiting.slaDueAt == reported + 50 * hour)
    }

    @Test func onWorkingHoursTheWaitCountsInWorkingTime() throws {
        let zone = TimeZone(identifier: "Europe/Berlin")!
        let clock = SLAClock(workingHours: WorkingHours("Mon-Fri 08:00-18:00"), zone: zone)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        func at(_ day: Int, _ hour: Int) -> Date { calendar.date(from: DateComponents(year: 2026, month: 12, day: day, hour: hour))! }
        // P1 reported Tuesday 8 December 09:00: due 13:00. Waiting from 10:00 (3 working hours left)
        // until Wednesday 17:00 (8 + 9 = 17 working hours stood still): the 3 hours left run from
        // Wednesday 17:00 → 1 h Wednesday, 2 h Thursday → Thursday 10:00.
        var working = ticket(.p1, at: at(8, 9), clock: clock)
        #expect(working.slaDueAt == at(8, 13))
        _ = try TicketChange(status: .waitingOnReporter, clock: clock).apply(to: &working, now: at(8, 10))
        let lines = try TicketReply(by: reporter, body: "Room 2.14", clock: clock).apply(to: &working, now: at(9, 17))
        #expect(lines.last == "The SLA clock runs again; it stood still for 17 h of working time, so the deadline moves as much later")
        #expect(working.slaDueAt == at(10, 10))
        // Working time between two moments is the inverse of adding it.
        let hours = try #require(clock.workingHours)
        for start in [at(4, 16), at(5, 11), at(8, 23), at(24, 17)] {
            for seconds in [1, 3600, 4 * 3600 + 59, 37 * 3600] {
                #expect(hours.seconds(from: start, to: hours.adding(seconds: seconds, to: start, in: zone), in: zone) == seconds)
            }
        }
    }

    @Test func aP0NeverWaits() throws {
        var emergency = ticket(.p0)
        #expect(throws: TicketRefusal.lifeSafetyCannotWait) { try TicketChange(status: .waitingOnReporter).apply(to: &emergency, now: reported) }
        #expect(emergency == ticket(.p0))
        var waiting = ticket(.p2)
        _ = try TicketChange(status: .waitingOnReporter).apply(to: &waiting, now: reported + hour)
        var asked = waiting
        // Raised to P0 while waiting: back in progress at once, the clock running (1 h P0 + 1 h stood still).
        let lines = try TicketChange(priority: .p0).apply(to: &waiting, now: reported + 2 * hour)
        #expect(waiting.status == .inProgress && waiting.priority == .p0 && waiting.slaDueAt == reported + 2 * hour && waiting.slaBreached)
        #expect(waiting.slaPausedAt == nil && waiting.slaPausedSeconds == Int(hour))
        #expect(lines.contains("Status changed from Waiting on reporter to In progress: a P0 does not wait on its reporter"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("The SLA clock runs again; it stood still for 1 h") }, "\(lines)")
        // Raised to P0 and back to work in one change: the same.
        _ = try TicketChange(status: .inProgress, priority: .p0).apply(to: &asked, now: reported + 2 * hour)
        #expect(asked == waiting)
        // Lowered from P0 and waiting in one change: allowed.
        var lowered = ticket(.p0)
        _ = try TicketChange(status: .waitingOnReporter, priority: .p1).apply(to: &lowered, now: reported)
        #expect(lowered.status == .waitingOnReporter)
    }

    @Test func theWorkflowAroundWaiting() throws {
        #expect(TicketStatus.open.canMove(to: .waitingOnReporter) == false)
        #expect(TicketStatus.waitingOnReporter.allowedNext == [.inProgress, .resolved, .cancelled])
        // Resolved straight from waiting (the reporter never answered), then reopened: a fresh clock.
        var ticket = ticket()
        _ = try TicketChange(status: .waitingOnReporter).apply(to: &ticket, now: reported + hour)
        _ = try TicketChange(status: .resolved, resolution: "Could not reproduce; lock oiled.").apply(to: &ticket, now: reported + 5 * hour)
        #expect(ticket.slaPausedAt == nil)
        _ = try TicketReopen(reason: "Still sticks", by: reporter).apply(to: &ticket, now: reported + 6 * hour)
        #expect(ticket.slaPausedSeconds == 0 && ticket.slaDueAt == reported + 78 * hour)
    }

    @Test func aWaitIsSaidToTheNearestMinute() {
        let clock = SLAClock.aroundTheClock
        #expect(clock.durationText(29, priority: .p3) == "under a minute")
        #expect(clock.durationText(63, priority: .p3) == "1 min")
        #expect(clock.durationText(90, priority: .p3) == "2 min")
        #expect(clock.durationText(3_600 + 29, priority: .p3) == "1 h")
        #expect(clock.durationText(5_400, priority: .p3) == "1 h 30 min")
    }

    /// Through HTTP on both databases: the reporter is asked and told, a waiting ticket does not
    /// breach, the reporter's comment brings it back with the deadline moved, and the assignee hears it.
    @Test(arguments: TestDatabase.backends)
    func waitOnTheReporterAndResume(_ backend: TestDatabase.Backend) async throws {
        try await TicketEndpointTests().withMaintenance(backend) { client, t, clock, database, runtime in
            let endpoints = TicketEndpointTests()
            let ticket = try await endpoints.open(client, t.student, title: "Projector flickers in the seminar room")
            let id = try #require(ticket["id"] as? Int)
            let priority = try #require(Priority(rawValue: ticket["priority"] as? String ?? ""))
            #expect(priority != .p0)
            let opened = clock.now
            #expect(try await endpoints.patch(client, t.tech, id, ["status": "waiting_on_reporter"]).problemCode == "invalid_transition")
            #expect(try await endpoints.patch(client, t.tech, id, ["status": "in_progress", "assignee_id": 4]).status == .ok)
            clock.advance(by: 1800)
            // A question goes only with the move to waiting.
            #expect(try await endpoints.patch(client, t.tech, id, ["question": "Which socket?"]).problemCode == "validation_error")
            let waiting = try await endpoints.patch(client, t.tech, id, ["status": "waiting_on_reporter", "question": "Which socket is it?"])
            #expect(waiting.status == .ok, "\(waiting.text)")
            #expect(waiting.json["status"] as? String == "waiting_on_reporter")
            #expect(waiting.json["sla_paused_at"] as? String == CampusJSON.timestamp(clock.now))
            // The question is the ticket's newest comment, the technician's, stored in the same step.
            try await client.execute(uri: "/tickets/\(id)/comments", method: .get, headers: bearer(t.student)) { response in
                #expect(response.jsonArray.map { $0["body"] as? String } == ["Which socket is it?"])
                #expect(response.jsonArray.first?["author_id"] as? Int == 4)
            }
            #expect(try await endpoints.patch(client, t.tech, id, ["question": "And which floor?"]).problemCode == "validation_error")

            // Long past the original deadline, the waiting ticket does not breach.
            let waitedFrom = clock.now
            clock.advance(by: TimeInterval(priority.slaHours) * 3600 * 3)
            let repository = FluentTicketRepository(provider: database, logger: runtime.logger(for: .maintenance), now: { clock.now })
            #expect(try await repository.markBreached(now: clock.now).isEmpty)

            // Someone else's comment leaves it waiting; the reporter's answer brings it back.
            try await client.execute(uri: "/tickets/\(id)/comments", method: .post, headers: bearer(t.tech), body: jsonBody(["body": "Which socket?"])) {
                #expect($0.status == .created)
            }
            try await client.execute(
                uri: "/tickets/\(id)/comments", method: .post, headers: bearer(t.student), body: jsonBody(["body": "The one by the window."])
            ) {
                #expect($0.status == .created)
            }
            let paused = clock.now.timeIntervalSince(waitedFrom)
            try await client.execute(uri: "/tickets/\(id)", method: .get, headers: bearer(t.student)) { response in
                #expect(response.json["status"] as? String == "in_progress")
                #expect(response.json["sla_paused_at"] is NSNull)
                #expect(response.json["sla_breached"] as? Bool == false)
                #expect(response.json["sla_due_at"] as? String == CampusJSON.timestamp(opened + TimeInterval(priority.slaHours) * 3600 + paused))
                let history = (response.json["history"] as? [JSONObject] ?? []).compactMap { $0["change"] as? String }
                #expect(history.contains("The reporter answered (Waiting on reporter → In progress)"))
            }
            // The reporter was asked, and the assignee was told of the answer.
            let events = try await OutboxEvent.query(on: database.database(logger: runtime.logger(for: .maintenance))).all()
            #expect(
                events.filter {
                    $0.payload.contains("Facilities need your answer") && $0.payload.contains("Facilities ask: “Which socket is it?”")
                        && $0.payload.contains(#""user_id":3"#)
                }.count == 1)
            #expect(events.filter { $0.payload.contains("The reporter answered") && $0.payload.contains(#""user_id":4"#) }.count == 1)
            // The status filter knows it.
            try await client.execute(uri: "/tickets?status=waiting_on_reporter", method: .get, headers: bearer(t.tech)) { response in
                #expect(response.status == .ok && response.jsonArray.isEmpty)
            }
            // Waiting again, then found to be danger: raised to P0, it goes back in progress at once.
            #expect(try await endpoints.patch(client, t.tech, id, ["status": "waiting_on_reporter"]).status == .ok)
            #expect(
                try await endpoints.patch(client, t.tech, id, ["status": "waiting_on_reporter", "priority": "P0"]).problemCode == "life_safety_cannot_wait")
            let raised = try await endpoints.patch(client, t.tech, id, ["priority": "P0"])
            #expect(raised.status == .ok, "\(raised.text)")
            #expect(raised.json["status"] as? String == "in_progress" && raised.json["priority"] as? String == "P0")
            #expect(raised.json["sla_paused_at"] is NSNull)
            // The reporter is told why they need not answer first.
            let raisedNotices = try await OutboxEvent.query(on: database.database(logger: runtime.logger(for: .maintenance))).all().filter {
                $0.payload.contains("is back in progress: danger to people does not wait on an answer") && $0.payload.contains(#""user_id":3"#)
            }
            #expect(raisedNotices.count == 1)
            #expect(try await endpoints.patch(client, t.tech, id, ["status": "waiting_on_reporter"]).problemCode == "life_safety_cannot_wait")
        }
    }
}
