import CampusKit
import CampusTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import Testing

@testable import NotificationService

/// The live bell over real WebSockets: a notification reaches the open sockets it is addressed
/// to the moment it is stored, once, and nobody else's; on PostgreSQL across instances.
@Suite struct LiveBellTests {
    func notify(_ client: some TestClientProtocol, admin: String, _ fields: [String: Any]) async throws {
        try await client.execute(uri: "/notifications", method: .post, headers: bearer(admin), body: jsonBody(fields)) { response in
            #expect(response.status == .created || response.status == .ok)
        }
    }

    @Test func aNoticeReachesTheSocketsItIsAddressedToOnce() async throws {
        let runtime = await TestRuntime.make()
        let app = try await NotificationService.buildApplication(runtime: runtime, database: try TestDatabase.make(.sqlite))
        let student = try await TestRuntime.token(runtime, userID: "3", role: .student)
        let faculty = try await TestRuntime.token(runtime, userID: "2", role: .faculty)
        let service = try await runtime.tokens.issueServiceToken(for: .booking).token
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let ready = NIOLockedValueBox(0)
            let send: @Sendable () async throws -> Void = {
                guard
                    ready.withLockedValue({ count in
                        count += 1
                        return count
                    }) == 2
                else { return }
                // To students only, then the same event again (stored once), then to everyone: the marker.
                for _ in 0..<2 {
                    try await notify(
                        client, admin: service,
                        ["title": "Room 12 closed", "message": "Exams", "audience": ["role": "student"], "event_id": "evt-room-12"])
                }
                try await notify(client, admin: service, ["title": "Marker", "message": "for everyone", "audience": ["all": true]])
            }
            async let studentView = LiveSocketClient.listen(port: port, token: student, ready: send) { $0.contains { $0.contains("Marker") } }
            async let facultyView = LiveSocketClient.listen(
                port: port, token: nil, firstMessage: #"{"type":"auth","token":"\#(faculty)"}"#, ready: send
            ) { $0.contains { $0.contains("Marker") } }
            let (studentMessages, facultyMessages) = try await (studentView.messages, facultyView.messages)
            #expect(studentMessages.first == #"{"type":"ready"}"#)
            let notices = studentMessages.dropFirst().compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(notices.allSatisfy { $0["type"] as? String == "notification.created" })
            let titles = notices.compactMap { ($0["notification"] as? [String: Any])?["title"] as? String }
            #expect(titles == ["Room 12 closed", "Marker"])
            let first = try #require(notices.first?["notification"] as? [String: Any])
            #expect(first["read"] as? Bool == false && first["id"] is Int && first["created_at"] is String)
            #expect(!facultyMessages.contains { $0.contains("Room 12 closed") })
            #expect(facultyMessages.contains { $0.contains("Marker") })
        }
    }

    @Test func badTokensAreRefused() async throws {
        let runtime = await TestRuntime.make()
        let app = try await NotificationService.buildApplication(runtime: runtime, database: try TestDatabase.make(.sqlite))
        try await app.test(.live) { client in
            try await client.execute(uri: "/ws?token=not-a-token", method: .get) { response in #expect(response.status == .unauthorized) }
            try await client.execute(uri: "/ws", method: .get) { response in #expect(response.status.code == 426) }
            let result = try await LiveSocketClient.listen(port: try #require(client.port), token: nil, firstMessage: #"{"type":"auth","token":"forged"}"#) {
                _ in false
            }
            #expect(result.close == .unknown(4401))
            #expect(result.messages.isEmpty)
        }
    }

    @Test(.enabled(if: TestDatabase.postgresAvailable, "needs CAMPUS_TEST_POSTGRES_URL (scripts/test provides it)"))
    func twoInstancesShareTheBellOnPostgreSQL() async throws {
        let runtime = await TestRuntime.make()
        let schema = TestDatabase.newSchemaName()
        let first = try await NotificationService.buildApplication(runtime: runtime, database: try TestDatabase.make(.postgresql, schema: schema))
        let second = try await NotificationService.buildApplication(runtime: runtime, database: try TestDatabase.make(.postgresql, schema: schema))
        let student = try await TestRuntime.token(runtime, userID: "3", role: .student)
        let service = try await runtime.tokens.issueServiceToken(for: .booking).token
        try await first.test(.live) { a in
            try await second.test(.live) { b in
                let messages = try await LiveSocketClient.listen(
                    port: try #require(a.port), token: student,
                    ready: {
                        // Instance A's LISTEN registers just after its start: send until it hears one.
                        for attempt in 0..<50 {
                            try await notify(b, admin: service, ["title": "Across instances \(attempt)", "message": "hello", "audience": ["user_id": "3"]])
                            try await Task.sleep(for: .milliseconds(200))
                        }
                    }
                ) { $0.contains { $0.contains("Across instances") } }.messages
                #expect(messages.contains { $0.contains("Across instances") })
            }
        }
    }
}
