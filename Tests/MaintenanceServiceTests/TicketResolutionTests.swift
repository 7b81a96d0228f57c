import CampusKit
import CampusTesting
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MaintenanceService

/// Resolutions, the reporter's "still broken" and the archive's filters (issue 19, point 8).
@Suite struct TicketResolutionTests {
    let reported = Date(timeIntervalSince1970: 1_800_000_000)
    let reporter = TicketActor(id: "3", name: "Sam Student")
    let technician = TicketActor(id: "4", name: "Tina Tech")

    func ticket(status: TicketStatus = .inProgress, assignee: TicketActor? = nil) -> Ticket {
        Ticket(
            id: 7, title: "Radiator cold", description: "", location: "Library 2", roomID: nil, category: "hvac", priority: .p3,
            status: status, slaDueAt: SLAClock.aroundTheClock.due(from: reported, priority: .p3), slaBreached: false,
            triage: TriageResult(
                priority: .p3, category: "hvac", slaHours: Priority.p3.slaHours,
                impact: Impact(systems: [], safetyRisk: false, scope: .room, peopleAffectedEstimate: 1), confidence: 0.5, signals: []),
            createdBy: reporter.id, assigneeID: assignee?.id, createdAt: reported, updatedAt: reported, assigneeName: assignee?.name)
    }

    @Test func resolvingNeedsAResolutionAndOnlyResolvingTakesOne() throws {
        var working = ticket()
        #expect(throws: TicketRefusal.resolutionRequired) { try TicketChange(status: .resolved).apply(to: &working, now: reported) }
        #expect(throws: TicketRefusal.resolutionWithoutResolving) {
            try TicketChange(priority: .p2, resolution: "Bled the radiator").apply(to: &working, now: reported)
        }
        // A move the workflow refuses is named as such, resolution or not.
        var open = ticket(status: .open)
        #expect(throws: TicketRefusal.invalidTransition(from: .open, to: .resolved)) {
            try TicketChange(status: .resolved, resolution: "Done").apply(to: &open, now: reported)
        }
        #expect(working == ticket(), "a refused change changes nothing")

        let resolvedAt = reported.addingTimeInterval(3600)
        let lines = try TicketChange(status: .resolved, resolution: "Bled the radiator").apply(to: &working, now: resolvedAt)
        #expect(lines == ["Status changed from In progress to Resolved", "Resolution: Bled the radiator"])
        #expect(working.resolution == "Bled the radiator")
        #expect(working.resolvedAt == resolvedAt)
        #expect(working.reopenableUntil == resolvedAt.addingTimeInterval(14 * 86_400))
        // Closing keeps the resolution and the reporter's window.
        _ = try TicketChange(status: .closed).apply(to: &working, now: resolvedAt.addingTimeInterval(60))
        #expect(working.resolution == "Bled the radiator")
        #expect(working.reopenableUntil == resolvedAt.addingTimeInterval(14 * 86_400))
    }

    @Test func theReporterReopensWithinTheWindowAndTheSLAClockStartsAgain() throws {
        var resolved = ticket(assignee: technician)
        let resolvedAt = reported.addingTimeInterval(2 * 86_400)
        _ = try TicketChange(status: .resolved, resolution: "Bled the radiator").apply(to: &resolved, now: resolvedAt)
        let before = resolved

        var copy = resolved
        #expect(throws: TicketRefusal.reopenByOthers) { try TicketReopen(reason: "cold", by: technician).apply(to: &copy, now: resolvedAt) }
        let late = resolvedAt.addingTimeInterval(14 * 86_400 + 1)
        #expect(throws: TicketRefusal.reopenWindowPassed(until: resolvedAt.addingTimeInterval(14 * 86_400))) {
            try TicketReopen(reason: "cold", by: reporter).apply(to: &copy, now: late)
        }
        var working = ticket()
        #expect(throws: TicketRefusal.notReopenable(.inProgress)) { try TicketReopen(reason: "cold", by: reporter).apply(to: &working, now: resolvedAt) }
        #expect(copy == before)

        let reopenedAt = resolvedAt.addingTimeInterval(3 * 86_400)
        let lines = try TicketReopen(reason: "Still cold this morning", by: reporter).apply(to: &resolved, now: reopenedAt)
        #expect(lines.first == "Reopened by the reporter (Resolved → In progress): Still cold this morning")
        #expect(resolved.status == .inProgress, "the assignee keeps it")
        #expect(resolved.resolution == nil && resolved.resolvedAt == nil && resolved.reopenableUntil == nil)
        #expect(resolved.slaStartedAt == reopenedAt)
        #expect(resolved.slaDueAt == reopenedAt.addingTimeInterval(TimeInterval(Priority.p3.slaHours) * 3600))
        #expect(!resolved.slaBreached)
        // A later priority change counts from the reopening, not from the report.
        _ = try TicketChange(priority: .p1).apply(to: &resolved, now: reopenedAt.addingTimeInterval(60))
        #expect(resolved.slaDueAt == reopenedAt.addingTimeInterval(TimeInterval(Priority.p1.slaHours) * 3600))

        // With nobody assigned it goes back to the open queue.
        var unassigned = ticket()
        _ = try TicketChange(status: .resolved, resolution: "Fixed").apply(to: &unassigned, now: resolvedAt)
        _ = try TicketReopen(reason: "No", by: reporter).apply(to: &unassigned, now: resolvedAt)
        #expect(unassigned.status == .open)
    }

    @Test func createdDaysAreCampusDays() throws {
        let london = try #require(TimeZone(identifier: "Europe/London"))
        let range = try #require(try TicketRules.createdRange(from: "2026-07-01", to: "2026-07-01", timeZone: london))
        #expect(range.lowerBound == Date(timeIntervalSince1970: 1_782_860_400))  // 2026-06-30T23:00:00Z (BST)
        #expect(range.upperBound.timeIntervalSince(range.lowerBound) == 86_400)
        #expect(try TicketRules.createdRange(from: nil, to: nil, timeZone: london) == nil)
        // Days beyond Foundation's distant future make an empty range, not a trap (the fuzzer sent 8256-08-09).
        #expect(try TicketRules.createdRange(from: "8256-08-09", to: nil, timeZone: london)?.isEmpty == true)
        #expect(try TicketRules.createdRange(from: "9999-12-31", to: "9999-12-31", timeZone: london)?.isEmpty == false)
        #expect(throws: FieldRefusal.self) { try TicketRules.createdRange(from: "2026-07-02", to: "2026-07-01", timeZone: london) }
        #expect(throws: FieldRefusal.self) { try TicketRules.createdRange(from: "July", to: nil, timeZone: london) }
    }

    /// Through HTTP on both databases: resolve with a note, the reporter reads it and reopens,
    /// the assignee is told, the others are refused, and the archive finds tickets by every filter.
    @Test(arguments: TestDatabase.backends)
    func resolveReadReopenAndFind(_ backend: TestDatabase.Backend) async throws {
        try await TicketEndpointTests().withMaintenance(backend) { client, t, clock, database, runtime in
            let endpoints = TicketEndpointTests()
            let ticket = try await endpoints.open(client, t.student, title: "Radiator cold in the reading room")
            let id = try #require(ticket["id"] as? Int)
            #expect(ticket["resolution"] is NSNull && ticket["reopenable_until"] is NSNull)
            #expect(try await endpoints.patch(client, t.tech, id, ["status": "in_progress", "assignee_id": 4]).status == .ok)
            let resolving = try await endpoints.patch(client, t.tech, id, ["status": "resolved", "resolution": "  Bled the radiator; the valve was stuck.  "])
            #expect(resolving.status == .ok)
            #expect(resolving.json["resolution"] as? String == "Bled the radiator; the valve was stuck.")
            let resolvedAt = clock.now

            func reopen(_ token: String, _ reason: Any = "Still cold this morning") async throws -> TestResponse {
                try await client.execute(uri: "/tickets/\(id)/reopen", method: .post, headers: bearer(token), body: jsonBody(["reason": reason])) { $0 }
            }
            try await client.execute(uri: "/tickets/\(id)", method: .get, headers: bearer(t.student)) { response in
                #expect(response.json["resolution"] as? String == "Bled the radiator; the valve was stuck.")
                #expect(response.json["reopenable_until"] as? String == CampusJSON.timestamp(resolvedAt.addingTimeInterval(14 * 86_400)))
                let history = (response.json["history"] as? [JSONObject] ?? []).compactMap { $0["change"] as? String }
                #expect(history.contains("Resolution: Bled the radiator; the valve was stuck."))
            }
            #expect(try await reopen(t.tech).problemCode == "not_the_reporter")
            #expect(try await reopen(t.otherStudent).status == .notFound)
            #expect(try await reopen(t.student, "").status == .unprocessableContent)
            let mistyped = try await reopen(t.student, 5)
            #expect([.badRequest, .unprocessableContent].contains(mistyped.status) && mistyped.isProblem)

            clock.advance(by: 86_400)
            let reopened = try await reopen(t.student)
            #expect(reopened.status == .ok, "\(reopened.text)")
            #expect(reopened.json["status"] as? String == "in_progress")
            #expect(reopened.json["resolution"] is NSNull)
            // The clock starts again at the ticket's own priority (triage's, whichever level it chose).
            let priority = try #require((ticket["priority"] as? String).flatMap(Priority.init(rawValue:)))
            #expect(reopened.json["sla_due_at"] as? String == CampusJSON.timestamp(clock.now.addingTimeInterval(TimeInterval(priority.slaHours) * 3600)))
            #expect(try await reopen(t.student).problemCode == "not_reopenable")

            // The assignee was told, and told why to look again.
            let events = try await OutboxEvent.query(on: database.database(logger: runtime.logger(for: .maintenance))).all()
            #expect(events.filter { $0.payload.contains("Ticket reopened") && $0.payload.contains(#""user_id":4"#) }.count == 1)

            // Resolved again and closed; after fifteen days the reporter's window has passed.
            #expect(try await endpoints.patch(client, t.tech, id, ["status": "resolved", "resolution": "New valve fitted."]).status == .ok)
            #expect(try await endpoints.patch(client, t.tech, id, ["status": "closed"]).status == .ok)
            clock.advance(by: 15 * 86_400)
            #expect(try await reopen(t.student).problemCode == "reopen_window_passed")

            // The archive: closed tickets found by words of their resolution, category, location and day.
            let other = try await endpoints.open(client, t.student, title: "Window latch broken")
            func found(_ query: String, _ token: String? = nil) async throws -> [Int] {
                try await client.execute(uri: "/tickets?\(query)", method: .get, headers: bearer(token ?? t.tech)) { response in
                    #expect(response.status == .ok, "\(query): \(response.text)")
                    return response.jsonArray.compactMap { $0["id"] as? Int }
                }
            }
            #expect(try await found("status=closed&q=valve") == [id])
            #expect(try await found("status=closed&q=valve", t.student) == [id])
            #expect(try await found("q=valve", t.otherStudent) == [])
            #expect(try await found("category=\(try #require(ticket["category"] as? String))&q=radiator") == [id])
            #expect(try await found("location=building+b&order=newest").contains(id))
            #expect(try await found("location=library") == [])
            let reportedDay = CampusJSON.timestamp(Date(timeIntervalSince1970: 1_800_000_000)).prefix(10)
            #expect(try await found("created_from=\(reportedDay)&created_to=\(reportedDay)") == [id])
            #expect(try await found("created_from=\(CampusJSON.timestamp(clock.now).prefix(10))") == [try #require(other["id"] as? Int)])
            #expect(try await found("created_from=8256-08-09") == [])
            #expect(try await found("created_to=1900-01-01") == [])
            for bad in ["category=plumbingx", "created_from=2026-13-01", "created_from=2026-07-02&created_to=2026-07-01"] {
                try await client.execute(uri: "/tickets?\(bad)", method: .get, headers: bearer(t.tech)) { response in
                    #expect(response.status == .unprocessableContent, "\(bad)")
                    #expect(response.isProblem)
                }
            }
        }
    }
}
