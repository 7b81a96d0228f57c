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
        _ body: @escaping @Sendable (any TestClientProtocol, Tokens, TestClock, DatabaseProvider, ServiceRuntime) async throws -> Void
    ) async throws {
        let base = await TestRuntime.make()
        let users = try await UserService.buildApplication(runtime: base, database: try TestDatabase.make(.sqlite))
        try await users.test(.live) { usersClient in
            var settings = base.settings
            settings.endpoints[.users] = .init(host: "127.0.0.1", port: try #require(usersClient.port))
            settings.endpoints[.booking] = .init(host: "127.0.0.1", port: try TestRuntime.unusedPort())
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

    @Test(arguments: TestDatabase.backends)
    func ticketLifecycleFromReportToClose(_ backend: TestDatabase.Backend) async throws {
        try await withMaintenance(backend) { client, t, clock, database, runtime in
            let ticket = try await open(client, t.student, title: "Projector in B201 shows no picture", room: "201")
            let id = try #require(ticket["id"] as? Int)
            #expect(ticket["status"] as? String == "open")
            #expect(ticket["created_by"] as? Int == 3)
            #expect(ticket["assignee_id"] is NSNull)
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
            let history = (assigned.json["history"] as? [JSONObject] ?? []).compactMap { $0["change"] as? String }
            #expect(history.count == 4)
            #expect(history.contains("status open → in_progress"))

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
            #expect(try await patch(client, t.tech, id, ["status": "resolved"]).status == .ok)
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

    @Test func everyRouteIsInTheOpenAPIDocument() async throws {
        let runtime = await TestRuntime.make()
        let database = try TestDatabase.make(.sqlite)
        let repository = FluentTicketRepository(provider: database, logger: runtime.logger(for: .maintenance))
        let router = try buildRouter(
            runtime: runtime, repository: repository,
            events: LocalTicketEventBus(hub: TicketEventHub(repository: repository, logger: runtime.logger(for: .maintenance))),
            auth: AuthMiddleware(tokens: runtime.tokens), now: Date.init, databaseCheck: {}
        )
        #expect(router.routes.count >= 12)
        #expect(OpenAPICoverage.problems(router: router, spec: MaintenanceOpenAPI.document) == [])
        await database.shutdown()
    }
}
