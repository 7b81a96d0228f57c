import CampusKit
import CampusTesting
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import UserService

@testable import MaintenanceService

/// docs/contract.md §9's tickets through HTTP, with user management live for assignee checks.
@Suite struct TicketEndpointTests {
    struct Tokens: Sendable {
        let student: String, otherStudent: String, faculty: String, tech: String, admin: String
    }

    func withMaintenance(
        _ backend: TestDatabase.Backend = .sqlite,
        configure: @Sendable (inout Settings) -> Void = { _ in },
        _ body: @escaping @Sendable (any TestClientProtocol, Tokens, TestClock, DatabaseProvider, ServiceRuntime) async throws -> Void
    ) async throws {
        let base = await TestRuntime.make()
        let users = try await UserService.buildApplication(runtime: base, database: try TestDatabase.make(.sqlite))
        try await users.test(.live) { usersClient in
            var settings = base.settings
            settings.endpoints[.users] = .init(host: "127.0.0.1", port: try #require(usersClient.port))
            settings.endpoints[.booking] = .init(host: "127.0.0.1", port: try TestRuntime.refusingPort())
            configure(&settings)
            let runtime = ServiceRuntime(settings: settings, tokens: base.tokens, http: base.http)
            let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
            let database = try TestDatabase.make(backend)
            let app = try await MaintenanceService.buildApplication(runtime: runtime, database: database, now: { clock.now })
            // Seeded users: 1 admin, 2 faculty, 3 student, 4 technician.
            let tokens = Tokens(
                student: try await TestRuntime.token(runtime, userID: "3", role: .student),
                otherStudent: try await TestRuntime.token(runtime, userID: "30", role: .student),
                faculty: try await TestRuntime.token(runtime, userID: "2", role: .faculty),
                tech: try await TestRuntime.token(runtime, userID: "4", role: .technician),
                admin: try await TestRuntime.token(runtime, userID: "1", role: .admin)
            )
            try await app.test(.router) { client in try await body(client, tokens, clock, database, runtime) }
        }
    }

    func open(_ client: any TestClientProtocol, _ token: String, title: String, room: String? = nil) async throws -> JSONObject {
        var body: JSONObject = ["title": title, "description": "Reported from the test suite.", "location": "Building B, room 201"]
        if let room { body["room_id"] = room }
        return try await client.execute(uri: "/tickets", method: .post, headers: bearer(token), body: jsonBody(body)) { response in
            #expect(response.status == .created, "\(response.text)")
            return response.json
        }
    }

    func patch(_ client: any TestClientProtocol, _ token: String, _ id: Int, _ body: JSONObject) async throws -> TestResponse {
        try await client.execute(uri: "/tickets/\(id)", method: .patch, headers: bearer(token), body: jsonBody(body)) { $0 }
    }

    /// SLA_WORKING_HOURS reaches the deadline of a reported ticket (2027-01-15 08:00 UTC is a Friday, before opening).
    @Test(arguments: TestDatabase.backends)
    func aReportedTicketIsDueInWorkingHours(_ backend: TestDatabase.Backend) async throws {
        let hours = try #require(WorkingHours("Mon-Fri 09:00-17:00"))
        try await withMaintenance(
            backend,
            configure: {
                $0.slaWorkingHours = hours
                $0.campusTimeZone = TimeZone(identifier: "UTC")!
            }
        ) { client, t, clock, _, _ in
            let ticket = try await open(client, t.student, title: "Wobbly chair in the library")
            let priority = try #require((ticket["priority"] as? String).flatMap(Priority.init(rawValue:)))
            try #require(priority != .p0)
            let due = try #require((ticket["sla_due_at"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
            let expected = SLAClock(workingHours: hours, zone: TimeZone(identifier: "UTC")!).due(from: clock.now, priority: priority)
            #expect(due == expected)
            // counted from 09:00, not from 08:00: at least an hour later than around the clock
            #expect(due.timeIntervalSince(SLAClock.aroundTheClock.due(from: clock.now, priority: priority)) >= 3600)
        }
    }

    @Test(arguments: TestDatabase.backends)
    func ticketLifecycleFromReportToClose(_ backend: TestDatabase.Backend) async throws {
        try await withMaintenance(backend) { client, t, clock, database, runtime in
            let ticket = try await open(client, t.student, title: "Projector in B201 shows no picture", room: "201")
            let id = try #require(ticket["id"] as? Int)
            #expect(ticket["status"] as? String == "open")
            #expect(ticket["created_by"] as? Int == 3)
            #expect(ticket["created_by_name"] as? String == "Test student")
            #expect(ticket["assignee_id"] is NSNull)
            #expect(ticket["assignee_name"] is NSNull)
            #expect(ticket["room_id"] as? Int == 201)
            #expect((ticket["triage"] as? JSONObject)?["signals"] is [Any])
            #expect((ticket["impact"] as? JSONObject)?["scope"] is String)
            let priority = try #require(ticket["priority"] as? String)
            let due = CampusJSON.timestamp(clock.now.addingTimeInterval(TimeInterval(Priority(rawValue: priority)!.slaHours) * 3600))
            #expect(ticket["sla_due_at"] as? String == due)

            // Visibility: the owner and technicians see it; another student and an admin do not.
            try await client.execute(uri: "/tickets/\(id)", method: .get, headers: bearer(t.student)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/tickets/\(id)", method: .get, headers: bearer(t.tech)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/tickets/\(id)", method: .get, headers: bearer(t.otherStudent)) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/tickets/\(id)", method: .get, headers: bearer(t.admin)) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/tickets", method: .get, headers: bearer(t.otherStudent)) { response in
                #expect(response.headers[.totalCount] == "0")
            }
            try await client.execute(uri: "/tickets", method: .get, headers: bearer(t.tech)) { response in
                #expect(response.headers[.totalCount] == "1")
            }

            // Only technicians change tickets; the owner is told about status changes.
            #expect(try await patch(client, t.student, id, ["status": "cancelled"]).status == .forbidden)
            #expect(try await patch(client, t.tech, id, ["status": "closed"]).problemCode == "invalid_transition")
            #expect(try await patch(client, t.tech, id, ["assignee_id": "3"]).status == .unprocessableContent)
            #expect(try await patch(client, t.tech, id, ["assignee_id": "999"]).status == .unprocessableContent)
            let assigned = try await patch(client, t.tech, id, ["assignee_id": "4", "status": "in_progress", "priority": "P1"])
            #expect(assigned.status == .ok)
            #expect(assigned.json["assignee_id"] as? Int == 4)
            #expect(assigned.json["status"] as? String == "in_progress")
            #expect(assigned.json["priority"] as? String == "P1")
            #expect(assigned.json["sla_due_at"] as? String == CampusJSON.timestamp(clock.now.addingTimeInterval(4 * 3600)))
            // Names beside ids: the assignee's from user management, the actor's from their token.
            #expect(assigned.json["assignee_name"] as? String == "Terry Technician")
            let entries = assigned.json["history"] as? [JSONObject] ?? []
            let history = entries.compactMap { $0["change"] as? String }
            let triaged = try #require(Priority(rawValue: priority))
            let category = TriageCategories.label(try #require(ticket["category"] as? String))
            #expect(triaged == .p2, "the projector report is triaged P2, so raising it to P1 writes a line")
            #expect(
                history == [
                    "Reported; triaged as P2 · Medium, \(category)", "Status changed from Open to In progress",
                    "Priority raised from P2 · Medium to P1 · High; now due within 4 hours of being reported", "Assigned to Terry Technician",
                ], "\(history)")
            #expect(entries.first?["by_name"] as? String == "Test student")
            #expect(entries.last?["by_name"] as? String == "Test technician")
            #expect(entries.last?["by"] as? Int == 4)

            // Room health shows the open ticket and its priority.
            try await client.execute(uri: "/tickets/room-health", method: .get, headers: bearer(t.admin)) { response in
                #expect(response.status == .ok)
                #expect(response.jsonArray.first?["room_id"] as? Int == 201)
                #expect(response.jsonArray.first?["open_tickets"] as? Int == 1)
                #expect(response.jsonArray.first?["highest_priority"] as? String == "P1")
            }

            // Comments: the owner and technicians; another student cannot.
            try await client.execute(uri: "/tickets/\(id)/comments", method: .post, headers: bearer(t.tech), body: jsonBody(["body": "On my way."])) {
                response in
                #expect(response.status == .created)
            }
            try await client.execute(uri: "/tickets/\(id)/comments", method: .post, headers: bearer(t.otherStudent), body: jsonBody(["body": "hi"])) {
                response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/tickets/\(id)/comments", method: .get, headers: bearer(t.student)) { response in
                #expect(response.jsonArray.map { $0["body"] as? String } == ["On my way."])
                #expect(response.jsonArray.map { $0["author_name"] as? String } == ["Test technician"])
            }

            // SLA: four hours and a minute later the ticket is breached, once.
            clock.advance(by: 4 * 3600 + 60)
            let repository = FluentTicketRepository(provider: database, logger: runtime.logger(for: .maintenance), now: { clock.now })
            #expect(try await repository.markBreached(now: clock.now).map(\.id) == [id])
            #expect(try await repository.markBreached(now: clock.now).isEmpty)
            try await client.execute(uri: "/tickets/\(id)", method: .get, headers: bearer(t.student)) { response in
                #expect(response.json["sla_breached"] as? Bool == true)
            }
            // Resolving and closing; a closed ticket is final.
            #expect(try await patch(client, t.tech, id, ["status": "resolved"]).problemCode == "resolution_required")
            #expect(try await patch(client, t.tech, id, ["status": "resolved", "resolution": "Replaced the HDMI cable."]).status == .ok)
            #expect(try await patch(client, t.tech, id, ["status": "closed"]).status == .ok)
            #expect(try await patch(client, t.tech, id, ["status": "in_progress"]).problemCode == "invalid_transition")
            try await client.execute(uri: "/tickets/room-health", method: .get, headers: bearer(t.student)) { response in
                #expect(response.jsonArray.isEmpty)
            }

            // Notices went to the outbox: created → technicians; two status changes and a comment → owner
            // (resolved and closed also), breach → technicians and the assignee.
            let events = try await OutboxEvent.query(on: database.database(logger: runtime.logger(for: .maintenance))).all()
            let audiences = events.map(\.payload)
            #expect(audiences.filter { $0.contains(#""role":"technician""#) }.count == 2)
            #expect(audiences.filter { $0.contains(#""user_id":3"#) }.count == 4)
            #expect(audiences.filter { $0.contains(#""user_id":4"#) }.count == 1)
        }
    }

    @Test func triagePreviewSavesNothingAndInputIsValidated() async throws {
        try await withMaintenance { client, t, _, _, _ in
            try await client.execute(
                uri: "/triage", method: .post, headers: bearer(t.faculty),
                body: jsonBody(["title": "Smoke coming out of the server room", "description": "and a burning smell", "location": "Library basement"])
            ) { response in
                #expect(response.status == .ok)
                #expect(response.json["priority"] as? String == "P0")
                #expect(response.json["sla_hours"] as? Int == 1)
            }
            // The form's preview works from the first words typed: no location, no details yet.
            let partial: [JSONObject] = [
                ["title": "Gas smell"], ["title": "Gas smell", "description": "", "location": ""], ["description": "gas smell in the lab"],
            ]
            for body in partial {
                try await client.execute(uri: "/triage", method: .post, headers: bearer(t.student), body: jsonBody(body)) { response in
                    #expect(response.status == .ok, "\(body): \(response.text)")
                    #expect(response.json["priority"] as? String == "P0", "\(body)")
                }
            }
            for body in [[:], ["title": " ", "description": "", "location": ""]] as [JSONObject] {
                try await client.execute(uri: "/triage", method: .post, headers: bearer(t.student), body: jsonBody(body)) { response in
                    #expect(response.status == .unprocessableContent, "\(body)")
                }
            }
            try await client.execute(uri: "/tickets", method: .get, headers: bearer(t.tech)) { response in
                #expect(response.headers[.totalCount] == "0")
            }
            for (body, field) in [
                (["title": "", "description": "x", "location": "B201"] as JSONObject, "title:"),
                (["title": "x", "description": "x", "location": "  "], "location:"),
                (["title": "x", "description": "x", "location": "B201", "category": "magic"], "category:"),
                (["title": "x", "location": "B201"], "description:"),
            ] {
                try await client.execute(uri: "/tickets", method: .post, headers: bearer(t.student), body: jsonBody(body)) { response in
                    #expect(response.status == .unprocessableContent, "\(body)")
                    #expect((response.json["detail"] as? String)?.hasPrefix(field) == true, "\(response.text)")
                }
            }
            try await client.execute(
                uri: "/tickets", method: .post, headers: bearer(t.admin),
                body: jsonBody(["title": "x", "description": "y", "location": "z"])
            ) { response in
                #expect(response.status == .forbidden)
            }
            for query in ["status=broken", "priority=P9", "limit=-1"] {
                try await client.execute(uri: "/tickets?\(query)", method: .get, headers: bearer(t.tech)) { response in
                    #expect(response.status == .unprocessableContent, "\(query)")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func searchFindsEveryWordCaseInsensitivelyAndTakesWildcardsLiterally(_ backend: TestDatabase.Backend) async throws {
        try await withMaintenance(backend) { client, t, _, _, _ in
            _ = try await open(client, t.student, title: "Leak under the sink in Lab 2")
            _ = try await open(client, t.student, title: "Leak in the roof of the library")
            _ = try await open(client, t.faculty, title: "Projector 100% dead in Lab 2")
            func titles(_ token: String, _ query: String) async throws -> [String] {
                let escaped = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                return try await client.execute(uri: "/tickets?q=\(escaped)", method: .get, headers: bearer(token)) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.totalCount] == String(response.jsonArray.count))
                    return response.jsonArray.compactMap { $0["title"] as? String }.sorted()
                }
            }
            #expect(try await titles(t.tech, "lab 2 LEAK") == ["Leak under the sink in Lab 2"])
            #expect(try await titles(t.tech, "leak") == ["Leak in the roof of the library", "Leak under the sink in Lab 2"])
            #expect(try await titles(t.tech, "100%") == ["Projector 100% dead in Lab 2"])
            #expect(try await titles(t.tech, "1_0") == [])
            #expect(try await titles(t.tech, "%") == ["Projector 100% dead in Lab 2"])
            // "building b" is in every ticket's location.
            #expect(try await titles(t.tech, "building b").count == 3)
            // A technician picks out what one person reported, newest first; a student cannot widen their view.
            let byFaculty = try await client.execute(uri: "/tickets?created_by=2&order=newest", method: .get, headers: bearer(t.tech)) { response in
                response.jsonArray.compactMap { $0["title"] as? String }
            }
            #expect(byFaculty == ["Projector 100% dead in Lab 2"])
            let newest = try await client.execute(uri: "/tickets?created_by=3&order=newest", method: .get, headers: bearer(t.tech)) { response in
                response.jsonArray.compactMap { $0["title"] as? String }
            }
            #expect(newest == ["Leak in the roof of the library", "Leak under the sink in Lab 2"])
            let widened = try await client.execute(uri: "/tickets?created_by=2", method: .get, headers: bearer(t.student)) { response in
                response.jsonArray.compactMap { $0["title"] as? String }.sorted()
            }
            #expect(widened == ["Leak in the roof of the library", "Leak under the sink in Lab 2"])
            try await client.execute(uri: "/tickets?order=oldest", method: .get, headers: bearer(t.tech)) { response in
                #expect(response.status == .unprocessableContent)
            }
            // A student searches only their own tickets.
            #expect(try await titles(t.student, "lab 2") == ["Leak under the sink in Lab 2"])
            #expect(try await titles(t.tech, "   ").count == 3)
            // A form sends spaces as "+".
            let plus = try await client.execute(uri: "/tickets?q=LAB+2+leak", method: .get, headers: bearer(t.tech)) { response in
                response.jsonArray.compactMap { $0["title"] as? String }
            }
            #expect(plus == ["Leak under the sink in Lab 2"])
        }
    }

    @Test func everyRouteIsInTheOpenAPIDocument() async throws {
        let runtime = await TestRuntime.make()
        let database = try TestDatabase.make(.sqlite)
        let repository = FluentTicketRepository(provider: database, logger: runtime.logger(for: .maintenance))
        let router = try buildRouter(
            runtime: runtime, repository: repository,
            photos: FluentTicketPhotoRepository(provider: database, logger: runtime.logger(for: .maintenance)),
            events: LocalLiveEventBus(receiver: TicketEventHub(repository: repository, logger: runtime.logger(for: .maintenance))),
            auth: AuthMiddleware(tokens: runtime.tokens), directory: CampusDirectory(client: runtime.serviceClient(for: .maintenance)),
            now: Date.init, databaseCheck: {}
        )
        #expect(router.routes.count >= 12)
        #expect(OpenAPICoverage.problems(router: router, spec: MaintenanceOpenAPI.document) == [])
        await database.shutdown()
    }
}
