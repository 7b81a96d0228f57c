import CampusKit
import CampusTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import HummingbirdWSTesting
import Logging
import NIOConcurrencyHelpers
import NIOWebSocket
import Testing

@testable import MaintenanceService

/// Live ticket events over real WebSockets.
@Suite struct TicketWebSocketTests {
    func withMaintenance(_ body: @escaping @Sendable (any TestClientProtocol, Int, ServiceRuntime) async throws -> Void) async throws {
        let runtime = await TestRuntime.make { $0.endpoints[.booking] = .init(host: "127.0.0.1", port: 9) }
        let app = try await MaintenanceService.buildApplication(runtime: runtime, database: try TestDatabase.make(.sqlite))
        try await app.test(.live) { client in try await body(client, try #require(client.port), runtime) }
    }

    @Test func aTechnicianHearsOfAStudentsTicketAndAnotherStudentDoesNot() async throws {
        try await withMaintenance { client, port, runtime in
            let student = try await TestRuntime.token(runtime, userID: "3", role: .student)
            let other = try await TestRuntime.token(runtime, userID: "30", role: .student)
            let tech = try await TestRuntime.token(runtime, userID: "4", role: .technician)
            let opened = NIOLockedValueBox(0)
            // Open the ticket once both listeners are ready.
            let openTicket: @Sendable () async throws -> Void = {
                let count = opened.withLockedValue {
                    $0 += 1
                    return $0
                }
                guard count == 2 else { return }
                try await client.execute(
                    uri: "/tickets", method: .post, headers: bearer(student),
                    body: jsonBody(["title": "Radiator cold in my room", "description": "no heat since morning", "location": "Halls, room 12"])
                ) { response in
                    #expect(response.status == .created)
                }
                // A marker event the other student may see (their own ticket) ends their wait.
                try await client.execute(
                    uri: "/tickets", method: .post, headers: bearer(other),
                    body: jsonBody(["title": "Dripping tap", "description": "kitchen tap drips", "location": "Halls, kitchen 2"])
                ) { response in
                    #expect(response.status == .created)
                }
            }
            async let techView = LiveSocketClient.listen(port: port, token: tech, ready: openTicket) { $0.filter { $0.contains("ticket.created") }.count >= 2 }
            async let otherView = LiveSocketClient.listen(port: port, token: nil, firstMessage: #"{"type":"auth","token":"\#(other)"}"#, ready: openTicket) {
                $0.contains { $0.contains("ticket.created") }
            }
            let (techMessages, otherMessages) = try await (techView.messages, otherView.messages)
            #expect(techMessages.first == #"{"type":"ready"}"#)
            #expect(techMessages.contains { $0.contains("Radiator cold in my room") })
            #expect(techMessages.contains { $0.contains("Dripping tap") })
            #expect(otherMessages.contains { $0.contains("Dripping tap") })
            #expect(!otherMessages.contains { $0.contains("Radiator") })
        }
    }

    @Test func badTokensAreRefused() async throws {
        try await withMaintenance { client, port, _ in
            try await client.execute(uri: "/ws?token=not-a-token", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/ws", method: .get) { response in
                #expect(response.status.code == 426)
            }
            let result = try await LiveSocketClient.listen(port: port, token: nil, firstMessage: #"{"type":"auth","token":"forged"}"#) { _ in false }
            #expect(result.close == .unknown(4401))
            #expect(result.messages.isEmpty)
        }
    }
}

/// Two maintenance instances on one PostgreSQL database: a client of one hears of tickets
/// opened through the other (LISTEN/NOTIFY).
@Suite struct TicketEventsAcrossInstancesTests {
    @Test(.enabled(if: TestDatabase.postgresAvailable, "needs CAMPUS_TEST_POSTGRES_URL (scripts/test provides it)"))
    func twoInstancesShareEventsOnPostgreSQL() async throws {
        let runtime = await TestRuntime.make { $0.endpoints[.booking] = .init(host: "127.0.0.1", port: 9) }
        let schema = TestDatabase.newSchemaName()
        let first = try await MaintenanceService.buildApplication(runtime: runtime, database: try TestDatabase.make(.postgresql, schema: schema))
        let second = try await MaintenanceService.buildApplication(runtime: runtime, database: try TestDatabase.make(.postgresql, schema: schema))
        let tech = try await TestRuntime.token(runtime, userID: "4", role: .technician)
        let student = try await TestRuntime.token(runtime, userID: "3", role: .student)
        try await first.test(.live) { a in
            try await second.test(.live) { b in
                let portA = try #require(a.port)
                let messages = try await LiveSocketClient.listen(
                    port: portA, token: tech,
                    ready: {
                        // Give instance A's LISTEN a moment to be registered after its start.
                        try await Task.sleep(for: .milliseconds(300))
                        try await b.execute(
                            uri: "/tickets", method: .post, headers: bearer(student),
                            body: jsonBody(["title": "Lift stuck between floors", "description": "nobody inside", "location": "Main building"])
                        ) { response in
                            #expect(response.status == .created)
                        }
                    }
                ) { $0.contains { $0.contains("ticket.created") } }.messages
                #expect(messages.contains { $0.contains("Lift stuck between floors") })
            }
        }
    }
}
